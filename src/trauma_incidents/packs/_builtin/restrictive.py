"""Core rules on restrictive interventions: reviews, records and practices (RI001-RI006)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from trauma_incidents.model._incident import Incident
from trauma_incidents.model._parts import Intervention
from trauma_incidents.model._vocabularies import InterventionKind, Position, ReviewKind
from trauma_incidents.rules._episodes import EPISODE_GAP, ongoing
from trauma_incidents.rules._findings import Evidence, FindingSeverity, Status
from trauma_incidents.rules._items import ConcernRule, ItemPattern, lacking
from trauma_incidents.rules._metadata import Change, RuleMeta, within
from trauma_incidents.rules._selectors import Anchor, ReviewMatch, When
from trauma_incidents.rules._shapes import DeadlineRule, Verdict, rule, stamp

_RI = (When(restrictive=True),)
_PER_EPISODE = Change(
    "2.0",
    "One finding per restrictive episode (interventions within episode_gap of each other),"
    " keyed by its first intervention's index instead of null; it counts from that episode's"
    " end, and only a review completed at or after that end counts. A later restraint no"
    " longer turns an overdue review back into due.",
)

RI001 = DeadlineRule(
    meta=RuleMeta(
        code="RI001",
        name="post-incident-review",
        summary=(
            "A restrictive episode with no post-incident review or after action review"
            " completed within 72 hours of it ending (one finding per episode)."
        ),
        rationale=(
            "Every use of a restrictive intervention gets a documented review, to learn and to"
            " reduce future use; a formal review within 72 hours is the benchmark."
        ),
        example="Restraint ended on 2 March; no post_incident_review by 5 March: overdue.",
        severity=FindingSeverity.HIGH,
        sources=("NG11-DOC-REVIEW-EVERY-RI", "NG10-REVIEW-72H", "DEBRIEF-BENCHMARKS"),
        options=(within("72h"), EPISODE_GAP),
        changes=(_PER_EPISODE,),
    ),
    when=_RI,
    anchor=Anchor.RI_EPISODE_END,
    evidence=ReviewMatch(
        kinds=frozenset({ReviewKind.POST_INCIDENT_REVIEW, ReviewKind.AFTER_ACTION_REVIEW})
    ),
    obligation="A post-incident or after action review",
)

RI002 = DeadlineRule(
    meta=RuleMeta(
        code="RI002",
        name="support-plan-review",
        summary=(
            "A restrictive episode with no support plan review completed within 7 days of its"
            " end (one finding per episode)."
        ),
        rationale=(
            "Everyone at risk of restrictive interventions has a behaviour support plan, and it is"
            " reviewed after one is used so that the plan, not the restriction, changes."
        ),
        example="Restraint ended on 2 March; no support_plan_review by 9 March: overdue.",
        severity=FindingSeverity.HIGH,
        sources=("NG11-BSP-COORDINATOR", "PPC-BSP-FOR-AT-RISK", "NG11-DOC-REVIEW-EVERY-RI"),
        options=(within("7d"), EPISODE_GAP),
        changes=(_PER_EPISODE,),
    ),
    when=_RI,
    anchor=Anchor.RI_EPISODE_END,
    evidence=ReviewMatch(kinds=frozenset({ReviewKind.SUPPORT_PLAN_REVIEW})),
    obligation="A support plan review",
)


def _absent_fields(iv: Intervention) -> list[str]:
    absent = [
        name
        for name, value in (
            ("started_at", iv.started_at),
            ("ended_at", iv.ended_at),
            ("reason", iv.reason if iv.reason and iv.reason.strip() else None),
            ("in_support_plan", iv.in_support_plan),
        )
        if value is None
    ]
    if not iv.staff_ids:
        absent.append("staff_ids")
    if iv.kind is InterventionKind.PHYSICAL_RESTRAINT and iv.position is None:
        absent.append("position")
    return absent


@rule(
    RuleMeta(
        code="RI003",
        name="restrictive-record-complete",
        summary=(
            "A restrictive intervention whose record lacks its start, end, reason, staff, whether"
            " it is in the support plan, or (for physical restraint) the position."
        ),
        rationale=(
            "Every use of force is recorded with its reason, duration, the staff involved and"
            " whether it is in the care plan; an incomplete record cannot be reviewed or learned"
            " from."
        ),
        example="A physical restraint with no position and no staff: missing staff_ids, position.",
        severity=FindingSeverity.MEDIUM,
        sources=("UOF-RECORD-S6", "REG12/REG17"),
    ),
    gate=["restrictive"],
)
def RI003(incident: Incident, at: datetime, _options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    """Each restrictive intervention's record is complete (ongoing ones wait until they end)."""
    verdicts = []
    for i, iv in incident.restrictive_interventions:
        if (iv.started_at is not None and iv.started_at > at) or ongoing(iv, at):
            continue
        absent = _absent_fields(iv)
        if absent:
            verdicts.append(
                lacking("The restrictive intervention record", "interventions", i, absent)
            )
    return verdicts


