"""The durable_rules backend gives the same findings as the Python engine (hypothesis)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import warnings
from datetime import datetime, timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import trauma_incidents
from trauma_incidents import backends
from trauma_incidents.backends import BackendReport, _host, make_engine
from trauma_incidents.backends.durable import DurableEngine, available
from trauma_incidents.config import Config, RuleSettings, Waiver
from trauma_incidents.engine import RuleFault, RuleSet
from trauma_incidents.errors import BackendUnavailableError, InvalidArgument, RuleError
from trauma_incidents.loading import read_incidents
from trauma_incidents.model import (
    Audience,
    Capacity,
    Category,
    DebriefStatus,
    Incident,
    InjuredParty,
    InjurySeverity,
    Intervention,
    InterventionKind,
    LegalBasis,
    Recipient,
    Severity,
    Stage,
    Topic,
)
from trauma_incidents.packs import Pack, builtin_packs
from trauma_incidents.plans import SupportPlan, SupportPlans, read_support_plans
from trauma_incidents.rules import (
    Anchor,
    DeadlineRule,
    DebriefMatch,
    Finding,
    FindingSeverity,
    InjuryPattern,
    NotificationMatch,
    RuleMeta,
    StageMatch,
    Verdict,
    When,
    rule,
)
from trauma_incidents.rules import OptionSpec as Option
from trauma_incidents.rules._items import ConcernRule, ItemPattern, RequiredDetailRule
from trauma_incidents.strategies import incidents, support_plans
from trauma_incidents.testing import T0, incident

REASON = "durable-rules cannot be imported here (see docs/backends.md)"
needs_durable = pytest.mark.skipif(not available(), reason=REASON)


def _meta(code: str, *, deadline: str | None = None) -> RuleMeta:
    options = () if deadline is None else (Option("within", "duration", deadline, "Span."),)
    return RuleMeta(
        code=code,
        name=f"test-{code.lower()}",
        summary="A test rule.",
        rationale="Exercises the durable_rules compiler.",
        example="None.",
        severity=FindingSeverity.LOW,
        sources=("local policy",),
        options=options,
    )


class _Unsupported:
    """An evidence selector the compiler does not know: the rule must run in Python."""

    path = "$.debriefs[{}].at"

    def indexed(self, incident: Incident) -> list[tuple[datetime | None, int]]:
        return [(d.at, i) for i, d in enumerate(incident.debriefs)]


@rule(_meta("XT008"), gate=["debriefs"])
def _raises(incident: Incident, _at: datetime, _options: object) -> tuple[Verdict, ...]:
    if len(incident.debriefs) > 2:
        raise ZeroDivisionError
    return ()


#: Shapes and selectors the built-in packs do not use, so the compiler meets them all.
EXTRA = Pack(
    name="extra",
    version="1.0.0",
    description="Test shapes.",
    prefixes=("XT",),
    rules=(
        RequiredDetailRule(
            meta=_meta("XT001"),
            when=(),
            pattern=ItemPattern(
                collection="interventions", where={"restrictive": frozenset({True})}
            ),
            fields=("reason", "position", "staff_ids", "ended_at"),
            what="The restrictive intervention record",
        ),
        ConcernRule(
            meta=_meta("XT002"),
            when=(
                When(categories=frozenset({Category.SELF_HARM, Category.FALL})),
                When(severities=frozenset({Severity.SEVERE, Severity.MODERATE})),
            ),
            pattern=None,
            message="A self-harm, fall or serious incident.",
        ),
        ConcernRule(
            meta=_meta("XT003"),
            when=(When(restrictive=False),),
            pattern=ItemPattern(
                collection="injuries",
                where={
                    "who": frozenset({InjuredParty.STAFF, InjuredParty.PERSON}),
                    "severity": frozenset({InjurySeverity.SERIOUS, InjurySeverity.MODERATE}),
                },
            ),
            message="An injury without restriction.",
        ),
        DeadlineRule(
            meta=_meta("XT004", deadline="36h"),
            when=(When(injury=InjuryPattern(severities=frozenset({InjurySeverity.MODERATE}))),),
            anchor=Anchor.OCCURRED,
            evidence=NotificationMatch(
                recipients=frozenset({Recipient.LOCAL_AUTHORITY, Recipient.GP, Recipient.FAMILY}),
                duty_of_candour=False,
            ),
            obligation="A notification",
        ),
        DeadlineRule(
            meta=_meta("XT005", deadline="3wd"),
            when=(),
            anchor=Anchor.FIRST_STAGE,
            evidence=StageMatch(
                stages=frozenset({Stage.SECTION_42_ENQUIRY, Stage.INITIAL_ENQUIRY})
            ),
            obligation="An enquiry",
        ),
        DeadlineRule(
            meta=_meta("XT006", deadline="2d"),
            when=(When(restrictive=True, categories=frozenset({Category.PHYSICAL_AGGRESSION})),),
            anchor=Anchor.RI_END,
            evidence=DebriefMatch(
                audiences=frozenset({Audience.STAFF, Audience.FAMILY}),
                statuses=frozenset({DebriefStatus.HELD, DebriefStatus.OFFERED}),
                topics=frozenset({Topic.TIMELINE, Topic.WELLBEING}),
            ),
            obligation="A debrief",
        ),
        DeadlineRule(
            meta=_meta("XT007", deadline="24h"),
            when=(),
            anchor=Anchor.AWARENESS,
            evidence=_Unsupported(),  # type: ignore[arg-type]
            obligation="A debrief",
        ),
        _raises,
        ConcernRule(
            meta=_meta("XT009"),
            when=(),
            pattern=ItemPattern(
                collection="interventions",
                where={
                    "kind": frozenset({InterventionKind.SECLUSION, InterventionKind.SEGREGATION})
                },
            ),
            message="Seclusion or segregation.",
        ),
        RequiredDetailRule(
            meta=_meta("XT010"),
            when=(),
            pattern=ItemPattern(collection="interventions", where={}),
            fields=("legal_basis", "capacity"),
            what="The intervention record",
            unknown_is_absent=True,
        ),
        RequiredDetailRule(
            meta=_meta("XT011"),
            when=(),
            pattern=ItemPattern(collection="interventions", where={}),
            fields=("legal_basis",),
            what="The intervention record",
        ),
    ),
)
PACKS = {**builtin_packs(), "extra": EXTRA}
ALL_CODES = [r.meta.code for p in PACKS.values() for r in p.rules]
DEADLINES = {r.meta.code for p in PACKS.values() for r in p.rules if isinstance(r, DeadlineRule)}
SPANS = st.sampled_from(["1h", "24h", "72h", "1d", "7d", "1wd", "2wd", "10wd"])


@st.composite
def configs(draw: st.DrawFn) -> Config:
    """Configurations: any rules switched off, deadline spans, severities and episode gaps."""
    rules = {}
    for code in draw(st.lists(st.sampled_from(ALL_CODES), unique=True, max_size=8)):
        options = {"within": draw(SPANS)} if code in DEADLINES and draw(st.booleans()) else {}
        rules[code] = RuleSettings(
            enabled=draw(st.sampled_from([None, True, False])),
            severity=draw(st.none() | st.sampled_from(list(FindingSeverity))),
            options=options,
        )
    gap = draw(st.sampled_from([timedelta(0), timedelta(hours=1), timedelta(days=2)]))
    return Config(packs=tuple(PACKS), rules=rules, episode_gap=gap)


_ENGINES: dict[str, tuple[RuleSet, DurableEngine]] = {}


def engines(config: Config) -> tuple[RuleSet, DurableEngine]:
    """A rule set and its durable engine, kept across examples (many engines coexist)."""
    key = repr(config)
    if key not in _ENGINES:
        if len(_ENGINES) > 64:
            for _, engine in _ENGINES.values():
                engine.close()
            _ENGINES.clear()
        ruleset = RuleSet.compile(config, packs=PACKS)
        _ENGINES[key] = (ruleset, DurableEngine(ruleset))
    return _ENGINES[key]


def assert_same(
    ruleset: RuleSet, engine: DurableEngine, batch: list[Incident], at: datetime
) -> None:
    expected = ruleset.evaluate(batch, at=at)
    actual = engine.evaluate(batch, at=at)
    assert expected.findings == actual.findings, _diff(expected.findings, actual.findings)
    assert expected.faults == actual.faults
    assert expected.waived == actual.waived


def _diff(expected: tuple[Finding, ...], actual: tuple[Finding, ...]) -> str:
    def brief(fs: set[Finding]) -> list[tuple[str, str, str | None, str]]:
        return sorted((f.rule, f.incident_id, f.key, f.status.value) for f in fs)

    a, b = set(expected), set(actual)
    return f"python only: {brief(a - b)}; durable only: {brief(b - a)}"


@pytest.fixture(scope="module", autouse=True)
def _canary() -> None:
    """Run the backend once in a subprocess first: a crash there fails, not kills, the run."""
    if not available():
        return
    code = textwrap.dedent(
        """
        from datetime import datetime, timezone
        from importlib.resources import files
        from trauma_incidents import Incident, RuleSet, read_incidents
        from trauma_incidents.backends.durable import DurableEngine
        path = str(files("trauma_incidents") / "data" / "sample_incidents.ndjson")
        records = [r for r in read_incidents(path) if isinstance(r, Incident)]
        ruleset = RuleSet.compile()
        with DurableEngine(ruleset) as engine:
            at = datetime(2026, 5, 1, tzinfo=timezone.utc)
            expected = ruleset.evaluate(records, at=at).findings
            assert engine.evaluate(records, at=at).findings == expected
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)  # noqa: S603
    if done.returncode != 0:
        pytest.fail(f"the durable backend failed in a subprocess (exit {done.returncode})")


