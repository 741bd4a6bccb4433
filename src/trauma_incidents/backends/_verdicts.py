"""
Verdicts from what the Rete network decided: the status comes from the firing rules.

Messages and evidence are rendered exactly as the Python shapes render them, so findings
are identical; only the decision is taken elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from trauma_incidents._calendar import Duration, when_text
from trauma_incidents.backends._compile import Definition
from trauma_incidents.backends._facts import Batch
from trauma_incidents.model._incident import Incident
from trauma_incidents.rules._findings import Evidence, Status
from trauma_incidents.rules._items import ConcernRule, RequiredDetailRule
from trauma_incidents.rules._shapes import DeadlineRule, Verdict, span_after, stamp

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
    reason = span_after(within, shape.anchor.describe())
    what, due = shape.obligation, ob.due
    evidence = [Evidence(ob.basis[1], stamp(ob.basis[0]))]
    if "late" in outcomes:
        n = min(
            (batch.candidates[m["ev"]["n"]][0], m["ev"]["n"])
            for d, m in hits
            if d.outcome == "late"
        )[1]
        met_at, path = batch.candidates[n]
        assert met_at is not None  # noqa: S101 (untimed evidence is never late)
        evidence.append(Evidence(path, stamp(met_at)))
        msg = (
            f"{what} was recorded at {when_text(met_at)},"
            f" after the deadline of {when_text(due)} ({reason})."
        )
        return (
            Verdict(
                key=None,
                status=Status.LATE,
                message=msg,
                due_at=due,
                satisfied_at=met_at,
                evidence=tuple(evidence),
            ),
        )
    if "overdue" in outcomes:
        status = Status.OVERDUE
        msg = f"{what} was due by {when_text(due)} ({reason}) and is not recorded."
    else:
        status, msg = Status.DUE, f"{what} is due by {when_text(due)} ({reason})."
    return (Verdict(key=None, status=status, message=msg, due_at=due, evidence=tuple(evidence)),)


def detail(shape: RequiredDetailRule, hits: Sequence[Hit]) -> list[Verdict]:
    """One ``missing`` verdict per item the firings found incomplete, in index order."""
    absent: dict[int, set[str]] = {}
    for d, m in hits:
        absent.setdefault(m["it"]["i"], set()).add(str(d.field))
    name = shape.pattern.collection
    verdicts = []
    for i in sorted(absent):
        fields = [f for f in shape.fields if f in absent[i]]
        verdicts.append(
            Verdict(
                key=str(i),
                status=Status.MISSING,
                message=f"{shape.what} lacks: {', '.join(fields)}.",
                evidence=tuple(Evidence(f"$.{name}[{i}].{f}", None) for f in fields),
            )
        )
    return verdicts


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
