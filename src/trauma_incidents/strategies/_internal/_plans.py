"""Strategies for support plan versions (`trauma_incidents.plans.SupportPlan`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis.strategies import DrawFn as Draw
from hypothesis.strategies import SearchStrategy

from trauma_incidents.model import (
    RESTRICTIVE_KINDS,
    AccountMethod,
    LegalBasis,
    Position,
    TriggerKind,
)
from trauma_incidents.plans import (
    AuthorisedRestriction,
    KnownTrigger,
    Strategy,
    StrategyStage,
    SupportPlan,
    WarningSign,
)
from trauma_incidents.strategies._internal._base import (
    BOOL,
    DAY,
    check_anchor,
    check_optional,
    check_span,
    drawn,
    ints,
    maybe,
    member,
    moment,
    phrase,
    pick,
    some,
    staff_id,
)

_KNOWN_KINDS = tuple(k for k in TriggerKind if k is not TriggerKind.UNKNOWN)
_RESTRICTIVE = tuple(sorted(RESTRICTIVE_KINDS))


def support_plans(
    *, person_id: str | None = None, after: datetime | None = None, within: timedelta = DAY * 90
) -> SearchStrategy[SupportPlan]:
    """
    Support plan versions in force from between *after* and *after* + *within*.

    Args:
        person_id: Whose plans (default one of ``P-001`` to ``P-003``).
        after: The earliest ``effective_from`` (default `EPOCH`); times shrink toward it.
        within: How far after *after* a version may start.

    Raises:
        InvalidArgument: *person_id* is not a str, *after* is naive or *within* is negative.
    """
    check_optional("person_id", person_id, str)
    anchor, span = check_anchor("after", after), check_span("within", within)
    return drawn(lambda draw: draw_plan(draw, anchor, span, person_id))


def draw_plan(draw: Draw, after: datetime, within: timedelta, person_id: str | None) -> SupportPlan:
    start = moment(draw, after, timedelta(0), within)
    review = maybe(draw, lambda: start + DAY * draw(ints(1, 365)))
    return SupportPlan(
        id=f"SP-{draw(ints(1, 9999)):04d}",
        person_id=person_id or f"P-{draw(ints(1, 3)):03d}",
        effective_from=start,
        # A review date is written as a day (the end of it, Europe/London) or a time.
        review_by=review if review is None or draw(BOOL) else review.date(),
        coordinator_id=maybe(draw, lambda: staff_id(draw)),
        person_involved=maybe(draw, lambda: draw(BOOL)),
        involvement_method=maybe(draw, lambda: member(draw, AccountMethod)),
        formulation_at=maybe(draw, lambda: start - DAY * draw(ints(0, 60))),
        known_triggers=tuple(some(draw, lambda: _known_trigger(draw), max_size=3)),
        early_warning_signs=tuple(some(draw, lambda: _warning_sign(draw))),
        strategies=tuple(some(draw, lambda: _strategy(draw), max_size=3)),
        authorised_restrictions=tuple(some(draw, lambda: _restriction(draw))),
        what_matters=tuple(some(draw, lambda: phrase(draw, "matters"))),
        safe_engagement=tuple(some(draw, lambda: phrase(draw, "engagement"))),
        communication=tuple(some(draw, lambda: phrase(draw, "communication"))),
    )


def _known_trigger(draw: Draw) -> KnownTrigger:
    detail = maybe(draw, lambda: phrase(draw, "detail"))
    return KnownTrigger(kind=pick(draw, _KNOWN_KINDS), detail=detail)


def _warning_sign(draw: Draw) -> WarningSign:
    response = maybe(draw, lambda: phrase(draw, "strategy"))
    return WarningSign(description=phrase(draw, "sign"), response=response)


def _strategy(draw: Draw) -> Strategy:
    return Strategy(stage=member(draw, StrategyStage), description=phrase(draw, "strategy"))


def _restriction(draw: Draw) -> AuthorisedRestriction:
    positions = tuple(dict.fromkeys(some(draw, lambda: member(draw, Position))))
    return AuthorisedRestriction(
        kind=pick(draw, _RESTRICTIVE),
        legal_basis=member(draw, LegalBasis),
        positions=positions,
        max_minutes=maybe(draw, lambda: draw(ints(1, 30))),
    )
