"""Tests for the rule catalogue and the generated ``docs/rules.md``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trauma_incidents.cli import _catalogue
from trauma_incidents.packs import builtin_packs
from trauma_incidents.rules._metadata import OptionSpec

ROOT = Path(__file__).resolve().parents[2]
RULES_MD = ROOT / "docs" / "rules.md"
#: Words this project never uses about people (house style).
BANNED = ("challenging behaviour", "non-compliant", "absconded", "attention seeking")


def test_rules_md_is_current() -> None:
    """docs/rules.md is what the catalogue of the library's own packs generates."""
    expected = _catalogue.markdown(builtin_packs())
    actual = RULES_MD.read_text(encoding="utf-8")
    assert actual == expected, f"docs/rules.md is stale; run: {_catalogue.REGENERATE}"


def test_every_rule_has_a_section() -> None:
    """Each rule of every built-in pack has a section with the three explanation headings."""
    text = _catalogue.markdown(builtin_packs())
    sections = re.split(r"^## ", text, flags=re.MULTILINE)
    by_code = {s.split(":", 1)[0]: s for s in sections}
    for pack in builtin_packs().values():
        for rule in pack.rules:
            section = by_code[rule.meta.code]
            for heading in ("What it flags", "Why it matters", "Example", "Options", "Sources"):
                assert f"### {heading}" in section
            assert rule.meta.summary in section


def test_header_says_generated() -> None:
    """The page says it is generated, and how."""
    assert _catalogue.REGENERATE in _catalogue.markdown()[:600]


@pytest.mark.parametrize("term", BANNED)
def test_no_banned_language(term: str) -> None:
    """The catalogue uses trauma-informed language."""
    assert term not in _catalogue.markdown().lower()


def test_catalogue_order_and_packs() -> None:
    """The catalogue lists the packs' rules in order, each with its pack."""
    entries = _catalogue.catalogue()
    expected = [(p.name, r.meta.code) for p in builtin_packs().values() for r in p.rules]
    assert [(e.pack, e.meta.code) for e in entries] == expected


def test_find_rule() -> None:
    """Codes are found case-insensitively; unknown codes give None."""
    entry = _catalogue.find_rule("db002")
    assert entry is not None
    assert entry.meta.code == "DB002"
    assert _catalogue.find_rule("ZZ999") is None


@pytest.mark.parametrize(
    ("default", "value", "text"),
    [
        ("24h", "24h", "24h"),
        (7, 7, "7"),
        (("timeline", "communication"), ["timeline", "communication"], "timeline, communication"),
    ],
    ids=["duration", "count", "topics"],
)
def test_defaults(default: object, value: object, text: str) -> None:
    """Option defaults render as JSON values and as words."""
    option = OptionSpec("o", "count", default, "help")
    assert _catalogue.default_value(option) == value
    assert _catalogue.default_text(option) == text


def test_table_cells_escape_pipes() -> None:
    """A pipe in text cannot break a Markdown table."""
    assert _catalogue._cell("a | b\nc") == "a \\| b c"
