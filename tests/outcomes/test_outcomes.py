"""Tests for outcome records: the classes, reading both forms, the schema, strategies."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from importlib.resources import files
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from trauma_incidents.errors import InvalidValueError
from trauma_incidents.loading import BadRecord, make_converter
from trauma_incidents.loading._schema import schema_json
from trauma_incidents.outcomes import (
    Activity,
    ActivityKind,
    ActivityOutcome,
    CheckMethod,
    Measure,
    Outcomes,
    WellbeingCheck,
    outcome_schema,
    read_outcomes,
)
from trauma_incidents.strategies import activities, wellbeing_checks
from trauma_incidents.testing import T0, activity, days, wellbeing_check

UTC = timezone.utc
SHIPPED = files("trauma_incidents") / "data" / "outcome.schema.json"
SAMPLE = files("trauma_incidents") / "data" / "sample_outcomes.ndjson"

ACTIVITY = {
    "id": "ACT-1",
    "person_id": "P-1",
    "at": "2026-03-02T10:00:00Z",
    "kind": "community_outing",
    "outcome": "ended_early",
    "distress": 7,
}
CHECK = {
    "id": "WC-1",
    "person_id": "P-1",
    "at": "2026-03-02T18:00:00+00:00",
    "measure": "anxiety",
    "value": 4,
    "method": "supported_self_report",
}


def read(source: Any, **kwargs: Any) -> tuple[Outcomes, tuple[BadRecord, ...]]:
    items = list(read_outcomes(source, **kwargs))
    good = [item for item in items if not isinstance(item, BadRecord)]
    return Outcomes.from_records(good), tuple(i for i in items if isinstance(i, BadRecord))


def ndjson(*records: dict[str, Any]) -> bytes:
    return b"\n".join(orjson.dumps(r) for r in records) + b"\n"


class TestRecords:
    def test_fields_and_vocabularies(self) -> None:
        """The object form loads each array into its class, with the enums of the format."""
        doc = {"activities": [ACTIVITY], "wellbeing_checks": [CHECK]}
        outcomes, errors = read(orjson.dumps(doc))
        assert errors == ()
        (act,) = outcomes.activities
        assert (act.kind, act.outcome, act.distress) == (
            ActivityKind.COMMUNITY_OUTING,
            ActivityOutcome.ENDED_EARLY,
            7,
        )
        (check,) = outcomes.wellbeing_checks
        assert (check.measure, check.value, check.method) == (
            Measure.ANXIETY,
            4,
            CheckMethod.SUPPORTED_SELF_REPORT,
        )
        assert check.at == datetime(2026, 3, 2, 18, tzinfo=UTC)

    @pytest.mark.parametrize(
        ("build", "message"),
        [
            pytest.param(lambda: activity(distress=11), "from 0 to 10", id="distress-high"),
            pytest.param(lambda: activity(distress=-1), "from 0 to 10", id="distress-low"),
            pytest.param(lambda: wellbeing_check(value=11), "from 0 to 10", id="value"),
            pytest.param(lambda: activity(at=datetime(2026, 3, 2)), "UTC offset", id="naive"),  # noqa: DTZ001
            pytest.param(lambda: activity(person_id=" "), "non-empty", id="blank-id"),
            pytest.param(lambda: activity(id="A\x1b"), "control", id="control-id"),
            pytest.param(lambda: wellbeing_check(value=True), "int", id="bool-value"),
        ],
    )
    def test_invalid_values_are_refused(self, build: Any, message: str) -> None:
        """Scales are 0-10 integers, times aware, ids non-blank and printable."""
        with pytest.raises((InvalidValueError, TypeError), match=message):
            build()

    def test_index_by_person_in_time_order(self) -> None:
        """Each person's records come back in time order, then by id; others are empty."""
        late = activity(T0 + days(2), id="ACT-2")
        early = activity(T0, id="ACT-3")
        other = activity(T0, id="ACT-4", person_id="P-002")
        checks = (wellbeing_check(T0 + days(1), id="WC-2"), wellbeing_check(T0, id="WC-1"))
        outcomes = Outcomes.from_records([late, other, *checks, early])
        assert outcomes.people == ("P-001", "P-002")
        assert outcomes.activities_of("P-001") == (early, late)
        assert [c.id for c in outcomes.checks_of("P-001")] == ["WC-1", "WC-2"]
        assert outcomes.checks_of("P-002") == ()
        assert outcomes.activities_of("P-404") == ()
        assert len(outcomes) == 5
        assert set(outcomes) == {late, early, other, *checks}
        assert outcomes.activities == (late, other, early)  # file order kept


