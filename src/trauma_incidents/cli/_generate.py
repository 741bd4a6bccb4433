"""The ``generate`` command: seeded synthetic incidents as NDJSON, for load tests."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO

from trauma_incidents.loading import dumps

HELP = "write seeded synthetic incidents as NDJSON, for load tests"
DESCRIPTION = (
    "Write N invented incidents as NDJSON (one per line), the same for the same seed: "
    "about 60%% complete, the rest with gaps the default rules notice. Every line loads."
)


def add_generate(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``generate`` command to *commands*."""
    generate = commands.add_parser("generate", help=HELP, description=DESCRIPTION)
    generate.add_argument("--n", type=_count, default=1000, help="how many (default 1000)")
    generate.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    generate.add_argument("--out", type=Path, help="output file (default: standard output)")
    generate.set_defaults(command=run_generate)


def run_generate(args: argparse.Namespace) -> int:
    """Write ``args.n`` incidents from ``args.seed`` to ``args.out`` or standard output."""
    if args.out is None:
        _write(args.n, args.seed, sys.stdout.buffer)
    else:
        with args.out.open("wb") as out:
            _write(args.n, args.seed, out)
    return 0


def _write(n: int, seed: int, out: IO[bytes]) -> None:
    from trauma_incidents.testing._synthetic import synthetic_incidents  # noqa: PLC0415 (lazy)

    for incident in synthetic_incidents(n, seed):
        out.write(dumps(incident) + b"\n")


def _count(text: str) -> int:
    n = int(text)
    if n < 0:
        msg = "must be zero or more"
        raise argparse.ArgumentTypeError(msg)
    return n
