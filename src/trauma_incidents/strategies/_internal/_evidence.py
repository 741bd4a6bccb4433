"""
The evidence of the response to an incident, drawn for its `Shape` and the configuration.

Every rule of the configuration is met on time by its configured deadline, except the rules
named as gaps, each broken as its `_rulebook` entry says and no other. Evidence due by a
deadline comes through `_timely`: on time, or (as a gap) none or late. Evidence that several
rules could read is drawn once per rule, so breaking one leaves the others met.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

import attrs
from hypothesis.strategies import DrawFn as Draw

from trauma_incidents.model import (
    RESTRICTIVE_KINDS,
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
from trauma_incidents.packs._builtin.language import TERMS
from trauma_incidents.strategies._internal._base import (
    BOOL,
    DAY,
    HOUR,
    MINUTE,
    maybe,
    moment,
    phrase,
    pick,
    some,
)
from trauma_incidents.strategies._internal._parts import (
    draw_intervention,
    draw_observation,
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
from trauma_incidents.strategies._internal._rulebook import LATE_SPAN, Policy, late_from
from trauma_incidents.strategies._internal._safeguarding import Deadlines, draw_safeguarding
from trauma_incidents.strategies._internal._shape import Shape

_T = TypeVar("_T")
#: Makes one piece of evidence, given the earliest time and how late after it it may be.
_Make = Callable[[datetime, timedelta], _T]

_STAFF_TOPICS = frozenset({Topic.TIMELINE, Topic.EARLY_WARNING_SIGNS, Topic.COMMUNICATION})
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
#: Restrictive kinds a complete incident uses: no seclusion or segregation (RI008).
_ISOLATION = frozenset({InterventionKind.SECLUSION, InterventionKind.SEGREGATION})
_HELD_KINDS = tuple(
    k for k in (*sorted(RESTRICTIVE_KINDS), InterventionKind.OTHER) if k not in _ISOLATION
)
_LAWFUL = tuple(b for b in LegalBasis if b is not LegalBasis.NOT_RECORDED)
#: The capacity that fits each legal basis that depends on it (RI009); others fit any.
_FITS = {LegalBasis.CONSENT: Capacity.HAS, LegalBasis.MCA_BEST_INTERESTS: Capacity.LACKS}
_WORKED = (Outcome.EFFECTIVE, Outcome.PARTIALLY_EFFECTIVE)


@attrs.frozen
class Plan:
    """What the evidence is drawn for: the shape, the configuration and the gaps."""

    shape: Shape
    policy: Policy
    gaps: frozenset[str]

    def due(
        self, code: str, anchor: datetime, default: timedelta, name: str = "within"
    ) -> datetime:
        return self.policy.due(code, anchor, default, name)


def _timely(
    draw: Draw,
    make: _Make[_T],
    window: tuple[datetime, datetime, datetime],
    *,
    gap: bool,
    late_only: bool = False,
) -> list[_T]:
    """
    One piece of evidence in *window*'s first two times; as a gap, none or a late one.

    Late evidence comes after the window's third time (the latest deadline it could meet).
    """
    anchor, due, latest = window
    if not gap:
        return [make(anchor, max(due - anchor, timedelta(0)))]
    if not late_only and draw(BOOL):
        return []
    return [make(late_from(latest), LATE_SPAN)]


def draw_triggers(draw: Draw, plan: Plan) -> tuple[Trigger, ...]:
    """A known trigger and perhaps another; as a gap (LN001), at most an unknown one."""
    if "LN001" in plan.gaps:
        return tuple(some(draw, lambda: draw_trigger(draw, known=False), max_size=1))
    first = draw_trigger(draw, known=True)
    return (first, *some(draw, lambda: draw_trigger(draw, known=None), max_size=1))


def draw_summary(draw: Draw, plan: Plan) -> str | None:
    """A plain summary (or none); as a gap (LG001), one using a discouraged term."""
    if "LG001" in plan.gaps:
        return f"Staff wrote: {pick(draw, tuple(TERMS))}."
    return maybe(draw, lambda: phrase(draw, "summary"))


# -- interventions -----------------------------------------------------------------------------


def draw_interventions(draw: Draw, plan: Plan) -> list[Intervention]:
    """
    De-escalation, then (for a restrictive incident) short, planned, fully recorded restrictions.

    Each restriction has a legal basis fitting the capacity recorded and an observation at
    its end, lasts no longer than RI007 allows, and is never a seclusion or face down. Gaps:
    RI003 drops a detail, RI004 drops the de-escalation, RI005 to RI010 each add a
    restriction of their own.
    """
    shape, gaps = plan.shape, plan.gaps
    calm = _calm(draw, shape)
    if not shape.restrictive:
        return calm
    first = min(iv.started_at or shape.occurred for iv in calm)
    limit = MINUTE * plan.policy.option("RI007", "max_minutes", 10)

    def hold(*kinds: InterventionKind) -> Intervention:
        return _hold(draw, first, limit, kinds or _HELD_KINDS)

    holds = some(draw, hold, min_size=1)
    if "RI003" in gaps:
        holds[0] = drop_detail(draw, holds[0])
    extra: dict[str, Callable[[], Intervention]] = {
        "RI005": lambda: attrs.evolve(
            hold(InterventionKind.PHYSICAL_RESTRAINT), position=Position.PRONE
        ),
        "RI006": lambda: attrs.evolve(hold(), in_support_plan=False),
        "RI007": lambda: _longer(draw, hold(InterventionKind.PHYSICAL_RESTRAINT), limit),
        "RI008": lambda: attrs.evolve(
            hold(InterventionKind.SECLUSION),
            kind=pick(draw, sorted(_ISOLATION)),
            legal_basis=LegalBasis.EMERGENCY_PREVENTION_OF_HARM,
        ),
        "RI009": lambda: attrs.evolve(
            hold(), legal_basis=LegalBasis.CONSENT, capacity=Capacity.LACKS
        ),
        "RI010": lambda: attrs.evolve(
            hold(InterventionKind.RAPID_TRANQUILLISATION), observations=()
        ),
    }
    holds += [make() for code, make in extra.items() if code in gaps]
    return holds if "RI004" in gaps else calm + holds


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


def _hold(
    draw: Draw, after: datetime, limit: timedelta, kinds: Sequence[InterventionKind]
) -> Intervention:
    """
    A restriction as a good record has it: planned, lawful, short, observed, never face down.

    The observation is at its end, so it stays within the intervention (as RI010 reads it)
    even when RI003's gap drops the start or the end.
    """
    iv = draw_intervention(
        draw, restrictive=True, detailed=True, after=after, within=HOUR, kinds=kinds
    )
    start = iv.started_at or after
    end = min(iv.ended_at or start, start + limit)
    position = Position.SEATED if iv.position is Position.PRONE else iv.position
    basis = iv.legal_basis if iv.legal_basis in _LAWFUL else pick(draw, _LAWFUL)
    capacity = _FITS.get(basis, iv.capacity) if iv.capacity is not None else None
    seen = attrs.evolve(draw_observation(draw, end, timedelta(0)), at=end)
    return attrs.evolve(
        iv,
        ended_at=end,
        in_support_plan=True,
        position=position,
        legal_basis=basis,
        capacity=capacity,
        observations=(seen,),
    )


def _longer(draw: Draw, iv: Intervention, limit: timedelta) -> Intervention:
    """*iv* lasting from one minute to half an hour longer than *limit* (RI007's gap)."""
    start = iv.started_at or iv.ended_at
    if start is None:  # a drawn hold always has its start
        return iv
    end = moment(draw, start, limit + MINUTE, limit + MINUTE * 30)
    return attrs.evolve(iv, ended_at=end, observations=(Observation(at=end),))


def restriction_ends(shape: Shape, ivs: Sequence[Intervention]) -> tuple[datetime, datetime]:
    """The first and last ends of the restrictive interventions, as the rules anchor them."""
    ends = [iv.ended_at or iv.started_at or shape.occurred for iv in ivs if iv.is_restrictive]
    return min(ends), max(ends)


# -- debriefs and reviews ----------------------------------------------------------------------


@attrs.frozen
class Anchors:
    """The times the response counts from."""

    aware: datetime
    ri: tuple[datetime, datetime] | None
    """The first and last ends of the restrictive interventions (none: not restrictive)."""

    @property
    def base(self) -> datetime:
        """When the response starts: staff knew, and every restriction had ended."""
        return self.aware if self.ri is None else max(self.aware, self.ri[1])

    def after_ri(
        self, plan: Plan, code: str, default: timedelta
    ) -> tuple[datetime, datetime, datetime]:
        """
        From the last end to the deadline of *code* counted from the first end, and the last's.

        Evidence in the window meets each episode's deadline (when the configured deadline is
        too short for that, the last end's); late evidence misses the last end's deadline.
        """
        first, last = self.ri or (self.aware, self.aware)
        latest = plan.due(code, last, default)
        hi = plan.due(code, first, default)
        return (last, hi if hi >= last else latest, latest)


def draw_debriefs(draw: Draw, plan: Plan, at: Anchors) -> tuple[Debrief, ...]:
    """Staff debriefs (DB001, DB004, DB005), a person debrief (DB002, DB003), perhaps others."""
    staff = _staff_debriefs(draw, plan, at)
    person = _person_debriefs(draw, plan, at)
    others = some(draw, lambda: _other_debrief(draw, at.base), max_size=1)
    return (*staff, *person, *others)


def _staff_debriefs(draw: Draw, plan: Plan, at: Anchors) -> list[Debrief]:
    shape, gaps = plan.shape, plan.gaps
    topics = set(plan.policy.option("DB004", "topics", _STAFF_TOPICS))
    if "DB004" in gaps:
        topics.discard(pick(draw, sorted(topics, key=tuple(Topic).index)))
    ordered = tuple(t for t in Topic if t in topics)
    wellbeing = (*ordered, Topic.WELLBEING) if Topic.WELLBEING not in topics else ordered

    def held(chosen: tuple[Topic, ...]) -> _Make[Debrief]:
        return lambda after, within: draw_debrief(
            draw,
            audience=Audience.STAFF,
            status=DebriefStatus.HELD,
            topics=chosen,
            after=after,
            within=within,
            more=False,
        )

    found: list[Debrief] = []
    if shape.restrictive:
        window = at.after_ri(plan, "DB001", HOUR * 18)
        cover = wellbeing if shape.staff_injured and "DB005" not in gaps else ordered
        late_only = "DB004" in gaps
        found += _timely(draw, held(cover), window, gap="DB001" in gaps, late_only=late_only)
    if shape.staff_injured:
        due = plan.due("DB005", at.aware, HOUR * 18)
        found += _timely(draw, held(wellbeing), (at.aware, due, due), gap="DB005" in gaps)
    return found


def _person_debriefs(draw: Draw, plan: Plan, at: Anchors) -> list[Debrief]:
    gaps = plan.gaps
    declined = "DB003" in gaps
    options = (DebriefStatus.DECLINED, DebriefStatus.DEFERRED)
    status = pick(draw, options if declined else (DebriefStatus.OFFERED, DebriefStatus.HELD))

    def make(after: datetime, within: timedelta) -> Debrief:
        return draw_debrief(
            draw, audience=Audience.PERSON, status=status, topics=(), after=after, within=within
        )

    if plan.shape.restrictive:
        window = at.after_ri(plan, "DB002", HOUR * 48)
        return _timely(draw, make, window, gap="DB002" in gaps, late_only=declined)
    if declined or draw(BOOL):
        return [make(at.base, DAY * 2)]
    return []


def _other_debrief(draw: Draw, base: datetime) -> Debrief:
    audience = pick(draw, (Audience.FAMILY, Audience.ADVOCATE))
    return draw_debrief(draw, audience=audience, status=None, topics=(), after=base, within=DAY * 3)


def draw_reviews(draw: Draw, plan: Plan, at: Anchors) -> tuple[Review, ...]:
    """The reviews a good response holds (RI001, RI002, LN002), each with its learning."""
    shape, gaps = plan.shape, plan.gaps
    found: list[Review] = []
    if shape.restrictive:
        pir = (ReviewKind.POST_INCIDENT_REVIEW, ReviewKind.AFTER_ACTION_REVIEW)
        for kinds, code, default in (
            (pir, "RI001", HOUR * 48),
            ((ReviewKind.SUPPORT_PLAN_REVIEW,), "RI002", DAY * 5),
        ):
            window = at.after_ri(plan, code, default)
            found += _timely(draw, _learning(draw, kinds), window, gap=code in gaps)
    elif shape.distress:
        kinds = (ReviewKind.REFLECTIVE_REVIEW, ReviewKind.POST_INCIDENT_REVIEW)
        due = plan.due("LN002", shape.aware_at, DAY * 5)
        window = (at.base, due, due)
        found += _timely(draw, _learning(draw, kinds), window, gap="LN002" in gaps)
    if "LN003" in gaps:
        rca = (ReviewKind.ROOT_CAUSE_ANALYSIS,)
        found.append(draw_review(draw, kinds=rca, learning=False, after=at.base, within=DAY * 7))
    found += some(draw, lambda: _learning(draw, _OTHER_REVIEWS)(at.base, DAY * 7), max_size=1)
    return tuple(found)


def _learning(draw: Draw, kinds: Sequence[ReviewKind]) -> _Make[Review]:
    return lambda at, span: draw_review(draw, kinds=kinds, learning=True, after=at, within=span)


# -- safeguarding, notifications and actions ---------------------------------------------------


def draw_process(draw: Draw, plan: Plan) -> Safeguarding:
    """A safeguarding process raised in time (SG003), its stages explained (SG001, SG002)."""
    shape, gaps, policy = plan.shape, plan.gaps, plan.policy
    after, within = shape.aware_at, HOUR * 12
    if shape.raises_concern:
        due = plan.due("SG003", after, HOUR * 12)
        after, within = (late_from(due), DAY * 3) if "SG003" in gaps else (after, due - after)
    deadlines = Deadlines(
        explain=lambda t: policy.due("SG001", t, HOUR * 20),
        outcomes=lambda t: policy.due("SG002", t, HOUR * 20),
    )
    return draw_safeguarding(draw, after=after, within=within, deadlines=deadlines, gaps=gaps)


def draw_notifications(draw: Draw, plan: Plan) -> tuple[Notification, ...]:
    """The notifications the incident calls for (NT001, NT003), and perhaps another."""
    shape, gaps = plan.shape, plan.gaps
    found: list[Notification] = []
    if shape.needs_cqc:
        due = plan.due("NT001", shape.aware_at, HOUR * 20)
        make = _sent(draw, (Recipient.CQC,), candour=False)
        found += _timely(draw, make, (shape.aware_at, due, due), gap="NT001" in gaps)
    if shape.hse_span is not None:  # counted from the incident, not from awareness
        due = plan.due("NT003", shape.occurred, DAY * 5, shape.hse_span)
        make = _sent(draw, (Recipient.HSE,), candour=False)
        found += _timely(draw, make, (shape.occurred, due, due), gap="NT003" in gaps)
    found += some(
        draw,
        lambda: _sent(draw, _OTHER_RECIPIENTS, candour=False)(shape.aware_at, DAY * 3),
        max_size=1,
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


def draw_duty_of_candour(draw: Draw, plan: Plan) -> tuple[Candour | None, tuple[Notification, ...]]:
    """
    The duty of candour decision (NT002) and, when notifiable, its notice and letter.

    The decision comes by NT002's ``decide_within`` (as a gap: none, or late); the notice
    in person, by phone or video, with an apology, by ``within`` after it; the letter or
    email by ``written_within`` after the notice.
    """
    shape = plan.shape
    if not shape.needs_candour:
        return None, ()
    due = plan.due("NT002", shape.aware_at, DAY * 7, "decide_within")

    def decide(at: datetime, span: timedelta) -> Candour:
        return draw_candour(draw, at, span)

    found = _timely(draw, decide, (shape.aware_at, due, due), gap="NT002" in plan.gaps)
    if not found or not found[0].notifiable:
        return (found[0] if found else None), ()
    candour = found[0]
    to = _RELEVANT[candour.relevant_person]
    told_by = plan.due("NT002", candour.decided_at, DAY * 7)
    notice = attrs.evolve(
        _sent(draw, to, candour=True)(candour.decided_at, told_by - candour.decided_at),
        method=pick(draw, (*_SPOKEN, None)),
        apology=True,
    )
    written_by = plan.due("NT002", notice.sent_at, DAY * 7, "written_within")
    written = attrs.evolve(
        _sent(draw, (notice.recipient,), candour=True)(notice.sent_at, written_by - notice.sent_at),
        method=pick(draw, _WRITTEN),
    )
    return candour, (notice, written)


def _sent(draw: Draw, to: Sequence[Recipient], *, candour: bool) -> _Make[Notification]:
    return lambda at, span: draw_notification(
        draw, recipients=to, candour=candour, after=at, within=span
    )


def draw_actions(draw: Draw, plan: Plan, base: datetime) -> tuple[Action, ...]:
    """Actions done on time and assessed; gaps: one overdue (LN004), one unassessed (LN005)."""
    gaps = plan.gaps

    def done(*, on_time: bool) -> Action:
        return draw_action(draw, on_time=on_time, after=base, within=DAY * 14)

    found = some(draw, lambda: _assessed(draw, plan, done(on_time=True)))
    if "LN004" in gaps:
        late = _assessed(draw, plan, done(on_time=False))
        open_ = attrs.evolve(late, completed_at=None, effectiveness=None)
        found.append(open_ if draw(BOOL) else late)
    if "LN005" in gaps:
        found.append(_unassessed(draw, plan, done(on_time=True)))
    return tuple(attrs.evolve(a, id=f"A-{i}") for i, a in enumerate(found, start=1))


def _assessed(draw: Draw, plan: Plan, action: Action) -> Action:
    """Assess a completed action as (partly) effective, within LN005's deadline."""
    if action.completed_at is None:
        return action
    done = action.completed_at
    due = plan.due("LN005", done, DAY * 20)
    effect = draw_effect(draw, done, max(due - done, timedelta(0)), outcomes=_WORKED)
    return attrs.evolve(action, effectiveness=effect)


def _unassessed(draw: Draw, plan: Plan, action: Action) -> Action:
    """Never assessed, assessed after LN005's deadline, or assessed as not effective."""
    done = action.completed_at or plan.shape.occurred
    how = pick(draw, ("never", "late", "not_effective"))
    if how == "never":
        return attrs.evolve(action, completed_at=done, effectiveness=None)
    if how == "late":
        due = plan.due("LN005", done, DAY * 20)
        effect = draw_effect(draw, late_from(due), LATE_SPAN, outcomes=_WORKED)
    else:
        effect = draw_effect(draw, done, DAY, outcomes=(Outcome.NOT_EFFECTIVE,))
    return attrs.evolve(action, completed_at=done, effectiveness=effect)
