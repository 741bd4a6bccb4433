"""The index: the schedule of next changes, and the recorded times it is built from."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import attrs
from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents._calendar import end_of_day
from trauma_incidents.monitor._index import Schedule, recorded_times
from trauma_incidents.testing import T0, action, incident, restraint, staff_debrief

IDS = st.sampled_from(["A", "B", "C", "D"])
WHEN = st.none() | st.integers(0, 20).map(lambda h: T0 + timedelta(hours=h))


@given(
    moves=st.lists(st.tuples(IDS, WHEN), max_size=60),
    to=st.integers(0, 20).map(lambda h: T0 + timedelta(hours=h)),
)
def test_due_is_exactly_what_is_scheduled_by_then(
    moves: list[tuple[str, datetime | None]], to: datetime
) -> None:
    """Whatever the order of settings, `due` and `first` agree with the latest of each."""
    schedule = Schedule()
    latest: dict[str, datetime | None] = {}
    for incident_id, when in moves:
        schedule.set(incident_id, when)
        latest[incident_id] = when
        schedule.prune()
    scheduled = {i: w for i, w in latest.items() if w is not None}

    due = schedule.due(to)

    assert sorted(due) == sorted(i for i, w in scheduled.items() if w <= to)
    assert len(due) == len(set(due))
    assert schedule.first() == min(scheduled.values(), default=None)


@attrs.frozen
class Odd:
    """A record whose annotation cannot be resolved."""

    at: Unresolved  # type: ignore[name-defined]  # noqa: F821
    note: str


def test_recorded_times_visit_every_field_of_an_unresolvable_class() -> None:
    """When the types cannot be read, every field is visited: no time is missed."""
    assert recorded_times(Odd(at=T0, note="x")) == (T0,)


def test_recorded_times_skip_no_time_of_an_incident() -> None:
    """Times nested in lists of parts, and dates as their day's last moment, are found."""
    inc = incident(
        interventions=(restraint(),),
        debriefs=(staff_debrief(T0 + timedelta(hours=1)),),
        actions=(action(due=date(2026, 3, 9)),),
    )

    times = recorded_times(inc)

    assert T0 + timedelta(hours=1) in times
    assert end_of_day(date(2026, 3, 9)) in times
    assert all(iv.started_at in times for iv in inc.interventions if iv.started_at)
