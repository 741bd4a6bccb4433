"""
Thematic counts: incidents by trigger, category, place, time, person and service; trends.

Times are read in Europe/London local time. An incident counts once for each distinct value
it has (two sensory triggers count once; a sensory and a communication trigger count once
each), so the rates of a breakdown need not add up to one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from attrs import frozen

from trauma_incidents._calendar import LONDON
from trauma_incidents.model._incident import Incident
from trauma_incidents.model._vocabularies import Category, LocationType, Setting, TriggerKind

__all__ = [
    "DIMENSIONS",
    "NOT_RECORDED",
    "Breakdown",
    "MonthCount",
    "RestrictiveCount",
    "breakdown",
    "in_period",
    "monthly",
    "restrictive_trend",
]

#: The value counted when an optional field is not recorded.
NOT_RECORDED = "not_recorded"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _local(t: datetime) -> datetime:
    return t.astimezone(LONDON)


def _optional(value: Enum | None) -> set[str]:
    return {NOT_RECORDED if value is None else str(value.value)}


_VALUES: dict[str, Callable[[Incident], set[str]]] = {
    "trigger_kind": lambda i: {t.kind.value for t in i.triggers} or {NOT_RECORDED},
    "category": lambda i: {c.value for c in i.categories},
    "setting": lambda i: _optional(i.setting),
    "location_type": lambda i: _optional(i.location_type),
    "hour": lambda i: {f"{_local(i.occurred_at).hour:02d}"},
    "weekday": lambda i: {WEEKDAYS[_local(i.occurred_at).weekday()]},
    "person": lambda i: {i.person_id},
    "service": lambda i: {i.service_id},
}
#: The dimensions `breakdown` counts by.
DIMENSIONS = tuple(_VALUES)
_ORDER: dict[str, tuple[str, ...]] = {
    "trigger_kind": (*(k.value for k in TriggerKind), NOT_RECORDED),
    "category": tuple(c.value for c in Category),
    "setting": (*(s.value for s in Setting), NOT_RECORDED),
    "location_type": (*(t.value for t in LocationType), NOT_RECORDED),
    "hour": tuple(f"{h:02d}" for h in range(24)),
    "weekday": WEEKDAYS,
}
#: Dimensions listed in full, zeros included (a chart's axis).
_FULL = frozenset({"hour", "weekday"})


@frozen
class Breakdown:
    """
    Incidents counted by the values of one dimension.

    Attributes:
        dimension: One of `DIMENSIONS`.
        total: The incidents counted over (the denominator of each rate).
        counts: ``(value, incidents)`` in the vocabulary's order (hours and weekdays in full,
            with zeros), or sorted by id for persons and services; zero counts left out.
    """

    dimension: str
    total: int
    counts: tuple[tuple[str, int], ...]

    def count(self, value: str) -> int:
        """How many incidents have *value* (0 if none)."""
        return dict(self.counts).get(value, 0)

    def rate(self, value: str) -> float:
        """The share of incidents with *value*, from 0 to 1 (0 when there are no incidents)."""
        return self.count(value) / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, int]:
        """The counts as a dict, in order."""
        return dict(self.counts)

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per value: dimension, value, count and rate."""
        return [
            {"dimension": self.dimension, "value": v, "count": n, "rate": self.rate(v)}
            for v, n in self.counts
        ]


def breakdown(incidents: Iterable[Incident], dimension: str) -> Breakdown:
    """
    Count *incidents* by *dimension* (one of `DIMENSIONS`).

    Raises:
        ValueError: An unknown dimension.
    """
    if dimension not in _VALUES:
        msg = f"dimension={dimension!r} is not one of {', '.join(DIMENSIONS)}"
        raise ValueError(msg)
    values = _VALUES[dimension]
    counter: Counter[str] = Counter()
    total = 0
    for incident in incidents:
        total += 1
        counter.update(values(incident))
    order = _ORDER.get(dimension) or tuple(sorted(counter))
    keep = dimension in _FULL
    return Breakdown(dimension, total, tuple((v, counter[v]) for v in order if keep or counter[v]))


def in_period(
    incidents: Iterable[Incident],
    *,
    start: date | None = None,
    end: date | None = None,
    service_id: str | None = None,
) -> list[Incident]:
    """The incidents that occurred from *start* to *end* (inclusive local dates) at a service."""
    return [
        i
        for i in incidents
        if (service_id is None or i.service_id == service_id) and _within(i, start, end)
    ]


def _within(incident: Incident, start: date | None, end: date | None) -> bool:
    day = _local(incident.occurred_at).date()
    return (start is None or start <= day) and (end is None or day <= end)


def _month(t: datetime) -> str:
    return _local(t).strftime("%Y-%m")


def _months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)  # noqa: PLR2004
    return out


@frozen
class MonthCount:
    """Incidents and restrictive interventions in one calendar month (Europe/London)."""

    month: str
    incidents: int
    with_restrictive: int
    restrictive_interventions: int


def monthly(
    incidents: Sequence[Incident], *, start: date | None = None, end: date | None = None
) -> tuple[MonthCount, ...]:
    """Each month from *start* to *end* (else the incidents' own span), with zeros included."""
    if not incidents and (start is None or end is None):
        return ()
    months = [_month(i.occurred_at) for i in incidents]
    first = start.strftime("%Y-%m") if start else min(months)
    last = end.strftime("%Y-%m") if end else max(months)
    restrictive: dict[str, list[int]] = {m: [] for m in _months(first, last)}
    for incident, month in zip(incidents, months, strict=True):
        if month in restrictive:
            restrictive[month].append(len(incident.restrictive_interventions))
    return tuple(
        MonthCount(
            month=m,
            incidents=len(per_incident),
            with_restrictive=sum(1 for n in per_incident if n),
            restrictive_interventions=sum(per_incident),
        )
        for m, per_incident in restrictive.items()
    )


@frozen
class RestrictiveCount:
    """Restrictive interventions of one kind for one person in one month: the reduction trend."""

    person_id: str
    month: str
    kind: str
    count: int

    def row(self) -> dict[str, Any]:
        """As a flat row."""
        return {
            "person_id": self.person_id,
            "month": self.month,
            "kind": self.kind,
            "count": self.count,
        }


def restrictive_trend(incidents: Iterable[Incident]) -> tuple[RestrictiveCount, ...]:
    """Restrictive interventions by person, month of their start and kind, sorted."""
    counter: Counter[tuple[str, str, str]] = Counter()
    for incident in incidents:
        for _, iv in incident.restrictive_interventions:
            month = _month(iv.started_at or incident.occurred_at)
            counter[incident.person_id, month, iv.kind.value] += 1
    return tuple(RestrictiveCount(p, m, k, n) for (p, m, k), n in sorted(counter.items()))
