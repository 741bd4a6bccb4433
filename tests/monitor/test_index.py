"""The schedule of next changes: a heap that never loses or repeats an incident."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents.monitor._index import Schedule
from trauma_incidents.testing import T0

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
