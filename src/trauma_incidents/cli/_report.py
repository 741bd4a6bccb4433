"""
``trauma-incidents report``: the evidence report for a governance meeting or an inspection.

Kept apart from ``cli`` so that the command line only wires it in. The report reads the clock
never: obligations are judged at the end of the period, or at ``--at``.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trauma_incidents._calendar import end_of_day
from trauma_incidents.errors import MissingExtraError
from trauma_incidents.governance._reading import read_governance
from trauma_incidents.governance._records import GovernanceRecords
from trauma_incidents.loading import partition, read_incidents
from trauma_incidents.loading._batch import BadRecord
from trauma_incidents.loading._iso8601 import parse_datetime
from trauma_incidents.model._incident import Incident
from trauma_incidents.model._validators import YEARS, in_years
from trauma_incidents.plans._reading import read_support_plans
from trauma_incidents.plans._records import SupportPlans

if TYPE_CHECKING:  # the report, analysis and outcome modules are imported when used
    from trauma_incidents.outcomes import OutcomeRecord, Outcomes
    from trauma_incidents.report._data import ReportOptions

__all__ = ["KEY_VARIABLE", "add_report", "run_report"]

#: The environment variable holding the pseudonymisation key.
KEY_VARIABLE = "TRAUMA_INCIDENTS_KEY"
_PROG = "trauma-incidents report"

_DESCRIPTION = (
    "Write an evidence report for a governance meeting or an inspection: headline figures,"
    " trends, restrictive interventions by person, timeliness, open and overdue obligations,"
    " learning, support plans, whether each change worked (before and after, with 95%"
    " intervals; the [analysis] extra) and governance activity. People, staff and incidents"
    " are pseudonymised unless --real-ids is given; no free text from any record is ever"
    " shown."
)


def add_report(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``report`` subcommand to *commands*."""
    p = commands.add_parser(
        "report", help="write an evidence report (HTML or Markdown)", description=_DESCRIPTION
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="JSON or NDJSON incident files")
    p.add_argument(
        "--from", dest="start", required=True, metavar="DATE", help="first day, 2026-01-01"
    )
    p.add_argument("--to", dest="end", required=True, metavar="DATE", help="last day, 2026-03-31")
    p.add_argument("--service", metavar="ID", help="only this service")
    p.add_argument("--governance", metavar="FILE", help="governance records (JSON or NDJSON)")
    p.add_argument("--plans", metavar="FILE", help="support plans (JSON or NDJSON)")
    p.add_argument(
        "--outcomes",
        metavar="FILE",
        help='outcome records (activities, wellbeing checks) for "Did the changes work?"',
    )
    p.add_argument(
        "--at", metavar="ISO", help="judge obligations at this time (default: end of --to)"
    )
    p.add_argument("--out", metavar="FILE", default="-", help="where to write (default: stdout)")
    p.add_argument("--format", choices=("html", "markdown"), default="html")
    p.add_argument(
        "--key",
        metavar="TEXT",
        help=f"pseudonymisation key (prefer the {KEY_VARIABLE} environment variable; without"
        " either, a one-off random key is used)",
    )
    p.add_argument("--real-ids", action="store_true", help="show real ids instead of pseudonyms")
    p.set_defaults(command=run_report)


def _error(message: str) -> int:
    sys.stderr.write(f"{_PROG}: error: {message}\n")
    return 2


def _day(text: str, flag: str) -> date | str:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return f"{flag} {text!r} is not a date such as 2026-03-31"
    return day if in_years(day) else f"{flag} {text!r} is not {YEARS}, the years of the format"


def _options(args: argparse.Namespace) -> ReportOptions | str:
    from trauma_incidents.analysis._pseudonyms import make_key  # noqa: PLC0415 (lazy)
    from trauma_incidents.report._data import ReportOptions  # noqa: PLC0415 (lazy)

    start, end = _day(args.start, "--from"), _day(args.end, "--to")
    if isinstance(start, str):
        return start
    if isinstance(end, str):
        return end
    if end < start:
        return f"--to {args.end} is before --from {args.start}"
    at: datetime = end_of_day(end)
    if args.at is not None:
        try:
            at = parse_datetime(args.at)
        except ValueError:
            return (
                f"--at {args.at!r} is not a time with a UTC offset {YEARS},"
                " such as 2026-04-01T09:00:00Z"
            )
    key = args.key or os.environ.get(KEY_VARIABLE)
    return ReportOptions(
        start=start,
        end=end,
        at=at,
        key=key.encode() if key else make_key(),
        service_id=args.service,
        real_ids=args.real_ids,
        one_off_key=not key,
    )


def _incidents(paths: list[str]) -> tuple[list[Incident], int]:
    incidents: list[Incident] = []
    unreadable = 0
    for path in paths:
        for record in read_incidents(Path(path)):  # a path: named if it cannot be read
            if isinstance(record, BadRecord):
                unreadable += 1
                sys.stderr.write(f"{_PROG}: skipped a record: {record}\n")
            else:
                incidents.append(record)
    return incidents, unreadable


def _records(path: str | None) -> GovernanceRecords | None:
    if path is None:
        return None
    good, errors = partition(read_governance(path))
    records = GovernanceRecords.from_records(good)
    for error in errors:
        sys.stderr.write(f"{_PROG}: skipped a governance record: {error}\n")
    return records


def _plans(path: str | None) -> SupportPlans | None:
    if path is None:
        return None
    good, errors = partition(read_support_plans(path))
    for error in errors:
        sys.stderr.write(f"{_PROG}: skipped a support plan: {error}\n")
    return SupportPlans.from_records(good)


def _outcomes(path: str | None) -> Outcomes | None:
    if path is None:
        return None
    from trauma_incidents.outcomes import Outcomes, read_outcomes  # noqa: PLC0415 (when given)

    found: tuple[tuple[OutcomeRecord, ...], tuple[BadRecord, ...]]
    found = partition(read_outcomes(path))
    for error in found[1]:
        sys.stderr.write(f"{_PROG}: skipped an outcome record: {error}\n")
    return Outcomes.from_records(found[0])


def run_report(args: argparse.Namespace) -> int:
    """Run ``report``: 0 when written, 2 when an argument or input is unusable."""
    from trauma_incidents.report._data import build_report  # noqa: PLC0415 (lazy)
    from trauma_incidents.report._html import render_html, render_markdown  # noqa: PLC0415

    options = _options(args)
    if isinstance(options, str):
        return _error(options)
    try:
        incidents, unreadable = _incidents(args.paths)
        records = _records(args.governance)
        plans = _plans(args.plans)
        outcomes = _outcomes(args.outcomes)
    except OSError as e:
        return _error(f"cannot read {e.filename}: {e.strerror or type(e).__name__}")
    if options.one_off_key and not options.real_ids:
        sys.stderr.write(
            f"{_PROG}: note: no --key or {KEY_VARIABLE} given, so pseudonyms use a one-off random"
            " key and will not match any other export\n"
        )
    report = build_report(
        incidents,
        options=options,
        records=records,
        plans=plans,
        outcomes=outcomes,
        unreadable=unreadable,
    )
    try:
        text = render_html(report) if args.format == "html" else render_markdown(report)
    except MissingExtraError as e:
        return _error(str(e))
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0
