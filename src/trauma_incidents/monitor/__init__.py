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

The monitor keeps each live incident and its current findings, and evaluates it again (on
the chosen backend) when it is upserted and whenever the clock advances. Time is data: the
monitor never reads the clock. Cross-incident rules need a whole batch and do not run here.
With ``isolate=True`` the backend runs in a child process, so that a crash in native code
(durable_rules) faults the incident being checked instead of ending this process.

**Settled incidents are released.** An incident is settled at time *t* when it has no ``due``
or ``overdue`` finding, every time recorded in it is at or before *t*, and no waiver that
sets aside one of its findings expires after *t*. The built-in rules only change a verdict
when the clock passes a recorded time or a deadline, so a settled incident's findings can
change only if the record changes: the monitor forgets it (no event; its last findings stand),
so memory stays bounded as incidents close. Upserting it again starts it afresh.
"""

from __future__ import annotations

from trauma_incidents.monitor._monitor import Event, EventKind, Monitor, replay

__all__ = ["Event", "EventKind", "Monitor", "replay"]
