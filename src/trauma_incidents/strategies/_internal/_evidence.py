"""
The evidence of the response to an incident, drawn for its `Shape`.

The evidence is complete, or has the chosen gaps (missing, late or partial evidence), each of
a kind a default rule flags. Every ``draw_*`` function here takes the gaps drawn for the
incident; evidence due by a deadline comes through `_evidence`, which gives it on time, or
(as a gap) none or late.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

import attrs
from hypothesis.strategies import DrawFn as Draw

from trauma_incidents.model import (
    Action,
    Audience,
    Candour,
    Capacity,
    Debrief,
    DebriefStatus,
    Intervention,
    InterventionKind,
    LegalBasis,
    Notification,
    NotificationMethod,
    Observation,
    Outcome,
    Position,
    Recipient,
    RelevantPerson,
    Review,
    ReviewKind,
    Safeguarding,
    Topic,
    Trigger,
)
from trauma_incidents.strategies._internal._base import BOOL, DAY, HOUR, MINUTE, ints, pick, some
from trauma_incidents.strategies._internal._parts import (
    draw_intervention,
    draw_trigger,
    drop_detail,
)
from trauma_incidents.strategies._internal._response import (
    draw_action,
    draw_candour,
    draw_debrief,
    draw_effect,
    draw_notification,
    draw_review,
)
from trauma_incidents.strategies._internal._safeguarding import draw_safeguarding
from trauma_incidents.strategies._internal._shape import Shape

_T = TypeVar("_T")
#: Makes one piece of evidence, given the earliest time and how late after it it may be.
_Make = Callable[[datetime, timedelta], _T]

_STAFF_TOPICS = (Topic.TIMELINE, Topic.EARLY_WARNING_SIGNS, Topic.COMMUNICATION)
_OTHER_RECIPIENTS = (
    Recipient.LOCAL_AUTHORITY,
    Recipient.GP,
    Recipient.SOCIAL_WORKER,
    Recipient.COMMISSIONER,
    Recipient.ADVOCATE,
    Recipient.NEXT_OF_KIN,
)
_OTHER_REVIEWS = (
    ReviewKind.SWARM_HUDDLE,
    ReviewKind.MDT_REVIEW,
    ReviewKind.RISK_ASSESSMENT_REVIEW,
    ReviewKind.THEMATIC_REVIEW,
)
_LATE_REVIEW = (DAY * 8, DAY * 20)


@attrs.frozen
class _Duty:
    """A notification an incident may call for: to whom, by when, and the gap that drops it."""

    applies: Callable[[Shape], bool]
    to: tuple[Recipient, ...]
    on_time: timedelta
    late: tuple[timedelta, timedelta]
    gap: str


_DUTIES = (
    _Duty(lambda s: s.needs_cqc, (Recipient.CQC,), HOUR * 20, (HOUR * 25, DAY * 5), "cqc"),
    _Duty(lambda s: s.needs_hse, (Recipient.HSE,), DAY * 5, (DAY * 16, DAY * 30), "riddor"),
)


def _evidence(
    draw: Draw,
    make: _Make[_T],
    anchor: datetime,
    *,
    on_time: timedelta,
    late: tuple[timedelta, timedelta],
    gap: bool,
) -> list[_T]:
    """One piece of evidence on time; as a gap, either none or one that is late."""
    if not gap:
        return [make(anchor, on_time)]
    if draw(BOOL):
        return []
    earliest, latest = late
    return [make(anchor + earliest, latest - earliest)]


def draw_triggers(draw: Draw, gaps: frozenset[str]) -> tuple[Trigger, ...]:
    """A known trigger and perhaps another; as a gap, at most an unknown one."""
    if "trigger" in gaps:
        return tuple(some(draw, lambda: draw_trigger(draw, known=False), max_size=1))
    first = draw_trigger(draw, known=True)
    return (first, *some(draw, lambda: draw_trigger(draw, known=None), max_size=1))


# -- interventions -----------------------------------------------------------------------------


def draw_interventions(draw: Draw, shape: Shape, gaps: frozenset[str]) -> list[Intervention]:
    """De-escalation, then (for a restrictive incident) fully recorded restrictions."""
    calm = _calm(draw, shape)
    if not shape.restrictive:
        return calm
    holds = _holds(draw, shape, calm, gaps)
    return holds if "de_escalation_first" in gaps else calm + holds


def _calm(draw: Draw, shape: Shape) -> list[Intervention]:
    o, n = shape.occurred, int(shape.restrictive)
    detail = True if n else None
    return some(
        draw,
        lambda: draw_intervention(
            draw, restrictive=False, detailed=detail, after=o, within=MINUTE * 20
        ),
        min_size=n,
    )


def _holds(
    draw: Draw, shape: Shape, calm: list[Intervention], gaps: frozenset[str]
) -> list[Intervention]:
    first = min(iv.started_at or shape.occurred for iv in calm)
    holds = some(
        draw,
        lambda: draw_intervention(draw, restrictive=True, detailed=True, after=first, within=HOUR),
        min_size=1,
    )
    if not gaps:  # planned, and never face down (RI005, RI006)
        holds = [_planned(iv) for iv in holds]
    if "ri_details" in gaps:
        holds[0] = drop_detail(draw, holds[0])
    return holds


#: Legal bases that RI009 accepts whatever the capacity recorded.
_SOUND_BASES = frozenset(
    {
        LegalBasis.DEPRIVATION_OF_LIBERTY_AUTHORISATION,
        LegalBasis.MENTAL_HEALTH_ACT,
        LegalBasis.EMERGENCY_PREVENTION_OF_HARM,
        LegalBasis.OTHER,
    }
)

#: Consent with capacity, and best interests without it (RI009).
_FITTING = frozenset(
    {
        (LegalBasis.CONSENT, Capacity.HAS),
        (LegalBasis.CONSENT, Capacity.NOT_ASSESSED),
        (LegalBasis.CONSENT, None),
        (LegalBasis.MCA_BEST_INTERESTS, Capacity.LACKS),
        (LegalBasis.MCA_BEST_INTERESTS, Capacity.NOT_ASSESSED),
        (LegalBasis.MCA_BEST_INTERESTS, None),
    }
)
_ISOLATION = frozenset({InterventionKind.SECLUSION, InterventionKind.SEGREGATION})
_LONGEST_HOLD = MINUTE * 10


def _planned(iv: Intervention) -> Intervention:
    """
    *iv* as a good response records it: planned, never face down, lawful and safe.

    In the support plan (RI006), not prone (RI005), a physical restraint no longer than 10
    minutes (RI007), seclusion only under the Mental Health Act (RI008), a legal basis that
    fits the capacity recorded (RI009) and an observation where NICE asks for one (RI010).
    """
    position = Position.SEATED if iv.position is Position.PRONE else iv.position
    start, end = iv.started_at, iv.ended_at
    if iv.kind is InterventionKind.PHYSICAL_RESTRAINT and start and end:
        end = min(end, start + _LONGEST_HOLD)
    basis, capacity = iv.legal_basis, iv.capacity
    if iv.kind in _ISOLATION:
        basis = LegalBasis.MENTAL_HEALTH_ACT
    elif basis not in _SOUND_BASES and (basis, capacity) not in _FITTING:
        basis, capacity = LegalBasis.MCA_BEST_INTERESTS, Capacity.LACKS
    observations = iv.observations
    watched = iv.kind is InterventionKind.RAPID_TRANQUILLISATION or (
        iv.kind is InterventionKind.PHYSICAL_RESTRAINT and position is Position.SUPINE
    )
    if watched and start and not observations:
        observations = (Observation(at=start),)
    return attrs.evolve(
        iv,
        in_support_plan=True,
        position=position,
        ended_at=end,
        legal_basis=basis,
        capacity=capacity,
        observations=observations,
    )


# -- debriefs and reviews ----------------------------------------------------------------------


def draw_debriefs(
    draw: Draw, shape: Shape, base: datetime, gaps: frozenset[str]
) -> tuple[Debrief, ...]:
    """A staff debrief, a person debrief, and perhaps one with family or an advocate."""
    staff = _staff_debrief(draw, shape, base, gaps)
    person = _person_debriefs(draw, base, gaps)
    others = some(draw, lambda: _other_debrief(draw, base), max_size=1)
    return (staff, *person, *others)


def _staff_debrief(draw: Draw, shape: Shape, base: datetime, gaps: frozenset[str]) -> Debrief:
    topics = (*_STAFF_TOPICS, *((Topic.WELLBEING,) if shape.staff_injured else ()))
    late = "staff_debrief_late" in gaps
    after, within = (base + HOUR * 25, DAY * 5) if late else (base, HOUR * 18)
    staff = draw_debrief(
        draw,
        audience=Audience.STAFF,
        status=DebriefStatus.HELD,
        topics=topics,
        after=after,
        within=within,
    )
    dropped = {Topic.WELLBEING} if "wellbeing_debrief" in gaps else set()
    if "staff_debrief_topics" in gaps:
        dropped.add(pick(draw, _STAFF_TOPICS))
    return attrs.evolve(staff, topics=tuple(t for t in staff.topics if t not in dropped))


def _person_debriefs(draw: Draw, base: datetime, gaps: frozenset[str]) -> list[Debrief]:
    # A declined or deferred debrief needs a re-offer (DB003): complete records keep it simple.
    offer = pick(draw, (DebriefStatus.OFFERED, DebriefStatus.HELD)) if not gaps else None

    def make(at: datetime, span: timedelta) -> Debrief:
        return draw_debrief(
            draw, audience=Audience.PERSON, status=offer, topics=(), after=at, within=span
        )

    late = (HOUR * 73, DAY * 10)
    return _evidence(draw, make, base, on_time=HOUR * 48, late=late, gap="person_debrief" in gaps)


def _other_debrief(draw: Draw, base: datetime) -> Debrief:
    audience = pick(draw, (Audience.FAMILY, Audience.ADVOCATE))
    return draw_debrief(draw, audience=audience, status=None, topics=(), after=base, within=DAY * 3)


def draw_reviews(draw: Draw, base: datetime, gaps: frozenset[str]) -> tuple[Review, ...]:
    """The reviews a good response holds, each on time with its learning (or a gap)."""
    pir = (ReviewKind.POST_INCIDENT_REVIEW, ReviewKind.AFTER_ACTION_REVIEW)
    missed = not gaps.isdisjoint({"post_incident_review", "reflective_review"})
    # A post-incident review also meets LN002 (7 days): when that is the gap, be later still.
    late = _LATE_REVIEW if "reflective_review" in gaps else (HOUR * 73, DAY * 10)
    found = _evidence(draw, _learning(draw, pir), base, on_time=HOUR * 48, late=late, gap=missed)
    for kind, gap in [
        (ReviewKind.SUPPORT_PLAN_REVIEW, "support_plan_review"),
        (ReviewKind.REFLECTIVE_REVIEW, "reflective_review"),
    ]:
        make = _learning(draw, (kind,))
        found += _evidence(draw, make, base, on_time=DAY * 5, late=_LATE_REVIEW, gap=gap in gaps)
    if "review_learning" in gaps:
        rca = (ReviewKind.ROOT_CAUSE_ANALYSIS,)
        found.append(draw_review(draw, kinds=rca, learning=False, after=base, within=DAY * 7))
    found += some(draw, lambda: _learning(draw, _OTHER_REVIEWS)(base, DAY * 7), max_size=1)
    return tuple(found)


def _learning(draw: Draw, kinds: Sequence[ReviewKind]) -> _Make[Review]:
    return lambda at, span: draw_review(draw, kinds=kinds, learning=True, after=at, within=span)


# -- safeguarding, notifications and actions ---------------------------------------------------


def draw_process(draw: Draw, shape: Shape, gaps: frozenset[str]) -> Safeguarding:
    """A safeguarding process raised within 12 hours (or late), its stages explained (or not)."""
    late = "concern_late" in gaps
    after, within = (shape.aware_at + HOUR * 25, DAY * 4) if late else (shape.aware_at, HOUR * 12)
    return draw_safeguarding(
        draw, explained="stage_explanation" not in gaps, after=after, within=within
    )


def draw_notifications(draw: Draw, shape: Shape, gaps: frozenset[str]) -> tuple[Notification, ...]:
    """The notifications the incident calls for (CQC, candour, HSE), and perhaps another."""
    at = shape.aware_at
    found: list[Notification] = []
    for duty in _DUTIES:
        if duty.applies(shape):
            make = _sent(draw, duty.to, candour=False)
            gap = duty.gap in gaps
            found += _evidence(draw, make, at, on_time=duty.on_time, late=duty.late, gap=gap)
    found += some(
        draw, lambda: _sent(draw, _OTHER_RECIPIENTS, candour=False)(at, DAY * 3), max_size=1
    )
    return tuple(found)


#: Who a duty of candour notice goes to, for each relevant person.
_RELEVANT = {
    RelevantPerson.PERSON: (Recipient.PERSON,),
    RelevantPerson.REPRESENTATIVE: (
        Recipient.REPRESENTATIVE,
        Recipient.FAMILY,
        Recipient.NEXT_OF_KIN,
    ),
}
_SPOKEN = (NotificationMethod.IN_PERSON, NotificationMethod.PHONE, NotificationMethod.VIDEO)
_WRITTEN = (NotificationMethod.LETTER, NotificationMethod.EMAIL)


def draw_duty_of_candour(
    draw: Draw, shape: Shape, gaps: frozenset[str]
) -> tuple[Candour | None, tuple[Notification, ...]]:
    """
    The duty of candour decision and, when notifiable, its notice and written notification.

    The decision comes within 7 days (as a gap: none, or late); the notice in person, by
    phone or video, with an apology, within 7 days of it; the letter or email within 7 days
    of the notice.
    """
    if not shape.needs_candour:
        return None, ()
    # Late is past 10 working days even over Christmas and New Year (up to 18 days).
    late = (DAY * 20, DAY * 40)

    def decide(at: datetime, span: timedelta) -> Candour:
        return draw_candour(draw, at, span)

    found = _evidence(
        draw, decide, shape.aware_at, on_time=DAY * 7, late=late, gap="candour" in gaps
    )
    if not found:
        return None, ()
    candour = found[0]
    if not candour.notifiable:
        return candour, ()
    to = _RELEVANT[candour.relevant_person]
    notice = attrs.evolve(
        _sent(draw, to, candour=True)(candour.decided_at, DAY * 7),
        method=pick(draw, (*_SPOKEN, None)),
        apology=True,
    )
    written = attrs.evolve(
        _sent(draw, (notice.recipient,), candour=True)(notice.sent_at, DAY * 7),
        method=pick(draw, _WRITTEN),
    )
    return candour, (notice, written)


def _sent(draw: Draw, to: Sequence[Recipient], *, candour: bool) -> _Make[Notification]:
    return lambda at, span: draw_notification(
        draw, recipients=to, candour=candour, after=at, within=span
    )


def draw_actions(draw: Draw, base: datetime, gaps: frozenset[str]) -> tuple[Action, ...]:
    """Actions done on time and assessed; as gaps, one overdue or one assessed too late."""
    found = [
        _assessed(draw, draw_action(draw, on_time=True, after=base, within=DAY * 14), DAY)
        for _ in range(draw(ints(0, 2)))
    ]
    if "action_overdue" in gaps:
        found.append(draw_action(draw, on_time=False, after=base, within=DAY * 14))
    if "action_unassessed" in gaps:
        late = draw_action(draw, on_time=True, after=base, within=DAY * 14)
        found.append(_assessed(draw, late, DAY * 29))
    return tuple(attrs.evolve(a, id=f"A-{i}") for i, a in enumerate(found, start=1))


def _assessed(draw: Draw, action: Action, delay: timedelta) -> Action:
    """Assess a completed action as (partly) effective, no sooner than *delay* after completion."""
    if action.completed_at is None:
        return action
    worked = (Outcome.EFFECTIVE, Outcome.PARTIALLY_EFFECTIVE)
    effect = draw_effect(draw, action.completed_at + delay, outcomes=worked)
    return attrs.evolve(action, effectiveness=effect)
