"""
The governance pack: learning across incidents (GV001-GV004), opt-in.

Cross-incident rules (`trauma_incidents.engine._cross`): each sees every incident known by the time
and the `Context` holding the governance records. Evidence paths starting with ``$`` are in the
finding's incident; ``incidents[ID]...`` names another incident and ``governance.<array>[ID]...``
a governance record. Messages never name a person or a member of staff: keys do.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from trauma_incidents._calendar import LONDON, Duration
from trauma_incidents.governance._records import GovernanceRecords, ReviewScope
from trauma_incidents.model._incident import AnchorPoint, Incident
from trauma_incidents.model._parts import Intervention
from trauma_incidents.model._vocabularies import ReviewKind, TriggerKind
from trauma_incidents.packs._builtin._history import by_person, earliest
from trauma_incidents.rules._context import Context
from trauma_incidents.rules._cross import cross_rule
from trauma_incidents.rules._findings import Evidence, FindingSeverity
from trauma_incidents.rules._metadata import OptionSpec, RuleMeta, within
from trauma_incidents.rules._selectors import Candidate
from trauma_incidents.rules._shapes import Verdict, deadline_verdict, span_after, stamp

_Out = Iterable[tuple[str, Verdict]]
_WINDOW_HELP = "The span the incidents are counted over."


def _day(t: datetime) -> str:
    return t.astimezone(LONDON).date().isoformat()


def _clusters(history: list[Incident], size: int, window: Duration) -> Iterator[list[Incident]]:
    """Runs of *size* incidents within *window*; a new run starts after each one found."""
    run: list[Incident] = []
    for incident in history:
        run = [r for r in run if window.after(r.occurred_at) >= incident.occurred_at]
        run.append(incident)
        if len(run) >= size:
            yield run
            run = []


@cross_rule(
    RuleMeta(
        code="GV001",
        name="repeated-trigger",
        summary=(
            "The same kind of trigger recorded for one person 3 or more times within 28 days,"
            " with no thematic review of that person completed within 14 days of the third."
        ),
        rationale=(
            "A trigger that keeps recurring is a theme, not a string of separate events: a"
            " thematic review looks across the incidents for what the person is communicating"
            " and what in their support needs to change. The thresholds are the library's"
            " defaults (no national figure is set) and can be configured."
        ),
        example=(
            "Sensory triggers for one person on 1, 10 and 20 March, no person thematic review"
            " by 3 April: overdue, key person=P-1;trigger=sensory;window=2026-03-01..2026-03-20."
        ),
        severity=FindingSeverity.MEDIUM,
        sources=("PSIRF-METHODS", "SAF-LEARNING-CULTURE", "NG11-FUNCTION", "NG10-TRIGGERS-EWS"),
        options=(
            OptionSpec("occurrences", "count", 3, "How many incidents make a pattern."),
            OptionSpec("window", "duration", "28d", _WINDOW_HELP),
            within("14d", "How long after the incident completing the pattern a review is due."),
        ),
    )
)
def GV001(  # noqa: N802
    incidents: Sequence[Incident],
    context: Context,
    at: datetime,
    options: Mapping[str, Any],
) -> _Out:
    """Each run of the same trigger kind for one person gets a thematic review of that person."""
    size, window = options["occurrences"], options["window"]
    reviews = _person_reviews(context.records)
    out = []
    for person, history in by_person(incidents).items():
        for kind in TriggerKind:
            if kind is TriggerKind.UNKNOWN:
                continue
            with_kind = [i for i in history if any(t.kind is kind for t in i.triggers)]
            for run in _clusters(with_kind, size, window):
                verdict = _theme_verdict(run, kind, reviews.get(person, []), options, at)
                if verdict is not None:
                    out.append((run[-1].id, verdict))
    return out


def _person_reviews(records: GovernanceRecords) -> dict[str, list[Candidate]]:
    found: dict[str, list[Candidate]] = defaultdict(list)
    for r in records.thematic_reviews:
        if r.scope is ReviewScope.PERSON:
            path = f"governance.thematic_reviews[{r.id}].completed_at"
            found[r.scope_id].append(Candidate(r.completed_at, path))
    return found


def _theme_verdict(
    run: list[Incident],
    kind: TriggerKind,
    reviews: list[Candidate],
    options: Mapping[str, Any],
    at: datetime,
) -> Verdict | None:
    first, last = run[0], run[-1]
    span: Duration = options["within"]
    after = [r for r in reviews if r.at is not None and r.at >= last.occurred_at]
    verdict = deadline_verdict(
        key=f"person={last.person_id};trigger={kind.value};window={_day(first.occurred_at)}"
        f"..{_day(last.occurred_at)}",
        obligation="A thematic review of this person's incidents",
        due=span.after(last.occurred_at),
        basis=AnchorPoint(last.occurred_at, "$.occurred_at"),
        reason=(
            f"{span.describe()} after the incident that made {len(run)} with a {kind.value}"
            f" trigger within {options['window'].describe()}"
        ),
        found=earliest(after, at),
        at=at,
    )
    if verdict is None:
        return None
    earlier = tuple(Evidence(f"incidents[{i.id}].occurred_at", stamp(i.occurred_at)) for i in run)
    return attrs.evolve(verdict, evidence=verdict.evidence + earlier[:-1])


def _ri_times(incident: Incident, at: datetime) -> list[tuple[datetime, int, Intervention]]:
    """Each restrictive intervention started by *at*: its start (else the incident's)."""
    out = []
    for index, iv in incident.restrictive_interventions:
        start = iv.started_at or incident.occurred_at
        if start <= at:
            out.append((start, index, iv))
    return out


@cross_rule(
    RuleMeta(
        code="GV002",
        name="rising-restriction",
        summary=(
            "More restrictive interventions for one person in the 28 days up to the latest one"
            " than in the 28 days before (and at least 2), with no support plan review completed"
            " within 7 days after the latest."
        ),
        rationale=(
            "Restrictive practice is to be reduced over time; a rising count for one person is"
            " the signal that their support plan, not the restriction, needs to change. The"
            " windows count back from the latest intervention, so a finding does not move with"
            " the day a report is run."
        ),
        example=(
            "One restraint in February, three in March for the same person, no support plan"
            " review after the last: overdue 7 days after it ended."
        ),
        severity=FindingSeverity.HIGH,
        sources=(
            "PPC-REDUCE-2Y",
            "RRN-TNA/REDUCTION",
            "PPC-BSP-FOR-AT-RISK",
            "NG11-BSP-COORDINATOR",
        ),
        options=(
            OptionSpec("window", "duration", "28d", _WINDOW_HELP),
            OptionSpec("min_count", "count", 2, "The fewest in the latest window that can rise."),
            within("7d", "How long after the latest restrictive intervention a review is due."),
        ),
    )
)
def GV002(  # noqa: N802
    incidents: Sequence[Incident],
    _context: Context,
    at: datetime,
    options: Mapping[str, Any],
) -> _Out:
    """A rising count of restrictive interventions for one person gets a support plan review."""
    out = []
    for history in by_person(incidents).values():
        found = _rising(history, at, options)
        if found is not None:
            out.append(found)
    return out


def _rising(
    history: list[Incident], at: datetime, options: Mapping[str, Any]
) -> tuple[str, Verdict] | None:
    window: Duration = options["window"]
    times = [(t, incident) for incident in history for t, _, _ in _ri_times(incident, at)]
    if not times:
        return None
    latest_time, latest = max(times, key=lambda pair: pair[0])
    recent = [t for t, _ in times if window.after(t) > latest_time]
    previous = [
        t for t, _ in times if window.after(t) <= latest_time < window.after(window.after(t))
    ]
    if len(recent) <= len(previous) or len(recent) < options["min_count"]:
        return None
    anchor = latest.ri_anchor(at)
    if anchor is None:
        return None
    span: Duration = options["within"]
    verdict = deadline_verdict(
        key=f"person={latest.person_id};window={_day(min(recent))}..{_day(latest_time)}",
        obligation="A support plan review after the latest restrictive intervention",
        due=span.after(anchor.at),
        basis=anchor,
        reason=(
            f"{span_after(span, 'it ended')}; {len(recent)} restrictive interventions in the"
            f" {window.describe()} up to it, {len(previous)} in the {window.describe()} before"
        ),
        found=_support_plan_review(history, latest, anchor.at, at),
        at=at,
    )
    return None if verdict is None else (latest.id, verdict)


def _support_plan_review(
    history: list[Incident], latest: Incident, since: datetime, at: datetime
) -> Candidate | None:
    candidates = [
        Candidate(
            r.completed_at,
            f"{'$' if i is latest else f'incidents[{i.id}]'}.reviews[{n}].completed_at",
        )
        for i in history
        for n, r in enumerate(i.reviews)
        if r.kind is ReviewKind.SUPPORT_PLAN_REVIEW and r.completed_at >= since
    ]
    return earliest(candidates, at)


@cross_rule(
    RuleMeta(
        code="GV003",
        name="learning-shared",
        summary=(
            "An incident with a restrictive intervention that is not discussed at an incident"
            " review meeting within 30 days of the intervention ending."
        ),
        rationale=(
            "Learning from each restrictive intervention is shared beyond the people involved:"
            " an incident review meeting is where themes are seen and actions agreed, and"
            " inspectors look for it as evidence of a learning culture."
        ),
        example="Restraint ended on 2 March; no meeting listing the incident by 1 April: overdue.",
        severity=FindingSeverity.MEDIUM,
        sources=("SAF-LEARNING-CULTURE", "NG11-DOC-REVIEW-EVERY-RI", "PSIRF-AIMS"),
        options=(within("30d"),),
    )
)
def GV003(  # noqa: N802
    incidents: Sequence[Incident],
    context: Context,
    at: datetime,
    options: Mapping[str, Any],
) -> _Out:
    """Each incident with a restrictive intervention is discussed at a review meeting."""
    span: Duration = options["within"]
    meetings: dict[str, list[Candidate]] = defaultdict(list)
    for m in context.records.meetings:
        for incident_id in m.incidents_discussed:
            path = f"governance.meetings[{m.id}].held_at"
            meetings[incident_id].append(Candidate(m.held_at, path))
    out = []
    for incident in incidents:
        anchor = incident.ri_anchor(at) if incident.has_restrictive_by(at) else None
        if anchor is None:
            continue
        held = [c for c in meetings.get(incident.id, []) if c.at and c.at >= incident.occurred_at]
        verdict = deadline_verdict(
            key=None,
            obligation="Discussion at an incident review meeting",
            due=span.after(anchor.at),
            basis=anchor,
            reason=span_after(span, "the restrictive intervention ended"),
            found=earliest(held, at),
            at=at,
        )
        if verdict is not None:
            out.append((incident.id, verdict))
    return out


@cross_rule(
    RuleMeta(
        code="GV004",
        name="reflective-supervision",
        summary=(
            "A member of staff named in a restrictive intervention with no reflective"
            " supervision session on that incident within 28 days (one finding per staff id)."
        ),
        rationale=(
            "Staff who restrict someone's freedom need a safe space to reflect on it: what they"
            " noticed, what else might have helped, and how they are. Supportive oversight,"
            " not blame, is how practice and wellbeing improve."
        ),
        example="ST-1 took part in a restraint on 2 March; no session by 30 March: overdue.",
        severity=FindingSeverity.LOW,
        sources=("SAF-LEARNING-CULTURE", "PSIRF-AIMS", "NG11-DOC-REVIEW-EVERY-RI"),
        options=(within("28d"),),
    )
)
def GV004(  # noqa: N802
    incidents: Sequence[Incident],
    context: Context,
    at: datetime,
    options: Mapping[str, Any],
) -> _Out:
    """Each member of staff in a restrictive intervention reflects on it in supervision."""
    span: Duration = options["within"]
    sessions: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for s in context.records.supervisions:
        for incident_id in s.incidents_reflected_on:
            path = f"governance.supervisions[{s.id}].held_at"
            sessions[s.staff_id, incident_id].append(Candidate(s.held_at, path))
    out = []
    for incident in incidents:
        anchor = incident.ri_anchor(at) if incident.has_restrictive_by(at) else None
        if anchor is None:
            continue
        staff = dict.fromkeys(s for _, _, iv in _ri_times(incident, at) for s in iv.staff_ids)
        for staff_id in staff:
            held = [
                c
                for c in sessions.get((staff_id, incident.id), [])
                if c.at and c.at >= incident.occurred_at
            ]
            verdict = deadline_verdict(
                key=staff_id,
                obligation="A reflective supervision session on the incident",
                due=span.after(anchor.at),
                basis=anchor,
                reason=span_after(span, "the restrictive intervention ended"),
                found=earliest(held, at),
                at=at,
            )
            if verdict is not None:
                out.append((incident.id, verdict))
    return out


RULES = (GV001, GV002, GV003, GV004)
