"""
The PySpark example gives exactly the findings of ``trauma-incidents check``.

Run in a venv with pyspark and Java 17 (CI's "scale-out: Spark" step):
``python -m pytest examples/scale-out/tests``. ``SPARK_SYNTHETIC`` sets how many synthetic
incidents the second test checks (100,000 by default).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import SparkSession

from trauma_incidents import Config
from trauma_incidents.cli import main

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(HERE.parent))
from spark_check import (  # noqa: E402
    check_with_spark,
    read_outcome_records,
    read_plans,
    read_records,
)

SAMPLE = ROOT / "src" / "trauma_incidents" / "data" / "sample_incidents.ndjson"
RECORDS = ROOT / "tests" / "data" / "sample_governance.json"
PLANS = ROOT / "src" / "trauma_incidents" / "data" / "sample_support_plans.ndjson"
OUTCOMES = ROOT / "src" / "trauma_incidents" / "data" / "sample_outcomes.ndjson"
LN005 = ROOT / "tests" / "scenarios" / "rules" / "LN005" / "computed-evidence.scenario.yaml"
AT = "2026-05-01T09:00:00+01:00"


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers use this venv's Python
    session = (
        SparkSession.builder.master("local[2]")
        .appName("trauma-incidents-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    yield session
    session.stop()


def cli_findings(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    main(["check", *args, "--at", AT, "--format", "json", "--fail-on", "never"])
    findings: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["findings"]
    return findings


def by_id(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(findings, key=lambda f: f["id"])


def test_the_sample_with_governance_records_and_plans(
    spark: SparkSession, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text('packs = ["core", "england", "plans", "governance"]\n')
    expected = cli_findings(
        capsys,
        str(SAMPLE),
        *("--config", str(config_file), "--governance", str(RECORDS), "--plans", str(PLANS)),
    )
    found = check_with_spark(
        spark,
        str(SAMPLE),
        datetime.fromisoformat(AT),
        config=Config.from_file(config_file),
        records=read_records(RECORDS),
        plans=read_plans(PLANS),
    )
    assert by_id(found) == by_id(expected)
    assert {f["rule"][:2] for f in expected} >= {"DB", "RI", "GV", "PL"}


def test_the_sample_with_outcome_records(
    spark: SparkSession, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """LN005 weighs each person's outcome records, as check --outcomes does."""
    ln005 = _yaml_ln005()  # the scenario's four people
    data, outcomes = tmp_path / "incidents.ndjson", tmp_path / "outcomes.ndjson"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    data.write_text("".join(lines + [json.dumps(i) + "\n" for i in ln005["incidents"]]))
    records = OUTCOMES.read_text(encoding="utf-8").splitlines(keepends=True)
    checks = ln005["outcomes"]["wellbeing_checks"]
    records += [json.dumps({"record_type": "wellbeing_check", **c}) + "\n" for c in checks]
    outcomes.write_text("".join(records))
    at = "2026-04-26T10:00:00Z"
    main(
        [
            "check",
            str(data),
            "--at",
            at,
            "--format",
            "json",
            "--fail-on",
            "never",
            "--outcomes",
            str(outcomes),
        ]
    )
    expected = json.loads(capsys.readouterr().out)["findings"]
    found = check_with_spark(
        spark, str(data), datetime.fromisoformat(at), outcomes=read_outcome_records(outcomes)
    )
    assert by_id(found) == by_id(expected)
    assert ("INC-LN005-4", "concern") in {(f["incident_id"], f["status"]) for f in found}


def _yaml_ln005() -> dict[str, Any]:
    import yaml  # noqa: PLC0415 (only this test reads YAML)

    doc: dict[str, Any] = yaml.safe_load(LN005.read_text(encoding="utf-8"))
    return doc


def synthetic_plans(incidents: Path, out: Path) -> None:
    """Two plan versions for every other person of *incidents* (invented, as NDJSON)."""
    with incidents.open() as lines:
        people = sorted({json.loads(line)["person_id"] for line in lines})
    with out.open("w") as f:
        for n, person in enumerate(people[::2]):
            for version, start in enumerate(("2024-12-01", "2025-12-01"), 1):
                plan = {
                    "id": f"SP-{n:05d}-{version}",
                    "person_id": person,
                    "effective_from": f"{start}T09:00:00+00:00",
                    "review_by": "2026-06-01" if version == 1 else "2027-06-01",
                    "person_involved": n % 3 != 0,
                    "known_triggers": [{"kind": "sensory"}, {"kind": "environmental"}],
                    "early_warning_signs": [{"description": "Pacing."}],
                    "strategies": [{"stage": "secondary", "description": "Offer space."}],
                    "authorised_restrictions": [
                        {"kind": "physical_restraint", "legal_basis": "mca_best_interests"}
                    ],
                }
                f.write(json.dumps(plan) + "\n")


def test_synthetic_incidents_with_plans_and_governance_records(
    spark: SparkSession, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    n = os.environ.get("SPARK_SYNTHETIC", "100000")
    data, plans, config_file = (tmp_path / x for x in ("i.ndjson", "p.ndjson", "c.toml"))
    assert main(["generate", "--n", n, "--seed", "7", "--out", str(data)]) == 0
    synthetic_plans(data, plans)
    config_file.write_text('packs = ["core", "england", "plans", "governance"]\n')
    options = ("--config", str(config_file), "--governance", str(RECORDS), "--plans", str(plans))
    expected = cli_findings(capsys, str(data), *options)
    found = check_with_spark(
        spark,
        str(data),
        datetime.fromisoformat(AT),
        config=Config.from_file(config_file),
        records=read_records(RECORDS),
        plans=read_plans(plans),
    )
    assert by_id(found) == by_id(expected)
    assert {f["rule"][:2] for f in expected} >= {"DB", "NT", "GV", "PL"}
