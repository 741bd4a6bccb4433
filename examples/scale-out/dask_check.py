"""
Check NDJSON incidents with Dask: the same findings as ``trauma-incidents check``.

Each partition of lines is loaded and evaluated by the same compiled `RuleSet`, which
pickles (its rules travel as declarations), so any Dask scheduler can run it: the local
ones for a laptop, a distributed cluster for tens of millions of records.

    python examples/scale-out/dask_check.py incidents.ndjson --at 2026-05-01T09:00:00+01:00
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import dask.bag as db

from trauma_incidents import IncidentLoadError, RuleSet, dump_finding, load_incident


def check_partition(lines: Iterable[str], ruleset: RuleSet, at: datetime) -> list[dict[str, Any]]:
    """Load and evaluate one partition: each finding as a dict, and each bad record."""
    out: list[dict[str, Any]] = []
    for line in lines:
        if not line.strip():
            continue
        try:
            incident = load_incident(line)
        except IncidentLoadError as e:
            out.append({"error": [p.message for p in e.problems]})
            continue
        out += [dict(dump_finding(f)) for f in ruleset.evaluate([incident], at=at).findings]
    return out


def check_with_dask(
    paths: str | list[str],
    at: datetime,
    *,
    blocksize: int | str = "64MiB",
    scheduler: str = "processes",
) -> list[dict[str, Any]]:
    """Every finding (and bad record) of the NDJSON *paths*, in input order."""
    ruleset = RuleSet.compile()
    bag = db.read_text(paths, blocksize=blocksize)  # type: ignore[no-untyped-call]
    return bag.map_partitions(check_partition, ruleset=ruleset, at=at).compute(scheduler=scheduler)  # type: ignore[no-any-return]


def main() -> None:
    """Print the findings as NDJSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--at", required=True, help="an ISO time with an offset")
    args = parser.parse_args()
    for row in check_with_dask(args.paths, datetime.fromisoformat(args.at)):
        print(json.dumps(row))  # noqa: T201


if __name__ == "__main__":
    main()
