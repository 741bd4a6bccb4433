"""
What process isolation costs the Monitor: in this process against ``isolate=True``.

    python benchmarks/bench_isolation.py --n 10000 --repeat 3

Generates N incidents with benchmarks/synthetic.py (seeded), then for each backend and
each mode times: starting the monitor, upserting every incident at one time, and advancing
the clock a week (which re-checks every incident still live). Reports the best of the
repeats, and checks that both modes emit the same events.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench_backends import AT, generate
from trauma_incidents import Incident, RuleSet, read_incidents
from trauma_incidents.monitor import Event, Monitor


def run(
    incidents: list[Incident], backend: str, *, isolate: bool
) -> tuple[dict[str, float], list[Event]]:
    """One monitor's timings (seconds) and the events it emitted."""
    ruleset = RuleSet.compile()
    events: list[Event] = []
    start = time.perf_counter()
    monitor = Monitor(ruleset, at=AT, backend=backend, on_event=events.append, isolate=isolate)
    started = time.perf_counter()
    for incident in incidents:
        monitor.upsert(incident)
    upserted = time.perf_counter()
    live = len(monitor)
    monitor.advance(AT + timedelta(days=7))
    advanced = time.perf_counter()
    monitor.close()
    times = {
        "start": started - start,
        "upsert": upserted - started,
        "advance": advanced - upserted,
        "live": live,
    }
    return times, events


def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backends", nargs="+", default=["durable", "python"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = generate(args.n, args.seed, Path(tmp))
        incidents = [r for r in read_incidents(path) if isinstance(r, Incident)]
    print(f"{len(incidents):,} incidents upserted at {AT.isoformat()}, then advanced 7 days")
    print(f"{'backend':8} {'isolate':7} {'start s':>8} {'upsert/s':>9} {'advance/s':>10} {'x':>5}")
    for backend in args.backends:
        base, reference = 0.0, None
        for isolate in (False, True):
            runs = [run(incidents, backend, isolate=isolate) for _ in range(args.repeat)]
            best = {k: min(r[0][k] for r in runs) for k in ("start", "upsert", "advance")}
            reference = reference or runs[0][1]
            if any(r[1] != reference for r in runs):
                msg = f"{backend}: isolate={isolate} emitted other events"
                raise SystemExit(msg)
            work = best["upsert"] + best["advance"]
            base = base or work
            upsert_rate = len(incidents) / best["upsert"]
            advance_rate = runs[0][0]["live"] / best["advance"]
            print(
                f"{backend:8} {isolate!s:7} {best['start']:8.2f} {upsert_rate:9,.0f}"
                f" {advance_rate:10,.0f} {work / base:5.2f}  ({len(reference):,} events)"
            )


if __name__ == "__main__":
    main()
