"""
Time loading: orjson alone, orjson + structuring, and the whole `read_incidents` path.

Run: ``python benchmarks/bench_loading.py [--n 100000] [--seed 1] [--repeat 3]``. The
synthetic incidents are valid and built by a small seeded generator (no real data).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import orjson

from trauma_incidents.loading import RecordError, make_converter, read_incidents
from trauma_incidents.model import Incident

_START = datetime(2025, 1, 1, tzinfo=timezone.utc)
_CATEGORIES = ["behavioural_distress", "verbal_aggression", "fall", "injury", "self_harm"]
_KINDS = ["verbal_deescalation", "reassurance", "physical_restraint", "distraction"]


def _at(base: datetime, rng: random.Random, max_minutes: int) -> tuple[datetime, str]:
    moment = base + timedelta(minutes=rng.randint(0, max_minutes))
    return moment, moment.isoformat()


def incident(rng: random.Random, number: int) -> dict[str, Any]:
    """One synthetic, valid incident in the compact JSON form."""
    occurred, occurred_text = _at(_START, rng, 500_000)
    record: dict[str, Any] = {
        "id": f"inc-{number:07d}",
        "person_id": f"p-{rng.randint(1, 500):04d}",
        "service_id": f"s-{rng.randint(1, 40):03d}",
        "occurred_at": occurred_text,
        "reported_at": _at(occurred, rng, 120)[1],
        "categories": rng.sample(_CATEGORIES, rng.randint(1, 2)),
        "severity": rng.choice(["no_harm", "low", "moderate"]),
        "setting": rng.choice(["supported_living", "residential_care", "home_care"]),
        "summary": "Synthetic summary text for benchmarking only.",
        "triggers": [{"kind": "sensory", "confirmed": True}],
        "interventions": [_intervention(rng, occurred) for _ in range(rng.randint(0, 3))],
        "debriefs": [
            {"audience": "staff", "status": "held", "at": _at(occurred, rng, 4000)[1]},
            {"audience": "person", "status": "offered", "at": _at(occurred, rng, 4000)[1]},
        ][: rng.randint(0, 2)],
        "notifications": [{"recipient": "family", "sent_at": _at(occurred, rng, 600)[1]}],
        "actions": [
            {"id": f"a{i}", "description": "Synthetic action.", "due": "2026-03-04"}
            for i in range(rng.randint(0, 2))
        ],
    }
    return record


def _intervention(rng: random.Random, occurred: datetime) -> dict[str, Any]:
    started, started_text = _at(occurred, rng, 30)
    return {
        "kind": rng.choice(_KINDS),
        "started_at": started_text,
        "ended_at": _at(started, rng, 20)[1],
        "staff_ids": ["st-1", "st-2"],
    }


def _time(label: str, n: int, repeat: int, run: Callable[[], object]) -> None:
    best = min(_once(run) for _ in range(repeat))
    print(f"{label:<44} {n / best:>10,.0f} incidents/s  ({best:.2f} s)")


def _once(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    """Generate the data, then time each stage of loading."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    lines = [orjson.dumps(incident(rng, i)) for i in range(args.n)]
    data = b"\n".join(lines) + b"\n"
    print(f"{args.n:,} incidents, {len(data) / args.n:.0f} bytes each on average")
    fast = make_converter(detailed_validation=False).get_structure_hook(Incident)
    detailed = make_converter(detailed_validation=True).get_structure_hook(Incident)
    # Results are consumed one by one, as a streaming reader does: a list of 100,000
    # incidents would time the garbage collector's passes over it instead.
    _time("orjson.loads only", args.n, args.repeat, lambda: _each(orjson.loads, lines))
    # The library uses the detailed converter only: the plain one is not measurably faster.
    _time(
        "orjson + structure (not detailed)",
        args.n,
        args.repeat,
        lambda: _each(lambda x: fast(orjson.loads(x), Incident), lines),
    )
    _time(
        "orjson + structure (detailed, as loaded)",
        args.n,
        args.repeat,
        lambda: _each(lambda x: detailed(orjson.loads(x), Incident), lines),
    )
    _time("read_incidents (NDJSON bytes, with checks)", args.n, args.repeat, lambda: _count(data))
    print(f"record errors: {_count(data)}")


def _each(load: Callable[[bytes], object], lines: list[bytes]) -> None:
    for line in lines:
        load(line)


def _count(data: bytes) -> int:
    return sum(isinstance(result, RecordError) for result in read_incidents(data))


if __name__ == "__main__":
    main()
