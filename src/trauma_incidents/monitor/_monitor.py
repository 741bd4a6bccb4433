"""The live monitor: incidents held, re-evaluated as the clock moves, events out."""

from __future__ import annotations

import faulthandler
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from datetime import date, datetime
from enum import Enum
from types import TracebackType
from typing import final

import attrs
from attrs import frozen

from trauma_incidents._calendar import end_of_day
from trauma_incidents.backends import Engine, PythonEngine, make_engine
from trauma_incidents.engine._findings_report import RuleFault, WaivedFinding
from trauma_incidents.engine._ruleset import RuleSet, apply_waivers, check_time
from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model._incident import Incident
from trauma_incidents.monitor._isolated import IsolatedChecker
from trauma_incidents.rules._findings import Finding, Status

_OPEN = frozenset({Status.DUE, Status.OVERDUE})


class EventKind(str, Enum):
    """What happened to a finding."""

    OPENED = "opened"
    """A finding appears (any status but ``late``)."""
    OVERDUE = "overdue"
    """A ``due`` finding became ``overdue``: its deadline passed with nothing recorded."""
    MET = "met"
    """A ``due`` or ``overdue`` finding is gone: the evidence is recorded in time, or the
    record changed so that the obligation no longer applies."""
    MET_LATE = "met_late"
    """A finding became ``late``: the evidence is recorded, after the deadline."""
    WITHDRAWN = "withdrawn"
    """A finding that was not open is gone (the record changed, a waiver, or removal)."""
    UPDATED = "updated"
    """Any other change: a new deadline, message or evidence, or another status."""


@frozen(kw_only=True)
class Event:
    """
    One change to one finding, at one time.

    Attributes:
        kind: See `EventKind`.
        at: The monitor's time when the change was seen.
        finding_id: The finding's stable id.
        finding: The finding now, or ``None`` when it is gone.
        before: The finding before, or ``None`` when it is new.
    """

    kind: EventKind
    at: datetime
    finding_id: str
    finding: Finding | None
    before: Finding | None

    @property
    def rule(self) -> str:
        """The rule's code."""
        return (self.finding or self.before).rule  # type: ignore[union-attr]

    @property
    def incident_id(self) -> str:
        """The incident's id."""
        return (self.finding or self.before).incident_id  # type: ignore[union-attr]


def replay(
    events: Iterable[Event], state: MutableMapping[str, Finding] | None = None
) -> dict[str, Finding]:
    """Apply *events* in order to *state* (finding id to finding) and return it."""
    out = dict(state or {})
    for e in events:
        if e.finding is None:
            out.pop(e.finding_id, None)
        else:
            out[e.finding_id] = e.finding
    return out


def _gone(before: Finding) -> EventKind:
    """What it means that *before* is no longer found."""
    return EventKind.MET if before.status in _OPEN else EventKind.WITHDRAWN


def _kind(before: Finding | None, after: Finding) -> EventKind:
    """What it means that *after* is found now, and *before* was (``None``: nothing was)."""
    if after.status is Status.LATE and (before is None or before.status is not Status.LATE):
        return EventKind.MET_LATE
    if before is None:
        return EventKind.OPENED
    if before.status is Status.DUE and after.status is Status.OVERDUE:
        return EventKind.OVERDUE
    return EventKind.UPDATED


def _times(value: object) -> Iterator[datetime]:
    """Every time recorded in *value* (dates as the end of that day, Europe/London)."""
    if isinstance(value, datetime):
        yield value
    elif isinstance(value, date):
        yield end_of_day(value)
    elif isinstance(value, tuple):
        for v in value:
            yield from _times(v)
    elif attrs.has(type(value)):
        for a in attrs.fields(type(value)):  # type: ignore[arg-type]  # attrs.has checked it
            yield from _times(getattr(value, a.name))


@attrs.define
class _Live:
    """A live incident: the record, its last recorded time, its findings and waived ones."""

    incident: Incident
    horizon: datetime
    findings: dict[str, Finding]
    waived: list[WaivedFinding]
    faults: list[RuleFault]


