"""
The plans pack's rules PL001-PL007: incidents held against the person's support plan.

Each rule has its full set: not applicable, met, due, overdue, late (where the rule has a
deadline), exactly at the deadline, and an option changing the outcome (where it has one).
All data is synthetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet
from trauma_incidents.model import (
    EarlyWarningSign,
    Incident,
    InterventionKind,
    Position,
    ReviewKind,
    TriggerKind,
)
from trauma_incidents.packs import builtin_packs
from trauma_incidents.plans import KnownTrigger, Strategy, StrategyStage, SupportPlan, SupportPlans
from trauma_incidents.rules import Finding, FindingSeverity, Status
from trauma_incidents.strategies import incidents as incident_strategy
from trauma_incidents.strategies import support_plans as plan_strategy
from trauma_incidents.testing import (
    T0,
    authorised,
    days,
    hours,
    incident,
    restraint,
    review,
    support_plan,
    trigger,
)

UTC = timezone.utc
TICK = timedelta(microseconds=1)
MINUTE = timedelta(minutes=1)
#: The default restraint ends 15 minutes after T0.
END = T0 + 15 * MINUTE


def pl(
    batch: Sequence[Incident],
    plans: Sequence[SupportPlan] | None,
    at: datetime,
    code: str,
    **options: Any,
) -> list[Finding]:
    """The findings of rule *code* (pack ``plans`` alone) on *batch* with *plans* at *at*."""
    rules = {code: options} if options else {}
    ruleset = RuleSet.compile(Config.from_dict({"packs": ["plans"], "rules": rules}))
    given_plans = None if plans is None else SupportPlans.from_records(plans)
    report = ruleset.evaluate(batch, at=at, plans=given_plans)
    assert report.faults == ()
    return [f for f in report.findings if f.rule == code]


def statuses(found: list[Finding]) -> list[tuple[str, str | None, Status]]:
    return [(f.incident_id, f.key, f.status) for f in found]


def ri(**overrides: Any) -> Incident:
    """An incident with the default restraint (seated, 5 minutes, recorded as planned)."""
    return incident(**({"interventions": (restraint(),)} | overrides))


PLAN = support_plan()
AT = T0 + days(1)


def test_the_pack_is_enabled_by_default_at_version_1() -> None:
    pack = builtin_packs()["plans"]
    assert (pack.version, pack.prefixes) == ("1.0.0", ("PL",))
    assert [r.meta.code for r in pack.rules] == [f"PL00{n}" for n in range(1, 8)]
    assert "plans" in Config().packs


def test_without_plans_no_plans_rule_runs() -> None:
    """Plans not supplied: nothing, even where a plan would be missing."""
    for code in ("PL001", "PL005"):
        assert pl([ri()], None, AT + days(60), code) == []


class TestPL001:
    def test_not_applicable_without_a_restrictive_intervention(self) -> None:
        assert pl([incident()], [], AT, "PL001") == []

    def test_met_with_a_plan_in_force(self) -> None:
        assert pl([ri()], [PLAN], AT, "PL001") == []

    def test_missing_without_a_plan(self) -> None:
        (f,) = pl([ri()], [support_plan(person_id="P-OTHER")], AT, "PL001")
        assert (f.key, f.status, f.severity) == (None, Status.MISSING, FindingSeverity.HIGH)
        assert f.sources == ("PPC-BSP-FOR-AT-RISK", "NG11-BSP-COORDINATOR")

    def test_exactly_at_effective_from_the_plan_is_in_force(self) -> None:
        assert pl([ri()], [support_plan(effective_from=T0)], AT, "PL001") == []
        (f,) = pl([ri()], [support_plan(effective_from=T0 + TICK)], AT, "PL001")
        assert f.status is Status.MISSING

    def test_a_restriction_not_yet_started_waits(self) -> None:
        later = incident(interventions=(restraint(started_at=T0 + hours(2)),))
        assert pl([later], [], T0 + hours(1), "PL001") == []
        assert len(pl([later], [], T0 + hours(2), "PL001")) == 1

    def test_severity_is_configurable(self) -> None:
        ruleset = RuleSet.compile(
            Config.from_dict({"packs": ["plans"], "rules": {"PL001": {"severity": "low"}}})
        )
        found = ruleset.evaluate([ri()], at=AT, plans=SupportPlans()).findings
        assert [(f.rule, f.severity) for f in found if f.rule == "PL001"] == [
            ("PL001", FindingSeverity.LOW)
        ]


class TestPL002:
    def test_not_applicable_without_a_plan_in_force(self) -> None:
        prone = ri(interventions=(restraint(position=Position.PRONE),))
        assert pl([prone], [], AT, "PL002") == []

    def test_met_when_authorised(self) -> None:
        assert pl([ri()], [PLAN], AT, "PL002") == []

    def test_kind_not_authorised(self) -> None:
        held = ri(
            interventions=(restraint(kind=InterventionKind.SECLUSION, in_support_plan=False),)
        )
        (f,) = pl([held], [PLAN], AT, "PL002")
        assert (f.key, f.status) == ("0", Status.CONCERN)
        assert f.message == (
            "Seclusion is not authorised by the plan in force: its kind (seclusion) is not"
            " among the restrictions the plan authorises."
        )

    def test_position_not_authorised(self) -> None:
        prone = ri(interventions=(restraint(), restraint(position=Position.PRONE)))
        (f,) = pl([prone], [PLAN], AT, "PL002")
        assert f.key == "1"
        assert "its position (prone) is not among those authorised (seated)" in f.message

    def test_recorded_as_planned_but_not_authorised(self) -> None:
        (f,) = pl([ri(interventions=(restraint(position=Position.PRONE),))], [PLAN], AT, "PL002")
        assert "recorded as planned, but the plan in force does not authorise it" in f.message

    def test_longer_than_authorised_and_exactly_at_the_limit(self) -> None:
        start = T0 + 10 * MINUTE
        at_limit = ri(interventions=(restraint(started_at=start, ended_at=start + 10 * MINUTE),))
        assert pl([at_limit], [PLAN], AT, "PL002") == []
        over = start + 10 * MINUTE + timedelta(seconds=1)
        longer = ri(interventions=(restraint(started_at=start, ended_at=over),))
        (f,) = pl([longer], [PLAN], AT, "PL002")
        assert "it lasted 10 minutes, longer than the 10 authorised" in f.message

    def test_any_entry_of_the_kind_may_authorise(self) -> None:
        both = support_plan(
            authorised_restrictions=(authorised(), authorised(max_minutes=None, positions=()))
        )
        prone = ri(interventions=(restraint(position=Position.PRONE),))
        assert pl([prone], [both], AT, "PL002") == []

    def test_the_plan_in_force_is_the_one_at_the_incident(self) -> None:
        later = support_plan(id="SP-002", effective_from=T0 + TICK, authorised_restrictions=())
        assert pl([ri()], [PLAN, later], AT, "PL002") == []


class TestPL003:
    NEW = incident(triggers=(trigger(TriggerKind.ENVIRONMENTAL), trigger()))
    DUE = T0 + days(28)

    def listing(self, at: datetime, kind: TriggerKind = TriggerKind.ENVIRONMENTAL) -> SupportPlan:
        known = (*PLAN.known_triggers, KnownTrigger(kind=kind))
        return support_plan(id="SP-002", effective_from=at, known_triggers=known)

    def test_not_applicable(self) -> None:
        """Known, unknown, or no plan in force (PL001's business)."""
        known = incident(triggers=(trigger(), trigger(TriggerKind.UNKNOWN)))
        assert pl([known], [PLAN], AT, "PL003") == []
        assert pl([self.NEW], [], AT, "PL003") == []
        assert pl([self.NEW], [support_plan(effective_from=T0 + TICK)], AT, "PL003") == []

    def test_due_until_the_deadline_then_overdue(self) -> None:
        (f,) = pl([self.NEW], [PLAN], self.DUE, "PL003")
        assert (f.key, f.status, f.due_at) == ("environmental", Status.DUE, self.DUE)
        (f,) = pl([self.NEW], [PLAN], self.DUE + TICK, "PL003")
        assert f.status is Status.OVERDUE

    def test_met_by_a_later_version_listing_it(self) -> None:
        assert pl([self.NEW], [PLAN, self.listing(T0 + days(3))], AT + days(40), "PL003") == []

    def test_met_exactly_at_the_deadline_and_late_after(self) -> None:
        assert pl([self.NEW], [PLAN, self.listing(self.DUE)], self.DUE + days(1), "PL003") == []
        (f,) = pl([self.NEW], [PLAN, self.listing(self.DUE + TICK)], self.DUE + days(1), "PL003")
        assert (f.status, f.satisfied_at) == (Status.LATE, self.DUE + TICK)

    def test_a_version_not_yet_in_force_is_not_evidence(self) -> None:
        (f,) = pl([self.NEW], [PLAN, self.listing(T0 + days(3))], T0 + days(2), "PL003")
        assert f.status is Status.DUE

    def test_a_later_version_listing_another_kind_does_not_count(self) -> None:
        other = self.listing(T0 + days(3), TriggerKind.PHYSICAL_HEALTH)
        (f,) = pl([self.NEW], [PLAN, other], AT + days(40), "PL003")
        assert f.status is Status.OVERDUE

    def test_within_is_configurable(self) -> None:
        (f,) = pl([self.NEW], [PLAN], T0 + days(8), "PL003", within="7d")
        assert f.status is Status.OVERDUE


class TestPL004:
    REVIEW = T0 + days(10)
    PLAN = support_plan(review_by=REVIEW)
    NEWER = attrs.evolve(PLAN, id="SP-002", effective_from=REVIEW, review_by=None)

    def test_not_applicable(self) -> None:
        """No review date, no plan in force at the time, or no incident for the person."""
        assert pl([incident()], [support_plan(review_by=None)], AT + days(99), "PL004") == []
        assert pl([incident()], [], AT, "PL004") == []
        other = support_plan(person_id="P-OTHER", review_by=self.REVIEW)
        assert pl([incident()], [other], AT + days(99), "PL004") == []

    def test_due_until_the_review_date_then_overdue(self) -> None:
        (f,) = pl([incident()], [self.PLAN], self.REVIEW, "PL004")
        assert (f.incident_id, f.key, f.status, f.due_at) == (
            "INC-0001",
            "SP-001",
            Status.DUE,
            self.REVIEW,
        )
        (f,) = pl([incident()], [self.PLAN], self.REVIEW + TICK, "PL004")
        assert f.status is Status.OVERDUE

    def test_a_date_means_the_end_of_that_day_in_london(self) -> None:
        plan = support_plan(review_by=date(2026, 3, 31))  # BST from 29 March
        end = datetime(2026, 3, 31, 22, 59, 59, 999999, tzinfo=UTC)
        assert pl([incident()], [plan], end, "PL004")[0].status is Status.DUE
        assert pl([incident()], [plan], end + TICK, "PL004")[0].status is Status.OVERDUE

    def test_met_by_a_newer_version_exactly_at_the_review_date(self) -> None:
        assert pl([incident()], [self.PLAN, self.NEWER], self.REVIEW + days(1), "PL004") == []

    def test_a_version_replaced_late_is_no_longer_in_force(self) -> None:
        """
        As specified, the rule judges the version in force at the time: once a newer one is
        in force (late or not) the old version has no finding, and the new one its own.
        """
        late = attrs.evolve(self.NEWER, effective_from=self.REVIEW + days(2))
        assert pl([incident()], [self.PLAN, late], self.REVIEW + days(3), "PL004") == []
        (f,) = pl([incident()], [self.PLAN, late], self.REVIEW + days(1), "PL004")
        assert f.status is Status.OVERDUE

    def test_on_the_person_s_latest_incident_known(self) -> None:
        first = incident(id="INC-1")
        second = incident(id="INC-2", occurred_at=T0 + days(20))
        (f,) = pl([second, first], [self.PLAN], T0 + days(15), "PL004")
        assert f.incident_id == "INC-1"
        (f,) = pl([second, first], [self.PLAN], T0 + days(21), "PL004")
        assert f.incident_id == "INC-2"

    def test_grace_is_configurable(self) -> None:
        assert pl([incident()], [self.PLAN], self.REVIEW + days(1), "PL004", grace="7d")[
            0
        ].status is (Status.DUE)


class TestPL005:
    DUE = END + days(28)

    def version(self, at: datetime) -> SupportPlan:
        return support_plan(id="SP-002", effective_from=at)

    def test_not_applicable_without_a_restriction_or_while_it_goes_on(self) -> None:
        assert pl([incident()], [PLAN], AT + days(60), "PL005") == []
        going = ri(interventions=(restraint(ended_at=T0 + days(2)),))
        assert pl([going], [PLAN], T0 + days(1), "PL005") == []

    def test_due_then_overdue(self) -> None:
        (f,) = pl([ri()], [PLAN], self.DUE, "PL005")
        assert (f.key, f.status, f.due_at) == ("0", Status.DUE, self.DUE)
        (f,) = pl([ri()], [PLAN], self.DUE + TICK, "PL005")
        assert f.status is Status.OVERDUE

    def test_met_by_a_new_version_or_a_changing_review(self) -> None:
        assert pl([ri()], [PLAN, self.version(END + days(3))], self.DUE + days(1), "PL005") == []
        reviewed = ri(reviews=(review(ReviewKind.SUPPORT_PLAN_REVIEW, END + days(3)),))
        assert pl([reviewed], [PLAN], self.DUE + days(1), "PL005") == []

    def test_a_review_changing_nothing_or_of_another_kind_does_not_count(self) -> None:
        for r in (
            review(ReviewKind.SUPPORT_PLAN_REVIEW, END + days(3), changes=()),
            review(ReviewKind.REFLECTIVE_REVIEW, END + days(3)),
        ):
            (f,) = pl([ri(reviews=(r,))], [PLAN], self.DUE + days(1), "PL005")
            assert f.status is Status.OVERDUE

    def test_a_review_in_another_of_the_person_s_incidents_counts(self) -> None:
        later = incident(
            id="INC-2",
            occurred_at=T0 + days(2),
            reviews=(review(ReviewKind.SUPPORT_PLAN_REVIEW, END + days(3)),),
        )
        assert pl([ri(), later], [PLAN], self.DUE + days(1), "PL005") == []

    def test_exactly_at_the_deadline_and_late(self) -> None:
        assert pl([ri()], [PLAN, self.version(self.DUE)], self.DUE + days(1), "PL005") == []
        (f,) = pl([ri()], [PLAN, self.version(self.DUE + TICK)], self.DUE + days(1), "PL005")
        assert f.status is Status.LATE

    def test_a_version_from_before_the_end_does_not_count(self) -> None:
        (f,) = pl([ri()], [PLAN, self.version(END)], self.DUE + days(1), "PL005")
        assert f.status is Status.OVERDUE

    def test_within_and_the_episode_gap_are_configurable(self) -> None:
        (f,) = pl([ri()], [PLAN], END + days(8), "PL005", within="7d")
        assert f.status is Status.OVERDUE
        second = restraint(started_at=T0 + hours(2), ended_at=T0 + hours(2) + 5 * MINUTE)
        two = ri(interventions=(restraint(), second))
        assert [f.key for f in pl([two], [PLAN], AT, "PL005")] == ["0", "1"]
        ruleset = RuleSet.compile(Config.from_dict({"packs": ["plans"], "episode_gap": "3h"}))
        report = ruleset.evaluate([two], at=AT, plans=SupportPlans.from_records([PLAN]))
        assert [f.key for f in report.findings if f.rule == "PL005"] == ["0"]


class TestPL006:
    MISSED = incident(early_warning_signs=(EarlyWarningSign(description="x", noticed_at=T0),))

    def test_a_learning_prompt(self) -> None:
        (f,) = pl([self.MISSED], [PLAN], AT, "PL006")
        assert (f.key, f.status, f.severity) == (None, Status.CONCERN, FindingSeverity.INFO)
        assert f.message == "A warning sign the plan describes was noticed and not acted on."

    @pytest.mark.parametrize(
        "sign",
        [
            pytest.param(
                EarlyWarningSign(description="x", noticed_at=T0, acted_on=True), id="acted"
            ),
            pytest.param(EarlyWarningSign(description="x"), id="not-noticed"),
        ],
    )
    def test_met_when_acted_on_or_not_noticed(self, sign: EarlyWarningSign) -> None:
        assert pl([incident(early_warning_signs=(sign,))], [PLAN], AT, "PL006") == []

    def test_not_applicable_unless_the_plan_describes_signs_and_an_early_response(self) -> None:
        assert pl([self.MISSED], [], AT, "PL006") == []
        assert pl([self.MISSED], [support_plan(early_warning_signs=())], AT, "PL006") == []
        no_secondary = tuple(s for s in PLAN.strategies if s.stage is not StrategyStage.SECONDARY)
        assert pl([self.MISSED], [support_plan(strategies=no_secondary)], AT, "PL006") == []

    def test_exactly_when_noticed(self) -> None:
        later = incident(
            early_warning_signs=(EarlyWarningSign(description="x", noticed_at=T0 + hours(1)),)
        )
        assert pl([later], [PLAN], T0 + hours(1) - TICK, "PL006") == []
        assert len(pl([later], [PLAN], T0 + hours(1), "PL006")) == 1


class TestPL007:
    def test_met_when_the_person_was_involved(self) -> None:
        assert pl([incident()], [PLAN], AT, "PL007") == []

    @pytest.mark.parametrize("involved", [False, None])
    def test_once_per_version_on_the_first_incident_under_it(self, involved: bool | None) -> None:
        first = support_plan(person_involved=involved)
        second = attrs.evolve(first, id="SP-002", effective_from=T0 + days(5))
        batch = [
            incident(id="INC-3", occurred_at=T0 + days(6)),
            incident(id="INC-1"),
            incident(id="INC-2", occurred_at=T0 + days(1)),
        ]
        found = pl(batch, [first, second], T0 + days(7), "PL007")
        assert statuses(found) == [
            ("INC-1", "SP-001", Status.CONCERN),
            ("INC-3", "SP-002", Status.CONCERN),
        ]

    def test_not_applicable_without_a_plan_or_an_incident_under_it(self) -> None:
        assert pl([incident()], [], AT, "PL007") == []
        later = support_plan(person_involved=False, effective_from=T0 + TICK)
        assert pl([incident()], [later], AT, "PL007") == []

    def test_exactly_at_effective_from(self) -> None:
        at_start = support_plan(person_involved=False, effective_from=T0)
        assert len(pl([incident()], [at_start], T0, "PL007")) == 1


def test_no_finding_holds_plan_free_text() -> None:
    secret = "ZQX-plan-canary"  # noqa: S105 (a marker, not a password)
    plan = support_plan(
        person_involved=False,
        known_triggers=(KnownTrigger(kind=TriggerKind.SENSORY, detail=secret),),
        strategies=(Strategy(stage=StrategyStage.SECONDARY, description=secret),),
        what_matters=(secret,),
    )
    batch = [
        ri(
            triggers=(trigger(TriggerKind.ENVIRONMENTAL),),
            interventions=(restraint(position=Position.PRONE),),
            early_warning_signs=(EarlyWarningSign(description="x", noticed_at=T0),),
        )
    ]
    report = RuleSet.compile().evaluate(
        batch, at=AT + days(40), plans=SupportPlans.from_records([plan])
    )
    assert {f.rule for f in report.findings} >= {"PL002", "PL003", "PL005", "PL007"}
    assert secret not in repr(report)


# -- properties ------------------------------------------------------------------------------

PEOPLE = st.sampled_from(["P-001", "P-002"])
BATCH = st.lists(incident_strategy(), min_size=1, max_size=4, unique_by=lambda i: i.id)
PLANS = st.lists(
    plan_strategy(after=T0 - days(60), within=days(90)), max_size=4, unique_by=lambda p: p.id
)
SOME_PLANS = st.lists(
    plan_strategy(after=T0 - days(60), within=days(90)),
    min_size=1,
    max_size=4,
    unique_by=lambda p: p.id,
)
WHEN = st.integers(0, 120).map(lambda d: T0 + days(d))


def _people(batch: list[Incident], person: str) -> list[Incident]:
    return [attrs.evolve(i, person_id=person) for i in batch]


@settings(max_examples=60)
@given(BATCH, SOME_PLANS, st.data())
def test_a_later_version_listing_a_trigger_never_adds_a_pl003_finding(
    batch: list[Incident], plans: list[SupportPlan], data: st.DataObject
) -> None:
    """A newer version: the latest one, plus the trigger, from a later time (it extends it)."""
    batch = _people(batch, "P-001")
    plans = [attrs.evolve(p, person_id="P-001") for p in plans]
    at = max(i.occurred_at for i in batch) + days(data.draw(st.integers(0, 60)))
    before = {(f.incident_id, f.key) for f in pl(batch, plans, at, "PL003")}
    kind = data.draw(st.sampled_from([k for k in TriggerKind if k is not TriggerKind.UNKNOWN]))
    latest = max(plans, key=lambda p: (p.effective_from, p.id))
    start = latest.effective_from + timedelta(minutes=data.draw(st.integers(1, 90 * 24 * 60)))
    added = attrs.evolve(
        latest,
        id="SP-NEW",
        effective_from=start,
        review_by=None,
        known_triggers=(*latest.known_triggers, KnownTrigger(kind=kind)),
    )
    after = {(f.incident_id, f.key) for f in pl(batch, [*plans, added], at, "PL003")}
    assert after <= before


@settings(max_examples=40)
@given(BATCH, PLANS, PEOPLE, WHEN)
def test_plans_never_change_the_core_and_england_findings(
    batch: list[Incident], plans: list[SupportPlan], person: str, days_on: datetime
) -> None:
    ruleset = RuleSet.compile(Config.from_dict({"packs": ["core", "england", "plans"]}))
    at = max(i.occurred_at for i in batch) + (days_on - T0)
    without = ruleset.evaluate(batch, at=at)
    given_plans = SupportPlans.from_records(attrs.evolve(p, person_id=person) for p in plans)
    with_plans = ruleset.evaluate(_people(batch, person), at=at, plans=given_plans)
    core = [f for f in with_plans.findings if not f.rule.startswith("PL")]
    assert list(_findings_for(ruleset, _people(batch, person), at)) == core
    assert all(not f.rule.startswith("PL") for f in without.findings)


def _findings_for(ruleset: RuleSet, batch: list[Incident], at: datetime) -> list[Finding]:
    return list(ruleset.evaluate(batch, at=at).findings)
