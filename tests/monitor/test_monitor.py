"""The live monitor by example: events, release, withdrawal, callbacks, the clock."""

from __future__ import annotations

import attrs
import pytest

from trauma_incidents.config import Config, Waiver
from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model import Position, ReviewKind
from trauma_incidents.monitor import Event, EventKind, Monitor, replay
from trauma_incidents.monitor._index import TICK
from trauma_incidents.rules import Status
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

from .support import BACKENDS, RULES, fresh

PIR, SPR = ReviewKind.POST_INCIDENT_REVIEW, ReviewKind.SUPPORT_PLAN_REVIEW
DONE = incident(
    interventions=(restraint(),),
    debriefs=(staff_debrief(T0 + hours(1)), person_debrief(T0 + hours(2))),
    reviews=(review(PIR, T0 + hours(2)), review(SPR, T0 + hours(3))),
    triggers=(trigger(),),
)


@pytest.mark.parametrize("backend", BACKENDS)
def test_lifecycle_events(backend: str) -> None:
    """A debrief is opened, becomes overdue, is met late; other deadlines keep it held."""
    inc = incident(interventions=(restraint(),))
    events: list[Event] = []
    with Monitor(RULES, at=T0 + hours(1), backend=backend, on_event=events.append) as monitor:
        monitor.upsert(inc)
        monitor.advance(T0 + hours(30))
        monitor.upsert(attrs.evolve(inc, debriefs=(staff_debrief(T0 + hours(29)),)))
        db001 = [e.kind for e in events if e.rule == "DB001"]

        assert db001 == [EventKind.OPENED, EventKind.OVERDUE, EventKind.MET_LATE]
        assert len(monitor) == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_settled_incident_is_released(backend: str) -> None:
    """With nothing due and nothing recorded later, the incident is released, once."""
    with Monitor(RULES, at=T0, backend=backend) as monitor:
        monitor.upsert(DONE)
        assert len(monitor) == 1

        events = monitor.advance(T0 + days(40))

        assert [e.kind for e in events if e.kind is EventKind.RELEASED] == [EventKind.RELEASED]
        assert len(monitor) == 0
        assert monitor.findings_for(DONE.id) is None
        assert monitor.next_change_at() is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_incident_with_an_overdue_finding_settles(backend: str) -> None:
    """Once every deadline has passed, nothing can change: the overdue findings stand."""
    inc = incident(interventions=(restraint(),))
    with Monitor(RULES, at=T0 + hours(1), backend=backend) as monitor:
        monitor.upsert(inc)

        events = monitor.advance(T0 + days(400))

        standing = fresh([inc], T0 + days(400))
        assert any(f.status is Status.OVERDUE for f in standing.values())
        assert events[-1].kind is EventKind.RELEASED
        assert len(monitor) == 0
        assert monitor.advance(T0 + days(800)) == []


def test_released_incident_upserted_again_announces_only_changes() -> None:
    """Unchanged: only ``released`` again; a debrief recorded late: met late, no ``before``."""
    inc = incident(interventions=(restraint(),))
    late = attrs.evolve(inc, debriefs=(staff_debrief(T0 + days(3)),))
    at = T0 + days(400)
    with Monitor(RULES, at=T0 + hours(1)) as monitor:
        monitor.upsert(inc)
        monitor.advance(at)

        again = monitor.upsert(inc).events
        changed = monitor.upsert(late).events

    assert [e.kind for e in again] == [EventKind.RELEASED]
    db001 = [e for e in changed if e.rule == "DB001"]
    assert [(e.kind, e.before) for e in db001] == [(EventKind.MET_LATE, None)]
    assert db001[0].finding in fresh([late], at).values()


def test_released_incident_dropping_a_finding_withdraws_it() -> None:
    """A released incident upserted without the restraint: its findings are met or withdrawn."""
    inc = incident(interventions=(restraint(),))
    at = T0 + days(400)
    events: list[Event] = []
    with Monitor(RULES, at=T0 + hours(1), on_event=events.append) as monitor:
        monitor.upsert(inc)
        monitor.advance(at)
        before = replay(events)

        dropped = monitor.upsert(attrs.evolve(inc, interventions=())).events

    gone = {e.finding_id: e.kind for e in dropped if e.finding is None and e.finding_id}
    assert gone
    assert set(gone) == set(before) - set(fresh([attrs.evolve(inc, interventions=())], at))
    assert set(gone.values()) <= {EventKind.MET, EventKind.WITHDRAWN}
    assert replay(events) == fresh([attrs.evolve(inc, interventions=())], at)


@pytest.mark.parametrize("backend", BACKENDS)
def test_removing_a_released_incident_withdraws_its_findings(backend: str) -> None:
    """The monitor keeps a released incident's finding ids, so removal withdraws each."""
    inc = incident(interventions=(restraint(),))
    events: list[Event] = []
    with Monitor(RULES, at=T0 + hours(1), backend=backend, on_event=events.append) as monitor:
        monitor.upsert(inc)
        monitor.advance(T0 + days(400))
        standing = replay(events)

        gone = monitor.remove(inc.id)

    assert standing
    assert {e.finding_id for e in gone} == set(standing)
    assert {(e.kind, e.incident_id) for e in gone} == {(EventKind.WITHDRAWN, inc.id)}
    assert {e.rule for e in gone} == {f.rule for f in standing.values()}
    assert replay(events) == {}


