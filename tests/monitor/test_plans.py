"""Support plans in the monitor: the plans rules, upsert_plan, snapshots, isolation."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from importlib.resources import files

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from trauma_incidents.config import Config, RuleSettings
from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import MonitorDataError
from trauma_incidents.model import Incident, TriggerKind
from trauma_incidents.monitor import Event, EventKind, Monitor, replay
from trauma_incidents.plans import KnownTrigger, SupportPlans
from trauma_incidents.rules import Finding
from trauma_incidents.testing import T0, days, hours, incident, restraint, support_plan, trigger

from .support import BACKENDS

RULES = RuleSet.compile()
SCHEMA = json.loads(
    (files("trauma_incidents") / "data" / "monitor_snapshot.schema.json").read_text()
)


#: A finding as the tests compare it: rule, incident, key and status.
Key = tuple[str, str, str | None, str]


def plan_findings(findings: Iterable[Finding]) -> set[Key]:
    return {
        (f.rule, f.incident_id, f.key, f.status.value) for f in findings if f.rule.startswith("PL")
    }


def batch(incidents: list[Incident], plans: SupportPlans, at: datetime) -> set[Key]:
    """What one evaluation of the whole batch says, the plans rules only."""
    return plan_findings(RULES.evaluate(incidents, at=at, plans=plans).findings)


def test_without_plans_the_plans_rules_wait_for_the_first() -> None:
    events: list[Event] = []
    with Monitor(RULES, at=T0 + hours(1), on_event=events.append) as monitor:
        monitor.upsert(incident(interventions=(restraint(),)))
        assert monitor.plans is None
        assert plan_findings(monitor.findings) == set()
        found = monitor.upsert_plan(support_plan(effective_from=T0 + days(1)))
        assert (EventKind.OPENED, "PL001") in {(e.kind, e.rule) for e in found}
        assert monitor.plans == SupportPlans.from_records(
            [support_plan(effective_from=T0 + days(1))]
        )


def test_a_plan_version_re_checks_the_person_s_incidents_only() -> None:
    """A plan in force from before the incident meets PL001; another person's is not touched."""
    plans = SupportPlans.from_records([])
    with Monitor(RULES, at=T0 + hours(2), plans=plans) as monitor:
        monitor.upsert(incident(id="I-1", interventions=(restraint(),)))
        monitor.upsert(incident(id="I-2", person_id="P-2", interventions=(restraint(),)))
        pl001 = {(i, s) for r, i, _, s in plan_findings(monitor.findings) if r == "PL001"}
        assert pl001 == {("I-1", "missing"), ("I-2", "missing")}
        events = monitor.upsert_plan(support_plan())
        assert {(e.kind, e.incident_id) for e in events if e.rule == "PL001"} == {
            (EventKind.WITHDRAWN, "I-1")
        }
        assert {e.incident_id for e in events} == {"I-1"}
        pl001 = {(i, s) for r, i, _, s in plan_findings(monitor.findings) if r == "PL001"}
        assert pl001 == {("I-2", "missing")}


def test_replacing_a_version_by_id() -> None:
    """A version with a known id replaces it (a correction), and the findings follow."""
    env = trigger(TriggerKind.ENVIRONMENTAL)
    learned = (KnownTrigger(kind=TriggerKind.SENSORY), KnownTrigger(kind=TriggerKind.ENVIRONMENTAL))
    with Monitor(RULES, at=T0 + hours(1), plans=SupportPlans()) as monitor:
        monitor.upsert(incident(triggers=(env,), interventions=(restraint(),)))
        monitor.upsert_plan(support_plan())
        monitor.upsert_plan(support_plan(id="SP-2", effective_from=T0 + days(3)))
        assert ("PL003", "INC-0001", "environmental", "due") in plan_findings(monitor.findings)
        events = monitor.upsert_plan(
            support_plan(id="SP-2", effective_from=T0 + days(3), known_triggers=learned),
            at=T0 + days(4),
        )
        assert (EventKind.MET, "PL003") in {(e.kind, e.rule) for e in events}
        assert len(monitor.plans or ()) == 2


@settings(max_examples=25, deadline=None)
@given(
    offsets=st.lists(st.integers(-40, 40), min_size=1, max_size=4),
    plan_days=st.lists(st.integers(-60, 60), max_size=3),
    ticks=st.lists(st.integers(0, 120), max_size=3),
    removed=st.sets(st.integers(0, 3), max_size=2),
)
def test_the_monitor_agrees_with_one_evaluation_of_the_batch(
    offsets: list[int], plan_days: list[int], ticks: list[int], removed: set[int]
) -> None:
    """
    Whatever the order of incidents, plan versions, removals and ticks, the plans findings
    of the held incidents are those of one evaluation of the incidents not removed.
    """
    incidents = [
        incident(
            id=f"I-{n}",
            occurred_at=T0 + days(d),
            triggers=(trigger(TriggerKind.ENVIRONMENTAL),),
            interventions=(restraint(started_at=T0 + days(d), ended_at=T0 + days(d) + hours(0.2)),),
        )
        for n, d in enumerate(offsets)
    ]
    versions = [
        support_plan(id=f"SP-{n}", effective_from=T0 + days(d), review_by=T0 + days(d + 30))
        for n, d in enumerate(plan_days)
    ]
    plans = SupportPlans.from_records(versions)
    with Monitor(RULES, at=T0 + days(45), plans=SupportPlans()) as monitor:
        for i in incidents:
            monitor.upsert(i)
        for v in versions:
            monitor.upsert_plan(v)
        kept = [i for n, i in enumerate(incidents) if n not in removed]
        for n in sorted(removed & set(range(len(incidents)))):
            monitor.remove(f"I-{n}")
        for t in [0, *sorted(ticks)]:
            monitor.advance(T0 + days(45 + t))
            held = {i.id for i in kept if monitor.findings_for(i.id) is not None}
            expected = batch(kept, plans, monitor.now)
            assert plan_findings(monitor.findings) == {f for f in expected if f[1] in held}


