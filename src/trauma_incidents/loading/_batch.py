"""
Reading many incidents: a JSON array or NDJSON, with a `BadRecord` for each bad record.

A bad record never stops the batch and never raises: its problems are reported with its
place (source and line for NDJSON, position for an array) and reading carries on. NDJSON is
streamed line by line in constant memory; an array is parsed whole, as orjson needs.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import IO, Any, TypeVar, final

import attrs

from trauma_incidents.errors import IncidentLoadError, InvalidArgument, LoadProblem
from trauma_incidents.loading._record import load_record, parse_json
from trauma_incidents.model._incident import Incident

__all__ = ["BadRecord", "Source", "partition", "read_incidents"]

_T = TypeVar("_T")

#: Where `read_incidents` reads from: a path, the bytes themselves, or a binary stream.
Source = str | os.PathLike[str] | bytes | bytearray | IO[bytes]

_BOM = b"\xef\xbb\xbf"
#: The largest NDJSON record loaded: far above a real incident (a few KB), far below what
#: could exhaust memory once parsed. A longer line is one `BadRecord`, without parsing.
MAX_RECORD_BYTES = 16 * 2**20
_MAX_ID = 64


@final
@attrs.frozen
class BadRecord:
    """
    A record that could not be loaded, and why.

    Attributes:
        problems: Every problem found in the record, each carrying `source` and a line (the
            NDJSON line, or the 1-based position in an array).
        source: The file name, ``<stdin>``, ``<bytes>`` or ``<stream>``.
        line: The record's line in an NDJSON source; ``None`` in an array.
        index: The record's 0-based index in an array source; ``None`` in NDJSON.
        incident_id: The record's ``id`` when it has a readable one, to find it by.
    """

    problems: tuple[LoadProblem, ...]
    source: str | None = None
    line: int | None = None
    index: int | None = None
    incident_id: str | None = None

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def partition(items: Iterable[_T | BadRecord]) -> tuple[tuple[_T, ...], tuple[BadRecord, ...]]:
    """
    Split what a reader yields into the good records and the `BadRecord` values, each in order.

    >>> from trauma_incidents.loading import partition, read_incidents
    >>> incidents, bad = partition(read_incidents(b'{"id": 1}'))
    >>> (len(incidents), len(bad), bad[0].problems[0].path)
    (0, 1, '$.id')
    """
    good: list[_T] = []
    bad: list[BadRecord] = []
    for item in items:
        if isinstance(item, BadRecord):
            bad.append(item)
        else:
            good.append(item)
    return tuple(good), tuple(bad)


def read_incidents(
    source: Source, *, ignore_unknown_keys: bool = False, source_name: str | None = None
) -> Iterator[Incident | BadRecord]:
    """
    Yield each record of *source* in order: an `Incident`, or a `BadRecord` saying why not.

    The format is detected from the first character that is not white space: ``[`` starts a
    JSON array, anything else is NDJSON (one object per line; blank lines are skipped).

    Args:
        source: A path (`str` or `os.PathLike`), the bytes of a file, or a binary stream
            such as ``sys.stdin.buffer``.
        ignore_unknown_keys: Skip keys the format does not define instead of reporting them.
        source_name: The name used in problems; by default the path or the stream's name.

    Raises:
        OSError: When a path cannot be opened or read. Bad data never raises. A `str` path
            that cannot be opened is not named in the error (a `str` may be record data
            passed by mistake); an `os.PathLike` one is.
        InvalidArgument: *source* is a `str` that starts like JSON: pass its bytes instead.
    """
    if isinstance(source, str | os.PathLike):
        with _open(source) as stream:
            name = source_name or os.fspath(source)
            yield from _read_stream(stream, name, ignore_unknown_keys=ignore_unknown_keys)
    elif isinstance(source, bytes | bytearray):
        name = source_name or "<bytes>"
        yield from _read_stream(io.BytesIO(source), name, ignore_unknown_keys=ignore_unknown_keys)
    else:
        name = source_name or _stream_name(source)
        yield from _read_stream(source, name, ignore_unknown_keys=ignore_unknown_keys)


def _open(path: str | os.PathLike[str]) -> IO[bytes]:
    """Open *path*; a `str` that is not a path never appears in the exception."""
    if not isinstance(path, str):
        return open(path, "rb")  # noqa: PTH123 (the caller closes it)
    if path.lstrip()[:1] in ("{", "["):
        msg = "read_incidents takes a str as a path; this one starts like JSON: pass its bytes"
        raise InvalidArgument(msg)
    try:
        return open(path, "rb")  # noqa: PTH123 (str paths are as welcome as Path)
    except OSError as e:
        raise type(e)(e.errno, e.strerror) from None


def _stream_name(stream: IO[bytes]) -> str:
    name = getattr(stream, "name", None)
    return name if isinstance(name, str) else "<stream>"


def _read_stream(
    stream: IO[bytes], name: str, *, ignore_unknown_keys: bool
) -> Iterator[Incident | BadRecord]:
    start = first_record(stream)
    if start is not None:
        yield from read_from(start, stream, name, ignore_unknown_keys=ignore_unknown_keys)


@final
@attrs.frozen
class Oversized:
    """A line over `MAX_RECORD_BYTES`, in place of its bytes: only its *size* was kept."""

    size: int


#: An NDJSON line as `numbered_lines` gives it: its bytes, or its size when too large.
Line = bytes | Oversized
#: How much of an oversized line is read at a time while skipping it.
_PIECE = 2**20


def numbered_lines(stream: IO[bytes], start: int = 1) -> Iterator[tuple[int, Line]]:
    """
    The lines of *stream*, numbered from *start*, as iterating over it would split them.

    A line over `MAX_RECORD_BYTES` is skipped in pieces and given as `Oversized`, so no
    line longer than the limit is ever held (``head -c 3G /dev/zero`` stays small).
    """
    number = start
    while line := stream.readline(MAX_RECORD_BYTES + 1):
        if len(line) > MAX_RECORD_BYTES:
            yield number, Oversized(len(line) + (0 if line.endswith(b"\n") else skip_line(stream)))
        else:
            yield number, line
        number += 1


def skip_line(stream: IO[bytes]) -> int:
    """Read *stream* past the end of the current line, in pieces; the bytes skipped."""
    size = 0
    while piece := stream.readline(_PIECE):
        size += len(piece)
        if piece.endswith(b"\n"):
            break
    return size


#: Where the records of a source start: the first line that is not blank (without a byte
#: order mark), its number, and the lines after it.
Start = tuple[int, Line, Iterator[tuple[int, Line]]]


def first_record(stream: IO[bytes]) -> Start | None:
    """Skip a byte order mark and blank lines; `None` when nothing else is left."""
    lines = numbered_lines(stream)
    for number, raw in lines:
        first = raw.removeprefix(_BOM) if number == 1 and isinstance(raw, bytes) else raw
        if not _blank(first):
            return number, first, lines
    return None


def starts_array(start: Start) -> bool:
    """Whether the source whose records start at *start* is a JSON array."""
    first = start[1]
    return isinstance(first, bytes) and first.lstrip().startswith(b"[")


def read_from(
    start: Start, stream: IO[bytes], name: str, *, ignore_unknown_keys: bool = False
) -> Iterator[Incident | BadRecord]:
    """The records of *stream* from *start* on: a JSON array's, or NDJSON's line by line."""
    number, first, lines = start
    if starts_array(start) and isinstance(first, bytes):  # the second says it to mypy
        data = first + stream.read()
        yield from _read_array(data, name, number, ignore_unknown_keys=ignore_unknown_keys)
    else:
        numbered = chain([(number, first)], lines)
        yield from read_ndjson_lines(numbered, name, ignore_unknown_keys=ignore_unknown_keys)


def _blank(raw: Line) -> bool:
    return isinstance(raw, bytes) and (not raw or raw.isspace())


def read_ndjson_lines(
    lines: Iterable[tuple[int, Line]], name: str, *, ignore_unknown_keys: bool = False
) -> Iterator[Incident | BadRecord]:
    """Load numbered NDJSON lines (``(line number, bytes)``), as `read_incidents` would."""
    for number, raw in lines:
        if _blank(raw):
            continue
        if isinstance(raw, Oversized) or len(raw) > MAX_RECORD_BYTES:
            yield _too_large(raw, name, number)
            continue
        try:
            obj = parse_json(raw.rstrip(), first_line=number)  # an error's column stays on the line
        except IncidentLoadError as exc:
            yield _record_error(exc, None, name, line=number)
            continue
        yield _load(obj, name, ignore_unknown_keys=ignore_unknown_keys, line=number)


def _too_large(raw: Line, name: str, number: int) -> BadRecord:
    n = raw.size if isinstance(raw, Oversized) else len(raw)
    size = f"{n / 2**20:.0f} MiB, over the limit of {MAX_RECORD_BYTES // 2**20} MiB"
    too_large = IncidentLoadError([LoadProblem("$", f"record too large ({size})")])
    return _record_error(too_large, None, name, line=number)


def _read_array(
    data: bytes, name: str, first_line: int, *, ignore_unknown_keys: bool
) -> Iterator[Incident | BadRecord]:
    try:
        records = parse_json(data, first_line=first_line)
    except IncidentLoadError as exc:
        yield _record_error(exc, None, name)
        return
    for index, obj in enumerate(records):
        yield _load(obj, name, ignore_unknown_keys=ignore_unknown_keys, index=index)


def _load(
    obj: Any,
    name: str,
    *,
    ignore_unknown_keys: bool,
    line: int | None = None,
    index: int | None = None,
) -> Incident | BadRecord:
    try:
        return load_record(obj, ignore_unknown_keys=ignore_unknown_keys)
    except IncidentLoadError as exc:
        return _record_error(exc, obj, name, line=line, index=index)


def _record_error(
    exc: IncidentLoadError,
    obj: Any,
    name: str,
    *,
    line: int | None = None,
    index: int | None = None,
) -> BadRecord:
    where = line if index is None else index + 1
    problems = tuple(attrs.evolve(p, source=name, line=where) for p in exc.problems)
    incident_id = obj.get("id") if isinstance(obj, dict) else None
    if not isinstance(incident_id, str) or len(incident_id) > _MAX_ID:
        incident_id = None
    return BadRecord(problems, source=name, line=line, index=index, incident_id=incident_id)
