"""LN005 with outcome records (core 2.1): what the data show about an action is the evidence."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trauma_incidents.backends._durable import available
from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet, evaluate
from trauma_incidents.errors import MissingExtraError
from trauma_incidents.model import Incident, Outcome
from trauma_incidents.model._incident import AnchorPoint
from trauma_incidents.outcomes import Measure, Outcomes, WellbeingCheck
from trauma_incidents.packs import Pack
from trauma_incidents.packs._builtin.learning import LN005
from trauma_incidents.rules import (
    Candidate,
    Context,
    Evidence,
    Finding,
    FunctionRule,
    Status,
    Verdict,
    deadline_verdict,
)
from trauma_incidents.rules._shapes import span_after
from trauma_incidents.strategies import incidents, wellbeing_checks
from trauma_incidents.testing import T0, action, days, hours, incident, wellbeing_check

RULES = RuleSet.compile()
DONE = T0  # each action is completed at T0
CLOSED = DONE + days(56)  # the window after is whole from here
START = DONE - days(60)  # the person's first incident: the window before is covered
BEFORE = [DONE - days(50 - 7 * n) for n in range(6)]
AFTER = [DONE + days(5 + 7 * n) for n in range(6)]
HIGH, LOW, LEVEL = [8, 7, 8, 9, 8, 7], [2, 3, 2, 1, 2, 3], [5, 4, 6, 5, 4, 6]


def person(
    before: list[int], after: list[int], *, person_id: str = "P-001", **done: object
) -> tuple[list[Incident], list[WellbeingCheck]]:
    """A person's first incident, one with an action completed at `DONE`, distress checks."""
    first = incident(id=f"INC-{person_id}-0", person_id=person_id, occurred_at=START)
    acted = incident(
        id=f"INC-{person_id}-1",
        person_id=person_id,
        occurred_at=DONE - days(10),
        actions=(action(completed_at=DONE, **done),),  # type: ignore[arg-type]
    )
    checks = [
        wellbeing_check(at, value, id=f"WC-{person_id}-{n}", person_id=person_id)
        for n, (at, value) in enumerate(
            [*zip(BEFORE, before, strict=False), *zip(AFTER, after, strict=False)]
        )
    ]
    return [first, acted], checks


def ln005(found: tuple[Finding, ...]) -> dict[str, tuple[str, str]]:
    return {f.incident_id: (f.status.value, f.message) for f in found if f.rule == "LN005"}


def run(
    batch: list[Incident], checks: list[WellbeingCheck], at: datetime
) -> dict[str, tuple[str, str]]:
    outcomes = Outcomes.from_records(checks)
    return ln005(RULES.evaluate(batch, at=at, outcomes=outcomes).findings)


def test_improved_meets_the_rule_once_the_window_after_closes() -> None:
    batch, checks = person(HIGH, LOW)
    assert run(batch, checks, CLOSED - hours(1))["INC-P-001-1"][0] == "overdue"
    assert run(batch, checks, CLOSED) == {}
    without = ln005(RULES.evaluate(batch, at=CLOSED).findings)
    assert without["INC-P-001-1"][0] == "overdue"  # without outcomes: as in core 2.0


def test_worsened_is_a_concern_naming_the_measure() -> None:
    batch, checks = person(LOW, HIGH, description="a private note about the person")
    found = [
        f
        for f in RULES.evaluate(batch, at=CLOSED, outcomes=Outcomes.from_records(checks)).findings
        if f.rule == "LN005"
    ]
    assert [(f.incident_id, f.key, f.status.value) for f in found] == [
        ("INC-P-001-1", "A-1", "concern")
    ]
    assert "(distress, 56 days after against 56 days before)" in found[0].message
    assert [(e.path, e.value) for e in found[0].evidence] == [
        ("effectiveness[INC-P-001-1/A-1].distress", "worsened")
    ]
    assert "private" not in repr(found)  # never the action's free text


def test_worsened_outranks_a_self_rating_of_effective() -> None:
    batch, checks = person(LOW, HIGH, assessed_at=DONE + days(7))
    assert run(batch, checks, CLOSED)["INC-P-001-1"][0] == "concern"


def test_a_self_rating_of_not_effective_is_still_a_concern_when_the_data_improved() -> None:
    batch, checks = person(HIGH, LOW, assessed_at=DONE + days(7), outcome=Outcome.NOT_EFFECTIVE)
    status, message = run(batch, checks, CLOSED)["INC-P-001-1"]
    assert (status, message) == (
        "concern",
        "The learning action was assessed as not effective: review the change.",
    )


