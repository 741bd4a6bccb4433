"""
Turn one incident into flat durable_rules facts, as of a time.

Facts carry only closed-vocabulary values, booleans as 0/1, indexes and times as whole
microseconds: never free text from the record. They are posted in a fixed order: evidence
and items first, then the incident, the obligations and, last, the clock. Negated patterns
only see facts that arrived before the match completed, so the clock closes each batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from attrs import frozen

from trauma_incidents._calendar import Duration
from trauma_incidents.backends._patterns import micros, scalar
from trauma_incidents.model._incident import AnchorPoint, Incident
from trauma_incidents.rules._items import _absent
from trauma_incidents.rules._patterns import COLLECTIONS, _value
from trauma_incidents.rules._selectors import Candidate
from trauma_incidents.rules._shapes import DeadlineRule

Fact = dict[str, Any]
#: One evidence record: its fields, its time and its path.
_Raw = tuple[dict[str, Any], datetime | None, str]


@frozen
class Obligation:
    """A deadline computed in Python: the due time and the anchor it counts from."""

    due: datetime
    basis: AnchorPoint


@frozen
class Batch:
    """
    The facts about one incident, and what their numbers refer to.

    Attributes:
        facts: In posting order.
        candidates: Evidence by its ``n``: time and path.
        obligations: By rule code, for the deadline rules whose anchor exists.
    """

    facts: list[Fact]
    candidates: list[Candidate]
    obligations: dict[str, Obligation]


def _debriefs(inc: Incident) -> Iterator[_Raw]:
    for i, d in enumerate(inc.debriefs):
        topics = {f"tp_{t.value}": 1 for t in d.topics}
        yield {"aud": d.audience.value, "st": d.status.value, **topics}, d.at, f"$.debriefs[{i}].at"


def _reviews(inc: Incident) -> Iterator[_Raw]:
    for i, r in enumerate(inc.reviews):
        yield {"kind": r.kind.value}, r.completed_at, f"$.reviews[{i}].completed_at"


def _notifications(inc: Incident) -> Iterator[_Raw]:
    for i, n in enumerate(inc.notifications):
        fields = {"rcp": n.recipient.value, "doc": int(n.duty_of_candour)}
        yield fields, n.sent_at, f"$.notifications[{i}].sent_at"


def _stages(inc: Incident) -> Iterator[_Raw]:
    stages = inc.safeguarding.stages if inc.safeguarding else ()
    for i, s in enumerate(stages):
        yield {"stage": s.stage.value}, s.entered_at, f"$.safeguarding.stages[{i}].entered_at"


def _outcomes(inc: Incident) -> Iterator[_Raw]:
    sg = inc.safeguarding
    if sg is not None and sg.desired_outcomes_recorded_at is not None:
        path = "$.safeguarding.desired_outcomes_recorded_at"
        yield {}, sg.desired_outcomes_recorded_at, path


def _triggers(inc: Incident) -> Iterator[_Raw]:
    for i, t in enumerate(inc.triggers):
        yield {"kind": t.kind.value}, None, f"$.triggers[{i}].kind"


_EVIDENCE: dict[str, Callable[[Incident], Iterable[_Raw]]] = {
    "debrief": _debriefs,
    "review": _reviews,
    "notification": _notifications,
    "stage": _stages,
    "outcomes": _outcomes,
    "trigger": _triggers,
}


def _items(
    inc: Incident, col: str, missing: Sequence[str], unknown: Sequence[str]
) -> Iterator[Fact]:
    spec = COLLECTIONS[col]
    for i, item in enumerate(getattr(inc, col)):
        t = getattr(item, spec.time_field) if spec.time_field else None
        fact: Fact = {"t": "item", "col": col, "i": i, "time": micros(t)}
        for name in spec.filters:
            value = _value(item, name)
            if value is not None:
                fact[name] = scalar(value)
        fact.update({f"miss_{f}": 1 for f in missing if _absent(getattr(item, f))})
        fact.update(
            {f"unk_{f}": 1 for f in unknown if _absent(getattr(item, f), unknown_is_absent=True)}
        )
        yield fact


def _incident(inc: Incident) -> Fact:
    fact: Fact = {"t": "inc", "sev": inc.severity.value}
    fact.update({f"c_{c.value}": 1 for c in inc.categories})
    return fact


def build(
    inc: Incident,
    at: datetime,
    needs: frozenset[str],
    deadlines: Sequence[tuple[str, DeadlineRule, Duration]],
) -> Batch:
    """The facts *needs* calls for about *inc* as of *at*, for the *deadlines* given."""
    facts: list[Fact] = []
    candidates: list[Candidate] = []
    for kind, source in _EVIDENCE.items():
        if f"ev:{kind}" in needs:
            for fields, t, path in source(inc):
                facts.append(
                    {"t": "ev", "k": kind, **fields, "n": len(candidates), "time": micros(t)}
                )
                candidates.append(Candidate(t, path))
    for col in COLLECTIONS:
        if f"item:{col}" in needs:
            missing = sorted(n.split(":")[2] for n in needs if n.startswith(f"miss:{col}:"))
            unknown = sorted(n.split(":")[2] for n in needs if n.startswith(f"unk:{col}:"))
            facts.extend(_items(inc, col, missing, unknown))
    if "inc" in needs:
        facts.append(_incident(inc))
    obligations: dict[str, Obligation] = {}
    for code, shape, within in deadlines:
        start = shape.anchor.resolve(inc, at)
        if start is not None:
            obligations[code] = Obligation(within.after(start.at), start)
            facts.append({"t": "ob", "rule": code, "due": micros(obligations[code].due)})
    facts.append({"t": "clock", "now": micros(at)})
    return Batch(facts, candidates, obligations)
