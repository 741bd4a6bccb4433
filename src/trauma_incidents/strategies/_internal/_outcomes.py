"""Strategies for outcome records: activities and wellbeing checks."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis.strategies import DrawFn as Draw
from hypothesis.strategies import SearchStrategy

from trauma_incidents.model._validators import SCALE_MAX
from trauma_incidents.outcomes._records import (
    Activity,
    ActivityKind,
    ActivityOutcome,
    CheckMethod,
    Measure,
    WellbeingCheck,
)
from trauma_incidents.strategies._internal._base import (
    DAY,
    check_anchor,
    check_optional,
    check_span,
    drawn,
    ints,
    maybe,
    member,
    moment,
)


def _person(draw: Draw, person_id: str | None) -> str:
    return f"P-{draw(ints(1, 20)):03d}" if person_id is None else person_id


def activities(
    *,
    person_id: str | None = None,
    after: datetime | None = None,
    within: timedelta = DAY * 56,
) -> SearchStrategy[Activity]:
    """
    Activities between *after* and *after* + *within*.

    Args:
        person_id: Only this person's (default: one of ``P-001`` to ``P-020``).
        after: The earliest time (default `EPOCH`).
        within: How late after *after* it may be.

    Raises:
        InvalidArgument: bad types, a naive *after* or a negative *within*.
    """
    check_optional("person_id", person_id, str)
    anchor, span = check_anchor("after", after), check_span("within", within)
    return drawn(
        lambda draw: Activity(
            id=f"ACT-{draw(ints(1, 9999)):04d}",
            person_id=_person(draw, person_id),
            at=moment(draw, anchor, timedelta(0), span),
            kind=member(draw, ActivityKind),
            outcome=member(draw, ActivityOutcome),
            distress=maybe(draw, lambda: draw(ints(0, SCALE_MAX))),
            support_plan_id=maybe(draw, lambda: f"SP-{draw(ints(1, 99)):02d}"),
        )
    )


def wellbeing_checks(
    *,
    person_id: str | None = None,
    measure: Measure | None = None,
    after: datetime | None = None,
    within: timedelta = DAY * 56,
) -> SearchStrategy[WellbeingCheck]:
    """
    Wellbeing checks between *after* and *after* + *within*.

    Args:
        person_id: Only this person's (default: one of ``P-001`` to ``P-020``).
        measure: Only checks of this measure.
        after: The earliest time (default `EPOCH`).
        within: How late after *after* it may be.

    Raises:
        InvalidArgument: bad types, a naive *after* or a negative *within*.
    """
    check_optional("person_id", person_id, str)
    check_optional("measure", measure, Measure)
    anchor, span = check_anchor("after", after), check_span("within", within)
    return drawn(
        lambda draw: WellbeingCheck(
            id=f"WC-{draw(ints(1, 9999)):04d}",
            person_id=_person(draw, person_id),
            at=moment(draw, anchor, timedelta(0), span),
            measure=member(draw, Measure) if measure is None else measure,
            value=draw(ints(0, SCALE_MAX)),
            method=member(draw, CheckMethod),
        )
    )
