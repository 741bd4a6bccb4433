"""Scenario expectations cannot pass by mistake; new keys: met, severity, due_at, waived."""

from __future__ import annotations

import pickle
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from trauma_incidents.cli import main
from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import ScenarioError
from trauma_incidents.testing import ANY, load_scenario, run_checkpoint
from trauma_incidents.testing._junit import junit_xml, run_files

pytest.importorskip("yaml")

INCIDENT = """
  - id: INC-1
    person_id: P-1
    service_id: SVC-1
    occurred_at: 2026-03-02T10:00:00Z
    categories: [self_harm]
    severity: low
    triggers: [{kind: sensory}]
    interventions:
      - {kind: verbal_deescalation, started_at: 2026-03-02T09:50:00Z}
      - {kind: physical_restraint, started_at: 2026-03-02T10:00:00Z,
         ended_at: 2026-03-02T10:04:00Z, reason: to keep the person safe, position: seated,
         staff_ids: [ST-1, ST-2], in_support_plan: true}
    debriefs:
      - {audience: staff, status: held, at: 2026-03-02T16:00:00Z,
         topics: [timeline, early_warning_signs, communication]}
"""


def scenario(tmp_path: Path, checkpoints: str, extra: str = "") -> Path:
    path = tmp_path / "s.scenario.yaml"
    path.write_text(f"name: kit\n{extra}incidents:{INCIDENT}checkpoints:\n{checkpoints}")
    return path


def run(path: Path) -> list[bool]:
    loaded = load_scenario(path)
    ruleset = RuleSet.compile(loaded.config)
    return [run_checkpoint(loaded, c, ruleset).passed for c in loaded.checkpoints]


