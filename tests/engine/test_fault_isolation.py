"""
Fault isolation: a misbehaving third-party rule cannot stop, change or hide the others.

A rule that raises, returns something other than verdicts, fails half-way through a
generator or runs past ``rule_time_limit`` is reported in `Report.faults` (by the exception's
type name only) and gives no findings for that incident; every other rule's findings are
exactly those of a run without it. ``strict`` turns the first fault into a `RuleError`.

All data is synthetic.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trauma_incidents.cli import main
from trauma_incidents.config import Config
from trauma_incidents.engine import Report, RuleFault, RuleSet, _guard, _ruleset
from trauma_incidents.errors import ConfigError, InvalidVerdict, RuleError, TimeLimitExceeded
from trauma_incidents.loading import dumps
from trauma_incidents.model import Incident
from trauma_incidents.packs import Available, Pack, builtin_packs
from trauma_incidents.rules import (
    Evidence,
    FindingSeverity,
    FunctionRule,
    RuleMeta,
    Status,
    Verdict,
    rule,
)
from trauma_incidents.strategies import incidents
from trauma_incidents.testing import T0, days, incident, restraint

UTC = timezone.utc
AT = T0 + days(5)
#: Incidents every run evaluates: each has findings from the built-in packs.
INCIDENTS = [
    incident(id="INC-A", interventions=(restraint(),)),
    incident(id="INC-B", interventions=(restraint(),)),
]
CANARY = "canary-7f3a"  # put in exception messages: a fault must never keep them

Result = Callable[[Incident], object]


def _meta(code: str) -> RuleMeta:
    return RuleMeta(
        code=code,
        name=f"local-rule-{code[-1]}",
        summary="A synthetic rule for tests.",
        rationale="Tests need a rule of their own.",
        example="Any incident.",
        severity=FindingSeverity.LOW,
        sources=("local policy",),
    )


def flagged(key: str | None = None) -> Verdict:
    return Verdict(key=key, status=Status.CONCERN, message="Flagged.")


@rule(_meta("LOC009"))
def well_behaved(incident: Incident, _at: datetime, _options: Mapping[str, Any]) -> Any:
    """Flag every incident: its finding must survive whatever the other rules do."""
    return (flagged(incident.id),)


def misbehaving(result: Result) -> FunctionRule:
    """Rule LOC001, returning ``result(incident)``."""

    def check(incident: Incident, _at: datetime, _options: Mapping[str, Any]) -> Any:
        return result(incident)

    return FunctionRule(_meta("LOC001"), check)


def ruleset(bad: FunctionRule | None, **config: Any) -> RuleSet:
    """The built-in packs and a local pack of `well_behaved` (and *bad*, first, if given)."""
    rules = (well_behaved,) if bad is None else (bad, well_behaved)
    pack = Pack(name="local", version="1", description="Synthetic.", rules=rules, prefixes=("LOC",))
    packs = {**builtin_packs(), "local": pack}
    return RuleSet.compile(Config(packs=("core", "england", "local"), **config), packs=packs)


def findings_of_others(report: Report) -> list[tuple[str, str, str | None, Status]]:
    return [(f.rule, f.incident_id, f.key, f.status) for f in report.findings if f.rule != "LOC001"]


BASELINE = findings_of_others(ruleset(None).evaluate(INCIDENTS, at=AT))


def _raise(exc: BaseException) -> Callable[[Incident], object]:
    def result(_incident: Incident) -> object:
        raise exc

    return result


def _half_then_raise(_incident: Incident) -> Iterator[Verdict]:
    yield flagged("first")
    msg = f"half-way {CANARY}"
    raise RuntimeError(msg)


def _wrong_field(**change: Any) -> Result:
    return lambda _incident: (attrs.evolve(flagged(), **change),)


#: A misbehaviour, and the fault type name it is reported as.
MISBEHAVIOURS: dict[str, tuple[Result, str]] = {
    "raises": (_raise(ValueError(CANARY)), "ValueError"),
    "raises a library error": (_raise(RuleError("X", "Y", ValueError())), "RuleError"),
    "recursion": (_raise(RecursionError(CANARY)), "RecursionError"),
    "returns None": (lambda _i: None, "InvalidVerdict"),
    "returns a number": (lambda _i: 5, "InvalidVerdict"),
    "returns text": (lambda _i: f"Flagged {CANARY}", "InvalidVerdict"),
    "returns a dict": (lambda _i: {"status": "overdue"}, "InvalidVerdict"),
    "returns a bare Verdict": (lambda _i: flagged(), "InvalidVerdict"),
    "returns other objects": (lambda _i: [flagged(), object()], "InvalidVerdict"),
    "status is text": (_wrong_field(status="overdue"), "InvalidVerdict"),
    "message is None": (_wrong_field(message=None), "InvalidVerdict"),
    "key is a number": (_wrong_field(key=3), "InvalidVerdict"),
    "due_at is naive": (_wrong_field(due_at=datetime(2026, 3, 3)), "InvalidVerdict"),  # noqa: DTZ001
    "due_at is a date": (_wrong_field(due_at=date(2026, 3, 3)), "InvalidVerdict"),
    "satisfied_at is text": (_wrong_field(satisfied_at="2026-03-03"), "InvalidVerdict"),
    "evidence is a list": (_wrong_field(evidence=[Evidence("$.id", "x")]), "InvalidVerdict"),
    "evidence holds tuples": (_wrong_field(evidence=(("$.id", "x"),)), "InvalidVerdict"),
    "a generator raises half-way": (_half_then_raise, "RuntimeError"),
    "a generator yields garbage": (lambda _i: (x for x in [flagged(), 1]), "InvalidVerdict"),
    "two verdicts share a key": (lambda _i: [flagged("k"), flagged("k")], "InvalidVerdict"),
    "due without due_at": (_wrong_field(status=Status.DUE, due_at=None), "InvalidVerdict"),
}
CASES = list(MISBEHAVIOURS.values())


@pytest.mark.parametrize(("result", "error"), CASES, ids=MISBEHAVIOURS.keys())
class TestMisbehavingRule:
    def test_is_reported_and_the_others_are_unchanged(self, result: Result, error: str) -> None:
        """The fault names the rule, incident and type; every other finding is as without it."""
        report = ruleset(misbehaving(result)).evaluate(INCIDENTS, at=AT)

        assert report.faults == (
            RuleFault("LOC001", "INC-A", error),
            RuleFault("LOC001", "INC-B", error),
        )
        assert findings_of_others(report) == BASELINE
        assert not [f for f in report.findings if f.rule == "LOC001"]

    def test_fault_keeps_no_message(self, result: Result, error: str) -> None:
        """Only the type name is kept: an exception's message may quote the record."""
        report = ruleset(misbehaving(result)).evaluate(INCIDENTS, at=AT)

        assert CANARY not in repr(report)
        assert {f.error for f in report.faults} == {error}

    def test_strict_raises_rule_error(self, result: Result, error: str) -> None:
        """With strict=True the first fault raises `RuleError` naming rule and incident."""
        with pytest.raises(RuleError) as info:
            ruleset(misbehaving(result), strict=True).evaluate(INCIDENTS, at=AT)

        assert (info.value.rule, info.value.incident_id) == ("LOC001", "INC-A")
        assert type(info.value.original).__name__ == error
        assert str(info.value) == f"rule LOC001 failed on incident 'INC-A': {error}"


