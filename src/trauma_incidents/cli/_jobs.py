"""
Evaluating a stream of records in chunks, in this process or in worker processes.

``check`` reads records in chunks, evaluates each chunk and writes results in input order.
With ``--jobs N`` the chunks of NDJSON go to N worker processes, which parse, load and
evaluate them (loading costs more than evaluating, so it must be parallel too). From a file,
a chunk is a `Span` of it that the worker reads itself, so the parent only finds where lines
end; from a pipe, a chunk is the lines themselves. A chunk holds at most `CHUNK` records and
about `SPAN_BYTES` bytes (plus one line of at most ``MAX_RECORD_BYTES``: a longer one is
skipped, never sent), and at most two chunks per worker are in flight, so memory stays
bounded however long the input and its lines. When the output format can render one
finding on its own (NDJSON), workers send each incident's findings as their text, which is
cheaper to send than the findings and leaves the parent only writing it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from io import BytesIO
from itertools import islice
from typing import IO, TYPE_CHECKING

from attrs import frozen

from trauma_incidents.backends import Engine, make_engine
from trauma_incidents.engine._findings_report import RuleFault
from trauma_incidents.engine._ruleset import RuleSet, apply_waivers, check_time
from trauma_incidents.loading import _batch
from trauma_incidents.loading._batch import (
    BadRecord,
    Line,
    Oversized,
    numbered_lines,
    read_ndjson_lines,
)
from trauma_incidents.model._extensions import extended
from trauma_incidents.model._incident import Incident
from trauma_incidents.rules._context import Context
from trauma_incidents.rules._findings import Finding, Status

if TYPE_CHECKING:
    from concurrent.futures import Future

#: Records per chunk: large enough to amortise a round trip, small enough to stream.
CHUNK = 2000
#: Bytes per chunk (about 2,000 records of the format's usual size).
SPAN_BYTES = 2 * 2**20

#: Numbered NDJSON lines, as `numbered_lines` gives them.
Lines = list[tuple[int, Line]]
#: Renders one finding as an output format writes it (a module-level function: it is pickled).
Render = Callable[[Finding], str]
#: The collector's thresholds during a run (Python's default is 700, 10, 10).
RUN_THRESHOLDS = (50_000, 20, 100)


@frozen
class Rendered:
    """
    An incident's findings as the output's text, rendered in a worker.

    Attributes:
        text: The findings as the writer renders them, in order.
        counted: Each finding's status and rule, for the tally.
    """

    text: str
    counted: tuple[tuple[Status, str], ...]


@frozen
class Evaluated:
    """
    One incident's results, after waivers (only incidents with something to report).

    ``findings`` are `Rendered` when a worker rendered them. ``waived`` holds each finding
    a waiver set aside, with the waiver's index in the configuration (an index, not the
    waiver, keeps results small to send from a worker).
    """

    findings: tuple[Finding, ...] | Rendered
    waived: tuple[tuple[Finding, int], ...]
    faults: tuple[RuleFault, ...]


@frozen
class ChunkResult:
    """
    The results of one chunk and the waivers (by index) it used.

    Attributes:
        incidents: How many incidents were evaluated.
        ids: Their ids, in input order (the caller finds repeated ids across chunks).
        outcomes: In input order, the bad records and the incidents with findings, waived
            findings or faults, each with the number of incidents before it in the chunk;
            the other incidents (most) are only counted, which keeps the results small to
            send back from a worker.
        used_waivers: The indexes of the waivers that matched.
    """

    incidents: int
    ids: tuple[str, ...]
    outcomes: tuple[tuple[int, Evaluated | BadRecord], ...]
    used_waivers: frozenset[int]


def evaluate_records(
    ruleset: RuleSet,
    at: datetime,
    records: Iterable[Incident | BadRecord],
    *,
    engine: Engine | None = None,
    render: Render | None = None,
    context: Context | None = None,
) -> ChunkResult:
    """
    Evaluate the incidents among *records*; bad records pass through in place.

    Per-incident rules run on *engine* (the rule set itself by default), those that read
    the context with *context*; waivers apply. With *render*, each incident's findings are
    sent as `Rendered` text.
    """
    check_time(at)
    check = (engine or ruleset).checker(context)
    waivers = ruleset.waivers
    ids: list[str] = []
    outcomes: list[tuple[int, Evaluated | BadRecord]] = []
    used: set[int] = set()
    for record in records:
        if isinstance(record, BadRecord):
            outcomes.append((len(ids), record))
            continue
        ids.append(record.id)
        findings, faults = check(record, at)  # per-incident rules only
        if not findings and not faults:
            continue
        kept, waived, _ = apply_waivers(findings, waivers, at)
        pairs = tuple((w.finding, waivers.index(w.waiver)) for w in waived)
        out = tuple(kept) if render is None else _rendered(kept, render)
        outcomes.append((len(ids) - 1, Evaluated(out, pairs, tuple(faults))))
        used |= {i for _, i in pairs}
    return ChunkResult(len(ids), tuple(ids), tuple(outcomes), frozenset(used))


def _rendered(findings: list[Finding], render: Render) -> Rendered:
    text = "".join([render(f) for f in findings])
    return Rendered(text, tuple((f.status, f.rule) for f in findings))


def evaluate_in_chunks(
    ruleset: RuleSet,
    at: datetime,
    records: Iterable[Incident | BadRecord],
    *,
    engine: Engine | None = None,
    keep: list[Incident] | None = None,
    context: Context | None = None,
) -> Iterator[ChunkResult]:
    """
    `evaluate_records` over *records*, `CHUNK` at a time, in this process.

    Each record is evaluated as soon as it is loaded, while its objects are still in the
    processor's cache (measurably faster than loading a whole chunk first). The incidents
    are also appended to *keep*, if given (for cross-incident rules).
    """
    it = iter(records)
    if keep is not None:
        it = _kept(it, keep)
    while True:
        result = evaluate_records(ruleset, at, islice(it, CHUNK), engine=engine, context=context)
        if not result.incidents and not result.outcomes:
            return
        yield result


def _kept(
    records: Iterator[Incident | BadRecord], keep: list[Incident]
) -> Iterator[Incident | BadRecord]:
    for record in records:
        if isinstance(record, Incident):
            keep.append(record)
        yield record


@frozen
class _Worker:
    """What one worker process needs; its engine is built there (engines do not pickle)."""

    ruleset: RuleSet
    at: datetime
    name: str
    engine: Engine
    render: Render | None


# Worker state: set once per worker process by the initializer.
_worker: _Worker | None = None


def _init_worker(
    ruleset: RuleSet, at: datetime, name: str, backend: str, render: Render | None
) -> None:
    """Set up a worker; its collector runs as the parent's does during a run (`_check`)."""
    global _worker  # noqa: PLW0603 (one per worker process, set once)
    _worker = _Worker(ruleset, at, name, make_engine(ruleset, backend), render)
    gc.freeze()
    gc.set_threshold(*RUN_THRESHOLDS)


