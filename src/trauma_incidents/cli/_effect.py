"""
``trauma-incidents effect``: did each change work? Before and after, with 95% intervals.

Kept apart from ``cli._main`` so that the command line only wires it in. It reads the
incidents, the support plans and (optionally) the outcome records, calls
`trauma_incidents.analysis.effectiveness` and writes a table, JSON or CSV.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import timedelta
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import orjson

from trauma_incidents._calendar import Duration, Unit, when_text
from trauma_incidents._printable import printable
from trauma_incidents.cli._writers import csv_cell, plural, table
from trauma_incidents.errors import MissingExtraError
from trauma_incidents.loading._batch import BadRecord, read_incidents
from trauma_incidents.model._incident import Incident
from trauma_incidents.plans import SupportPlans, read_support_plans

if TYPE_CHECKING:  # the analysis and outcome modules are imported when effect runs
    from trauma_incidents.analysis._effectiveness import ChangeEffect
    from trauma_incidents.outcomes import OutcomeRecord

__all__ = ["add_effect"]

_PROG = "trauma-incidents effect"
_T = TypeVar("_T")

_DESCRIPTION = (
    "For each change (a new support plan version, a completed learning action), compare the"
    " window before it with the window after it: incidents and restrictive interventions per"
    " 28 days (rate ratio, exact 95% interval), the share of activities completed (Newcombe),"
    " mean distress and anxiety (Welch), each with a verdict: improved, worsened,"
    " no_clear_change or not_enough_data. Needs the [analysis] extra (SciPy). Exit 0, or 2"
    " when an input or a record could not be read (the rest is still compared)."
)


def add_effect(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``effect`` subcommand to *commands*."""
    p = commands.add_parser(
        "effect",
        help="did each change work? before and after, with 95%% intervals",
        description=_DESCRIPTION,
    )
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help="JSON or NDJSON incident files; - is stdin"
    )
    p.add_argument("--plans", required=True, metavar="FILE", help="support plans (JSON or NDJSON)")
    p.add_argument("--outcomes", metavar="FILE", help="activities and wellbeing checks")
    p.add_argument(
        "--before", type=_span, default="56d", metavar="SPAN", help="the window before (56d)"
    )
    p.add_argument(
        "--after", type=_span, default="56d", metavar="SPAN", help="the window after (56d)"
    )
    p.add_argument(
        "--skip-before",
        type=_span,
        default="0d",
        metavar="SPAN",
        help="leave out this much just before each change, where the spike that prompted it"
        " usually sits (0d)",
    )
    p.add_argument("--person", metavar="ID", help="only this person's changes")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(command=run_effect)


def _span(text: str) -> timedelta:
    """``56d`` or ``12h`` as elapsed time (working days are not a window)."""
    try:
        duration = Duration.parse(text)
    except ValueError:
        duration = None
    if duration is None or duration.unit is Unit.WORKING_DAYS:
        msg = f"expected elapsed days or hours such as 56d or 12h (got {text!r})"
        raise argparse.ArgumentTypeError(msg)
    hours = duration.amount * (1 if duration.unit is Unit.HOURS else 24)
    return timedelta(hours=hours)


def _name(path: str) -> str:
    return "<stdin>" if path == "-" else path


def _error(message: str) -> int:
    sys.stderr.write(f"{_PROG}: error: {message}\n")
    return 2


def _good(records: Iterable[_T | BadRecord], what: str, bad: list[BadRecord]) -> Iterator[_T]:
    """The good records; each bad one is said on stderr and kept in *bad*."""
    for record in records:
        if isinstance(record, BadRecord):
            sys.stderr.write(f"{_PROG}: skipped {what}: {record}\n")
            bad.append(record)
        else:
            yield record


def run_effect(args: argparse.Namespace) -> int:
    """Run ``effect``: 0 when compared, 2 when an argument, input or record is unusable."""
    if args.before <= timedelta(0) or args.after <= timedelta(0):
        return _error("--before and --after must be longer than 0d")
    bad: list[BadRecord] = []
    try:
        incidents: list[Incident] = []
        for path in args.paths:
            source = sys.stdin.buffer if path == "-" else Path(path)
            incidents += _good(read_incidents(source, source_name=_name(path)), "a record", bad)
        plans = SupportPlans.from_records(
            _good(read_support_plans(args.plans), "a support plan", bad)
        )
        outcomes = None
        if args.outcomes is not None:
            from trauma_incidents.outcomes import Outcomes, read_outcomes  # noqa: PLC0415

            found: Iterator[OutcomeRecord] = _good(
                read_outcomes(args.outcomes), "an outcome record", bad
            )
            outcomes = Outcomes.from_records(found)
    except OSError as e:
        return _error(f"cannot read {e.filename}: {e.strerror or type(e).__name__}")
    from trauma_incidents.analysis._effectiveness import (  # noqa: PLC0415 (see above)
        ROW_FIELDS,
        effectiveness,
    )

    try:
        rows = effectiveness(
            incidents,
            plans=plans,
            outcomes=outcomes,
            before=args.before,
            after=args.after,
            skip_before=args.skip_before,
            person_id=args.person,
        )
    except MissingExtraError as e:
        return _error(str(e))
    if args.format == "json":
        doc = {"changes": [r.as_dict() for r in rows]}
        sys.stdout.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n")
    elif args.format == "csv":
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(ROW_FIELDS)
        for r in rows:
            out.writerow([csv_cell(_cell(v)) for v in r.row().values()])
    else:
        sys.stdout.write(effect_table(rows))
    return 2 if bad else 0


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def effect_table(rows: Sequence[ChangeEffect]) -> str:
    """The table: a heading per change, then a line per measure."""
    if not rows:
        return "no changes: no support plan versions or completed learning actions\n"
    parts = []
    for (person, kind, change, at), group in groupby(
        rows, key=lambda r: (r.person_id, r.change_kind, r.change_id, r.changed_at)
    ):
        heading = f"{printable(person)}: {kind.value} {printable(change)} at {when_text(at)}"
        lines = [("", "measure", "before", "after", "estimate (95% interval)", "verdict")]
        overlaps: tuple[str, ...] = ()
        for r in group:
            overlaps = r.overlaps
            lines.append(
                (
                    "",
                    r.measure.value,
                    _side(r, before=True),
                    _side(r, before=False),
                    _estimate(r),
                    r.verdict.value + (f" ({r.reason})" if r.reason else ""),
                )
            )
        if overlaps:
            heading += f" (overlaps {', '.join(printable(o) for o in overlaps)})"
        parts.append(heading + "\n" + table(lines))
    return "\n".join(parts)


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return "inf" if math.isinf(value) else f"{value:.2f}"


def _side(r: ChangeEffect, *, before: bool) -> str:
    w = r.before if before else r.after
    figure = r.as_dict()["before" if before else "after"]
    if "rate_per_28d" in figure:
        return f"{w.count} in {w.exposure_days:g}d ({_number(w.value)}/28d)"
    if "share" in figure:
        return f"{w.count} of {w.n} completed"
    return f"mean {_number(w.value)} of {plural(w.n, 'value')}"


def _estimate(r: ChangeEffect) -> str:
    if r.estimate is None:
        return "-"
    return f"{_number(r.estimate)} ({_number(r.ci_low)} to {_number(r.ci_high)})"
