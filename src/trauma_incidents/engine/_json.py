"""
Findings, rule faults and waivers as JSON-ready dicts, made by one cattrs converter.

These are the shapes ``check --format json`` and ``ndjson`` write: times as ISO 8601 text,
enums as their values. A waiver's reason is never written: it may describe the person.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from cattrs import Converter
from cattrs.gen import make_dict_unstructure_fn, override

from trauma_incidents.config import Waiver
from trauma_incidents.engine._findings_report import RuleFault
from trauma_incidents.errors import LoadProblem
from trauma_incidents.loading._converter import make_converter
from trauma_incidents.rules._findings import Finding

__all__ = [
    "CONVERTER",
    "EvidenceDict",
    "FindingDict",
    "fault_dict",
    "finding_dict",
    "waiver_dict",
]


class EvidenceDict(TypedDict):
    """The JSON shape of one `trauma_incidents.rules.Evidence`."""

    path: str
    value: str | int | bool | None


class FindingDict(TypedDict):
    """The JSON shape of a `Finding`, as `finding_dict` makes it."""

    rule: str
    incident_id: str
    key: str | None
    status: Literal["due", "overdue", "late", "missing", "unknown", "concern"]
    severity: Literal["info", "low", "medium", "high", "critical"]
    due_at: str | None
    satisfied_at: str | None
    message: str
    evidence: list[EvidenceDict]
    sources: list[str]
    id: str


def _make_converter() -> Converter:
    """The converter for output: findings, faults and waivers as JSON-ready dicts."""
    converter = make_converter()  # the format's: times as ISO 8601 text, enums as values
    converter.omit_if_default = False  # output keeps every key, null or not
    omit = override(omit=True)
    converter.register_unstructure_hook(
        Waiver, make_dict_unstructure_fn(Waiver, converter, reason=omit)
    )
    converter.register_unstructure_hook(
        LoadProblem, make_dict_unstructure_fn(LoadProblem, converter, source=omit, line=omit)
    )
    converter.register_unstructure_hook(
        Finding,  # its id is derived (init=False), and is part of the output
        make_dict_unstructure_fn(Finding, converter, _cattrs_include_init_false=True),
    )
    return converter


#: The output converter, shared by every writer.
CONVERTER = _make_converter()


def finding_dict(f: Finding) -> dict[str, Any]:
    """A finding as a JSON-ready dict, with the keys in `FINDING_FIELDS` order."""
    result: dict[str, Any] = CONVERTER.unstructure(f, Finding)
    return result


def fault_dict(f: RuleFault) -> dict[str, Any]:
    """A rule fault as a JSON-ready dict."""
    return {"kind": "rule", **CONVERTER.unstructure(f, RuleFault)}


def waiver_dict(w: Waiver) -> dict[str, Any]:
    """A waiver as a JSON-ready dict; its reason is left out, as it may describe the person."""
    result: dict[str, Any] = CONVERTER.unstructure(w, Waiver)
    return result
