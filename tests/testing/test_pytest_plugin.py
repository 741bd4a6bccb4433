"""The pytest plugin: scenario collection, failure diffs and fixtures (run with pytester)."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from trauma_incidents.cli import main

INCIDENT = """
  - id: INC-1
    person_id: P-1
    service_id: SVC-1
    occurred_at: "2026-03-02T10:00:00Z"
    categories: [self_harm]
    severity: low
    triggers: [{kind: sensory}]
    interventions:
      - kind: verbal_deescalation
        started_at: "2026-03-02T09:50:00Z"
      - kind: physical_restraint
        started_at: "2026-03-02T10:00:00Z"
        ended_at: "2026-03-02T10:04:00Z"
        reason: to keep the person safe
        position: seated
        staff_ids: [ST-1, ST-2]
        in_support_plan: true
"""

PASSING = f"""
name: restraint-without-debrief
incidents:{INCIDENT}
checkpoints:
  - at: "2026-03-02T12:00:00Z"
    findings:
      - {{rule: DB001, key: "1", status: due}}
    absent:
      - {{rule: RI005}}
  - at: "2026-03-03T10:04:00Z"
    findings:
      - {{rule: DB001, status: due}}
  - at: "2026-03-03T10:04:01Z"
    findings:
      - {{rule: DB001, status: overdue}}
"""

FAILING = f"""
name: wrong-expectation
incidents:{INCIDENT}
checkpoints:
  - at: "2026-03-02T12:00:00Z"
    match: exactly
    findings:
      - {{rule: DB001, status: overdue}}
"""


def test_passing_scenario_gives_one_item_per_checkpoint(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", restraint=PASSING)
    result = pytester.runpytest("-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*restraint-without-debrief@2026-03-02T12:00:00+00:00 PASSED*"])


def test_failing_scenario_prints_the_diff(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", wrong=FAILING)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "scenario 'wrong-expectation' at 2026-03-02T12:00:00+00:00:",
            "  - expected, not found: rule=DB001 incident=INC-1 status=overdue",
            (
                "      nearest: rule=DB001 incident=INC-1 key=1 status=due severity=high"
                " due_at=2026-03-03T10:04:00+00:00"
            ),
            "  + found, not expected: rule=DB001 incident=INC-1 key=1 status=due*",
            "  + found, not expected: rule=DB002 incident=INC-1 key=1 status=due*",
        ]
    )


def test_json_scenarios_are_collected_and_option_turns_collection_off(
    pytester: pytest.Pytester,
) -> None:
    import json  # noqa: PLC0415

    import yaml  # noqa: PLC0415

    pytester.makefile(".scenario.json", restraint=json.dumps(yaml.safe_load(PASSING)))
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)
    result = pytester.runpytest("-p", "no:cacheprovider", "--no-trauma-scenarios")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_fixtures_evaluate_with_the_configured_rules(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest
        from trauma_incidents.config import Config

        @pytest.fixture
        def trauma_config():
            return Config.from_dict({"rules": {"DB001": {"within": "1h"}}})
        """
    )
    pytester.makepyfile(
        """
        import pytest
        from trauma_incidents.loading import load_incident

        INCIDENT = {
            "id": "INC-1", "person_id": "P-1", "service_id": "SVC-1",
            "occurred_at": "2026-03-02T10:00:00Z", "categories": ["self_harm"],
            "severity": "low",
            "interventions": [{"kind": "physical_restraint", "ended_at": "2026-03-02T10:04:00Z"}],
        }

        @pytest.mark.trauma_at("2026-03-02T12:00:00Z")
        def test_db001_is_overdue_after_an_hour(trauma_evaluate):
            report = trauma_evaluate([load_incident(INCIDENT)])
            assert [f.status.value for f in report.findings if f.rule == "DB001"] == ["overdue"]

        def test_time_is_required(trauma_evaluate):
            trauma_evaluate([load_incident(INCIDENT)])
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*set the time with @pytest.mark.trauma_at*"])


def test_the_test_command_runs_scenarios_without_pytest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good.scenario.yaml").write_text(PASSING, encoding="utf-8")
    (tmp_path / "wrong.scenario.yaml").write_text(FAILING, encoding="utf-8")
    (tmp_path / "broken.scenario.yaml").write_text("name: x\nincidents: []\n", encoding="utf-8")
    report = tmp_path / "junit.xml"
    code = main(["test", str(tmp_path), "--junit-xml", str(report)])
    out = capsys.readouterr().out
    assert code == 2
    assert out.splitlines()[-1] == "3 passed, 1 failed, 1 errors"
    assert "incidents: expected a non-empty list" in out
    assert "  - expected, not found: rule=DB001 incident=INC-1 status=overdue" in out
    suites = ET.parse(report).getroot().findall("testsuite")  # noqa: S314 (our own file)
    totals = [(s.get("tests"), s.get("failures"), s.get("errors")) for s in suites]
    assert sorted(totals) == [("1", "0", "1"), ("1", "1", "0"), ("3", "0", "0")]


def test_the_test_command_fails_when_all_pass_but_one_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good.scenario.yaml").write_text(PASSING, encoding="utf-8")
    assert main(["test", str(tmp_path)]) == 0
    (tmp_path / "wrong.scenario.yaml").write_text(FAILING, encoding="utf-8")
    assert main(["test", str(tmp_path)]) == 1
    capsys.readouterr()
