"""
Declarative packs: rules written as data (TOML, YAML or JSON) on the built-in shapes.

The data is parsed into the same rule values the core uses and validated with every problem
named by its key (``rules[0].evidence.recipients[1]``). Nothing in a pack file is ever
executed: values are looked up in closed vocabularies or parsed as durations and dates.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from trauma_incidents._calendar import Duration
from trauma_incidents.model._extensions import extended, extensions
from trauma_incidents.model._vocabularies import (
    EXTENDABLE,
    Audience,
    Category,
    DebriefStatus,
    InjuredParty,
    InjurySeverity,
    Recipient,
    ReviewKind,
    Severity,
    Stage,
    Topic,
    TriggerKind,
    Vocabulary,
    local_value,
)
from trauma_incidents.packs._pack import Pack, rule_problems, vocabulary_problems
from trauma_incidents.rules._episodes import EPISODE_GAP
from trauma_incidents.rules._findings import FindingSeverity
from trauma_incidents.rules._items import (
    COLLECTIONS,
    ConcernRule,
    ItemPattern,
    RequiredDetailRule,
    item_fields,
)
from trauma_incidents.rules._metadata import Change, RuleMeta, within
from trauma_incidents.rules._patterns import ItemMatch
from trauma_incidents.rules._selectors import (
    Anchor,
    DebriefMatch,
    DesiredOutcomesMatch,
    EvidenceMatch,
    InjuryPattern,
    NotificationMatch,
    ReviewMatch,
    StageMatch,
    TriggerMatch,
    When,
)
from trauma_incidents.rules._shapes import DeadlineRule, Rule

E = TypeVar("E", bound=Enum)
_PREFIX = re.compile(r"^[A-Z]{1,4}$")
_MAX_TEXT = 2000
_MAX_ECHO = 60
_MAX_RULES = 500
_PACK_KEYS = {"name", "version", "description", "prefixes", "effective_from", "effective_to"}
_PACK_KEYS |= {"vocabularies"}
_META_KEYS = {"code", "shape", "name", "summary", "rationale", "example", "severity", "sources"}
_META_KEYS |= {"effective_from", "effective_to", "added_in", "changes"}
_SHAPE_KEYS = {
    "deadline": {"within", "anchor", "obligation", "when", "evidence"},
    "required": {"when", "items", "fields", "what", "unknown_is_absent"},
    "concern": {"when", "items", "message"},
}


def echo(value: object) -> str:
    """A bad value as the message shows it: quoted, cut short, and only if it is a scalar."""
    if value is None:
        return "missing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        text = repr(value)
        return text if len(text) <= _MAX_ECHO else text[: _MAX_ECHO - 3] + "...'"
    return f"a {type(value).__name__}"


def choice(value: object, allowed: Iterable[str]) -> str:
    """The problem for *value* not in *allowed*: it, the choices, and the nearest one."""
    options = list(allowed)
    if value is None:
        return f"missing: expected one of {', '.join(options)}"
    text = f"{echo(value)} is not one of {', '.join(options)}"
    if isinstance(value, str):
        near = difflib.get_close_matches(value, options, n=1)
        text += f"; did you mean {near[0]!r}?" if near else ""
    return text


class Problems(list[str]):
    """Problems found so far, each prefixed by the key it is about."""

    def add(self, where: str, what: str) -> None:
        """Record that *where* is wrong in the way *what* says."""
        self.append(f"{where}: {what}")


def _text(
    raw: Mapping[str, Any], key: str, where: str, problems: Problems, *, required: bool = True
) -> str:
    value = raw.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_TEXT:
        problems.add(
            f"{where}.{key}", f"expected a non-empty string of at most {_MAX_TEXT} characters"
        )
        return ""
    return value


def _list(raw: object, where: str, problems: Problems) -> list[Any]:
    if not isinstance(raw, list):
        problems.add(where, "expected a list")
        return []
    return raw


def _enums(
    raw: object, cls: type[E], where: str, problems: Problems, *, negatable: bool = False
) -> frozenset[E]:
    """
    The values listed; if *negatable*, ``{ not = [...] }`` gives every other value.

    "Every other value" is the vocabulary's values as the pack is read (with the values of
    the packs extending it then): it is fixed when the pack loads.
    """
    allowed: dict[str, Any] = {m.value: m for m in cls}
    if issubclass(cls, Vocabulary):
        allowed |= {v: local_value(cls, v) for v in extensions().get(cls, ())}
    if negatable and isinstance(raw, Mapping):
        _unknown(raw, {"not"}, where, problems)
        excluded = _enums(raw.get("not"), cls, f"{where}.not", problems)
        rest = frozenset(allowed.values()) - excluded
        if not rest:
            problems.add(f"{where}.not", "leaves no value")
        return rest
    out = set()
    for i, v in enumerate(_list(raw, where, problems)):
        if isinstance(v, str) and v in allowed:
            out.add(allowed[v])
        else:
            problems.add(f"{where}[{i}]", choice(v, allowed))
    return frozenset(out)


def _date(raw: Mapping[str, Any], key: str, where: str, problems: Problems) -> date | None:
    value = raw.get(key)
    if value is None or (isinstance(value, date) and type(value) is date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(f"{where}.{key}", f"{echo(value)} is not a date such as 2026-04-01")
    return None


def _unknown(raw: Mapping[str, Any], allowed: set[str], where: str, problems: Problems) -> None:
    for k in sorted(set(raw) - allowed, key=str):
        near = difflib.get_close_matches(str(k), sorted(allowed), n=1)
        problems.add(
            f"{where}.{k}", "unknown key" + (f"; did you mean {near[0]!r}?" if near else "")
        )


def _table(raw: object, where: str, problems: Problems) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        problems.add(where, "expected a table")
        return {}
    return raw


_WHEN_PARSERS: dict[str, Callable[[object, str, Problems], object]] = {
    "categories": lambda v, w, p: _enums(v, Category, w, p, negatable=True),
    "severities": lambda v, w, p: _enums(v, Severity, w, p, negatable=True),
}


def _when(raw: object, where: str, problems: Problems) -> tuple[When, ...]:
    tables = raw if isinstance(raw, list) else [raw] if raw is not None else []
    out = []
    for i, item in enumerate(tables):
        at = f"{where}[{i}]" if isinstance(raw, list) else where
        t = _table(item, at, problems)
        _unknown(t, {"categories", "severities", "restrictive", "injury", "items"}, at, problems)
        kw: dict[str, Any] = {
            k: f(t[k], f"{at}.{k}", problems) for k, f in _WHEN_PARSERS.items() if k in t
        }
        if "restrictive" in t:
            if isinstance(t["restrictive"], bool):
                kw["restrictive"] = t["restrictive"]
            else:
                problems.add(f"{at}.restrictive", "expected true or false")
        if "items" in t:
            kw["items"] = _items(t["items"], f"{at}.items", problems)
        if "injury" in t:
            inj = _table(t["injury"], f"{at}.injury", problems)
            _unknown(inj, {"who", "severities"}, f"{at}.injury", problems)
            kw["injury"] = InjuryPattern(
                who=_enums(
                    inj.get("who", []), InjuredParty, f"{at}.injury.who", problems, negatable=True
                ),
                severities=_enums(
                    inj.get("severities", []),
                    InjurySeverity,
                    f"{at}.injury.severities",
                    problems,
                    negatable=True,
                ),
            )
        out.append(When(**kw))
    return tuple(out)


#: Evidence kinds: the selector class, its vocabulary fields, and the field it cannot lack.
_EVIDENCE: dict[str, tuple[type[Any], dict[str, type[Enum]], str | None]] = {
    "debrief": (
        DebriefMatch,
        {"audiences": Audience, "statuses": DebriefStatus, "topics": Topic},
        "audiences",
    ),
    "review": (ReviewMatch, {"kinds": ReviewKind}, "kinds"),
    "notification": (NotificationMatch, {"recipients": Recipient}, "recipients"),
    "stage": (StageMatch, {"stages": Stage}, "stages"),
    "trigger": (TriggerMatch, {"exclude": TriggerKind}, None),
    "desired_outcomes": (DesiredOutcomesMatch, {}, None),
    "item": (ItemMatch, {}, None),
}


#: Evidence selectors that take ``{ not = [...] }`` (``topics`` is "all of", ``exclude`` a "not").
_NEGATABLE = frozenset({"audiences", "statuses", "kinds", "recipients", "stages"})


def _evidence(raw: object, where: str, problems: Problems) -> EvidenceMatch | None:
    t = _table(raw, where, problems)
    kind = t.get("kind")
    if kind not in _EVIDENCE:
        problems.add(f"{where}.kind", choice(kind, _EVIDENCE))
        return None
    if kind == "item":
        _unknown(t, {"kind", "collection", "where"}, where, problems)
        pattern = _items({k: v for k, v in t.items() if k != "kind"}, where, problems)
        return None if pattern is None else ItemMatch(pattern=pattern)
    cls, fields, required = _EVIDENCE[kind]
    flags = {"duty_of_candour"} if kind == "notification" else set()
    _unknown(t, {"kind", *fields, *flags}, where, problems)
    kw: dict[str, Any] = {
        k: _enums(t[k], e, f"{where}.{k}", problems, negatable=k in _NEGATABLE)
        for k, e in fields.items()
        if k in t
    }
    for flag in flags & set(t):
        if isinstance(t[flag], bool):
            kw[flag] = t[flag]
        else:
            problems.add(f"{where}.{flag}", "expected true or false")
    if required is not None and not kw.get(required):
        problems.add(f"{where}.{required}", "expected at least one value")
        return None
    match: EvidenceMatch = cls(**kw)
    return match


def _items(raw: object, where: str, problems: Problems) -> ItemPattern | None:
    t = _table(raw, where, problems)
    _unknown(t, {"collection", "where"}, where, problems)
    name = t.get("collection")
    if not isinstance(name, str) or name not in COLLECTIONS:
        problems.add(f"{where}.collection", choice(name, COLLECTIONS))
        return None
    filters = COLLECTIONS[name].filters
    cond = _table(t.get("where", {}), f"{where}.where", problems)
    out: dict[str, frozenset[Any]] = {}
    out_not: dict[str, frozenset[Any]] = {}
    for k, v in cond.items():
        at = f"{where}.where.{k}"
        if k not in filters:
            problems.add(at, "unknown filter; " + choice(k, filters) if filters else "no filters")
            continue
        negated = isinstance(v, Mapping)
        if negated:
            _unknown(v, {"not"}, at, problems)
            v, at = v.get("not"), f"{at}.not"  # noqa: PLW2901 (the values inside "not")
        values = (
            _bools(v, at, problems) if filters[k] is bool else _enums(v, filters[k], at, problems)
        )
        (out_not if negated else out)[k] = values
    return ItemPattern(collection=name, where=out, where_not=out_not)


def _bools(raw: object, where: str, problems: Problems) -> frozenset[bool]:
    vals = _list(raw, where, problems)
    if not all(isinstance(b, bool) for b in vals):
        problems.add(where, "expected a list of true/false")
    return frozenset(vals)


def _meta(
    t: Mapping[str, Any], where: str, problems: Problems, options: tuple[Any, ...]
) -> RuleMeta | None:
    texts = {
        k: _text(t, k, where, problems) for k in ("code", "name", "summary", "rationale", "example")
    }
    severity = None
    try:
        severity = FindingSeverity(t.get("severity"))
    except ValueError:
        problems.add(
            f"{where}.severity", choice(t.get("severity"), (s.value for s in FindingSeverity))
        )
    sources = _list(t.get("sources"), f"{where}.sources", problems)
    if not sources or not all(isinstance(s, str) and 0 < len(s) <= _MAX_TEXT for s in sources):
        problems.add(f"{where}.sources", 'expected requirement IDs, or ["local policy"]')
    start, end = (_date(t, k, where, problems) for k in ("effective_from", "effective_to"))
    changes = _changes(t.get("changes", []), f"{where}.changes", problems)
    added_in = _text(t, "added_in", where, problems, required=False) or None
    if severity is None:
        return None
    try:
        return RuleMeta(
            code=texts["code"], name=texts["name"], summary=texts["summary"],
            rationale=texts["rationale"], example=texts["example"], severity=severity,
            sources=tuple(map(str, sources)), options=options, effective_from=start,
            effective_to=end, added_in=added_in, changes=changes,
        )  # fmt: skip
    except ValueError as e:
        problems.add(f"{where}.code", str(e))
        return None


def _changes(raw: object, where: str, problems: Problems) -> tuple[Change, ...]:
    """``changes = [{version = "1.1", text = "..."}]``: how the rule's meaning changed."""
    out = []
    for i, item in enumerate(_list(raw, where, problems)):
        t = _table(item, f"{where}[{i}]", problems)
        _unknown(t, {"version", "text"}, f"{where}[{i}]", problems)
        version, text = (_text(t, k, f"{where}[{i}]", problems) for k in ("version", "text"))
        if version and text:
            out.append(Change(version, text))
    return tuple(out)


