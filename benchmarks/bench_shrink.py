"""
How long hypothesis takes to shrink a failing property over `strategies.incidents`.

``python benchmarks/bench_shrink.py [--repeat N]`` runs a property that fails on every
incident with a restrictive intervention (so the shrinker has work to do) under pytest's
``--hypothesis-show-statistics`` and prints, per run, the shrink phase's time and its
passing, failing and invalid attempts. Nothing is asserted: figures go in the report.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROPERTY = """
from hypothesis import given, settings
from trauma_incidents import strategies


@settings(database=None, deadline=None, max_examples=200)
@given(strategies.incidents(complete=False))
def test_no_restriction(incident):
    assert not incident.restrictive_interventions
"""

_PHASE = re.compile(
    r"during shrink phase \(([\d.]+) seconds\):.*?(\d+) passing, (\d+) failing,"
    r" and (\d+) invalid test cases",
    re.DOTALL | re.IGNORECASE,
)


def run_once(folder: Path) -> tuple[float, float, int, int, int]:
    """One run: wall seconds, shrink seconds, passing, failing and invalid shrink attempts."""
    began = time.perf_counter()
    out = subprocess.run(  # noqa: S603 (our own interpreter and file)
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "--hypothesis-show-statistics", "--hypothesis-seed=1", str(folder)],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    wall = time.perf_counter() - began
    found = _PHASE.search(out)
    if found is None:
        return wall, 0.0, 0, 0, 0
    seconds, passing, failing, invalid = found.groups()
    return wall, float(seconds), int(passing), int(failing), int(invalid)


def main() -> int:
    """Run the property *repeat* times and print a line per run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "test_shrink_property.py").write_text(PROPERTY)
        print("run  wall_s  shrink_s  passing  failing  invalid  invalid_%")
        for n in range(args.repeat):
            wall, shrink, passing, failing, invalid = run_once(folder)
            total = passing + failing + invalid
            share = 100 * invalid / total if total else 0.0
            print(
                f"{n + 1:>3}  {wall:6.2f}  {shrink:8.2f}  {passing:7}  {failing:7}  {invalid:7}"
                f"  {share:8.1f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
