"""
Strategies for what happens during an incident: triggers, signs, injuries and interventions.

Also the draws for the smaller parts an incident records: harm, the person's account, and
others involved.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import attrs
from hypothesis.strategies import DrawFn as Draw
from hypothesis.strategies import SearchStrategy

from trauma_incidents.model import (
    RESTRICTIVE_KINDS,
    AccountMethod,
    Capacity,
    EarlyWarningSign,
    Harm,
    InjuredParty,
    Injury,
    InjurySeverity,
    Intervention,
    InterventionKind,
    InvolvedRole,
    LegalBasis,
    Observation,
    PersonAccount,
    PersonInvolved,
    PhysicalHarm,
    Position,
    PsychologicalHarm,
    Trigger,
    TriggerKind,
)
from trauma_incidents.strategies._internal._base import (
    BOOL,
    DAY,
    HOUR,
    MINUTE,
    chance,
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
    staff_ids,
)

_CALM_KINDS = tuple(k for k in InterventionKind if k not in RESTRICTIVE_KINDS)
_HELD_KINDS = (*sorted(RESTRICTIVE_KINDS), InterventionKind.OTHER)
_RI_DETAILS = ("started_at", "ended_at", "reason", "staff_ids", "in_support_plan")


def triggers(*, known: bool | None = None) -> SearchStrategy[Trigger]:
    """
    Triggers; ``known=True`` never gives kind ``unknown``, ``known=False`` always does.

    Raises:
        InvalidArgument: *known* is not a bool or None.
    """
    check_optional("known", known, bool)
    return drawn(lambda draw: draw_trigger(draw, known=known))


def draw_trigger(draw: Draw, *, known: bool | None) -> Trigger:
    kinds = tuple(TriggerKind)[:-1] if chance(draw, known) else (TriggerKind.UNKNOWN,)
    return Trigger(
        kind=pick(draw, kinds),
        detail=maybe(draw, lambda: phrase(draw, "detail")),
        confirmed=draw(BOOL),
    )


def early_warning_signs(
    *, after: datetime | None = None, within: timedelta = HOUR * 2
) -> SearchStrategy[EarlyWarningSign]:
    """
    Early warning signs, noticed (when they were) between *after* and *after* + *within*.

    Raises:
        InvalidArgument: *after* is naive or *within* is negative.
    """
    anchor, span = check_anchor("after", after), check_span("within", within)
    return drawn(lambda draw: draw_sign(draw, anchor, span))


def draw_sign(draw: Draw, after: datetime, within: timedelta) -> EarlyWarningSign:
    return EarlyWarningSign(
        description=phrase(draw, "sign"),
        noticed_at=maybe(draw, lambda: moment(draw, after, timedelta(0), within)),
        acted_on=draw(BOOL),
    )


def injuries(*, who: InjuredParty | None = None) -> SearchStrategy[Injury]:
    """
    Injuries, to *who* when given.

    Raises:
        InvalidArgument: *who* is not an `InjuredParty`.
    """
    check_optional("who", who, InjuredParty)
    return drawn(lambda draw: draw_injury(draw, who))


def draw_injury(draw: Draw, who: InjuredParty | None = None, *, recorded: bool = False) -> Injury:
    """An injury; a *recorded* one says all RIDDOR needs (days off, and whether work-related)."""
    days = draw(ints(0, 30)) if recorded else maybe(draw, lambda: draw(ints(0, 30)))
    hospital = maybe(draw, lambda: draw(BOOL))
    related = draw(BOOL) if recorded and hospital else maybe(draw, lambda: draw(BOOL))
    return Injury(
        who=member(draw, InjuredParty) if who is None else who,
        severity=member(draw, InjurySeverity),
        medical_treatment=draw(BOOL),
        days_incapacitated=days,
        specified_injury=draw(BOOL),
        hospital=hospital,
        work_related=related,
    )


def interventions(
    *,
    restrictive: bool | None = None,
    detailed: bool | None = None,
    after: datetime | None = None,
    within: timedelta = HOUR,
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
    check_optional("restrictive", restrictive, bool)
    check_optional("detailed", detailed, bool)
    anchor, span = check_anchor("after", after), check_span("within", within)
    return drawn(
        lambda draw: draw_intervention(
            draw, restrictive=restrictive, detailed=detailed, after=anchor, within=span
        )
    )


def draw_intervention(
    draw: Draw,
    *,
    restrictive: bool | None,
    detailed: bool | None,
    after: datetime,
    within: timedelta,
    kinds: Sequence[InterventionKind] | None = None,
) -> Intervention:
    """An intervention as `interventions` describes; *kinds* narrows the kinds drawn."""
    held = chance(draw, restrictive)
    kind = pick(draw, kinds or (_HELD_KINDS if held else _CALM_KINDS))
    flag = True if kind is InterventionKind.OTHER and held else pick(draw, (None, held))
    full = chance(draw, detailed)
    start = moment(draw, after, timedelta(0), within)
    position = maybe(draw, lambda: member(draw, Position))
    if full and kind is InterventionKind.PHYSICAL_RESTRAINT and position is None:
        position = Position.STANDING
    iv = Intervention(
        kind=kind,
        restrictive=flag,
        started_at=start,
        ended_at=moment(draw, start, timedelta(0), MINUTE * 30),
        reason=phrase(draw, "reason"),
        position=position,
        staff_ids=staff_ids(draw, min_size=1),
        in_support_plan=draw(BOOL),
        legal_basis=maybe(draw, lambda: member(draw, LegalBasis)),
        capacity=maybe(draw, lambda: member(draw, Capacity)),
        observations=tuple(some(draw, lambda: draw_observation(draw, start))),
    )
    return iv if full else drop_detail(draw, iv)


def drop_detail(draw: Draw, iv: Intervention) -> Intervention:
    name = pick(draw, _RI_DETAILS)
    changes: dict[str, Any] = {name: () if name == "staff_ids" else None}
    return attrs.evolve(iv, **changes)


def draw_observation(draw: Draw, start: datetime, within: timedelta = HOUR) -> Observation:
    return Observation(
        at=moment(draw, start, timedelta(0), within),
        airway_breathing_ok=maybe(draw, lambda: draw(BOOL)),
        conscious=maybe(draw, lambda: draw(BOOL)),
        by_role=maybe(draw, lambda: phrase(draw, "role")),
    )


def draw_harm(draw: Draw) -> Harm:
    return Harm(physical=member(draw, PhysicalHarm), psychological=member(draw, PsychologicalHarm))


def draw_account(draw: Draw, after: datetime) -> PersonAccount:
    return PersonAccount(
        given=draw(BOOL),
        method=member(draw, AccountMethod),
        at=maybe(draw, lambda: moment(draw, after, timedelta(0), DAY * 3)),
    )


def draw_involved(draw: Draw, after: datetime) -> PersonInvolved:
    return PersonInvolved(
        ref=f"X-{draw(ints(1, 99)):02d}",
        role=member(draw, InvolvedRole),
        support_offered_at=maybe(draw, lambda: moment(draw, after, timedelta(0), DAY * 2)),
    )
