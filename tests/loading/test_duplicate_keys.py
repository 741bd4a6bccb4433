"""A key that appears twice in one JSON object is an error, not "the last one wins"."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents.errors import IncidentLoadError
from trauma_incidents.loading import load_incident, partition, read_incidents

GOOD = (
    '{"id": "INC-1", "person_id": "P-1", "service_id": "S-1",'
    ' "occurred_at": "2026-03-02T09:00:00+00:00", "categories": ["fall"], "severity": "death"'
)


@pytest.mark.parametrize(
    "text",
    [
        GOOD + ', "severity": "low"}',
        GOOD + ',\n  "severity"  :  "low"}',
        GOOD + ', "harm": {"physical": "low", "physical": "none", "psychological": "low"}}',
        GOOD + ', "actions": [{"id": "A", "id": "B", "description": "d"}]}',
    ],
    ids=["top", "spaced", "nested", "in-a-list"],
)
def test_a_repeated_key_is_a_load_error(text: str) -> None:
    with pytest.raises(IncidentLoadError, match="duplicate key"):
        load_incident(text)


def test_in_ndjson_the_other_records_still_load() -> None:
    lines = [GOOD + "}", GOOD + ', "severity": "low"}', GOOD.replace("INC-1", "INC-3") + "}"]
    incidents, bad = partition(read_incidents("\n".join(lines).encode()))
    assert [i.id for i in incidents] == ["INC-1", "INC-3"]
    assert [(b.line, b.problems[0].message) for b in bad] == [
        (2, "invalid JSON: duplicate key 'severity' (a key may appear once in an object)")
    ]


def test_a_key_that_is_not_a_field_name_is_not_shown() -> None:
    with pytest.raises(IncidentLoadError) as info:
        load_incident(GOOD + ', "Zq7 secret": 1, "Zq7 secret": 2}')
    assert "Zq7" not in str(info.value)


def test_text_that_looks_like_keys_is_not_a_duplicate() -> None:
    """Free text holding ``"severity":`` twice is text, not a key."""
    text = GOOD + ', "summary": "\\"severity\\": \\"severity\\" :"}'
    assert load_incident(text).summary == '"severity": "severity" :'


@given(st.dictionaries(st.text(max_size=3), st.integers(), max_size=6))
def test_objects_without_repeats_are_unchanged(obj: dict[str, int]) -> None:
    """A record without a repeated key gets the problems it always had (never a duplicate)."""
    with pytest.raises(IncidentLoadError) as info:
        load_incident(json.dumps({"nested": obj}, indent=1))
    assert "duplicate key" not in str(info.value)
