"""
Process startup: ``trauma-incidents check`` on one incident, wall time of a fresh process.

    python benchmarks/bench_startup.py [--repeat 20] [--compare OTHER_SRC]

Runs ``python -m trauma_incidents check`` on a one-incident NDJSON file (the first seeded
synthetic incident) *--repeat* times and prints the median and fastest wall time and the
median CPU time (user and system) of the process. With
``--compare``, runs alternate between this checkout and the package found in OTHER_SRC
(put first on ``PYTHONPATH``, for example a ``git archive main src`` unpacked elsewhere), so
that a busy machine slows both sides alike; the ratio of the medians is printed. To see
which imports cost what: ``python -X importtime -m trauma_incidents check FILE``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _results import Figures, add_option, save
from synthetic import generate, write

AT = "2026-05-01T09:00:00+01:00"


def once(path: Path, pythonpath: str | None) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds for one ``check`` in a fresh process."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    argv = [sys.executable, "-m", "trauma_incidents", "check", str(path), "--at", AT]
    argv += ["--format", "ndjson", "--fail-on", "never"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True, env=env)  # noqa: S603
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def main() -> None:
    """Write the one-incident file, then time the command."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--compare", metavar="OTHER_SRC", help="alternate with this source")
    add_option(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one.ndjson"
        with path.open("wb") as f:
            write(generate(1, 1), f)
        sides: dict[str, list[tuple[float, float]]] = {"this checkout": []}
        if args.compare:
            sides[f"PYTHONPATH={args.compare}"] = []
        once(path, None)  # compiled bytecode written, caches warm
        for _ in range(args.repeat):
            for name, times in sides.items():
                times.append(once(path, None if name == "this checkout" else args.compare))
    print(f"check on one incident, fresh process, {args.repeat} runs")
    print("  (CPU is user + system time: on a busy machine, wall time also counts waiting)")
    medians = []
    figures: Figures = {"repeat": args.repeat}
    for side, (name, times) in zip(("", "other_"), sides.items(), strict=False):
        wall, cpu = (statistics.median(t[i] for t in times) for i in (0, 1))
        medians.append((wall, cpu))
        fastest = min(t[0] for t in times)
        print(f"  {name:<32} wall: median {wall:.3f} s, fastest {fastest:.3f} s; CPU {cpu:.3f} s")
        figures |= {f"{side}wall": wall, f"{side}fastest": fastest, f"{side}cpu": cpu}
    if len(medians) == 2:  # noqa: PLR2004 (this checkout against the other)
        (wall_a, cpu_a), (wall_b, cpu_b) = medians
        print(f"  this / other: wall {wall_a / wall_b:.2f}, CPU {cpu_a / cpu_b:.2f}")
    save(args.json, figures)


if __name__ == "__main__":
    main()
