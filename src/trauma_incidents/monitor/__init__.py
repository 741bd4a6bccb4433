"""
Live monitoring: upsert incidents, advance the clock, receive what changed as events.

>>> from trauma_incidents import RuleSet
>>> from trauma_incidents.testing import T0, hours, incident, restraint
>>> events = []
>>> with Monitor(RuleSet.compile(), at=T0, on_event=events.append) as monitor:
...     _ = monitor.upsert(incident(interventions=(restraint(),)))
...     _ = monitor.advance(T0 + hours(1))
...     _ = monitor.advance(T0 + hours(25))
>>> sorted({(e.kind.value, e.rule) for e in events if e.rule == "DB001"})
[('opened', 'DB001'), ('overdue', 'DB001')]

The monitor holds each live incident with its current findings and the time they can next
change: the earliest recorded time, deadline (a finding's ``due_at``) or waiver expiry still
ahead. `Monitor.advance` re-checks only the incidents whose next change has come, so a tick
costs what changed; `Monitor.next_change_at` says when to tick. Time is data: the monitor
never reads the clock. Cross-incident rules need a whole batch and do not run here.
With ``isolate=True`` the backend runs in a child process, so that a crash in native code
(durable_rules) faults the incident being checked instead of ending this process.

**Settled incidents are released.** When nothing ahead can change an incident's findings
(overdue ones included), the monitor announces ``released`` and keeps only its findings'
ids, rule codes, statuses and digests, so memory stays bounded as incidents close; upserting
it again announces only what changed, and removing it withdraws its findings.

**Restart.** `Monitor.snapshot` writes a versioned JSON document and `Monitor.restore`
reads it; `Monitor.from_findings` starts from the findings a platform stored. Neither
announces again what was announced. Events are JSON both ways with `dump_event` and
`load_event` (``data/event.schema.json``). ``docs/platform.md`` has the details: events,
restart, scheduling ticks and threads.
"""

from __future__ import annotations

from trauma_incidents.monitor._events import (
    Event,
    EventDict,
    EventKind,
    Upserted,
    dump_event,
    load_event,
    replay,
)
from trauma_incidents.monitor._monitor import Monitor

__all__ = [
    "Event",
    "EventDict",
    "EventKind",
    "Monitor",
    "Upserted",
    "dump_event",
    "load_event",
    "replay",
]
