"""
CPU time (not wall time) of loading and of ``check`` in process, for A/B runs on a busy machine.

    python benchmarks/ab.py --base /tmp/main/src --runs 6 -- bench_cpu.py --n 20000

On a shared machine wall time mostly measures waiting for a core; the process's CPU time
(user and system) does not. Prints the best of --repeat for ``read_incidents`` over N
synthetic incidents as NDJSON bytes, and for ``check --format ndjson`` on them through
`trauma_incidents.cli.main` (imports excluded: see bench_startup.py for those).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _results import add_option, save
from synthetic import generate, write
from trauma_incidents.cli import main as cli_main
from trauma_incidents.loading import read_incidents

AT = "2026-05-01T09:00:00+01:00"


def cpu_best(repeat: int, run: Callable[[], object]) -> float:
    """The least CPU time of *repeat* runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    """Write the data, then time each."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    add_option(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "incidents.ndjson"
        with path.open("wb") as f:
            write(generate(args.n, args.seed), f)
        data = path.read_bytes()
        argv = ["check", str(path), "--at", AT, "--format", "ndjson", "--fail-on", "never"]

        def check() -> None:
            with contextlib.redirect_stdout(io.StringIO()):
                cli_main(argv)

        loading = cpu_best(args.repeat, lambda: sum(1 for _ in read_incidents(data)))
        checking = cpu_best(args.repeat, check)
    print(f"read_incidents, CPU  {args.n / loading:10,.0f} incidents/s  ({loading:.3f} s)")
    print(f"check --format ndjson, CPU  {args.n / checking:10,.0f} incidents/s  ({checking:.3f} s)")
    save(
        args.json,
        {"n": args.n, "read_cpu_rate": args.n / loading, "check_cpu_rate": args.n / checking},
    )


if __name__ == "__main__":
    main()