@final
class Monitor:
    """
    Findings kept current as incidents change and time passes; changes come as `Event`.

    Args:
        ruleset: The compiled rule set.
        at: The monitor's starting time (aware).
        backend: ``"python"`` or ``"durable"`` (see ``docs/backends.md``).
        on_event: Called with each event as it happens; without it, events queue until read
            with `events` (so memory is bounded by what is not yet read).
        isolate: Run the backend in a child process of its own, so that a crash in native
            code does not end this process (the rule set must pickle: rules at module level).

    Raises:
        BackendUnavailableError: The backend cannot run on this Python.
        InvalidArgument: ``isolate=True`` with a rule set that cannot be pickled.

    A crash inside durable_rules' C extension cannot be caught in the process it happens
    in. With that backend in this process, the monitor turns on `faulthandler` (if it is
    off), so such a crash prints the Python stack before the process ends. With
    ``isolate=True`` only the child process ends: the incident being checked gets a fault
    (``BackendCrashedError``) for every rule, or strict mode raises `BackendCrashedError`,
    and the next check starts a new child. A rule or backend that raises is a fault, kept
    in `faults`, as in a report.
    """

    def __init__(
        self,
        ruleset: RuleSet,
        *,
        at: datetime,
        backend: str = "python",
        on_event: Callable[[Event], None] | None = None,
        isolate: bool = False,
    ) -> None:
        check_time(at)
        self._engine: Engine | IsolatedChecker = (
            IsolatedChecker(ruleset, backend) if isolate else make_engine(ruleset, backend)
        )
        if (
            not isinstance(self._engine, (PythonEngine, IsolatedChecker))
            and not faulthandler.is_enabled()
        ):
            faulthandler.enable(file=sys.__stderr__ or sys.stderr)
        self.ruleset = ruleset
        self.now = at
        self._on_event = on_event
        self._queue: deque[Event] = deque()
        self._live: dict[str, _Live] = {}
        self._lock = threading.RLock()

    def __len__(self) -> int:
        """The number of live (not yet settled) incidents."""
        return len(self._live)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The current findings of the live incidents."""
        return tuple(f for live in self._live.values() for f in live.findings.values())

    @property
    def faults(self) -> tuple[RuleFault, ...]:
        """Rules that raised at the latest evaluation of each live incident."""
        return tuple(f for live in self._live.values() for f in live.faults)

    def upsert(self, incident: Incident) -> list[Event]:
        """Add *incident* or replace the one with its id, as of the monitor's time."""
        with self._lock:
            live = self._live.get(incident.id)
            before = live.findings if live else {}
            horizon = max(_times(incident))
            self._live[incident.id] = _Live(incident, horizon, before, [], [])
            return self._refresh([incident.id])

    def advance(self, to: datetime) -> list[Event]:
        """Move the clock to *to* (never backwards) and report what changed."""
        check_time(to)
        with self._lock:
            if to < self.now:
                msg = f"the monitor's clock only moves forward (now {self.now.isoformat()})"
                raise InvalidArgument(msg)
            self.now = to
            return self._refresh(list(self._live))

    def remove(self, incident_id: str) -> list[Event]:
        """Forget an incident; each of its findings is withdrawn."""
        with self._lock:
            live = self._live.pop(incident_id, None)
            if live is None:
                return []
            return self._emit(
                Event(kind=EventKind.WITHDRAWN, at=self.now, finding_id=i, finding=None, before=f)
                for i, f in live.findings.items()
            )

    def events(self) -> Iterator[Event]:
        """Yield the queued events, oldest first, removing them (only without `on_event`)."""
        while self._queue:
            yield self._queue.popleft()

    def _refresh(self, ids: list[str]) -> list[Event]:
        events: list[Event] = []
        for incident_id in ids:
            live = self._live[incident_id]
            found, faults = self._engine.check(live.incident, self.now)
            kept, waived, _ = apply_waivers(found, self.ruleset.waivers, self.now)
            after = {f.id: f for f in kept}
            events += self._diff(live.findings, after)
            live.findings, live.waived, live.faults = after, waived, faults
            if self._settled(live):
                del self._live[incident_id]
        return self._emit(events)

    def _diff(self, before: dict[str, Finding], after: dict[str, Finding]) -> list[Event]:
        events = [
            Event(kind=_kind(old, new), at=self.now, finding_id=i, finding=new, before=old)
            for i, new in after.items()
            if (old := before.get(i)) != new
        ]
        events += [
            Event(kind=_gone(old), at=self.now, finding_id=i, finding=None, before=old)
            for i, old in before.items()
            if i not in after
        ]
        return events

    def _settled(self, live: _Live) -> bool:
        if live.horizon > self.now or live.faults:
            return False
        if any(f.status in _OPEN for f in live.findings.values()):
            return False
        return all(w.waiver.expires is None or w.waiver.expires <= self.now for w in live.waived)

    def _emit(self, events: Iterable[Event]) -> list[Event]:
        out = list(events)
        for e in out:
            if self._on_event is None:
                self._queue.append(e)
            else:
                self._on_event(e)
        return out

    def close(self) -> None:
        """Release the backend (durable_rules rulesets) and forget every incident."""
        with self._lock:
            self._engine.close()
            self._live.clear()

    def __enter__(self) -> Monitor:
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.close()
