"""
Reading a file of records kept beside incidents: one JSON object with arrays, or NDJSON.

Governance records and support plans are read alike. As with incidents, a bad record never
stops the file: it becomes a `BadRecord` naming the source, its place and each problem's JSON
path, and the good records are kept. A second record of an array with the same id is a
`BadRecord` (the first is kept). Messages name types and paths, never free text.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import IO, Any

import attrs
import orjson
from cattrs.preconf.orjson import OrjsonConverter

from trauma_incidents.errors import IncidentLoadError, LoadProblem
from trauma_incidents.loading._batch import BadRecord, Source
from trauma_incidents.loading._converter import make_converter
from trauma_incidents.loading._record import parse_json, render_error

__all__ = ["RecordFile", "read_records"]

_BOM = b"\xef\xbb\xbf"
_MAX_ID = 64


@attrs.frozen(kw_only=True)
class RecordFile:
    """
    What one kind of file holds, and how its two forms are told apart.

    Attributes:
        noun: What the file is called in messages (``a governance file``).
        arrays: The object form's arrays, each with the class of its records.
        record_types: NDJSON ``record_type`` values, each with its array; empty when every
            line is a record of the only array and carries no ``record_type``.
        object_form: Whether a document that is one JSON object is the object form (else it
            is a one-line NDJSON file).
        check: The problems of a record structured at a path that its fields alone allow.
    """

    noun: str
    arrays: Mapping[str, type]
    record_types: Mapping[str, str]
    object_form: Callable[[dict[str, Any]], bool]
    check: Callable[[Any, str], list[LoadProblem]]

    @property
    def top_keys(self) -> frozenset[str]:
        """The keys of the object form."""
        return frozenset({*self.arrays, "schema_version"})


def read_records(
    source: Source, kind: RecordFile, *, ignore_unknown_keys: bool, source_name: str | None
) -> Iterator[Any | BadRecord]:
    """
    Yield each record of *source*, a file of *kind*, in order, or a `BadRecord` saying why not.

    Raises:
        OSError: When a path cannot be opened or read. Bad data never raises.
    """
    name, data = _read_all(source, source_name)
    data = data.removeprefix(_BOM)
    seen: set[tuple[str, str]] = set()
    for found in _records(data, name, kind, ignore=ignore_unknown_keys):
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
    record: Any
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


def _records(data: bytes, name: str, kind: RecordFile, *, ignore: bool) -> Iterator[_Found]:
    if not data.strip():
        return
    try:
        whole = orjson.loads(data)
    except orjson.JSONDecodeError:
        whole = None
        if not _looks_like_ndjson(data):
            yield _whole_error(data, name)
            return
    if isinstance(whole, dict) and kind.object_form(whole):
        yield from _object_form(whole, name, kind, ignore=ignore)
    elif whole is not None and not isinstance(whole, dict):
        message = f"expected an object with {_listing(list(kind.arrays))}"
        yield BadRecord((LoadProblem("$", message, name),), source=name)
    else:
        yield from _ndjson(io.BytesIO(data), name, kind, ignore=ignore)


def _listing(words: list[str]) -> str:
    return " and ".join(filter(None, [", ".join(words[:-1]), words[-1]]))


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


def _object_form(
    doc: dict[str, Any], name: str, kind: RecordFile, *, ignore: bool
) -> Iterator[_Found]:
    problems = []
    if not ignore:
        problems += [
            LoadProblem(f"$.{key}", f"unknown field ({kind.noun} has no such field)", name)
            for key in sorted(set(doc) - kind.top_keys)
        ]
    if doc.get("schema_version", "1") != "1":
        problems.append(LoadProblem("$.schema_version", 'expected "1"', name))
    for array in kind.arrays:
        if not isinstance(doc.get(array, []), list):
            problems.append(LoadProblem(f"$.{array}", "expected an array", name))
    if problems:
        yield BadRecord(tuple(problems), source=name)
    for array in kind.arrays:
        items = doc.get(array, [])
        for index, obj in enumerate(items if isinstance(items, list) else []):
            path = f"$.{array}[{index}]"
            yield _load(obj, array, kind, name, path, index=index, ignore=ignore)


def _ndjson(stream: IO[bytes], name: str, kind: RecordFile, *, ignore: bool) -> Iterator[_Found]:
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            obj = parse_json(raw.rstrip(), first_line=number)
        except IncidentLoadError as exc:
            problems = tuple(attrs.evolve(p, source=name, line=number) for p in exc.problems)
            yield BadRecord(problems, source=name, line=number)
            continue
        yield _ndjson_record(obj, name, number, kind, ignore=ignore)


def _ndjson_record(obj: Any, name: str, line: int, kind: RecordFile, *, ignore: bool) -> _Found:
    if not kind.record_types:
        (array,) = kind.arrays
        return _load(obj, array, kind, name, "$", line=line, ignore=ignore)
    record_type = obj.get("record_type") if isinstance(obj, dict) else None
    if not isinstance(record_type, str) or record_type not in kind.record_types:
        expected = ", ".join(f'"{t}"' for t in kind.record_types)
        found = "missing" if isinstance(obj, dict) and record_type is None else "not in that list"
        message = f"expected one of {expected} ({found})"
        path = "$.record_type" if isinstance(obj, dict) else "$"
        return BadRecord(
            (LoadProblem(path, message, name, line),), source=name, line=line, incident_id=_id(obj)
        )
    rest = {k: v for k, v in obj.items() if k != "record_type"}
    array = kind.record_types[record_type]
    return _load(rest, array, kind, name, "$", line=line, ignore=ignore)


def _load(
    obj: Any,
    array: str,
    kind: RecordFile,
    name: str,
    path: str,
    *,
    ignore: bool,
    line: int | None = None,
    index: int | None = None,
) -> _Found:
    cls = kind.arrays[array]
    try:
        record = _converter(ignore=ignore).get_structure_hook(cls)(obj, cls)
    except Exception as exc:  # noqa: BLE001 (rendered as problems, never re-raised)
        problems = render_error(exc, path)
    else:
        problems = kind.check(record, path)
        if not problems:
            return _Loaded(array, record, path, line, index)
    where = line if index is None else index + 1
    placed = tuple(attrs.evolve(p, source=name, line=where) for p in problems)
    return BadRecord(placed, source=name, line=line, index=index, incident_id=_id(obj))


@cache
def _converter(*, ignore: bool) -> OrjsonConverter:
    return make_converter(forbid_extra_keys=not ignore)


def _id(obj: Any) -> str | None:
    value = obj.get("id") if isinstance(obj, dict) else None
    return value if isinstance(value, str) and len(value) <= _MAX_ID else None
