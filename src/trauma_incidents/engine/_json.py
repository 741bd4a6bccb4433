"""
Findings, reports, rule faults and waivers as JSON-ready dicts, made by one cattrs converter.

These are the shapes ``check --format json`` and ``ndjson`` write: times as ISO 8601 text,
enums as their values. A waiver's reason is never written: it may describe the person.
The TypedDicts name each shape, so a FastAPI or pydantic response model can be declared
from them; ``data/finding.schema.json`` and ``data/report.schema.json`` are their schemas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from types import NoneType
from typing import Any, Literal, cast

import orjson
from cattrs import Converter
from cattrs.gen import make_dict_unstructure_fn, override

from trauma_incidents._typeddict import TypedDict
from trauma_incidents.config import Waiver
from trauma_incidents.engine._findings_report import Report, RuleFault, WaivedFinding
from trauma_incidents.errors import (
    FindingLoadError,
    IncidentLoadError,
    InvalidValueError,
    LoadProblem,
    describe_type,
)
from trauma_incidents.loading._batch import BadRecord
from trauma_incidents.loading._converter import make_converter
from trauma_incidents.loading._iso8601 import Mismatch
from trauma_incidents.loading._record import parse_json, render_error
from trauma_incidents.model._vocabularies import Vocabulary
from trauma_incidents.rules._findings import Evidence, EvidenceValue, Finding

__all__ = [
    "OMITTED",
    "EvidenceDict",
    "FindingDict",
    "ProblemDict",
    "RecordErrorDict",
    "ReportDict",
    "RuleErrorDict",
    "WaivedDict",
    "WaiverDict",
    "bad_record_dict",
    "dump_report",
    "fault_dict",
    "finding_dict",
    "finding_line",
    "load_finding",
    "load_finding_hook",
    "loader",
    "output_converter",
    "report_document",
    "waived_dict",
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


class ProblemDict(TypedDict):
    """The JSON shape of one problem in a record: its JSON path and what is wrong."""

    path: str
    message: str


class RecordErrorDict(TypedDict):
    """The JSON shape of a record (or a whole input) that could not be read."""

    kind: Literal["record"]
    source: str | None
    problems: list[ProblemDict]
    line: int | None
    index: int | None
    incident_id: str | None


class RuleErrorDict(TypedDict):
    """The JSON shape of a rule that raised on one incident (a `RuleFault`)."""

    kind: Literal["rule"]
    rule: str
    incident_id: str
    error: str


class WaiverDict(TypedDict):
    """The JSON shape of a `Waiver`, without its reason."""

    rule: str | None
    incident_id: str | None
    finding_id: str | None
    expires: str | None


class WaivedDict(TypedDict):
    """The JSON shape of a finding a waiver set aside (a `WaivedFinding`), with its waiver."""

    finding: FindingDict
    waiver: WaiverDict


class ReportDict(TypedDict):
    """
    The JSON shape of a report, as ``check --format json`` writes it and `dump_report`.

    ``waivers_unused`` are the waivers in force that matched no finding; ``waivers_expired``
    those that matched nothing as they had expired by ``at``.
    """

    at: str
    findings: list[FindingDict]
    waived: list[WaivedDict]
    errors: list[RecordErrorDict | RuleErrorDict]
    waivers_unused: list[WaiverDict]
    waivers_expired: list[WaiverDict]


#: The fields output leaves out, by class: a waiver's reason may describe the person, and a
#: problem's source and line are its record's (shared by the converter and the schemas).
OMITTED: Mapping[type, tuple[str, ...]] = {Waiver: ("reason",), LoadProblem: ("source", "line")}


_SCALARS = frozenset({str, int, bool, NoneType})


def _scalar(converter: Converter) -> Callable[[Any], Any]:
    """An evidence value as it is when a JSON scalar; otherwise as *converter* makes it."""

    def unstructure(value: Any) -> Any:
        return value if value.__class__ in _SCALARS else converter.unstructure(value)

    return unstructure


@cache
def output_converter() -> Converter:
    """
    The converter for output, shared by every writer: findings, faults and waivers as dicts.

    Made on first use: building its hooks costs startup time a command may not need.
    """
    converter = make_converter()  # the format's: times as ISO 8601 text, enums as values
    converter.omit_if_default = False  # output keeps every key, null or not
    for cls, names in OMITTED.items():
        omit: dict[str, Any] = dict.fromkeys(names, override(omit=True))
        converter.register_unstructure_hook(cls, make_dict_unstructure_fn(cls, converter, **omit))
    # Evidence values are JSON scalars (anything else goes through the converter, as before).
    converter.register_unstructure_hook_func(lambda tp: tp == EvidenceValue, _scalar(converter))
    converter.register_unstructure_hook(
        Finding,  # its id is derived (init=False), and is part of the output
        make_dict_unstructure_fn(Finding, converter, _cattrs_include_init_false=True),
    )
    return converter


def finding_dict(f: Finding) -> FindingDict:
    """
    A finding as a JSON-ready dict, with the keys in ``FINDING_FIELDS`` order.

    `load_finding` reads it back: ``load_finding(dump_finding(f)) == f``.
    """
    result: FindingDict = output_converter().unstructure(f, Finding)
    return result


def finding_line(f: Finding) -> str:
    """
    A finding's NDJSON line, with its newline: `finding_dict` written by orjson.

    Made from the finding's fields without the dict's extra conversions: statuses,
    severities and sources go to orjson as they are, which writes them as the same JSON.
    """
    return orjson.dumps(_line_fields()(f), option=orjson.OPT_APPEND_NEWLINE).decode()


def _same(value: Any) -> Any:
    return value


@cache
def _line_fields() -> Callable[[Finding], dict[str, Any]]:
    """A finding's fields as `finding_line` gives them to orjson (made on first use)."""
    converter = output_converter().copy()
    converter.register_unstructure_hook(Vocabulary, _same)  # orjson writes an enum's value
    converter.register_unstructure_hook_func(lambda tp: tp == tuple[str, ...], _same)
    evidence = converter.get_unstructure_hook(Evidence)
    converter.register_unstructure_hook_func(
        lambda tp: tp == tuple[Evidence, ...], lambda items: [evidence(e) for e in items]
    )
    fields: Callable[[Finding], dict[str, Any]] = make_dict_unstructure_fn(
        Finding, converter, _cattrs_include_init_false=True
    )
    return fields