def test_from_findings_with_plans_announces_nothing_already_announced() -> None:
    events: list[Event] = []
    plans = SupportPlans.from_records([support_plan(review_by=T0 + days(3))])
    live = Monitor(RULES, at=T0 + hours(1), plans=plans, on_event=events.append)
    live.upsert(incident(interventions=(restraint(),)))
    stored = list(replay(events).values())
    restarted = Monitor.from_findings(
        RULES, [incident(interventions=(restraint(),))], stored, at=T0 + hours(1), plans=plans
    )
    assert restarted.advance(T0 + hours(1)) == []
    assert restarted.advance(T0 + days(5)) == live.advance(T0 + days(5))


def test_removing_the_latest_incident_moves_pl004_to_the_one_before() -> None:
    """PL004 is on the person's latest incident: removing it re-checks the one before."""
    plans = SupportPlans.from_records([support_plan(review_by=T0 + days(30))])
    with Monitor(RULES, at=T0 + days(2), plans=plans) as monitor:
        monitor.upsert(incident(id="I-1"))
        monitor.upsert(incident(id="I-2", occurred_at=T0 + days(1)))
        assert {i for r, i, _, _ in plan_findings(monitor.findings) if r == "PL004"} == {"I-2"}
        events = monitor.remove("I-2")
        assert (EventKind.OPENED, "PL004", "I-1") in {
            (e.kind, e.rule, e.incident_id) for e in events
        }
        assert {i for r, i, _, _ in plan_findings(monitor.findings) if r == "PL004"} == {"I-1"}


def test_snapshot_and_restore_keep_the_plans() -> None:
    plans = SupportPlans.from_records([support_plan(review_by=T0 + days(3))])
    with Monitor(RULES, at=T0 + hours(1), plans=plans) as monitor:
        monitor.upsert(incident(interventions=(restraint(),)))
        data = monitor.snapshot()
        later = monitor.advance(T0 + days(5))
    Draft202012Validator(SCHEMA).validate(json.loads(data))
    assert json.loads(data)["support_plans"][0]["id"] == "SP-001"
    with Monitor.restore(data, RULES) as restored:
        assert restored.plans == plans
        assert restored.advance(T0 + days(5)) == later
    assert (EventKind.OVERDUE, "PL004") in {(e.kind, e.rule) for e in later}


def test_a_snapshot_without_plans_restores_without_plans() -> None:
    """Nor outcome records: a snapshot written before they were added restores without."""
    with Monitor(RULES, at=T0) as monitor:
        data = monitor.snapshot()
    assert "support_plans" not in json.loads(data)
    assert "outcomes" not in json.loads(data)
    with Monitor.restore(data, RULES) as restored:
        assert restored.plans is None
        assert restored.outcomes is None


def test_a_failing_callback_leaves_the_plans_as_they_were() -> None:
    refusing: list[bool] = []

    def refuse(_event: Event) -> None:
        if refusing:
            raise RuntimeError

    with Monitor(RULES, at=T0 + hours(1), plans=SupportPlans(), on_event=refuse) as monitor:
        monitor.upsert(incident(interventions=(restraint(),)))
        before = monitor.findings
        refusing.append(True)
        with pytest.raises(RuntimeError):
            monitor.upsert_plan(support_plan())
        assert monitor.plans == SupportPlans()
        assert monitor.findings == before


@pytest.mark.parametrize("backend", BACKENDS)
def test_isolated_monitor_runs_the_plans_rules_alike(backend: str) -> None:
    """The plans rules run in Python beside any backend, isolated or not."""

    def events(*, isolate: bool) -> list[Event]:
        out: list[Event] = []
        with Monitor(
            RULES,
            at=T0,
            backend=backend,
            on_event=out.append,
            isolate=isolate,
            plans=SupportPlans(),
        ) as monitor:
            monitor.upsert(incident(interventions=(restraint(),)), at=T0 + hours(1))
            monitor.upsert_plan(support_plan(review_by=T0 + days(2)))
            monitor.upsert(incident(id="I-2", occurred_at=T0 + days(1)), at=T0 + days(1))
            monitor.advance(T0 + days(10))
        return out

    isolated = events(isolate=True)
    assert isolated == events(isolate=False)
    assert {e.rule for e in isolated} >= {"PL004"}


def test_a_snapshot_taken_with_other_plans_rule_options_is_refused() -> None:
    """The plans rules run in the monitor, so their options are part of the fingerprint."""
    with Monitor(RULES, at=T0, plans=SupportPlans()) as monitor:
        data = monitor.snapshot()
    other = RuleSet.compile(Config(rules={"PL003": RuleSettings(options={"within": "14d"})}))
    with pytest.raises(MonitorDataError):
        Monitor.restore(data, other)
