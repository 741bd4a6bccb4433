"""
Check NDJSON incidents with PySpark: the same findings as ``trauma-incidents check``.

Lines are loaded where they lie, keyed by person, and each person's incidents are evaluated
together by the same compiled `RuleSet`, broadcast once with the governance records, the
support plans and the outcome records. Per person is what makes it exact: the cross-incident
rules (the governance and plans packs') and LN005's outcome evidence look only within one
person's history, so a person's incidents must meet in one place. A pack of
your own whose cross rules look across people (a whole service, say) needs its own key.

    python examples/scale-out/spark_check.py incidents.ndjson --at 2026-05-01T09:00:00+01:00
        [--config trauma-incidents.toml] [--governance governance.json] [--plans plans.ndjson]
        [--outcomes outcomes.ndjson]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from trauma_incidents import (
    Config,
    Incident,
    IncidentLoadError,
    RuleSet,
    dump_finding,
    load_incident,
)
from trauma_incidents.governance import GovernanceRecords, read_governance
from trauma_incidents.loading import BadRecord
from trauma_incidents.outcomes import Outcomes, read_outcomes
from trauma_incidents.plans import SupportPlans, read_support_plans

#: What goes to every worker beside the rules: governance records, plans, outcome records.
Shared = tuple[GovernanceRecords, SupportPlans | None, Outcomes | None]

#: One output row: ``(order, row)``; per-incident findings first, in input order.
Row = tuple[tuple[int, int, int], dict[str, Any]]


def load_lines(lines: Iterable[tuple[str, int]]) -> Iterator[tuple[str, tuple[int, Any]]]:
    """Load numbered lines: ``(person_id, (number, incident))``, or a bad line's problems."""
    for line, number in lines:
        if not line.strip():
            continue
        try:
            incident = load_incident(line)
        except IncidentLoadError as e:
            yield "", (number, [p.message for p in e.problems])
        else:
            yield incident.person_id, (number, incident)


def check_person(
    loaded: Iterable[tuple[int, Any]],
    ruleset: RuleSet,
    context: Shared,
    at: datetime,
) -> list[Row]:
    """Evaluate one person's incidents together; bad lines become ``{"error": [...]}`` rows."""
    numbered = sorted(loaded, key=lambda pair: pair[0])
    incidents = [(n, x) for n, x in numbered if isinstance(x, Incident)]
    rows: list[Row] = [((0, n, 0), {"error": x}) for n, x in numbered if isinstance(x, list)]
    line_of = {incident.id: n for n, incident in incidents}
    records, plans, outcomes = context
    report = ruleset.evaluate(
        [x for _, x in incidents], at=at, records=records, plans=plans, outcomes=outcomes
    )
    cross = {r.meta.code for r in ruleset.cross}
    for i, finding in enumerate(report.findings):
        kind = 1 if finding.rule in cross else 0
        rows.append(((kind, line_of[finding.incident_id], i), dict(dump_finding(finding))))
    return rows


def check_with_spark(
    spark: SparkSession,
    paths: str | list[str],
    at: datetime,
    *,
    config: Config | None = None,
    records: GovernanceRecords | None = None,
    plans: SupportPlans | None = None,
    outcomes: Outcomes | None = None,
) -> list[dict[str, Any]]:
    """Every finding (and bad line) of the NDJSON *paths*: per incident in input order, then cross.

    The same findings as ``trauma-incidents check``; the cross-incident rules' findings come
    after the others, ordered by the incident they are about.
    """
    spark_context = spark.sparkContext
    spark_context.addPyFile(__file__)  # the workers unpickle this module's functions by name
    ruleset = spark_context.broadcast(RuleSet.compile(config))
    shared = spark_context.broadcast(
        (records or GovernanceRecords.from_records([]), plans, outcomes)
    )
    lines = spark_context.textFile(paths if isinstance(paths, str) else ",".join(paths))
    rows = (
        lines.zipWithIndex()
        .mapPartitions(load_lines)
        .groupByKey()
        .flatMap(lambda person: check_person(person[1], ruleset.value, shared.value, at))
        .collect()
    )
    return [row for _, row in sorted(rows, key=lambda r: r[0])]


def read_records(path: Path) -> GovernanceRecords:
    """The governance records of *path*; raise `SystemExit` naming the bad ones."""
    return GovernanceRecords.from_records(_good(read_governance(path)))


def read_plans(path: Path) -> SupportPlans:
    """The support plans of *path*; raise `SystemExit` naming the bad ones."""
    return SupportPlans.from_records(_good(read_support_plans(path)))


def read_outcome_records(path: Path) -> Outcomes:
    """The outcome records of *path*; raise `SystemExit` naming the bad ones."""
    return Outcomes.from_records(_good(read_outcomes(path)))


def _good(read: Iterable[Any]) -> list[Any]:
    records = list(read)
    bad = [r for r in records if isinstance(r, BadRecord)]
    if bad:
        raise SystemExit("\n".join(str(b) for b in bad))
    return records


def main() -> None:
    """Print the findings as NDJSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--at", required=True, help="an ISO time with an offset")
    parser.add_argument("--config", type=Path, help="a configuration file")
    parser.add_argument("--governance", type=Path, help="governance records")
    parser.add_argument("--plans", type=Path, help="support plans")
    parser.add_argument("--outcomes", type=Path, help="outcome records ([analysis] extra)")
    args = parser.parse_args()
    spark = SparkSession.builder.appName("trauma-incidents").getOrCreate()
    try:
        found = check_with_spark(
            spark,
            [str(p) for p in args.paths],
            datetime.fromisoformat(args.at),
            config=None if args.config is None else Config.from_file(args.config),
            records=None if args.governance is None else read_records(args.governance),
            plans=None if args.plans is None else read_plans(args.plans),
            outcomes=None if args.outcomes is None else read_outcome_records(args.outcomes),
        )
    finally:
        spark.stop()
    for row in found:
        print(json.dumps(row))  # noqa: T201


if __name__ == "__main__":
    main()