def _started(iv: Intervention, at: datetime) -> bool:
    return iv.started_at is None or iv.started_at <= at


_NONE_BEFORE = "No less restrictive intervention is recorded before the first restrictive one."


@rule(
    RuleMeta(
        code="RI004",
        name="de-escalation-recorded",
        summary=(
            "A restrictive intervention with no less restrictive intervention (de-escalation,"
            " distraction, reassurance...) recorded before it, or one whose start is not"
            " recorded (unknown)."
        ),
        rationale=(
            "Restriction is a last resort, after less restrictive support; the efforts made to"
            " avoid force are part of the legal record of its use."
        ),
        example="Restraint at 10:05 and the only other intervention started at 10:10: missing.",
        severity=FindingSeverity.MEDIUM,
        sources=("UOF-RECORD-S6", "PPC-LEAST-RESTRICTIVE", "REG13-RESTRAINT"),
        changes=(
            Change(
                "2.0",
                "A less restrictive intervention with no started_at no longer meets the rule"
                " when the first restrictive one has a start: the finding is unknown, naming"
                " interventions[i].started_at, until its start is recorded (before: no"
                " finding).",
            ),
        ),
    ),
    gate=["restrictive"],
)
def RI004(incident: Incident, at: datetime, _options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    """A non-restrictive intervention precedes the first restrictive one (R)."""
    restrictive = [(i, iv) for i, iv in incident.restrictive_interventions if _started(iv, at)]
    if not restrictive:
        return ()
    support = [
        (i, iv) for i, iv in enumerate(incident.interventions)
        if not iv.is_restrictive and _started(iv, at)
    ]  # fmt: skip
    dated = [(iv.started_at, i) for i, iv in restrictive if iv.started_at is not None]
    if not dated:
        if support:
            return ()
        return (Verdict(key=None, status=Status.MISSING, message=_NONE_BEFORE),)
    first_at, first = min(dated)
    basis = Evidence(f"$.interventions[{first}].started_at", stamp(first_at))
    if any(iv.started_at is not None and iv.started_at <= first_at for _, iv in support):
        return ()
    undated = next((i for i, iv in support if iv.started_at is None), None)
    if undated is not None:
        msg = (
            "A less restrictive intervention has no start time recorded, so whether it came"
            " before the first restrictive one is unknown."
        )
        evidence = (Evidence(f"$.interventions[{undated}].started_at", None), basis)
        return (Verdict(key=None, status=Status.UNKNOWN, message=msg, evidence=evidence),)
    return (Verdict(key=None, status=Status.MISSING, message=_NONE_BEFORE, evidence=(basis,)),)


RI005 = ConcernRule(
    meta=RuleMeta(
        code="RI005",
        name="prone-restraint",
        summary="A physical restraint in the prone (face-down) position.",
        rationale=(
            "Restraint that affects the airway, breathing or circulation, such as face-down on any"
            " surface, must not be used deliberately; each use needs urgent review."
        ),
        example="interventions[1] is physical_restraint with position prone: concern, critical.",
        severity=FindingSeverity.CRITICAL,
        sources=("PPC-NO-AIRWAY-RESTRAINT", "MHA-COP-PRONE"),
    ),
    when=(),
    pattern=ItemPattern(
        collection="interventions",
        where={
            "kind": frozenset({InterventionKind.PHYSICAL_RESTRAINT}),
            "position": frozenset({Position.PRONE}),
        },
    ),
    message="A physical restraint was recorded in the prone position.",
)

RI006 = ConcernRule(
    meta=RuleMeta(
        code="RI006",
        name="unplanned-restriction",
        summary="A restrictive intervention that is not in the person's support plan.",
        rationale=(
            "Restrictive interventions are planned for in a behaviour support plan agreed with the"
            " person; an unplanned one shows the plan needs review."
        ),
        example="interventions[0] is restrictive with in_support_plan false: concern.",
        severity=FindingSeverity.HIGH,
        sources=("PPC-BSP-FOR-AT-RISK", "UOF-RECORD-S6"),
    ),
    when=(),
    pattern=ItemPattern(
        collection="interventions",
        where={"restrictive": frozenset({True}), "in_support_plan": frozenset({False})},
    ),
    message="A restrictive intervention was used that is not in the support plan.",
)


RULES = (RI001, RI002, RI003, RI004, RI005, RI006)
