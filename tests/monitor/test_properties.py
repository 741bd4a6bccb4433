"""The monitor's properties, on both backends: its index, its restart, its quiet ticks."""

from __future__ import annotations

from datetime import datetime

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents.engine import RuleSet
from trauma_incidents.model import Incident
from trauma_incidents.monitor import Event, Monitor, replay
from trauma_incidents.monitor._index import TICK

from .support import BACKENDS, BATCHES, START, clocks, fresh, rules_for


def run(batch: list[Incident], rules: RuleSet, backend: str) -> tuple[Monitor, list[Event]]:
    """A monitor at `START` holding *batch*, and the events so far."""
    events: list[Event] = []
    monitor = Monitor(rules, at=START, backend=backend, on_event=events.append)
    for inc in batch:
        monitor.upsert(inc)
    return monitor, events


@pytest.mark.parametrize("backend", BACKENDS)
@given(data=st.data(), batch=BATCHES)
def test_advance_with_the_index_equals_rechecking_everything(
    backend: str, data: st.DataObject, batch: list[Incident]
) -> None:
    """
    After each tick, the events replayed are a fresh evaluation of every incident.

    The clocks land on the incidents' own times, deadlines and waiver expiries and a
    microsecond either side, where a missed change in the index would show.
    """
    rules = data.draw(rules_for(batch))
    monitor, events = run(batch, rules, backend)
    with monitor:
        for at in data.draw(clocks(batch, rules)):
            monitor.advance(at)

            assert replay(events) == fresh(batch, at, rules)
            held = {f.id: f for f in monitor.findings}
            assert held == {i: f for i, f in fresh(batch, at, rules).items() if i in held}


@pytest.mark.parametrize("backend", BACKENDS)
@given(data=st.data(), batch=BATCHES)
def test_snapshot_restore_advance_equals_advance(
    backend: str, data: st.DataObject, batch: list[Incident]
) -> None:
    """A monitor restored from a snapshot goes on exactly as the one it was taken from."""
    rules = data.draw(rules_for(batch))
    times = data.draw(clocks(batch, rules))
    cut = data.draw(st.integers(0, len(times)))
    monitor, events = run(batch, rules, backend)
    with monitor:
        for at in times[:cut]:
            monitor.advance(at)
        later: list[Event] = []
        with Monitor.restore(
            monitor.snapshot(), rules, backend=backend, on_event=later.append
        ) as restored:
            assert restored.snapshot() == monitor.snapshot()
            del events[:]
            for at in times[cut:]:
                assert restored.advance(at) == monitor.advance(at)

            assert later == events
            assert restored.snapshot() == monitor.snapshot()


def without_time(snapshot: bytes) -> dict[str, object]:
    document = orjson.loads(snapshot)
    del document["at"]
    return dict(document)


@pytest.mark.parametrize("backend", BACKENDS)
@given(data=st.data(), batch=BATCHES)
def test_a_tick_where_nothing_is_due_changes_nothing(
    backend: str, data: st.DataObject, batch: list[Incident]
) -> None:
    """Advancing to before `next_change_at` announces nothing and changes only the time."""
    rules = data.draw(rules_for(batch))
    monitor, _ = run(batch, rules, backend)
    with monitor:
        for at in data.draw(clocks(batch, rules)):
            monitor.advance(max(at, monitor.now))
            before = monitor.snapshot()
            upcoming = monitor.next_change_at()
            quiet = data.draw(_before(monitor.now, upcoming))

            assert monitor.advance(quiet) == []
            assert without_time(monitor.snapshot()) == without_time(before)
            assert monitor.next_change_at() == upcoming


def _before(now: datetime, upcoming: datetime | None) -> st.SearchStrategy[datetime]:
    if upcoming is None:
        return st.sampled_from([now, now.replace(year=now.year + 5)])
    last = upcoming - TICK  # the latest time before it
    return st.sampled_from([now, now + (last - now) / 2, last])
