"""
Both backends on the same synthetic data: throughput and peak memory.

    python benchmarks/bench_backends.py --n 10000 100000

For each N, generates N incidents with benchmarks/synthetic.py (seeded), then, in a fresh
process per backend and rule set, loads them and times one evaluation with all default
rules (core and england) and with the issue's three (DB001, DB002, SG001; SG001 is a
Python rule, so on the durable backend only the first two run in the Rete network). Peak
memory is the process's maximum resident set size (it includes the loaded incidents,
reported separately, and memory C extensions allocate, which tracemalloc misses).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from _results import Figures, add_option, save

AT = datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)


def generate(n: int, seed: int, folder: Path) -> Path:
    """Write N synthetic incidents as NDJSON and return the path."""
    out = folder / f"incidents-{n}-{seed}.ndjson"
    script = Path(__file__).with_name("synthetic.py")
    args = ["--n", str(n), "--seed", str(seed), "--out", str(out)]
    subprocess.run([sys.executable, str(script), *args], check=True, capture_output=True)  # noqa: S603
    return out


def _rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: str, backend: str, rules: str) -> dict[str, float]:
    """Load *path* and evaluate it once on *backend* (run in a child process)."""
    from bench_evaluate import three_rules  # noqa: PLC0415
    from trauma_incidents import Incident, RuleSet, read_incidents  # noqa: PLC0415
    from trauma_incidents.backends import make_engine  # noqa: PLC0415

    incidents = [r for r in read_incidents(path) if isinstance(r, Incident)]
    loaded = _rss_mb()
    engine = make_engine(three_rules() if rules == "three" else RuleSet.compile(), backend)
    start = time.perf_counter()
    report = engine.evaluate(incidents, at=AT)
    seconds = time.perf_counter() - start
    durable = sum(1 for b in report.backends.values() if b == "durable")
    engine.close()
    return {
        "n": len(incidents),
        "seconds": seconds,
        "findings": len(report.findings),
        "loaded_mb": loaded,
        "peak_mb": _rss_mb(),
        "durable_rules": durable,
    }


def run_child(path: Path, backend: str, rules: str) -> dict[str, float]:
    """Measure in a fresh process, so each peak is its own."""
    call = f"b.measure({str(path)!r}, {backend!r}, {rules!r})"
    code = f"import json, bench_backends as b; print(json.dumps({call}))"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backends", nargs="+", default=["python", "durable"])
    add_option(parser)
    args = parser.parse_args()
    figures: Figures = {}
    print(f"evaluated at {AT.isoformat()}; all: core + england; three: DB001, DB002, SG001")
    header = f"{'backend':8} {'rules':5} {'incidents':>10} {'seconds':>8} {'incidents/s':>12}"
    print(f"{header} {'findings':>9} {'loaded MB':>10} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n:
            path = generate(n, args.seed, Path(tmp))
            for rules in ("all", "three"):
                for backend in args.backends:
                    r = run_child(path, backend, rules)
                    rate = r["n"] / r["seconds"]
                    figures[f"{backend}.{rules}.{n}.rate"] = rate
                    figures[f"{backend}.{rules}.{n}.peak_mib"] = r["peak_mb"]
                    row = f"{backend:8} {rules:5} {r['n']:10,.0f} {r['seconds']:8.2f} {rate:12,.0f}"
                    print(
                        f"{row} {r['findings']:9,.0f} {r['loaded_mb']:10,.0f} {r['peak_mb']:8,.0f}"
                    )
    save(args.json, figures)


if __name__ == "__main__":
    main()
