"""
Writers of ``check`` results: a table for people, and JSON, NDJSON and CSV for programs.

NDJSON and CSV are streamed: each finding is written as soon as its incident is evaluated,
and problems go to stderr as they are found. The table and JSON need everything first, so
they hold the findings (never the incidents). Nothing here prints free text from a record:
findings carry rendered messages, paths and ids only.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Protocol, TextIO, cast

import orjson
from attrs import define, field

from trauma_incidents._calendar import local_time
from trauma_incidents._printable import printable
from trauma_incidents.config import Waiver
from trauma_incidents.engine._findings_report import RuleFault
from trauma_incidents.engine._json import (
    FindingDict,
    RecordErrorDict,
    RuleErrorDict,
    WaivedDict,
    fault_dict,
    finding_dict,
    finding_line,
    output_converter,
    report_document,
    waived_dict,
)
from trauma_incidents.errors import LoadProblem, OutputError
from trauma_incidents.rules._findings import Finding, Status

#: The column order of CSV output and the key order of a finding in JSON.
FINDING_FIELDS = (
    "rule",
    "incident_id",
    "key",
    "status",
    "severity",
    "due_at",
    "satisfied_at",
    "message",
    "evidence",
    "sources",
    "id",
)
#: Statuses in the order people read them: what needs acting on first.
STATUS_ORDER = (
    Status.OVERDUE,
    Status.DUE,
    Status.LATE,
    Status.MISSING,
    Status.UNKNOWN,
    Status.CONCERN,
)
#: Cells starting with these are read as formulas by spreadsheets (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@define
class BadInput:
    """
    A record, or a whole input, that could not be read.

    Attributes:
        source: The file name or ``<stdin>``.
        problems: What is wrong, each with its JSON path (``$`` for the whole input).
        line: The record's NDJSON line, when known.
        index: The record's 0-based position in a JSON array, when known.
        incident_id: The record's id, when it has a readable one.
    """

    source: str
    problems: tuple[LoadProblem, ...]
    line: int | None = None
    index: int | None = None
    incident_id: str | None = None


@define
class Tally:
    """
    What a run has seen so far, for the summary and the exit code.

    Attributes:
        at: The time evaluated at.
        incidents: How many incidents were evaluated.
        statuses: Findings by status.
        rules: Findings by rule code.
        input_errors: How many records or inputs could not be read.
        faults: How many times a rule failed on an incident.
        waived: How many findings waivers set aside.
        waivers_unused: The configured waivers in force that matched no finding.
        waivers_expired: The configured waivers that matched nothing as they had expired.
        notes: Lines the summary adds, such as that no support plans were supplied.
    """

    at: datetime
    incidents: int = 0
    statuses: Counter[Status] = field(factory=Counter)
    rules: Counter[str] = field(factory=Counter)
    input_errors: int = 0
    faults: int = 0
    waived: int = 0
    waivers_unused: tuple[Waiver, ...] = ()
    waivers_expired: tuple[Waiver, ...] = ()
    notes: list[str] = field(factory=list)


class Writer(Protocol):
    """Receives a run's results as they happen and writes them in one format."""

    def finding(self, finding: Finding) -> None:
        """Write (or keep) one finding."""

    def waived(self, finding: Finding, waiver: Waiver) -> None:
        """Note a finding *waiver* set aside (only the JSON format lists them)."""

    def input_error(self, error: BadInput) -> None:
        """Report a record or input that could not be read."""

    def fault(self, fault: RuleFault) -> None:
        """Report a rule that failed on an incident."""

    def finish(self, tally: Tally) -> None:
        """Write whatever is left, with the summary."""

    def renderer(self) -> Callable[[Finding], str] | None:
        """A module-level function rendering one finding as `rendered` takes it, if any."""

    def rendered(self, text: str) -> None:
        """Write findings `renderer` rendered (elsewhere: in a worker process)."""


@contextmanager
def writing() -> Iterator[None]:
    """Turn an `OSError` raised while writing into `OutputError`, so no input is blamed."""
    try:
        yield
    except OSError as e:
        raise OutputError(e) from e


def bad_input_dict(e: BadInput) -> RecordErrorDict:
    """A record or input that could not be read, as a JSON-ready dict."""
    fields = output_converter().unstructure(e, BadInput)
    return cast("RecordErrorDict", {"kind": "record", **fields})


def bad_input_lines(e: BadInput) -> list[str]:
    """Lines for stderr: ``file:3: expected a string, found a number @ $.id``."""
    where = e.line if e.line is not None else None if e.index is None else e.index + 1
    prefix = f"{e.source}:{where}: " if where is not None else f"{e.source}: "
    return [f"error: {prefix}{p.message} @ {p.path}" for p in e.problems]


