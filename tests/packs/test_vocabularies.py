"""Packs extend vocabularies for local practice; records need an enabled pack to use them."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

from trauma_incidents.cli import main
from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import IncidentLoadError, PackError
from trauma_incidents.loading import extended, load_incident, read_incidents
from trauma_incidents.model import Incident, Recipient, Stage
from trauma_incidents.packs import Pack, load_pack_file
from trauma_incidents.testing import load_scenario, run_checkpoint

WALES = """\
[pack]
name = "wales"
version = "1"
description = "A Welsh provider's adult protection stages."
prefixes = ["WA"]
[pack.vocabularies]
stage = ["adult_protection_enquiry", "strategy_meeting"]
recipient = ["regional_safeguarding_board"]

[[rules]]
code = "WA001"
shape = "deadline"
name = "enquiry-within-seven-days"
summary = "An adult protection enquiry not begun within 7 days of the report."
rationale = "The Social Services and Well-being (Wales) Act asks for enquiries to start promptly."
example = "Reported 2 March; no adult_protection_enquiry stage by 9 March: overdue."
severity = "high"
sources = ["local policy"]
within = "7d"
anchor = "first_safeguarding_stage"
obligation = "An adult protection enquiry"
[rules.evidence]
kind = "stage"
stages = ["adult_protection_enquiry"]
"""


def record(stage: str = "adult_protection_enquiry", **extra: Any) -> dict[str, Any]:
    return {
        "id": "INC-W1", "person_id": "P-1", "service_id": "S-1",
        "occurred_at": "2026-03-02T10:00:00Z", "categories": ["behavioural_distress"],
        "severity": "low",
        "safeguarding": {
            "stages": [
                {"stage": "concern_raised", "entered_at": "2026-03-02T11:00:00Z"},
                {"stage": stage, "entered_at": "2026-03-04T11:00:00Z"},
            ]
        },
        **extra,
    }  # fmt: skip


@pytest.fixture
def pack_file(tmp_path: Path) -> Path:
    path = tmp_path / "wales.toml"
    path.write_text(WALES)
    return path


@pytest.fixture
def ruleset(pack_file: Path) -> RuleSet:
    return RuleSet.compile(Config(packs=("core", "wales"), pack_files=(str(pack_file),)))


def test_the_uk_regulators_are_recipients() -> None:
    assert {Recipient("ciw"), Recipient("care_inspectorate"), Recipient("rqia")} <= set(Recipient)


class TestLoading:
    def test_the_plain_loader_stays_strict(self) -> None:
        with pytest.raises(IncidentLoadError) as info:
            load_incident(record())
        (problem,) = info.value.problems
        assert problem.path == "$.safeguarding.stages[1].stage"
        assert "a string not in that list" in problem.message

    def test_an_enabled_pack_s_values_load(self, ruleset: RuleSet) -> None:
        with extended(ruleset.vocabularies):
            incident = load_incident(record())
        assert incident.safeguarding is not None
        stage = incident.safeguarding.stages[1].stage
        assert isinstance(stage, Stage)
        assert stage == "adult_protection_enquiry"
        assert stage not in list(Stage)

    def test_a_value_no_enabled_pack_declares_still_fails(self, ruleset: RuleSet) -> None:
        with extended(ruleset.vocabularies), pytest.raises(IncidentLoadError):
            load_incident(record(stage="strategy_meeting_typo"))
        core_only = RuleSet.compile(Config(packs=("core",)))
        with extended(core_only.vocabularies), pytest.raises(IncidentLoadError):
            load_incident(record())

    def test_a_local_value_pickles_for_worker_processes(self, ruleset: RuleSet) -> None:
        with extended(ruleset.vocabularies):
            incident = load_incident(record())
        assert pickle.loads(pickle.dumps(incident)) == incident  # noqa: S301 (our own bytes)


class TestRules:
    def test_a_rule_can_name_the_pack_s_own_values(self, ruleset: RuleSet) -> None:
        from datetime import datetime, timezone  # noqa: PLC0415

        at = datetime(2026, 3, 20, tzinfo=timezone.utc)
        with extended(ruleset.vocabularies):
            met = load_incident(record())
            other = load_incident(record(stage="strategy_meeting"))
        found = {
            i.id: [
                f.status.value for f in ruleset.evaluate([i], at=at).findings if f.rule == "WA001"
            ]
            for i in (met,)
        }
        assert found == {"INC-W1": []}
        overdue = ruleset.evaluate([other], at=at).findings
        assert [f.status.value for f in overdue if f.rule == "WA001"] == ["overdue"]

    @pytest.mark.parametrize(
        ("line", "problem"),
        [
            ('stage = ["review"]', "pack.vocabularies.stage: 'review' is already a Stage value"),
            ('stage = ["Adult Protection"]', "must be snake_case"),
            ('severity = ["huge"]', "pack.vocabularies.severity: cannot be extended:"),
        ],
    )
    def test_bad_declarations_are_named(self, tmp_path: Path, line: str, problem: str) -> None:
        path = tmp_path / "bad.toml"
        path.write_text(
            WALES.replace('stage = ["adult_protection_enquiry", "strategy_meeting"]', line)
        )
        with pytest.raises(PackError) as info:
            load_pack_file(path)
        assert any(problem in p for p in info.value.problems), info.value.problems

    def test_a_python_pack_declares_them_by_type(self) -> None:
        pack = Pack(
            name="w", version="1", description="d", rules=(),
            vocabularies={Stage: frozenset({"adult_protection_enquiry"})},
        )  # fmt: skip
        ruleset = RuleSet.compile(Config(packs=("w",)), packs={"w": pack})
        assert ruleset.vocabularies == {Stage: frozenset({"adult_protection_enquiry"})}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_check_reads_them_when_the_pack_is_enabled(
    tmp_path: Path, pack_file: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    data = tmp_path / "in.ndjson"
    data.write_text(json.dumps(record()) + "\n")
    config = tmp_path / "c.toml"
    config.write_text(f'packs = ["core", "wales"]\npack_files = ["{pack_file.name}"]\n')
    argv = ["check", str(data), "--at", "2026-03-20T00:00:00Z", "--format", "json"]
    assert main([*argv, "--config", str(config), "--jobs", jobs, "--fail-on", "never"]) == 0
    assert json.loads(capsys.readouterr().out)["errors"] == []
    assert main([*argv, "--fail-on", "never"]) == 2
    assert "a string not in that list" in capsys.readouterr().out


def test_scenarios_load_them_with_their_config(tmp_path: Path, pack_file: Path) -> None:
    pytest.importorskip("yaml")
    path = tmp_path / "w.scenario.yaml"
    path.write_text(
        f"config: {{packs: [core, wales], pack_files: [{pack_file}]}}\n"
        f"incidents: [{json.dumps(record())}]\n"
        "checkpoints:\n  - {at: 2026-03-20T00:00:00Z, met: [{rule: WA001}]}\n"
    )
    scenario = load_scenario(path)
    ruleset = RuleSet.compile(scenario.config)
    assert [run_checkpoint(scenario, c, ruleset).passed for c in scenario.checkpoints] == [True]


def test_read_incidents_accepts_them_inside_extended(ruleset: RuleSet) -> None:
    data = (json.dumps(record()) + "\n").encode()
    with extended(ruleset.vocabularies):
        (got,) = read_incidents(data)
    assert isinstance(got, Incident)
