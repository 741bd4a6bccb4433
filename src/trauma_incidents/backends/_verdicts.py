"""
Verdicts from what the Rete network decided: the status comes from the firing rules.

Messages and evidence are rendered by the functions the Python shapes use (`late_verdict`,
`open_verdict`, `lacking`), so findings are identical; only the decision is taken elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from trauma_incidents._calendar import Duration
from trauma_incidents.backends._compile import Definition
from trauma_incidents.backends._facts import Batch
from trauma_incidents.model._incident import Incident
from trauma_incidents.rules._findings import Status
from trauma_incidents.rules._items import ConcernRule, RequiredDetailRule, lacking
from trauma_incidents.rules._shapes import (
    DeadlineRule,
    Verdict,
    late_verdict,
    open_verdict,
)

#: A firing: the durable rule and the facts it matched, by alias.
Hit = tuple[Definition, Mapping[str, Any]]


def deadline(
    shape: DeadlineRule, within: Duration, hits: Sequence[Hit], batch: Batch, code: str
) -> tuple[Verdict, ...]:
    """The deadline verdict the firings decided: late, overdue, due, or none (met)."""
    outcomes = {d.outcome for d, _ in hits}
    if not outcomes:
        return ()
    ob = batch.obligations[code]
    reason = shape.reason(within)
    what, due, basis = shape.obligation, ob.due, ob.basis
    if "late" in outcomes:
        met = _earliest_late(hits, batch)
        return (
            late_verdict(key=None, obligation=what, due=due, basis=basis, reason=reason, met=met),
        )
    overdue = "overdue" in outcomes
    return (
        open_verdict(
            key=None, obligation=what, due=due, basis=basis, reason=reason, overdue=overdue
        ),
    )


def _earliest_late(hits: Sequence[Hit], batch: Batch) -> tuple[datetime, str]:
    """The evidence the late firings matched that comes first, by time then number (all timed)."""
    late = {m["ev"]["n"] for d, m in hits if d.outcome == "late"}
    met_at, _, path = min(
        (t, n, path) for n in late for t, path in (batch.candidates[n],) if t is not None
    )
    return met_at, path


def detail(shape: RequiredDetailRule, hits: Sequence[Hit]) -> list[Verdict]:
    """One ``missing`` verdict per item the firings found incomplete, in index order."""
    absent: dict[int, set[str]] = {}
    for d, m in hits:
        absent.setdefault(m["it"]["i"], set()).add(str(d.field))
    name = shape.pattern.collection
    return [
        lacking(shape.what, name, i, [f for f in shape.fields if f in absent[i]])
        for i in sorted(absent)
    ]


def concern(shape: ConcernRule, hits: Sequence[Hit], incident: Incident) -> list[Verdict]:
    """One ``concern`` verdict for the incident, or per matching item in index order."""
    if not hits:
        return []
    pattern = shape.pattern
    if pattern is None:
        return [Verdict(key=None, status=Status.CONCERN, message=shape.message)]
    items = getattr(incident, pattern.collection)
    return [
        Verdict(
            key=str(i),
            status=Status.CONCERN,
            message=shape.message,
            evidence=pattern.evidence(i, items[i]),
        )
        for i in sorted({m["it"]["i"] for _, m in hits})
    ]
