"""
The rule catalogue: every rule of the available packs, as data, a table and Markdown.

``trauma-incidents rules``, ``trauma-incidents explain CODE`` and ``docs/rules.md`` are all
rendered here, so the docs and the CLI cannot drift apart. By default the catalogue holds
every discovered pack: the built-in ones and those installed through entry points.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from attrs import frozen

from trauma_incidents.cli._writers import table
from trauma_incidents.packs import discover_packs
from trauma_incidents.packs._pack import Pack
from trauma_incidents.rules._metadata import OptionSpec, RuleMeta

#: The command that regenerates ``docs/rules.md``.
REGENERATE = "python -m trauma_incidents rules --format markdown > docs/rules.md"


@frozen
class Entry:
    """
    One rule in the catalogue.

    Attributes:
        pack: The name of the pack that declares it.
        meta: Its metadata.
        pack_from: The pack's first day in force, if dated.
        pack_to: The pack's last day in force, if dated.
    """

    pack: str
    meta: RuleMeta
    pack_from: date | None = None
    pack_to: date | None = None

    @property
    def in_force(self) -> str:
        """When the rule judges incidents, pack and rule dates together: ``from 2026-04-01``."""
        starts = [d for d in (self.pack_from, self.meta.effective_from) if d is not None]
        ends = [d for d in (self.pack_to, self.meta.effective_to) if d is not None]
        return window(max(starts, default=None), min(ends, default=None))


def window(start: date | None, end: date | None) -> str:
    """Dates in words: ``always``, ``from 2026-04-01``, ``to 2027-03-31`` or both."""
    words = [f"from {start}"] * (start is not None) + [f"to {end}"] * (end is not None)
    return " ".join(words) or "always"


def catalogue(packs: Mapping[str, Pack] | None = None) -> tuple[Entry, ...]:
    """Every rule of *packs* (every discovered pack by default), in pack order."""
    packs = discover_packs() if packs is None else packs
    return tuple(
        Entry(p.name, r.meta, p.effective_from, p.effective_to)
        for p in packs.values()
        for r in p.rules
    )


def find_rule(code: str, packs: Mapping[str, Pack] | None = None) -> Entry | None:
    """The rule with *code* (case-insensitive), or ``None``."""
    return next((e for e in catalogue(packs) if e.meta.code == code.upper()), None)


def default_value(option: OptionSpec) -> object:
    """An option's default as JSON: a string, a number, or a list of strings."""
    if isinstance(option.default, tuple | list | frozenset | set):
        return [str(v) for v in option.default]
    return option.default


def default_text(option: OptionSpec) -> str:
    """An option's default in words: ``24h``, ``7``, ``timeline, communication``."""
    value = default_value(option)
    return ", ".join(value) if isinstance(value, list) else str(value)


def rule_dict(entry: Entry) -> dict[str, Any]:
    """One rule's metadata as a JSON-ready dict."""
    meta = entry.meta
    return {
        "code": meta.code,
        "name": meta.name,
        "pack": entry.pack,
        "severity": meta.severity.value,
        "summary": meta.summary,
        "rationale": meta.rationale,
        "example": meta.example,
        "options": [
            {"name": o.name, "kind": o.kind, "default": default_value(o), "help": o.help}
            for o in meta.options
        ],
        "sources": list(meta.sources),
        "effective_from": _iso(meta.effective_from),
        "effective_to": _iso(meta.effective_to),
        "pack_effective_from": _iso(entry.pack_from),
        "pack_effective_to": _iso(entry.pack_to),
        "added_in": meta.added_in,
        "changes": [{"version": c.version, "text": c.text} for c in meta.changes],
    }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def rules_table(entries: Iterable[Entry]) -> str:
    """A plain-text table of the catalogue: code, name, pack, severity, dates, options, summary."""
    rows = [
        ("CODE", "NAME", "PACK", "SEVERITY", "IN FORCE", "OPTIONS (DEFAULT)", "SOURCES", "SUMMARY")
    ]
    rows += [
        (
            e.meta.code,
            e.meta.name,
            e.pack,
            e.meta.severity.value,
            e.in_force,
            ", ".join(f"{o.name}={default_text(o)}" for o in e.meta.options) or "-",
            ", ".join(e.meta.sources),
            e.meta.summary,
        )
        for e in entries
    ]
    return table(rows)


