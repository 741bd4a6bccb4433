"""
When an incident's findings can next change, and the schedule of those times.

The built-in rules (and the declarative shapes) compare the evaluation time only with times
recorded in the incident and with the deadlines they report as a finding's ``due_at``; a
waiver compares it with its ``expires``. A comparison ``t <= at`` or ``at > t`` turns at
``t``; ``t < at`` or ``at <= t`` turns one microsecond later (the resolution of
`datetime`). So an incident evaluated at ``now`` has the same findings at every time before
the earliest of those points after ``now``: its next change.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, get_args, get_type_hints

import attrs

from trauma_incidents._calendar import end_of_day
from trauma_incidents.engine._findings_report import WaivedFinding
from trauma_incidents.rules._findings import Finding

TICK = timedelta(microseconds=1)


def recorded_times(value: object) -> tuple[datetime, ...]:
    """Every time recorded in *value*, sorted, once each (a date as its day's last moment)."""
    return tuple(sorted(set(_times(value))))


def _times(value: object) -> Iterator[datetime]:
    if isinstance(value, datetime):
        yield value
    elif isinstance(value, date):
        yield end_of_day(value)  # the last microsecond, Europe/London: next day at TICK later
    elif isinstance(value, tuple):
        for v in value:
            yield from _times(v)
    elif attrs.has(cls := type(value)):
        for name in _time_fields(cls):
            yield from _times(getattr(value, name))


@cache
def _time_fields(cls: type[Any]) -> tuple[str, ...]:
    """The fields of the attrs class *cls* whose type can hold a time (all, if unknown)."""
    try:
        hints = get_type_hints(cls)
    except NameError:  # an annotation that cannot be resolved: visit every field
        return tuple(a.name for a in attrs.fields(cls))
    return tuple(a.name for a in attrs.fields(cls) if _may_hold_time(hints.get(a.name, Any)))


def _may_hold_time(tp: Any) -> bool:
    if tp is Any or tp in {datetime, date} or (isinstance(tp, type) and attrs.has(tp)):
        return True
    return any(_may_hold_time(arg) for arg in get_args(tp) if arg is not Ellipsis)


def next_change(
    times: tuple[datetime, ...],
    findings: Iterable[Finding],
    waived: Iterable[WaivedFinding],
    now: datetime,
) -> datetime | None:
    """
    The earliest time after *now* at which the findings evaluated at *now* can change.

    Args:
        times: The incident's `recorded_times`.
        findings: Its findings (kept by waivers) at *now*.
        waived: Its findings waivers set aside at *now*, with the waivers.
        now: The evaluation time.

    Returns:
        ``None`` when no time after *now* can change them: only a new record can.
    """
    start = bisect_left(times, now)
    points = [*times[start : start + 2]]  # at most one equals *now*, then the next is later
    points += [f.due_at for f in findings if f.due_at is not None]
    points += [w.finding.due_at for w in waived if w.finding.due_at is not None]
    points += [w.waiver.expires for w in waived if w.waiver.expires is not None]
    turns = [t if t > now else t + TICK for t in points if t >= now]
    return min(turns, default=None)


@attrs.define
class Schedule:
    """
    Incidents by the time of their next change: a heap, with stale entries left behind.

    `due` finds the incidents due by a time without moving anything, so a call that fails
    leaves the schedule as it was; `prune` drops the stale entries from the top afterwards.
    """

    _heap: list[tuple[datetime, str]] = attrs.field(factory=list)
    _when: dict[str, datetime] = attrs.field(factory=dict)

    def get(self, incident_id: str) -> datetime | None:
        """The incident's next change, if scheduled."""
        return self._when.get(incident_id)

    def set(self, incident_id: str, when: datetime | None) -> None:
        """Schedule the incident at *when*, or not at all (``None``)."""
        if when is None:
            self._when.pop(incident_id, None)
        elif self._when.get(incident_id) != when:
            self._when[incident_id] = when
            heapq.heappush(self._heap, (when, incident_id))

    def first(self) -> datetime | None:
        """The earliest scheduled time."""
        self.prune()
        return self._heap[0][0] if self._heap else None

    def due(self, to: datetime) -> list[str]:
        """The incidents scheduled at or before *to*, earliest first, each once."""
        found: list[tuple[datetime, str]] = []
        stack = [0]
        heap, when = self._heap, self._when
        while stack:
            i = stack.pop()
            if i < len(heap) and heap[i][0] <= to:
                if when.get(heap[i][1]) == heap[i][0]:
                    found.append(heap[i])
                stack += (2 * i + 1, 2 * i + 2)
        return list(dict.fromkeys(incident_id for _, incident_id in sorted(found)))

    def prune(self) -> None:
        """Drop stale entries from the top; rebuild when they outnumber the live ones."""
        heap, when = self._heap, self._when
        while heap and when.get(heap[0][1]) != heap[0][0]:
            heapq.heappop(heap)
        if len(heap) > 2 * len(when) + 64:
            self._heap = [(t, i) for i, t in when.items()]
            heapq.heapify(self._heap)
