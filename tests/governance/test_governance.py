"""Tests for governance records: loading, schema, the engine's cross-incident rules, the pack."""

from __future__ import annotations

import pickle
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from jsonschema import Draft202012Validator

from trauma_incidents import Config, RuleSet, evaluate
from trauma_incidents.engine._cross import known_by
from trauma_incidents.errors import RuleError
from trauma_incidents.governance import (
    RECORD_TYPES,
    GovernanceRecords,
    IncidentReviewMeeting,
    ReviewScope,
    SupervisionSession,
    ThematicReview,
    governance_schema,
    read_governance,
)
from trauma_incidents.loading import BadRecord, _schema, partition, read_incidents
from trauma_incidents.packs import builtin_packs
from trauma_incidents.packs._pack import Pack
from trauma_incidents.rules import Context, FindingSeverity, RuleMeta, Status, Verdict
from trauma_incidents.rules._cross import BATCH, CrossFunctionRule, cross_rule
from trauma_incidents.testing import T0, incident, restraint

UTC = timezone.utc
SHIPPED = files("trauma_incidents") / "data" / "governance.schema.json"
SAMPLE = Path(__file__).parents[1] / "data" / "sample_governance.json"

MEETING = {"id": "M-1", "held_at": "2026-03-20T10:00:00Z", "service_id": "S-1"}
SUPERVISION = {"id": "SV-1", "staff_id": "ST-1", "held_at": "2026-03-10T10:00:00Z"}
REVIEW = {
    "id": "TR-1",
    "completed_at": "2026-04-01T10:00:00Z",
    "scope": "person",
    "scope_id": "P-1",
    "period_from": "2026-03-01",
    "period_to": "2026-03-31",
}


def read_gov(source: Any, **kwargs: Any) -> tuple[GovernanceRecords, tuple[BadRecord, ...]]:
    """The records `read_governance` yields, gathered, and its bad records."""
    good, bad = partition(read_governance(source, **kwargs))
    return GovernanceRecords.from_records(good), bad


def ndjson(*records: dict[str, Any]) -> bytes:
    return b"\n".join(orjson.dumps(r) for r in records) + b"\n"


class TestObjectForm:
    def test_reads_the_three_arrays(self) -> None:
        """The object form loads each array into its record class."""
        doc = {"meetings": [MEETING], "supervisions": [SUPERVISION], "thematic_reviews": [REVIEW]}
        records, errors = read_gov(orjson.dumps(doc))
        assert errors == ()
        assert records.meetings[0].held_at == datetime(2026, 3, 20, 10, tzinfo=UTC)
        assert records.supervisions[0].staff_id == "ST-1"
        assert records.thematic_reviews[0].scope is ReviewScope.PERSON
        assert records.thematic_reviews[0].period_to == date(2026, 3, 31)

    def test_a_bad_record_is_reported_with_its_path_and_the_rest_kept(self) -> None:
        """Each bad record becomes a BadRecord with paths into its array."""
        bad = {**MEETING, "id": "M-2", "held_at": "2026-03-20T10:00:00", "mood": "calm"}
        doc = {"meetings": [MEETING, bad]}
        records, errors = read_gov(orjson.dumps(doc), source_name="g.json")
        assert [m.id for m in records.meetings] == ["M-1"]
        (error,) = errors
        assert [p.path for p in error.problems] == ["$.meetings[1].held_at", "$.meetings[1].mood"]
        assert (error.index, error.incident_id, error.source) == (1, "M-2", "g.json")

    def test_top_level_problems(self) -> None:
        """Unknown keys, a wrong version and a non-array are named at the top."""
        doc = {"meetings": {}, "schema_version": "2", "extra": 1}
        _, (error,) = read_gov(orjson.dumps(doc))
        assert [p.path for p in error.problems] == ["$.extra", "$.schema_version", "$.meetings"]

    def test_period_in_order(self) -> None:
        """A thematic review's period may not end before it starts."""
        doc = {"thematic_reviews": [{**REVIEW, "period_to": "2026-02-01"}]}
        _, (error,) = read_gov(orjson.dumps(doc))
        assert error.problems[0].path == "$.thematic_reviews[0].period_to"

    def test_duplicate_ids_keep_the_first(self) -> None:
        """A second record with the same id in one array is reported and skipped."""
        doc = {"meetings": [MEETING, {**MEETING, "service_id": "S-2"}]}
        records, (error,) = read_gov(orjson.dumps(doc))
        assert [m.service_id for m in records.meetings] == ["S-1"]
        assert error.problems[0].path == "$.meetings[1].id"

    def test_sample_file_reads_cleanly(self) -> None:
        """The synthetic sample used by the report tests has no problems."""
        records, errors = read_gov(SAMPLE)
        assert errors == ()
        assert (len(records.meetings), len(records.supervisions)) == (4, 5)