@pytest.mark.parametrize(
    ("before", "after"), [(LEVEL, LEVEL), (HIGH[:2], LOW[:2])], ids=["no_clear_change", "too_few"]
)
def test_no_clear_change_or_not_enough_data_falls_back_to_the_self_rating(
    before: list[int], after: list[int]
) -> None:
    batch, checks = person(before, after)
    at = CLOSED + days(3)
    assert run(batch, checks, at) == ln005(RULES.evaluate(batch, at=at).findings)
    assert run(batch, checks, at)["INC-P-001-1"][0] == "overdue"
    rated, checks = person(before, after, assessed_at=DONE + days(7))
    assert run(rated, checks, at) == {}


def test_records_after_the_time_are_ignored() -> None:
    """Checks dated after the evaluation do not count: a clear fall later is not known yet."""
    batch, checks = person(HIGH, [])
    late = [
        wellbeing_check(CLOSED + days(1 + n), 1, id=f"WC-late-{n}", person_id="P-001")
        for n in range(6)
    ]
    assert run(batch, checks + late, CLOSED) == run(batch, checks, CLOSED)
    assert run(batch, checks, CLOSED)["INC-P-001-1"][0] == "overdue"


def test_people_are_compared_on_their_own_data() -> None:
    """Another person's records change nothing (scale-out by person gives the same)."""
    one, ones = person(HIGH, LOW)
    two, twos = person(LOW, HIGH, person_id="P-002")
    both = run(one + two, ones + twos, CLOSED)
    assert both == run(one, ones, CLOSED) | run(two, twos, CLOSED)
    assert both["INC-P-002-1"][0] == "concern"


def test_a_fall_in_incidents_is_evidence_without_any_outcome_record() -> None:
    """Outcomes supplied, none for this person: the incident rate alone can show a change."""
    acted = incident(id="INC-A", occurred_at=DONE - hours(1), actions=(action(completed_at=DONE),))
    before = [incident(id=f"INC-{n}", occurred_at=DONE - days(50 - 5 * n)) for n in range(9)]
    before.append(incident(id="INC-first", occurred_at=START))  # the data cover the window
    found = run([*before, acted], [], CLOSED)
    assert "INC-A" not in found
    assert ln005(RULES.evaluate([*before, acted], at=CLOSED).findings)["INC-A"][0] == "overdue"


def test_without_scipy_outcomes_fail_naming_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "scipy", None)
    batch, checks = person(HIGH, LOW)
    with pytest.raises(MissingExtraError, match=r"trauma-incidents\[analysis\]"):
        RULES.evaluate(batch, at=CLOSED, outcomes=Outcomes.from_records(checks))
    assert ln005(RULES.evaluate(batch, at=CLOSED).findings)  # without outcomes: no SciPy needed


def test_a_context_rule_checked_alone_sees_an_empty_context() -> None:
    """RuleSet.check without a context gives LN005 as without outcomes."""
    batch, _ = person(HIGH, LOW)
    alone, _ = RULES.check(batch[1], CLOSED)
    given, _ = RULES.check(batch[1], CLOSED, Context())
    assert [f for f in alone if f.rule == "LN005"] == [f for f in given if f.rule == "LN005"] != []


@settings(max_examples=30, deadline=None)
@given(
    batch=st.lists(incidents(around=T0), min_size=1, max_size=4, unique_by=lambda i: i.id),
    checks=st.lists(
        wellbeing_checks(after=T0 - days(80), within=days(160)),
        max_size=30,
        unique_by=lambda c: c.id,
    ),
    offset=st.integers(0, 150),
)
def test_outcomes_change_only_ln005_and_only_where_the_data_are_clear(
    batch: list[Incident], checks: list[WellbeingCheck], offset: int
) -> None:
    """
    Supplying outcomes never changes another rule's findings; LN005's change only for
    actions whose data show a clear change (else the self-rating logic, unchanged).
    """
    at = T0 + days(offset)
    outcomes = Outcomes.from_records(checks)
    plain = RULES.evaluate(batch, at=at).findings
    given_ = RULES.evaluate(batch, at=at, outcomes=outcomes).findings
    assert [f for f in plain if f.rule != "LN005"] == [f for f in given_ if f.rule != "LN005"]
    from trauma_incidents.analysis._effectiveness import action_effects  # noqa: PLC0415
    from trauma_incidents.engine._cross import known_by  # noqa: PLC0415

    clear = {
        key
        for key, verdicts in action_effects(known_by(batch, at), outcomes, at).items()
        if {"improved", "worsened"} & set(verdicts.values())
    }
    assert [f for f in plain if f.rule == "LN005" and (f.incident_id, f.key) not in clear] == [
        f for f in given_ if f.rule == "LN005" and (f.incident_id, f.key) not in clear
    ]