def _rule(raw: object, where: str, problems: Problems) -> Rule | None:
    t = _table(raw, where, problems)
    shape = t.get("shape")
    if shape not in _SHAPE_KEYS:
        problems.add(f"{where}.shape", choice(shape, _SHAPE_KEYS))
        return None
    _unknown(t, _META_KEYS | _SHAPE_KEYS[shape], where, problems)
    before = len(problems)
    when = _when(t.get("when"), f"{where}.when", problems)
    if shape == "deadline":
        rule = _deadline(t, where, problems, when)
    else:
        items = _items(t["items"], f"{where}.items", problems) if "items" in t else None
        rule = (
            _required(t, where, problems, when, items)
            if shape == "required"
            else _concern(t, where, problems, when, items)
        )
    return rule if len(problems) == before else None


def _deadline(
    t: Mapping[str, Any], where: str, problems: Problems, when: tuple[When, ...]
) -> Rule | None:
    span = t.get("within")
    try:
        Duration.parse(span if isinstance(span, str) else "")
    except ValueError as e:
        problems.add(f"{where}.within", f"{echo(span)}: {e}")
    anchor = None
    try:
        anchor = Anchor(t.get("anchor"))
    except ValueError:
        problems.add(f"{where}.anchor", choice(t.get("anchor"), (a.value for a in Anchor)))
    evidence = _evidence(t.get("evidence"), f"{where}.evidence", problems)
    obligation = _text(t, "obligation", where, problems)
    episodes = (EPISODE_GAP,) if anchor is Anchor.RI_EPISODE_END else ()
    meta = _meta(t, where, problems, (within(str(span)), *episodes))
    if meta is None or evidence is None or anchor is None:
        return None
    return DeadlineRule(
        meta=meta, when=when, anchor=anchor, evidence=evidence, obligation=obligation
    )


