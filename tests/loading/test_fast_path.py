"""
Loading's fast path gives exactly what the detailed path alone gives: records and errors.

The detailed path alone is the converter made while `fast_structure` is switched off. Records
are valid incidents (`trauma_incidents.strategies.incidents`) dumped, then damaged in JSON:
a value of the wrong type, a naive time, an unknown enum value, a missing required key, an
unknown key, a repeated key, a blank or control-character id, a negative count, a time out
of order, or left as they are; each is read by `read_incidents` both ways
(with and without ``ignore_unknown_keys``) and the results compared, `BadRecord`'s problems
and all. Support plans are damaged and read the same way (their parts take the fast path; a
plan itself, whose ``review_by`` has a converter, goes the detailed way).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest.mock import patch

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

from trauma_incidents.errors import IncidentLoadError
from trauma_incidents.loading import (
    dump_incident,
    load_incident,
    read_incidents,
)
from trauma_incidents.loading._converter import make_converter
from trauma_incidents.loading._fast import fast_structure
from trauma_incidents.model import Incident
from trauma_incidents.plans import SupportPlan, read_support_plans
from trauma_incidents.strategies import incidents, support_plans
from trauma_incidents.testing import incident, restraint

Json = Any
# by path: the package's own `_converter` function hides its module of that name
_converter = importlib.import_module("trauma_incidents.loading._converter")
_record = importlib.import_module("trauma_incidents.loading._record")
_files = importlib.import_module("trauma_incidents.loading._files")
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")
#: Values of every JSON type, to put where another type belongs.
OTHER_TYPES: list[Json] = [None, True, 0, -1, 1.5, "", "text", [], [1], {}, {"kind": "x"}]


def _detailed_hooks() -> dict[bool, Any]:
    with patch.object(_converter, "fast_structure", lambda *_: None):
        return {
            ignore: make_converter(forbid_extra_keys=not ignore).get_structure_hook(Incident)
            for ignore in (False, True)
        }


#: The structuring function without the fast path, by ``ignore_unknown_keys``.
DETAILED = _detailed_hooks()


def _detailed_converters() -> dict[bool, Any]:
    converters = {}
    with patch.object(_converter, "fast_structure", lambda *_: None):
        for ignore in (False, True):
            converters[ignore] = make_converter(forbid_extra_keys=not ignore)
            converters[ignore].get_structure_hook(SupportPlan)  # its hooks made here
    return converters


#: Converters without the fast path, for support plan files, by ``ignore``.
DETAILED_CONVERTERS = _detailed_converters()
#: For writing plans as the format has them.
PLAIN = make_converter()


@contextmanager
def detailed_only() -> Iterator[None]:
    """Load with the detailed path alone in this block."""
    with patch.object(
        _record, "_structure_hook", lambda *, ignore_unknown_keys: DETAILED[ignore_unknown_keys]
    ):
        yield


def _objects(doc: Json) -> list[dict[str, Json]]:
    found, stack = [], [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _strings(doc: Json) -> list[tuple[dict[str, Json], str]]:
    return [(o, k) for o in _objects(doc) for k, v in o.items() if isinstance(v, str)]


KINDS = ["type", "missing", "unknown", "repeat", "naive", "order", "enum", "value", "id", "count"]
#: What a damaged string may become, by kind.
REPLACEMENTS = {
    "enum": ["not_a_value", "", " ", "\x00", "2026-13-01"],
    "value": ["0001-01-01T00:00:00Z", "3000-01-01", "P-1", "-1"],
    "id": ["", " ", "a\x00b", "\u202e"],  # checked by a validator, not by a hook
    "order": ["2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z"],  # for the cross-field checks
}


def _targets(doc: Json, kind: str) -> list[tuple[dict[str, Json], str]]:
    """The (object, key) pairs *kind* of damage may change."""
    pairs = [(o, k) for o in _objects(doc) for k in o]
    if kind in {"naive", "order"}:
        return [(o, k) for o, k in pairs if isinstance(o[k], str) and _TIME.match(o[k])]
    if kind in {"enum", "value"}:
        return [(o, k) for o, k in pairs if isinstance(o[k], str)]
    if kind == "id":
        return [(o, k) for o, k in pairs if isinstance(o[k], str) and k.endswith("id")]
    if kind == "count":
        return [(o, k) for o, k in pairs if type(o[k]) is int]
    return pairs


@st.composite
def damaged_lines(draw: DrawFn) -> bytes:
    """A valid incident as an NDJSON line, damaged in one to three ways (or not at all)."""
    return _damaged(draw, dump_incident(draw(incidents())))


@st.composite
def damaged_plan_lines(draw: DrawFn) -> bytes:
    """A valid support plan as an NDJSON line, damaged as `damaged_lines` damages incidents."""
    return _damaged(draw, PLAIN.unstructure(draw(support_plans())))


def _damaged(draw: DrawFn, doc: Json) -> bytes:
    repeat = False
    for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2, 3]))):
        kind = draw(st.sampled_from(KINDS))
        targets = _targets(doc, kind)
        if kind == "repeat":
            repeat = True
        elif kind == "unknown":
            node = draw(st.sampled_from(_objects(doc)))
            node[draw(st.sampled_from(["unknown", "id", "kind", "at", "_x"]))] = 1
        elif targets:
            o, k = draw(st.sampled_from(targets))
            if kind == "missing":
                del o[k]
            elif kind == "type":
                o[k] = draw(st.sampled_from(OTHER_TYPES))
            elif kind == "naive":
                o[k] = o[k][:19]
            else:
                o[k] = -1 if kind == "count" else draw(st.sampled_from(REPLACEMENTS[kind]))
    line = orjson.dumps(doc)
    return line.replace(b"{", b'{"id":"INC-REPEATED",', 1) if repeat else line


@given(st.lists(damaged_plan_lines(), min_size=1, max_size=4), st.booleans())
def test_read_support_plans_gives_the_same_plans_and_errors_both_ways(
    lines: list[bytes], ignore_unknown_keys: bool
) -> None:
    data = b"\n".join(lines) + b"\n"
    fast = list(read_support_plans(data, ignore_unknown_keys=ignore_unknown_keys))
    detailed_converters = lambda *, ignore: DETAILED_CONVERTERS[ignore]  # noqa: E731
    with patch.object(_files, "_converter", detailed_converters):
        detailed = list(read_support_plans(data, ignore_unknown_keys=ignore_unknown_keys))
    assert fast == detailed


@given(st.lists(damaged_lines(), min_size=1, max_size=4), st.booleans())
def test_read_incidents_gives_the_same_records_and_errors_both_ways(
    lines: list[bytes], ignore_unknown_keys: bool
) -> None:
    data = b"\n".join(lines) + b"\n"
    fast = list(read_incidents(data, ignore_unknown_keys=ignore_unknown_keys))
    with detailed_only():
        detailed = list(read_incidents(data, ignore_unknown_keys=ignore_unknown_keys))
    assert fast == detailed


def _outcome(obj: Json) -> Incident | tuple[Any, ...]:
    try:
        return load_incident(obj)
    except IncidentLoadError as e:
        return e.problems


class _Text(str):
    """A `str` subclass, which a record made in Python may hold (never one read from JSON)."""

    __slots__ = ()


@pytest.mark.parametrize("field", ["id", "person_id", "summary"])
def test_a_str_subclass_is_refused_both_ways(field: str) -> None:
    obj = dump_incident(incident(summary="A note."))
    obj[field] = _Text(obj[field])
    fast = _outcome(obj)
    with detailed_only():
        detailed = _outcome(obj)
    assert fast == detailed
    assert not isinstance(fast, Incident)  # refused


def test_the_fast_path_builds_the_same_incident_and_refuses_a_bad_one() -> None:
    converter = make_converter()
    build = fast_structure(Incident, converter)
    assert build is not None
    good = dump_incident(incident(interventions=(restraint(),)))
    assert build(good) == DETAILED[False](good, Incident)
    bad = {**good, "interventions": [{**good["interventions"][0], "started_at": "2026-03-02"}]}
    with pytest.raises(Exception):  # noqa: B017, PT011 (any problem: the caller goes the detailed way)
        build(bad)


def test_a_class_the_fast_path_cannot_build_goes_the_detailed_way() -> None:
    @attrs.frozen
    class Derived:
        a: int
        b: int = attrs.field(init=False, default=0)

    assert fast_structure(Derived, make_converter()) is None
