"""
Compile the declarative shapes into durable_rules rule definitions (data, no durable import).

Each supported rule becomes a few durable_rules rules, one per outcome and per ``when``
alternative; every rule starts with the clock fact, so time is data. A deadline rule gives:

- ``due``/``overdue``: the obligation, the condition, and *no* matching evidence recorded by
  the clock (one correlated negated pattern per combo of values), with the deadline on or
  after the clock (due) or before it (overdue);
- ``late``: matching evidence recorded after the deadline and by the clock, and no matching
  evidence on time (correlated negation again).

The decisions (applies, evidence matched, status) are made by the Rete network; Python
computes only the derived values it posts as facts (anchors, deadlines on the working-day
calendar, whether a field is absent) and renders messages from what the network decided.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from attrs import frozen

from trauma_incidents.backends._patterns import (
    Expr,
    UnsupportedError,
    clock,
    compare,
    evidence_combos,
    fact,
    item_combos,
    when_alternatives,
)
from trauma_incidents.engine._ruleset import CompiledRule
from trauma_incidents.rules._items import ConcernRule, ItemPattern, RequiredDetailRule
from trauma_incidents.rules._selectors import Anchor, When
from trauma_incidents.rules._shapes import DeadlineRule

#: What a fired durable rule concluded.
Outcome = Literal["due", "overdue", "late", "detail", "concern"]

#: durable_rules keeps at most 16 matched facts in a frame; stay clear of the limit.
_MAX_PATTERNS = 12


@frozen
class Definition:
    """
    One durable_rules rule: its patterns and what it concludes when it fires.

    Attributes:
        name: Unique within the engine: ``<code>.<outcome>.<alternative>[.<n>]``.
        code: The library rule's code.
        patterns: The ``all`` list of durable_rules expressions.
        outcome: What a firing means.
        field: For ``detail``, the absent field.
    """

    name: str
    code: str
    patterns: tuple[Expr, ...]
    outcome: Outcome
    field: str | None = None


@frozen
class DurableRule:
    """
    A library rule compiled for durable_rules.

    Attributes:
        code: The rule's code.
        definitions: Its durable_rules rules.
        needs: The facts it reads: ``inc``, ``ob``, ``ev:<kind>``, ``item:<collection>``,
            ``miss:<collection>:<field>`` (the field is absent) and
            ``unk:<collection>:<field>`` (absent or an unknown value, for a rule with
            ``unknown_is_absent``).
        shape: The rule's shape, which turns firings into verdicts.
    """

    code: str
    definitions: tuple[Definition, ...]
    needs: frozenset[str]
    shape: DeadlineRule | RequiredDetailRule | ConcernRule


def compile_rule(rule: CompiledRule) -> DurableRule | None:
    """Compile *rule*, or ``None`` when its shape cannot be expressed (it runs in Python)."""
    shape = rule.rule
    code = rule.meta.code
    try:
        if isinstance(shape, DeadlineRule):
            defs = tuple(_deadline(code, shape))
        elif isinstance(shape, RequiredDetailRule):
            defs = tuple(_detail(code, shape))
        elif isinstance(shape, ConcernRule):
            defs = tuple(_concern(code, shape))
        else:
            return None
    except UnsupportedError:
        return None
    if any(len(d.patterns) > _MAX_PATTERNS for d in defs):
        return None
    return DurableRule(code, defs, _needs(shape), shape)


def _alternatives(when: tuple[When, ...]) -> Iterator[tuple[int, list[Expr]]]:
    """Each alternative's patterns (one empty alternative when unconditional), numbered."""
    alternatives = [alt for w in when or (None,) for alt in when_alternatives(w)]
    yield from enumerate(alternatives)


def _deadline(code: str, shape: DeadlineRule) -> Iterator[Definition]:
    if shape.anchor is Anchor.RI_EPISODE_END:  # one obligation per episode: runs in Python
        msg = "a deadline per restrictive episode"
        raise UnsupportedError(msg)
    found, shared = evidence_combos(shape.evidence)
    recorded = compare("$lte", "time", "clk", "now")

    def ev(i: int, *more: Expr) -> Expr:
        return fact("ev", found[i], *shared, *more, recorded)

    none_recorded = [{f"n{i}$not": ev(i)} for i in range(len(found))]
    before_due = compare("$lte", "time", "ob", "due")
    none_on_time = [{f"n{i}$not": ev(i, before_due)} for i in range(len(found))]
    after_due = compare("$gt", "time", "ob", "due")
    for a, cond in _alternatives(shape.when):
        for outcome, op in (("due", "$gte"), ("overdue", "$lt")):
            ob = {"ob": fact("ob", {"rule": code}, compare(op, "due", "clk", "now"))}
            patterns = (clock(), ob, *cond, *none_recorded)
            yield Definition(f"{code}.{outcome}.{a}", code, patterns, outcome)  # type: ignore[arg-type]
        for i in range(len(found)):
            ob = {"ob": fact("ob", {"rule": code})}
            patterns = (clock(), ob, *cond, {"ev": ev(i, after_due)}, *none_on_time)
            yield Definition(f"{code}.late.{a}.{i}", code, patterns, "late")


def _items(pattern: ItemPattern, *more: Expr) -> list[Expr]:
    recorded = compare("$lte", "time", "clk", "now")
    return [{"it": fact("item", c, *more, recorded)} for c in item_combos(pattern)]


def _absent_key(shape: RequiredDetailRule) -> str:
    """The item facts' flag for an absent field: ``unk`` also counts unknown values."""
    return "unk" if shape.unknown_is_absent else "miss"


def _detail(code: str, shape: RequiredDetailRule) -> Iterator[Definition]:
    key = _absent_key(shape)
    for a, cond in _alternatives(shape.when):
        for f in shape.fields:
            for j, item in enumerate(_items(shape.pattern, {f"{key}_{f}": 1})):
                patterns = (clock(), *cond, item)
                yield Definition(f"{code}.detail.{a}.{f}.{j}", code, patterns, "detail", f)


def _concern(code: str, shape: ConcernRule) -> Iterator[Definition]:
    for a, cond in _alternatives(shape.when):
        items: list[Expr | None] = [None] if shape.pattern is None else [*_items(shape.pattern)]
        for j, item in enumerate(items):
            patterns = (clock(), *cond, *([item] if item else []))
            yield Definition(f"{code}.concern.{a}.{j}", code, patterns, "concern")


def _needs(shape: DeadlineRule | RequiredDetailRule | ConcernRule) -> frozenset[str]:
    needs: set[str] = set()
    for w in shape.when:
        if w.categories or w.severities:
            needs.add("inc")
        if w.restrictive is not None:
            needs.add("item:interventions")
        if w.injury is not None:
            needs.add("item:injuries")
    if isinstance(shape, DeadlineRule):
        accepted, _ = evidence_combos(shape.evidence)
        needs |= {"ob", f"ev:{accepted[0]['k']}"}
    elif isinstance(shape, RequiredDetailRule):
        col = shape.pattern.collection
        key = _absent_key(shape)
        needs |= {f"item:{col}", *(f"{key}:{col}:{f}" for f in shape.fields)}
    elif shape.pattern is not None:
        needs.add(f"item:{shape.pattern.collection}")
    return frozenset(needs)