def _required(
    t: Mapping[str, Any],
    where: str,
    problems: Problems,
    when: tuple[When, ...],
    items: ItemPattern | None,
) -> Rule | None:
    if items is None:
        problems.add(f"{where}.items", "a required-detail rule needs items")
        return None
    known = item_fields(items.collection)
    fields = _list(t.get("fields"), f"{where}.fields", problems)
    for i, f in enumerate(fields):
        if f not in known:
            problems.add(
                f"{where}.fields[{i}]", f"not a field of {items.collection}: {choice(f, known)}"
            )
    what = _text(t, "what", where, problems)
    named = [f for f in fields if isinstance(f, str) and f in _words(what)]
    if named:
        problems.add(
            f"{where}.what",
            f"names the field {named[0]!r}: write the item that lacks it, such as"
            ' "The restraint record" (messages read: <what> lacks: <fields>.)',
        )
    meta = _meta(t, where, problems, ())
    if meta is None or not fields:
        return None
    unknown = t.get("unknown_is_absent", False)
    if not isinstance(unknown, bool):
        problems.add(f"{where}.unknown_is_absent", "expected true or false")
        return None
    return RequiredDetailRule(
        meta=meta, when=when, pattern=items, fields=tuple(fields), what=what,
        unknown_is_absent=unknown,
    )  # fmt: skip


