"""The `incidents` strategy: an incident's shape, then the evidence of the response to it."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import strategies as st
from hypothesis.strategies import DrawFn as Draw
from hypothesis.strategies import SearchStrategy

from trauma_incidents.model import Incident, Intervention, LocationType, Setting
from trauma_incidents.strategies._internal._base import (
    DAY,
    HOUR,
    chance,
    check_anchor,
    check_optional,
    drawn,
    ints,
    maybe,
    member,
    moment,
    phrase,
    some,
)
from trauma_incidents.strategies._internal._evidence import (
    draw_actions,
    draw_debriefs,
    draw_duty_of_candour,
    draw_interventions,
    draw_notifications,
    draw_process,
    draw_reviews,
    draw_triggers,
)
from trauma_incidents.strategies._internal._parts import (
    draw_account,
    draw_involved,
    draw_sign,
)
from trauma_incidents.strategies._internal._shape import Shape, draw_gaps, draw_shape

_SERVICES = ("SVC-NORTH-SL", "SVC-EAST-RC", "SVC-CITY-DAY", "SVC-WEST-COM")


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
    interventions begun after de-escalation began, planned, never prone, physical restraint
    no longer than 10 minutes, seclusion only under the Mental Health Act, a legal basis that
    fits the capacity recorded, and an observation after a supine hold or rapid
    tranquillisation; each safeguarding stage explained within 20 hours; the notifications it
    calls for (CQC, HSE) on time; after moderate or worse harm, a duty of candour decision
    within 7 days and, when notifiable, a notice in person, by phone or video with an apology
    and then a letter or email; and learning actions done by their due time and assessed
    within 21 days.

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
        check_optional(name, value, bool)
    if around is not None:
        check_anchor("around", around)
    check_optional("person_ids", person_ids, SearchStrategy)
    check_optional("service_ids", service_ids, SearchStrategy)
    people = ints(1, 40).map("P-{:03d}".format) if person_ids is None else person_ids
    services = st.sampled_from(_SERVICES) if service_ids is None else service_ids
    return drawn(lambda draw: _draw_incident(draw, flags, around, people, services))


def _draw_incident(
    draw: Draw,
    flags: tuple[bool | None, bool | None, bool | None],
    around: datetime | None,
    person_ids: SearchStrategy[str],
    service_ids: SearchStrategy[str],
) -> Incident:
    restrictive, safeguarding, complete = (chance(draw, f) for f in flags)
    shape = draw_shape(
        draw, restrictive=restrictive, safeguarding=safeguarding, complete=complete, around=around
    )
    gaps = draw_gaps(draw, shape, complete=complete)
    ivs = draw_interventions(draw, shape, gaps)
    base = _response_base(shape, ivs)
    o = shape.occurred
    candour, told = draw_duty_of_candour(draw, shape, gaps)
    return Incident(
        id=f"INC-{draw(ints(1, 99999)):05d}",
        person_id=draw(person_ids),
        service_id=draw(service_ids),
        occurred_at=o,
        categories=shape.categories,
        severity=shape.severity,
        setting=maybe(draw, lambda: member(draw, Setting)),
        reported_at=shape.reported,
        recorded_at=maybe(draw, lambda: moment(draw, o, timedelta(0), DAY * 2)),
        location=maybe(draw, lambda: phrase(draw, "location")),
        location_type=maybe(draw, lambda: member(draw, LocationType)),
        summary=maybe(draw, lambda: phrase(draw, "summary")),
        harm=shape.harm,
        triggers=draw_triggers(draw, gaps),
        early_warning_signs=tuple(some(draw, lambda: draw_sign(draw, o - HOUR * 2, HOUR * 2))),
        interventions=tuple(ivs),
        injuries=shape.injuries,
        debriefs=draw_debriefs(draw, shape, base, gaps),
        reviews=draw_reviews(draw, base, gaps),
        safeguarding=draw_process(draw, shape, gaps) if safeguarding else None,
        notifications=(*draw_notifications(draw, shape, gaps), *told),
        actions=draw_actions(draw, base, gaps),
        person_account=maybe(draw, lambda: draw_account(draw, o)),
        people_involved=tuple(some(draw, lambda: draw_involved(draw, o), max_size=1)),
        candour=candour,
    )


def _response_base(shape: Shape, ivs: list[Intervention]) -> datetime:
    """What the response is timed from: when staff knew, or when the last restriction ended."""
    ends = [iv.ended_at or iv.started_at or shape.occurred for iv in ivs if iv.is_restrictive]
    return max([shape.aware_at, *ends])
