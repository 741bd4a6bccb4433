"""Identifiers hold no control characters; outputs for people escape any that reach them."""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from trauma_incidents.cli import _writers, main
from trauma_incidents.errors import IncidentLoadError
from trauma_incidents.loading import incident_schema, load_incident
from trauma_incidents.report._markdown import markdown_text
from trauma_incidents.rules import Finding, FindingSeverity, Status

CONTROLS = ["\x00", "\x07", "\x1b[2J", "\n", "\r", "\x7f", "\x85", "\u202e", "\u2066", "\u2028"]


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


def _restraint(**changes: Any) -> dict[str, Any]:
    intervention = {"kind": "physical_restraint", "started_at": "2026-03-02T09:00:00+00:00"}
    return {"interventions": [intervention | changes]}


@pytest.mark.parametrize("control", CONTROLS, ids=repr)
@pytest.mark.parametrize(
    ("changes", "path"),
    [
        (lambda c: {"id": f"INC{c}1"}, "$.id"),
        (lambda c: {"person_id": f"P{c}"}, "$.person_id"),
        (lambda c: _restraint(staff_ids=["ST-1", f"ST{c}2"]), "$.interventions[0].staff_ids"),
        (
            lambda c: {"actions": [{"id": "A1", "description": "d", "owner_id": f"O{c}"}]},
            "$.actions[0].owner_id",
        ),
    ],
    ids=["id", "person_id", "staff_ids", "owner_id"],
)
def test_an_id_with_a_control_character_is_a_load_error(
    control: str, changes: Any, path: str
) -> None:
    raw = record(**changes(control))
    with pytest.raises(IncidentLoadError) as info:
        load_incident(raw)
    [problem] = info.value.problems
    assert (problem.path, "must not contain control characters") == (
        path,
        problem.message[problem.message.find("must") :].split(" (")[0],
    )
    assert control not in problem.message
    assert not Draft202012Validator(incident_schema()).is_valid(raw)


def test_a_lone_surrogate_in_a_python_dict_is_a_load_error() -> None:
    with pytest.raises(IncidentLoadError, match="control characters"):
        load_incident(record(id="INC-\ud800"))


def test_ordinary_ids_still_load() -> None:
    """Letters of any script, spaces and punctuation are not control characters."""
    incident = load_incident(record(id="INC-Ž 1/ü·—é", person_id="P-ب-1"))
    assert incident.id == "INC-Ž 1/ü·—é"


def _finding(incident_id: str) -> Finding:
    return Finding(
        rule="DB001",
        incident_id=incident_id,
        key=None,
        status=Status.OVERDUE,
        severity=FindingSeverity.HIGH,
        due_at=datetime(2026, 3, 4, tzinfo=timezone.utc),
        message="m",
    )


@pytest.mark.parametrize("control", CONTROLS, ids=repr)
def test_the_table_escapes_control_characters(control: str) -> None:
    """A Finding built in Python, not loaded, can still hold any id."""
    out = io.StringIO()
    writer = _writers.TableWriter(io.StringIO(), out)
    writer.finding(_finding(f"INC{control}1"))
    writer.finish(_writers.Tally(datetime(2026, 5, 1, tzinfo=timezone.utc)))
    _, row, blank, _, end = out.getvalue().split("\n")
    assert control not in row
    assert (row.split()[0], blank, end) == (repr(f"INC{control}1")[1:-1], "", "")


def test_the_markdown_report_escapes_ids(tmp_path: Path) -> None:
    """With --real-ids, ids are shown: Markdown and HTML in them stay text."""
    hostile = "P-<img src=x onerror=alert(1)>|[x](http://e)"
    lines = [record(id=f"INC-{n}", person_id=hostile) | _restraint() for n in range(2)]
    path = tmp_path / "in.ndjson"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    out = tmp_path / "r.md"
    argv = ["report", str(path), "--from", "2026-03-01", "--to", "2026-03-31"]
    assert main([*argv, "--format", "markdown", "--real-ids", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "\\<img src=x onerror=alert(1)\\>\\|\\[x\\](http://e)" in text
    assert "<img" not in text.replace("\\<img", "")


@pytest.mark.parametrize("control", CONTROLS, ids=repr)
def test_markdown_text_escapes_control_characters(control: str) -> None:
    """Every value in a Markdown report's tables and heading goes through `markdown_text`."""
    assert control not in markdown_text(f"S{control}1")