class TestReading:
    def test_ndjson_record_types(self) -> None:
        """Each line's record_type picks its class; blank lines are skipped."""
        data = ndjson({"record_type": "activity", **ACTIVITY}) + b"\n"
        data += ndjson({"record_type": "wellbeing_check", **CHECK})
        outcomes, errors = read(data)
        assert errors == ()
        assert (len(outcomes.activities), len(outcomes.wellbeing_checks)) == (1, 1)

    def test_every_problem_of_a_record_with_its_path_and_the_rest_kept(self) -> None:
        """A bad record lists all its problems by path; the good ones are kept."""
        bad = {**ACTIVITY, "id": "ACT-2", "distress": 12, "kind": "walk", "mood": 1}
        doc = {"activities": [ACTIVITY, bad], "wellbeing_checks": [{**CHECK, "at": "2026-03-02"}]}
        outcomes, errors = read(orjson.dumps(doc), source_name="o.json")
        assert [a.id for a in outcomes.activities] == ["ACT-1"]
        first, second = errors
        assert {p.path for p in first.problems} >= {"$.activities[1].kind", "$.activities[1].mood"}
        assert (first.index, first.incident_id, first.source) == (1, "ACT-2", "o.json")
        assert [p.path for p in second.problems] == ["$.wellbeing_checks[0].at"]

    def test_out_of_scale_value_named(self) -> None:
        """A value off the 0-10 scale is a problem at its path."""
        data = ndjson({"record_type": "wellbeing_check", **CHECK, "value": 11})
        _, (error,) = read(data, source_name="o.ndjson")
        assert (error.line, error.problems[0].path) == (1, "$.value")
        assert "from 0 to 10" in str(error)

    @pytest.mark.parametrize(
        ("line", "path"),
        [
            pytest.param({"id": "X"}, "$.record_type", id="missing"),
            pytest.param({"record_type": "meeting"}, "$.record_type", id="other-file"),
            pytest.param({"record_type": "activity", **ACTIVITY, "at": 5}, "$.at", id="bad"),
        ],
    )
    def test_bad_lines(self, line: dict[str, Any], path: str) -> None:
        """A bad line is reported with its line number; good lines are kept."""
        data = ndjson({"record_type": "activity", **ACTIVITY}, line)
        outcomes, (error,) = read(data, source_name="o.ndjson")
        assert len(outcomes.activities) == 1
        assert (error.line, error.problems[0].path) == (2, path)
        assert str(error).startswith("o.ndjson:2: ")

    def test_top_level_problems_name_the_outcome_file(self) -> None:
        """Unknown top-level keys, a wrong version and a non-array are named."""
        doc = {"activities": {}, "schema_version": "2", "meetings": []}
        _, (error,) = read(orjson.dumps(doc))
        assert [p.path for p in error.problems] == [
            "$.meetings",
            "$.schema_version",
            "$.activities",
        ]
        assert "an outcome file has no such field" in error.problems[0].message

    def test_an_array_document_is_refused(self) -> None:
        """A top-level array is not an outcome file, and says what is expected."""
        _, (error,) = read(b"[1, 2]")
        assert (
            error.problems[0].message == "expected an object with activities and wellbeing_checks"
        )

    def test_duplicate_ids_per_kind(self) -> None:
        """A second activity with an id is skipped; a check may share an activity's id."""
        data = ndjson(
            {"record_type": "activity", **ACTIVITY},
            {"record_type": "activity", **ACTIVITY, "outcome": "completed"},
            {"record_type": "wellbeing_check", **CHECK, "id": "ACT-1"},
        )
        outcomes, (error,) = read(data)
        assert outcomes.activities[0].outcome is ActivityOutcome.ENDED_EARLY
        assert len(outcomes.wellbeing_checks) == 1
        assert error.problems[0].path == "$.id"

    def test_sample_reads_cleanly(self) -> None:
        """The bundled sample outcomes have no problems."""
        outcomes, errors = read(SAMPLE.read_bytes())
        assert errors == ()
        assert outcomes.activities
        assert outcomes.wellbeing_checks


class TestSchema:
    def test_shipped_file_is_current(self) -> None:
        """data/outcome.schema.json is the generated schema (see loading._schema)."""
        assert SHIPPED.read_bytes() == schema_json("outcome")

    def test_module_prints_it(self) -> None:
        """``python -m trauma_incidents.loading._schema outcome`` prints the shipped file."""
        out = subprocess.run(
            [sys.executable, "-m", "trauma_incidents.loading._schema", "outcome"],
            capture_output=True,
            check=True,
        ).stdout
        assert out == SHIPPED.read_bytes()

    def test_agrees_with_the_reader(self) -> None:
        """A good file validates; values the reader refuses the schema refuses too."""
        Draft202012Validator.check_schema(outcome_schema())
        validator = Draft202012Validator(outcome_schema())
        assert validator.is_valid({"activities": [ACTIVITY], "wellbeing_checks": [CHECK]})
        assert not validator.is_valid({"activities": [{**ACTIVITY, "distress": 11}]})
        assert not validator.is_valid({"wellbeing_checks": [{**CHECK, "value": -1}]})
        assert not validator.is_valid({"wellbeing_checks": [{**CHECK, "measure": "mood"}]})
        assert not validator.is_valid({"activities": [{**ACTIVITY, "id": ""}]})


_CONVERTER = make_converter()


@given(
    st.lists(activities(), max_size=4, unique_by=lambda a: a.id),
    st.lists(wellbeing_checks(), max_size=4, unique_by=lambda c: c.id),
)
def test_drawn_records_round_trip_through_both_forms(
    acts: list[Activity], checks: list[WellbeingCheck]
) -> None:
    """Whatever the strategies draw, the reader loads back equal, in both forms."""
    doc = {
        "activities": _CONVERTER.unstructure(acts),
        "wellbeing_checks": _CONVERTER.unstructure(checks),
    }
    by_object, errors = read(orjson.dumps(doc))
    assert errors == ()
    assert by_object == Outcomes(activities=tuple(acts), wellbeing_checks=tuple(checks))
    lines = [{"record_type": "activity", **a} for a in doc["activities"]]
    lines += [{"record_type": "wellbeing_check", **c} for c in doc["wellbeing_checks"]]
    by_line, errors = read(ndjson(*lines) if lines else b"")
    assert errors == ()
    assert by_line == by_object


@given(wellbeing_checks(person_id="P-9", measure=Measure.WELLBEING, after=T0, within=days(1)))
def test_strategy_arguments_hold(check: WellbeingCheck) -> None:
    """The strategies honour the person, measure and time span asked for."""
    assert (check.person_id, check.measure) == ("P-9", Measure.WELLBEING)
    assert T0 <= check.at <= T0 + timedelta(days=1)
    assert attrs.evolve(check) == check
