"""
The ``demo`` command: the bundled sample incidents, checked at a fixed time, explained.

The sample data is invented. `DEMO_AT` is fixed so that the demo gives the same mix of
findings on every machine and every day: some deadlines still open, most long passed.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from importlib.resources import files

from trauma_incidents._calendar import local_time
from trauma_incidents.cli._catalogue import catalogue
from trauma_incidents.cli._writers import (
    STATUS_ORDER,
    by_rule_lines,
    plural,
    status_counts,
    table,
)
from trauma_incidents.engine._findings_report import Report
from trauma_incidents.engine._ruleset import evaluate
from trauma_incidents.loading import read_incidents
from trauma_incidents.model._incident import Incident
from trauma_incidents.plans import SupportPlan, SupportPlans, read_support_plans
from trauma_incidents.rules._findings import Finding, Status

#: The sample data's file name in the package's ``data`` folder.
SAMPLE = "sample_incidents.ndjson"
#: The sample people's support plans, beside it.
SAMPLE_PLANS = "sample_support_plans.ndjson"
#: When the demo evaluates the sample data: Friday 1 May 2026, 09:00 British Summer Time.
DEMO_AT = datetime.fromisoformat("2026-05-01T09:00:00+01:00")


def demo() -> str:
    """Check the sample incidents, with their plans, at `DEMO_AT`: the summary for people."""
    folder = files("trauma_incidents") / "data"
    records = list(read_incidents((folder / SAMPLE).read_bytes(), source_name=SAMPLE))
    incidents = [r for r in records if isinstance(r, Incident)]
    found = read_support_plans((folder / SAMPLE_PLANS).read_bytes(), source_name=SAMPLE_PLANS)
    plans = SupportPlans.from_records(p for p in found if isinstance(p, SupportPlan))
    report = evaluate(incidents, at=DEMO_AT, plans=plans)
    names = {e.meta.code: e.meta.name for e in catalogue()}
    unreadable = len(records) - len(incidents)
    return demo_text(report, names, len(incidents), unreadable, plans=plans)


#: What each status means, for people reading the demo.
STATUS_NOTES = {
    Status.OVERDUE: "its deadline has passed and nothing is recorded: act on these first.",
    Status.DUE: "open, with time left: the deadline is shown; nothing is wrong yet.",
    Status.LATE: "done, but after the deadline: worth a look for learning, not blame.",
    Status.MISSING: "a detail the record should hold is absent (no deadline).",
    Status.UNKNOWN: "the rule cannot decide until a field is recorded; the message names it.",
    Status.CONCERN: "a practice to talk about as a team, such as the words a record uses.",
}


def demo_text(
    report: Report,
    names: dict[str, str],
    read: int,
    unreadable: int,
    *,
    plans: SupportPlans | None = None,
) -> str:
    """The ``demo`` summary: counts by status and rule, the overdue findings, what they mean."""
    statuses = Counter(f.status for f in report.findings)
    rules = Counter(f.rule for f in report.findings)
    overdue = sorted(report.with_status(Status.OVERDUE), key=_due)
    lines = [
        (
            f"Checked {plural(read, 'sample incident')} (invented data, bundled with the"
            f" library) at {local_time(report.at)}, with the default packs (core, england,"
            " plans)"
            + (
                f" and the sample support plans ({plural(len(plans), 'version')} for"
                f" {len(plans.people)} {'person' if len(plans.people) == 1 else 'people'})."
                if plans is not None
                else "."
            )
        ),
        *([f"{plural(unreadable, 'record')} could not be read."] if unreadable else []),
        "",
        f"Findings by status: {status_counts(statuses)}",
        "",
        "Findings by rule:",
        *by_rule_lines(rules, names),
        "",
        f"Overdue, oldest deadline first ({len(overdue)}):",
        *(table([_overdue_row(f, names) for f in overdue]).splitlines() if overdue else ["  none"]),
        "",
        "What the statuses mean:",
        *(f"  {s.value}: {STATUS_NOTES[s]}" for s in STATUS_ORDER if statuses[s]),
        "",
        "Notes:",
        (
            "  Findings name the rule, the field and the deadline; they never repeat what a"
            " record says in its own words."
        ),
        "  A person declining a debrief is their choice: only a missed re-offer is flagged.",
        f"  Explain any rule with: trauma-incidents explain {_first(rules) or 'DB001'}",
        "  Check your own data with: trauma-incidents check FILE.ndjson --format table",
    ]
    return "\n".join(lines) + "\n"


def _overdue_row(f: Finding, names: dict[str, str]) -> tuple[str, ...]:
    return ("  " + f.incident_id, f.rule, names.get(f.rule, ""), f.message)


def _due(f: Finding) -> tuple[datetime, str]:
    """Oldest deadline first; ties in incident order."""
    return (f.due_at or DEMO_AT, f.incident_id)


def _first(rules: Counter[str]) -> str | None:
    return rules.most_common(1)[0][0] if rules else None
