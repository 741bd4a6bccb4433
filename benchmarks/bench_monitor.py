"""
The Monitor as a service holds it: tick cost against held incidents, snapshot and restart.

    python benchmarks/bench_monitor.py --n 10000 20000 100000

For each N, ordinary synthetic incidents (seeded) that occurred over the 3 days before the
monitor's clock are upserted one by one until it holds N (most still have a deadline ahead;
the rest are released). Then, with every default rule (core and england), python backend:

- quiet tick: 1,000 calls of ``advance`` to times before ``next_change_at`` (nothing is
  due): median, 99th percentile and slowest;
- snapshot: writing it, its size; restore: reading it back into a new monitor; and, to
  compare, a restart without it: each held incident loaded from JSON and upserted;
- from_findings: starting from the findings the events built, plus its first ``advance``
  (which re-checks every incident given and announces nothing new);
- busy ticks: advancing one minute, one hour and one day, with how many incidents each
  re-checks; then a year, after which every incident has settled (overdue ones too).
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

from trauma_incidents import Incident, RuleSet, load_incident
from trauma_incidents.loading import dumps
from trauma_incidents.monitor import Event, Monitor, replay
from trauma_incidents.testing._ordinary import Ordinary
from trauma_incidents.testing._synthetic_parts import PEOPLE

AT = datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)
#: Incidents occur over the days before `AT`: recent enough that most still have a deadline.
DAYS = 3
START = AT - timedelta(days=DAYS)
QUIET_TICKS = 1000


def incidents(seed: int) -> Iterator[Incident]:
    """Ordinary incidents over the `DAYS` days before `AT`, without end."""
    ordinary = Ordinary(random.Random(seed), PEOPLE, START, days=DAYS)
    for i in itertools.count():
        yield ordinary.next(f"{i:07d}")


def quiet_ticks(monitor: Monitor) -> list[float]:
    """Seconds per `advance` to times before the next change, nothing due."""
    upcoming = monitor.next_change_at()
    assert upcoming is not None  # noqa: S101 (a benchmark's own precondition)
    step = (upcoming - monitor.now) / (QUIET_TICKS + 1)
    times = []
    for i in range(1, QUIET_TICKS + 1):
        to = monitor.now + step if i < QUIET_TICKS else upcoming - timedelta(microseconds=1)
        start = time.perf_counter()
        events = monitor.advance(to)
        times.append(time.perf_counter() - start)
        assert not events  # noqa: S101
    return times


def run(n: int, seed: int) -> None:
    """Measure N held incidents and print the rows."""
    ruleset = RuleSet.compile()
    events: list[Event] = []
    monitor = Monitor(ruleset, at=AT, on_event=events.append)
    batch: list[Incident] = []
    start = time.perf_counter()
    for incident in incidents(seed):
        if len(monitor) == n:
            break
        monitor.upsert(incident)
        batch.append(incident)
    took = time.perf_counter() - start
    print(f"| {n:,} | upsert {len(batch):,} to hold {n:,} | {took:.2f} s |")

    ticks = quiet_ticks(monitor)
    median = statistics.median(ticks) * 1e6
    p99, worst = statistics.quantiles(ticks, n=100)[98] * 1e6, max(ticks) * 1e6
    print(
        f"| {n:,} | a tick where nothing is due |"
        f" median {median:.1f} µs, 99th percentile {p99:.1f} µs, slowest {worst:.0f} µs |"
    )

    start = time.perf_counter()
    snapshot = monitor.snapshot()
    took = time.perf_counter() - start
    print(f"| {n:,} | snapshot | {took:.2f} s, {len(snapshot) / 1e6:.1f} MB |")
    start = time.perf_counter()
    Monitor.restore(snapshot, ruleset)
    took = time.perf_counter() - start
    print(f"| {n:,} | restore | {took:.2f} s |")

    rows = [dumps(i) for i in batch if monitor.findings_for(i.id) is not None]
    start = time.perf_counter()  # a restart before snapshots: load each from JSON, upsert it
    refed = Monitor(ruleset, at=monitor.now)
    for row in rows:
        refed.upsert(load_incident(row))
    took = time.perf_counter() - start
    print(f"| {n:,} | instead, each held incident loaded from JSON and upserted | {took:.2f} s |")

    stored = replay(events)
    start = time.perf_counter()
    again = Monitor.from_findings(ruleset, batch, stored.values(), at=monitor.now)
    first = again.advance(monitor.now)
    took = time.perf_counter() - start
    news = sum(e.finding_id is not None for e in first)
    print(f"| {n:,} | from_findings and its first advance | {took:.2f} s; {news} finding events |")

    for label, span in (("1 minute", 60), ("1 hour", 3600), ("1 day", 86400)):
        due = len(monitor._schedule.due(monitor.now + timedelta(seconds=span)))  # noqa: SLF001
        start = time.perf_counter()
        monitor.advance(monitor.now + timedelta(seconds=span))
        took = time.perf_counter() - start
        print(f"| {n:,} | a tick of {label} | {took * 1e3:.1f} ms; {due:,} re-checked |")

    monitor.advance(AT.replace(year=AT.year + 1))
    upcoming = monitor.next_change_at()
    print(f"| {n:,} | a year later | {len(monitor):,} held; next change: {upcoming} |")


def main() -> int:
    """Run each N in turn."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print("| held | what | result |\n|---|---|---|")
    for n in args.n:
        run(n, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
