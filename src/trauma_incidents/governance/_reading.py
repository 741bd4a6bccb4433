"""
Reading a governance file: one JSON object with three arrays, or NDJSON with ``record_type``.

As with incidents, a bad record never stops the file: it becomes a `BadRecord` naming the
source, its place and each problem's JSON path, and the good records are kept. Messages name
types and paths, never free text.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from functools import cache
from typing import IO, Any

import attrs
import orjson
from cattrs.preconf.orjson import OrjsonConverter

from trauma_incidents.errors import IncidentLoadError, LoadProblem
from trauma_incidents.governance._records import (
    GovernanceRecord,
    IncidentReviewMeeting,
    SupervisionSession,
    ThematicReview,
)
from trauma_incidents.loading._batch import BadRecord, Source
from trauma_incidents.loading._converter import make_converter
from trauma_incidents.loading._record import parse_json, render_error

__all__ = ["RECORD_TYPES", "read_governance"]

_Record = IncidentReviewMeeting | SupervisionSession | ThematicReview

#: NDJSON ``record_type`` values, with the array (object form) and class of each.
RECORD_TYPES: dict[str, tuple[str, type[_Record]]] = {
    "meeting": ("meetings", IncidentReviewMeeting),
    "supervision": ("supervisions", SupervisionSession),
    "thematic_review": ("thematic_reviews", ThematicReview),
}
_ARRAYS = dict(RECORD_TYPES.values())
_TOP_KEYS = {*_ARRAYS, "schema_version"}
_BOM = b"\xef\xbb\xbf"
_MAX_ID = 64


def read_governance(
    source: Source, *, ignore_unknown_keys: bool = False, source_name: str | None = None
) -> Iterator[GovernanceRecord | BadRecord]:
    """
    Yield each governance record of *source* in order, or a `BadRecord` saying why not.

    The same shape as `trauma_incidents.loading.read_incidents`; gather the good records with
    `GovernanceRecords.from_records` (`trauma_incidents.loading.partition` splits the two).
    A document that is one JSON object without ``record_type`` is the object form
    (``{"meetings": [...], "supervisions": [...], "thematic_reviews": [...]}``, yielded array
    by array); anything else is NDJSON, one record per line, each with ``record_type``
    (``meeting``, ``supervision`` or ``thematic_review``). Problem paths are
    ``$.meetings[2].held_at`` in the object form and ``$.held_at`` (with the line) in NDJSON.
    A second record of a kind with the same id is a `BadRecord` (the first is kept).

    Raises:
        OSError: When a path cannot be opened or read. Bad data never raises.
    """
    name, data = _read_all(source, source_name)
    data = data.removeprefix(_BOM)
    seen: set[tuple[str, str]] = set()
    for found in _records(data, name, ignore_unknown_keys=ignore_unknown_keys):
        if isinstance(found, BadRecord):
            yield found
        elif (found.array, found.record.id) in seen:
            yield _duplicate(found, name)
        else:
            seen.add((found.array, found.record.id))
            yield found.record


@attrs.frozen
class _Loaded:
    """A record read, with the array it belongs to and where it was."""

    array: str
    record: _Record
    path: str
    line: int | None
    index: int | None


def _duplicate(found: _Loaded, name: str) -> BadRecord:
    message = f"duplicate id in {found.array} (the first record with this id is kept)"
    problem = LoadProblem(f"{found.path}.id", message, name, found.line)
    return BadRecord(
        (problem,), source=name, line=found.line, index=found.index, incident_id=found.record.id
    )


def _read_all(source: Source, source_name: str | None) -> tuple[str, bytes]:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as stream:  # noqa: PTH123 (str paths are as welcome as Path)
            return source_name or os.fspath(source), stream.read()
    if isinstance(source, bytes | bytearray):
        return source_name or "<bytes>", bytes(source)
    name = getattr(source, "name", None)
    return source_name or (name if isinstance(name, str) else "<stream>"), source.read()


_Found = _Loaded | BadRecord


def _records(data: bytes, name: str, *, ignore_unknown_keys: bool) -> Iterator[_Found]:
    if not data.strip():
        return
    try:
        whole = orjson.loads(data)
    except orjson.JSONDecodeError:
        whole = None
        if not _looks_like_ndjson(data):
            yield _whole_error(data, name)
            return
    if isinstance(whole, dict) and "record_type" not in whole:
        yield from _object_form(whole, name, ignore_unknown_keys=ignore_unknown_keys)
    elif whole is not None and not isinstance(whole, dict):
        message = "expected an object with meetings, supervisions and thematic_reviews"
        yield BadRecord((LoadProblem("$", message, name),), source=name)
    else:
        yield from _ndjson(io.BytesIO(data), name, ignore_unknown_keys=ignore_unknown_keys)


def _looks_like_ndjson(data: bytes) -> bool:
    first = next(line for line in data.splitlines() if line.strip())
    try:
        return isinstance(orjson.loads(first), dict)
    except orjson.JSONDecodeError:
        return False


def _whole_error(data: bytes, name: str) -> BadRecord:
    try:
        parse_json(data)
    except IncidentLoadError as exc:
        problems = tuple(attrs.evolve(p, source=name) for p in exc.problems)
        return BadRecord(problems, source=name)
    raise AssertionError  # pragma: no cover (only called when the data does not parse)


def _object_form(doc: dict[str, Any], name: str, *, ignore_unknown_keys: bool) -> Iterator[_Found]:
    problems = []
    if not ignore_unknown_keys:
        problems += [
            LoadProblem(f"$.{key}", "unknown field (a governance file has no such field)", name)
            for key in sorted(set(doc) - _TOP_KEYS)
        ]
    if doc.get("schema_version", "1") != "1":
        problems.append(LoadProblem("$.schema_version", 'expected "1"', name))
    for array in _ARRAYS:
        if not isinstance(doc.get(array, []), list):
            problems.append(LoadProblem(f"$.{array}", "expected an array", name))
    if problems:
        yield BadRecord(tuple(problems), source=name)
    for array, cls in _ARRAYS.items():
        items = doc.get(array, [])
        for index, obj in enumerate(items if isinstance(items, list) else []):
            path = f"$.{array}[{index}]"
            yield _load(obj, array, cls, name, path, index=index, ignore=ignore_unknown_keys)


def _ndjson(stream: IO[bytes], name: str, *, ignore_unknown_keys: bool) -> Iterator[_Found]:
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            obj = parse_json(raw.rstrip(), first_line=number)
        except IncidentLoadError as exc:
            problems = tuple(attrs.evolve(p, source=name, line=number) for p in exc.problems)
            yield BadRecord(problems, source=name, line=number)
            continue
        yield _ndjson_record(obj, name, number, ignore_unknown_keys=ignore_unknown_keys)


def _ndjson_record(obj: Any, name: str, line: int, *, ignore_unknown_keys: bool) -> _Found:
    kind = obj.get("record_type") if isinstance(obj, dict) else None
    if not isinstance(kind, str) or kind not in RECORD_TYPES:
        expected = ", ".join(f'"{t}"' for t in RECORD_TYPES)
        found = "missing" if isinstance(obj, dict) and kind is None else "not in that list"
        message = f"expected one of {expected} ({found})"
        path = "$.record_type" if isinstance(obj, dict) else "$"
        return BadRecord(
            (LoadProblem(path, message, name, line),), source=name, line=line, incident_id=_id(obj)
        )
    array, cls = RECORD_TYPES[kind]
    rest = {k: v for k, v in obj.items() if k != "record_type"}
    return _load(rest, array, cls, name, "$", line=line, ignore=ignore_unknown_keys)


def _load(
    obj: Any,
    array: str,
    cls: type[_Record],
    name: str,
    path: str,
    *,
    ignore: bool,
    line: int | None = None,
    index: int | None = None,
) -> _Found:
    try:
        record = _structure(cls, ignore=ignore)(obj, cls)
    except Exception as exc:  # noqa: BLE001 (rendered as problems, never re-raised)
        problems = render_error(exc, path)
    else:
        problems = _check(record, path)
        if not problems:
            return _Loaded(array, record, path, line, index)
    where = line if index is None else index + 1
    placed = tuple(attrs.evolve(p, source=name, line=where) for p in problems)
    return BadRecord(placed, source=name, line=line, index=index, incident_id=_id(obj))


def _structure(cls: type[_Record], *, ignore: bool) -> Any:
    return _converter(ignore=ignore).get_structure_hook(cls)


@cache
def _converter(*, ignore: bool) -> OrjsonConverter:
    return make_converter(forbid_extra_keys=not ignore)


def _check(record: _Record, path: str) -> list[LoadProblem]:
    if isinstance(record, ThematicReview) and record.period_to < record.period_from:
        message = f"must not be before period_from ({record.period_from.isoformat()})"
        return [LoadProblem(f"{path}.period_to", message)]
    return []


def _id(obj: Any) -> str | None:
    value = obj.get("id") if isinstance(obj, dict) else None
    return value if isinstance(value, str) and len(value) <= _MAX_ID else None
