"""
Run every benchmark and print their tables: ``python benchmarks/run.py [--quick]``.

The full run is what docs/performance.md reports (100,000 incidents; 1,000,000 for memory
and --jobs). ``--quick`` runs each on a few thousand incidents, so CI keeps the scripts
working without timing anything.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

FULL = {
    "bench_loading.py": ["--n", "100000", "--repeat", "3"],
    "bench_evaluate.py": ["--n", "100000", "--repeat", "3"],
    "bench_end_to_end.py": ["--n", "100000", "--big", "1000000", "--repeat", "2"],
    "bench_backends.py": ["--n", "10000", "100000"],
    "bench_isolation.py": ["--n", "10000", "--repeat", "3"],
    "bench_monitor.py": ["--n", "10000", "20000", "100000"],
    "bench_startup.py": ["--repeat", "20"],
    "bench_cpu.py": ["--n", "100000"],
}
QUICK = {
    "bench_loading.py": ["--n", "2000", "--repeat", "1"],
    "bench_evaluate.py": ["--n", "2000", "--repeat", "1"],
    "bench_end_to_end.py": ["--n", "2000", "--big", "4000", "--repeat", "1"],
    "bench_backends.py": ["--n", "2000"],
    "bench_isolation.py": ["--n", "1000", "--repeat", "1"],
    "bench_monitor.py": ["--n", "2000"],
    "bench_startup.py": ["--repeat", "1"],
    "bench_cpu.py": ["--n", "2000", "--repeat", "1"],
}


def main() -> int:
    """Run the scripts in turn; stop at the first that fails."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few thousand incidents each")
    args = parser.parse_args()
    for script, options in (QUICK if args.quick else FULL).items():
        if not (HERE / script).exists():
            continue
        durable = script in {"bench_backends.py", "bench_isolation.py"}
        if durable and importlib.util.find_spec("durable") is None:
            print(f"\n== {script}: skipped (durable_rules is not installed)", flush=True)
            continue
        print(f"\n== {script} {' '.join(options)}", flush=True)
        subprocess.run([sys.executable, str(HERE / script), *options], check=True, cwd=HERE)  # noqa: S603
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
