"""
Strategies for safeguarding processes and their stages.

Stages follow in order, each explained at or after it is entered; on request, one stage's
explanation or the desired outcomes are missing or late.
"""

from __future__ import annotations

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

_PATHS = (
    (Stage.CONCERN_RAISED,),
    (Stage.CONCERN_RAISED, Stage.INITIAL_ENQUIRY),
    (Stage.CONCERN_RAISED, Stage.INITIAL_ENQUIRY, Stage.CLOSED),
    (Stage.CONCERN_RAISED, Stage.INITIAL_ENQUIRY, Stage.SECTION_42_ENQUIRY),
    tuple(Stage),
    (*tuple(Stage)[:4], Stage.CLOSED),
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
    return drawn(
        lambda draw: draw_safeguarding(draw, explained=explained, after=anchor, within=span)
    )


def draw_safeguarding(
    draw: Draw, *, explained: bool | None, after: datetime, within: timedelta
) -> Safeguarding:
    entered = moment(draw, after, timedelta(0), within)
    stages = []
    for stage in pick(draw, _PATHS):
        explanation = draw_explanation(draw, entered)
        stages.append(SafeguardingStage(stage=stage, entered_at=entered, explanation=explanation))
        entered = moment(draw, entered, HOUR, DAY * 14)
    first = stages[0].entered_at
    sg = Safeguarding(
        reference=maybe(draw, lambda: f"SG-{draw(ints(1, 9999)):04d}"),
        stages=tuple(stages),
        desired_outcomes_recorded_at=moment(draw, first, timedelta(0), HOUR * 20),
        consent=maybe(draw, lambda: member(draw, SafeguardingConsent)),
        advocate=maybe(draw, lambda: draw_advocate(draw, first)),
    )
    return sg if chance(draw, explained) else _unexplain(draw, sg)


def draw_explanation(draw: Draw, entered: datetime) -> Explanation:
    return Explanation(
        at=moment(draw, entered, timedelta(0), HOUR * 20),
        method=member(draw, ExplanationMethod),
        by=maybe(draw, lambda: staff_id(draw)),
    )


def draw_advocate(draw: Draw, after: datetime) -> Advocate:
    return Advocate(
        kind=member(draw, AdvocateKind),
        appointed_at=maybe(draw, lambda: moment(draw, after, timedelta(0), DAY * 2)),
    )


def _unexplain(draw: Draw, sg: Safeguarding) -> Safeguarding:
    """Leave one gap: a stage unexplained or explained late, or desired outcomes missing or late."""
    gap = pick(draw, ("unexplained", "late", "outcomes"))
    if gap == "outcomes":
        late = maybe(draw, lambda: moment(draw, sg.stages[0].entered_at, DAY * 8, DAY * 20))
        return attrs.evolve(sg, desired_outcomes_recorded_at=late)
    i = draw(ints(0, len(sg.stages) - 1))
    stage = sg.stages[i]
    explanation = None
    if gap == "late":
        at = moment(draw, stage.entered_at, DAY * 8, DAY * 20)
        explanation = Explanation(at=at, method=ExplanationMethod.VERBAL)
    stages = list(sg.stages)
    stages[i] = attrs.evolve(stage, explanation=explanation)
    return attrs.evolve(sg, stages=tuple(stages))


def draw_stage(draw: Draw) -> SafeguardingStage:
    entered = moment(draw, EPOCH, timedelta(0), DAY * 365)
    return SafeguardingStage(
        stage=member(draw, Stage),
        entered_at=entered,
        explanation=maybe(draw, lambda: draw_explanation(draw, entered)),
    )
