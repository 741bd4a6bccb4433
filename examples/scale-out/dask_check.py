"""
Check NDJSON incidents with Dask: the same findings as ``trauma-incidents check``.

Each partition of lines is loaded and evaluated by the same compiled `RuleSet`, which
pickles (its rules travel as declarations), so any Dask scheduler can run it: the local
ones for a laptop, a distributed cluster for tens of millions of records.

With support plans (``--plans``), the plans rules (pack ``plans``) also run: they hold each
person's incidents against that person's plan versions, so the incidents are grouped by
person and each group is evaluated with the plans, which go to every worker.

    python examples/scale-out/dask_check.py incidents.ndjson --at 2026-05-01T09:00:00+01:00 \
        --plans support_plans.ndjson
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
    Config,
    Incident,
    IncidentLoadError,
    RuleSet,
    dump_finding,
    load_incident,
)
from trauma_incidents.plans import SupportPlan, SupportPlans, read_support_plans


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
    blocksize: int | str = "64MiB",
    scheduler: str = "processes",
) -> list[dict[str, Any]]:
    """
    Every finding (and bad record) of the NDJSON *paths*, in input order.

    With *plans*, the plans rules' findings follow, person by person (sorted by rule,
    incident and key, as persons' groups come back in no set order).
    """
    ruleset = RuleSet.compile()
    loaded = db.read_text(paths, blocksize=blocksize).map_partitions(load_partition)  # type: ignore[no-untyped-call]
    findings = loaded.map_partitions(check_loaded, ruleset=ruleset, at=at)
    if plans is None:
        return findings.compute(scheduler=scheduler)  # type: ignore[no-any-return]
    by_person = loaded.filter(lambda r: isinstance(r, Incident)).groupby(lambda i: i.person_id)
    only_plans = RuleSet.compile(Config(packs=("plans",)))
    plan_findings = by_person.map(lambda group: check_person(group[1], only_plans, plans, at))
    first, second = dask.compute(findings, plan_findings.flatten(), scheduler=scheduler)  # type: ignore[attr-defined,no-untyped-call]
    return [*first, *sorted(second, key=lambda f: (f["rule"], f["incident_id"], f["key"] or ""))]


def check_person(
    incidents: list[Incident], ruleset: RuleSet, plans: SupportPlans, at: datetime
) -> list[dict[str, Any]]:
    """The findings of *ruleset* (the plans pack) on one person's incidents, with the plans."""
    return [dict(dump_finding(f)) for f in ruleset.evaluate(incidents, at=at, plans=plans).findings]


def main() -> None:
    """Print the findings as NDJSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--at", required=True, help="an ISO time with an offset")
    parser.add_argument("--plans", help="a support plans file (JSON or NDJSON)")
    args = parser.parse_args()
    plans = None
    if args.plans:
        plans = SupportPlans.from_records(
            p for p in read_support_plans(args.plans) if isinstance(p, SupportPlan)
        )
    for row in check_with_dask(args.paths, datetime.fromisoformat(args.at), plans=plans):
        print(json.dumps(row))  # noqa: T201


if __name__ == "__main__":
    main()
