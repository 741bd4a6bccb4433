"""``check --outcomes``: LN005 weighs what outcome records show, as `RuleSet.evaluate` does."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from trauma_incidents import cli, dump_finding
from trauma_incidents.engine import RuleSet
from trauma_incidents.testing import load_scenario

SCENARIO = (
    Path(__file__).parents[1] / "scenarios" / "rules" / "LN005" / "computed-evidence.scenario.yaml"
)
AT = "2026-04-26T10:00:00Z"


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    """The scenario's incidents (NDJSON) and outcome records (the object form) as files."""
    doc = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    incidents = tmp_path / "incidents.ndjson"
    incidents.write_text("".join(json.dumps(i) + "\n" for i in doc["incidents"]), "utf-8")
    outcomes = tmp_path / "outcomes.json"
    outcomes.write_text(json.dumps(doc["outcomes"]), "utf-8")
    return str(incidents), str(outcomes)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _json(*argv: str) -> list[str]:
    return ["check", *argv, "--at", AT, "--format", "json", "--fail-on", "never"]


def test_check_gives_the_findings_of_evaluate_with_outcomes(
    capsys: pytest.CaptureFixture[str], files: tuple[str, str]
) -> None:
    incidents, outcomes = files
    code, out, err = run(capsys, *_json(incidents, "--outcomes", outcomes))
    scenario = load_scenario(SCENARIO)
    report = RuleSet.compile().evaluate(
        scenario.incidents, at=datetime.fromisoformat(AT), outcomes=scenario.outcomes
    )
    found = json.loads(out)["findings"]
    assert (code, err) == (0, "")
    assert found == [dump_finding(f) for f in report.findings]
    ln005 = {(f["incident_id"], f["status"]) for f in found if f["rule"] == "LN005"}
    assert ln005 == {
        ("INC-LN005-4", "concern"),
        ("INC-LN005-5", "overdue"),
        ("INC-LN005-6", "overdue"),
    }
    _, without, _ = run(capsys, *_json(incidents))
    assert ("INC-LN005-3", "overdue") in {
        (f["incident_id"], f["status"])
        for f in json.loads(without)["findings"]
        if f["rule"] == "LN005"
    }


def test_jobs_with_outcomes_give_the_output_of_one_process(
    capsys: pytest.CaptureFixture[str], files: tuple[str, str]
) -> None:
    incidents, outcomes = files
    one = run(capsys, *_json(incidents, "--outcomes", outcomes))
    two = run(capsys, *_json(incidents, "--outcomes", outcomes, "--jobs", "2"))
    assert one == two


def test_a_bad_outcome_record_is_reported_and_the_run_goes_on(
    capsys: pytest.CaptureFixture[str], files: tuple[str, str], tmp_path: Path
) -> None:
    """As a bad support plan is: exit 2, the good records kept, every incident checked."""
    incidents, outcomes = files
    good = Path(outcomes).read_text("utf-8")
    doc = json.loads(good)
    doc["wellbeing_checks"].append({"id": "WC-bad", "person_id": "P-1911", "value": 11})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), "utf-8")
    code, out, err = run(capsys, *_json(incidents, "--outcomes", str(bad)))
    _, expected, _ = run(capsys, *_json(incidents, "--outcomes", outcomes))
    errors = json.loads(out)["errors"]
    assert code == 2
    assert [e["source"] for e in errors] == [str(bad)]
    last = len(doc["wellbeing_checks"]) - 1
    assert {p["path"] for p in errors[0]["problems"]} >= {f"$.wellbeing_checks[{last}].value"}
    assert json.loads(out)["findings"] == json.loads(expected)["findings"]
    assert err == ""


def test_an_unreadable_outcomes_file_is_an_error(
    capsys: pytest.CaptureFixture[str], files: tuple[str, str], tmp_path: Path
) -> None:
    incidents, _ = files
    missing = str(tmp_path / "missing.ndjson")
    code, out, err = run(capsys, "check", incidents, "--outcomes", missing, "--at", AT)
    assert (code, out) == (2, "")
    assert "missing.ndjson: cannot read" in err


def test_without_scipy_check_names_the_extra(
    capsys: pytest.CaptureFixture[str], files: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "scipy", None)
    incidents, outcomes = files
    code, _, err = run(capsys, "check", incidents, "--outcomes", outcomes, "--at", AT)
    assert code == 2
    assert "pip install 'trauma-incidents[analysis]'" in err
