"""Tests for support plans: the model, reading, the schema, the collection, builders."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from importlib.resources import files
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import InvalidValueError
from trauma_incidents.loading import BadRecord, _schema, partition
from trauma_incidents.loading._converter import make_converter
from trauma_incidents.model import InterventionKind, LegalBasis, Position, TriggerKind
from trauma_incidents.plans import (
    AuthorisedRestriction,
    KnownTrigger,
    Strategy,
    StrategyStage,
    SupportPlan,
    SupportPlans,
    WarningSign,
    read_support_plans,
    support_plan_schema,
)
from trauma_incidents.rules import Status
from trauma_incidents.strategies import support_plans
from trauma_incidents.testing import T0, authorised, days, incident, restraint, support_plan

UTC = timezone.utc
SHIPPED = files("trauma_incidents") / "data" / "support_plan.schema.json"
CONVERTER = make_converter()
UTCS = st.just(UTC)

PLAN: dict[str, Any] = {
    "id": "SP-1",
    "person_id": "P-1",
    "effective_from": "2026-03-01T09:00:00Z",
    "review_by": "2026-06-30",
    "known_triggers": [{"kind": "environmental", "detail": "crowds"}],
    "strategies": [{"stage": "primary", "description": "plan quieter times"}],
    "authorised_restrictions": [
        {"kind": "physical_restraint", "legal_basis": "mca_best_interests", "max_minutes": 10}
    ],
}


def read(source: Any, **kwargs: Any) -> tuple[SupportPlans, tuple[BadRecord, ...]]:
    """The plans `read_support_plans` yields, gathered, and its bad records."""
    good, bad = partition(read_support_plans(source, **kwargs))
    return SupportPlans.from_records(good), bad


def ndjson(*records: dict[str, Any]) -> bytes:
    return b"\n".join(orjson.dumps(r) for r in records) + b"\n"


class TestModel:
    def test_a_review_date_means_the_end_of_that_day_in_london(self) -> None:
        """In summer the day ends at 23:59:59.999999 BST, 22:59:59.999999 UTC."""
        plan = support_plan(review_by=date(2026, 6, 30))
        assert plan.review_by == datetime(2026, 6, 30, 22, 59, 59, 999999, tzinfo=UTC)
        winter = support_plan(review_by=date(2026, 12, 1))
        assert winter.review_by == datetime(2026, 12, 1, 23, 59, 59, 999999, tzinfo=UTC)

    def test_a_review_time_is_kept(self) -> None:
        at = datetime(2026, 6, 30, 9, tzinfo=timezone(timedelta(hours=1)))
        assert support_plan(review_by=at).review_by == at

    @pytest.mark.parametrize(
        "changes",
        [
            pytest.param({"effective_from": datetime(2026, 3, 1)}, id="naive-start"),  # noqa: DTZ001
            pytest.param({"review_by": datetime(2026, 3, 1)}, id="naive-review"),  # noqa: DTZ001
            pytest.param({"review_by": "2026-06-30"}, id="review-as-text"),
            pytest.param({"review_by": date(1800, 1, 1)}, id="review-out-of-years"),
            pytest.param({"id": ""}, id="empty-id"),
            pytest.param({"person_id": " "}, id="blank-person"),
            pytest.param({"coordinator_id": "ST\n1"}, id="control-character"),
            pytest.param({"person_involved": "yes"}, id="not-a-bool"),
            pytest.param({"known_triggers": [KnownTrigger(kind=TriggerKind.SENSORY)]}, id="list"),
        ],
    )
    def test_invalid_values_are_refused(self, changes: dict[str, Any]) -> None:
        with pytest.raises(InvalidValueError):
            support_plan(**changes)

    def test_a_negative_time_limit_is_refused(self) -> None:
        with pytest.raises(InvalidValueError, match="max_minutes"):
            authorised(max_minutes=-1)

    def test_reprs_hold_no_free_text(self) -> None:
        plan = support_plan(
            known_triggers=(KnownTrigger(kind=TriggerKind.PHYSICAL_HEALTH, detail="secret"),),
            early_warning_signs=(WarningSign(description="secret", response="secret"),),
            strategies=(Strategy(stage=StrategyStage.REACTIVE, description="secret"),),
            what_matters=("secret",),
            safe_engagement=("secret",),
            communication=("secret",),
        )
        assert "secret" not in repr(plan)

    def test_knows_trigger(self) -> None:
        plan = support_plan()
        assert plan.knows_trigger(TriggerKind.SENSORY)
        assert not plan.knows_trigger(TriggerKind.ENVIRONMENTAL)


class TestCollection:
    def test_versions_are_in_order_of_effect_then_id(self) -> None:
        b = support_plan(id="SP-B", effective_from=T0)
        a = support_plan(id="SP-A", effective_from=T0)
        early = support_plan(id="SP-Z", effective_from=T0 - days(10))
        other = support_plan(id="SP-O", person_id="P-002")
        plans = SupportPlans.from_records([b, other, a, early])
        assert plans.versions("P-001") == (early, a, b)
        assert plans.versions("P-404") == ()
        assert plans.people == ("P-001", "P-002")
        assert (len(plans), list(plans)) == (4, [b, other, a, early])

    def test_the_version_in_force(self) -> None:
        first = support_plan(id="SP-1", effective_from=T0 - days(10))
        second = support_plan(id="SP-2", effective_from=T0)
        plans = SupportPlans.from_records([second, first])
        assert plans.in_force("P-001", T0 - days(11)) is None
        assert plans.in_force("P-001", T0 - days(10)) is first
        assert plans.in_force("P-001", T0 - timedelta(microseconds=1)) is first
        assert plans.in_force("P-001", T0) is second  # at its effective_from: in force
        assert plans.in_force("P-002", T0) is None

    @given(
        st.lists(support_plans(person_id="P-001"), max_size=6), st.datetimes(timezones=st.just(UTC))
    )
    def test_in_force_is_the_latest_started_by_then(
        self, versions: list[SupportPlan], when: datetime
    ) -> None:
        plans = SupportPlans.from_records(versions)
        started = [p for p in versions if p.effective_from <= when]
        expected = max(started, key=lambda p: (p.effective_from, p.id), default=None)
        found = plans.in_force("P-001", when)
        assert (found and (found.effective_from, found.id)) == (
            expected and (expected.effective_from, expected.id)
        )


class TestReading:
    def test_object_form(self) -> None:
        plans, errors = read(orjson.dumps({"support_plans": [PLAN], "schema_version": "1"}))
        assert errors == ()
        (plan,) = plans
        assert plan.review_by == datetime(2026, 6, 30, 22, 59, 59, 999999, tzinfo=UTC)
        assert plan.known_triggers[0].kind is TriggerKind.ENVIRONMENTAL
        assert plan.authorised_restrictions[0].positions == ()

    def test_ndjson_one_plan_a_line(self, tmp_path: Path) -> None:
        path = tmp_path / "plans.ndjson"
        path.write_bytes(ndjson(PLAN, {**PLAN, "id": "SP-2"}) + b"\n")
        plans, errors = read(path)
        assert ([p.id for p in plans], errors) == (["SP-1", "SP-2"], ())
        with path.open("rb") as stream:
            assert len(read(stream)[0]) == 2

    def test_a_one_line_file_is_ndjson(self) -> None:
        plans, errors = read(orjson.dumps(PLAN))
        assert (len(plans), errors) == (1, ())

    def test_every_problem_of_a_bad_plan_is_named_and_the_rest_kept(self) -> None:
        bad = {
            **PLAN,
            "id": "SP-2",
            "effective_from": "2026-03-01T09:00:00",
            "review_by": "30/06/2026",
            "strategies": [{"stage": "tertiary", "description": "x"}],
            "mood": "calm",
        }
        plans, (error,) = read(orjson.dumps({"support_plans": [PLAN, bad]}), source_name="p.json")
        assert [p.id for p in plans] == ["SP-1"]
        assert sorted(p.path for p in error.problems) == [
            "$.support_plans[1].effective_from",
            "$.support_plans[1].mood",
            "$.support_plans[1].review_by",
            "$.support_plans[1].strategies[0].stage",
        ]
        assert (error.index, error.incident_id, error.source) == (1, "SP-2", "p.json")

    def test_ndjson_problems_name_the_line(self) -> None:
        data = ndjson(PLAN, {**PLAN, "id": "SP-2", "person_involved": "yes"})
        plans, (error,) = read(data, source_name="p.ndjson")
        assert len(plans) == 1
        assert (error.line, error.problems[0].path) == (2, "$.person_involved")
        assert str(error).startswith("p.ndjson:2: ")

    def test_a_review_before_the_version_starts_is_refused(self) -> None:
        _, (error,) = read(ndjson({**PLAN, "review_by": "2026-02-01"}))
        assert error.problems[0].path == "$.review_by"

    def test_duplicate_ids_keep_the_first(self) -> None:
        doc = {"support_plans": [PLAN, {**PLAN, "person_id": "P-2"}]}
        plans, (error,) = read(orjson.dumps(doc))
        assert [p.person_id for p in plans] == ["P-1"]
        assert error.problems[0].path == "$.support_plans[1].id"
        assert "duplicate id" in error.problems[0].message

    def test_top_level_problems(self) -> None:
        doc = {"support_plans": {}, "schema_version": "2", "extra": 1}
        _, (error,) = read(orjson.dumps(doc))
        assert [p.path for p in error.problems] == [
            "$.extra",
            "$.schema_version",
            "$.support_plans",
        ]

    def test_neither_form(self) -> None:
        _, (error,) = read(b"[1, 2]")
        assert error.problems[0].path == "$"
        assert "support_plans" in error.problems[0].message
        _, (error,) = read(b"{\n  broken")
        assert "invalid JSON" in error.problems[0].message

    def test_empty_and_unknown_keys(self) -> None:
        assert read(b" \n") == (SupportPlans(), ())
        plans, errors = read(ndjson({**PLAN, "room": "A"}), ignore_unknown_keys=True)
        assert (len(plans), errors) == (1, ())

    def test_messages_hold_no_free_text(self) -> None:
        bad = {**PLAN, "what_matters": "secret", "known_triggers": [{"kind": "secret"}]}
        _, (error,) = read(ndjson(bad))
        assert "secret" not in str(error)

    @given(st.lists(support_plans(), max_size=4, unique_by=lambda p: p.id))
    def test_written_plans_read_back(self, versions: list[SupportPlan]) -> None:
        """Plans written as JSON read back equal, and validate against the shipped schema."""
        doc = {"support_plans": [CONVERTER.unstructure(p) for p in versions]}
        assert VALIDATOR.is_valid(doc)
        plans, errors = read(orjson.dumps(doc))
        assert (list(plans), errors) == (versions, ())


VALIDATOR = Draft202012Validator(support_plan_schema())


class TestSchema:
    def test_shipped_file_is_current(self) -> None:
        """data/support_plan.schema.json is the generated schema (see loading._schema)."""
        assert SHIPPED.read_bytes() == _schema.schema_json("support_plan")

    def test_module_prints_it(self) -> None:
        """``python -m trauma_incidents.loading._schema support_plan`` prints the shipped file."""
        out = subprocess.run(
            [sys.executable, "-m", "trauma_incidents.loading._schema", "support_plan"],
            capture_output=True,
            check=True,
        ).stdout
        assert out == SHIPPED.read_bytes()

    def test_valid_and_agrees_with_the_loader(self) -> None:
        """A plan the loader refuses is refused by the schema too; a date is a review time."""
        Draft202012Validator.check_schema(support_plan_schema())
        assert VALIDATOR.is_valid({"support_plans": [PLAN]})
        assert VALIDATOR.is_valid({"support_plans": [{**PLAN, "review_by": "2026-06-30T17:00Z"}]})
        assert not VALIDATOR.is_valid({"support_plans": [{**PLAN, "id": ""}]})
        assert not VALIDATOR.is_valid({"support_plans": [{**PLAN, "mood": "calm"}]})
        restriction = {"kind": "physical_restraint", "legal_basis": "consent", "max_minutes": -1}
        assert not VALIDATOR.is_valid(
            {"support_plans": [{**PLAN, "authorised_restrictions": [restriction]}]}
        )


class TestBuilders:
    def test_support_plan_records_what_the_rules_look_for(self) -> None:
        plan = support_plan()
        assert plan.person_involved is True
        assert {s.stage for s in plan.strategies} == set(StrategyStage)
        assert plan.authorised_restrictions == (
            AuthorisedRestriction(
                kind=InterventionKind.PHYSICAL_RESTRAINT,
                legal_basis=LegalBasis.MCA_BEST_INTERESTS,
                positions=(Position.SEATED,),
                max_minutes=10,
            ),
        )

    def test_authorised_takes_positions(self) -> None:
        held = authorised(InterventionKind.PHYSICAL_RESTRAINT, Position.STANDING, Position.SEATED)
        assert held.positions == (Position.STANDING, Position.SEATED)

    def test_with_the_default_restraint_only_the_plan_deadlines_remain(self) -> None:
        """No plan in force can meet PL004 and PL005 in advance; no other plans rule fires."""
        report = RuleSet.compile().evaluate(
            [incident(interventions=(restraint(),))],
            at=T0 + days(1),
            plans=SupportPlans.from_records([support_plan()]),
        )
        found = [(f.rule, f.status) for f in report.findings if f.rule.startswith("PL")]
        assert found == [("PL004", Status.DUE), ("PL005", Status.DUE)]
