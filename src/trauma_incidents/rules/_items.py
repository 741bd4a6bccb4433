"""
Item shapes: rules over each matching item of one of an incident's lists.

`ItemPattern` selects items by their closed-vocabulary and boolean fields, as data;
`RequiredDetailRule` flags matching items that lack fields; `ConcernRule` flags each matching
item (or the incident) as a practice that needs attention. Keys are the items' indexes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from enum import Enum
from operator import attrgetter
from typing import Any

import attrs
from attrs import frozen

from trauma_incidents.model._incident import Incident
from trauma_incidents.model._parts import (
    Action,
    Debrief,
    Injury,
    Intervention,
    Notification,
    Review,
)
from trauma_incidents.model._vocabularies import (
    Audience,
    DebriefStatus,
    InjuredParty,
    InjurySeverity,
    InterventionKind,
    Position,
    Recipient,
    ReviewKind,
)
from trauma_incidents.rules._findings import Evidence, EvidenceValue, Status
from trauma_incidents.rules._metadata import RuleMeta
from trauma_incidents.rules._selectors import When, condition, gate_of
from trauma_incidents.rules._shapes import Check, Verdict


@frozen
class Collection:
    """One list of an incident that item rules can range over."""

    name: str
    cls: type
    time_field: str | None
    filters: Mapping[str, type]


#: The lists item rules range over: their item class, time field and filterable fields.
COLLECTIONS: dict[str, Collection] = {
    c.name: c
    for c in (
        Collection(
            "interventions",
            Intervention,
            "started_at",
            {
                "kind": InterventionKind,
                "restrictive": bool,
                "position": Position,
                "in_support_plan": bool,
            },
        ),
        Collection("debriefs", Debrief, "at", {"audience": Audience, "status": DebriefStatus}),
        Collection("reviews", Review, "completed_at", {"kind": ReviewKind}),
        Collection(
            "injuries",
            Injury,
            None,
            {
                "who": InjuredParty,
                "severity": InjurySeverity,
                "specified_injury": bool,
                "medical_treatment": bool,
            },
        ),
        Collection(
            "notifications",
            Notification,
            "sent_at",
            {"recipient": Recipient, "duty_of_candour": bool},
        ),
        Collection("actions", Action, None, {}),
    )
}


def item_fields(collection: str) -> tuple[str, ...]:
    """The fields of *collection*'s items that a required-detail rule may name."""
    return tuple(a.name for a in attrs.fields(COLLECTIONS[collection].cls))


def _reader(name: str) -> Callable[[Any], object]:
    """How a field is read: ``restrictive`` is `Intervention.is_restrictive` (kind-aware)."""
    return attrgetter("is_restrictive" if name == "restrictive" else name)


def _value(item: object, name: str) -> object:
    return _reader(name)(item)


@frozen(kw_only=True)
class ItemPattern:
    """
    Items of one collection whose fields take one of the given values.

    Attributes:
        collection: The list's name, such as ``interventions`` (see `COLLECTIONS`).
        where: Field name to the allowed values; every listed field must match.
    """

    collection: str
    where: Mapping[str, frozenset[Enum | bool]] = attrs.field(factory=dict)
    _tests: tuple[tuple[Callable[[Any], object], frozenset[Enum | bool]], ...] = attrs.field(
        init=False, eq=False, repr=False
    )

    @_tests.default
    def _make_tests(self) -> tuple[tuple[Callable[[Any], object], frozenset[Enum | bool]], ...]:
        """Each condition as (read the field, allowed values), made once."""
        return tuple((_reader(k), allowed) for k, allowed in self.where.items())

    def items(self, incident: Incident, at: datetime) -> list[tuple[int, Any]]:
        """Each matching item recorded by *at*, with its index."""
        time_field = COLLECTIONS[self.collection].time_field
        tests = self._tests
        found = []
        for i, item in enumerate(getattr(incident, self.collection)):
            t = getattr(item, time_field) if time_field else None
            if t is not None and t > at:
                continue
            for value_of, allowed in tests:
                if value_of(item) not in allowed:
                    break
            else:
                found.append((i, item))
        return found

    def gate(self) -> frozenset[str]:
        """
        Tags (`Incident.tags`) of which an incident needs one to have a matching item.

        The collection's name; ``restrictive`` for interventions that must be restrictive.
        """
        restrictive = self.where.get("restrictive")
        if self.collection == "interventions" and restrictive == frozenset({True}):
            return frozenset({"restrictive"})
        return frozenset({self.collection})

    def evidence(self, index: int, item: object) -> tuple[Evidence, ...]:
        """The matched fields of one item, as evidence."""
        return tuple(
            Evidence(f"$.{self.collection}[{index}].{k}", _scalar(_value(item, k)))
            for k in self.where
        )