OFFSETS = st.timedeltas(min_value=timedelta(hours=-6), max_value=timedelta(days=30))


@needs_durable
@given(st.lists(incidents(around=T0), min_size=1, max_size=3), configs(), OFFSETS)
def test_same_findings(batch: list[Incident], config: Config, offset: timedelta) -> None:
    """For any incidents, configuration and time, both backends give identical reports."""
    ruleset, engine = engines(config)

    assert_same(ruleset, engine, batch, batch[0].occurred_at + offset)


@needs_durable
@given(
    incidents(around=T0),
    configs(),
    OFFSETS,
    st.sampled_from([timedelta(0), timedelta(microseconds=1)]),
)
def test_same_findings_at_deadlines(
    inc: Incident, config: Config, offset: timedelta, step: timedelta
) -> None:
    """At exactly a deadline (still due) and a microsecond after it, both backends agree."""
    ruleset, engine = engines(config)
    dues = [
        f.due_at for f in ruleset.evaluate([inc], at=inc.occurred_at + offset).findings if f.due_at
    ]

    for due in dues[:3]:
        assert_same(ruleset, engine, [inc], due + step)


@needs_durable
@pytest.mark.parametrize(
    ("legal_basis", "capacity", "xt010", "xt011"),
    [
        # not_assessed is an answer, not an unknown: only not_recorded and unknown count.
        (LegalBasis.NOT_RECORDED, Capacity.NOT_ASSESSED, ("legal_basis",), False),
        (None, Capacity.HAS, ("legal_basis",), True),
        (LegalBasis.CONSENT, Capacity.LACKS, (), False),
    ],
)
def test_unknown_is_absent_in_both_backends(
    legal_basis: LegalBasis | None,
    capacity: Capacity,
    xt010: tuple[str, ...],
    xt011: bool,
) -> None:
    """``unknown_is_absent`` counts not_recorded (and other unknowns) as absent, in both."""
    ruleset, engine = engines(Config(packs=("extra",)))
    iv = Intervention(kind=InterventionKind.REASSURANCE, legal_basis=legal_basis, capacity=capacity)
    inc = attrs.evolve(incident(), interventions=(iv,))

    assert_same(ruleset, engine, [inc], T0 + timedelta(days=1))
    found = {f.rule: f for f in ruleset.evaluate([inc], at=T0 + timedelta(days=1)).findings}
    absent = found["XT010"].message if "XT010" in found else ""
    assert [name for name in ("capacity", "legal_basis") if name in absent] == list(xt010)
    assert ("XT011" in found) is xt011


