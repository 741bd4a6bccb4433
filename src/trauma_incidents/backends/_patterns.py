"""
Build durable_rules pattern expressions (plain JSON data) from the shapes' selectors.

Nothing here imports durable_rules, so the compiler can be inspected and tested anywhere.
A *combo* is a conjunction of equality tests on one fact; a selector that allows several
values becomes several combos, because an OR of values inside a negated pattern loses
matches in durable_rules 2.0.28 (one negated pattern per combo is exact).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from trauma_incidents._calendar import UTC
from trauma_incidents.model._vocabularies import DebriefStatus
from trauma_incidents.rules._items import ItemPattern
from trauma_incidents.rules._selectors import (
    DebriefMatch,
    DesiredOutcomesMatch,
    EvidenceMatch,
    NotificationMatch,
    ReviewMatch,
    StageMatch,
    TriggerMatch,
    When,
)

#: A durable_rules expression (JSON data).
Expr = dict[str, Any]
#: Field tests that must all hold on one fact.
Combo = dict[str, Any]

#: The time of evidence or items with none: before any deadline and any clock.
UNTIMED = -(2**52)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class UnsupportedError(Exception):
    """A rule part the durable_rules compiler cannot express; the rule runs in Python."""


def micros(t: datetime | None) -> int:
    """*t* as whole microseconds since 1970 UTC (exact, unlike a float); untimed is `UNTIMED`."""
    return UNTIMED if t is None else (t - _EPOCH) // _MICROSECOND


def scalar(value: object) -> object:
    """A field value as durable_rules compares it: enums by value, booleans as 0 or 1."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    return value


def both(*exprs: Expr) -> Expr:
    """The conjunction of *exprs*."""
    return exprs[0] if len(exprs) == 1 else {"$and": list(exprs)}


def compare(op: str, name: str, alias: str, other: str) -> Expr:
    """Compare field *name* with field *other* of the fact bound to *alias* earlier."""
    return {op: {name: {alias: other}}}


def fact(kind: str, combo: Combo, *more: Expr) -> Expr:
    """A pattern on a fact of type *kind* with the tests of *combo* and *more*."""
    tests: list[Expr] = [{"t": kind}, *({k: v} for k, v in combo.items()), *more]
    return both(*tests)


def combos(**choices: Iterable[object]) -> list[Combo]:
    """Every combination of one value per field (fields with no choices are left free)."""
    fields = [(k, sorted(scalar(v) for v in vs)) for k, vs in choices.items() if vs]  # type: ignore[type-var]
    return [
        dict(zip([k for k, _ in fields], values, strict=True))
        for values in itertools.product(*(v for _, v in fields))
    ]


def evidence_combos(match: EvidenceMatch | object) -> tuple[list[Combo], list[Expr]]:
    """The combos of evidence facts *match* accepts, and tests shared by all of them."""
    if isinstance(match, DebriefMatch):
        statuses = () if match.statuses == frozenset(DebriefStatus) else match.statuses
        found = combos(k=["debrief"], aud=match.audiences, st=statuses)
        return found, [{f"tp_{t.value}": 1} for t in sorted(match.topics)]
    if isinstance(match, ReviewMatch):
        return combos(k=["review"], kind=match.kinds), []
    if isinstance(match, NotificationMatch):
        doc = () if match.duty_of_candour is None else (match.duty_of_candour,)
        return combos(k=["notification"], rcp=match.recipients, doc=doc), []
    if isinstance(match, StageMatch):
        return combos(k=["stage"], stage=match.stages), []
    if isinstance(match, DesiredOutcomesMatch):
        return [{"k": "outcomes"}], []
    if isinstance(match, TriggerMatch):
        return [{"k": "trigger"}], [{"$neq": {"kind": scalar(x)}} for x in sorted(match.exclude)]
    msg = f"evidence selector {type(match).__name__}"
    raise UnsupportedError(msg)


def item_combos(pattern: ItemPattern) -> list[Combo]:
    """One combo per combination of the values *pattern* allows (see the module doc)."""
    if pattern.where_not:
        msg = "an item pattern with where_not"
        raise UnsupportedError(msg)
    return [{"col": pattern.collection, **c} for c in combos(**pattern.where)]


def when_alternatives(when: When | None) -> list[list[Expr]]:
    """
    The pattern lists of which any one holding means *when* holds: one per combo of values.

    durable_rules 2.0.28 also misjudges a positive ``$or`` beside a correlated test, so an
    any-of becomes separate rules, whose firings the backend merges.
    """
    if when is None:
        return [[]]
    if when.items is not None:
        msg = "a condition on items"
        raise UnsupportedError(msg)
    incs: list[Combo] = [{f"c_{c.value}": 1} for c in sorted(when.categories)] or [{}]
    incs = [{**i, **s} for i in incs for s in combos(sev=when.severities)]
    base: list[Expr] = []
    if when.restrictive is not None:
        ri = fact("item", {"col": "interventions", "restrictive": 1}, _recorded())
        base.append({"ri" if when.restrictive else "ri$not": ri})
    injuries: list[Expr | None] = [None]
    if when.injury is not None:
        choices = {"who": when.injury.who, "severity": when.injury.severities}
        injuries = [{"inj": fact("item", {"col": "injuries", **c})} for c in combos(**choices)]
    out = []
    for inc in incs:
        head = [{"inc": fact("inc", inc)}] if inc else []
        out += [[*head, *base, *([inj] if inj else [])] for inj in injuries]
    return out


def _recorded() -> Expr:
    """Recorded by the clock's time (untimed facts always are)."""
    return compare("$lte", "time", "clk", "now")


def clock() -> dict[str, Expr]:
    """The clock pattern, first in every rule."""
    return {"clk": {"t": "clock"}}


def kinds_of(patterns: Iterable[Mapping[str, Expr]]) -> set[str]:
    """The fact types ``t`` the patterns test, for the catch-all rules."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("t"), str):
                found.add(value["t"])
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for p in patterns:
        walk(p)
    return found