def refused(path: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        run(path)
    return str(info.value)


class TestCannotPassByMistake:
    @pytest.mark.parametrize("where", ["absent", "findings", "met"])
    def test_a_rule_no_enabled_pack_has_is_an_error(self, tmp_path: Path, where: str) -> None:
        path = scenario(tmp_path, f"  - at: 2026-03-02T12:00:00Z\n    {where}: [{{rule: DBOO1}}]\n")
        assert refused(path).endswith(
            f"checkpoints[0].{where}[0].rule: no enabled pack has a rule DBOO1; did you mean DB001?"
        )

    def test_an_incident_not_in_the_scenario_is_an_error(self, tmp_path: Path) -> None:
        path = scenario(
            tmp_path, "  - at: 2026-03-02T12:00:00Z\n    absent: [{rule: DB001, incident: INC-I}]\n"
        )
        assert refused(path).endswith(
            "checkpoints[0].absent[0].incident: the scenario has no incident INC-I;"
            " did you mean INC-1?"
        )

    def test_duplicate_checkpoint_ids_are_an_error(self, tmp_path: Path) -> None:
        twice = "  - {at: 2026-03-02T12:00:00Z, name: noon}\n"
        assert "checkpoints[1]: the id 'noon' is also checkpoints[0]'s" in refused(
            scenario(tmp_path, twice + twice.replace("12:00", "13:00"))
        )
        same_time = "  - {at: 2026-03-02T12:00:00Z}\n"
        assert "is also checkpoints[0]'s" in refused(scenario(tmp_path, same_time * 2))

    def test_named_checkpoints_at_one_time_are_fine(self, tmp_path: Path) -> None:
        path = scenario(
            tmp_path,
            "  - {at: 2026-03-02T12:00:00Z, name: a}\n  - {at: 2026-03-02T12:00:00Z, name: b}\n",
        )
        assert [c.id for c in load_scenario(path).checkpoints] == ["a", "b"]


class TestMet:
    def test_met_holds_when_the_rule_applied_and_was_satisfied_on_time(
        self, tmp_path: Path
    ) -> None:
        path = scenario(tmp_path, "  - at: 2026-03-04T12:00:00Z\n    met: [{rule: DB001}]\n")
        assert run(path) == [True]

    def test_met_fails_when_the_rule_has_a_finding(self, tmp_path: Path) -> None:
        path = scenario(tmp_path, "  - at: 2026-03-04T12:00:00Z\n    met: [{rule: DB002}]\n")
        loaded = load_scenario(path)
        result = run_checkpoint(loaded, loaded.checkpoints[0], RuleSet.compile(loaded.config))
        assert not result.passed
        assert "expected met, but found rule=DB002" in result.explain()

    def test_met_fails_when_the_rule_never_applied(self, tmp_path: Path) -> None:
        """NT001 (CQC notification) does not apply to a low-severity incident: not 'met'."""
        path = scenario(tmp_path, "  - at: 2026-03-04T12:00:00Z\n    met: [{rule: NT001}]\n")
        loaded = load_scenario(path)
        result = run_checkpoint(loaded, loaded.checkpoints[0], RuleSet.compile(loaded.config))
        assert "the rule never applied" in result.explain()


class TestAssertedFields:
    def test_severity_and_due_at(self, tmp_path: Path) -> None:
        good = "{rule: DB002, severity: high, due_at: 2026-03-05T10:04:00Z, status: due}"
        bad = "{rule: DB002, severity: low}"
        path = scenario(
            tmp_path,
            f"  - {{at: 2026-03-02T12:00:00Z, findings: [{good}]}}\n"
            f"  - {{at: 2026-03-02T13:00:00Z, findings: [{bad}]}}\n",
        )
        assert run(path) == [True, False]

    def test_waived_findings_are_matched_only_when_asked(self, tmp_path: Path) -> None:
        waiver = (
            "config:\n  waivers:\n    - {rule: DB002, incident: INC-1,"
            " reason: the person asked to wait}\n"
        )
        path = scenario(
            tmp_path,
            "  - {at: 2026-03-02T12:00:00Z, findings: [{rule: DB002, waived: true}]}\n"
            "  - {at: 2026-03-02T13:00:00Z, findings: [{rule: DB002}]}\n"
            "  - {at: 2026-03-02T14:00:00Z, absent: [{rule: DB002}]}\n",
            waiver,
        )
        assert run(path) == [True, False, True]

    def test_config_may_be_a_path(self, tmp_path: Path) -> None:
        (tmp_path / "policy.toml").write_text('[rules.DB001]\nwithin = "2h"\n')
        path = scenario(
            tmp_path,
            "  - at: 2026-03-02T17:00:00Z\n    findings: [{rule: DB001, status: late}]\n",
            "config: policy.toml\n",
        )
        assert run(path) == [True]
        missing = scenario(tmp_path, "  - at: 2026-03-02T12:05:00Z\n", "config: nope.toml\n")
        assert refused(missing).endswith("config: no such file: nope.toml")


class TestYaml:
    def test_unquoted_times_are_read_as_times(self, tmp_path: Path) -> None:
        path = scenario(tmp_path, "  - at: 2026-03-02T12:00:00Z\n    findings: [{rule: DB002}]\n")
        assert run(path) == [True]

    def test_a_syntax_error_names_its_line(self, tmp_path: Path) -> None:
        path = tmp_path / "bad.scenario.yaml"
        path.write_text("name: x\nincidents:\n  - {id: INC-1\ncheckpoints: []\n")
        with pytest.raises(ScenarioError, match=r"bad.scenario.yaml: line 4: not valid YAML"):
            load_scenario(path)


def test_any_prints_as_any_and_survives_pickling() -> None:
    assert repr(ANY) == "<any>"
    assert pickle.loads(pickle.dumps(ANY)) is ANY  # noqa: S301 (our own bytes)


def test_junit_has_classname_per_scenario_time_and_totals(tmp_path: Path) -> None:
    path = scenario(
        tmp_path,
        "  - {at: 2026-03-02T12:00:00Z, name: noon, findings: [{rule: DB002}]}\n"
        "  - {at: 2026-03-02T13:00:00Z, findings: [{rule: DB002, severity: low}]}\n",
    )
    root = ET.fromstring(junit_xml(list(run_files([str(path)]))))  # noqa: S314 (our own XML)
    assert {k: root.get(k) for k in ("tests", "failures", "errors")} == {
        "tests": "2", "failures": "1", "errors": "0",
    }  # fmt: skip
    assert float(root.get("time", "x")) >= 0
    cases = root.findall(".//testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("kit", "kit@noon"), ("kit", "kit@2026-03-02T13:00:00+00:00"),
    ]  # fmt: skip
    assert root.find("testsuite").get("time") is not None  # type: ignore[union-attr]


def test_an_unknown_rule_is_an_error_case_in_junit(tmp_path: Path) -> None:
    path = scenario(tmp_path, "  - at: 2026-03-02T12:00:00Z\n    absent: [{rule: XX001}]\n")
    (case,) = run_files([str(path)])
    assert case.error is not None
    assert "no enabled pack has a rule XX001" in case.error


def test_the_default_config_is_used_when_none_is_given(tmp_path: Path) -> None:
    path = scenario(tmp_path, "  - {at: 2026-03-02T12:00:00Z}\n")
    assert load_scenario(path).config == Config()


class TestCoverage:
    def test_statuses_seen_per_rule_and_the_total(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = scenario(
            tmp_path,
            "  - {at: 2026-03-02T12:00:00Z}\n"
            "  - {at: 2026-03-10T12:00:00Z, met: [{rule: DB001}]}\n",
            "config: {packs: [core]}\n",
        )
        code = main(["test", str(path), "--coverage", "--fail-under", "100"])
        out = capsys.readouterr().out
        rows = {
            line.split()[0]: line.split()[1:]
            for line in out.splitlines()
            if line[:2] in {"DB", "RI"}
        }
        header = ["due", "overdue", "late", "missing", "unknown", "concern", "met"]
        assert header == next(
            line.split()[1:] for line in out.splitlines() if line.startswith("RULE")
        )
        assert dict(zip(header, rows["DB002"], strict=True))["due"] == "x"
        assert dict(zip(header, rows["DB002"], strict=True))["overdue"] == "x"
        assert dict(zip(header, rows["DB001"], strict=True))["late"] == "-"
        assert dict(zip(header, rows["DB001"], strict=True))["met"] == "x"
        assert dict(zip(header, rows["RI005"], strict=True)) == dict.fromkeys(header, "-")
        assert "coverage: " in out
        assert code == 1
        assert "is under 100%" in out
        assert main(["test", str(path), "--fail-under", "1"]) == 0


@pytest.mark.parametrize(
    ("checkpoints", "extra", "error"),
    [
        ("  - {at: 2026-03-02T12:00:00Z, name: 3}\n", "", "checkpoints[0].name: expected text"),
        ("  - {at: 2026-03-02T12:00:00Z, match: all}\n", "", "match: expected exactly or"),
        ("  - {at: 2026-03-02T12:00:00}\n", "", "checkpoints[0].at: expected a time with an"),
        ("  - {at: 2026-03-02T12:00:00Z, finding: []}\n", "", "checkpoints[0].finding: unknown"),
        ("  - [at]\n", "", "checkpoints[0]: expected a mapping"),
        ("  - {at: 2026-03-02T12:00:00Z, absent: {rule: DB001}}\n", "", "absent: expected a list"),
        ("  - {at: 2026-03-02T12:00:00Z, absent: [DB001]}\n", "", "expected a mapping with a rule"),
        (
            "  - {at: 2026-03-02T12:00:00Z, absent: [{rule: DB001, sevrity: low}]}\n",
            "",
            "absent[0].sevrity: unknown key",
        ),
        (
            "  - {at: 2026-03-02T12:00:00Z, findings: [{rule: DB001, severity: huge}]}\n",
            "",
            "findings[0].severity: expected one of info, low",
        ),
        (
            "  - {at: 2026-03-02T12:00:00Z, findings: [{rule: DB001, status: late-ish}]}\n",
            "",
            "findings[0].status: expected one of due, overdue",
        ),
        (
            "  - {at: 2026-03-02T12:00:00Z, findings: [{rule: DB001, due_at: tomorrow}]}\n",
            "",
            "findings[0].due_at: expected a time with an offset",
        ),
        (
            "  - {at: 2026-03-02T12:00:00Z, findings: [{rule: DB001, waived: yes please}]}\n",
            "",
            "findings[0].waived: expected true or false",
        ),
        ("  - {at: 2026-03-02T12:00:00Z}\n", "config: [core]\n", "config: expected a mapping"),
        ("  - {at: 2026-03-02T12:00:00Z}\n", "config: {pakcs: [core]}\n", "config: pakcs: unknown"),
        ("  - {at: 2026-03-02T12:00:00Z}\n", "checkpoint: []\n", "checkpoint: unknown key; did"),
    ],
)
def test_each_mistake_is_named_with_its_place(
    tmp_path: Path, checkpoints: str, extra: str, error: str
) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(scenario(tmp_path, checkpoints, extra))
    assert error in str(info.value)


def test_due_at_null_asks_for_a_finding_without_a_deadline(tmp_path: Path) -> None:
    path = scenario(
        tmp_path,
        "  - {at: 2026-03-02T12:00:00Z, findings: [{rule: DB002, due_at: null}]}\n"
        "  - {at: 2026-03-02T12:00:00Z, name: b, findings: [{rule: RI003, due_at: null}]}\n",
    )
    assert run(path)[0] is False


class TestPlans:
    """The ``plans:`` key: inline plans or a path; absent means not supplied."""

    PLAN = (
        '{id: SP-1, person_id: P-1, effective_from: "2026-01-05T09:00:00Z", person_involved: true}'
    )
    AT = "  - at: 2026-03-02T12:00:00Z\n    findings: [{rule: PL001}]\n"

    def test_without_plans_the_plans_rules_do_not_run(self, tmp_path: Path) -> None:
        assert load_scenario(scenario(tmp_path, self.AT)).plans is None
        assert run(scenario(tmp_path, self.AT)) == [False]

    def test_inline_plans(self, tmp_path: Path) -> None:
        path = scenario(tmp_path, self.AT, "plans: []\n")
        assert run(path) == [True]
        plans = load_scenario(scenario(tmp_path, self.AT, f"plans: [{self.PLAN}]\n")).plans
        assert plans is not None
        assert [p.id for p in plans] == ["SP-1"]

    def test_plans_by_path(self, tmp_path: Path) -> None:
        (tmp_path / "plans.ndjson").write_text(
            '{"id": "SP-1", "person_id": "P-1", "effective_from": "2026-01-05T09:00:00Z"}\n'
        )
        plans = load_scenario(scenario(tmp_path, self.AT, "plans: {path: plans.ndjson}\n")).plans
        assert plans is not None
        assert plans.versions("P-1")[0].id == "SP-1"

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            pytest.param("plans: 5\n", "expected a list of plans, or {path: ...}", id="shape"),
            pytest.param(
                "plans: [{id: SP-1, person_id: P-1}]\n",
                "required field missing @ $.support_plans[0].effective_from",
                id="bad-plan",
            ),
        ],
    )
    def test_bad_plans_are_refused(self, tmp_path: Path, extra: str, message: str) -> None:
        text = refused(scenario(tmp_path, self.AT, extra))
        assert "plans:" in text
        assert message in text


