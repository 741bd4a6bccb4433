"""Threads: several writers and readers share one monitor; reads take the writers' lock."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import attrs
import pytest

from trauma_incidents.monitor import Event, Monitor, replay
from trauma_incidents.testing import T0, hours, incident, restraint

from .support import RULES, fresh

WRITERS, ROUNDS = 4, 60


@pytest.fixture
def frequent_switches() -> Iterator[None]:
    """Threads switch every microsecond, so unguarded reads would meet writes."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


@pytest.mark.usefixtures("frequent_switches")
def test_readers_and_writers_share_one_monitor() -> None:
    """Reads never fail while four threads upsert, remove and advance; events stay whole."""
    events: list[Event] = []
    clock = threading.Lock()
    done = threading.Event()
    base = incident(interventions=(restraint(),))

    with Monitor(RULES, at=T0 + hours(1), on_event=events.append) as monitor:

        def write(writer: int) -> list[str]:
            kept = []
            for n in range(ROUNDS):
                inc = attrs.evolve(base, id=f"INC-{writer}-{n:03d}")
                monitor.upsert(inc)
                if n % 3 == 0:
                    monitor.remove(inc.id)
                else:
                    kept.append(inc.id)
                with clock:
                    monitor.advance(max(monitor.now, T0 + hours(1 + n)))
            return kept

        def read() -> int:
            reads = 0
            while not done.is_set():
                _ = (monitor.findings, monitor.faults, len(monitor), monitor.next_change_at())
                _ = monitor.findings_for(f"INC-0-{reads % ROUNDS:03d}")
                if reads % 50 == 0:
                    Monitor.restore(monitor.snapshot(), RULES).close()
                reads += 1
            return reads

        with ThreadPoolExecutor(WRITERS + 2) as pool:
            readers = [pool.submit(read) for _ in range(2)]
            writers = [pool.submit(write, w) for w in range(WRITERS)]
            kept = [i for w in writers for i in w.result()]
            done.set()
            assert all(r.result() > 0 for r in readers)

        at = monitor.now
        batch = [attrs.evolve(base, id=i) for i in kept]
        assert replay(events) == fresh(batch, at)
        assert set(monitor.findings) == set(fresh(batch, at).values())
