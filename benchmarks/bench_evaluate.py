"""
Evaluation throughput: all default rules (core and england) over model objects.

    python benchmarks/bench_evaluate.py --n 100000

Generates N incidents with benchmarks/synthetic.py (seeded), loads them once, then times
`RuleSet.evaluate` alone (best of --repeat runs). Prints incidents per second.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from trauma_incidents import Incident, RuleSet, read_incidents
from trauma_incidents.config import Config

AT = datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)


def generate(n: int, seed: int, folder: Path) -> Path:
    """Write N synthetic incidents as NDJSON and return the path."""
    out = folder / f"incidents-{n}-{seed}.ndjson"
    script = Path(__file__).with_name("synthetic.py")
    args = ["--n", str(n), "--seed", str(seed), "--out", str(out)]
    subprocess.run([sys.executable, str(script), *args], check=True)  # noqa: S603
    return out


def best_of(repeat: int, ruleset: RuleSet, incidents: list[Incident]) -> tuple[float, int]:
    """The fastest of *repeat* evaluations, and the number of findings."""
    best, count = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        report = ruleset.evaluate(incidents, at=AT)
        best = min(best, time.perf_counter() - start)
        count = len(report.findings)
    return best, count


def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = generate(args.n, args.seed, Path(tmp))
        incidents = [r for r in read_incidents(path) if isinstance(r, Incident)]
    configs = {
        "all default rules (core + england)": Config(),
        "DB001, DB002, SG001 only": Config.from_dict(
            {
                "packs": ["core"],
                "rules": {
                    r.meta.code: {"enabled": False}
                    for r in RuleSet.compile(Config(packs=("core",))).rules
                    if r.meta.code not in {"DB001", "DB002", "SG001"}
                },
            }
        ),
    }
    print(f"{len(incidents)} incidents, evaluated at {AT.isoformat()}, best of {args.repeat}")
    print(f"{'rule set':40} {'seconds':>8} {'incidents/s':>12} {'findings':>9}")
    for name, config in configs.items():
        seconds, findings = best_of(args.repeat, RuleSet.compile(config), incidents)
        print(f"{name:40} {seconds:8.3f} {len(incidents) / seconds:12,.0f} {findings:9,}")


if __name__ == "__main__":
    main()