def test_an_empty_list_or_generator_is_no_findings() -> None:
    """Returning no verdicts in any iterable (list, generator) is valid and gives no fault."""
    empties: list[Result] = [lambda _i: [], lambda _i: iter(()), lambda _i: frozenset()]
    for result in empties:
        report = ruleset(misbehaving(result)).evaluate(INCIDENTS, at=AT)
        assert report.faults == ()
        assert findings_of_others(report) == BASELINE


def test_a_generator_of_verdicts_is_valid() -> None:
    """A rule may yield its verdicts; they become findings like a tuple's."""
    report = ruleset(misbehaving(lambda i: (flagged(k) for k in (i.id, "x")))).evaluate(
        INCIDENTS[:1], at=AT
    )
    assert [f.key for f in report.findings if f.rule == "LOC001"] == ["INC-A", "x"]


def test_a_fault_on_one_incident_leaves_the_rule_running_on_others() -> None:
    """A rule that fails on one incident still gives its findings on the others."""

    def only_b(incident: Incident) -> object:
        return (flagged(),) if incident.id == "INC-B" else None

    report = ruleset(misbehaving(only_b)).evaluate(INCIDENTS, at=AT)

    assert report.faults == (RuleFault("LOC001", "INC-A", "InvalidVerdict"),)
    assert [f.incident_id for f in report.findings if f.rule == "LOC001"] == ["INC-B"]


