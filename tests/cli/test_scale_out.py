"""The Dask example gives the same findings as the command line."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from trauma_incidents.cli import main
from trauma_incidents.outcomes import Outcomes, read_outcomes
from trauma_incidents.plans import SupportPlan, SupportPlans, read_support_plans

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "src" / "trauma_incidents" / "data" / "sample_incidents.ndjson"
AT = "2026-05-01T09:00:00+01:00"
PLANS = ROOT / "tests" / "data" / "support_plans.ndjson"
LN005 = ROOT / "tests" / "scenarios" / "rules" / "LN005" / "computed-evidence.scenario.yaml"

pytest.importorskip("dask", reason="dask is in the dev dependency group")
sys.path.insert(0, str(ROOT / "examples" / "scale-out"))
from dask_check import check_with_dask  # noqa: E402


def test_dask_partitions_give_the_cli_findings(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(SAMPLE), "--at", AT, "--format", "json", "--fail-on", "never"])
    expected = json.loads(capsys.readouterr().out)["findings"]
    size = SAMPLE.stat().st_size
    found = check_with_dask(
        str(SAMPLE), datetime.fromisoformat(AT), blocksize=size // 3, scheduler="synchronous"
    )
    assert found == expected
    assert len(expected) > 20


def test_dask_with_support_plans_gives_the_cli_findings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The plans go to every worker; the plans rules run per person, as one batch would."""
    argv = ["check", str(SAMPLE), "--at", AT, "--format", "json", "--fail-on", "never"]
    main([*argv, "--plans", str(PLANS)])
    expected = json.loads(capsys.readouterr().out)["findings"]
    found = check_with_dask(
        str(SAMPLE),
        datetime.fromisoformat(AT),
        plans=SupportPlans.from_records(
            p for p in read_support_plans(PLANS) if isinstance(p, SupportPlan)
        ),
        blocksize=SAMPLE.stat().st_size // 3,
        scheduler="synchronous",
    )
    cross = [f for f in expected if f["rule"].startswith("PL")]
    assert found[: len(expected) - len(cross)] == [f for f in expected if f not in cross]
    assert by_id(found[len(expected) - len(cross) :]) == by_id(cross)
    assert len(cross) > 5


def by_id(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(findings, key=lambda f: f["id"])


def test_dask_with_outcome_records_gives_the_cli_findings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Each person's incidents meet with the outcome records: LN005 as check --outcomes."""
    doc = yaml.safe_load(LN005.read_text(encoding="utf-8"))
    data, outcomes = tmp_path / "incidents.ndjson", tmp_path / "outcomes.json"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    data.write_text(
        "".join(lines[:30] + [json.dumps(i) + "\n" for i in doc["incidents"]] + lines[30:])
    )
    outcomes.write_text(json.dumps(doc["outcomes"]))
    at = "2026-04-26T10:00:00Z"
    argv = ["check", str(data), "--at", at, "--format", "json", "--fail-on", "never"]
    main([*argv, "--outcomes", str(outcomes)])
    expected = json.loads(capsys.readouterr().out)["findings"]
    found = check_with_dask(
        str(data),
        datetime.fromisoformat(at),
        outcomes=Outcomes.from_records(read_outcomes(outcomes)),  # type: ignore[arg-type]
        blocksize=data.stat().st_size // 3,
        scheduler="synchronous",
    )
    assert found == expected
    assert ("INC-LN005-4", "concern") in {(f["incident_id"], f["status"]) for f in found}
