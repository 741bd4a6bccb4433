"""
A/B: run a benchmark script alternately against this checkout and another source.

    python benchmarks/ab.py --base /tmp/main/src --runs 5 -- bench_loading.py --n 20000

Runs the script *--runs* times on each side, alternating (so that a busy machine slows both
alike), with the other source first on ``PYTHONPATH`` for side B (for example ``git archive
main src`` unpacked there). For every line of the script's output that ends in a figure
(incidents/s, seconds), prints the median of each side and A's over B's (this checkout
over the base: above 1 is faster for a rate, slower for a time).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
_FIGURE = re.compile(r"(\d[\d,]*(?:\.\d+)?)")
_RATE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*incidents/s")


def _run(script: list[str], pythonpath: str | None) -> dict[str, float]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = f"{pythonpath}{os.pathsep}{HERE}"
    done = subprocess.run(  # noqa: S603 (this interpreter, a benchmark script of this folder)
        [sys.executable, *script], capture_output=True, text=True, check=True, cwd=HERE, env=env
    )
    figures = {}
    for line in done.stdout.splitlines():
        numbers = _FIGURE.findall(line)
        if not numbers:
            continue
        label = " ".join(_FIGURE.sub("#", line).split())
        rate = _RATE.search(line)  # a rate where the line has one, else its last figure
        figures[label] = float((rate.group(1) if rate else numbers[-1]).replace(",", ""))
    return figures


def main() -> None:
    """Run both sides in turn and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the source folder of side B")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("script", nargs=argparse.REMAINDER, help="-- SCRIPT [OPTIONS]")
    args = parser.parse_args()
    script = [s for s in args.script if s != "--"]
    sides: dict[str, dict[str, list[float]]] = {"A": defaultdict(list), "B": defaultdict(list)}
    for _ in range(args.runs):
        for side, path in (("A", None), ("B", args.base)):
            for label, value in _run(script, path).items():
                sides[side][label].append(value)
    print(f"A: this checkout; B: PYTHONPATH={args.base}; medians of {args.runs} runs each")
    for label, values in sides["A"].items():
        a, b = statistics.median(values), statistics.median(sides["B"].get(label, [0.0]))
        ratio = f"{a / b:6.2f}" if b else "     -"
        print(f"  A {a:>14,.3f}  B {b:>14,.3f}  A/B {ratio}  {label[:90]}")


if __name__ == "__main__":
    main()
