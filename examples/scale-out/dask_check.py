"""
Check NDJSON incidents with Dask: the same findings as ``trauma-incidents check``.

Each partition of lines is loaded and evaluated by the same compiled `RuleSet`, which
pickles (its rules travel as declarations), so any Dask scheduler can run it: the local
ones for a laptop, a distributed cluster for tens of millions of records.

With support plans (``--plans``) the plans rules (pack ``plans``) also run: they hold each
person's incidents against that person's plan versions. With outcome records
(``--outcomes``, the ``[analysis]`` extra) LN005 weighs what they and the person's other
incidents show about each learning action. Either needs a person's incidents together, so
the incidents are grouped by person and each group is evaluated with the plans and the
outcome records, which go to every worker.

    python examples/scale-out/dask_check.py incidents.ndjson --at 2026-05-01T09:00:00+01:00 \
        --plans support_plans.ndjson --outcomes outcomes.ndjson
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import dask
import dask.bag as db

from trauma_incidents import (
    Incident,
    IncidentLoadError,
    RuleSet,
    dump_finding,
    load_incident,
)
from trauma_incidents.loading import BadRecord
from trauma_incidents.outcomes import Outcomes, read_outcomes
from trauma_incidents.plans import SupportPlans, read_support_plans

#: Where a record was in the input: its partition and its place in it.
Position = tuple[int, int]


def load_partition(lines: Iterable[str]) -> list[Incident | dict[str, Any]]:
    """Load one partition: each incident, or a dict naming a bad record's problems."""
    out: list[Incident | dict[str, Any]] = []
    for line in lines:
        if not line.strip():
            continue
        try:
            out.append(load_incident(line))
        except IncidentLoadError as e:
            out.append({"error": [p.message for p in e.problems]})
    return out


def check_partition(lines: Iterable[str], ruleset: RuleSet, at: datetime) -> list[dict[str, Any]]:
    """Load and evaluate one partition: each finding as a dict, and each bad record."""
    return check_loaded(load_partition(lines), ruleset, at)


def check_loaded(
    records: Iterable[Incident | dict[str, Any]], ruleset: RuleSet, at: datetime
) -> list[dict[str, Any]]:
    """Evaluate one loaded partition: each finding as a dict, and each bad record."""
    out: list[dict[str, Any]] = []
    for record in records:
        if isinstance(record, dict):
            out.append(record)
            continue
        out += [dict(dump_finding(f)) for f in ruleset.evaluate([record], at=at).findings]
    return out


def check_with_dask(
    paths: str | list[str],
    at: datetime,
    *,
    plans: SupportPlans | None = None,
    outcomes: Outcomes | None = None,
    blocksize: int | str = "64MiB",
    scheduler: str = "processes",
) -> list[dict[str, Any]]:
    """
    Every finding (and bad record) of the NDJSON *paths*, in input order.

    With *plans* or *outcomes*, each person's incidents are evaluated together, and the
    cross-incident rules' findings follow the others, ordered by the incident they are about.
    """
    ruleset = RuleSet.compile()
    lines = db.read_text(paths, blocksize=blocksize)  # type: ignore[no-untyped-call]
    if plans is None and outcomes is None:
        findings = lines.map_partitions(load_partition).map_partitions(
            check_loaded, ruleset=ruleset, at=at
        )
        return findings.compute(scheduler=scheduler)  # type: ignore[no-any-return]
    parts = lines.to_delayed()
    loaded = db.from_delayed(  # type: ignore[no-untyped-call]
        [dask.delayed(placed)(part, k) for k, part in enumerate(parts)]  # type: ignore[attr-defined]
    )
    bad = loaded.filter(lambda r: isinstance(r[1], dict)).map(lambda r: ((0, r[0], 0), r[1]))
    by_person = loaded.filter(lambda r: isinstance(r[1], Incident)).groupby(
        lambda r: r[1].person_id
    )
    rows = by_person.map(lambda group: check_person(group[1], ruleset, plans, outcomes, at))
    first, second = dask.compute(bad, rows.flatten(), scheduler=scheduler)  # type: ignore[attr-defined,no-untyped-call]
    return [row for _, row in sorted([*first, *second], key=lambda r: r[0])]


def placed(lines: Iterable[str], partition: int) -> list[tuple[Position, Any]]:
    """Load partition number *partition*, each record with its position in the input."""
    return [((partition, n), r) for n, r in enumerate(load_partition(lines))]


def check_person(
    placed: Iterable[tuple[Position, Incident]],
    ruleset: RuleSet,
    plans: SupportPlans | None,
    outcomes: Outcomes | None,
    at: datetime,
) -> list[tuple[tuple[int, Position, int], dict[str, Any]]]:
    """
    One person's incidents evaluated together, with the plans and the outcome records.

    Each finding comes with where it goes in the output: per-incident findings (0) before
    cross-incident ones (1), each by the position of its incident, then in report order.
    """
    ordered = sorted(placed, key=lambda pair: pair[0])
    position = {incident.id: at_ for at_, incident in reversed(ordered)}
    report = ruleset.evaluate(
        [incident for _, incident in ordered], at=at, plans=plans, outcomes=outcomes
    )
    cross = {r.meta.code for r in ruleset.cross}
    return [
        ((int(f.rule in cross), position[f.incident_id], i), dict(dump_finding(f)))
        for i, f in enumerate(report.findings)
    ]


def _good(read: Iterable[Any]) -> list[Any]:
    """The good records of a reader (a bad one is skipped, as ``report`` skips it)."""
    return [r for r in read if not isinstance(r, BadRecord)]


def main() -> None:
    """Print the findings as NDJSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--at", required=True, help="an ISO time with an offset")
    parser.add_argument("--plans", help="a support plans file (JSON or NDJSON)")
    parser.add_argument("--outcomes", help="an outcome records file (JSON or NDJSON)")
    args = parser.parse_args()
    plans = SupportPlans.from_records(_good(read_support_plans(args.plans))) if args.plans else None
    outcomes = Outcomes.from_records(_good(read_outcomes(args.outcomes))) if args.outcomes else None
    at = datetime.fromisoformat(args.at)
    for row in check_with_dask(args.paths, at, plans=plans, outcomes=outcomes):
        print(json.dumps(row))  # noqa: T201


if __name__ == "__main__":
    main()
