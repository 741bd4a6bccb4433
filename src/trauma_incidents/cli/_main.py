"""
The argument parser and one handler per command; `main` is the entry point.

Thin by design: it parses arguments, calls the library and formats the results.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from trauma_incidents.backends import BACKENDS
from trauma_incidents.cli import _writers
from trauma_incidents.cli._check import input_error, run
from trauma_incidents.cli._effect import add_effect
from trauma_incidents.cli._generate import add_generate
from trauma_incidents.cli._report import add_report
from trauma_incidents.config import Config
from trauma_incidents.engine._ruleset import RuleSet
from trauma_incidents.errors import (
    BackendUnavailableError,
    ConfigError,
    MissingExtraError,
    OutputError,
    PackError,
    RuleError,
)
from trauma_incidents.governance import GovernanceRecords, read_governance
from trauma_incidents.loading import BadRecord, incident_schema, partition
from trauma_incidents.model._validators import YEARS, in_years
from trauma_incidents.packs import available_packs, discover_packs
from trauma_incidents.plans import SupportPlans, read_support_plans
from trauma_incidents.rules._context import Context
from trauma_incidents.rules._findings import Status

if TYPE_CHECKING:  # outcome records are imported when given
    from trauma_incidents.outcomes import OutcomeRecord, Outcomes

__all__ = ["main"]

PROG = "trauma-incidents"
_FORMATS = ("table", "json", "ndjson", "csv")


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the command line with *argv* (``sys.argv[1:]`` by default) and return the exit code.

    ``check`` returns 1 when a finding has a ``--fail-on`` status, and 2 when an input, a
    record or the configuration could not be read, or a rule failed; otherwise 0. Every
    command returns 3 when it stopped before the end (`CRASHED`), having said so on stderr:
    an unexpected exception, a killed worker, memory exhausted, or output that could not be
    written (quietly when the reader has gone, as ``| head`` does).
    """
    args = _parser().parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.command
    try:
        code = command(args)
        with _writers.writing():
            sys.stdout.flush()
    except OutputError as e:
        if not isinstance(e.original, BrokenPipeError):
            sys.stderr.write(f"{PROG}: error: {e}; the output is incomplete\n")
        _quiet_stdout()
        return CRASHED
    except BrokenPipeError:  # written by a command itself: the reader has gone
        _quiet_stdout()
        return CRASHED
    except Exception as e:  # noqa: BLE001 (any other exception is a crash, and said to be)
        sys.stderr.write(f"{PROG}: error: {crash_text(e)}; the output is incomplete\n")
        return CRASHED
    return code


#: The exit code of a run that stopped before the end.
CRASHED = 3


def crash_text(e: BaseException) -> str:
    """``the run stopped (MemoryError)``: the type only, as its message may quote a record."""
    reason = type(e).__name__
    if isinstance(e, OSError) and e.strerror:
        reason += f": {e.strerror}"
    return f"the run stopped ({reason})"


def _quiet_stdout() -> None:
    """Point stdout at devnull once writing failed (``| head``), so exiting stays quiet."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)


_EXIT_CODES = (
    "exit codes: 0 nothing to act on; 1 (check) a finding has a --fail-on status;"
    " 2 an input, a record or the configuration could not be read, or a rule failed;"
    " 3 the run stopped before the end (an unexpected error, a killed worker, memory"
    " exhausted, output that could not be written), after saying on stderr what was lost"
)


class _Version(argparse.Action):
    """Print the installed version and exit; read only when asked (it costs startup time)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from importlib.metadata import version  # noqa: PLC0415 (lazy)

        sys.stdout.write(f"{parser.prog} {version(PROG)}\n")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Trauma-informed incident management for adult social care.",
        epilog=_EXIT_CODES,
    )
    parser.add_argument("--version", action=_Version, help="show program's version number and exit")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    _add_check(commands)
    rules = commands.add_parser("rules", help="list the rules of the built-in and installed packs")
    rules.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    rules.set_defaults(command=_rules)
    explain = commands.add_parser("explain", help="show one rule's metadata, options and sources")
    explain.add_argument("code", metavar="CODE", help="a rule code, such as DB001")
    explain.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    explain.set_defaults(command=_explain)
    schema = commands.add_parser("schema", help="print the JSON Schema of the incident format")
    schema.set_defaults(command=_schema)
    test = commands.add_parser(
        "test", help="run golden scenario files (without pytest)", description=_TEST_HELP
    )
    test.add_argument("paths", nargs="+", metavar="PATH", help="a scenario file or a folder")
    test.add_argument("--junit-xml", metavar="FILE", help="also write a JUnit XML report")
    test.add_argument(
        "--coverage",
        action="store_true",
        help="print, per rule of the enabled packs, the statuses the scenarios exercised",
    )
    test.add_argument(
        "--fail-under",
        type=float,
        metavar="PCT",
        help="exit 1 when fewer than PCT percent of the rules were exercised",
    )
    test.set_defaults(command=_test)
    add_report(commands)
    add_effect(commands)
    demo = commands.add_parser("demo", help="check the bundled sample incidents and explain")
    demo.set_defaults(command=_demo)
    add_generate(commands)
    return parser