class TestNdjson:
    def test_record_type_picks_the_class(self) -> None:
        """Each line's record_type chooses its class; blank lines are skipped."""
        data = ndjson(
            {"record_type": "meeting", **MEETING},
            {"record_type": "thematic_review", **REVIEW},
        )
        records, errors = read_gov(
            data + b"\n" + ndjson({"record_type": "supervision", **SUPERVISION})
        )
        assert errors == ()
        assert (
            len(records.meetings),
            len(records.supervisions),
            len(records.thematic_reviews),
        ) == (1, 1, 1)

    @pytest.mark.parametrize(
        ("line", "path"),
        [
            pytest.param({"id": "X"}, "$.record_type", id="missing"),
            pytest.param({"record_type": "minutes"}, "$.record_type", id="unknown"),
            pytest.param(
                {"record_type": "meeting", **MEETING, "held_at": 5}, "$.held_at", id="bad-field"
            ),
        ],
    )
    def test_bad_lines_name_the_line_and_path(self, line: dict[str, Any], path: str) -> None:
        """A bad line is reported with its line number; good lines are kept."""
        data = ndjson({"record_type": "meeting", **MEETING}, line)
        records, (error,) = read_gov(data, source_name="g.ndjson")
        assert len(records.meetings) == 1
        assert (error.line, error.problems[0].path) == (2, path)
        assert str(error).startswith("g.ndjson:2: ")

    def test_invalid_json_line(self) -> None:
        """Invalid JSON on one line spoils only that line."""
        data = ndjson({"record_type": "meeting", **MEETING}) + b"{oops\n"
        records, (error,) = read_gov(data)
        assert len(records.meetings) == 1
        assert error.line == 2

    def test_not_an_object_at_all(self) -> None:
        """A document that is neither form is one error at $."""
        _, (error,) = read_gov(b"[1, 2]")
        assert error.problems[0].path == "$"
        _, (error,) = read_gov(b"{\n  broken")
        assert "invalid JSON" in error.problems[0].message

    def test_empty_and_stream_sources(self, tmp_path: Path) -> None:
        """An empty file has no records; paths and streams are read."""
        assert read_gov(b"  \n") == (GovernanceRecords(), ())
        path = tmp_path / "g.ndjson"
        path.write_bytes(ndjson({"record_type": "supervision", **SUPERVISION}))
        assert len(read_gov(path)[0].supervisions) == 1
        with path.open("rb") as stream:
            assert len(read_gov(stream)[0].supervisions) == 1

    def test_ignore_unknown_keys(self) -> None:
        """Unknown keys may be skipped, as for incidents."""
        data = ndjson({"record_type": "meeting", **MEETING, "room": "A"})
        records, errors = read_gov(data, ignore_unknown_keys=True)
        assert (len(records.meetings), errors) == (1, ())

    def test_record_types_cover_every_array(self) -> None:
        """Each array of the object form has one record type."""
        assert sorted(a for a, _ in RECORD_TYPES.values()) == [
            "meetings",
            "supervisions",
            "thematic_reviews",
        ]


class TestSchema:
    def test_shipped_file_is_current(self) -> None:
        """data/governance.schema.json is the generated schema (see loading._schema)."""
        assert SHIPPED.read_bytes() == _schema.schema_json("governance")

    def test_module_prints_it(self) -> None:
        """``python -m trauma_incidents.loading._schema governance`` prints the shipped file."""
        out = subprocess.run(
            [sys.executable, "-m", "trauma_incidents.loading._schema", "governance"],
            capture_output=True,
            check=True,
        ).stdout
        assert out == SHIPPED.read_bytes()

    def test_valid_and_agrees_with_the_loader(self) -> None:
        """The sample validates; a record the loader refuses is refused by the schema too."""
        Draft202012Validator.check_schema(governance_schema())
        validator = Draft202012Validator(governance_schema())
        assert validator.is_valid(orjson.loads(SAMPLE.read_bytes()))
        assert not validator.is_valid({"meetings": [{**MEETING, "id": ""}]})
        assert not validator.is_valid({"thematic_reviews": [{**REVIEW, "scope": "team"}]})


def ri_incident(incident_id: str, person: str = "P-1", *, at: datetime = T0, **kw: Any) -> Any:
    return incident(
        id=incident_id,
        person_id=person,
        occurred_at=at,
        interventions=(restraint(started_at=at),),
        **kw,
    )


