"""The live monitor: events, their replay, release of settled incidents (both backends)."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents.backends.durable import available
from trauma_incidents.config import Config, Waiver
from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model import Incident, Position, ReviewKind
from trauma_incidents.monitor import Event, EventKind, Monitor, replay
from trauma_incidents.rules import Status
from trauma_incidents.strategies import incidents
from trauma_incidents.testing import (
    T0,
    days,
    hours,
    incident,
    person_debrief,
    restraint,
    review,
    staff_debrief,
    trigger,
)

RULES = RuleSet.compile(Config())
PIR, SPR = ReviewKind.POST_INCIDENT_REVIEW, ReviewKind.SUPPORT_PLAN_REVIEW
BACKENDS = [
    "python",
    pytest.param(
        "durable",
        marks=pytest.mark.skipif(not available(), reason="durable-rules cannot be imported here"),
    ),
]
STEPS = st.lists(
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=6)), min_size=1, max_size=6
)


def fresh(batch: list[Incident], at: datetime) -> dict[str, object]:
    return {f.id: f for f in RULES.evaluate(batch, at=at).findings}


@pytest.mark.parametrize("backend", BACKENDS)
@given(batch=st.lists(incidents(around=T0), max_size=3, unique_by=lambda i: i.id), steps=STEPS)
def test_events_replay_to_a_fresh_evaluation(
    backend: str, batch: list[Incident], steps: list[timedelta]
) -> None:
    """Replaying every event gives the findings a fresh evaluation gives at the last time."""
    events: list[Event] = []
    at = T0 - timedelta(days=8)
    with Monitor(RULES, at=at, backend=backend, on_event=events.append) as monitor:
        for inc in batch:
            monitor.upsert(inc)
        for step in steps:
            at += step * 3
            monitor.advance(at)

        assert replay(events) == fresh(batch, at)
        assert set(monitor.findings) <= set(fresh(batch, at).values())


@pytest.mark.parametrize("backend", BACKENDS)
def test_lifecycle_events(backend: str) -> None:
    """A debrief is opened, becomes overdue, is met late; the settled incident is released."""
    inc = incident(interventions=(restraint(),))
    with Monitor(RULES, at=T0 + hours(1), backend=backend) as monitor:
        monitor.upsert(inc)
        monitor.advance(T0 + hours(30))
        monitor.upsert(attrs.evolve(inc, debriefs=(staff_debrief(T0 + hours(29)),)))
        db001 = [e.kind for e in monitor.events() if e.rule == "DB001"]

        assert db001 == [EventKind.OPENED, EventKind.OVERDUE, EventKind.MET_LATE]
        assert len(monitor) == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_settled_incident_is_released(backend: str) -> None:
    """With nothing open and nothing recorded later, the incident is forgotten."""
    done = incident(
        interventions=(restraint(),),
        debriefs=(staff_debrief(T0 + hours(1)), person_debrief(T0 + hours(2))),
        reviews=(review(PIR, T0 + hours(2)), review(SPR, T0 + hours(3))),
        triggers=(trigger(),),
    )
    with Monitor(RULES, at=T0, backend=backend) as monitor:
        monitor.upsert(done)
        assert len(monitor) == 1

        monitor.advance(T0 + days(40))

        assert len(monitor) == 0
        assert not [f for f in monitor.findings if f.status in {Status.DUE, Status.OVERDUE}]


def test_met_and_withdrawn() -> None:
    """A due debrief recorded in time is met; removing an incident withdraws the rest."""
    inc = incident(interventions=(restraint(),))
    with Monitor(RULES, at=T0 + hours(1)) as monitor:
        opened = monitor.upsert(inc)
        met = monitor.upsert(attrs.evolve(inc, debriefs=(staff_debrief(T0 + hours(1)),)))
        gone = monitor.remove(inc.id)

    assert EventKind.OPENED in {e.kind for e in opened}
    assert [e.kind for e in met if e.rule == "DB001"] == [EventKind.MET]
    assert {e.kind for e in gone} == {EventKind.WITHDRAWN}
    assert monitor.remove("no-such-id") == []


def test_waiver_expiry_keeps_incident_live() -> None:
    """A finding waived until a later time keeps its incident live, then reappears."""
    waiver = Waiver(reason="Agreed", rule="RI005", incident_id="INC-0001", expires=T0 + days(3))
    inc = incident(
        interventions=(restraint(position=Position.PRONE),),
        debriefs=(staff_debrief(T0 + hours(1)), person_debrief(T0 + hours(2))),
        reviews=(review(PIR, T0 + hours(2)), review(SPR, T0 + hours(3))),
        triggers=(trigger(),),
    )
    with Monitor(RuleSet.compile(Config(waivers=(waiver,))), at=T0 + days(2)) as monitor:
        monitor.upsert(inc)
        assert len(monitor) == 1
        events = monitor.advance(T0 + days(4))

    assert [(e.kind, e.rule) for e in events if e.rule == "RI005"] == [(EventKind.OPENED, "RI005")]


def test_clock_moves_forward_only() -> None:
    """Advancing to an earlier time is refused, naming the current time."""
    with Monitor(RULES, at=T0) as monitor, pytest.raises(InvalidArgument, match="forward"):
        monitor.advance(T0 - hours(1))