@needs_durable
@given(
    st.lists(incidents(around=T0), min_size=1, max_size=4),
    st.lists(support_plans(after=T0 - timedelta(days=60)), max_size=4, unique_by=lambda p: p.id),
    OFFSETS,
)
def test_same_findings_with_support_plans(
    batch: list[Incident], versions: list[SupportPlan], offset: timedelta
) -> None:
    """The plans rules run in Python beside durable_rules: both backends give one report."""
    ruleset, engine = engines(Config())
    plans = SupportPlans.from_records(versions)
    at = batch[0].occurred_at + offset
    expected = ruleset.evaluate(batch, at=at, plans=plans)
    actual = engine.evaluate(batch, at=at, plans=plans)
    assert expected.findings == actual.findings, _diff(expected.findings, actual.findings)
    assert expected.faults == actual.faults


@needs_durable
def test_the_sample_with_plans_gives_plans_findings_on_both_backends() -> None:
    """On the sample and the test plans, durable and python agree, with PL findings."""
    ruleset, engine = engines(Config())
    found = read_support_plans(Path(__file__).parents[1] / "data" / "support_plans.ndjson")
    plans = SupportPlans.from_records(p for p in found if isinstance(p, SupportPlan))
    path = Path(trauma_incidents.__file__).parent / "data" / "sample_incidents.ndjson"
    sample = [r for r in read_incidents(path) if isinstance(r, Incident)]
    at = datetime.fromisoformat("2026-05-01T09:00:00+01:00")
    expected = ruleset.evaluate(sample, at=at, plans=plans).findings
    assert engine.evaluate(sample, at=at, plans=plans).findings == expected
    assert any(f.rule.startswith("PL") for f in expected)


