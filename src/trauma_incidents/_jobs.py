"""
Evaluating a stream of records in chunks, in this process or in worker processes.

``check`` reads records in chunks, evaluates each chunk and writes results in input order.
With ``--jobs N`` the chunks of NDJSON lines go to N worker processes, which parse, load
and evaluate them (loading costs more than evaluating, so it must be parallel too). At most
two chunks per worker are in flight, so memory stays bounded however long the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from itertools import islice

from attrs import frozen

from trauma_incidents._batch import RecordError, read_ndjson_lines
from trauma_incidents._engine import RuleSet, apply_waivers, check_time
from trauma_incidents._findings import Finding
from trauma_incidents._incident import Incident
from trauma_incidents._report import RuleFault

#: Records per chunk: large enough to amortise a round trip, small enough to stream.
CHUNK = 2000


@frozen
class Evaluated:
    """One incident's results, after waivers."""

    findings: tuple[Finding, ...]
    waived: int
    faults: tuple[RuleFault, ...]


@frozen
class ChunkResult:
    """The results of one chunk, in input order, and the waivers (by index) it used."""

    outcomes: tuple[Evaluated | RecordError, ...]
    used_waivers: frozenset[int]


def evaluate_records(
    ruleset: RuleSet, at: datetime, records: Iterable[Incident | RecordError]
) -> ChunkResult:
    """Evaluate the incidents among *records*; bad records pass through in place."""
    check_time(at)
    outcomes: list[Evaluated | RecordError] = []
    used: set[int] = set()
    for record in records:
        if isinstance(record, RecordError):
            outcomes.append(record)
            continue
        findings, faults = ruleset.check(record, at)  # per-incident rules only
        kept, waived, _ = apply_waivers(findings, ruleset.waivers, at)
        outcomes.append(Evaluated(tuple(kept), len(waived), tuple(faults)))
        used |= {ruleset.waivers.index(w.waiver) for w in waived}
    return ChunkResult(tuple(outcomes), frozenset(used))


def chunks(records: Iterable[Incident | RecordError]) -> Iterator[list[Incident | RecordError]]:
    """*records* in lists of `CHUNK`."""
    it = iter(records)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


# Worker state: the rule set and options, sent once per worker process by the initializer.
_worker: tuple[RuleSet, datetime, str, bool] | None = None


def _init_worker(ruleset: RuleSet, at: datetime, name: str, ignore_unknown_keys: bool) -> None:  # noqa: FBT001
    global _worker  # noqa: PLW0603 (one per worker process, set once)
    _worker = (ruleset, at, name, ignore_unknown_keys)


def _work(lines: list[tuple[int, bytes]]) -> ChunkResult:
    assert _worker is not None  # noqa: S101 (set by the initializer)
    ruleset, at, name, ignore = _worker
    return evaluate_records(ruleset, at, read_ndjson_lines(lines, name, ignore_unknown_keys=ignore))


def evaluate_lines_in_parallel(
    lines: Iterable[tuple[int, bytes]],
    *,
    ruleset: RuleSet,
    at: datetime,
    name: str,
    jobs: int,
    ignore_unknown_keys: bool = False,
) -> Iterator[ChunkResult]:
    """Evaluate numbered NDJSON *lines* in *jobs* worker processes; results in input order."""
    it = iter(lines)
    args = (ruleset, at, name, ignore_unknown_keys)
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=args) as pool:
        pending: list[Future[ChunkResult]] = []
        while True:
            while len(pending) < 2 * jobs and (chunk := list(islice(it, CHUNK))):
                pending.append(pool.submit(_work, chunk))
            if not pending:
                return
            yield pending.pop(0).result()
