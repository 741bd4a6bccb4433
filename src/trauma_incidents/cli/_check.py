"""
The ``check`` pipeline: read inputs, evaluate in chunks (or in worker processes), write.

Per-incident rules stream: each chunk's findings are written before the next is read.
Cross-incident rules (the ``governance`` and ``plans`` packs) need the whole batch: when any
will run, the incidents are kept, evaluation stays in this process, and their findings are
written after the per-incident ones, with the governance records and support plans given.
Without support plans the ``plans`` pack's rules do not run, and the summary says so.
With outcome records (``--outcomes``) LN005 weighs what they show about each learning action,
which needs every incident of the person first: the inputs are read whole, then evaluated
in this process (``--jobs`` is not used), as cross-incident rules do.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager, nullcontext
from datetime import datetime
from itertools import chain
from typing import IO, TYPE_CHECKING

from trauma_incidents.backends import Engine, make_engine
from trauma_incidents.cli._jobs import (
    RUN_THRESHOLDS,
    ChunkResult,
    Evaluated,
    Lines,
    Render,
    Rendered,
    Span,
    evaluate_in_chunks,
    evaluate_in_parallel,
    file_spans,
    line_chunks,
)
from trauma_incidents.cli._seen import SeenIds
from trauma_incidents.cli._writers import BadInput, Progress, Tally, Writer, writing
from trauma_incidents.config import Waiver
from trauma_incidents.engine._context import context_of
from trauma_incidents.engine._cross import (
    PLANS_PACK,
    CompiledCrossRule,
    first_of_each_id,
    run_cross,
    runnable,
)
from trauma_incidents.engine._findings_report import RuleFault
from trauma_incidents.engine._ruleset import RuleSet, apply_waivers
from trauma_incidents.errors import LoadProblem
from trauma_incidents.governance._records import GovernanceRecords
from trauma_incidents.loading import BadRecord
from trauma_incidents.loading._batch import Start, first_record, read_from, starts_array
from trauma_incidents.model._extensions import extended
from trauma_incidents.model._incident import Incident
from trauma_incidents.plans._records import SupportPlans
from trauma_incidents.rules._context import Context
from trauma_incidents.rules._findings import Finding

if TYPE_CHECKING:  # outcome records are imported when given
    from trauma_incidents.outcomes._records import Outcomes


def run(
    ruleset: RuleSet,
    paths: Sequence[str],
    at: datetime,
    writer: Writer,
    *,
    jobs: int = 1,
    records: GovernanceRecords | None = None,
    plans: SupportPlans | None = None,
    outcomes: Outcomes | None = None,
    backend: str = "python",
    tally: Tally | None = None,
) -> Tally:
    """
    Evaluate every readable incident of *paths*, chunk by chunk, writing as it goes.

    Per-incident rules run on *backend*; with *jobs* > 1 each worker process builds its
    own engine. Cross-incident rules read the governance *records* and support *plans*
    (``None``: not supplied, so the ``plans`` pack's rules do not run, which the summary
    says). With outcome records (*outcomes*) and a rule that reads them (LN005), every input
    is read before any incident is evaluated, in this process. What the run has seen is
    counted in *tally* (a new one by default), which says how far a run got when it stops
    with an exception.

    Raises:
        BackendUnavailableError: *backend* cannot run here (before anything is read).
        MissingExtraError: *outcomes* are given and SciPy (``[analysis]``) is missing.
        OutputError: The output could not be written.
    """
    tally = tally or Tally(at)
    cross = tuple(runnable(ruleset.cross, plans))
    if plans is None and any(r.pack == PLANS_PACK for r in ruleset.cross):
        tally.notes.append(NO_PLANS)
    with (
        make_engine(ruleset, backend) as engine,
        extended(ruleset.vocabularies),
        _fewer_collections(),
        closing(SeenIds()) as seen,
    ):
        context = Context(records or GovernanceRecords(), plans, outcomes)
        _run(
            ruleset, paths, writer, tally,
            jobs=jobs, cross=cross, context=context, engine=engine, seen=seen,
        )  # fmt: skip
    return tally


#: The summary's note when the ``plans`` pack is enabled and no support plans were given.
NO_PLANS = "support plans: none supplied, the plans rules did not run"


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """
    Fewer passes of the garbage collector over a run's objects, which it cannot free.

    The objects made before the run (modules, the rule set) are frozen out of its passes,
    and its thresholds are raised: a run holds incidents for the cross-incident rules, and
    passes over them free next to nothing (loading breaks its own reference cycles, see
    `drop_tracebacks`). The command line owns its process; a library call never does this.
    Both are undone at the end, for a caller of `main` in its own process.
    """
    thresholds = gc.get_threshold()
    freeze = gc.get_freeze_count() == 0  # a caller's own frozen objects stay frozen
    if freeze:
        gc.freeze()
    gc.set_threshold(*RUN_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if freeze:
            gc.unfreeze()


def _run(
    ruleset: RuleSet,
    paths: Sequence[str],
    writer: Writer,
    tally: Tally,
    *,
    jobs: int,
    cross: tuple[CompiledCrossRule, ...],
    context: Context,
    engine: Engine,
    seen: SeenIds,
) -> None:
    at = tally.at
    used: set[int] = set()
    batch: list[Incident] | None = [] if cross else None
    progress = Progress(sys.stderr, _total_size(paths))
    if context.outcomes is not None and ruleset.contextual:
        inputs = _read_whole(paths, progress)
        known = [i for _, records, _ in inputs for i in records if isinstance(i, Incident)]
        context = context_of(
            first_of_each_id(known).values(),
            at,
            context.records,
            context.plans,
            context.outcomes,
            effects=True,
        )
        for name, records, error in inputs:
            for result in evaluate_in_chunks(
                ruleset, at, records, engine=engine, keep=batch, context=context
            ):
                used |= result.used_waivers
                with writing():
                    _write_chunk(result, tally, writer, seen, name, waivers=ruleset.waivers)
            if error is not None:
                tally.input_errors += 1
                writer.input_error(BadInput(name, (error,)))
        paths = ()  # read and evaluated
    done = 0
    for path in paths:
        name = "<stdin>" if path == "-" else path
        try:
            with _open(path) as stream:
                file = None if path == "-" else path
                for result in _results(
                    stream, name, ruleset, at, jobs=jobs, batch=batch, engine=engine, file=file,
                    render=writer.renderer(),
                ):  # fmt: skip
                    used |= result.used_waivers
                    with writing():  # an output error is not this input's
                        _write_chunk(result, tally, writer, seen, name, waivers=ruleset.waivers)
                        progress.update(done + _position(stream), tally.incidents)
                done += _position(stream)
        except OSError as e:
            reason = e.strerror or type(e).__name__
            problem = LoadProblem("$", f"cannot read this input: {reason}", name)
            tally.input_errors += 1
            writer.input_error(BadInput(name, (problem,)))
    with writing():
        progress.close()
        if batch is not None:
            unique = list(first_of_each_id(batch).values())
            found = run_cross(
                cross,
                unique,
                context.records,
                at,
                plans=context.plans,
                strict=ruleset.strict,
                context=context,
            )
            used |= _write_cross(ruleset, found, at, tally=tally, writer=writer)
    unused = [w for i, w in enumerate(ruleset.waivers) if i not in used]
    tally.waivers_unused = tuple(w for w in unused if w.active(at))
    tally.waivers_expired = tuple(w for w in unused if not w.active(at))


def _read_whole(
    paths: Sequence[str], progress: Progress
) -> list[tuple[str, list[Incident | BadRecord], LoadProblem | None]]:
    """
    Every input read whole: its name, its records, and why it could not be read to the end.

    The records read before an input failed are kept, as a streaming run would have
    evaluated them.
    """
    inputs: list[tuple[str, list[Incident | BadRecord], LoadProblem | None]] = []
    done = 0
    for path in paths:
        name = "<stdin>" if path == "-" else path
        records: list[Incident | BadRecord] = []
        error = None
        try:
            with _open(path) as stream:
                start = first_record(stream)
                if start is not None:
                    for record in read_from(start, stream, name):
                        records.append(record)  # noqa: PERF402 (kept up to a failure)
                done += _position(stream)
                with writing():
                    progress.update(done, len(records))
        except OSError as e:
            reason = e.strerror or type(e).__name__
            error = LoadProblem("$", f"cannot read this input: {reason}", name)
        inputs.append((name, records, error))
    return inputs


def _results(
    stream: IO[bytes],
    name: str,
    ruleset: RuleSet,
    at: datetime,
    *,
    jobs: int,
    batch: list[Incident] | None,
    engine: Engine,
    file: str | None,
    render: Render | None,
) -> Iterator[ChunkResult]:
    """
    Evaluate one input: NDJSON in *jobs* processes when more than one, else here.

    *file* is the input's path, which workers may open themselves (``None`` for stdin);
    workers *render* findings, when the writer can have them rendered.
    """
    start = first_record(stream)
    if start is None:
        return
    if jobs > 1 and batch is None and not starts_array(start):
        yield from evaluate_in_parallel(
            _ndjson_chunks(start, stream, file),
            ruleset=ruleset,
            at=at,
            name=name,
            jobs=jobs,
            backend=engine.name,
            render=render,
        )
        return
    records = read_from(start, stream, name)
    yield from evaluate_in_chunks(ruleset, at, records, engine=engine, keep=batch)


def _write_cross(
    ruleset: RuleSet,
    found: tuple[list[Finding], list[RuleFault]],
    at: datetime,
    *,
    tally: Tally,
    writer: Writer,
) -> set[int]:
    """Write what the cross-incident rules *found* over the batch; the waivers used."""
    findings, faults = found
    kept, waived, _ = apply_waivers(findings, ruleset.waivers, at)
    tally.waived += len(waived)
    for w in waived:
        writer.waived(w.finding, w.waiver)
    _tally_findings(tally, kept)
    for f in kept:
        writer.finding(f)
    for fault in faults:
        tally.faults += 1
        writer.fault(fault)
    return {ruleset.waivers.index(w.waiver) for w in waived}


def _ndjson_chunks(start: Start, stream: IO[bytes], file: str | None) -> Iterator[Span | Lines]:
    """
    NDJSON in chunks for worker processes, from the first record's line on.

    A file (*file* is its path) goes as spans the workers read, after its first line; a
    pipe, or stdin even from a file (workers cannot open it), goes as lines.
    """
    number, first, lines = start
    if file is not None and stream.seekable():
        yield [(number, first)]
        yield from file_spans(stream, file, number + 1)
    else:
        yield from line_chunks(chain([(number, first)], lines))


#: Said of a record whose incident id an earlier record of the run has.
REPEATED_ID = "duplicate incident id {!r}: an earlier record has it, so this one is not evaluated"


def _write_chunk(
    result: ChunkResult,
    tally: Tally,
    writer: Writer,
    seen: SeenIds,
    name: str,
    *,
    waivers: tuple[Waiver, ...],
) -> None:
    """
    Write a chunk's results; a repeated incident id (*seen* holds those before) is an error.

    The later incident's findings are left out, so that finding ids stay unique.
    """
    repeated: dict[int, BadInput] = {}
    for n, incident_id in enumerate(result.ids):
        if not seen.add(incident_id):
            problem = LoadProblem("$.id", REPEATED_ID.format(incident_id), name)
            repeated[n] = BadInput(name, (problem,), incident_id=incident_id)
    tally.incidents += result.incidents - len(repeated)
    items: list[tuple[int, bool, Evaluated | BadRecord | BadInput]] = [
        (n, isinstance(o, Evaluated), o)
        for n, o in result.outcomes
        if n not in repeated or isinstance(o, BadRecord)
    ]
    items += [(n, True, e) for n, e in repeated.items()]
    for _, _, outcome in sorted(items, key=lambda item: item[:2]):
        if isinstance(outcome, Evaluated):
            _write_evaluated(outcome, tally, writer, waivers)
        else:
            tally.input_errors += 1
            writer.input_error(input_error(outcome))


def _write_evaluated(
    outcome: Evaluated, tally: Tally, writer: Writer, waivers: tuple[Waiver, ...]
) -> None:
    tally.waived += len(outcome.waived)
    for finding, index in outcome.waived:
        writer.waived(finding, waivers[index])
    if isinstance(outcome.findings, Rendered):
        for status, rule in outcome.findings.counted:
            tally.statuses[status] += 1
            tally.rules[rule] += 1
        writer.rendered(outcome.findings.text)
    else:
        _tally_findings(tally, outcome.findings)
        for f in outcome.findings:
            writer.finding(f)
    for fault in outcome.faults:
        tally.faults += 1
        writer.fault(fault)


def _tally_findings(tally: Tally, findings: Sequence[Finding]) -> None:
    statuses, rules = tally.statuses, tally.rules
    for f in findings:
        statuses[f.status] += 1
        rules[f.rule] += 1


def input_error(record: BadRecord | BadInput) -> BadInput:
    """A bad record as the writers report it."""
    if isinstance(record, BadInput):
        return record
    return BadInput(
        source=record.source or "<input>",
        problems=record.problems,
        line=record.line,
        index=record.index,
        incident_id=record.incident_id,
    )


def _total_size(paths: Sequence[str]) -> int | None:
    try:
        return sum(os.stat(p).st_size for p in paths) if "-" not in paths else None  # noqa: PTH116
    except OSError:
        return None


def _open(path: str) -> nullcontext[IO[bytes]] | IO[bytes]:
    if path == "-":
        return nullcontext(sys.stdin.buffer)
    return open(path, "rb")  # noqa: PTH123 (closed by the caller's with)


def _position(stream: IO[bytes]) -> int:
    try:
        return stream.tell()
    except (OSError, ValueError):
        return 0