@needs_durable
def test_backends_say_where_each_rule_ran() -> None:
    """Declarative shapes run in durable_rules; Python functions and unknown selectors don't."""
    ruleset, engine = engines(Config(packs=("core", "england", "extra")))

    report = engine.evaluate([], at=T0)

    assert isinstance(report, BackendReport)
    assert report.backends["DB005"] == "durable"
    assert report.backends["DB001"] == "python"  # one deadline per restrictive episode
    assert report.backends["XT001"] == "durable"
    assert report.backends["XT007"] == "python"
    assert report.backends["DB003"] == "python"
    assert set(report.backends) == {r.meta.code for r in ruleset.rules}


@needs_durable
def test_engines_coexist_and_close() -> None:
    """Two engines with different configs run side by side; a closed one refuses politely."""
    threads = threading.active_count()
    inc = _sample()
    first = DurableEngine(
        RuleSet.compile(Config(rules={"DB001": RuleSettings(options={"within": "1h"})}))
    )
    second = DurableEngine(RuleSet.compile(Config(rules={"DB001": RuleSettings(enabled=False)})))
    at = T0 + timedelta(hours=3)

    one, two = first.evaluate([inc], at=at), second.evaluate([inc], at=at)
    first.close()
    first.close()

    assert "DB001" in {f.rule for f in one.findings}
    assert "DB001" not in {f.rule for f in two.findings}
    assert threading.active_count() == threads
    with pytest.raises(InvalidArgument, match="closed"):
        first.evaluate([inc], at=at)
    second.close()


@needs_durable
def test_faults_and_strict_match_python() -> None:
    """A Python rule that raises is a fault on both backends, and strict mode raises."""
    inc = attrs.evolve(_sample(), debriefs=_sample().debriefs * 3)
    config = Config(packs=("core", "extra"))
    ruleset, engine = engines(config)

    assert_same(ruleset, engine, [inc], T0 + timedelta(days=2))
    assert engine.evaluate([inc], at=T0 + timedelta(days=2)).faults
    strict = DurableEngine(RuleSet.compile(attrs.evolve(config, strict=True), packs=PACKS))
    with pytest.raises(RuleError, match="XT008"), strict:
        strict.evaluate([inc], at=T0 + timedelta(days=2))


@needs_durable
def test_waivers_match_python() -> None:
    """Waivers apply to durable findings as they do to Python ones."""
    waiver = Waiver(reason="Agreed", rule="DB001", incident_id=_sample().id)
    ruleset = RuleSet.compile(Config(waivers=(waiver,)))
    with DurableEngine(ruleset) as engine:
        assert_same(ruleset, engine, [_sample()], T0 + timedelta(days=4))
        assert engine.evaluate([_sample()], at=T0 + timedelta(days=4)).waived


@needs_durable
def test_unconsumed_fact_loses_no_finding() -> None:
    """A batch with a fact no rule consumes still runs every queued action."""
    from trauma_incidents.backends._host import PrivateHost  # noqa: PLC0415

    fired: list[object] = []
    rules = {"r": ({"clk": {"t": "clock"}}, {"ob": {"t": "ob"}})}
    host = PrivateHost([rules], {"r": fired.append})
    facts = [{"id": 1, "sid": "1", "t": "ob"}, {"id": 2, "sid": "1", "t": "clock", "now": 1}]

    host.run(0, [{"id": 0, "sid": "1", "t": "stray"}, *facts])
    host.close()

    assert len(fired) == 1


