"""
Strategies for safeguarding processes and their stages.

Stages follow in order, each explained at or after it is entered, by the `Deadlines` given;
on request (gaps SG001, SG002), one stage's explanation or the desired outcomes are missing or
late.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import attrs
from hypothesis.strategies import DrawFn as Draw
from hypothesis.strategies import SearchStrategy

from trauma_incidents.model import (
    Advocate,
    AdvocateKind,
    Explanation,
    ExplanationMethod,
    Safeguarding,
    SafeguardingConsent,
    SafeguardingStage,
    Stage,
)
from trauma_incidents.strategies._internal._base import (
    DAY,
    EPOCH,
    HOUR,
    chance,
    check_anchor,
    check_optional,
    check_span,
    drawn,
    ints,
    maybe,
    member,
    moment,
    pick,
    staff_id,
)
from trauma_incidents.strategies._internal._rulebook import LATE_SPAN, late_from

_PATHS = (
    (Stage.CONCERN_RAISED,),
    (Stage.CONCERN_RAISED, Stage.INITIAL_ENQUIRY),
    (Stage.CONCERN_RAISED, Stage.INITIAL_ENQUIRY, Stage.CLOSED),
    (Stage.CONCERN_RAISED, Stage.INITIAL_ENQUIRY, Stage.SECTION_42_ENQUIRY),
    tuple(Stage),
    (*tuple(Stage)[:4], Stage.CLOSED),
)


@attrs.frozen
class Deadlines:
    """
    When stages must be explained and desired outcomes recorded, from a time.

    Attributes:
        explain: The deadline to explain a stage, from when it is entered.
        outcomes: The deadline to record desired outcomes, from the first stage.
        late: Where late evidence begins after, from the same times (default: the deadline).
    """

    explain: Callable[[datetime], datetime]
    outcomes: Callable[[datetime], datetime]
    late: Callable[[datetime], datetime] | None = None

    def late_after(self, due: Callable[[datetime], datetime], t: datetime) -> datetime:
        return late_from((self.late or due)(t))


_TWENTY_HOURS = Deadlines(
    explain=lambda t: t + HOUR * 20,
    outcomes=lambda t: t + HOUR * 20,
    late=lambda t: t + DAY * 8,
)


def safeguardings(
    *,
    explained: bool | None = None,
    after: datetime | None = None,
    within: timedelta = HOUR * 12,
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
    check_optional("explained", explained, bool)
    anchor, span = check_anchor("after", after), check_span("within", within)

    def make(draw: Draw) -> Safeguarding:
        gaps = frozenset() if chance(draw, explained) else {pick(draw, ("SG001", "SG002"))}
        return draw_safeguarding(
            draw, after=anchor, within=span, deadlines=_TWENTY_HOURS, gaps=frozenset(gaps)
        )

    return drawn(make)


def draw_safeguarding(
    draw: Draw,
    *,
    after: datetime,
    within: timedelta,
    deadlines: Deadlines,
    gaps: frozenset[str],
) -> Safeguarding:
    """
    A process raised from *after* to *after* + *within*, each stage explained on time.

    Gaps: ``SG001`` leaves one stage unexplained or explains it late; ``SG002`` leaves the
    desired outcomes unrecorded or records them late.
    """
    entered = moment(draw, after, timedelta(0), within)
    stages = []
    for stage in pick(draw, _PATHS):
        due = deadlines.explain(entered)
        explanation = draw_explanation(draw, entered, due - entered)
        stages.append(SafeguardingStage(stage=stage, entered_at=entered, explanation=explanation))
        entered = moment(draw, entered, HOUR, DAY * 14)
    first = stages[0].entered_at
    if "SG002" in gaps:
        late = deadlines.late_after(deadlines.outcomes, first)
        desired = maybe(draw, lambda: moment(draw, late, timedelta(0), LATE_SPAN))
    else:
        desired = moment(draw, first, timedelta(0), deadlines.outcomes(first) - first)
    if "SG001" in gaps:
        i = draw(ints(0, len(stages) - 1))
        late = deadlines.late_after(deadlines.explain, stages[i].entered_at)
        stages[i] = attrs.evolve(
            stages[i], explanation=maybe(draw, lambda: draw_explanation(draw, late, LATE_SPAN))
        )
    return Safeguarding(
        reference=maybe(draw, lambda: f"SG-{draw(ints(1, 9999)):04d}"),
        stages=tuple(stages),
        desired_outcomes_recorded_at=desired,
        consent=maybe(draw, lambda: member(draw, SafeguardingConsent)),
        advocate=maybe(draw, lambda: draw_advocate(draw, first)),
    )


def draw_explanation(draw: Draw, entered: datetime, within: timedelta = HOUR * 20) -> Explanation:
    return Explanation(
        at=moment(draw, entered, timedelta(0), within),
        method=member(draw, ExplanationMethod),
        by=maybe(draw, lambda: staff_id(draw)),
    )


def draw_advocate(draw: Draw, after: datetime) -> Advocate:
    return Advocate(
        kind=member(draw, AdvocateKind),
        appointed_at=maybe(draw, lambda: moment(draw, after, timedelta(0), DAY * 2)),
    )


def draw_stage(draw: Draw) -> SafeguardingStage:
    entered = moment(draw, EPOCH, timedelta(0), DAY * 365)
    return SafeguardingStage(
        stage=member(draw, Stage),
        entered_at=entered,
        explanation=maybe(draw, lambda: draw_explanation(draw, entered)),
    )
