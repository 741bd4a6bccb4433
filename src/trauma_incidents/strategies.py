"""
Hypothesis strategies that generate valid incidents and their parts.

Every value respects the model's validation and the domain's order of events: times are
aware, nothing in the response happens before the incident, interventions end at or after
they start, and each safeguarding stage is explained at or after it is entered. Times shrink
toward `EPOCH` (2026-01-01T00:00Z), lists toward fewer elements, and text toward the first
of a few short synthetic phrases, so counterexamples stay small and readable.

``st.from_type(Incident)`` (and every other model class) works once this module is imported,
or through the ``hypothesis`` entry point.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

from trauma_incidents._enums import RESTRICTIVE_KINDS
from trauma_incidents._validators import is_aware
from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model import (
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
    "actions",
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

T = TypeVar("T")
SearchStrategy = st.SearchStrategy

#: Where generated times shrink to when no anchor is given.
EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)

_LONDON = ZoneInfo("Europe/London")

_MINUTE = timedelta(minutes=1)
_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)
_ZONES = st.sampled_from(
    [timezone.utc, *(timezone(timedelta(minutes=m)) for m in (60, -300, 330, 120, -600))]
)
_STAFF = st.integers(100, 399).map("ST-{:03d}".format)
_STAFF_IDS = st.lists(_STAFF, min_size=1, max_size=3, unique=True).map(tuple)
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
}
_STAFF_TOPICS = (Topic.TIMELINE, Topic.EARLY_WARNING_SIGNS, Topic.COMMUNICATION)
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
_LEARNING_KINDS = (
    ReviewKind.REFLECTIVE_REVIEW,
    ReviewKind.POST_INCIDENT_REVIEW,
    ReviewKind.AFTER_ACTION_REVIEW,
    ReviewKind.ROOT_CAUSE_ANALYSIS,
)
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
    if not is_aware(value):
        msg = f"{name}={value!r} must be an aware datetime (add tzinfo=timezone.utc)"
        raise InvalidArgument(msg)
    return value


def _check_span(name: str, value: timedelta) -> timedelta:
    _check_type(name, value, timedelta)
    if value < timedelta(0):
        msg = f"{name}={value!r} must not be negative"
        raise InvalidArgument(msg)
    return value


# -- small building blocks ---------------------------------------------------------------------


def _text(kind: str) -> SearchStrategy[str]:
    return st.sampled_from(_PHRASES[kind])


def _maybe(strategy: SearchStrategy[T]) -> SearchStrategy[T | None]:
    return st.none() | strategy


def _flag(draw: st.DrawFn, value: bool | None) -> bool:  # noqa: FBT001 (tri-state option)
    return draw(st.booleans()) if value is None else value


def _at(draw: st.DrawFn, anchor: datetime, lo: timedelta, hi: timedelta) -> datetime:
    """Draw a time between ``anchor + lo`` and ``anchor + hi``, in a drawn zone."""
    minutes = draw(st.integers(lo // _MINUTE, hi // _MINUTE))
    return (anchor + minutes * _MINUTE).astimezone(draw(_ZONES))


def times(
    *, after: datetime | None = None, within: timedelta = _DAY * 7
) -> SearchStrategy[datetime]:
    """
    Aware times from *after* to *after* + *within*, whole minutes, in varied UTC offsets.

    Args:
        after: The earliest time (default `EPOCH`); times shrink toward it.
        within: How far after *after* times may fall.

    Raises:
        InvalidArgument: *after* is naive or *within* is negative.
    """
    anchor, span = _check_anchor("after", after), _check_span("within", within)

    @st.composite
    def _times(draw: st.DrawFn) -> datetime:
        return _at(draw, anchor, timedelta(0), span)

    return _times()


# -- parts -------------------------------------------------------------------------------------


def triggers(*, known: bool | None = None) -> SearchStrategy[Trigger]:
    """
    Triggers; ``known=True`` never gives kind ``unknown``, ``known=False`` always does.

    Raises:
        InvalidArgument: *known* is not a bool or None.
    """
    _check_optional("known", known, bool)
    kinds: dict[bool | None, list[TriggerKind]] = {
        True: [k for k in TriggerKind if k is not TriggerKind.UNKNOWN],
        False: [TriggerKind.UNKNOWN],
        None: list(TriggerKind),
    }
    kind = st.sampled_from(kinds[known])
    return st.builds(Trigger, kind=kind, detail=_maybe(_text("detail")), confirmed=st.booleans())


def early_warning_signs(
    *, after: datetime | None = None, within: timedelta = _HOUR * 2
) -> SearchStrategy[EarlyWarningSign]:
    """
    Early warning signs, noticed (when they were) between *after* and *after* + *within*.

    Raises:
        InvalidArgument: *after* is naive or *within* is negative.
    """
    return st.builds(
        EarlyWarningSign,
        description=_text("sign"),
        noticed_at=_maybe(times(after=after, within=within)),
        acted_on=st.booleans(),
    )


def injuries(*, who: InjuredParty | None = None) -> SearchStrategy[Injury]:
    """
    Injuries, to *who* when given.

    Raises:
        InvalidArgument: *who* is not an `InjuredParty`.
    """
    _check_optional("who", who, InjuredParty)
    return st.builds(
        Injury,
        who=st.sampled_from(InjuredParty) if who is None else st.just(who),
        severity=st.sampled_from(InjurySeverity),
        medical_treatment=st.booleans(),
        days_incapacitated=_maybe(st.integers(0, 30)),
        specified_injury=st.booleans(),
    )


_RI_DETAILS = ("started_at", "ended_at", "reason", "staff_ids", "in_support_plan")


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
        restrictive: ``True`` gives only restrictive ones (`Intervention.is_restrictive`),
            ``False`` none.
        detailed: ``True`` records start, end, reason, staff, whether it is in the support
            plan, and the position for a physical restraint; ``False`` leaves at least one
            of those out.
        after: The earliest start (default `EPOCH`).
        within: How late after *after* it may start.

    Raises:
        InvalidArgument: an argument has the wrong type, *after* is naive or *within* is
            negative.
    """
    _check_optional("restrictive", restrictive, bool)
    _check_optional("detailed", detailed, bool)
    anchor, span = _check_anchor("after", after), _check_span("within", within)

    @st.composite
    def _interventions(draw: st.DrawFn) -> Intervention:
        kind, flag = draw(_kinds(restrictive=restrictive))
        full = _flag(draw, detailed)
        start = _at(draw, anchor, timedelta(0), span)
        iv = Intervention(
            kind=kind,
            restrictive=flag,
            started_at=start,
            ended_at=_at(draw, start, timedelta(0), _MINUTE * 30),
            reason=draw(_text("reason")),
            position=draw(_positions(kind, full=full)),
            staff_ids=draw(_STAFF_IDS),
            in_support_plan=draw(st.booleans()),
            legal_basis=draw(_maybe(st.sampled_from(LegalBasis))),
            capacity=draw(_maybe(st.sampled_from(Capacity))),
            observations=tuple(draw(st.lists(_observations(start), max_size=2))),
        )
        return iv if full else _drop_detail(draw, iv)

    return _interventions()


