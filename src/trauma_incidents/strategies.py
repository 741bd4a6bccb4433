"""
Hypothesis strategies that generate valid incidents and their parts.

Every value respects the model's validation and the domain's order of events: times are
aware, nothing in the response happens before the incident, interventions end at or after
they start, and each safeguarding stage is explained at or after it is entered. Times shrink
toward `EPOCH` (2026-01-01T00:00Z) or the anchor given, lists toward fewer elements, and
text toward the first of a few short synthetic phrases, so counterexamples stay small.

``st.from_type(Incident)`` (and every other model class) works once this module is imported,
or through the ``hypothesis`` entry point.

Internally every value is drawn by a ``_draw_*`` function from a few module-level
strategies: building strategies inside a draw is what makes generation slow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta, timezone
from functools import cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn as Draw
from hypothesis.strategies import SearchStrategy

from trauma_incidents._boundaries import Boundary, deadline_boundaries
from trauma_incidents._validators import is_aware as _is_aware
from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model import (
    RESTRICTIVE_KINDS,
    AccountMethod,
    Action,
    Advocate,
    AdvocateKind,
    Audience,
    Capacity,
    Category,
    Debrief,
    DebriefStatus,
    EarlyWarningSign,
    Effectiveness,
    Explanation,
    ExplanationMethod,
    Harm,
    Incident,
    InjuredParty,
    Injury,
    InjurySeverity,
    Intervention,
    InterventionKind,
    InvolvedRole,
    LegalBasis,
    LocationType,
    Notification,
    NotificationConsent,
    Observation,
    Outcome,
    PersonAccount,
    PersonInvolved,
    PhysicalHarm,
    Position,
    PsychologicalHarm,
    Recipient,
    Review,
    ReviewKind,
    Safeguarding,
    SafeguardingConsent,
    SafeguardingStage,
    Setting,
    Severity,
    Stage,
    Topic,
    Trigger,
    TriggerKind,
)

__all__ = [
    "EPOCH",
    "Boundary",
    "actions",
    "deadline_boundaries",
    "debriefs",
    "early_warning_signs",
    "incidents",
    "injuries",
    "interventions",
    "notifications",
    "reviews",
    "safeguardings",
    "times",
    "triggers",
]

_T = TypeVar("_T")
_E = TypeVar("_E")

#: Where generated times shrink to when no anchor is given.
EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)

_LONDON = ZoneInfo("Europe/London")
_MINUTE, _HOUR, _DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
_STEPS = 1 << 20
_FRACTION = st.integers(0, _STEPS)
_SIGNED = st.integers(-_STEPS, _STEPS)
_BOOL = st.booleans()
_ZONES = st.sampled_from(
    [timezone.utc, *(timezone(timedelta(minutes=m)) for m in (60, -300, 330, 120, -600))]
)
_SERVICES = ("SVC-NORTH-SL", "SVC-EAST-RC", "SVC-CITY-DAY", "SVC-WEST-COM")
_PHRASES = {
    "detail": ("noise", "change of staff", "crowded room", "pain", "unfamiliar route"),
    "sign": ("pacing", "covering ears", "raised voice", "withdrawing", "asking to leave"),
    "reason": ("to prevent harm", "to keep the person safe", "to protect others"),
    "cause": ("busy environment", "plan not followed", "need not recognised"),
    "change": ("update support plan", "plan quieter times", "add visual timetable"),
    "action": ("review routine", "share plan with team", "arrange sensory assessment"),
    "evidence": ("fewer incidents", "person says it helps", "no change seen"),
    "summary": ("The person became distressed.", "Staff offered support.", "A fall."),
    "location": ("lounge", "garden", "high street", "minibus"),
    "role": ("support worker", "nurse", "team leader"),
}
_STAFF_TOPICS = (Topic.TIMELINE, Topic.EARLY_WARNING_SIGNS, Topic.COMMUNICATION)
_CALM_KINDS = tuple(k for k in InterventionKind if k not in RESTRICTIVE_KINDS)
_HELD_KINDS = (*sorted(RESTRICTIVE_KINDS), InterventionKind.OTHER)
_OUTCOMES = tuple(Outcome)
_RI_DETAILS = ("started_at", "ended_at", "reason", "staff_ids", "in_support_plan")
_PATHS = (
    (Stage.CONCERN_RAISED,),
    (Stage.CONCERN_RAISED, Stage.INITIAL_ENQUIRY),
    (Stage.CONCERN_RAISED, Stage.INITIAL_ENQUIRY, Stage.CLOSED),
    (Stage.CONCERN_RAISED, Stage.INITIAL_ENQUIRY, Stage.SECTION_42_ENQUIRY),
    tuple(Stage),
    (*tuple(Stage)[:4], Stage.CLOSED),
)


# -- argument checks ---------------------------------------------------------------------------


def _check_type(name: str, value: object, types: type | tuple[type, ...]) -> None:
    if not isinstance(value, types):
        msg = f"Expected {types!r} but got {name}={value!r} (type={type(value).__name__})"
        raise InvalidArgument(msg)


def _check_optional(name: str, value: object, types: type | tuple[type, ...]) -> None:
    if value is not None:
        _check_type(name, value, types)


def _check_anchor(name: str, value: datetime | None) -> datetime:
    if value is None:
        return EPOCH
    _check_type(name, value, datetime)
    if not _is_aware(value):
        msg = f"{name}={value!r} must be an aware datetime (try tzinfo=timezone.utc)"
        raise InvalidArgument(msg)
    return value


def _check_span(name: str, value: timedelta) -> timedelta:
    _check_type(name, value, timedelta)
    if value < timedelta(0):
        msg = f"{name}={value!r} must not be negative"
        raise InvalidArgument(msg)
    return value


# -- drawing primitives ------------------------------------------------------------------------


@cache
def _ints(lo: int, hi: int) -> SearchStrategy[int]:
    return st.integers(lo, hi)


def _pick(draw: Draw, options: Sequence[_E]) -> _E:
    """Draw one of *options*, shrinking toward the first."""
    return options[draw(_ints(0, len(options) - 1))]


def _members(draw: Draw, enum: type[_E]) -> _E:
    return _pick(draw, tuple(enum))  # type: ignore[arg-type]  # an Enum class is iterable


def _chance(draw: Draw, value: bool | None = None) -> bool:  # noqa: FBT001 (tri-state option)
    return draw(_BOOL) if value is None else value


def _maybe(draw: Draw, make: Callable[[], _T]) -> _T | None:
    """Draw ``None`` (where it shrinks to) or a value from *make*."""
    return make() if draw(_BOOL) else None


def _some(draw: Draw, make: Callable[[], _T], *, min_size: int = 0, max_size: int = 2) -> list[_T]:
    return [make() for _ in range(draw(_ints(min_size, max_size)))]


def _text(draw: Draw, kind: str) -> str:
    return _pick(draw, _PHRASES[kind])


def _staff(draw: Draw) -> str:
    return f"ST-{draw(_ints(100, 399)):03d}"


def _staff_ids(draw: Draw, min_size: int = 0) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_some(draw, lambda: _staff(draw), min_size=min_size)))


def _at(draw: Draw, anchor: datetime, lo: timedelta, hi: timedelta) -> datetime:
    """A whole-minute time from ``anchor + lo`` to ``anchor + hi`` (shrinking to the former)."""
    span = (hi - lo) // _MINUTE
    minutes = span * draw(_FRACTION) // _STEPS
    return (anchor + lo + minutes * _MINUTE).astimezone(draw(_ZONES))


def _near(draw: Draw, anchor: datetime, half: timedelta) -> datetime:
    """A whole-minute time within *half* either side of *anchor* (shrinking to it)."""
    minutes = (half // _MINUTE) * draw(_SIGNED) // _STEPS
    return (anchor + minutes * _MINUTE).astimezone(draw(_ZONES))


@st.composite
def _drawn(draw: Draw, make: Callable[[Draw], _T]) -> _T:
    return make(draw)


# -- parts -------------------------------------------------------------------------------------


def times(
    *, after: datetime | None = None, within: timedelta = _DAY * 7
) -> SearchStrategy[datetime]:
    """
    Aware whole-minute times from *after* to *after* + *within*, in varied UTC offsets.

    Args:
        after: The earliest time (default `EPOCH`); times shrink toward it.
        within: How far after *after* times may fall.

    Raises:
        InvalidArgument: *after* is naive or *within* is negative.
    """
    anchor, span = _check_anchor("after", after), _check_span("within", within)
    return _drawn(lambda draw: _at(draw, anchor, timedelta(0), span))


def triggers(*, known: bool | None = None) -> SearchStrategy[Trigger]:
    """
    Triggers; ``known=True`` never gives kind ``unknown``, ``known=False`` always does.

    Raises:
        InvalidArgument: *known* is not a bool or None.
    """
    _check_optional("known", known, bool)
    return _drawn(lambda draw: _draw_trigger(draw, known=known))


def _draw_trigger(draw: Draw, *, known: bool | None) -> Trigger:
    kinds = tuple(TriggerKind)[:-1] if _chance(draw, known) else (TriggerKind.UNKNOWN,)
    return Trigger(
        kind=_pick(draw, kinds),
        detail=_maybe(draw, lambda: _text(draw, "detail")),
        confirmed=draw(_BOOL),
    )


def early_warning_signs(
    *, after: datetime | None = None, within: timedelta = _HOUR * 2
) -> SearchStrategy[EarlyWarningSign]:
    """
    Early warning signs, noticed (when they were) between *after* and *after* + *within*.

    Raises:
        InvalidArgument: *after* is naive or *within* is negative.
    """
    anchor, span = _check_anchor("after", after), _check_span("within", within)
    return _drawn(lambda draw: _draw_sign(draw, anchor, span))


def _draw_sign(draw: Draw, after: datetime, within: timedelta) -> EarlyWarningSign:
    return EarlyWarningSign(
        description=_text(draw, "sign"),
        noticed_at=_maybe(draw, lambda: _at(draw, after, timedelta(0), within)),
        acted_on=draw(_BOOL),
    )


def injuries(*, who: InjuredParty | None = None) -> SearchStrategy[Injury]:
    """
    Injuries, to *who* when given.

    Raises:
        InvalidArgument: *who* is not an `InjuredParty`.
    """
    _check_optional("who", who, InjuredParty)
    return _drawn(lambda draw: _draw_injury(draw, who))


def _draw_injury(draw: Draw, who: InjuredParty | None = None, *, recorded: bool = False) -> Injury:
    days = draw(_ints(0, 30)) if recorded else _maybe(draw, lambda: draw(_ints(0, 30)))
    return Injury(
        who=_members(draw, InjuredParty) if who is None else who,
        severity=_members(draw, InjurySeverity),
        medical_treatment=draw(_BOOL),
        days_incapacitated=days,
        specified_injury=draw(_BOOL),
    )


def interventions(
    *,
    restrictive: bool | None = None,
    detailed: bool | None = None,
    after: datetime | None = None,
    within: timedelta = _HOUR,
) -> SearchStrategy[Intervention]:
    """
    Interventions starting between *after* and *after* + *within*, lasting up to 30 minutes.

    Args:
        restrictive: ``True`` gives only restrictive ones (see `Intervention.is_restrictive`),
            ``False`` none.
        detailed: ``True`` records start, end, reason, staff, whether it is in the support
            plan, and the position of a physical restraint; ``False`` leaves one of those out.
        after: The earliest start (default `EPOCH`).
        within: How late after *after* it may start.

    Raises:
        InvalidArgument: an argument has the wrong type, *after* is naive or *within* is
            negative.
    """
    _check_optional("restrictive", restrictive, bool)
    _check_optional("detailed", detailed, bool)
    anchor, span = _check_anchor("after", after), _check_span("within", within)
    return _drawn(
        lambda draw: _draw_intervention(
            draw, restrictive=restrictive, detailed=detailed, after=anchor, within=span
        )
    )


def _draw_intervention(
    draw: Draw,
    *,
    restrictive: bool | None,
    detailed: bool | None,
    after: datetime,
    within: timedelta,
) -> Intervention:
    held = _chance(draw, restrictive)
    kind = _pick(draw, _HELD_KINDS if held else _CALM_KINDS)
    flag = True if kind is InterventionKind.OTHER and held else _pick(draw, (None, held))
    full = _chance(draw, detailed)
    start = _at(draw, after, timedelta(0), within)
    position = _maybe(draw, lambda: _members(draw, Position))
    if full and kind is InterventionKind.PHYSICAL_RESTRAINT and position is None:
        position = Position.STANDING
    iv = Intervention(
        kind=kind,
        restrictive=flag,
        started_at=start,
        ended_at=_at(draw, start, timedelta(0), _MINUTE * 30),
        reason=_text(draw, "reason"),
        position=position,
        staff_ids=_staff_ids(draw, min_size=1),
        in_support_plan=draw(_BOOL),
        legal_basis=_maybe(draw, lambda: _members(draw, LegalBasis)),
        capacity=_maybe(draw, lambda: _members(draw, Capacity)),
        observations=tuple(_some(draw, lambda: _draw_observation(draw, start))),
    )
    return iv if full else _drop_detail(draw, iv)


def _drop_detail(draw: Draw, iv: Intervention) -> Intervention:
    name = _pick(draw, _RI_DETAILS)
    changes: dict[str, Any] = {name: () if name == "staff_ids" else None}
    return attrs.evolve(iv, **changes)


def _draw_observation(draw: Draw, start: datetime) -> Observation:
    return Observation(
        at=_at(draw, start, timedelta(0), _HOUR),
        airway_breathing_ok=_maybe(draw, lambda: draw(_BOOL)),
        conscious=_maybe(draw, lambda: draw(_BOOL)),
        by_role=_maybe(draw, lambda: _text(draw, "role")),
    )


def debriefs(
    *,
    audience: Audience | None = None,
    status: DebriefStatus | None = None,
    topics: Iterable[Topic] = (),
    after: datetime | None = None,
    within: timedelta = _DAY * 3,
) -> SearchStrategy[Debrief]:
    """
    Debriefs between *after* and *after* + *within*.

    Args:
        audience: Only debriefs with this audience.
        status: Only debriefs with this status.
        topics: Topics every debrief covers (more may be added); these make it ``held``.
        after: The earliest time (default `EPOCH`).
        within: How late after *after* it may be.

    Raises:
        InvalidArgument: bad types, or *topics* with a *status* other than ``held``.
    """
    _check_optional("audience", audience, Audience)
    _check_optional("status", status, DebriefStatus)
    required = tuple(dict.fromkeys(topics))
    for topic in required:
        _check_type("topics[...]", topic, Topic)
    if required and status not in {None, DebriefStatus.HELD}:
        msg = f"topics={required!r} needs a held debrief, not status={status!r}"
        raise InvalidArgument(msg)
    anchor, span = _check_anchor("after", after), _check_span("within", within)
    held = DebriefStatus.HELD if required else status
    return _drawn(
        lambda draw: _draw_debrief(
            draw, audience=audience, status=held, topics=required, after=anchor, within=span
        )
    )


def _draw_debrief(
    draw: Draw,
    *,
    audience: Audience | None,
    status: DebriefStatus | None,
    topics: tuple[Topic, ...],
    after: datetime,
    within: timedelta,
) -> Debrief:
    state = _members(draw, DebriefStatus) if status is None else status
    at = _at(draw, after, timedelta(0), within)
    more = [t for t in Topic if t not in topics]
    extra = dict.fromkeys(_some(draw, lambda: _pick(draw, more)) if more else [])
    later = state in {DebriefStatus.DEFERRED, DebriefStatus.DECLINED}
    return Debrief(
        audience=_members(draw, Audience) if audience is None else audience,
        status=state,
        at=at,
        reoffer_by=_at(draw, at, _HOUR, _DAY * 3) if later else None,
        topics=(*topics, *extra) if state is DebriefStatus.HELD else (),
        facilitator_id=_maybe(draw, lambda: _staff(draw)),
        participant_ids=_staff_ids(draw),
    )


def reviews(
    *,
    kind: ReviewKind | None = None,
    learning: bool | None = None,
    after: datetime | None = None,
    within: timedelta = _DAY * 7,
) -> SearchStrategy[Review]:
    """
    Reviews completed between *after* and *after* + *within*.

    Args:
        kind: Only reviews of this kind.
        learning: ``True`` records root causes and changes, ``False`` leaves one of them empty.
        after: The earliest completion (default `EPOCH`).
        within: How late after *after* it may be completed.

    Raises:
        InvalidArgument: an argument has the wrong type or value.
    """
    _check_optional("kind", kind, ReviewKind)
    _check_optional("learning", learning, bool)
    anchor, span = _check_anchor("after", after), _check_span("within", within)
    kinds = tuple(ReviewKind) if kind is None else (kind,)
    return _drawn(
        lambda draw: _draw_review(draw, kinds=kinds, learning=learning, after=anchor, within=span)
    )


def _draw_review(
    draw: Draw,
    *,
    kinds: Sequence[ReviewKind],
    learning: bool | None,
    after: datetime,
    within: timedelta,
) -> Review:
    full = _chance(draw, learning)
    gap = "" if full else _pick(draw, ("root_causes", "changes"))
    return Review(
        kind=_pick(draw, kinds),
        completed_at=_at(draw, after, timedelta(0), within),
        root_causes=() if gap == "root_causes" else _phrases(draw, "cause"),
        changes=() if gap == "changes" else _phrases(draw, "change"),
    )


def _phrases(draw: Draw, kind: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_some(draw, lambda: _text(draw, kind), min_size=1)))


def notifications(
    *,
    recipient: Recipient | None = None,
    duty_of_candour: bool | None = None,
    after: datetime | None = None,
    within: timedelta = _DAY,
) -> SearchStrategy[Notification]:
    """
    Notifications sent between *after* and *after* + *within*.

    Raises:
        InvalidArgument: an argument has the wrong type or value.
    """
    _check_optional("recipient", recipient, Recipient)
    _check_optional("duty_of_candour", duty_of_candour, bool)
    anchor, span = _check_anchor("after", after), _check_span("within", within)
    to = tuple(Recipient) if recipient is None else (recipient,)
    return _drawn(
        lambda draw: _draw_notification(
            draw, recipients=to, candour=duty_of_candour, after=anchor, within=span
        )
    )


def _draw_notification(
    draw: Draw,
    *,
    recipients: Sequence[Recipient],
    candour: bool | None,
    after: datetime,
    within: timedelta,
) -> Notification:
    return Notification(
        recipient=_pick(draw, recipients),
        sent_at=_at(draw, after, timedelta(0), within),
        duty_of_candour=_chance(draw, candour),
        reference=_maybe(draw, lambda: f"REF-{draw(_ints(1, 9999)):04d}"),
        consent=_maybe(draw, lambda: _members(draw, NotificationConsent)),
    )


def actions(
    *,
    ids: SearchStrategy[str] | None = None,
    on_time: bool | None = None,
    after: datetime | None = None,
    within: timedelta = _DAY * 14,
) -> SearchStrategy[Action]:
    """
    Learning actions completed (or still open) between *after* and *after* + *within*.

    Use ``st.lists(actions(), unique_by=lambda a: a.id)`` for a valid list.

    Args:
        ids: Strategy for the action ids (default ``A-1`` to ``A-9``).
        on_time: ``True``: completed by the due time (a date means the end of that day in
            Europe/London), and any effectiveness assessed within 20 days of completion.
            ``False``: completed after the due time. ``None``: either, or still open.
        after: The earliest completion (default `EPOCH`).
        within: How late after *after* it may be completed.

    Raises:
        InvalidArgument: an argument has the wrong type or value.
    """
    _check_optional("ids", ids, SearchStrategy)
    _check_optional("on_time", on_time, bool)
    anchor, span = _check_anchor("after", after), _check_span("within", within)
    id_strategy = ids if ids is not None else _ints(1, 9).map("A-{}".format)
    return _drawn(
        lambda draw: attrs.evolve(
            _draw_action(draw, on_time=on_time, after=anchor, within=span), id=draw(id_strategy)
        )
    )


def _draw_action(draw: Draw, *, on_time: bool | None, after: datetime, within: timedelta) -> Action:
    done = _at(draw, after, timedelta(0), within)
    is_open = on_time is None and draw(_BOOL)
    slack = draw(_ints(0, 14 * 24)) * _HOUR
    due: date | datetime = done - slack - _HOUR
    if on_time is not False:
        due = done + slack
        due = due.astimezone(_LONDON).date() if draw(_BOOL) else due
    return Action(
        id="A-1",
        description=_text(draw, "action"),
        owner_id=_maybe(draw, lambda: _staff(draw)),
        due=due,
        completed_at=None if is_open else done,
        effectiveness=None if is_open else _maybe(draw, lambda: _draw_effect(draw, done)),
    )


def _draw_effect(
    draw: Draw,
    after: datetime,
    within: timedelta = _DAY * 20,
    outcomes: Sequence[Outcome] = _OUTCOMES,
) -> Effectiveness:
    return Effectiveness(
        assessed_at=_at(draw, after, timedelta(0), within),
        outcome=_pick(draw, outcomes),
        evidence=_maybe(draw, lambda: _text(draw, "evidence")),
    )


def safeguardings(
    *,
    explained: bool | None = None,
    after: datetime | None = None,
    within: timedelta = _HOUR * 12,
) -> SearchStrategy[Safeguarding]:
    """
    Safeguarding processes raised between *after* and *after* + *within*.

    The first stage is ``concern_raised``; later stages follow in order, from 1 hour to 14
    days apart.

    Args:
        explained: ``True``: every stage is explained within 20 hours of being entered, and
            desired outcomes are recorded within 20 hours of the first stage. ``False``: one
            stage is unexplained or explained over a week late, or the desired outcomes are
            missing or late.
        after: The earliest time (default `EPOCH`).
        within: How late after *after* the concern may be raised.

    Raises:
        InvalidArgument: an argument has the wrong type or value.
    """
    _check_optional("explained", explained, bool)
    anchor, span = _check_anchor("after", after), _check_span("within", within)
    return _drawn(
        lambda draw: _draw_safeguarding(draw, explained=explained, after=anchor, within=span)
    )


def _draw_safeguarding(
    draw: Draw, *, explained: bool | None, after: datetime, within: timedelta
) -> Safeguarding:
    entered = _at(draw, after, timedelta(0), within)
    stages = []
    for stage in _pick(draw, _PATHS):
        explanation = _draw_explanation(draw, entered)
        stages.append(SafeguardingStage(stage=stage, entered_at=entered, explanation=explanation))
        entered = _at(draw, entered, _HOUR, _DAY * 14)
    first = stages[0].entered_at
    sg = Safeguarding(
        reference=_maybe(draw, lambda: f"SG-{draw(_ints(1, 9999)):04d}"),
        stages=tuple(stages),
        desired_outcomes_recorded_at=_at(draw, first, timedelta(0), _HOUR * 20),
        consent=_maybe(draw, lambda: _members(draw, SafeguardingConsent)),
        advocate=_maybe(draw, lambda: _draw_advocate(draw, first)),
    )
    return sg if _chance(draw, explained) else _unexplain(draw, sg)


def _draw_explanation(draw: Draw, entered: datetime) -> Explanation:
    return Explanation(
        at=_at(draw, entered, timedelta(0), _HOUR * 20),
        method=_members(draw, ExplanationMethod),
        by=_maybe(draw, lambda: _staff(draw)),
    )


def _draw_advocate(draw: Draw, after: datetime) -> Advocate:
    return Advocate(
        kind=_members(draw, AdvocateKind),
        appointed_at=_maybe(draw, lambda: _at(draw, after, timedelta(0), _DAY * 2)),
    )


def _unexplain(draw: Draw, sg: Safeguarding) -> Safeguarding:
    """Leave one gap: a stage unexplained or explained late, or desired outcomes missing or late."""
    gap = _pick(draw, ("unexplained", "late", "outcomes"))
    if gap == "outcomes":
        late = _maybe(draw, lambda: _at(draw, sg.stages[0].entered_at, _DAY * 8, _DAY * 20))
        return attrs.evolve(sg, desired_outcomes_recorded_at=late)
    i = draw(_ints(0, len(sg.stages) - 1))
    stage = sg.stages[i]
    explanation = None
    if gap == "late":
        at = _at(draw, stage.entered_at, _DAY * 8, _DAY * 20)
        explanation = Explanation(at=at, method=ExplanationMethod.VERBAL)
    stages = list(sg.stages)
    stages[i] = attrs.evolve(stage, explanation=explanation)
    return attrs.evolve(sg, stages=tuple(stages))


def _draw_harm(draw: Draw) -> Harm:
    return Harm(
        physical=_members(draw, PhysicalHarm), psychological=_members(draw, PsychologicalHarm)
    )


def _draw_account(draw: Draw, after: datetime) -> PersonAccount:
    return PersonAccount(
        given=draw(_BOOL),
        method=_members(draw, AccountMethod),
        at=_maybe(draw, lambda: _at(draw, after, timedelta(0), _DAY * 3)),
    )


def _draw_involved(draw: Draw, after: datetime) -> PersonInvolved:
    return PersonInvolved(
        ref=f"X-{draw(_ints(1, 99)):02d}",
        role=_members(draw, InvolvedRole),
        support_offered_at=_maybe(draw, lambda: _at(draw, after, timedelta(0), _DAY * 2)),
    )


def _draw_stage(draw: Draw) -> SafeguardingStage:
    entered = _at(draw, EPOCH, timedelta(0), _DAY * 365)
    return SafeguardingStage(
        stage=_members(draw, Stage),
        entered_at=entered,
        explanation=_maybe(draw, lambda: _draw_explanation(draw, entered)),
    )


# -- incidents ---------------------------------------------------------------------------------

_DISTRESS = frozenset(
    {
        Category.BEHAVIOURAL_DISTRESS,
        Category.VERBAL_AGGRESSION,
        Category.PHYSICAL_AGGRESSION,
        Category.SELF_HARM,
    }
)
_SAFEGUARDING_CATEGORIES = frozenset({Category.SAFEGUARDING_CONCERN, Category.ABUSE_ALLEGATION})
_CQC_CATEGORIES = frozenset(
    {Category.ABUSE_ALLEGATION, Category.POLICE_INVOLVEMENT, Category.DEATH}
)
_ALWAYS_GAPS = (
    "review_learning",
    "action_overdue",
    "action_unassessed",
)
_RI_GAPS = (
    "staff_debrief_late",
    "staff_debrief_topics",
    "person_debrief",
    "post_incident_review",
    "support_plan_review",
    "ri_details",
    "de_escalation_first",
)
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
_LATE_REVIEW = (_DAY * 8, _DAY * 20)


def incidents(
    *,
    restrictive: bool | None = None,
    with_safeguarding: bool | None = None,
    complete: bool | None = None,
    around: datetime | None = None,
    person_ids: SearchStrategy[str] | None = None,
    service_ids: SearchStrategy[str] | None = None,
) -> SearchStrategy[Incident]:
    """
    Valid incidents, each with the evidence of a good response or with gaps in it.

    A complete incident has a known trigger; a held staff debrief covering the timeline,
    early warning signs and communication (and wellbeing after a staff injury) within 18
    hours of the end of any restrictive intervention; a person debrief within 48 hours; a
    post-incident (or after-action) review within 48 hours, and support plan and reflective
    reviews within 5 days, each with root causes and changes; fully recorded restrictive
    interventions begun after de-escalation began; each safeguarding stage explained within
    20 hours; the notifications it calls for (CQC, duty of candour, HSE) on time; and learning
    actions done by their due time and assessed within 21 days.

    Args:
        restrictive: ``True``: at least one restrictive intervention; ``False``: none.
        with_safeguarding: ``True``: a safeguarding process; ``False``: none.
        complete: ``True``: all of the evidence above. ``False``: one to three gaps in it
            (missing, late or partial evidence), each of a kind a default rule flags.
            ``None``: either.
        around: Keep `Incident.occurred_at` within 7 days of this aware time (by default it
            is within a year of `EPOCH`).
        person_ids: Strategy for `Incident.person_id` (default ``P-001`` to ``P-040``).
        service_ids: Strategy for `Incident.service_id`.

    Raises:
        InvalidArgument: an argument has the wrong type, or *around* is naive.
    """
    flags = (restrictive, with_safeguarding, complete)
    for name, value in zip(("restrictive", "with_safeguarding", "complete"), flags, strict=True):
        _check_optional(name, value, bool)
    if around is not None:
        _check_anchor("around", around)
    _check_optional("person_ids", person_ids, SearchStrategy)
    _check_optional("service_ids", service_ids, SearchStrategy)
    people = _ints(1, 40).map("P-{:03d}".format) if person_ids is None else person_ids
    services = st.sampled_from(_SERVICES) if service_ids is None else service_ids
    return _drawn(lambda draw: _draw_incident(draw, flags, around, people, services))


@attrs.frozen
class _Shape:
    """The basics, drawn first: they decide which evidence a good response needs."""

    occurred: datetime
    reported: datetime | None
    categories: tuple[Category, ...]
    severity: Severity
    injuries: tuple[Injury, ...]
    restrictive: bool
    safeguarding: bool

    @property
    def aware_at(self) -> datetime:
        return self.reported or self.occurred

    @property
    def distress(self) -> bool:
        return not _DISTRESS.isdisjoint(self.categories)

    @property
    def staff_injured(self) -> bool:
        return any(i.who is InjuredParty.STAFF for i in self.injuries)

    @property
    def needs_cqc(self) -> bool:
        hurt = InjuredParty.PERSON, InjurySeverity.SERIOUS
        serious = any((i.who, i.severity) == hurt for i in self.injuries)
        death = self.severity is Severity.DEATH
        return serious or death or not _CQC_CATEGORIES.isdisjoint(self.categories)

    @property
    def needs_candour(self) -> bool:
        return self.severity in {Severity.MODERATE, Severity.SEVERE, Severity.DEATH}

    @property
    def needs_hse(self) -> bool:
        week = 7
        return any(
            i.who is InjuredParty.STAFF
            and (i.specified_injury or (i.days_incapacitated or 0) > week)
            for i in self.injuries
        )

    def gaps(self) -> tuple[str, ...]:
        """The gaps this incident can have, each of a kind a default rule flags."""
        conditions = {
            "trigger": self.restrictive or self.distress,
            "reflective_review": self.distress and not self.restrictive,
            "wellbeing_debrief": self.staff_injured,
            "stage_explanation": self.safeguarding,
            "concern_late": self.safeguarding
            and not _SAFEGUARDING_CATEGORIES.isdisjoint(self.categories),
            "cqc": self.needs_cqc,
            "candour": self.needs_candour,
            "riddor": self.needs_hse,
        }
        more = tuple(gap for gap, applies in conditions.items() if applies)
        return (*_ALWAYS_GAPS, *(_RI_GAPS if self.restrictive else ()), *more)


def _draw_incident(
    draw: Draw,
    flags: tuple[bool | None, bool | None, bool | None],
    around: datetime | None,
    person_ids: SearchStrategy[str],
    service_ids: SearchStrategy[str],
) -> Incident:
    restrictive, safeguarding, complete = (_chance(draw, f) for f in flags)
    shape = _draw_shape(
        draw, restrictive=restrictive, safeguarding=safeguarding, complete=complete, around=around
    )
    options = shape.gaps()
    picked = () if complete else _some(draw, lambda: _pick(draw, options), min_size=1, max_size=3)
    gaps = frozenset(picked)
    ivs = _draw_interventions(draw, shape, gaps)
    ends = [iv.ended_at or iv.started_at or shape.occurred for iv in ivs if iv.is_restrictive]
    base = max([shape.aware_at, *ends])
    o = shape.occurred
    return Incident(
        id=f"INC-{draw(_ints(1, 99999)):05d}",
        person_id=draw(person_ids),
        service_id=draw(service_ids),
        occurred_at=o,
        categories=shape.categories,
        severity=shape.severity,
        setting=_maybe(draw, lambda: _members(draw, Setting)),
        reported_at=shape.reported,
        recorded_at=_maybe(draw, lambda: _at(draw, o, timedelta(0), _DAY * 2)),
        location=_maybe(draw, lambda: _text(draw, "location")),
        location_type=_maybe(draw, lambda: _members(draw, LocationType)),
        summary=_maybe(draw, lambda: _text(draw, "summary")),
        harm=_maybe(draw, lambda: _draw_harm(draw)),
        triggers=_draw_triggers(draw, gaps),
        early_warning_signs=tuple(_some(draw, lambda: _draw_sign(draw, o - _HOUR * 2, _HOUR * 2))),
        interventions=tuple(ivs),
        injuries=shape.injuries,
        debriefs=_draw_debriefs(draw, shape, base, gaps),
        reviews=_draw_reviews(draw, base, gaps),
        safeguarding=_draw_process(draw, shape, gaps) if safeguarding else None,
        notifications=_draw_notifications(draw, shape, gaps),
        actions=_draw_actions(draw, base, gaps),
        person_account=_maybe(draw, lambda: _draw_account(draw, o)),
        people_involved=tuple(_some(draw, lambda: _draw_involved(draw, o), max_size=1)),
    )


def _draw_shape(
    draw: Draw, *, restrictive: bool, safeguarding: bool, complete: bool, around: datetime | None
) -> _Shape:
    occurred = _near(draw, around or EPOCH, _DAY * 7 if around else _DAY * 365)
    allowed = tuple(Category)
    if complete and not safeguarding:
        allowed = tuple(c for c in Category if c not in _SAFEGUARDING_CATEGORIES)
    categories = dict.fromkeys(_some(draw, lambda: _pick(draw, allowed), min_size=1, max_size=3))
    return _Shape(
        occurred=occurred,
        reported=_maybe(draw, lambda: _at(draw, occurred, timedelta(0), _HOUR)),
        categories=tuple(categories),
        severity=_members(draw, Severity),
        injuries=tuple(_some(draw, lambda: _draw_injury(draw, recorded=complete))),
        restrictive=restrictive,
        safeguarding=safeguarding,
    )


def _evidence(
    draw: Draw,
    make: Callable[[datetime, timedelta], _T],
    anchor: datetime,
    *,
    on_time: timedelta,
    late: tuple[timedelta, timedelta],
    gap: bool,
) -> list[_T]:
    """One piece of evidence on time; as a gap, either none or one that is late."""
    if not gap:
        return [make(anchor, on_time)]
    if draw(_BOOL):
        return []
    return [make(anchor + late[0], late[1] - late[0])]


def _draw_triggers(draw: Draw, gaps: frozenset[str]) -> tuple[Trigger, ...]:
    if "trigger" in gaps:
        return tuple(_some(draw, lambda: _draw_trigger(draw, known=False), max_size=1))
    first = _draw_trigger(draw, known=True)
    return (first, *_some(draw, lambda: _draw_trigger(draw, known=None), max_size=1))


def _draw_interventions(draw: Draw, shape: _Shape, gaps: frozenset[str]) -> list[Intervention]:
    o, n = shape.occurred, int(shape.restrictive)
    detail = True if n else None
    calm = _some(
        draw,
        lambda: _draw_intervention(
            draw, restrictive=False, detailed=detail, after=o, within=_MINUTE * 20
        ),
        min_size=n,
    )
    if not shape.restrictive:
        return calm
    first = min(iv.started_at or o for iv in calm)
    holds = _some(
        draw,
        lambda: _draw_intervention(
            draw, restrictive=True, detailed=True, after=first, within=_HOUR
        ),
        min_size=1,
    )
    if not gaps:  # planned, and never face down (RI005, RI006)
        holds = [_planned(iv) for iv in holds]
    if "ri_details" in gaps:
        holds[0] = _drop_detail(draw, holds[0])
    return holds if "de_escalation_first" in gaps else calm + holds


def _planned(iv: Intervention) -> Intervention:
    position = Position.SEATED if iv.position is Position.PRONE else iv.position
    return attrs.evolve(iv, in_support_plan=True, position=position)


def _draw_debriefs(
    draw: Draw, shape: _Shape, base: datetime, gaps: frozenset[str]
) -> tuple[Debrief, ...]:
    topics = (*_STAFF_TOPICS, *((Topic.WELLBEING,) if shape.staff_injured else ()))
    after, within = (
        (base + _HOUR * 25, _DAY * 5) if "staff_debrief_late" in gaps else (base, _HOUR * 18)
    )
    staff = _draw_debrief(
        draw,
        audience=Audience.STAFF,
        status=DebriefStatus.HELD,
        topics=topics,
        after=after,
        within=within,
    )
    dropped = {Topic.WELLBEING} if "wellbeing_debrief" in gaps else set()
    if "staff_debrief_topics" in gaps:
        dropped.add(_pick(draw, _STAFF_TOPICS))
    staff = attrs.evolve(staff, topics=tuple(t for t in staff.topics if t not in dropped))
    # A declined or deferred debrief needs a re-offer (DB003): complete records keep it simple.
    offer = _pick(draw, (DebriefStatus.OFFERED, DebriefStatus.HELD)) if not gaps else None
    person = _evidence(
        draw,
        lambda at, span: _draw_debrief(
            draw, audience=Audience.PERSON, status=offer, topics=(), after=at, within=span
        ),
        base,
        on_time=_HOUR * 48,
        late=(_HOUR * 73, _DAY * 10),
        gap="person_debrief" in gaps,
    )
    others = _some(
        draw,
        lambda: _draw_debrief(
            draw,
            audience=_pick(draw, (Audience.FAMILY, Audience.ADVOCATE)),
            status=None,
            topics=(),
            after=base,
            within=_DAY * 3,
        ),
        max_size=1,
    )
    return (staff, *person, *others)


def _draw_reviews(draw: Draw, base: datetime, gaps: frozenset[str]) -> tuple[Review, ...]:
    def learning(kinds: Sequence[ReviewKind]) -> Callable[[datetime, timedelta], Review]:
        return lambda at, span: _draw_review(
            draw, kinds=kinds, learning=True, after=at, within=span
        )

    pir = (ReviewKind.POST_INCIDENT_REVIEW, ReviewKind.AFTER_ACTION_REVIEW)
    found = _evidence(
        draw,
        learning(pir),
        base,
        on_time=_HOUR * 48,
        late=(_HOUR * 73, _DAY * 10),
        gap=not gaps.isdisjoint({"post_incident_review", "reflective_review"}),
    )
    for kind, gap in [
        (ReviewKind.SUPPORT_PLAN_REVIEW, "support_plan_review"),
        (ReviewKind.REFLECTIVE_REVIEW, "reflective_review"),
    ]:
        make = learning((kind,))
        found += _evidence(draw, make, base, on_time=_DAY * 5, late=_LATE_REVIEW, gap=gap in gaps)
    if "review_learning" in gaps:
        rca = (ReviewKind.ROOT_CAUSE_ANALYSIS,)
        found.append(_draw_review(draw, kinds=rca, learning=False, after=base, within=_DAY * 7))
    found += _some(draw, lambda: learning(_OTHER_REVIEWS)(base, _DAY * 7), max_size=1)
    return tuple(found)


def _draw_process(draw: Draw, shape: _Shape, gaps: frozenset[str]) -> Safeguarding:
    late = "concern_late" in gaps
    after, within = (
        (shape.aware_at + _HOUR * 25, _DAY * 4) if late else (shape.aware_at, _HOUR * 12)
    )
    return _draw_safeguarding(
        draw, explained="stage_explanation" not in gaps, after=after, within=within
    )


def _draw_notifications(
    draw: Draw, shape: _Shape, gaps: frozenset[str]
) -> tuple[Notification, ...]:
    def sent(
        to: Sequence[Recipient], *, candour: bool
    ) -> Callable[[datetime, timedelta], Notification]:
        return lambda at, span: _draw_notification(
            draw, recipients=to, candour=candour, after=at, within=span
        )

    at = shape.aware_at
    found: list[Notification] = []
    if shape.needs_cqc:
        make = sent((Recipient.CQC,), candour=False)
        found += _evidence(
            draw, make, at, on_time=_HOUR * 20, late=(_HOUR * 25, _DAY * 5), gap="cqc" in gaps
        )
    if shape.needs_candour:
        make = sent((Recipient.PERSON, Recipient.FAMILY), candour=True)
        found += _evidence(
            draw, make, at, on_time=_DAY * 7, late=(_DAY * 17, _DAY * 40), gap="candour" in gaps
        )
    if shape.needs_hse:
        make = sent((Recipient.HSE,), candour=False)
        found += _evidence(
            draw, make, at, on_time=_DAY * 5, late=(_DAY * 16, _DAY * 30), gap="riddor" in gaps
        )
    found += _some(draw, lambda: sent(_OTHER_RECIPIENTS, candour=False)(at, _DAY * 3), max_size=1)
    return tuple(found)


def _draw_actions(draw: Draw, base: datetime, gaps: frozenset[str]) -> tuple[Action, ...]:
    found = [
        _assessed(draw, _draw_action(draw, on_time=True, after=base, within=_DAY * 14), _DAY)
        for _ in range(draw(_ints(0, 2)))
    ]
    if "action_overdue" in gaps:
        found.append(_draw_action(draw, on_time=False, after=base, within=_DAY * 14))
    if "action_unassessed" in gaps:
        late = _draw_action(draw, on_time=True, after=base, within=_DAY * 14)
        found.append(_assessed(draw, late, _DAY * 29))
    return tuple(attrs.evolve(a, id=f"A-{i}") for i, a in enumerate(found, start=1))


def _assessed(draw: Draw, action: Action, delay: timedelta) -> Action:
    """Assess a completed action as (partly) effective, no sooner than *delay* after completion."""
    if action.completed_at is None:
        return action
    worked = (Outcome.EFFECTIVE, Outcome.PARTIALLY_EFFECTIVE)
    effect = _draw_effect(draw, action.completed_at + delay, outcomes=worked)
    return attrs.evolve(action, effectiveness=effect)


# -- registration ------------------------------------------------------------------------------


def _type_strategies() -> dict[type[Any], SearchStrategy[Any]]:
    return {
        Action: actions(),
        Advocate: _drawn(lambda draw: _draw_advocate(draw, EPOCH)),
        Debrief: debriefs(),
        EarlyWarningSign: early_warning_signs(),
        Effectiveness: _drawn(lambda draw: _draw_effect(draw, EPOCH)),
        Explanation: _drawn(lambda draw: _draw_explanation(draw, EPOCH)),
        Harm: _drawn(_draw_harm),
        Incident: incidents(),
        Injury: injuries(),
        Intervention: interventions(),
        Notification: notifications(),
        Observation: _drawn(lambda draw: _draw_observation(draw, EPOCH)),
        PersonAccount: _drawn(lambda draw: _draw_account(draw, EPOCH)),
        PersonInvolved: _drawn(lambda draw: _draw_involved(draw, EPOCH)),
        Review: reviews(),
        Safeguarding: safeguardings(),
        SafeguardingStage: _drawn(_draw_stage),
        Trigger: triggers(),
    }


def _hypothesis_setup_hook() -> None:
    """Register a strategy for each model class; the ``hypothesis`` entry point calls this."""
    for cls, strategy in _type_strategies().items():
        st.register_type_strategy(cls, strategy)


_hypothesis_setup_hook()
