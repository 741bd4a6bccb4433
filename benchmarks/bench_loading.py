"""
Time loading: orjson alone, orjson + structuring, and the whole `read_incidents` path.

Run: ``python benchmarks/bench_loading.py [--n 100000] [--seed 1] [--repeat 3]``. The
incidents are the seeded synthetic ones of ``benchmarks/synthetic.py`` (no real data), dumped
with `trauma_incidents.loading.dumps`.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import orjson

from _results import Figures, add_option, save
from synthetic import generate
from trauma_incidents.loading import BadRecord, dumps, make_converter, read_incidents
from trauma_incidents.model import Incident


def _time(label: str, n: int, repeat: int, run: Callable[[], object]) -> float:
    best = min(_once(run) for _ in range(repeat))
    print(f"{label:<44} {n / best:>10,.0f} incidents/s  ({best:.2f} s)")
    return n / best


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
    add_option(parser)
    args = parser.parse_args()
    lines = [dumps(incident) for incident in generate(args.n, args.seed)]
    data = b"\n".join(lines) + b"\n"
    print(f"{args.n:,} incidents, {len(data) / args.n:.0f} bytes each on average")
    fast = make_converter(detailed_validation=False).get_structure_hook(Incident)
    detailed = make_converter(detailed_validation=True).get_structure_hook(Incident)
    # Results are consumed one by one, as a streaming reader does: a list of 100,000
    # incidents would time the garbage collector's passes over it instead.
    figures: Figures = {"n": args.n, "bytes_per_record": len(data) / args.n}
    figures["orjson_rate"] = _time(
        "orjson.loads only", args.n, args.repeat, lambda: _each(orjson.loads, lines)
    )
    # The library uses the detailed converter only: the plain one is not measurably faster.
    figures["structure_plain_rate"] = _time(
        "orjson + structure (not detailed)",
        args.n,
        args.repeat,
        lambda: _each(lambda x: fast(orjson.loads(x), Incident), lines),
    )
    figures["structure_rate"] = _time(
        "orjson + structure (detailed, as loaded)",
        args.n,
        args.repeat,
        lambda: _each(lambda x: detailed(orjson.loads(x), Incident), lines),
    )
    figures["read_incidents_rate"] = _time(
        "read_incidents (NDJSON bytes, with checks)", args.n, args.repeat, lambda: _count(data)
    )
    print(f"record errors: {_count(data)}")
    save(args.json, figures)


def _each(load: Callable[[bytes], object], lines: list[bytes]) -> None:
    for line in lines:
        load(line)


def _count(data: bytes) -> int:
    return sum(isinstance(result, BadRecord) for result in read_incidents(data))


if __name__ == "__main__":
    main()
