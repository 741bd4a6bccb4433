"""
The evidence report's content, as plain data: figures, charts, obligations and examples.

Everything a template shows is decided here, and nothing here carries free text: incidents
give ids (pseudonymised unless real ids are asked for), vocabulary values, times and counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from statistics import median
from typing import Any

import attrs
from attrs import frozen

from trauma_incidents._calendar import LONDON, local_time
from trauma_incidents.analysis._breakdowns import WEEKDAYS, in_period
from trauma_incidents.analysis._plans import new_triggers, plan_coverage
from trauma_incidents.analysis._pseudonyms import pseudonym
from trauma_incidents.analysis._thematic import Analysis, analyse
from trauma_incidents.analysis._timeliness import Timeliness
from trauma_incidents.config import DEFAULT_PACKS, Config
from trauma_incidents.engine._ruleset import RuleSet
from trauma_incidents.errors import MissingExtraError
from trauma_incidents.governance._records import GovernanceRecords
from trauma_incidents.model._incident import Incident
from trauma_incidents.model._parts import Action
from trauma_incidents.model._vocabularies import Outcome
from trauma_incidents.outcomes._records import Outcomes
from trauma_incidents.plans._records import SupportPlans
from trauma_incidents.report._changes import changes_section
from trauma_incidents.report._svg import grouped_bars, hbars
from trauma_incidents.rules._findings import Finding, Status

__all__ = ["ReportOptions", "build_report"]

_MAX_OBLIGATIONS = 60
_MAX_EXAMPLES = 4


@frozen(kw_only=True)
class ReportOptions:
    """
    What the report covers and how it names people.

    Attributes:
        start: First day of the period (Europe/London).
        end: Last day of the period.
        at: The time obligations are judged at (the end of the period, unless given).
        key: The pseudonymisation key.
        service_id: Only this service, if given.
        real_ids: Show real ids instead of pseudonyms (still never free text).
        one_off_key: Whether *key* was made for this run only (said in the report).
    """

    start: date
    end: date
    at: datetime
    key: bytes
    service_id: str | None = None
    real_ids: bool = False
    one_off_key: bool = False


@frozen
class _Ids:
    key: bytes
    real: bool

    def __call__(self, value: str, kind: str) -> str:
        return value if self.real else pseudonym(value, key=self.key, kind=kind)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{round(100 * value)}%"


def _words(value: str) -> str:
    return value.replace("_", " ")


def build_report(
    incidents: Sequence[Incident],
    *,
    options: ReportOptions,
    records: GovernanceRecords | None = None,
    plans: SupportPlans | None = None,
    outcomes: Outcomes | None = None,
    unreadable: int = 0,
) -> dict[str, Any]:
    """
    The report's content for *incidents* (all of them; the period is chosen here).

    With *records* the governance pack runs, and with *plans* the plans pack runs and the
    report has its support plans section.

    With *plans* and *outcomes*, "Did the changes work?" compares support plan versions
    too, and activities, distress and anxiety as well as incident rates. With *outcomes*
    the findings are those of ``check --outcomes`` (LN005 weighs them), when SciPy is
    installed (without it, as without outcomes: the section says SciPy is needed).
    """
    ids = _Ids(options.key, options.real_ids)
    service = [i for i in incidents if options.service_id in (None, i.service_id)]
    chosen = in_period(service, start=options.start, end=options.end)
    analysis = analyse(chosen, at=options.at, start=options.start, end=options.end)
    every = _findings(service, options.at, records, plans, outcomes)
    findings = _open(every)
    return {
        "title": "Incident learning and governance evidence",
        "period": f"{options.start.isoformat()} to {options.end.isoformat()}",
        "service": options.service_id or "all services",
        "at": local_time(options.at),
        "privacy": _privacy(options),
        "headlines": _headlines(analysis, findings),
        "charts": _charts(analysis),
        "months": [attrs.asdict(m) for m in analysis.months],
        "restrictive": _restrictive(analysis, ids),
        "timeliness": [_timeliness_row(t) for t in analysis.timeliness],
        "explanations": analysis.explanations.row() | _pcts(analysis.explanations.row()),
        "obligations": _obligations(findings, ids),
        "actions": analysis.actions.row() | _pcts(analysis.actions.row()),
        "examples": _examples(chosen, ids, options.at),
        "governance": _governance(records, chosen, options),
        "plans": _plans(plans, chosen, every, ids, options.at),
        "changes": changes_section(
            service,
            start=options.start,
            end=options.end,
            at=options.at,
            plans=plans,
            outcomes=outcomes,
            ids=ids,
        ),
        "data": {"incidents": len(chosen), "all_read": len(incidents), "unreadable": unreadable},
    }


def _pcts(row: dict[str, Any]) -> dict[str, str]:
    return {f"{k}_pct": _pct(v) for k, v in row.items() if k.startswith("share_")}


def _privacy(options: ReportOptions) -> str:
    if options.real_ids:
        return "Real ids are shown (--real-ids). No free text from any record is shown."
    note = (
        "People, staff and incidents are shown by keyed pseudonyms (P~, ST~, IN~); the same key"
        " gives the same pseudonyms in every export. No free text from any record is shown."
    )
    if options.one_off_key:
        note += " These pseudonyms were made with a one-off key and link to no other export."
    return note


def _findings(
    incidents: Sequence[Incident],
    at: datetime,
    records: GovernanceRecords | None,
    plans: SupportPlans | None,
    outcomes: Outcomes | None,
) -> tuple[Finding, ...]:
    """
    Every finding of the default packs, with ``governance`` when records are given.

    With *outcomes* LN005 weighs them, unless SciPy is missing (then as without them).
    """
    packs = (*DEFAULT_PACKS, "governance") if records is not None else DEFAULT_PACKS
    ruleset = RuleSet.compile(Config(packs=packs))
    try:
        report = ruleset.evaluate(incidents, at=at, records=records, plans=plans, outcomes=outcomes)
    except MissingExtraError:  # "Did the changes work?" names the extra
        report = ruleset.evaluate(incidents, at=at, records=records, plans=plans)
    return report.findings


def _open(findings: Sequence[Finding]) -> list[Finding]:
    """The due and overdue findings, overdue first, by deadline."""
    found = [f for f in findings if f.status in {Status.DUE, Status.OVERDUE}]
    far = datetime.max.replace(tzinfo=LONDON)
    return sorted(found, key=lambda f: (f.status is not Status.OVERDUE, f.due_at or far, f.rule))


def _headlines(a: Analysis, findings: list[Finding]) -> list[dict[str, str]]:
    by_rule = {t.rule: t for t in a.timeliness}
    statuses = Counter(f.status for f in findings)
    with_ri = sum(m.with_restrictive for m in a.months)
    return [
        {"label": "Incidents", "value": str(a.incidents), "note": f"{a.people} people supported"},
        {
            "label": "Restrictive interventions",
            "value": str(a.restrictive_interventions),
            "note": f"in {with_ri} incidents",
        },
        {
            "label": "Staff debriefs on time",
            "value": _pct(by_rule["DB001"].share_on_time),
            "note": f"within {by_rule['DB001'].within} of the intervention",
        },
        {
            "label": "Post-incident reviews on time",
            "value": _pct(by_rule["RI001"].share_on_time),
            "note": f"within {by_rule['RI001'].within}",
        },
        {
            "label": "Overdue obligations",
            "value": str(statuses[Status.OVERDUE]),
            "note": f"{statuses[Status.DUE]} more due, not yet late",
        },
        {
            "label": "Learning actions effective",
            "value": _pct(a.actions.share_effective),
            "note": f"{a.actions.completed} of {a.actions.actions} actions completed",
        },
        {
            "label": "Safeguarding stages explained",
            "value": _pct(a.explanations.share_in_time),
            "note": f"within {a.explanations.within} of each stage",
        },
    ]


def _charts(a: Analysis) -> dict[str, str]:
    triggers = [(_words(v), n) for v, n in a.breakdowns["trigger_kind"].counts]
    hours = a.breakdowns["hour"].counts
    days = a.breakdowns["weekday"].counts
    return {
        "trend": grouped_bars(
            "Incidents and restrictive interventions by month",
            [m.month for m in a.months],
            {
                "incidents": [m.incidents for m in a.months],
                "restrictive interventions": [m.restrictive_interventions for m in a.months],
            },
        ),
        "triggers": hbars("Incidents by trigger kind", triggers),
        "hours": grouped_bars(
            "Incidents by hour of day (UK time)", [h for h, _ in hours], {"": [n for _, n in hours]}
        ),
        "weekdays": grouped_bars(
            "Incidents by day of week",
            [d[:3] for d in WEEKDAYS],
            {"": [n for _, n in days]},
            height=180,
        ),
    }


def _restrictive(a: Analysis, ids: _Ids) -> dict[str, Any]:
    months = [m.month for m in a.months]
    per_person: dict[str, Counter[str]] = {}
    kinds: dict[str, Counter[str]] = {}
    for r in a.restrictive:
        per_person.setdefault(r.person_id, Counter())[r.month] += r.count
        kinds.setdefault(r.person_id, Counter())[_words(r.kind)] += r.count
    rows = []
    for person, counts in sorted(per_person.items(), key=lambda p: -p[1].total()):
        series = [counts[m] for m in months]
        change = series[-1] - series[-2] if len(series) > 1 else 0
        rows.append(
            {
                "person": ids(person, "person"),
                "counts": series,
                "total": sum(series),
                "kinds": ", ".join(f"{k} {n}" for k, n in sorted(kinds[person].items())),
                "change": "fewer" if change < 0 else "more" if change > 0 else "same",
            }
        )
    return {"months": months, "rows": rows}


def _timeliness_row(t: Timeliness) -> dict[str, Any]:
    hours = "-" if t.median_hours is None else f"{t.median_hours:.1f} h"
    return t.row() | {"share_pct": _pct(t.share_on_time), "median": hours}


def _subject(f: Finding, ids: _Ids) -> str:
    key = f.key or ""
    if f.rule == "GV004":
        return ids(key, "staff")
    if key.startswith("person="):
        person = key.split(";", 1)[0].removeprefix("person=")
        return ids(person, "person")
    return "-"


def _obligations(findings: list[Finding], ids: _Ids) -> dict[str, Any]:
    by_rule = Counter((f.rule, f.status.value) for f in findings)
    rows = [
        {
            "rule": f.rule,
            "incident": ids(f.incident_id, "incident"),
            "subject": _subject(f, ids),
            "status": f.status.value,
            "due": local_time(f.due_at),
        }
        for f in findings[:_MAX_OBLIGATIONS]
    ]
    summary = [
        {"rule": rule, "overdue": by_rule[rule, "overdue"], "due": by_rule[rule, "due"]}
        for rule in sorted({f.rule for f in findings})
    ]
    return {"rows": rows, "summary": summary, "more": max(0, len(findings) - _MAX_OBLIGATIONS)}


def _examples(incidents: list[Incident], ids: _Ids, at: datetime) -> list[dict[str, str]]:
    def learned(i: Incident) -> bool:
        return any(r.completed_at <= at and (r.root_causes or r.changes) for r in i.reviews)

    def effective(i: Incident) -> bool:
        return any(_assessed(a, at) is Outcome.EFFECTIVE for a in i.actions)

    chosen = sorted(
        (i for i in incidents if learned(i)), key=lambda i: (not effective(i), i.occurred_at)
    )
    return [_example(i, ids, at) for i in chosen[:_MAX_EXAMPLES]]


def _assessed(action: Action, at: datetime) -> Outcome | None:
    eff = action.effectiveness
    return eff.outcome if eff is not None and eff.assessed_at <= at else None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _example(i: Incident, ids: _Ids, at: datetime) -> dict[str, str]:
    reviews = [r for r in i.reviews if r.completed_at <= at]
    reviewed = "; ".join(
        f"{_words(r.kind.value)} with {_plural(len(r.root_causes), 'root cause')}"
        f" and {_plural(len(r.changes), 'change')}"
        for r in reviews
    )
    done = [a for a in i.actions if a.completed_at is not None and a.completed_at <= at]
    outcomes = Counter(o.value for a in i.actions if (o := _assessed(a, at)) is not None)
    evidenced = sum(
        1
        for a in i.actions
        if _assessed(a, at) is not None and a.effectiveness and a.effectiveness.evidence
    )
    return {
        "incident": ids(i.id, "incident"),
        "date": i.occurred_at.astimezone(LONDON).date().isoformat(),
        "kind": ", ".join(_words(c.value) for c in i.categories)
        + ("; restrictive intervention" if i.restrictive_interventions else ""),
        "reviewed": reviewed,
        "changed": f"{_plural(sum(len(r.changes) for r in reviews), 'change')} recorded;"
        f" {_plural(len(i.actions), 'learning action')}, {len(done)} completed",
        "effectiveness": (
            ", ".join(f"{_words(k)} {n}" for k, n in sorted(outcomes.items()))
            + f" ({_plural(evidenced, 'assessment')} with evidence recorded)"
            if outcomes
            else "not yet assessed"
        ),
    }


def _governance(
    records: GovernanceRecords | None, incidents: list[Incident], options: ReportOptions
) -> dict[str, Any]:
    if records is None:
        return {"given": False}

    def in_period(t: datetime) -> bool:
        return options.start <= t.astimezone(LONDON).date() <= options.end and t <= options.at

    meetings = [
        m
        for m in records.meetings
        if in_period(m.held_at) and options.service_id in (None, m.service_id)
    ]
    sessions = [s for s in records.supervisions if in_period(s.held_at)]
    reviews = [r for r in records.thematic_reviews if in_period(r.completed_at)]
    discussed = {
        i for m in records.meetings if m.held_at <= options.at for i in m.incidents_discussed
    }
    with_ri = [i for i in incidents if i.restrictive_interventions]
    return {
        "given": True,
        "meetings": len(meetings),
        "themes": sum(len(m.themes) for m in meetings),
        "actions_agreed": sum(len(m.actions_agreed) for m in meetings),
        "supervisions": len(sessions),
        "staff": len({s.staff_id for s in sessions}),
        "thematic_reviews": len(reviews),
        "thematic_changes": sum(len(r.changes) for r in reviews),
        "ri_incidents": len(with_ri),
        "ri_discussed": sum(1 for i in with_ri if i.id in discussed),
    }


def _plans(
    plans: SupportPlans | None,
    incidents: list[Incident],
    findings: Sequence[Finding],
    ids: _Ids,
    at: datetime,
) -> dict[str, Any]:
    """The support plans section: coverage, reviews, unauthorised restrictions, new triggers."""
    if plans is None:
        return {"given": False}
    coverage = plan_coverage(incidents, plans, at)
    chosen = {i.id for i in incidents}
    unauthorised = [f for f in findings if f.rule == "PL002" and f.incident_id in chosen]
    learned = new_triggers(incidents, plans, at)
    days = [t.days for t in learned if t.days is not None]
    return {
        "given": True,
        "coverage": coverage.row() | {"share_pct": _pct(coverage.share_restrictive_with_plan)},
        "people": [
            {
                "person": ids(r.person_id, "person"),
                "restrictive": r.restrictive_interventions,
                "without_plan": r.restrictive_without_plan,
                "plan": "in force" if r.plan_id is not None else "none",
                "review_by": local_time(r.review_by) if r.review_by is not None else "-",
                "past_review": "yes" if r.past_review else "no",
            }
            for r in coverage.rows
            if r.restrictive_interventions or r.plan_id is not None
        ],
        "unauthorised": [
            {
                "incident": ids(f.incident_id, "incident"),
                "intervention": f.key or "-",
                "message": f.message,
            }
            for f in unauthorised
        ],
        "triggers": [
            {
                "person": ids(t.person_id, "person"),
                "incident": ids(t.incident_id, "incident"),
                "kind": _words(t.kind),
                "learned": "not yet" if t.days is None else f"after {t.days:.0f} days",
            }
            for t in learned
        ],
        "learned": len(days),
        "median_days": "-" if not days else f"{median(days):.0f}",
    }
