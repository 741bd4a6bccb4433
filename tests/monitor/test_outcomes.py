"""Outcome records in the monitor: LN005's computed evidence, upsert_outcome, snapshots."""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib.resources import files

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from trauma_incidents.engine import RuleSet
from trauma_incidents.model import Incident
from trauma_incidents.monitor import Event, EventKind, Monitor
from trauma_incidents.outcomes import Outcomes, WellbeingCheck
from trauma_incidents.rules import Finding
from trauma_incidents.testing import T0, action, days, hours, incident, wellbeing_check

RULES = RuleSet.compile()
SCHEMA = json.loads(
    (files("trauma_incidents") / "data" / "monitor_snapshot.schema.json").read_text()
)
DONE = T0
HIGH, LOW = [8, 7, 8, 9, 8, 7], [2, 3, 2, 1, 2, 3]

#: A finding as the tests compare it: rule, incident, key and status.
Key = tuple[str, str, str | None, str]


def ln005(findings: Iterable[Finding]) -> set[Key]:
    return {(f.rule, f.incident_id, f.key, f.status.value) for f in findings if f.rule == "LN005"}


def history(person_id: str = "P-001") -> list[Incident]:
    """A first incident 60 days before `DONE`, and one with an action completed then."""
    return [
        incident(id=f"{person_id}-I-0", person_id=person_id, occurred_at=DONE - days(60)),
        incident(
            id=f"{person_id}-I-1",
            person_id=person_id,
            occurred_at=DONE - days(10),
            actions=(action(completed_at=DONE),),
        ),
    ]


def checks(before: list[int], after: list[int], person_id: str = "P-001") -> list[WellbeingCheck]:
    dated = [(DONE - days(50 - 7 * n), v) for n, v in enumerate(before)]
    dated += [(DONE + days(5 + 7 * n), v) for n, v in enumerate(after)]
    return [
        wellbeing_check(at, v, id=f"WC-{person_id}-{n}", person_id=person_id)
        for n, (at, v) in enumerate(dated)
    ]


def test_without_outcomes_ln005_waits_for_the_first_record() -> None:
    with Monitor(RULES, at=DONE + days(20)) as monitor:
        for i in history():
            monitor.upsert(i)
        assert monitor.outcomes is None
        assert ln005(monitor.findings) == {("LN005", "P-001-I-1", "A-1", "due")}
        assert monitor.findings_for("P-001-I-0") is None  # settled: released
        for record in checks(HIGH, LOW):
            monitor.upsert_outcome(record)
        assert len(monitor.outcomes or ()) == 12
        monitor.upsert(history()[0])  # a released incident counts again once upserted
        events = monitor.advance(DONE + days(56))
        assert (EventKind.MET, "LN005") in {(e.kind, e.rule) for e in events}
        assert ln005(monitor.findings) == set()


def test_the_window_after_closing_is_a_tick() -> None:
    """An action's window after closes at a time no record holds: the monitor ticks there."""
    outcomes = Outcomes.from_records(checks(LOW, HIGH))
    with Monitor(RULES, at=DONE + days(40), outcomes=outcomes) as monitor:
        for i in history():
            monitor.upsert(i)
        assert ln005(monitor.findings) == {("LN005", "P-001-I-1", "A-1", "overdue")}
        assert monitor.next_change_at() == DONE + days(56)
        events = monitor.advance(DONE + days(56))
        assert "LN005" in {e.rule for e in events}
        assert ln005(monitor.findings) == {("LN005", "P-001-I-1", "A-1", "concern")}


def test_an_outcome_record_re_checks_its_person_only() -> None:
    with Monitor(RULES, at=DONE + days(57), outcomes=Outcomes()) as monitor:
        for i in [*history(), *history("P-002")]:
            monitor.upsert(i)
        events: list[Event] = []
        for record in checks(HIGH, LOW):
            events += monitor.upsert_outcome(record)
        assert {e.incident_id for e in events} <= {"P-001-I-0", "P-001-I-1"}
        assert ln005(monitor.findings) == {("LN005", "P-002-I-1", "A-1", "overdue")}


def test_replacing_a_record_by_kind_and_id() -> None:
    """A record with a known id (of its kind) replaces it, and the findings follow."""
    records = checks(HIGH, LOW)
    with Monitor(RULES, at=DONE + days(57), outcomes=Outcomes.from_records(records)) as monitor:
        for i in history():
            monitor.upsert(i)
        assert ln005(monitor.findings) == set()
        for n, record in enumerate(checks(LOW, HIGH)):
            monitor.upsert_outcome(record)
            assert monitor.outcomes is not None
            assert len(monitor.outcomes) == 12, n
        assert ln005(monitor.findings) == {("LN005", "P-001-I-1", "A-1", "concern")}


