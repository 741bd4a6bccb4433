"""
Item shapes: rules over each matching item of one of an incident's lists.

`ItemPattern` selects items by their closed-vocabulary and boolean fields, as data;
`RequiredDetailRule` flags matching items that lack fields; `ConcernRule` flags each matching
item (or the incident) as a practice that needs attention. Keys are the items' indexes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from enum import Enum
from typing import Any

from attrs import frozen

from trauma_incidents.model._incident import Incident
from trauma_incidents.rules._findings import Evidence, EvidenceValue, Status
from trauma_incidents.rules._metadata import RuleMeta
from trauma_incidents.rules._patterns import (
    COLLECTIONS,
    Collection,
    ItemPattern,
    item_fields,
)
from trauma_incidents.rules._selectors import When, condition, gate_of
from trauma_incidents.rules._shapes import Check, Verdict

__all__ = [
    "COLLECTIONS",
    "UNKNOWN_VALUES",
    "Collection",
    "ConcernRule",
    "ItemPattern",
    "RequiredDetailRule",
    "item_fields",
    "lacking",
    "missing_verdict",
]

#: Vocabulary values that record that something is not known; a required-detail rule with
#: ``unknown_is_absent`` treats them as absent.
UNKNOWN_VALUES = frozenset({"not_recorded", "unknown"})


def _absent(value: object, *, unknown_is_absent: bool = False) -> bool:
    if unknown_is_absent and isinstance(value, Enum) and value.value in UNKNOWN_VALUES:
        return True
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
        unknown_is_absent: Whether a value in `UNKNOWN_VALUES` (``not_recorded``,
            ``unknown``) counts as absent.
    """

    meta: RuleMeta
    when: tuple[When, ...]
    pattern: ItemPattern
    fields: tuple[str, ...]
    what: str
    unknown_is_absent: bool = False

    @property
    def gate(self) -> frozenset[str]:
        """Tags an incident needs one of (see `ItemPattern.gate`)."""
        return self.pattern.gate()

    def compile(self, options: Mapping[str, Any]) -> Check:  # noqa: ARG002 (no options)
        """Return the check."""
        applies, pattern, fields, what = condition(self.when), self.pattern, self.fields, self.what
        name, unknown = pattern.collection, self.unknown_is_absent

        def check(incident: Incident, at: datetime) -> Iterable[Verdict]:
            if applies is not None and not applies(incident, at):
                return ()
            verdicts = []
            for i, item in pattern.items(incident, at):
                absent = [f for f in fields if _absent(getattr(item, f), unknown_is_absent=unknown)]
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
