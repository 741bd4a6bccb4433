"""Times at the ends of the calendar: the format takes the years 1900 to 2999 only."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest

from trauma_incidents.cli import main
from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import IncidentLoadError, InvalidArgument, InvalidValueError
from trauma_incidents.loading import load_incident
from trauma_incidents.model import Action

EDGES = [
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "1899-12-31T23:59:59+00:00",
    "3000-01-01T00:00:00Z",
]


def record(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "INC-1",
        "person_id": "P-1",
        "service_id": "S-1",
        "occurred_at": "2026-03-02T09:00:00+00:00",
        "categories": ["self_harm"],
        "severity": "moderate",
    }
    return base | changes


@pytest.mark.parametrize("edge", EDGES)
def test_a_time_outside_the_years_is_a_load_error(edge: str) -> None:
    with pytest.raises(IncidentLoadError) as info:
        load_incident(record(occurred_at=edge))
    [problem] = info.value.problems
    assert problem.path == "$.occurred_at"
    assert "in the years 1900 to 2999" in problem.message


@pytest.mark.parametrize("edge", ["1900-01-01T00:00:00+14:00", "2999-12-31T23:59:59-12:00"])
def test_the_first_and_last_years_load(edge: str) -> None:
    assert load_incident(record(occurred_at=edge, reported_at=None)).occurred_at.year in {
        1900,
        2999,
    }


def test_a_due_date_outside_the_years_is_a_load_error() -> None:
    action = {"id": "A1", "description": "Synthetic.", "due": "9999-12-31"}
    with pytest.raises(IncidentLoadError) as info:
        load_incident(record(actions=[action]))
    assert [p.path for p in info.value.problems] == ["$.actions[0].due"]


def test_python_objects_refuse_them_too() -> None:
    incident = load_incident(record())
    with pytest.raises(InvalidValueError, match="in the years 1900 to 2999"):
        attrs.evolve(incident, occurred_at=datetime(1, 1, 1, tzinfo=timezone.utc))
    with pytest.raises(InvalidValueError, match="in the years 1900 to 2999"):
        Action(id="A1", description="Synthetic.", due=date(9999, 12, 31))


def test_evaluation_time_outside_the_years_is_an_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="in the years 1900 to 2999"):
        RuleSet.compile().evaluate([], at=datetime(1, 1, 1, tzinfo=timezone.utc))


def test_check_at_the_start_of_the_calendar_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "in.ndjson"
    path.write_text(json.dumps(record()) + "\n", encoding="utf-8")
    code = main(["check", str(path), "--at", "0001-01-01T00:00:00+00:00"])
    assert code == 2
    assert "in the years 1900 to 2999" in capsys.readouterr().err


@pytest.mark.parametrize(
    "flags",
    [["--to", "9999-12-31"], ["--to", "2026-03-31", "--at", "9999-12-31T23:59:59-12:00"]],
)
def test_report_outside_the_years_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, flags: list[str]
) -> None:
    path = tmp_path / "in.ndjson"
    path.write_text(json.dumps(record()) + "\n", encoding="utf-8")
    argv = ["report", str(path), "--from", "2026-01-01", *flags, "--out", str(tmp_path / "r")]
    assert main(argv) == 2
    assert "in the years 1900 to 2999" in capsys.readouterr().err


def test_an_edge_time_in_a_batch_leaves_the_others_findings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The governance pack's cross-incident rules no longer fail for the whole batch."""
    config = tmp_path / "c.toml"
    config.write_text('packs = ["core", "england", "governance"]\n', encoding="utf-8")
    good = [_restraint(n) for n in range(1, 5)]
    edge = record(id="INC-EDGE", occurred_at=EDGES[0])

    def findings(*records: dict[str, Any]) -> tuple[int, list[str], list[dict[str, Any]]]:
        path = tmp_path / "in.ndjson"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        argv = ["check", str(path), "--at", "2026-05-01T09:00:00Z", "--format", "json"]
        code = main([*argv, "--config", str(config)])
        doc = json.loads(capsys.readouterr().out)
        return code, [e["kind"] for e in doc["errors"]], doc["findings"]

    code, errors, with_edge = findings(*good, edge)
    assert (code, errors) == (2, ["record"])
    assert with_edge == findings(*good)[2]
    assert "GV002" in {f["rule"] for f in with_edge}


def _restraint(day: int) -> dict[str, Any]:
    at = f"2026-04-{day:02d}T09:00:00+00:00"
    restraint = {"kind": "physical_restraint", "started_at": at, "ended_at": at}
    return record(id=f"INC-{day}", occurred_at=at, interventions=[restraint])
