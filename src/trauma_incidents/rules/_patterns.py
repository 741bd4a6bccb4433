"""
Item patterns: items of one of an incident's lists, selected by their fields, as data.

The item rules (`trauma_incidents.rules._items`), the ``items`` condition of `When` and the
``item`` evidence of deadline rules all read these. A pattern may filter on any field of the
items that takes a closed vocabulary or true/false, by "one of" (``where``) and by
"not one of" (``where_not``, which an unrecorded value passes).
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import Enum
from operator import attrgetter
from types import NoneType, UnionType
from typing import Any, ClassVar

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
from trauma_incidents.model._vocabularies import Vocabulary
from trauma_incidents.rules._findings import Evidence


def _filters(cls: type) -> dict[str, type]:
    """The fields of *cls* that take a vocabulary or true/false (optional or not)."""
    hints = typing.get_type_hints(cls)
    out: dict[str, type] = {}
    for a in attrs.fields(cls):
        hint = hints[a.name]
        args = typing.get_args(hint) if isinstance(hint, UnionType) else (hint,)
        kinds = [t for t in args if t is not NoneType]
        if len(kinds) != 1 or not isinstance(kinds[0], type):
            continue
        kind = kinds[0]
        if kind is bool or issubclass(kind, Vocabulary):
            out[a.name] = kind
    return out


@frozen
class Collection:
    """One list of an incident that item rules can range over."""

    name: str
    cls: type
    time_field: str | None
    filters: Mapping[str, type] = attrs.field(init=False)

    @filters.default
    def _all_filters(self) -> Mapping[str, type]:
        return _filters(self.cls)


#: The lists item rules range over: their item class, time field and filterable fields.
COLLECTIONS: dict[str, Collection] = {
    c.name: c
    for c in (
        Collection("interventions", Intervention, "started_at"),
        Collection("debriefs", Debrief, "at"),
        Collection("reviews", Review, "completed_at"),
        Collection("injuries", Injury, None),
        Collection("notifications", Notification, "sent_at"),
        Collection("actions", Action, None),
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


_Tests = tuple[tuple[Callable[[Any], object], frozenset[Enum | bool], bool], ...]


@frozen(kw_only=True)
class ItemPattern:
    """
    Items of one collection whose fields take one of the given values.

    Attributes:
        collection: The list's name, such as ``interventions`` (see `COLLECTIONS`).
        where: Field name to the allowed values; every listed field must match.
        where_not: Field name to values the item must not have (an unrecorded value passes).
    """

    collection: str
    where: Mapping[str, frozenset[Enum | bool]] = attrs.field(factory=dict)
    where_not: Mapping[str, frozenset[Enum | bool]] = attrs.field(factory=dict)
    _tests: _Tests = attrs.field(init=False, eq=False, repr=False)
    _items_of: Callable[[Incident], tuple[Any, ...]] = attrs.field(init=False, eq=False, repr=False)
    _time_of: Callable[[Any], datetime | None] | None = attrs.field(
        init=False, eq=False, repr=False
    )

    @_items_of.default
    def _make_items_of(self) -> Callable[[Incident], tuple[Any, ...]]:
        """How the collection is read from an incident, made once."""
        return attrgetter(self.collection)

    @_time_of.default
    def _make_time_of(self) -> Callable[[Any], datetime | None] | None:
        """How an item's time is read, made once; ``None`` for a collection without one."""
        known = COLLECTIONS.get(self.collection)  # an unknown one fails when it is read
        return None if known is None or known.time_field is None else attrgetter(known.time_field)

    @_tests.default
    def _make_tests(self) -> _Tests:
        """Each condition as (read the field, values, whether they are excluded), made once."""
        return (
            *((_reader(k), allowed, False) for k, allowed in self.where.items()),
            *((_reader(k), banned, True) for k, banned in self.where_not.items()),
        )

    def matches(self, item: object) -> bool:
        """Whether *item* (of this pattern's collection) fits every condition."""
        for value_of, values, banned in self._tests:  # a loop: a generator costs more
            if (value_of(item) in values) is banned:
                return False
        return True

    def items(self, incident: Incident, at: datetime) -> list[tuple[int, Any]]:
        """Each matching item recorded by *at*, with its index."""
        time_of, matches = self._time_of, self.matches
        # The fields first: most items do not match, and comparing times is the dearer test.
        return [
            (i, item)
            for i, item in enumerate(self._items_of(incident))
            if matches(item) and (time_of is None or (t := time_of(item)) is None or t <= at)
        ]

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
            for k in (*self.where, *self.where_not)
        )


@frozen(kw_only=True)
class ItemMatch:
    """
    Deadline evidence: items matching a pattern, by their time (untimed items count always).

    Attributes:
        pattern: The items that count, such as notifications to the commissioner with duty
            of candour, or debriefs whose status is not ``cancelled``.
    """

    path: ClassVar[str] = "$.{}"
    pattern: ItemPattern

    def indexed(self, incident: Incident) -> list[tuple[datetime | None, int]]:
        """Each matching item's time and index."""
        time_field = COLLECTIONS[self.pattern.collection].time_field
        return [
            (getattr(item, time_field) if time_field else None, i)
            for i, item in enumerate(getattr(incident, self.pattern.collection))
            if self.pattern.matches(item)
        ]

    def where(self, index: int) -> str:
        """The path of item *index*'s time (or of the item, when it has none)."""
        time_field = COLLECTIONS[self.pattern.collection].time_field
        tail = f".{time_field}" if time_field else ""
        return f"$.{self.pattern.collection}[{index}]{tail}"


def _scalar(value: object) -> str | bool | None:
    if isinstance(value, Enum):
        return str(value.value)
    return value if isinstance(value, bool) else None
