"""``docs/format.md`` documents every field and value, and its full example is complete."""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Any, get_args

import attrs
import orjson
import pytest
from jsonschema import Draft202012Validator

from trauma_incidents import model
from trauma_incidents.loading import dump_incident, incident_schema, load_incident

DOC = (Path(__file__).parents[2] / "docs" / "format.md").read_text(encoding="utf-8")
CLASSES = sorted(
    (c for c in vars(model).values() if isinstance(c, type) and attrs.has(c)),
    key=lambda c: c.__name__,
)
for _cls in CLASSES:
    attrs.resolve_types(_cls)  # field types are strings under PEP 563 until resolved
ENUMS = sorted(
    (c for c in vars(model).values() if isinstance(c, type) and issubclass(c, Enum)),
    key=lambda c: c.__name__,
)


def full_example() -> dict[str, Any]:
    match = re.search(r"## A full example\n.*?```json\n(.*?)```", DOC, re.DOTALL)
    assert match is not None
    data: dict[str, Any] = orjson.loads(match.group(1))
    return data


def section(name: str) -> str:
    match = re.search(rf"^##+ {name}\n(.*?)(?=^##)", DOC, re.DOTALL | re.MULTILINE)
    assert match is not None, f"no section for {name}"
    return match.group(1)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_field_is_documented(cls: type) -> None:
    """Each class has a section with a table row for each of its fields."""
    rows = set(re.findall(r"^\| `(\w+)` \|", section(cls.__name__), re.MULTILINE))

    assert rows == {f.name for f in attrs.fields(cls)}


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_value_is_documented(enum: type[Enum]) -> None:
    """Each vocabulary's row lists exactly its values, in order."""
    match = re.search(rf"^\| {enum.__name__} \| (.*) \|$", DOC, re.MULTILINE)

    assert match is not None
    assert re.findall(r"`(\w+)`", match.group(1)) == [m.value for m in enum]


def test_full_example_loads() -> None:
    """The full example is valid for the loader and the schema, and survives a round trip."""
    incident = load_incident(full_example())

    Draft202012Validator(incident_schema()).validate(full_example())
    assert incident == load_incident(dump_incident(incident))


def test_full_example_uses_every_field() -> None:
    """Every field of every class appears somewhere in the full example."""
    seen: dict[type, set[str]] = {}
    _collect(model.Incident, full_example(), seen)

    assert {c: {f.name for f in attrs.fields(c)} for c in CLASSES} == seen


def _collect(cls: type, obj: dict[str, Any], seen: dict[type, set[str]]) -> None:
    seen.setdefault(cls, set()).update(obj)
    for field in attrs.fields(cls):
        nested = [t for t in (field.type, *get_args(field.type)) if attrs.has(t)]
        if nested and field.name in obj:
            values = obj[field.name]
            for value in values if isinstance(values, list) else [values]:
                _collect(nested[0], value, seen)
