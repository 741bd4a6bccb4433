"""Rule packs: named, versioned, immutable collections of rules, checked when they are made."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

import attrs
from attrs import frozen

from trauma_incidents.errors import PackError
from trauma_incidents.model._vocabularies import EXTENDABLE, Vocabulary
from trauma_incidents.packs._builtin import (
    debriefs,
    england,
    governance,
    language,
    learning,
    plans,
    restraint_safety,
    restrictive,
    safeguarding,
)
from trauma_incidents.rules._cross import CrossRule
from trauma_incidents.rules._shapes import DeadlineRule, Rule

_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


_LOCAL_VALUE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def vocabulary_problems(vocabularies: Mapping[type[Vocabulary], frozenset[str]]) -> list[str]:
    """What is wrong with a pack's vocabulary extensions (empty: nothing)."""
    problems = []
    for cls, values in vocabularies.items():
        if cls not in EXTENDABLE.values():
            names = ", ".join(c.__name__ for c in EXTENDABLE.values())
            problems.append(f"vocabularies: {cls.__name__} cannot be extended (only {names})")
            continue
        for value in sorted(values):
            if value in cls._value2member_map_:
                problems.append(f"vocabularies: {value!r} is already a {cls.__name__} value")
            elif not _LOCAL_VALUE.match(value):
                problems.append(
                    f"vocabularies: {value!r} must be snake_case, like adult_protection_enquiry"
                )
    return problems


def rule_problems(rule: Rule | CrossRule, prefixes: tuple[str, ...]) -> list[str]:
    """What is wrong with *rule*'s metadata for a pack with *prefixes* (empty: nothing)."""
    meta = rule.meta
    problems = []
    if prefixes and not meta.code.startswith(prefixes):
        problems.append(f"code must start with one of the pack's prefixes {list(prefixes)}")
    if not _NAME.match(meta.name):
        problems.append(f"name {meta.name!r} must be kebab-case, like staff-debrief")
    problems += [
        f"{field} must not be empty"
        for field in ("summary", "rationale", "example")
        if not getattr(meta, field).strip()
    ]
    if not meta.sources or not all(s.strip() for s in meta.sources):
        problems.append('sources must name at least one requirement ID, or "local policy"')
    names = [o.name for o in meta.options]
    if len(set(names)) != len(names):
        problems.append("option names must be unique")
    if isinstance(rule, DeadlineRule) and "within" not in names:
        problems.append("a deadline rule needs a 'within' option")
    for o in meta.options:
        try:
            o.parse(o.default)
        except (TypeError, ValueError) as e:  # noqa: PERF203 (each bad default is named)
            problems.append(f"option {o.name!r} has an invalid default: {e}")
    return problems


@frozen(kw_only=True)
class Pack:
    """
    A named, versioned set of rules; its rules' metadata is checked when it is made.

    Attributes:
        name: The name configuration uses, such as ``core``.
        version: The pack's version.
        description: One line.
        rules: The rules, in catalogue order: per-incident rules and cross-incident rules
            (`trauma_incidents.rules.CrossRule`), which run over the whole batch.
        prefixes: Code prefixes the pack owns (``("LA",)``); every code must use one.
        effective_from: First day (Europe/London) of incidents the pack judges, if limited.
        effective_to: Last day of incidents the pack judges, if limited.
        vocabularies: Values local practice adds to the vocabularies in
            `trauma_incidents.model.EXTENDABLE` (Recipient, ReviewKind, Stage,
            InterventionKind), such as ``{Stage: frozenset({"adult_protection_enquiry"})}``.
            Records may use them only when the pack is enabled.
    """

    name: str
    version: str
    description: str
    rules: tuple[Rule | CrossRule, ...]
    prefixes: tuple[str, ...] = ()
    effective_from: date | None = None
    effective_to: date | None = None
    vocabularies: Mapping[type[Vocabulary], frozenset[str]] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        problems = vocabulary_problems(self.vocabularies)
        codes = [r.meta.code for r in self.rules]
        problems += [
            f"rule code {c} is declared more than once"
            for c in sorted(set(codes))
            if codes.count(c) > 1
        ]
        for r in self.rules:
            problems += [f"{r.meta.code}: {p}" for p in rule_problems(r, self.prefixes)]
        if problems:
            msg = f"pack {self.name!r} is invalid:\n" + "\n".join(f"  {p}" for p in problems)
            raise PackError(msg)

    def with_rules(self, *rules: Rule | CrossRule) -> Pack:
        """
        A copy of this pack holding *rules*, with every other field (dates included) kept.

        Use it to add Python rules to a pack read from a file:
        ``declared.with_rules(*declared.rules, LA003)``.
        """
        return attrs.evolve(self, rules=rules)


CORE = Pack(
    name="core",
    version="2.1.0",
    description=(
        "Trauma-informed practice: debriefs, restrictive interventions, safeguarding, learning"
        " and language."
    ),
    rules=(
        *debriefs.RULES,
        *restrictive.RULES,
        *restraint_safety.RULES,
        *safeguarding.RULES,
        *learning.RULES,
        *language.RULES,
    ),
    prefixes=("DB", "RI", "SG", "LN", "LG"),
)
ENGLAND = Pack(
    name="england",
    version="2.0.0",
    description="Regulatory notifications in England: CQC, duty of candour, RIDDOR.",
    rules=england.RULES,
    prefixes=("NT",),
)


GOVERNANCE = Pack(
    name="governance",
    version="1.0.0",
    description=(
        "Learning across incidents: repeated triggers, rising restriction, learning shared at"
        " review meetings and reflective supervision (not enabled by default)."
    ),
    rules=governance.RULES,
    prefixes=("GV",),
)


PLANS = Pack(
    name="plans",
    version="1.0.0",
    description=(
        "Incidents held against the person's support plan: a plan in force, restrictions it"
        " authorises, triggers and warning signs it knows, review (runs when plans are given)."
    ),
    rules=plans.RULES,
    prefixes=("PL",),
)


def builtin_packs() -> dict[str, Pack]:
    """The packs that ship with the library, by name (``governance`` is opt-in)."""
    return {p.name: p for p in (CORE, ENGLAND, GOVERNANCE, PLANS)}