def _add_check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser(
        "check",
        help="check incidents (JSON or NDJSON files) against the rules",
        description="Check incidents against the rules and report what is due, overdue or missing.",
        epilog=_EXIT_CODES,
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="JSON or NDJSON file; - is stdin")
    check.add_argument(
        "--at", metavar="ISO", help="evaluate as of this time, with a UTC offset (default: now)"
    )
    check.add_argument("--config", metavar="FILE", help="a TOML configuration file")
    check.add_argument(
        "--governance",
        metavar="FILE",
        help="governance records (meetings, supervision, thematic reviews) for the governance pack",
    )
    check.add_argument(
        "--plans",
        metavar="FILE",
        help="support plans (JSON or NDJSON) for the plans pack; without them its rules do not run",
    )
    check.add_argument(
        "--outcomes",
        metavar="FILE",
        help="outcome records (activities, wellbeing checks): LN005 then accepts what they show"
        " about each learning action; the inputs are read whole first, in one process"
        " (needs the [analysis] extra)",
    )
    check.add_argument("--format", choices=_FORMATS, default="table")
    check.add_argument(
        "--fail-on",
        type=_fail_on,
        default="overdue",
        metavar="STATUS[,STATUS...]|never",
        help="exit 1 when a finding has one of these statuses (default: overdue)",
    )
    check.add_argument(
        "--fail-on-unused-waiver",
        action="store_true",
        help="exit 1 when a waiver in force matched no finding (expired ones are reported)",
    )
    check.add_argument(
        "--backend",
        choices=BACKENDS,
        default="python",
        help="the engine for per-incident rules: python (default) or durable"
        " (needs durable-rules: see docs/backends.md); the findings are the same",
    )
    check.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="evaluate NDJSON in N worker processes; output order is unchanged (default: 1)",
    )
    check.set_defaults(command=_check)


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if not 1 <= n <= 256:  # noqa: PLR2004
        msg = f"expected a whole number of processes from 1 to 256 (got {text!r})"
        raise argparse.ArgumentTypeError(msg)
    return n


def _fail_on(text: str) -> frozenset[Status]:
    if text.strip() == "never":
        return frozenset()
    try:
        return frozenset(Status(s.strip()) for s in text.split(","))
    except ValueError:
        allowed = ", ".join(s.value for s in Status)
        msg = f"expected 'never' or statuses from: {allowed} (got {text!r})"
        raise argparse.ArgumentTypeError(msg) from None


def _error(command: str, message: str) -> int:
    sys.stderr.write(f"{PROG} {command}: error: {message}\n")
    return 2


def parse_at(text: str | None) -> datetime | str:
    """The time ``--at`` names (now, if ``None``), or a message saying what is wrong with it."""
    if text is None:
        return datetime.now(timezone.utc)
    example = "such as 2026-05-01T09:00:00+01:00 or 2026-05-01T08:00:00Z"
    try:
        at = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        return f"--at {text!r} is not an ISO 8601 date-time; give one {example}"
    if at.tzinfo is None or at.utcoffset() is None:
        return f"--at {text!r} has no UTC offset, so the time is ambiguous; give one {example}"
    if not in_years(at):
        return f"--at {text!r} is not {YEARS}, the years of the format; give one {example}"
    return at


def _check(args: argparse.Namespace) -> int:
    setup = _check_setup(args)
    if isinstance(setup, str):
        return _error("check", setup)
    at, ruleset, context, bad_records = setup
    if "-" in args.paths and sys.stdin is None:  # started with stdin closed (<&-)
        sys.stderr.write(
            f"{PROG} check: error: stdin is closed, so - cannot be read; nothing was evaluated\n"
        )
        return CRASHED
    writer = _writers.make_writer(args.format, sys.stdout, sys.stderr)
    tally = _writers.Tally(at)
    try:
        for bad in bad_records:  # reported as records of an input are; the good ones are kept
            tally.input_errors += 1
            writer.input_error(input_error(bad))
        run(
            ruleset,
            args.paths,
            at,
            writer,
            jobs=args.jobs,
            records=context.records,
            plans=context.plans,
            outcomes=context.outcomes,
            backend=args.backend,
            tally=tally,
        )
        with _writers.writing():
            writer.finish(tally)
    # a strict fault; an unusable backend; outcome records without SciPy
    except (RuleError, BackendUnavailableError, MissingExtraError) as e:
        return _error("check", str(e))
    except OutputError:
        raise
    except Exception as e:  # noqa: BLE001 (a crash, said to be, with how far the run got)
        evaluated = _writers.plural(tally.incidents, "incident")
        lost = f"{evaluated} evaluated; the rest of the input was not, and the output is incomplete"
        sys.stderr.write(f"{PROG} check: error: {crash_text(e)} after {lost}\n")
        return CRASHED
    if tally.input_errors or tally.faults:
        return 2
    unused = args.fail_on_unused_waiver and bool(tally.waivers_unused)
    return 1 if unused or any(tally.statuses[s] for s in args.fail_on) else 0


