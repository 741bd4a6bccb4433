"""The `incidents` strategy: an incident's shape, then the evidence of the response to it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn as Draw
from hypothesis.strategies import SearchStrategy

from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model import Incident, LocationType, Setting
from trauma_incidents.strategies._internal._base import (
    DAY,
    HOUR,
    check_anchor,
    check_optional,
    drawn,
    ints,
    maybe,
    member,
    moment,
    phrase,
    pick,
    some,
)
from trauma_incidents.strategies._internal._evidence import (
    Anchors,
    Plan,
    draw_actions,
    draw_debriefs,
    draw_duty_of_candour,
    draw_interventions,
    draw_notifications,
    draw_process,
    draw_reviews,
    draw_summary,
    draw_triggers,
    restriction_ends,
)
from trauma_incidents.strategies._internal._parts import (
    draw_account,
    draw_involved,
    draw_sign,
)
from trauma_incidents.strategies._internal._rulebook import Needs, Policy
from trauma_incidents.strategies._internal._shape import draw_shape

_SERVICES = ("SVC-NORTH-SL", "SVC-EAST-RC", "SVC-CITY-DAY", "SVC-WEST-COM")


def incidents(
    *,
    restrictive: bool | None = None,
    with_safeguarding: bool | None = None,
    complete: bool | None = None,
    around: datetime | None = None,
    person_ids: SearchStrategy[str] | None = None,
    service_ids: SearchStrategy[str] | None = None,
    config: Config | RuleSet | None = None,
    gaps: Iterable[str] | None = None,
) -> SearchStrategy[Incident]:
    """
    Valid incidents, each with the evidence of a good response, or with gaps in it.

    A complete incident meets every rule of *config* on time by its configured deadlines
    (for example a 12-hour staff debrief when ``[rules.DB001] within = "12h"``): a known
    trigger; held staff debriefs covering the configured topics (and wellbeing after a staff
    injury); a person debrief offered or held; post-incident and support plan reviews, or a
    reflective review, each with root causes and changes; short, planned, lawful, observed
    restrictive interventions (never seclusion, never face down) after de-escalation began;
    each safeguarding stage explained and the desired outcomes recorded; the notifications it
    calls for (CQC, duty of candour, HSE); and learning actions done by their due time and
    assessed as effective. Evidence due after a restrictive intervention comes after the
    last one ends and by the deadline counted from the first.

    Evaluate at a time after every deadline (see docs/testing.md): before one, evidence not
    yet due gives ``due`` findings. Rules of *config* that the strategies do not know (a
    pack's own rules) are not planned for.

    Args:
        restrictive: ``True``: at least one restrictive intervention; ``False``: none.
        with_safeguarding: ``True``: a safeguarding process; ``False``: none.
        complete: ``True``: all of the evidence above (``gaps=set()``). ``False``: one to
            three rules the incident can break, broken. ``None``: either.
        around: Keep `Incident.occurred_at` within 7 days of this aware time (by default it
            is within a year of `EPOCH`).
        person_ids: Strategy for `Incident.person_id` (default ``P-001`` to ``P-040``).
        service_ids: Strategy for `Incident.service_id`.
        config: The configuration (or compiled rule set) whose rules and deadlines the
            incidents follow; by default the default packs.
        gaps: Rule codes to break, each giving that rule's findings and no other rule's
            (see ``GAPS`` in docs/testing.md for how each is broken). Not with *complete*.

    Raises:
        InvalidArgument: an argument has the wrong type, *around* is naive, a gap is not a
            rule the strategies can break or not enabled in *config*, or the gaps and flags
            cannot hold together (such as LN002, which needs no restrictive intervention,
            with RI001).
        ConfigError: *config* does not compile.
    """
    flags = (restrictive, with_safeguarding, complete)
    for name, value in zip(("restrictive", "with_safeguarding", "complete"), flags, strict=True):
        check_optional(name, value, bool)
    if around is not None:
        check_anchor("around", around)
    check_optional("person_ids", person_ids, SearchStrategy)
    check_optional("service_ids", service_ids, SearchStrategy)
    check_optional("config", config, (Config, RuleSet))
    policy = Policy.of(config)
    needs = Needs(restrictive=restrictive, safeguarding=with_safeguarding)
    chosen: frozenset[str] | None = None
    if gaps is not None:
        if complete is not None or isinstance(gaps, str):
            msg = "give gaps (a set of rule codes) or complete, not both, and not a string"
            raise InvalidArgument(msg)
        chosen, needs = policy.checked_gaps(gaps, needs)
    elif complete is True:
        chosen = frozenset()
    people = ints(1, 40).map("P-{:03d}".format) if person_ids is None else person_ids
    services = st.sampled_from(_SERVICES) if service_ids is None else service_ids
    at_least = 1 if complete is False else 0
    setup = _Setup(policy, needs, chosen, at_least, around, people, services)
    return drawn(lambda draw: _draw_incident(draw, setup))


@attrs.frozen
class _Setup:
    """The checked arguments of `incidents`."""

    policy: Policy
    needs: Needs
    gaps: frozenset[str] | None
    """The gaps; ``None``: drawn, from `at_least` to three of those the shape allows."""
    at_least: int
    around: datetime | None
    person_ids: SearchStrategy[str]
    service_ids: SearchStrategy[str]


def _draw_incident(draw: Draw, setup: _Setup) -> Incident:
    limit = setup.policy.option("NT003", "incapacity_days", 7)
    shape = draw_shape(draw, setup.needs, around=setup.around, incapacity_days=limit)
    gaps = setup.gaps
    if gaps is None:
        possible = setup.policy.possible(shape)
        gaps = frozenset(
            some(draw, lambda: pick(draw, possible), min_size=setup.at_least, max_size=3)
            if possible
            else ()
        )
    plan = Plan(shape, setup.policy, gaps)
    ivs = draw_interventions(draw, plan)
    ri = restriction_ends(shape, ivs) if shape.restrictive else None
    at = Anchors(shape.aware_at, ri)
    o = shape.occurred
    candour, told = draw_duty_of_candour(draw, plan)
    return Incident(
        id=f"INC-{draw(ints(1, 99999)):05d}",
        person_id=draw(setup.person_ids),
        service_id=draw(setup.service_ids),
        occurred_at=o,
        categories=shape.categories,
        severity=shape.severity,
        setting=maybe(draw, lambda: member(draw, Setting)),
        reported_at=shape.reported,
        recorded_at=maybe(draw, lambda: moment(draw, o, timedelta(0), DAY * 2)),
        location=maybe(draw, lambda: phrase(draw, "location")),
        location_type=maybe(draw, lambda: member(draw, LocationType)),
        summary=draw_summary(draw, plan),
        harm=shape.harm,
        triggers=draw_triggers(draw, plan),
        early_warning_signs=tuple(some(draw, lambda: draw_sign(draw, o - HOUR * 2, HOUR * 2))),
        interventions=tuple(ivs),
        injuries=shape.injuries,
        debriefs=draw_debriefs(draw, plan, at),
        reviews=draw_reviews(draw, plan, at),
        safeguarding=draw_process(draw, plan) if shape.safeguarding else None,
        notifications=(*draw_notifications(draw, plan), *told),
        actions=draw_actions(draw, plan, at.base),
        person_account=maybe(draw, lambda: draw_account(draw, o)),
        people_involved=tuple(some(draw, lambda: draw_involved(draw, o), max_size=1)),
        candour=candour,
    )