def test_invalid_verdict_names_the_field_not_the_value() -> None:
    """The message says which field has which wrong type, never the value."""
    with pytest.raises(InvalidVerdict) as info:
        _guard.verdicts_of((attrs.evolve(flagged(), message=CANARY.encode()),))  # type: ignore[arg-type]
    assert str(info.value) == "Verdict.message has the wrong type (a bytes)"


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit])
def test_an_interrupt_is_not_swallowed(interrupt: type[BaseException]) -> None:
    """Ctrl-C (and SystemExit) stop the run: only `Exception`s are isolated."""
    with pytest.raises(interrupt):
        ruleset(misbehaving(_raise(interrupt()))).evaluate(INCIDENTS, at=AT)


# --- time limit ----------------------------------------------------------------------------


@attrs.define
class FakeClock:
    """A `perf_counter` that moves only when a rule says it took time."""

    now: float = 0.0

    def __call__(self) -> float:
        return self.now

    def slow(self, seconds: float, result: object = ()) -> Result:
        def run(_incident: Incident) -> object:
            self.now += seconds
            return result

        return run


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(_guard, "perf_counter", fake)
    return fake


class TestTimeLimit:
    def test_a_slow_rule_is_a_fault_and_its_findings_are_dropped(self, clock: FakeClock) -> None:
        """Over the limit: reported as TimeLimitExceeded, no findings; the others unchanged."""
        slow = misbehaving(clock.slow(0.5, (flagged(),)))
        report = ruleset(slow, rule_time_limit=0.25).evaluate(INCIDENTS, at=AT)

        assert {f.error for f in report.faults} == {"TimeLimitExceeded"}
        assert len(report.faults) == 2
        assert findings_of_others(report) == BASELINE
        assert not [f for f in report.findings if f.rule == "LOC001"]

    def test_exactly_at_the_limit_is_in_time(self, clock: FakeClock) -> None:
        """The limit is inclusive: a rule taking exactly the limit keeps its findings."""
        report = ruleset(
            misbehaving(clock.slow(0.25, (flagged(),))), rule_time_limit=0.25
        ).evaluate(INCIDENTS, at=AT)
        assert report.faults == ()
        assert len([f for f in report.findings if f.rule == "LOC001"]) == 2

    def test_a_generator_is_timed_while_it_is_consumed(self, clock: FakeClock) -> None:
        """Work done lazily in a generator counts against the rule."""

        def lazy(_incident: Incident) -> Iterator[Verdict]:
            clock.now += 1.0
            yield flagged()

        report = ruleset(misbehaving(lazy), rule_time_limit=0.5).evaluate(INCIDENTS, at=AT)
        assert {f.error for f in report.faults} == {"TimeLimitExceeded"}

    def test_without_a_limit_nothing_is_timed(self, clock: FakeClock) -> None:
        """No limit (the default): a slow rule keeps its findings, and no clock is read."""
        report = ruleset(misbehaving(clock.slow(3600.0, (flagged(),)))).evaluate(INCIDENTS, at=AT)
        assert report.faults == ()
        assert len([f for f in report.findings if f.rule == "LOC001"]) == 2

    def test_strict_raises(self, clock: FakeClock) -> None:
        """With strict=True a slow rule raises `RuleError` wrapping TimeLimitExceeded."""
        slow = ruleset(misbehaving(clock.slow(1.0)), rule_time_limit=0.5, strict=True)
        with pytest.raises(RuleError) as info:
            slow.evaluate(INCIDENTS, at=AT)
        assert isinstance(info.value.original, TimeLimitExceeded)
        assert "over the limit of 0.5 s" in str(info.value.original)

    def test_with_the_real_clock(self) -> None:
        """A rule that sleeps past a small limit is reported (real time, generous margins)."""

        def sleepy(_incident: Incident) -> object:
            time.sleep(0.05)
            return ()

        report = ruleset(misbehaving(sleepy), rule_time_limit=0.005).evaluate(INCIDENTS, at=AT)
        assert {f.error for f in report.faults} == {"TimeLimitExceeded"}
        assert findings_of_others(report) == BASELINE

    @pytest.mark.parametrize(
        ("raw", "expected"), [(None, None), (2, 2.0), (0.5, 0.5)], ids=["absent", "int", "float"]
    )
    def test_read_from_configuration(self, raw: object, expected: float | None) -> None:
        """``rule_time_limit`` is a number of seconds in the configuration file."""
        data = {} if raw is None else {"rule_time_limit": raw}
        assert Config.from_dict(data).rule_time_limit == expected

    @pytest.mark.parametrize("raw", [0, -1, True, "1s", float("inf"), float("nan")])
    def test_a_bad_limit_is_a_config_error(self, raw: object) -> None:
        """Zero, negative, infinite, boolean or text limits are refused, naming the key."""
        with pytest.raises(ConfigError) as info:
            Config.from_dict({"rule_time_limit": raw})
        (problem,) = info.value.problems
        assert problem.startswith("rule_time_limit: expected a number of seconds above 0")

    def test_from_toml(self) -> None:
        """The limit reaches the compiled rule set."""
        config = Config.from_toml('packs = ["core"]\nrule_time_limit = 0.2\n')
        assert RuleSet.compile(config).rule_time_limit == 0.2