class TestOutcomes:
    """The ``outcomes:`` key: the object form inline or a path; absent means not supplied."""

    CHECK = (
        '{id: WC-1, person_id: P-1, at: "2026-03-01T09:00:00Z", measure: distress, value: 4,'
        " method: observed}"
    )
    AT = "  - at: 2026-03-02T12:00:00Z\n    findings: []\n"

    def test_without_outcomes_none_are_supplied(self, tmp_path: Path) -> None:
        assert load_scenario(scenario(tmp_path, self.AT)).outcomes is None

    def test_inline_outcomes(self, tmp_path: Path) -> None:
        extra = f"outcomes: {{wellbeing_checks: [{self.CHECK}]}}\n"
        outcomes = load_scenario(scenario(tmp_path, self.AT, extra)).outcomes
        assert outcomes is not None
        assert [c.id for c in outcomes.checks_of("P-1")] == ["WC-1"]

    def test_outcomes_by_path(self, tmp_path: Path) -> None:
        (tmp_path / "outcomes.ndjson").write_text(
            '{"record_type": "wellbeing_check", "id": "WC-1", "person_id": "P-1", "at":'
            ' "2026-03-01T09:00:00Z", "measure": "anxiety", "value": 2, "method": "self_report"}\n'
        )
        extra = "outcomes: {path: outcomes.ndjson}\n"
        outcomes = load_scenario(scenario(tmp_path, self.AT, extra)).outcomes
        assert outcomes is not None
        assert len(outcomes) == 1

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            pytest.param(
                "outcomes: 5\n", "expected a mapping (the records, or a path)", id="shape"
            ),
            pytest.param(
                "outcomes: {wellbeing_checks: [{id: WC-1, person_id: P-1}]}\n",
                "$.wellbeing_checks[0].at",
                id="bad-record",
            ),
        ],
    )
    def test_bad_outcomes_are_refused(self, tmp_path: Path, extra: str, message: str) -> None:
        text = refused(scenario(tmp_path, self.AT, extra))
        assert "outcomes:" in text
        assert message in text