class TestEngine:
    def test_governance_is_opt_in(self) -> None:
        """By default the only cross-incident rules are the plans pack's; governance is built in."""
        assert {r.pack for r in RuleSet.compile().cross} == {"plans"}
        assert "governance" in builtin_packs()
        assert Config().packs == ("core", "england", "plans")

    def test_cross_findings_follow_per_incident_ones_in_rule_order(self) -> None:
        """Per-incident findings come first, then GV003 before GV004."""
        ruleset = RuleSet.compile(Config(packs=("core", "governance")))
        report = ruleset.evaluate([ri_incident("INC-1")], at=T0 + timedelta(hours=1))
        codes = [f.rule for f in report.findings]
        first_cross = codes.index("GV003")
        assert all(not c.startswith("GV") for c in codes[:first_cross])
        assert codes[first_cross:] == ["GV003", "GV004", "GV004"]
        assert {f.key for f in report.findings if f.rule == "GV004"} == {"ST-101", "ST-102"}

    def test_records_end_an_obligation(self) -> None:
        """A meeting discussing the incident in time leaves no GV003 finding."""
        ruleset = RuleSet.compile(Config(packs=("governance",)))
        meeting = IncidentReviewMeeting(
            id="M-1", held_at=T0 + timedelta(days=3), service_id="S", incidents_discussed=("INC-1",)
        )
        at = T0 + timedelta(days=40)
        without = ruleset.evaluate([ri_incident("INC-1")], at=at)
        with_records = evaluate(
            [ri_incident("INC-1")],
            at=at,
            rules=ruleset,
            records=GovernanceRecords(meetings=(meeting,)),
        )
        assert "GV003" in {f.rule for f in without.findings}
        assert "GV003" not in {f.rule for f in with_records.findings}

    def test_incidents_not_yet_known_are_left_out(self) -> None:
        """Cross rules see only incidents occurred and reported by the time."""
        later = ri_incident("INC-2", at=T0 + timedelta(days=1))
        assert [i.id for i in known_by([ri_incident("INC-1"), later], T0 + timedelta(hours=1))] == [
            "INC-1"
        ]

    def test_options_and_severity_are_configurable(self) -> None:
        """Cross rules take options and severities from the configuration, like any rule."""
        config = Config.from_dict(
            {"packs": ["governance"], "rules": {"GV003": {"within": "2d", "severity": "high"}}}
        )
        ruleset = RuleSet.compile(config)
        report = ruleset.evaluate([ri_incident("INC-1")], at=T0 + timedelta(days=3))
        (finding,) = [f for f in report.findings if f.rule == "GV003"]
        assert (finding.status, finding.severity) == (Status.OVERDUE, FindingSeverity.HIGH)

    def test_waivers_apply_to_cross_findings(self) -> None:
        """A waiver by rule and incident sets a cross finding aside."""
        config = Config.from_dict(
            {
                "packs": ["governance"],
                "waivers": [{"rule": "GV003", "incident": "INC-1", "reason": "synthetic"}],
            }
        )
        report = RuleSet.compile(config).evaluate([ri_incident("INC-1")], at=T0 + timedelta(days=1))
        assert [w.finding.rule for w in report.waived] == ["GV003"]

    def test_a_rule_set_with_cross_rules_pickles(self) -> None:
        """Compiled cross rules travel as declarations and compile again."""
        ruleset = RuleSet.compile(Config(packs=("governance",)))
        again = pickle.loads(pickle.dumps(ruleset))  # noqa: S301 (our own bytes)
        at = T0 + timedelta(days=1)
        assert again.evaluate([ri_incident("INC-1")], at=at) == ruleset.evaluate(
            [ri_incident("INC-1")], at=at
        )


META = RuleMeta(
    code="XX001",
    name="always-fails",
    summary="s",
    rationale="r",
    example="e",
    severity=FindingSeverity.LOW,
    sources=("local policy",),
)


@cross_rule(META)
def failing(*_args: Any) -> list[tuple[str, Verdict]]:
    raise ZeroDivisionError


@cross_rule(attrs.evolve(META, code="XX002", name="flags-unknown"))
def unknown_incident(*_args: Any) -> list[tuple[str, Verdict]]:
    return [("NOPE", Verdict(key=None, status=Status.CONCERN, message="m"))]


@cross_rule(attrs.evolve(META, code="XX003", name="bad-on-one"))
def bad_on_one(incidents: Any, *_args: Any) -> list[tuple[str, Any]]:
    """A well-formed verdict for each incident, but garbage for the second."""
    good = Verdict(key=None, status=Status.CONCERN, message="m")
    return [(i.id, "garbage" if n == 1 else good) for n, i in enumerate(incidents)]


