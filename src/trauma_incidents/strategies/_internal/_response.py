"""Strategies for the response to an incident: debriefs, reviews, notifications, actions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
from hypothesis.strategies import DrawFn as Draw
from hypothesis.strategies import SearchStrategy

from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model import (
    Action,
    Audience,
    Candour,
    Debrief,
    DebriefStatus,
    Effectiveness,
    Notification,
    NotificationConsent,
    NotificationMethod,
    Outcome,
    Recipient,
    RelevantPerson,
    Review,
    ReviewKind,
    Topic,
)
from trauma_incidents.strategies._internal._base import (
    BOOL,
    DAY,
    HOUR,
    chance,
    check_anchor,
    check_optional,
    check_span,
    check_type,
    drawn,
    ints,
    maybe,
    member,
    moment,
    phrase,
    pick,
    some,
    staff_id,
    staff_ids,
)

_LONDON = ZoneInfo("Europe/London")
_OUTCOMES = tuple(Outcome)


def debriefs(
    *,
    audience: Audience | None = None,
    status: DebriefStatus | None = None,
    topics: Iterable[Topic] = (),
    after: datetime | None = None,
    within: timedelta = DAY * 3,
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
    check_optional("audience", audience, Audience)
    check_optional("status", status, DebriefStatus)
    required = tuple(dict.fromkeys(topics))
    for topic in required:
        check_type("topics[...]", topic, Topic)
    if required and status not in {None, DebriefStatus.HELD}:
        msg = f"topics={required!r} needs a held debrief, not status={status!r}"
        raise InvalidArgument(msg)
    anchor, span = check_anchor("after", after), check_span("within", within)
    held = DebriefStatus.HELD if required else status
    return drawn(
        lambda draw: draw_debrief(
            draw, audience=audience, status=held, topics=required, after=anchor, within=span
        )
    )


def draw_debrief(
    draw: Draw,
    *,
    audience: Audience | None,
    status: DebriefStatus | None,
    topics: tuple[Topic, ...],
    after: datetime,
    within: timedelta,
    more: bool = True,
) -> Debrief:
    """A debrief as `debriefs` describes; ``more=False`` covers exactly *topics* if held."""
    state = member(draw, DebriefStatus) if status is None else status
    at = moment(draw, after, timedelta(0), within)
    others = [t for t in Topic if t not in topics] if more else []
    extra = dict.fromkeys(some(draw, lambda: pick(draw, others)) if others else [])
    later = state in {DebriefStatus.DEFERRED, DebriefStatus.DECLINED}
    return Debrief(
        audience=member(draw, Audience) if audience is None else audience,
        status=state,
        at=at,
        reoffer_by=moment(draw, at, HOUR, DAY * 3) if later else None,
        topics=(*topics, *extra) if state is DebriefStatus.HELD else (),
        facilitator_id=maybe(draw, lambda: staff_id(draw)),
        participant_ids=staff_ids(draw),
    )


def reviews(
    *,
    kind: ReviewKind | None = None,
    learning: bool | None = None,
    after: datetime | None = None,
    within: timedelta = DAY * 7,
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
    check_optional("kind", kind, ReviewKind)
    check_optional("learning", learning, bool)
    anchor, span = check_anchor("after", after), check_span("within", within)
    kinds = tuple(ReviewKind) if kind is None else (kind,)
    return drawn(
        lambda draw: draw_review(draw, kinds=kinds, learning=learning, after=anchor, within=span)
    )


def draw_review(
    draw: Draw,
    *,
    kinds: Sequence[ReviewKind],
    learning: bool | None,
    after: datetime,
    within: timedelta,
) -> Review:
    full = chance(draw, learning)
    gap = "" if full else pick(draw, ("root_causes", "changes"))
    return Review(
        kind=pick(draw, kinds),
        completed_at=moment(draw, after, timedelta(0), within),
        root_causes=() if gap == "root_causes" else _phrases(draw, "cause"),
        changes=() if gap == "changes" else _phrases(draw, "change"),
    )


def _phrases(draw: Draw, kind: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(some(draw, lambda: phrase(draw, kind), min_size=1)))


def notifications(
    *,
    recipient: Recipient | None = None,
    duty_of_candour: bool | None = None,
    after: datetime | None = None,
    within: timedelta = DAY,
) -> SearchStrategy[Notification]:
    """
    Notifications sent between *after* and *after* + *within*.

    Raises:
        InvalidArgument: an argument has the wrong type or value.
    """
    check_optional("recipient", recipient, Recipient)
    check_optional("duty_of_candour", duty_of_candour, bool)
    anchor, span = check_anchor("after", after), check_span("within", within)
    to = tuple(Recipient) if recipient is None else (recipient,)
    return drawn(
        lambda draw: draw_notification(
            draw, recipients=to, candour=duty_of_candour, after=anchor, within=span
        )
    )


def draw_notification(
    draw: Draw,
    *,
    recipients: Sequence[Recipient],
    candour: bool | None,
    after: datetime,
    within: timedelta,
) -> Notification:
    return Notification(
        recipient=pick(draw, recipients),
        sent_at=moment(draw, after, timedelta(0), within),
        duty_of_candour=chance(draw, candour),
        reference=maybe(draw, lambda: f"REF-{draw(ints(1, 9999)):04d}"),
        consent=maybe(draw, lambda: member(draw, NotificationConsent)),
        method=maybe(draw, lambda: member(draw, NotificationMethod)),
        apology=maybe(draw, lambda: draw(BOOL)),
    )


def draw_candour(draw: Draw, after: datetime, within: timedelta) -> Candour:
    """A duty of candour decision made between *after* and *after* + *within*."""
    return Candour(
        notifiable=draw(BOOL),
        decided_at=moment(draw, after, timedelta(0), within),
        relevant_person=member(draw, RelevantPerson),
    )


def actions(
    *,
    ids: SearchStrategy[str] | None = None,
    on_time: bool | None = None,
    after: datetime | None = None,
    within: timedelta = DAY * 14,
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
    check_optional("ids", ids, SearchStrategy)
    check_optional("on_time", on_time, bool)
    anchor, span = check_anchor("after", after), check_span("within", within)
    id_strategy = ids if ids is not None else ints(1, 9).map("A-{}".format)
    return drawn(
        lambda draw: attrs.evolve(
            draw_action(draw, on_time=on_time, after=anchor, within=span), id=draw(id_strategy)
        )
    )


def draw_action(draw: Draw, *, on_time: bool | None, after: datetime, within: timedelta) -> Action:
    done = moment(draw, after, timedelta(0), within)
    is_open = on_time is None and draw(BOOL)
    slack = draw(ints(0, 14 * 24)) * HOUR
    due: date | datetime = done - slack - HOUR
    if on_time is not False:
        due = done + slack
        due = due.astimezone(_LONDON).date() if draw(BOOL) else due
    return Action(
        id="A-1",
        description=phrase(draw, "action"),
        owner_id=maybe(draw, lambda: staff_id(draw)),
        due=due,
        completed_at=None if is_open else done,
        effectiveness=None if is_open else maybe(draw, lambda: draw_effect(draw, done)),
    )


def draw_effect(
    draw: Draw,
    after: datetime,
    within: timedelta = DAY * 20,
    outcomes: Sequence[Outcome] = _OUTCOMES,
) -> Effectiveness:
    return Effectiveness(
        assessed_at=moment(draw, after, timedelta(0), within),
        outcome=pick(draw, outcomes),
        evidence=maybe(draw, lambda: phrase(draw, "evidence")),
    )