def explain_text(entry: Entry) -> str:
    """One rule in plain text, for ``explain CODE``."""
    meta = entry.meta
    lines = [
        f"{meta.code} {meta.name} (pack {entry.pack}, default severity {meta.severity.value})",
        "",
        (
            f"In force: {entry.in_force} (pack {window(entry.pack_from, entry.pack_to)};"
            f" rule {window(meta.effective_from, meta.effective_to)})"
        ),
        "",
        *_section("What it flags", meta.summary),
        *_section("Why it matters", meta.rationale),
        *_section("Example", meta.example),
        *([f"Added in {meta.added_in}.", ""] if meta.added_in else []),
        *(line for c in meta.changes for line in _section(f"Changed in {c.version}", c.text)),
        "Options:",
        *(
            [f"  {o.name} ({o.kind}, default {default_text(o)}): {o.help}" for o in meta.options]
            or ["  none"]
        ),
        "",
        "Sources: " + ", ".join(meta.sources),
    ]
    return "\n".join(lines) + "\n"


def _section(title: str, text: str) -> list[str]:
    return [f"{title}:", f"  {text}", ""]


def markdown(packs: Mapping[str, Pack] | None = None) -> str:
    """The rule catalogue as Markdown: the text of ``docs/rules.md``."""
    packs = discover_packs() if packs is None else packs
    entries = catalogue(packs)
    parts = [_md_header(packs, entries), *(rule_markdown(e) for e in entries)]
    return "\n".join(parts)


def _md_header(packs: Mapping[str, Pack], entries: tuple[Entry, ...]) -> str:
    pack_rows = [
        f"| `{p.name}` | {p.version} | {len(p.rules)}"
        f" | {window(p.effective_from, p.effective_to)} | {_cell(p.description)} |"
        for p in packs.values()
    ]
    rule_rows = [
        f"| [{e.meta.code}](#{_anchor(e.meta)}) | `{e.meta.name}` | `{e.pack}`"
        f" | {e.meta.severity.value} | {_cell(e.meta.summary)} |"
        for e in entries
    ]
    return "\n".join(
        [
            "# Rule catalogue",
            "",
            "<!-- Generated from the rule metadata; do not edit by hand. -->",
            "",
            "This page is generated from the rules' own metadata by",
            f"`{REGENERATE}`,",
            "and a test fails when the committed page is stale.",
            "The same text is printed by `trauma-incidents explain CODE`.",
            "Sources are IDs in the project's list of requirements",
            "(regulations, national guidance and practice benchmarks).",
            "",
            "## Packs",
            "",
            "| Pack | Version | Rules | In force | Description |",
            "| --- | --- | --- | --- | --- |",
            *pack_rows,
            "",
            "## Rules",
            "",
            "| Code | Name | Pack | Default severity | What it flags |",
            "| --- | --- | --- | --- | --- |",
            *rule_rows,
            "",
        ]
    )


def rule_markdown(entry: Entry) -> str:
    """One rule as a Markdown section, as ``docs/rules.md`` and ``explain --format markdown``."""
    meta = entry.meta
    lines = [
        f"## {meta.code}: {meta.name}",
        "",
        (
            f"Pack `{entry.pack}`, default severity **{meta.severity.value}**,"
            f" in force {entry.in_force}."
        ),
        "",
        "### What it flags",
        "",
        meta.summary,
        "",
        "### Why it matters",
        "",
        meta.rationale,
        "",
        "### Example",
        "",
        meta.example,
        "",
        *_md_changes(meta),
        "### Options",
        "",
        *_md_options(meta.options),
        "",
        "### Sources",
        "",
        *(f"- `{s}`" for s in meta.sources),
        "",
    ]
    return "\n".join(lines)


def _md_changes(meta: RuleMeta) -> list[str]:
    if not meta.changes and not meta.added_in:
        return []
    return [
        "### Changes",
        "",
        *([f"- **Added in {meta.added_in}.**"] if meta.added_in else []),
        *(f"- **Changed in {c.version}:** {c.text}" for c in meta.changes),
        "",
    ]


def _md_options(options: tuple[OptionSpec, ...]) -> list[str]:
    if not options:
        return ["None: this rule has no options; it can be switched off or given a severity."]
    return [
        "| Option | Kind | Default | What it changes |",
        "| --- | --- | --- | --- |",
        *(f"| `{o.name}` | {o.kind} | `{default_text(o)}` | {_cell(o.help)} |" for o in options),
    ]


def _anchor(meta: RuleMeta) -> str:
    """The heading's anchor, as GitHub and MyST (``myst_heading_anchors``) both make it."""
    return f"{meta.code}-{meta.name}".lower()


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")