def _check_setup(
    args: argparse.Namespace,
) -> tuple[datetime, RuleSet, Context, tuple[BadRecord, ...]] | str:
    """
    The time, rule set, records beside the incidents and the bad ones, or what is wrong.

    The records are the governance records (``--governance``), the support plans
    (``--plans``) and the outcome records (``--outcomes``); ``None`` for a file not given.
    """
    at = parse_at(args.at)
    if isinstance(at, str):
        return at
    try:
        ruleset = RuleSet.compile(Config.from_file(args.config) if args.config else None)
    except (ConfigError, PackError) as e:
        return f"{args.config or 'configuration'}: {e}"
    records: GovernanceRecords | None = None
    plans: SupportPlans | None = None
    outcomes: Outcomes | None = None
    read: tuple[OutcomeRecord, ...]
    bad: tuple[BadRecord, ...] = ()
    path = args.governance
    try:
        if path:
            good, bad_records = partition(read_governance(path))
            records, bad = GovernanceRecords.from_records(good), bad + bad_records
        if path := args.plans:
            found, bad_plans = partition(read_support_plans(path))
            plans, bad = SupportPlans.from_records(found), bad + bad_plans
        if path := args.outcomes:
            from trauma_incidents.outcomes import Outcomes, read_outcomes  # noqa: PLC0415

            read, bad_outcomes = partition(read_outcomes(path))
            outcomes, bad = Outcomes.from_records(read), bad + bad_outcomes
    except OSError as e:
        return f"{path}: cannot read ({e.strerror or type(e).__name__})"
    return at, ruleset, Context(records or GovernanceRecords(), plans, outcomes), bad


def _rules(args: argparse.Namespace) -> int:
    from trauma_incidents.cli import _catalogue  # noqa: PLC0415 (lazy, as every other command)

    try:
        found = available_packs()
    except PackError as e:
        return _error("rules", str(e))
    packs = found.packs
    entries = _catalogue.catalogue(packs)
    if args.format == "json":
        _print_json([_catalogue.rule_dict(e) for e in entries])
    elif args.format == "markdown":
        sys.stdout.write(_catalogue.markdown(packs))
    else:
        sys.stdout.write(_catalogue.rules_table(entries))
    for name, error in found.broken.items():
        line = f"broken pack {name} (not loaded; enabling it is an error): {error}\n"
        (sys.stdout if args.format == "table" else sys.stderr).write(line)
    return 0


def _explain(args: argparse.Namespace) -> int:
    from trauma_incidents.cli import _catalogue  # noqa: PLC0415 (lazy, as every other command)

    try:
        entry = _catalogue.find_rule(args.code, discover_packs())
    except PackError as e:
        return _error("explain", str(e))
    if entry is None:
        return _error("explain", f"no rule with code {args.code!r} (list them with: {PROG} rules)")
    if args.format == "json":
        _print_json(_catalogue.rule_dict(entry))
    elif args.format == "markdown":
        sys.stdout.write(_catalogue.rule_markdown(entry))
    else:
        sys.stdout.write(_catalogue.explain_text(entry))
    return 0


_TEST_HELP = (
    "Run every checkpoint of the scenario files (*.scenario.yaml, *.scenario.yml,"
    " *.scenario.json) and print a line per checkpoint, with the difference for a failure."
    " Exit 1 when a checkpoint fails or coverage is under --fail-under, 2 when a file cannot"
    " be run."
)


def _test(args: argparse.Namespace) -> int:
    from trauma_incidents.testing import _junit  # noqa: PLC0415 (lazy: check need not wait)
    from trauma_incidents.testing._coverage import coverage  # noqa: PLC0415

    cases = list(_junit.run_files(args.paths))
    for case in cases:
        verdict = "PASSED" if case.passed else "ERROR" if case.error else "FAILED"
        sys.stdout.write(f"{case.file}::{case.name} {verdict}\n")
        if case.error:
            sys.stdout.write(f"  {case.error}\n")
        elif case.result is not None and not case.passed:
            sys.stdout.write(case.result.explain() + "\n")
    failed = sum(1 for c in cases if c.result is not None and not c.passed)
    errors = sum(1 for c in cases if c.error)
    sys.stdout.write(f"{len(cases) - failed - errors} passed, {failed} failed, {errors} errors\n")
    if args.junit_xml:
        Path(args.junit_xml).write_bytes(_junit.junit_xml(cases))
    covered = coverage(cases)
    if args.coverage:
        sys.stdout.write(covered.table())
    under = args.fail_under is not None and covered.percent < args.fail_under
    if under:
        sys.stdout.write(f"coverage {covered.percent:.1f}% is under {args.fail_under:g}%\n")
    return 2 if errors else 1 if failed or under or not cases else 0


def _schema(_args: argparse.Namespace) -> int:
    _print_json(incident_schema())
    return 0


def _print_json(value: object) -> None:
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")


def _demo(_args: argparse.Namespace) -> int:
    from trauma_incidents.cli._demo import demo  # noqa: PLC0415 (lazy)

    sys.stdout.write(demo())
    return 0