class TestFaults:
    def test_bad_verdicts_on_one_incident_keep_the_others_findings(self) -> None:
        """The fault names that incident only; the rule's findings on the others stay."""
        pack = Pack(name="local", version="1", description="d", rules=(bad_on_one,))
        rules = RuleSet.compile(Config(packs=("local",)), packs={"local": pack})
        batch = [incident(id=f"INC-{n}") for n in range(3)]
        report = rules.evaluate(batch, at=T0 + timedelta(days=1))
        assert [(f.rule, f.incident_id, f.error) for f in report.faults] == [
            ("XX003", "INC-1", "InvalidVerdict")
        ]
        assert [f.incident_id for f in report.findings] == ["INC-0", "INC-2"]

    def _ruleset(self, *, strict: bool = False) -> RuleSet:
        pack = Pack(name="local", version="1", description="d", rules=(failing, unknown_incident))
        return RuleSet.compile(Config(packs=("local",), strict=strict), packs={"local": pack})

    def test_a_failing_cross_rule_is_a_fault_on_the_batch(self) -> None:
        """The fault names the rule and the batch; verdicts about unknown incidents are dropped."""
        report = self._ruleset().evaluate([incident()], at=T0)
        assert [(f.rule, f.incident_id, f.error) for f in report.faults] == [
            ("XX001", BATCH, "ZeroDivisionError")
        ]
        assert report.findings == ()

    def test_strict_raises(self) -> None:
        """In strict mode the fault raises RuleError."""
        with pytest.raises(RuleError, match="XX001"):
            self._ruleset(strict=True).evaluate([incident()], at=T0)

    def test_function_rules_pickle_by_name(self) -> None:
        """A decorated cross rule pickles as a reference to itself; others by their function."""
        assert pickle.loads(pickle.dumps(failing)) is failing  # noqa: S301 (our own bytes)
        plain = CrossFunctionRule(META, no_verdicts)
        assert pickle.loads(pickle.dumps(plain)) == plain  # noqa: S301 (our own bytes)
        assert list(plain.compile_batch({})([], Context(), T0)) == []


def no_verdicts(*_args: Any) -> list[tuple[str, Verdict]]:
    return []


def test_records_reprs_hold_no_free_text() -> None:
    """Themes, actions, findings and changes stay out of reprs."""
    meeting = IncidentReviewMeeting(
        id="M-1", held_at=T0, service_id="S", themes=("secret theme",), actions_agreed=("secret",)
    )
    review = ThematicReview(
        id="T",
        completed_at=T0,
        scope=ReviewScope.SERVICE,
        scope_id="S",
        period_from=date(2026, 1, 1),
        period_to=date(2026, 1, 2),
        findings=("secret finding",),
        changes=("secret change",),
    )
    session = SupervisionSession(id="SV", staff_id="ST", held_at=T0)
    assert "secret" not in repr(meeting) + repr(review) + repr(session)


class TestReaderShape:
    """read_governance yields like read_incidents: each record, or a BadRecord, in order."""

    def test_yields_records_and_bad_records_in_order(self) -> None:
        data = (
            b'{"record_type": "meeting", "id": "M-1", "held_at": "2026-03-20T10:00:00Z",'
            b' "service_id": "S-03"}\n'
            b'{"record_type": "supervision", "id": "SV-1", "staff_id": "ST-1", "held_at": 1}\n'
            b'{"record_type": "supervision", "id": "SV-2", "staff_id": "ST-1",'
            b' "held_at": "2026-03-21T10:00:00Z"}\n'
        )
        kinds = [type(item).__name__ for item in read_governance(data)]
        assert kinds == ["IncidentReviewMeeting", "BadRecord", "SupervisionSession"]

    def test_partition_is_the_same_for_both_readers(self) -> None:
        incidents, bad_incidents = partition(read_incidents(b'{"id": 1}\n'))
        records, bad_records = partition(read_governance(b'{"record_type": "meeting"}\n'))
        assert (incidents, records) == ((), ())
        assert [type(e) for e in (*bad_incidents, *bad_records)] == [BadRecord, BadRecord]

    def test_from_records_keeps_each_kind_in_order(self) -> None:
        first = SupervisionSession(id="SV-1", staff_id="ST-1", held_at=T0)
        second = SupervisionSession(id="SV-2", staff_id="ST-1", held_at=T0)
        meeting = IncidentReviewMeeting(id="M-1", held_at=T0, service_id="S-1")
        gathered = GovernanceRecords.from_records([first, meeting, second])
        assert gathered == GovernanceRecords(supervisions=(first, second), meetings=(meeting,))