def test_snapshot_and_restore_keep_the_outcomes() -> None:
    outcomes = Outcomes.from_records(checks(LOW, HIGH))
    with Monitor(RULES, at=DONE + days(40), outcomes=outcomes) as monitor:
        for i in history():
            monitor.upsert(i)
        data = monitor.snapshot()
    Draft202012Validator(SCHEMA).validate(json.loads(data))
    assert len(json.loads(data)["outcomes"]["wellbeing_checks"]) == 12
    with Monitor.restore(data, RULES) as restored:
        assert restored.outcomes == outcomes
        restored.advance(DONE + days(56))
        assert ln005(restored.findings) == {("LN005", "P-001-I-1", "A-1", "concern")}


def test_a_failing_callback_leaves_the_outcomes_as_they_were() -> None:
    """Four checks after the action are too few; the fifth would meet LN005, but is refused."""
    refusing = False

    def refuse(_event: Event) -> None:
        if refusing:
            raise RuntimeError

    *first, fifth, _ = checks(HIGH, LOW)
    outcomes = Outcomes.from_records(first)
    with Monitor(RULES, at=DONE + days(57), outcomes=outcomes, on_event=refuse) as monitor:
        for i in history():
            monitor.upsert(i)
        assert ln005(monitor.findings) == {("LN005", "P-001-I-1", "A-1", "overdue")}
        refusing = True
        with pytest.raises(RuntimeError):
            monitor.upsert_outcome(fifth)
        assert monitor.outcomes is outcomes
        refusing = False
        assert (EventKind.MET, "LN005") in {(e.kind, e.rule) for e in monitor.upsert_outcome(fifth)}


def test_isolated_monitor_weighs_the_outcomes_alike() -> None:
    outcomes = Outcomes.from_records(checks(LOW, HIGH))
    found = []
    for isolate in (False, True):
        with Monitor(RULES, at=DONE + days(57), outcomes=outcomes, isolate=isolate) as monitor:
            for i in history():
                monitor.upsert(i)
            found.append(ln005(monitor.findings))
    assert found[0] == found[1] == {("LN005", "P-001-I-1", "A-1", "concern")}


@settings(max_examples=40, deadline=None)
@given(
    offsets=st.lists(st.integers(-10, 30), min_size=1, max_size=4),
    done=st.lists(st.none() | st.integers(0, 30), min_size=4, max_size=4),
    levels=st.tuples(st.sampled_from([1, 8]), st.sampled_from([1, 8])),
    shift=st.integers(-10, 60),
    every=st.sampled_from([4, 9]),
    ticks=st.lists(st.integers(0, 150), max_size=4),
    removed=st.sets(st.integers(0, 3), max_size=1),
    late=st.booleans(),
)
def test_the_monitor_agrees_with_one_evaluation_of_the_batch(  # noqa: PLR0917
    offsets: list[int],
    done: list[int | None],
    levels: tuple[int, int],
    shift: int,
    every: int,
    ticks: list[int],
    removed: set[int],
    late: bool,
) -> None:
    """
    Whatever the order of incidents, outcome records, removals and ticks, LN005's findings
    on the held incidents are those of one evaluation of the incidents not removed.
    """
    incidents = [
        incident(
            id=f"I-{n}",
            occurred_at=T0 + days(d),
            actions=()
            if done[n] is None
            else (action(completed_at=T0 + days(d) + days(done[n] or 0) + hours(1)),),
        )
        for n, d in enumerate(offsets)
    ]
    # distress at one level until *shift* days after T0 and at another after, a check every
    # *every* days: the comparison is often clear (improved or worsened), not always
    records = [
        wellbeing_check(T0 + days(d), levels[d >= shift] + n % 2, id=f"WC-{n}")
        for n, d in enumerate(range(-60, 150, every))
    ]
    start = T0 + days(50)
    with Monitor(RULES, at=start, outcomes=None if late else Outcomes()) as monitor:
        if not late:
            for r in records:
                monitor.upsert_outcome(r)
        for i in incidents:
            monitor.upsert(i)
        if late:
            for r in records:
                monitor.upsert_outcome(r)
        kept = [i for n, i in enumerate(incidents) if n not in removed]
        for n in sorted(removed & set(range(len(incidents)))):
            monitor.remove(f"I-{n}")
        outcomes = Outcomes.from_records(records)
        for t in [0, *sorted(ticks)]:
            monitor.advance(start + days(t))
            held = {i.id for i in kept if monitor.findings_for(i.id) is not None}
            expected = RULES.evaluate(kept, at=monitor.now, outcomes=outcomes).findings
            assert ln005(monitor.findings) == {f for f in ln005(expected) if f[1] in held}
