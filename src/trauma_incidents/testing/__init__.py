"""
Small builders with sensible defaults, for example-based tests of rules and reports.

Each builder returns a valid model object; pass keyword arguments to change any field::

    >>> from trauma_incidents.testing import T0, hours, incident, restraint, staff_debrief
    >>> inc = incident(
    ...     interventions=(restraint(ended_at=T0 + hours(1)),),
    ...     debriefs=(staff_debrief(T0 + hours(30)),),
    ... )
    >>> inc.occurred_at.isoformat()
    '2026-03-02T10:00:00+00:00'

`support_plan` builds a version of a person's support plan (`trauma_incidents.plans`).
Times default to offsets from `T0` (Monday 2 March 2026, 10:00 UTC). The builders record
everything a rule checks for (a held staff debrief covers the learning topics, a review
records root causes and changes, a restraint records its details), so a test changes only
the field it is about.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import attrs

from trauma_incidents.engine import Report
from trauma_incidents.errors import _moved
from trauma_incidents.model import (
    AccountMethod,
    Action,
    Audience,
    Capacity,
    Category,
    Debrief,
    DebriefStatus,
    Effectiveness,
    Explanation,
    ExplanationMethod,
    Incident,
    Intervention,
    InterventionKind,
    LegalBasis,
    Notification,
    Outcome,
    Position,
    Recipient,
    Review,
    ReviewKind,
    Safeguarding,
    SafeguardingStage,
    Severity,
    Stage,
    Topic,
    Trigger,
    TriggerKind,
)
from trauma_incidents.outcomes import (
    Activity,
    ActivityKind,
    ActivityOutcome,
    CheckMethod,
    Measure,
    WellbeingCheck,
)
from trauma_incidents.plans import (
    AuthorisedRestriction,
    KnownTrigger,
    Strategy,
    StrategyStage,
    SupportPlan,
    WarningSign,
)
from trauma_incidents.rules import Finding, FindingSeverity, Status
from trauma_incidents.testing._scenarios import (
    ANY,
    Checkpoint,
    CheckpointResult,
    Expectation,
    Scenario,
    load_scenario,
    run_checkpoint,
)
from trauma_incidents.testing._scenarios import describe as _describe
from trauma_incidents.testing._scenarios import (
    diff_lines as _diff_lines,
)
from trauma_incidents.testing._synthetic import synthetic_incidents

__all__ = [
    "ANY",
    "LEARNING_TOPICS",
    "T0",
    "Checkpoint",
    "CheckpointResult",
    "Expectation",
    "Scenario",
    "action",
    "activity",
    "assert_findings",
    "authorised",
    "days",
    "deescalation",
    "expect",
    "hours",
    "incident",
    "load_scenario",
    "notification",
    "person_debrief",
    "restraint",
    "review",
    "run_checkpoint",
    "safeguarding",
    "staff_debrief",
    "stage",
    "support_plan",
    "synthetic_incidents",
    "trigger",
    "wellbeing_check",
]

#: When the default incident occurred: Monday 2 March 2026, 10:00 UTC.
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)

#: The topics a held staff debrief covers by default (the ones DB004 asks for).
LEARNING_TOPICS = (Topic.TIMELINE, Topic.EARLY_WARNING_SIGNS, Topic.COMMUNICATION)


def hours(n: float) -> timedelta:
    """Return *n* hours as a `timedelta`, for times such as ``T0`` plus 25 hours."""
    return timedelta(hours=n)


def days(n: float) -> timedelta:
    """Return *n* elapsed days as a `timedelta`, for times such as ``T0`` plus 7 days."""
    return timedelta(days=n)


def incident(**overrides: Any) -> Incident:
    """
    Build an `Incident`: ``INC-0001`` for ``P-001`` at ``SVC-TEST``, occurred at `T0`.

    It is a low-severity ``behavioural_distress`` incident with nothing else recorded.
    Under the default packs it alone yields exactly two findings, as a distress incident
    with no trigger and no review would: LN001 (triggers explored within 72 hours) and
    LN002 (a reflective review within 7 days), due and then overdue. Add
    ``triggers=(trigger(),)`` and ``reviews=(review(ReviewKind.REFLECTIVE_REVIEW, T0 +
    days(2)),)`` for an incident with no finding at all.

    Args:
        **overrides: Any `Incident` field.
    """
    fields: dict[str, Any] = {
        "id": "INC-0001",
        "person_id": "P-001",
        "service_id": "SVC-TEST",
        "occurred_at": T0,
        "categories": (Category.BEHAVIOURAL_DISTRESS,),
        "severity": Severity.LOW,
    }
    return Incident(**(fields | overrides))


def trigger(kind: TriggerKind = TriggerKind.SENSORY, **overrides: Any) -> Trigger:
    """Build a `Trigger` of *kind* (default ``sensory``)."""
    return Trigger(kind=kind, **overrides)


def deescalation(
    *,
    started_at: datetime = T0,
    ended_at: datetime | None = None,
    kind: InterventionKind = InterventionKind.VERBAL_DEESCALATION,
    **overrides: Any,
) -> Intervention:
    """Build a non-restrictive `Intervention`, by default verbal de-escalation for 10 minutes."""
    end = started_at + timedelta(minutes=10) if ended_at is None else ended_at
    return Intervention(kind=kind, started_at=started_at, ended_at=end, **overrides)


def restraint(
    *,
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
    **overrides: Any,
) -> Intervention:
    """
    Build a fully recorded physical restraint, in the support plan, seated, by two staff.

    Its legal basis is the Mental Capacity Act's best interests, for a person assessed as
    lacking capacity (MCA-S5-S6).

    By default it starts 10 minutes after `T0` and lasts 5 minutes; given only *ended_at*, it
    starts 5 minutes before that.

    Args:
        started_at: When it started.
        ended_at: When it ended.
        **overrides: Any other `Intervention` field.
    """
    if started_at is None:
        started_at = (
            T0 + timedelta(minutes=10) if ended_at is None else ended_at - timedelta(minutes=5)
        )
    fields: dict[str, Any] = {
        "kind": InterventionKind.PHYSICAL_RESTRAINT,
        "started_at": started_at,
        "ended_at": started_at + timedelta(minutes=5) if ended_at is None else ended_at,
        "reason": "to prevent harm",
        "position": Position.SEATED,
        "staff_ids": ("ST-101", "ST-102"),
        "in_support_plan": True,
        "legal_basis": LegalBasis.MCA_BEST_INTERESTS,
        "capacity": Capacity.LACKS,
    }
    return Intervention(**(fields | overrides))


def staff_debrief(
    at: datetime,
    *,
    topics: tuple[Topic, ...] = LEARNING_TOPICS,
    status: DebriefStatus = DebriefStatus.HELD,
    **overrides: Any,
) -> Debrief:
    """Build a staff `Debrief` at *at*, held and covering `LEARNING_TOPICS` by default."""
    return Debrief(audience=Audience.STAFF, status=status, at=at, topics=topics, **overrides)


def person_debrief(
    at: datetime,
    *,
    status: DebriefStatus = DebriefStatus.OFFERED,
    **overrides: Any,
) -> Debrief:
    """Build a `Debrief` offered to the person at *at* (pass *status* for another status)."""
    return Debrief(audience=Audience.PERSON, status=status, at=at, **overrides)


def review(
    kind: ReviewKind,
    at: datetime,
    *,
    root_causes: tuple[str, ...] = ("busy environment",),
    changes: tuple[str, ...] = ("update support plan",),
) -> Review:
    """Build a `Review` of *kind* completed at *at*, with a root cause and a change."""
    return Review(kind=kind, completed_at=at, root_causes=root_causes, changes=changes)


def notification(
    recipient: Recipient,
    at: datetime,
    **overrides: Any,
) -> Notification:
    """Build a `Notification` to *recipient* sent at *at*."""
    return Notification(recipient=recipient, sent_at=at, **overrides)


def stage(
    stage: Stage,
    entered_at: datetime,
    explained_at: datetime | None = None,
    *,
    method: ExplanationMethod = ExplanationMethod.VERBAL,
) -> SafeguardingStage:
    """Build a `SafeguardingStage`, explained at *explained_at* (by *method*) when given."""
    explanation = None if explained_at is None else Explanation(at=explained_at, method=method)
    return SafeguardingStage(stage=stage, entered_at=entered_at, explanation=explanation)


def safeguarding(*stages: SafeguardingStage, **overrides: Any) -> Safeguarding:
    """Build a `Safeguarding` process from *stages*; *overrides* set its other fields."""
    return attrs.evolve(Safeguarding(stages=stages), **overrides)


def action(
    action_id: str = "A-1",
    *,
    due: date | datetime | None = None,
    completed_at: datetime | None = None,
    assessed_at: datetime | None = None,
    outcome: Outcome = Outcome.EFFECTIVE,
    description: str = "review routine",
) -> Action:
    """Build a learning `Action`; *assessed_at* adds an effectiveness assessment."""
    effect = (
        None if assessed_at is None else Effectiveness(assessed_at=assessed_at, outcome=outcome)
    )
    return Action(
        id=action_id,
        description=description,
        due=due,
        completed_at=completed_at,
        effectiveness=effect,
    )


def authorised(
    kind: InterventionKind = InterventionKind.PHYSICAL_RESTRAINT,
    *positions: Position,
    **overrides: Any,
) -> AuthorisedRestriction:
    """
    Build an `AuthorisedRestriction` of *kind* in *positions* (none: any), in best interests.

    By default a physical restraint, seated, for at most 10 minutes (what `restraint` records).
    """
    fields: dict[str, Any] = {
        "kind": kind,
        "legal_basis": LegalBasis.MCA_BEST_INTERESTS,
        "positions": positions or (Position.SEATED,),
        "max_minutes": 10,
    }
    return AuthorisedRestriction(**(fields | overrides))


def support_plan(**overrides: Any) -> SupportPlan:
    """
    Build a `SupportPlan`: ``SP-001`` for ``P-001``, in force from 30 days before `T0`.

    It records everything the ``plans`` rules look for: review by 90 days after `T0`, a
    coordinator, the person involved (in their own words), the default `trigger` (sensory)
    known, a warning sign, a strategy at each stage, and `restraint` authorised (`authorised`).
    With `incident` and `restraint` the only ``plans`` findings are deadlines no plan in
    force can meet: PL004 (a newer version by the review date) and PL005 (a plan change after
    the restriction), both due.

    Args:
        **overrides: Any `SupportPlan` field.
    """
    fields: dict[str, Any] = {
        "id": "SP-001",
        "person_id": "P-001",
        "effective_from": T0 - days(30),
        "review_by": T0 + days(90),
        "coordinator_id": "ST-201",
        "person_involved": True,
        "involvement_method": AccountMethod.SPOKEN,
        "formulation_at": T0 - days(31),
        "known_triggers": (KnownTrigger(kind=TriggerKind.SENSORY, detail="noise"),),
        "early_warning_signs": (WarningSign(description="pacing", response="offer a walk"),),
        "strategies": tuple(
            Strategy(stage=s, description="agreed with the person") for s in StrategyStage
        ),
        "authorised_restrictions": (authorised(),),
    }
    return SupportPlan(**(fields | overrides))


def activity(
    at: datetime = T0,
    outcome: ActivityOutcome = ActivityOutcome.COMPLETED,
    **overrides: Any,
) -> Activity:
    """Build an `Activity` (``ACT-1``, a community outing by ``P-001``) at *at*."""
    fields: dict[str, Any] = {
        "id": "ACT-1",
        "person_id": "P-001",
        "at": at,
        "kind": ActivityKind.COMMUNITY_OUTING,
        "outcome": outcome,
    }
    return Activity(**(fields | overrides))


def wellbeing_check(
    at: datetime = T0, value: int = 3, measure: Measure = Measure.DISTRESS, **overrides: Any
) -> WellbeingCheck:
    """Build a `WellbeingCheck` (``WC-1``, ``P-001``'s observed *measure*) at *at*."""
    fields: dict[str, Any] = {
        "id": "WC-1",
        "person_id": "P-001",
        "at": at,
        "measure": measure,
        "value": value,
        "method": CheckMethod.OBSERVED,
    }
    return WellbeingCheck(**(fields | overrides))


def expect(
    rule: str,
    *,
    incident: object = ANY,
    key: object = ANY,
    status: object = ANY,
    severity: object = ANY,
    due_at: object = ANY,
    waived: object = ANY,
) -> Expectation:
    """
    An expected finding for `assert_findings`: fields left out match anything.

    Write ``key=None`` to require a finding without a key, and ``waived=True`` for a finding
    a waiver set aside (`Report.waived`); otherwise only findings kept in the report match.
    """
    return Expectation(
        rule=rule,
        incident=incident,
        key=key,
        status=Status(status) if isinstance(status, str) else status,
        severity=FindingSeverity(severity) if isinstance(severity, str) else severity,
        due_at=due_at,
        waived=waived,
    )


def assert_findings(
    report: Report | Iterable[Finding],
    expected: Iterable[Expectation],
    *,
    exactly: bool = True,
    absent: Iterable[Expectation] = (),
) -> None:
    """
    Assert that *report* holds the *expected* findings, with a readable diff if not.

    With ``exactly=True`` (the default) every finding must match an expectation; with
    ``exactly=False`` others may be present. No finding may match one in *absent*. Findings a
    waiver set aside (in a *report*) match only ``expect(..., waived=True)``, and are never
    "not expected".

    Raises:
        AssertionError: Listing each expectation not found with the nearest actual finding
            (same rule and incident), what was found and not expected, and found and
            forbidden.
    """
    __tracebackhide__ = True
    actual = tuple(report.findings if isinstance(report, Report) else report)
    set_aside = tuple(w.finding for w in report.waived) if isinstance(report, Report) else ()
    wanted, banned = tuple(expected), tuple(absent)
    missing = tuple(
        e
        for e in wanted
        if not any(map(e.matches, actual)) and not any(e.matches(f, waived=True) for f in set_aside)
    )
    lines = _diff_lines(missing, actual)
    if exactly:
        lines += [
            f"  + found, not expected: {_describe(f)}"
            for f in actual
            if not any(e.matches(f) for e in wanted)
        ]
    lines += [
        f"  ! found, must be absent: {_describe(f)}"
        for f in actual
        if any(e.matches(f) for e in banned)
    ]
    if lines:
        none = [] if actual else ["  (no findings at all)"]
        raise AssertionError("\n".join(["findings differ:", *lines, *none]))


def __getattr__(name: str) -> Any:
    return _moved(__name__, name, {"ScenarioError": "trauma_incidents.errors"})