def fault_line(f: RuleFault) -> str:
    """A line for stderr naming the rule, the incident and the exception's type."""
    return f"error: rule {f.rule} failed on incident {f.incident_id!r} ({f.error})"


def status_counts(statuses: Counter[Status]) -> str:
    """``3 overdue, 2 due`` in `STATUS_ORDER`; ``none`` when empty."""
    parts = [f"{statuses[s]} {s.value}" for s in STATUS_ORDER if statuses[s]]
    return ", ".join(parts) or "none"


def summary_line(tally: Tally) -> str:
    """The one-line summary of a run: findings by status, then what else happened."""
    n = sum(tally.statuses.values())
    text = f"{plural(n, 'finding')}" + (f": {status_counts(tally.statuses)}" if n else "")
    text += f" in {plural(tally.incidents, 'incident')} checked at {local_time(tally.at)}"
    extras = [
        plural(tally.input_errors, "record") + " could not be read" if tally.input_errors else "",
        plural(tally.faults, "rule error") if tally.faults else "",
        plural(tally.waived, "finding") + " waived" if tally.waived else "",
        plural(len(tally.waivers_unused), "waiver") + " unused" if tally.waivers_unused else "",
        plural(len(tally.waivers_expired), "waiver") + " expired" if tally.waivers_expired else "",
    ]
    return "; ".join([text, *(e for e in extras if e)]) + "."


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def table(rows: Sequence[Sequence[str]]) -> str:
    """Align *rows* in columns two spaces apart; the last column is not padded."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(r, widths, strict=False)), r[-1]]) for r in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


class _Unrendered:
    """For a format that takes each finding as a `Finding` (workers do not render them)."""

    __slots__ = ()

    def renderer(self) -> Callable[[Finding], str] | None:
        """None: findings come to ``finding``."""
        return None

    def rendered(self, text: str) -> None:
        """Not called, as `renderer` gives None."""
        raise NotImplementedError(text)


@define
class _StderrReports(_Unrendered):
    """Problems as lines on stderr, for the formats whose stdout holds only findings."""

    err: TextIO

    def waived(self, finding: Finding, waiver: Waiver) -> None:
        """Waived findings are counted in the summary, not listed, in this format."""

    def input_error(self, error: BadInput) -> None:
        for line in bad_input_lines(error):
            self.err.write(line + "\n")

    def fault(self, fault: RuleFault) -> None:
        self.err.write(fault_line(fault) + "\n")


@define
class TableWriter(_StderrReports):
    """A table for people: incident, rule, key, status, due and message, then a summary."""

    out: TextIO
    findings: list[Finding] = field(factory=list)

    def finding(self, finding: Finding) -> None:
        self.findings.append(finding)

    def finish(self, tally: Tally) -> None:
        if self.findings:
            header = ("INCIDENT", "RULE", "KEY", "STATUS", "DUE", "MESSAGE")
            rows = [header, *(_table_row(f) for f in self.findings)]
            self.out.write(table(rows) + "\n")
        self.out.write(summary_line(tally) + "\n")
        for note in tally.notes:
            self.out.write(note + "\n")
        _unused_to_stderr(tally, self.err)


def _table_row(f: Finding) -> tuple[str, ...]:
    """A finding's cells, control characters escaped (an id cannot clear the screen)."""
    key = f.key if f.key is not None else "-"
    cells = (f.incident_id, f.rule, key, f.status.value, local_time(f.due_at), f.message)
    return tuple(printable(c) for c in cells)