# --- through the command line --------------------------------------------------------------


def _discover_with(monkeypatch: pytest.MonkeyPatch, pack: Pack) -> None:
    """Make *pack* installed, as a third-party pack would be through its entry point."""

    def discover(*_args: object, **_kwargs: object) -> Available:
        return Available({**builtin_packs(), "local": pack}, {})

    monkeypatch.setattr(_ruleset, "available_packs", discover)


def test_check_reports_the_fault_and_writes_every_other_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check` names the failing rule on stderr, writes the other findings and exits 2."""
    bad = misbehaving(lambda _i: "not verdicts")
    pack = Pack(name="local", version="1", description="Synthetic.", rules=(bad, well_behaved))
    _discover_with(monkeypatch, pack)
    data = tmp_path / "in.ndjson"
    data.write_bytes(b"\n".join(dumps(i) for i in INCIDENTS))
    config = tmp_path / "config.toml"
    config.write_text('packs = ["core", "england", "local"]\n', encoding="utf-8")
    argv = ["check", str(data), "--config", str(config), "--at", AT.isoformat()]

    code = main([*argv, "--format", "ndjson", "--fail-on", "never"])

    captured = capsys.readouterr()
    assert code == 2
    assert "error: rule LOC001 failed on incident 'INC-A' (InvalidVerdict)" in captured.err
    written = [orjson.loads(line) for line in captured.out.splitlines()]
    others = [(f["rule"], f["incident_id"], f["key"], Status(f["status"])) for f in written]
    assert others == BASELINE


def test_check_strict_stops_at_the_first_fault(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``strict = true`` in the configuration, `check` stops with exit code 2."""
    bad = misbehaving(_raise(ValueError(CANARY)))
    pack = Pack(name="local", version="1", description="Synthetic.", rules=(bad,))
    _discover_with(monkeypatch, pack)
    data = tmp_path / "in.ndjson"
    data.write_bytes(dumps(INCIDENTS[0]))
    config = tmp_path / "config.toml"
    config.write_text('packs = ["local"]\nstrict = true\n', encoding="utf-8")

    code = main(["check", str(data), "--config", str(config), "--at", AT.isoformat()])

    captured = capsys.readouterr()
    assert code == 2
    assert "rule LOC001 failed on incident 'INC-A': ValueError" in captured.err
    assert CANARY not in captured.out + captured.err


def test_a_cross_incident_rule_returning_garbage_is_a_fault() -> None:
    """A governance-style rule that returns something other than verdicts is isolated."""
    from trauma_incidents.engine._cross import run_cross  # noqa: PLC0415

    class Garbage:
        meta = RuleSet.compile(Config(packs=("governance",))).cross[0].meta
        severity = meta.severity
        pack = "governance"

        def check(self, *_args: object) -> object:
            return 42

    findings, faults = run_cross([Garbage()], [], None, T0)  # type: ignore[list-item]
    assert findings == []
    assert [(f.rule, f.error) for f in faults] == [("GV001", "TypeError")]


def test_only_the_library_s_own_rules_skip_the_verdict_checks() -> None:
    """Third-party rules are checked; trust is data, so it survives pickling to workers."""
    rules = ruleset(None).rules
    trusted = {r.meta.code for r in rules if r.trusted}

    assert trusted == {r.meta.code for r in rules if r.pack in ("core", "england")}
    assert "LOC009" not in trusted
    copies = pickle.loads(pickle.dumps(rules))  # noqa: S301 (our own bytes)
    assert [r.trusted for r in copies] == [r.trusted for r in rules]


@settings(max_examples=50)
@given(incidents(), st.datetimes(timezones=st.just(UTC)))
def test_the_library_s_own_rules_return_well_formed_verdicts(item: Incident, at: datetime) -> None:
    """What earns them their trust: every verdict passes `verdicts_of`'s checks."""
    for r in _TRUSTED:
        result = r.check(item, at)
        assert list(_guard.verdicts_of(result)) == list(result)


_TRUSTED = [r for r in RuleSet.compile(Config(packs=("core", "england"))).rules if r.trusted]