def fault_dict(f: RuleFault) -> RuleErrorDict:
    """A rule fault as a JSON-ready dict."""
    return cast("RuleErrorDict", {"kind": "rule", **output_converter().unstructure(f, RuleFault)})


def waiver_dict(w: Waiver) -> WaiverDict:
    """A waiver as a JSON-ready dict; its reason is left out, as it may describe the person."""
    result: WaiverDict = output_converter().unstructure(w, Waiver)
    return result


def waived_dict(finding: Finding, waiver: Waiver) -> WaivedDict:
    """A finding *waiver* set aside as a JSON-ready dict, the waiver without its reason."""
    waived = WaivedFinding(finding, waiver)
    result: WaivedDict = output_converter().unstructure(waived, WaivedFinding)
    return result


def bad_record_dict(record: BadRecord) -> RecordErrorDict:
    """A record that could not be loaded as a JSON-ready dict, as ``check`` reports it."""
    fields = output_converter().unstructure(record, BadRecord)
    return cast("RecordErrorDict", {"kind": "record", **fields})


def report_document(
    at: str,
    findings: list[FindingDict],
    errors: list[RecordErrorDict | RuleErrorDict],
    *,
    waived: list[WaivedDict],
    waivers_unused: Iterable[Waiver],
    waivers_expired: Iterable[Waiver],
) -> ReportDict:
    """The report document from its parts, as ``check --format json`` writes it."""
    return {
        "at": at,
        "findings": findings,
        "waived": waived,
        "errors": errors,
        "waivers_unused": [waiver_dict(w) for w in waivers_unused],
        "waivers_expired": [waiver_dict(w) for w in waivers_expired],
    }


def dump_report(report: Report, bad_records: Iterable[BadRecord] = ()) -> ReportDict:
    """
    *report* as a JSON-ready dict in the ``check --format json`` shape.

    The errors are the *bad_records* (say, from `trauma_incidents.loading.partition`), then
    the report's rule faults. Findings a waiver set aside are listed under ``waived`` with
    their waivers; the unused waivers are split into those in force at the report's time
    (``waivers_unused``) and those that had expired (``waivers_expired``), as in ``check``.

    >>> from datetime import datetime, timezone
    >>> from trauma_incidents import Report
    >>> dumped = dump_report(Report(at=datetime(2026, 3, 10, tzinfo=timezone.utc)))
    >>> dumped["at"], dumped["findings"], dumped["waived"], dumped["waivers_expired"]
    ('2026-03-10T00:00:00+00:00', [], [], [])
    """
    errors: list[RecordErrorDict | RuleErrorDict] = [bad_record_dict(r) for r in bad_records]
    errors += [fault_dict(f) for f in report.faults]
    at, unused = report.at, report.waivers_unused
    return report_document(
        at.isoformat(),
        [finding_dict(f) for f in report.findings],
        errors,
        waived=[waived_dict(w.finding, w.waiver) for w in report.waived],
        waivers_unused=[w for w in unused if w.active(at)],
        waivers_expired=[w for w in unused if not w.active(at)],
    )


def load_finding(data: bytes | str | Mapping[str, Any]) -> Finding:
    """
    Load a finding from JSON text or a parsed object, as `dump_finding` writes it.

    Raises:
        FindingLoadError: With every problem found, each with its JSON path; an ``id``
            that is not the one its rule, incident and key give is a problem.
    """
    try:
        obj = parse_json(data) if isinstance(data, bytes | str) else data
    except IncidentLoadError as e:
        raise FindingLoadError(e.problems) from None
    try:
        finding: Finding = loader().structure(obj, Finding)
    except Exception as exc:  # noqa: BLE001 (rendered as problems, never re-raised)
        raise FindingLoadError(render_error(exc)) from None
    return finding


def load_finding_hook(converter: Converter) -> Any:
    """A structure hook for `Finding` that accepts its derived ``id`` and checks it."""
    fields = converter.get_structure_hook(Finding)

    def structure(value: Any, _: Any) -> Finding:
        if not isinstance(value, Mapping):
            expected = "an object"
            raise Mismatch(expected, describe_type(value))
        rest = {k: v for k, v in value.items() if k != "id"}
        finding: Finding = fields(rest, Finding)
        if "id" in value and value["id"] != finding.id:
            msg = "the id is not the one the rule, incident id and key give"
            raise InvalidValueError(msg, "id", value["id"])
        return finding

    return structure


@cache
def loader() -> Converter:
    """The format's converter, reading findings with their derived ids (checked)."""
    converter = make_converter()
    converter.register_structure_hook(Finding, load_finding_hook(converter))
    return converter