@define
class JsonWriter(_Unrendered):
    """
    One JSON document of the run, with the waived findings and their waivers.

    Its keys: ``at``, ``findings``, ``waived``, ``errors``, ``waivers_unused`` and
    ``waivers_expired``. Each waived finding is listed with its waiver (rule, incident,
    finding id, expiry), never the waiver's free-text reason.
    """

    out: TextIO
    findings: list[FindingDict] = field(factory=list)
    errors: list[RecordErrorDict | RuleErrorDict] = field(factory=list)
    waived_findings: list[WaivedDict] = field(factory=list)

    def finding(self, finding: Finding) -> None:
        self.findings.append(finding_dict(finding))

    def waived(self, finding: Finding, waiver: Waiver) -> None:
        self.waived_findings.append(waived_dict(finding, waiver))

    def input_error(self, error: BadInput) -> None:
        self.errors.append(bad_input_dict(error))

    def fault(self, fault: RuleFault) -> None:
        self.errors.append(fault_dict(fault))

    def finish(self, tally: Tally) -> None:
        document = report_document(
            tally.at.isoformat(),
            self.findings,
            self.errors,
            waived=self.waived_findings,
            waivers_unused=tally.waivers_unused,
            waivers_expired=tally.waivers_expired,
        )
        self.out.write(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n")


@define
class NdjsonWriter(_StderrReports):
    """One finding per line, written as it comes; problems go to stderr."""

    out: TextIO

    def finding(self, finding: Finding) -> None:
        self.out.write(finding_line(finding))

    def renderer(self) -> Callable[[Finding], str] | None:
        """`finding_line`: what `finding` writes, so workers can render it."""
        return finding_line

    def rendered(self, text: str) -> None:
        self.out.write(text)

    def finish(self, tally: Tally) -> None:
        _unused_to_stderr(tally, self.err)


@define
class CsvWriter(_StderrReports):
    """A header, then one row per finding as it comes; problems go to stderr."""

    out: TextIO
    _rows: Any = None

    def __attrs_post_init__(self) -> None:
        self._rows = csv.writer(self.out, lineterminator="\n")
        self._rows.writerow(FINDING_FIELDS)

    def finding(self, finding: Finding) -> None:
        self._rows.writerow([csv_cell(v) for v in csv_row(finding)])

    def finish(self, tally: Tally) -> None:
        _unused_to_stderr(tally, self.err)


def csv_row(f: Finding) -> list[str]:
    """A finding's CSV cells: evidence as ``path=value`` and sources joined by ``; ``."""
    d: dict[str, Any] = dict(finding_dict(f))
    d["evidence"] = "; ".join(f"{e.path}={_scalar(e.value)}" for e in f.evidence)
    d["sources"] = "; ".join(f.sources)
    return [_scalar(d[k]) for k in FINDING_FIELDS]


def _scalar(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_cell(text: str) -> str:
    """Escape control characters; neutralise a cell a spreadsheet would run as a formula (OWASP)."""
    text = printable(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _unused_to_stderr(tally: Tally, err: TextIO) -> None:
    for w in tally.waivers_unused:
        what = f"finding {w.finding_id}" if w.finding_id else f"{w.rule} on {w.incident_id}"
        err.write(f"warning: the waiver for {what} matched no finding\n")
    for w in tally.waivers_expired:
        what = f"finding {w.finding_id}" if w.finding_id else f"{w.rule} on {w.incident_id}"
        when = w.expires.isoformat() if w.expires is not None else "?"
        err.write(f"warning: the waiver for {what} expired at {when}\n")


def make_writer(name: str, out: TextIO, err: TextIO) -> Writer:
    """The writer for format *name*: ``table``, ``json``, ``ndjson`` or ``csv``."""
    if name == "json":
        return JsonWriter(out)
    if name == "ndjson":
        return NdjsonWriter(err, out)
    if name == "csv":
        return CsvWriter(err, out)
    return TableWriter(err, out)


def by_rule_lines(rules: Counter[str], names: dict[str, str]) -> Iterable[str]:
    """``  DB001 staff-debrief: 3`` for each rule with findings, most first."""
    for code, n in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])):
        yield f"  {code} {names.get(code, '')}: {n}"


@define
class Progress:
    """
    A progress bar on stderr, drawn only on a terminal and only once a run has taken a second.

    It reads a monotonic timer to pace itself; evaluation never sees it.

    Attributes:
        err: Where to draw.
        total: The input's size in bytes, when known (stdin: not known).
    """

    err: TextIO
    total: int | None
    _enabled: bool = field(init=False)
    _start: float = field(init=False, factory=time.monotonic)
    _last: float = field(init=False, default=0.0)
    _width: int = field(init=False, default=0)

    def __attrs_post_init__(self) -> None:
        isatty = getattr(self.err, "isatty", None)
        self._enabled = bool(isatty and isatty())

    def update(self, done: int, incidents: int) -> None:
        """Redraw with *done* bytes read and *incidents* evaluated, at most ten times a second."""
        if not self._enabled:
            return
        now = time.monotonic()
        if now - self._start < 1.0 or now - self._last < 0.1:  # noqa: PLR2004
            return
        self._last = now
        line = progress_line(done, self.total, incidents)
        self._width = max(self._width, len(line))
        self.err.write("\r" + line.ljust(self._width))
        self.err.flush()

    def close(self) -> None:
        """Erase the bar, if one was drawn."""
        if self._width:
            self.err.write("\r" + " " * self._width + "\r")
            self.err.flush()


def progress_line(done: int, total: int | None, incidents: int) -> str:
    """``[#########           ]  45% 1200 incidents`` (no bar when the size is unknown)."""
    if not total:
        return f"checking: {plural(incidents, 'incident')}"
    share = min(done / total, 1.0)
    bar = "#" * int(share * 30)
    return f"[{bar:<30}] {share:4.0%} {plural(incidents, 'incident')}"