def _words(text: str) -> str:
    """*text* with spaces as underscores, to spot a field's name in it."""
    return "_".join(text.lower().split())


def _concern(
    t: Mapping[str, Any],
    where: str,
    problems: Problems,
    when: tuple[When, ...],
    items: ItemPattern | None,
) -> Rule | None:
    message = _text(t, "message", where, problems)
    meta = _meta(t, where, problems, ())
    if meta is None:
        return None
    return ConcernRule(meta=meta, when=when, pattern=items, message=message)


def pack_from_data(data: object) -> tuple[Pack | None, list[str]]:
    """Parse a declarative pack; return it, or ``None`` with every problem found."""
    problems = Problems()
    top = _table(data, "$", problems)
    _unknown(top, {"pack", "rules"}, "$", problems)
    head = _table(top.get("pack"), "pack", problems)
    _unknown(head, _PACK_KEYS, "pack", problems)
    name, version, description = (
        _text(head, k, "pack", problems) for k in ("name", "version", "description")
    )
    prefixes = _list(head.get("prefixes", []), "pack.prefixes", problems)
    if not all(isinstance(p, str) and _PREFIX.match(p) for p in prefixes):
        problems.add("pack.prefixes", "expected 1-4 capital letters each, like LA")
    start, end = (_date(head, k, "pack", problems) for k in ("effective_from", "effective_to"))
    vocabularies = _vocabularies(head.get("vocabularies", {}), problems)
    raw_rules = _list(top.get("rules"), "rules", problems)
    if len(raw_rules) > _MAX_RULES:
        problems.add("rules", f"at most {_MAX_RULES} rules in one pack")
        raw_rules = []
    with extended(vocabularies):
        rules = [_rule(r, f"rules[{i}]", problems) for i, r in enumerate(raw_rules)]
    for i, r in enumerate(rules):
        if r is not None:
            problems.extend(f"rules[{i}]: {p}" for p in rule_problems(r, tuple(map(str, prefixes))))
    if problems:
        return None, problems
    return Pack(
        name=name, version=version, description=description, rules=tuple(r for r in rules if r),
        prefixes=tuple(prefixes), effective_from=start, effective_to=end,
        vocabularies=vocabularies,
    ), []  # fmt: skip


def _vocabularies(raw: object, problems: Problems) -> dict[type[Vocabulary], frozenset[str]]:
    """``[pack.vocabularies]``: values local practice adds, by vocabulary (checked by `Pack`)."""
    t = _table(raw, "pack.vocabularies", problems)
    out: dict[type[Vocabulary], frozenset[str]] = {}
    for name, values in t.items():
        at = f"pack.vocabularies.{name}"
        if name not in EXTENDABLE:
            problems.add(at, "cannot be extended: " + choice(name, EXTENDABLE))
            continue
        listed = _list(values, at, problems)
        if not all(isinstance(v, str) for v in listed):
            problems.add(at, "expected a list of values, like adult_protection_enquiry")
            continue
        cls = EXTENDABLE[name]
        for v in listed:
            problem = next(iter(vocabulary_problems({cls: frozenset({v})})), None)
            if problem is not None:
                problems.add(at, problem.removeprefix("vocabularies: "))
        out[cls] = frozenset(listed)
    return out