def _kinds(*, restrictive: bool | None) -> SearchStrategy[tuple[InterventionKind, bool | None]]:
    calm = [k for k in InterventionKind if k not in RESTRICTIVE_KINDS]
    calm_kinds = st.tuples(st.sampled_from(calm), st.sampled_from([None, False]))
    held = st.tuples(st.sampled_from(sorted(RESTRICTIVE_KINDS)), st.sampled_from([None, True]))
    held |= st.just((InterventionKind.OTHER, True))
    return {True: held, False: calm_kinds, None: calm_kinds | held}[restrictive]


def _positions(kind: InterventionKind, *, full: bool) -> SearchStrategy[Position | None]:
    if kind is InterventionKind.PHYSICAL_RESTRAINT and full:
        return st.sampled_from(Position)
    return _maybe(st.sampled_from(Position))


def _drop_detail(draw: st.DrawFn, iv: Intervention) -> Intervention:
    name = draw(st.sampled_from(_RI_DETAILS))
    changes: dict[str, Any] = {name: () if name == "staff_ids" else None}
    return attrs.evolve(iv, **changes)


def _observations(start: datetime) -> SearchStrategy[Observation]:
    return st.builds(
        Observation,
        at=times(after=start, within=_HOUR),
        airway_breathing_ok=_maybe(st.booleans()),
        conscious=_maybe(st.booleans()),
        by_role=_maybe(st.sampled_from(["support worker", "nurse", "team leader"])),
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

    @st.composite
    def _debriefs(draw: st.DrawFn) -> Debrief:
        state = draw(st.sampled_from(DebriefStatus) if held is None else st.just(held))
        at = _at(draw, anchor, timedelta(0), span)
        more = [t for t in Topic if t not in required]
        extra = draw(st.lists(st.sampled_from(more), max_size=2, unique=True)) if more else []
        later = state in {DebriefStatus.DEFERRED, DebriefStatus.DECLINED}
        return Debrief(
            audience=draw(st.sampled_from(Audience) if audience is None else st.just(audience)),
            status=state,
            at=at,
            reoffer_by=_at(draw, at, _HOUR, _DAY * 3) if later else None,
            topics=(*required, *extra) if state is DebriefStatus.HELD else (),
            facilitator_id=draw(_maybe(_STAFF)),
            participant_ids=tuple(draw(st.lists(_STAFF, max_size=2, unique=True))),
        )

    return _debriefs()


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
    causes = st.lists(_text("cause"), min_size=1, max_size=2, unique=True).map(tuple)
    changes = st.lists(_text("change"), min_size=1, max_size=2, unique=True).map(tuple)

    @st.composite
    def _reviews(draw: st.DrawFn) -> Review:
        full = _flag(draw, learning)
        gap = draw(st.sampled_from(["root_causes", "changes"]))
        return Review(
            kind=draw(st.sampled_from(ReviewKind) if kind is None else st.just(kind)),
            completed_at=_at(draw, anchor, timedelta(0), span),
            root_causes=() if not full and gap == "root_causes" else draw(causes),
            changes=() if not full and gap == "changes" else draw(changes),
        )

    return _reviews()


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
    return st.builds(
        Notification,
        recipient=st.sampled_from(Recipient) if recipient is None else st.just(recipient),
        sent_at=times(after=after, within=within),
        duty_of_candour=st.booleans() if duty_of_candour is None else st.just(duty_of_candour),
        reference=_maybe(st.integers(1, 9999).map("REF-{:04d}".format)),
        consent=_maybe(st.sampled_from(NotificationConsent)),
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
        on_time: ``True``: completed by the due time, and any effectiveness assessed within
            28 days of completion. ``False``: completed after the due time.
        after: The earliest completion (default `EPOCH`).
        within: How late after *after* it may be completed.

    Raises:
        InvalidArgument: an argument has the wrong type or value.
    """
    if ids is not None:
        _check_type("ids", ids, SearchStrategy)
    _check_optional("on_time", on_time, bool)
    anchor, span = _check_anchor("after", after), _check_span("within", within)
    id_strategy = st.integers(1, 9).map("A-{}".format) if ids is None else ids

    @st.composite
    def _actions(draw: st.DrawFn) -> Action:
        done = _at(draw, anchor, timedelta(0), span)
        is_open = on_time is None and draw(st.booleans())
        slack = draw(st.integers(0, 14 * 24)) * _HOUR
        if on_time is False:
            due: date | datetime = done - slack - _HOUR
        else:
            due = draw(st.sampled_from([done + slack, (done + slack).astimezone(_LONDON).date()]))
        return Action(
            id=draw(id_strategy),
            description=draw(_text("action")),
            owner_id=draw(_maybe(_STAFF)),
            due=due,
            completed_at=None if is_open else done,
            effectiveness=None if is_open else draw(_maybe(_effectiveness(done))),
        )

    return _actions()


def _effectiveness(done: datetime, within: timedelta = _DAY * 20) -> SearchStrategy[Effectiveness]:
    return st.builds(
        Effectiveness,
        assessed_at=times(after=done, within=within),
        outcome=st.sampled_from(Outcome),
        evidence=_maybe(_text("evidence")),
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
            desired outcomes are recorded within 20 hours of the first stage. ``False``: at
            least one stage is unexplained or explained over a week late, or the desired
            outcomes are missing or late.
        after: The earliest time (default `EPOCH`).
        within: How late after *after* the concern may be raised.

    Raises:
        InvalidArgument: an argument has the wrong type or value.
    """
    _check_optional("explained", explained, bool)
    anchor, span = _check_anchor("after", after), _check_span("within", within)

    @st.composite
    def _safeguardings(draw: st.DrawFn) -> Safeguarding:
        entered = _at(draw, anchor, timedelta(0), span)
        stages = []
        for stage in draw(st.sampled_from(_PATHS)):
            explanation = draw(_explanations(entered))
            stages.append(
                SafeguardingStage(stage=stage, entered_at=entered, explanation=explanation)
            )
            entered = _at(draw, entered, _HOUR, _DAY * 14)
        first = stages[0].entered_at
        sg = Safeguarding(
            reference=draw(_maybe(st.integers(1, 9999).map("SG-{:04d}".format))),
            stages=tuple(stages),
            desired_outcomes_recorded_at=_at(draw, first, timedelta(0), _HOUR * 20),
            consent=draw(_maybe(st.sampled_from(SafeguardingConsent))),
            advocate=draw(_maybe(_advocates(first))),
        )
        return sg if _flag(draw, explained) else _unexplain(draw, sg)

    return _safeguardings()


def _explanations(entered: datetime) -> SearchStrategy[Explanation]:
    return st.builds(
        Explanation,
        at=times(after=entered, within=_HOUR * 20),
        method=st.sampled_from(ExplanationMethod),
        by=_maybe(_STAFF),
    )


def _advocates(after: datetime) -> SearchStrategy[Advocate]:
    return st.builds(
        Advocate,
        kind=st.sampled_from(AdvocateKind),
        appointed_at=_maybe(times(after=after, within=_DAY * 2)),
    )


def _unexplain(draw: st.DrawFn, sg: Safeguarding) -> Safeguarding:
    """Leave one gap: a stage unexplained or explained late, or desired outcomes missing or late."""
    gap = draw(st.sampled_from(["unexplained", "late", "outcomes"]))
    if gap == "outcomes":
        late = _at(draw, sg.stages[0].entered_at, _DAY * 8, _DAY * 20)
        return attrs.evolve(sg, desired_outcomes_recorded_at=draw(_maybe(st.just(late))))
    i = draw(st.integers(0, len(sg.stages) - 1))
    stage = sg.stages[i]
    explanation = None
    if gap == "late":
        late = _at(draw, stage.entered_at, _DAY * 8, _DAY * 20)
        explanation = Explanation(at=late, method=ExplanationMethod.VERBAL)
    stages = list(sg.stages)
    stages[i] = attrs.evolve(stage, explanation=explanation)
    return attrs.evolve(sg, stages=tuple(stages))


def _harms() -> SearchStrategy[Harm]:
    return st.builds(
        Harm,
        physical=st.sampled_from(PhysicalHarm),
        psychological=st.sampled_from(PsychologicalHarm),
    )


def _person_accounts(after: datetime) -> SearchStrategy[PersonAccount]:
    return st.builds(
        PersonAccount,
        given=st.booleans(),
        method=st.sampled_from(AccountMethod),
        at=_maybe(times(after=after, within=_DAY * 3)),
    )


def _people_involved(after: datetime) -> SearchStrategy[PersonInvolved]:
    return st.builds(
        PersonInvolved,
        ref=st.integers(1, 99).map("X-{:02d}".format),
        role=st.sampled_from(InvolvedRole),
        support_offered_at=_maybe(times(after=after, within=_DAY * 2)),
    )


def _stages() -> SearchStrategy[SafeguardingStage]:
    def build(entered: datetime) -> SearchStrategy[SafeguardingStage]:
        return st.builds(
            SafeguardingStage,
            stage=st.sampled_from(Stage),
            entered_at=st.just(entered),
            explanation=_maybe(_explanations(entered)),
        )

    return times(within=_DAY * 365).flatmap(build)


# -- incidents ---------------------------------------------------------------------------------

_ALWAYS_GAPS = (
    "trigger",
    "staff_debrief_topics",
    "review_learning",
    "action_overdue",
    "action_unassessed",
)
_RI_GAPS = (
    "staff_debrief_late",
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


@attrs.frozen
class _Shape:
    """The basics drawn first; they decide which evidence a good response needs."""

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
    def staff_injured(self) -> bool:
        return any(i.who is InjuredParty.STAFF for i in self.injuries)

    @property
    def needs_cqc(self) -> bool:
        serious = any(
            i.who is InjuredParty.PERSON and i.severity is InjurySeverity.SERIOUS
            for i in self.injuries
        )
        death = self.severity is Severity.DEATH
        return serious or death or not _CQC_CATEGORIES.isdisjoint(self.categories)

    @property
    def needs_candour(self) -> bool:
        return self.severity in {Severity.MODERATE, Severity.SEVERE, Severity.DEATH}

    @property
    def needs_hse(self) -> bool:
        return any(
            i.who is InjuredParty.STAFF and (i.specified_injury or (i.days_incapacitated or 0) > 7)  # noqa: PLR2004 (RIDDOR's 7 days)
            for i in self.injuries
        )

    def gaps(self) -> list[str]:
        """The gaps this incident can have, each one a rule would notice."""
        gaps = [*_ALWAYS_GAPS, *(_RI_GAPS if self.restrictive else ())]
        conditions = {
            "reflective_review": not _DISTRESS.isdisjoint(self.categories),
            "wellbeing_debrief": self.staff_injured,
            "stage_explanation": self.safeguarding,
            "concern_late": self.safeguarding
            and not _SAFEGUARDING_CATEGORIES.isdisjoint(self.categories),
            "cqc": self.needs_cqc,
            "candour": self.needs_candour,
            "riddor": self.needs_hse,
        }
        return gaps + [gap for gap, applies in conditions.items() if applies]


def _draw_shape(
    draw: st.DrawFn,
    *,
    restrictive: bool,
    safeguarding: bool,
    complete: bool,
    around: datetime | None,
) -> _Shape:
    occurred = (
        _at(draw, around, -_DAY * 7, _DAY * 7)
        if around
        else _at(draw, EPOCH, -_DAY * 365, _DAY * 365)
    )
    allowed = list(Category)
    if complete and not safeguarding:
        allowed = [c for c in Category if c not in _SAFEGUARDING_CATEGORIES]
    categories = draw(st.lists(st.sampled_from(allowed), min_size=1, max_size=3, unique=True))
    return _Shape(
        occurred=occurred,
        reported=draw(_maybe(times(after=occurred, within=_HOUR))),
        categories=tuple(categories),
        severity=draw(st.sampled_from(Severity)),
        injuries=tuple(draw(st.lists(injuries(), max_size=2))),
        restrictive=restrictive,
        safeguarding=safeguarding,
    )


def _evidence(
    draw: st.DrawFn,
    make: Callable[[datetime, timedelta], SearchStrategy[T]],
    anchor: datetime,
    *,
    on_time: timedelta,
    late: tuple[timedelta, timedelta],
    gap: bool,
) -> list[T]:
    """One piece of evidence on time; as a gap, either none or one that is late."""
    if not gap:
        return [draw(make(anchor, on_time))]
    if draw(st.booleans()):
        return []
    return [draw(make(anchor + late[0], late[1] - late[0]))]


def _draw_triggers(draw: st.DrawFn, gaps: frozenset[str]) -> tuple[Trigger, ...]:
    if "trigger" in gaps:
        return tuple(draw(st.lists(triggers(known=False), max_size=1)))
    return (draw(triggers(known=True)), *draw(st.lists(triggers(), max_size=1)))


def _draw_interventions(draw: st.DrawFn, shape: _Shape, gaps: frozenset[str]) -> list[Intervention]:
    o, n = shape.occurred, int(shape.restrictive)
    calm_kind = interventions(
        restrictive=False, detailed=True if n else None, after=o, within=_MINUTE * 20
    )
    calm = draw(st.lists(calm_kind, min_size=n, max_size=2))
    if not shape.restrictive:
        return calm
    first = min(iv.started_at or o for iv in calm)
    holds = draw(
        st.lists(
            interventions(restrictive=True, detailed=True, after=first, within=_HOUR),
            min_size=1,
            max_size=2,
        )
    )
    if "ri_details" in gaps:
        holds[0] = _drop_detail(draw, holds[0])
    return holds if "de_escalation_first" in gaps else calm + holds


def _draw_debriefs(
    draw: st.DrawFn, shape: _Shape, base: datetime, gaps: frozenset[str]
) -> list[Debrief]:
    topics = [*_STAFF_TOPICS, *([Topic.WELLBEING] if shape.staff_injured else [])]
    late = "staff_debrief_late" in gaps
    after, within = (base + _HOUR * 25, _DAY * 5) if late else (base, _HOUR * 18)
    staff = draw(debriefs(audience=Audience.STAFF, topics=topics, after=after, within=within))
    dropped = {Topic.WELLBEING} if "wellbeing_debrief" in gaps else set()
    if "staff_debrief_topics" in gaps:
        dropped.add(draw(st.sampled_from(_STAFF_TOPICS)))
    staff = attrs.evolve(staff, topics=tuple(t for t in staff.topics if t not in dropped))

    def person(after: datetime, within: timedelta) -> SearchStrategy[Debrief]:
        return debriefs(audience=Audience.PERSON, after=after, within=within)

    gap = "person_debrief" in gaps
    others = st.sampled_from([Audience.FAMILY, Audience.ADVOCATE]).flatmap(
        lambda a: debriefs(audience=a, after=base, within=_DAY * 3)
    )
    return [
        staff,
        *_evidence(draw, person, base, on_time=_HOUR * 48, late=(_HOUR * 73, _DAY * 10), gap=gap),
        *draw(st.lists(others, max_size=1)),
    ]


def _learning(
    kinds: tuple[ReviewKind, ...],
) -> Callable[[datetime, timedelta], SearchStrategy[Review]]:
    def make(after: datetime, within: timedelta) -> SearchStrategy[Review]:
        kind = st.sampled_from(kinds)
        return kind.flatmap(lambda k: reviews(kind=k, learning=True, after=after, within=within))

    return make


def _draw_reviews(draw: st.DrawFn, base: datetime, gaps: frozenset[str]) -> list[Review]:
    pir = (ReviewKind.POST_INCIDENT_REVIEW, ReviewKind.AFTER_ACTION_REVIEW)
    late = (_DAY * 8, _DAY * 20)
    found = _evidence(
        draw,
        _learning(pir),
        base,
        on_time=_HOUR * 48,
        late=(_HOUR * 73, _DAY * 10),
        gap="post_incident_review" in gaps,
    )
    for kind, gap in [
        (ReviewKind.SUPPORT_PLAN_REVIEW, "support_plan_review"),
        (ReviewKind.REFLECTIVE_REVIEW, "reflective_review"),
    ]:
        found += _evidence(
            draw, _learning((kind,)), base, on_time=_DAY * 5, late=late, gap=gap in gaps
        )
    if "review_learning" in gaps:
        found.append(draw(reviews(kind=ReviewKind.ROOT_CAUSE_ANALYSIS, learning=False, after=base)))
    return found + draw(st.lists(_learning(_OTHER_REVIEWS)(base, _DAY * 7), max_size=1))


def _draw_safeguarding(draw: st.DrawFn, shape: _Shape, gaps: frozenset[str]) -> Safeguarding:
    late = "concern_late" in gaps
    after, within = (
        (shape.aware_at + _HOUR * 25, _DAY * 4) if late else (shape.aware_at, _HOUR * 12)
    )
    sg = draw(safeguardings(explained=True, after=after, within=within))
    return _unexplain(draw, sg) if "stage_explanation" in gaps else sg


def _sent(
    recipients: tuple[Recipient, ...], *, candour: bool
) -> Callable[[datetime, timedelta], SearchStrategy[Notification]]:
    def make(after: datetime, within: timedelta) -> SearchStrategy[Notification]:
        return st.sampled_from(recipients).flatmap(
            lambda r: notifications(
                recipient=r, duty_of_candour=candour, after=after, within=within
            )
        )

    return make


def _draw_notifications(draw: st.DrawFn, shape: _Shape, gaps: frozenset[str]) -> list[Notification]:
    at = shape.aware_at
    found: list[Notification] = []
    if shape.needs_cqc:
        make = _sent((Recipient.CQC,), candour=False)
        found += _evidence(
            draw, make, at, on_time=_HOUR * 20, late=(_HOUR * 25, _DAY * 5), gap="cqc" in gaps
        )
    if shape.needs_candour:
        make = _sent((Recipient.PERSON, Recipient.FAMILY), candour=True)
        found += _evidence(
            draw, make, at, on_time=_DAY * 7, late=(_DAY * 17, _DAY * 40), gap="candour" in gaps
        )
    if shape.needs_hse:
        make = _sent((Recipient.HSE,), candour=False)
        found += _evidence(
            draw, make, at, on_time=_DAY * 5, late=(_DAY * 16, _DAY * 30), gap="riddor" in gaps
        )
    return found + draw(st.lists(_sent(_OTHER_RECIPIENTS, candour=False)(at, _DAY * 3), max_size=1))


def _draw_actions(draw: st.DrawFn, base: datetime, gaps: frozenset[str]) -> tuple[Action, ...]:
    found = draw(st.lists(actions(on_time=True, after=base), max_size=2))
    found = [a if a.effectiveness else _assess(draw, a, _DAY) for a in found]
    if "action_overdue" in gaps:
        found.append(draw(actions(on_time=False, after=base)))
    if "action_unassessed" in gaps:
        found.append(_assess(draw, draw(actions(on_time=True, after=base)), _DAY * 29))
    return tuple(attrs.evolve(a, id=f"A-{i}") for i, a in enumerate(found, start=1))


def _assess(draw: st.DrawFn, action: Action, delay: timedelta) -> Action:
    if action.completed_at is None:
        return action
    return attrs.evolve(action, effectiveness=draw(_effectiveness(action.completed_at + delay)))


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
    interventions after de-escalation began; each safeguarding stage explained within 20
    hours; the notifications the incident calls for (CQC, duty of candour, HSE) on time;
    and learning actions done by their due time and assessed within 28 days.

    Args:
        restrictive: ``True``: at least one restrictive intervention; ``False``: none.
        with_safeguarding: ``True``: a safeguarding process; ``False``: none.
        complete: ``True``: all of the evidence above. ``False``: one to three gaps in it
            (missing, late or partial evidence), each one a default rule flags. ``None``:
            either.
        around: Keep `Incident.occurred_at` within 7 days of this aware time (default: within
            a year of `EPOCH`).
        person_ids: Strategy for `Incident.person_id` (default ``P-001`` to ``P-040``).
        service_ids: Strategy for `Incident.service_id`.

    Raises:
        InvalidArgument: an argument has the wrong type, or *around* is naive.
    """
    for name, value in [
        ("restrictive", restrictive),
        ("with_safeguarding", with_safeguarding),
        ("complete", complete),
    ]:
        _check_optional(name, value, bool)
    if around is not None:
        _check_anchor("around", around)
    for name, ids in [("person_ids", person_ids), ("service_ids", service_ids)]:
        _check_optional(name, ids, SearchStrategy)
    people = person_ids or st.integers(1, 40).map("P-{:03d}".format)
    return _incidents(
        (restrictive, with_safeguarding, complete),
        around,
        people,
        service_ids or st.sampled_from(_SERVICES),
    )


@st.composite
def _incidents(
    draw: st.DrawFn,
    flags: tuple[bool | None, bool | None, bool | None],
    around: datetime | None,
    person_ids: SearchStrategy[str],
    service_ids: SearchStrategy[str],
) -> Incident:
    restrictive, safeguarding, complete = (_flag(draw, f) for f in flags)
    shape = _draw_shape(
        draw, restrictive=restrictive, safeguarding=safeguarding, complete=complete, around=around
    )
    gaps: frozenset[str] = frozenset()
    if not complete:
        gaps = frozenset(
            draw(st.lists(st.sampled_from(shape.gaps()), min_size=1, max_size=3, unique=True))
        )
    ivs = _draw_interventions(draw, shape, gaps)
    ends = [iv.ended_at or iv.started_at or shape.occurred for iv in ivs if iv.is_restrictive]
    base = max([shape.aware_at, *ends])
    o = shape.occurred
    return Incident(
        id=draw(st.integers(1, 99999).map("INC-{:05d}".format)),
        person_id=draw(person_ids),
        service_id=draw(service_ids),
        occurred_at=o,
        categories=shape.categories,
        severity=shape.severity,
        setting=draw(_maybe(st.sampled_from(Setting))),
        reported_at=shape.reported,
        recorded_at=draw(_maybe(times(after=o, within=_DAY * 2))),
        location=draw(_maybe(_text("location"))),
        location_type=draw(_maybe(st.sampled_from(LocationType))),
        summary=draw(_maybe(_text("summary"))),
        harm=draw(_maybe(_harms())),
        triggers=_draw_triggers(draw, gaps),
        early_warning_signs=tuple(
            draw(st.lists(early_warning_signs(after=o - _HOUR * 2), max_size=2))
        ),
        interventions=tuple(ivs),
        injuries=shape.injuries,
        debriefs=tuple(_draw_debriefs(draw, shape, base, gaps)),
        reviews=tuple(_draw_reviews(draw, base, gaps)),
        safeguarding=_draw_safeguarding(draw, shape, gaps) if safeguarding else None,
        notifications=tuple(_draw_notifications(draw, shape, gaps)),
        actions=_draw_actions(draw, base, gaps),
        person_account=draw(_maybe(_person_accounts(o))),
        people_involved=tuple(draw(st.lists(_people_involved(o), max_size=1))),
    )


# -- registration ------------------------------------------------------------------------------


def _type_strategies() -> dict[type[Any], SearchStrategy[Any]]:
    return {
        Action: actions(),
        Advocate: _advocates(EPOCH),
        Debrief: debriefs(),
        EarlyWarningSign: early_warning_signs(),
        Effectiveness: _effectiveness(EPOCH),
        Explanation: _explanations(EPOCH),
        Harm: _harms(),
        Incident: incidents(),
        Injury: injuries(),
        Intervention: interventions(),
        Notification: notifications(),
        Observation: _observations(EPOCH),
        PersonAccount: _person_accounts(EPOCH),
        PersonInvolved: _people_involved(EPOCH),
        Review: reviews(),
        Safeguarding: safeguardings(),
        SafeguardingStage: _stages(),
        Trigger: triggers(),
    }


def _hypothesis_setup_hook() -> None:
    """Register a strategy for each model class; the ``hypothesis`` entry point calls this."""
    for cls, strategy in _type_strategies().items():
        st.register_type_strategy(cls, strategy)


_hypothesis_setup_hook()