def _scalar(value: object) -> str | bool | None:
    if isinstance(value, Enum):
        return str(value.value)
    return value if isinstance(value, bool) else None


def _absent(value: object) -> bool:
    return value is None or value in ((), "")


@frozen(kw_only=True)
class RequiredDetailRule:
    """
    The required-detail shape: each matching item must have every listed field.

    Attributes:
        meta: The rule's metadata.
        when: The rule applies when any of these holds (always, if empty).
        pattern: The items that must be complete.
        fields: The fields each must have (not null, not empty).
        what: The item in words, for messages: ``"The restraint record"``.
    """

    meta: RuleMeta
    when: tuple[When, ...]
    pattern: ItemPattern
    fields: tuple[str, ...]
    what: str

    @property
    def gate(self) -> frozenset[str]:
        """Tags an incident needs one of (see `ItemPattern.gate`)."""
        return self.pattern.gate()

    def compile(self, options: Mapping[str, Any]) -> Check:  # noqa: ARG002 (no options)
        """Return the check."""
        applies, pattern, fields, what = condition(self.when), self.pattern, self.fields, self.what
        name = pattern.collection

        def check(incident: Incident, at: datetime) -> Iterable[Verdict]:
            if applies is not None and not applies(incident, at):
                return ()
            verdicts = []
            for i, item in pattern.items(incident, at):
                absent = [f for f in fields if _absent(getattr(item, f))]
                if absent:
                    verdicts.append(lacking(what, name, i, absent))
            return verdicts

        return check


def lacking(what: str, collection: str, index: int, fields: Sequence[str]) -> Verdict:
    """
    The ``missing`` verdict on item *index* of *collection*, *what* in words, lacking *fields*.

    Both engines build it here, so the Python shapes and the Rete backend say the same.
    """
    return missing_verdict(collection, index, fields, f"{what} lacks: {', '.join(fields)}.")


def missing_verdict(
    collection: str,
    index: int,
    fields: Sequence[str],
    message: str,
    value: EvidenceValue = None,
) -> Verdict:
    """The ``missing`` verdict on item *index* of *collection*: evidence *value* per field."""
    return Verdict(
        key=str(index),
        status=Status.MISSING,
        message=message,
        evidence=tuple(Evidence(f"$.{collection}[{index}].{f}", value) for f in fields),
    )


@frozen(kw_only=True)
class ConcernRule:
    """
    The concern shape: a pattern that needs attention, for each matching item or the incident.

    Attributes:
        meta: The rule's metadata.
        when: The rule applies when any of these holds (always, if empty).
        pattern: Flag each matching item (key = its index); ``None`` flags the incident once.
        message: The finding's message.
    """

    meta: RuleMeta
    when: tuple[When, ...]
    pattern: ItemPattern | None
    message: str

    @property
    def gate(self) -> frozenset[str]:
        """Tags an incident needs one of: the pattern's gate, or the condition's."""
        return self.pattern.gate() if self.pattern else gate_of(self.when)

    def compile(self, options: Mapping[str, Any]) -> Check:  # noqa: ARG002 (no options)
        """Return the check."""
        applies, pattern, message = condition(self.when), self.pattern, self.message

        def check(incident: Incident, at: datetime) -> Iterable[Verdict]:
            if applies is not None and not applies(incident, at):
                return ()
            if pattern is None:
                return (Verdict(key=None, status=Status.CONCERN, message=message),)
            return [
                Verdict(
                    key=str(i),
                    status=Status.CONCERN,
                    message=message,
                    evidence=pattern.evidence(i, item),
                )
                for i, item in pattern.items(incident, at)
            ]

        return check