def test_met_and_withdrawn() -> None:
    """A due debrief recorded in time is met; removing an incident withdraws the rest."""
    inc = incident(interventions=(restraint(),))
    with Monitor(RULES, at=T0 + hours(1)) as monitor:
        opened = monitor.upsert(inc).events
        met = monitor.upsert(attrs.evolve(inc, debriefs=(staff_debrief(T0 + hours(1)),))).events
        gone = monitor.remove(inc.id)

    assert EventKind.OPENED in {e.kind for e in opened}
    assert [e.kind for e in met if e.rule == "DB001"] == [EventKind.MET]
    assert {e.kind for e in gone} == {EventKind.WITHDRAWN}
    assert monitor.remove("no-such-id") == []


def test_upsert_returns_the_incidents_findings_and_can_move_the_clock() -> None:
    """``upsert(at=)`` moves the clock as `advance` would; the findings are that evaluation's."""
    first = incident(interventions=(restraint(),))
    second = attrs.evolve(first, id="INC-0002", occurred_at=T0 + hours(20))
    with Monitor(RULES, at=T0 + hours(1)) as monitor:
        monitor.upsert(first)

        result = monitor.upsert(second, at=T0 + hours(30))

        assert monitor.now == T0 + hours(30)
        assert set(result.findings) == set(fresh([second], T0 + hours(30)).values())
        assert monitor.findings_for(second.id) == result.findings
        overdue = [e for e in result.events if e.kind is EventKind.OVERDUE]
        assert {e.incident_id for e in overdue} == {first.id}


def test_next_change_at_is_when_something_can_change() -> None:
    """
    Just before `next_change_at` nothing happens; the deadline turns a microsecond after it.

    A deadline is inclusive, so the finding turns overdue at the deadline plus 1 µs; the
    index also re-checks at the deadline itself (a rule may compare either way).
    """
    with Monitor(RULES, at=T0 + hours(1)) as monitor:
        monitor.upsert(incident(interventions=(restraint(),)))
        due = min(f.due_at for f in monitor.findings if f.status is Status.DUE and f.due_at)
        assert monitor.next_change_at() == due

        assert monitor.advance(due - TICK) == []
        assert monitor.advance(due) == []
        assert monitor.next_change_at() == due + TICK
        assert EventKind.OVERDUE in {e.kind for e in monitor.advance(due + TICK)}


def test_a_callback_that_raises_leaves_the_state_and_repeats_the_events() -> None:
    """The call fails before the state moves; repeating it gives every event again."""
    seen: list[Event] = []
    failing = [True]

    def deliver(event: Event) -> None:
        if failing[0] and len(seen) == 1:
            msg = "the outbox is down"
            raise ConnectionError(msg)
        seen.append(event)

    with Monitor(RULES, at=T0 + hours(1), on_event=deliver) as monitor:
        before = monitor.snapshot()
        with pytest.raises(ConnectionError):
            monitor.upsert(incident(interventions=(restraint(),)))

        assert monitor.snapshot() == before
        assert len(monitor) == 0
        failing[0] = False
        events = monitor.upsert(incident(interventions=(restraint(),))).events

    assert seen[0] == events[0]
    assert seen[1:] == list(events)


def test_a_callback_that_raises_on_advance_or_remove_moves_nothing() -> None:
    """The clock and the held incidents stay as they were."""
    armed = [False]

    def deliver(_: Event) -> None:
        if armed[0]:
            msg = "the outbox is down"
            raise ConnectionError(msg)

    inc = incident(interventions=(restraint(),))
    with Monitor(RULES, at=T0 + hours(1), on_event=deliver) as monitor:
        monitor.upsert(inc)
        before = monitor.snapshot()
        armed[0] = True

        with pytest.raises(ConnectionError):
            monitor.advance(T0 + days(400))
        with pytest.raises(ConnectionError):
            monitor.remove(inc.id)

        assert monitor.snapshot() == before
        assert monitor.now == T0 + hours(1)


def test_waiver_expiry_keeps_incident_held() -> None:
    """A finding waived until a later time keeps its incident held, then reappears."""
    waiver = Waiver(reason="Agreed", rule="RI005", incident_id="INC-0001", expires=T0 + days(3))
    inc = attrs.evolve(DONE, interventions=(restraint(position=Position.PRONE),))
    with Monitor(RuleSet.compile(Config(waivers=(waiver,))), at=T0 + days(2)) as monitor:
        monitor.upsert(inc)
        assert len(monitor) == 1
        assert monitor.next_change_at() == T0 + days(3)
        events = monitor.advance(T0 + days(4))

    assert [(e.kind, e.rule) for e in events if e.rule == "RI005"] == [(EventKind.OPENED, "RI005")]


def test_clock_moves_forward_only() -> None:
    """Advancing to an earlier time is refused, naming the current time."""
    with Monitor(RULES, at=T0) as monitor, pytest.raises(InvalidArgument, match="forward"):
        monitor.advance(T0 - hours(1))
    with Monitor(RULES, at=T0) as monitor, pytest.raises(InvalidArgument, match="forward"):
        monitor.upsert(DONE, at=T0 - hours(1))
