"""Rule packs: named, versioned, immutable collections of rules."""

from __future__ import annotations

from attrs import field, frozen

from trauma_incidents._packs import debriefs, england, language, learning, restrictive, safeguarding
from trauma_incidents._shapes import Rule
from trauma_incidents.errors import PackError


def _unique_codes(_inst: object, _attribute: object, rules: tuple[Rule, ...]) -> None:
    codes = [r.meta.code for r in rules]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        msg = f"a pack declares these rule codes more than once: {', '.join(dupes)}"
        raise PackError(msg)


@frozen
class Pack:
    """
    A named, versioned set of rules.

    Attributes:
        name: The name configuration uses, such as ``core``.
        version: The pack's version.
        description: One line.
        rules: The rules, in catalogue order.
    """

    name: str
    version: str
    description: str
    rules: tuple[Rule, ...] = field(validator=_unique_codes)


CORE = Pack(
    "core",
    "1.0.0",
    "Trauma-informed practice: debriefs, restrictive interventions, safeguarding, learning"
    " and language.",
    (*debriefs.RULES, *restrictive.RULES, *safeguarding.RULES, *learning.RULES, *language.RULES),
)
ENGLAND = Pack(
    "england",
    "1.0.0",
    "Regulatory notifications in England: CQC, duty of candour, RIDDOR.",
    england.RULES,
)


def builtin_packs() -> dict[str, Pack]:
    """The packs that ship with the library, by name."""
    return {p.name: p for p in (CORE, ENGLAND)}