@needs_durable
def test_actions_run_where_warnings_are_errors() -> None:
    """durable_rules 2.0.28's clock warned on Python 3.12+, which lost actions under -W error."""
    from trauma_incidents.backends._host import PrivateHost  # noqa: PLC0415

    fired: list[object] = []
    host = PrivateHost([{"r": ({"clk": {"t": "clock"}},)}], {"r": fired.append})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        host.run(0, [{"id": 0, "sid": "1", "t": "clock", "now": 1}])
    host.close()

    assert len(fired) == 1


@needs_durable
def test_invalid_chunk_size() -> None:
    """rules_per_ruleset must be a positive int."""
    with pytest.raises(InvalidArgument, match="rules_per_ruleset"):
        DurableEngine(RuleSet.compile(), rules_per_ruleset=0)


@needs_durable
@pytest.mark.parametrize("backend", ["python", "durable"])
def test_dispatch(backend: str) -> None:
    """trauma_incidents.evaluate gives the same findings on either backend."""
    ruleset = RuleSet.compile()

    report = trauma_incidents.evaluate(
        [_sample()], at=T0 + timedelta(days=2), rules=ruleset, backend=backend
    )

    assert report.findings == ruleset.evaluate([_sample()], at=T0 + timedelta(days=2)).findings
    if backend == "durable":
        assert isinstance(report, BackendReport)
        assert report.backends["DB005"] == "durable"


@needs_durable
@pytest.mark.parametrize("backend", ["python", "durable"])
def test_old_backends_evaluate_warns_and_still_works(backend: str) -> None:
    """The old backends.evaluate (rule set first) still works for one release, with a warning."""
    ruleset = RuleSet.compile()

    with pytest.warns(DeprecationWarning, match=r"trauma_incidents\.evaluate\(incidents"):
        old = backends.evaluate
    report = old(ruleset, [_sample()], at=T0 + timedelta(days=2), backend=backend)

    assert report.findings == ruleset.evaluate([_sample()], at=T0 + timedelta(days=2)).findings
    assert report.backends["DB005"] == backend


def test_unknown_backend() -> None:
    """An unknown backend name is refused with the choices."""
    with pytest.raises(InvalidArgument, match="python, durable"):
        make_engine(RuleSet.compile(), "rete")


def test_unavailable_backend_fails_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where durable_rules cannot be imported, choosing it says why, how to install, what else."""
    monkeypatch.setattr(_host, "IMPORT_ERROR", ModuleNotFoundError("durable"))

    with pytest.raises(BackendUnavailableError, match="backend='python'") as e:
        make_engine(RuleSet.compile(), "durable")

    assert e.value.backend == "durable"
    assert "ModuleNotFoundError" in e.value.reason
    assert _host.install_command(sys.version_info[:2]) in e.value.reason


def test_install_command_per_python() -> None:
    """3.10 to 3.12 install the extra; 3.13 builds durable-rules with the removed call mapped."""
    assert _host.install_command((3, 12)) == "pip install 'trauma-incidents[durable]'"
    assert _host.install_command((3, 10)) == _host.install_command((3, 12))
    assert _host.install_command((3, 13)).startswith(
        "CPPFLAGS='-DPyEval_CallObject(c,a)=PyObject_CallObject(c,a)' pip install --no-binary"
    )


def _sample() -> Incident:
    from trauma_incidents.testing import hours, incident, restraint, staff_debrief  # noqa: PLC0415

    return incident(
        interventions=(restraint(),),
        severity=Severity.MODERATE,
        debriefs=(staff_debrief(T0 + hours(30)),),
    )


@needs_durable
def test_one_engine_shared_by_threads_gives_the_serial_findings() -> None:
    """`check` from several threads at once: each incident gets its own findings."""
    sample = Path(trauma_incidents.__file__).parent / "data" / "sample_incidents.ndjson"
    batch = [i for i in trauma_incidents.read_incidents(sample) if isinstance(i, Incident)] * 4
    at = datetime.fromisoformat("2026-05-01T09:00:00+01:00")
    with DurableEngine(RuleSet.compile()) as engine:
        expected = [engine.check(i, at) for i in batch]
        found: dict[int, tuple[list[Finding], list[RuleFault]]] = {}

        def work(start: int) -> None:
            for n in range(start, len(batch), 4):
                found[n] = engine.check(batch[n], at)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert [found[n] for n in range(len(batch))] == expected