@frozen
class Span:
    """Whole lines of an NDJSON file: *size* bytes from *offset*, the first on *first_line*."""

    path: str
    offset: int
    size: int
    first_line: int

    def lines(self) -> Iterator[tuple[int, Line]]:
        """The span's numbered lines, split as iterating over the file would split them."""
        with open(self.path, "rb") as f:  # noqa: PTH123 (a path given on the command line)
            f.seek(self.offset)
            data = f.read(self.size)
        return numbered_lines(BytesIO(data), self.first_line)


def file_spans(stream: IO[bytes], path: str, first_line: int) -> Iterator[Span | Lines]:
    """
    Cut the NDJSON file open as *stream* into spans of whole lines, from where it is.

    *first_line* is the number of the line there. A line over the record size limit is
    skipped here and sent as `Oversized`, so no span holds more than one limit's worth.
    """
    offset, pending = stream.tell(), b""
    while block := stream.read(SPAN_BYTES):
        pending += block
        cut = pending.rfind(b"\n") + 1
        if cut:  # else one line is longer than a block: read on
            yield Span(path, offset, cut, first_line)
            first_line += pending.count(b"\n", 0, cut)
            offset += cut
            pending = pending[cut:]
        elif len(pending) > _batch.MAX_RECORD_BYTES:
            size = len(pending) + _batch.skip_line(stream)
            yield [(first_line, Oversized(size))]
            first_line, offset, pending = first_line + 1, offset + size, b""
    if pending:
        yield Span(path, offset, len(pending), first_line)


def line_chunks(lines: Iterable[tuple[int, Line]]) -> Iterator[Lines]:
    """Numbered lines (from a pipe, which workers cannot read again) in chunks."""
    chunk: Lines = []
    size = 0
    for number, line in lines:
        chunk.append((number, line))
        size += len(line) if isinstance(line, bytes) else 0
        if len(chunk) >= CHUNK or size >= SPAN_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _work(chunk: Span | Lines) -> ChunkResult:
    w = _worker
    if w is None:
        msg = "a --jobs worker was given work before its initializer ran"
        raise RuntimeError(msg)
    records = read_ndjson_lines(chunk.lines() if isinstance(chunk, Span) else chunk, w.name)
    with extended(w.ruleset.vocabularies):
        return evaluate_records(w.ruleset, w.at, records, engine=w.engine, render=w.render)


def evaluate_in_parallel(
    chunks: Iterable[Span | Lines],
    *,
    ruleset: RuleSet,
    at: datetime,
    name: str,
    jobs: int,
    backend: str = "python",
    render: Render | None = None,
) -> Iterator[ChunkResult]:
    """
    Evaluate NDJSON *chunks* in *jobs* worker processes; results in input order.

    With *render*, the workers send each incident's findings rendered (`Rendered`).
    """
    it = iter(chunks)
    args = (ruleset, at, name, backend, render)
    # multiprocessing is imported only when workers are asked for (it costs startup time)
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=args) as pool:
        pending: list[Future[ChunkResult]] = []
        while True:
            while len(pending) < 2 * jobs and (chunk := next(it, None)) is not None:
                pending.append(pool.submit(_work, chunk))
            if not pending:
                return
            yield pending.pop(0).result()