def test_every_measure_counts() -> None:
    """Anxiety alone can show the worsening; each measure worsened is named."""
    batch, distress = person(LOW, HIGH)
    anxiety = [
        WellbeingCheck(
            id=f"WA-{c.id}",
            person_id=c.person_id,
            at=c.at,
            measure=Measure.ANXIETY,
            value=c.value,
            method=c.method,
        )
        for c in distress
    ]
    status, message = run(batch, distress + anxiety, CLOSED)["INC-P-001-1"]
    assert status == "concern"
    assert "(distress, anxiety," in message


@pytest.mark.skipif(not available(), reason="durable_rules is not available here")
@pytest.mark.parametrize(("before", "after"), [(HIGH, LOW), (LOW, HIGH), (LEVEL, LEVEL)])
def test_durable_gives_the_python_findings(before: list[int], after: list[int]) -> None:
    batch, checks = person(before, after)
    outcomes = Outcomes.from_records(checks)
    for at in (CLOSED - hours(1), CLOSED, CLOSED + days(30)):
        python = evaluate(batch, at=at, rules=RULES, outcomes=outcomes)
        durable = evaluate(batch, at=at, rules=RULES, outcomes=outcomes, backend="durable")
        assert durable.findings == python.findings
        assert durable.backends["LN005"] == "python"  # type: ignore[attr-defined]


def _ln005_2_0(incident: Incident, at: datetime, options: Mapping[str, Any]) -> list[Verdict]:
    """LN005 as core 2.0 had it (copied), the reference for "without outcomes, unchanged"."""
    span: Any = options["within"]
    verdicts = []
    for i, a in enumerate(incident.actions):
        done = a.completed_at
        if done is None or done > at:
            continue
        eff = a.effectiveness
        assessed = eff is not None and eff.assessed_at <= at
        if eff is not None and assessed and eff.outcome is Outcome.NOT_EFFECTIVE:
            path = f"$.actions[{i}].effectiveness.outcome"
            msg = "The learning action was assessed as not effective: review the change."
            verdicts.append(
                Verdict(
                    key=a.id,
                    status=Status.CONCERN,
                    message=msg,
                    evidence=(Evidence(path, eff.outcome.value),),
                )
            )
            continue
        found = (
            Candidate(eff.assessed_at, f"$.actions[{i}].effectiveness.assessed_at")
            if eff and assessed
            else None
        )
        verdict = deadline_verdict(
            key=a.id,
            obligation="An assessment of the action's effectiveness",
            due=span.after(done),
            basis=AnchorPoint(done, f"$.actions[{i}].completed_at"),
            reason=span_after(span, "the action was completed"),
            found=found,
            at=at,
        )
        if verdict is not None:
            verdicts.append(verdict)
    return verdicts


_BEFORE = RuleSet.compile(
    Config(packs=("old",)),
    packs={
        "old": Pack(
            name="old",
            version="2.0.0",
            description="LN005 of core 2.0",
            rules=(FunctionRule(LN005.meta, _ln005_2_0, LN005.gate),),
            prefixes=("LN",),
        )
    },
)


@settings(max_examples=40, deadline=None)
@given(
    batch=st.lists(incidents(around=T0), min_size=1, max_size=4, unique_by=lambda i: i.id),
    offset=st.integers(-5, 150),
)
def test_without_outcomes_ln005_is_as_in_core_2_0(batch: list[Incident], offset: int) -> None:
    """With outcomes=None, LN005's findings are those of core 2.0's LN005, exactly."""
    at = T0 + days(offset)
    now = [f for f in RULES.evaluate(batch, at=at).findings if f.rule == "LN005"]
    assert now == list(_BEFORE.evaluate(batch, at=at).findings)


@pytest.mark.skipif(not available(), reason="durable_rules is not available here")
@settings(max_examples=15, deadline=None)
@given(
    batch=st.lists(incidents(around=T0), min_size=1, max_size=4, unique_by=lambda i: i.id),
    levels=st.tuples(st.sampled_from([1, 8]), st.sampled_from([1, 8])),
    offset=st.integers(0, 150),
)
def test_durable_and_python_agree_with_outcomes(
    batch: list[Incident], levels: tuple[int, int], offset: int
) -> None:
    """Whatever the incidents and the records, both backends give one report."""
    person = batch[0].person_id
    records = [
        wellbeing_check(T0 + days(d), levels[d >= 0] + n % 2, id=f"WC-{n}", person_id=person)
        for n, d in enumerate(range(-80, 150, 5))
    ]
    outcomes = Outcomes.from_records(records)
    at = T0 + days(offset)
    python = evaluate(batch, at=at, rules=RULES, outcomes=outcomes)
    durable = evaluate(batch, at=at, rules=RULES, outcomes=outcomes, backend="durable")
    assert durable.findings == python.findings
    assert durable.faults == python.faults
