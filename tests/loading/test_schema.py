"""Tests for the JSON Schema: generated from the model, shipped, and agreeing with the loader."""

from __future__ import annotations

import subprocess
import sys
from importlib.resources import files
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given
from jsonschema import Draft202012Validator

from trauma_incidents.errors import IncidentLoadError
from trauma_incidents.loading import _schema, dump_incident, incident_schema, load_incident
from trauma_incidents.model import Incident
from trauma_incidents.strategies import incidents

SHIPPED = files("trauma_incidents") / "data" / "incident.schema.json"
VALIDATOR = Draft202012Validator(incident_schema())


def record(**changes: Any) -> dict[str, Any]:
    """A minimal valid record, with *changes* applied (``None`` removes a field)."""
    base: dict[str, Any] = {
        "id": "INC-1",
        "person_id": "P-1",
        "service_id": "S-1",
        "occurred_at": "2026-03-04T14:20:00Z",
        "categories": ["fall"],
        "severity": "low",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def test_shipped_file_is_current() -> None:
    """The shipped schema is the generated one (regenerate: see `loading._schema`)."""
    assert SHIPPED.read_bytes() == _schema.schema_json()


def test_module_prints_the_schema() -> None:
    """``python -m trauma_incidents.loading._schema`` prints the shipped file."""
    out = subprocess.run(
        [sys.executable, "-m", "trauma_incidents.loading._schema"], capture_output=True, check=True
    ).stdout

    assert out == SHIPPED.read_bytes()


def test_schema_is_valid_draft_2020_12() -> None:
    """The schema itself is valid."""
    Draft202012Validator.check_schema(incident_schema())


def test_every_model_class_is_defined() -> None:
    """Each attrs class below `Incident` has a definition that forbids unknown keys."""
    defs = incident_schema()["$defs"]
    classes = {name for name, d in defs.items() if d.get("type") == "object"}

    assert {"Action", "Debrief", "Intervention", "Observation", "Safeguarding"} <= classes
    assert all(defs[name]["additionalProperties"] is False for name in classes)
    assert defs["Severity"]["enum"] == ["no_harm", "low", "moderate", "severe", "death"]


VALID = [
    pytest.param(record(), id="minimal"),
    pytest.param(record(occurred_at="2026-03-04T14:20:00.123+01:00"), id="millis-offset"),
    pytest.param(
        record(actions=[{"id": "A-1", "description": "x", "due": "2026-03-10"}]), id="due-date"
    ),
    pytest.param(record(setting=None, harm=None), id="nulls"),
    pytest.param(record(occurred_at="2026-03-04T14:20Z"), id="minutes"),
]

INVALID = [
    pytest.param(record(id=5), id="type"),
    pytest.param(record(id=""), id="empty-id"),
    pytest.param(record(id="  "), id="blank-id"),
    pytest.param(record(severity="awful"), id="enum"),
    pytest.param(record(severity=None), id="required"),
    pytest.param(record(colour="blue"), id="unknown-key"),
    pytest.param(record(occurred_at="2026-03-04T14:20:00"), id="naive"),
    pytest.param(record(occurred_at="2026-03-04T14:20:00.5Z"), id="tenths-of-seconds"),
    pytest.param(record(occurred_at="2026-03-04 14:20:00Z"), id="space"),
    pytest.param(record(categories=[]), id="no-categories"),
    pytest.param(record(schema_version="2"), id="version"),
    pytest.param(
        record(injuries=[{"who": "staff", "severity": "minor", "days_incapacitated": -1}]),
        id="negative",
    ),
    pytest.param(record(triggers=[{"kind": "sensory", "extra": 1}]), id="nested-unknown-key"),
    pytest.param(record(actions=[{"id": "A-1", "description": "x", "due": "soon"}]), id="due"),
]


@pytest.mark.parametrize("data", VALID)
def test_valid_examples(data: dict[str, Any]) -> None:
    """Records the loader accepts are valid against the schema."""
    load_incident(data)
    VALIDATOR.validate(data)


@pytest.mark.parametrize("data", INVALID)
def test_invalid_examples(data: dict[str, Any]) -> None:
    """Records the loader rejects for their shape are invalid against the schema too."""
    with pytest.raises(IncidentLoadError):
        load_incident(data)
    assert not VALIDATOR.is_valid(data)


@given(incidents())
def test_dumped_incidents_are_valid(incident: Incident) -> None:
    """Everything `dump_incident` writes is valid against the schema."""
    VALIDATOR.validate(orjson.loads(orjson.dumps(dump_incident(incident))))


def test_unknown_type_is_an_error() -> None:
    """A field type the generator does not know stops it, rather than leaving a gap."""

    @attrs.frozen
    class Odd:
        ratio: complex

    with pytest.raises(TypeError, match="no JSON Schema for type <class 'complex'>"):
        _schema._object_schema(Odd, {})


def test_unknown_validator_is_an_error() -> None:
    """A validator the generator does not know stops it."""

    def positive(_inst: object, _attr: object, _value: int) -> None: ...

    @attrs.frozen
    class Odd:
        count: int = attrs.field(validator=positive)

    with pytest.raises(TypeError, match="no JSON Schema keywords for validator 'positive'"):
        _schema._object_schema(Odd, {})
