"""
Loader fuzzing: any input gives an `Incident` or an `IncidentLoadError`, never another error.

Inputs are arbitrary JSON values, arbitrary bytes, and valid incidents (from
`trauma_incidents.strategies.incidents`) dumped and then mutated: a value replaced, a key
removed or added, a list emptied or doubled, the text truncated. Files mixing good records
with hostile ones (truncated, invalid UTF-8, very large, very deep, NaN, huge numbers) give
one clear `BadRecord` per bad record, and every good record is still loaded and evaluated,
by `read_incidents` and by ``trauma-incidents check``.

All data is synthetic.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

from trauma_incidents import model
from trauma_incidents.cli import main
from trauma_incidents.errors import IncidentLoadError
from trauma_incidents.loading import (
    BadRecord,
    dump_incident,
    dumps,
    load_incident,
    read_incidents,
)
from trauma_incidents.model import Incident
from trauma_incidents.strategies import incidents
from trauma_incidents.testing import T0, hours, incident, restraint

Json = Any
AT = "2026-06-01T09:00:00+00:00"

#: Every key the format defines, so that random objects often reach the nested hooks.
FIELD_NAMES = sorted(
    {f.name for cls in vars(model).values() if attrs.has(cls) for f in attrs.fields(cls)}
)
#: Strings the hooks treat specially: times, dates, enum values, blanks.
SPECIAL_STRINGS = [
    "",
    " ",
    "1",
    "2026-03-02",
    "2026-02-30",
    "2026-03-02T10:00:00Z",
    "2026-03-02T10:00:00",
    "2026-03-02T10:00:00+99:00",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
    "restraint",
    "staff",
    "held",
    "low",
    "\x00",
    "\u2028",
]

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),  # what orjson reads as integers
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(SPECIAL_STRINGS),
)
json_keys = st.sampled_from(FIELD_NAMES) | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(json_keys, inner, max_size=5),
    max_leaves=16,
)


def outcome(data: Any) -> Incident | IncidentLoadError:
    """Load *data*, returning the error instead of raising it; any other error propagates."""
    try:
        return load_incident(data)
    except IncidentLoadError as exc:
        return exc


def assert_well_formed(error: IncidentLoadError) -> None:
    """A load error lists at least one problem, each with a JSON path and a message."""
    assert error.problems
    for problem in error.problems:
        assert problem.path.startswith("$")
        assert problem.message
        assert "Traceback" not in problem.message


# --- mutations of valid records ----------------------------------------------------------


def _containers(doc: Json) -> list[dict[str, Json] | list[Json]]:
    """Every object and array in *doc*, outermost first."""
    found: list[dict[str, Json] | list[Json]] = []
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict | list):
            found.append(node)
            stack.extend(node.values() if isinstance(node, dict) else node)
    return found


def _mutate_object(draw: DrawFn, node: dict[str, Json]) -> None:
    op = draw(st.sampled_from(["replace", "delete", "add"] if node else ["add"]))
    if op == "add":
        node[draw(json_keys)] = draw(json_values)
        return
    key = draw(st.sampled_from(sorted(node)))
    if op == "delete":
        del node[key]
    else:
        node[key] = draw(json_values)


def _mutate_array(draw: DrawFn, node: list[Json]) -> None:
    op = draw(st.sampled_from(["replace", "clear", "double", "append"] if node else ["append"]))
    if op == "append":
        node.append(draw(json_values))
    elif op == "clear":
        node.clear()
    elif op == "double":
        node.extend(copy.deepcopy(node))
    else:
        node[draw(st.integers(0, len(node) - 1))] = draw(json_values)


@st.composite
def mutated_documents(draw: DrawFn) -> Json:
    """A valid incident, dumped, then changed in one to three places."""
    doc = dump_incident(draw(incidents()))
    for _ in range(draw(st.integers(1, 3))):
        node = draw(st.sampled_from(_containers(doc)))
        if isinstance(node, dict):
            _mutate_object(draw, node)
        else:
            _mutate_array(draw, node)
    return doc


# --- properties ----------------------------------------------------------------------------


@given(json_values)
def test_any_json_value_loads_or_raises_a_load_error(value: Json) -> None:
    """Any JSON value, as an object or as JSON text, is an incident or an IncidentLoadError."""
    from_object, from_text = outcome(value), outcome(orjson.dumps(value))
    for result in (from_object, from_text):
        if isinstance(result, IncidentLoadError):
            assert_well_formed(result)
    assert type(from_object) is type(from_text)


@given(st.recursive(json_scalars | st.integers() | st.tuples(), st.lists, max_leaves=4))
def test_python_values_beyond_json_load_or_raise_a_load_error(value: Any) -> None:
    """Values JSON cannot hold (huge integers, tuples) are loaded or refused the same way."""
    result = outcome({"id": "INC-1", "summary": value, "injuries": [{"days_incapacitated": value}]})
    assert isinstance(result, IncidentLoadError)
    assert_well_formed(result)


@given(st.binary(max_size=200) | st.text(max_size=50))
def test_any_bytes_or_text_loads_or_raises_a_load_error(data: bytes | str) -> None:
    """Arbitrary bytes and strings (lone surrogates included) never escape as other errors."""
    result = outcome(data)
    if isinstance(result, IncidentLoadError):
        assert_well_formed(result)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_mutated_incidents_load_or_raise_a_load_error(doc: Json) -> None:
    """A changed valid record loads (and dumps back to itself) or names every problem."""
    result = outcome(doc)
    if isinstance(result, IncidentLoadError):
        assert_well_formed(result)
        text_result = outcome(orjson.dumps(doc))
        assert isinstance(text_result, IncidentLoadError)
        assert result.problems == text_result.problems
    else:
        assert load_incident(dump_incident(result)) == result


@given(incidents(), st.data())
def test_truncated_records_are_invalid_json(value: Incident, data: st.DataObject) -> None:
    """Every proper prefix of a record is reported as invalid JSON, at line 1."""
    text = dumps(value)
    cut = data.draw(st.integers(0, len(text) - 1), label="cut")
    result = outcome(text[:cut])
    assert isinstance(result, IncidentLoadError)
    (problem,) = result.problems
    assert problem.message.startswith("invalid JSON")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutated_documents() | incidents().map(dump_incident), min_size=1, max_size=4))
def test_ndjson_gives_one_result_per_line_in_order(docs: list[Json]) -> None:
    """NDJSON yields one result per record, at its line; good records load as they would alone."""
    lines = [orjson.dumps(doc) for doc in docs]
    results = list(read_incidents(b"\n".join(lines)))
    assert len(results) == len(docs)
    for number, (doc, result) in enumerate(zip(docs, results, strict=True), start=1):
        alone = outcome(doc)
        if isinstance(alone, IncidentLoadError):
            assert isinstance(result, BadRecord)
            assert result.line == number
            assert [p.message for p in result.problems] == [p.message for p in alone.problems]
        else:
            assert result == alone


# --- hostile files: one clear error per bad record, the good ones still loaded -----------

GOOD = dumps(incident(interventions=(restraint(ended_at=T0 + hours(1)),)))


def _with(extra: bytes) -> bytes:
    """The good record with *extra* (``"key": value``) added to it."""
    return GOOD[:-1] + b"," + extra + b"}"


def _injury_days(number: bytes) -> bytes:
    return _with(
        b'"injuries":[{"who":"staff","severity":"minor","days_incapacitated":' + number + b"}]"
    )


DEEP = 10_000
#: Each hostile record, and what the problem's message starts with.
HOSTILE: dict[str, tuple[bytes, str]] = {
    "truncated": (GOOD[: len(GOOD) // 2], "invalid JSON: unexpected end of data"),
    "invalid UTF-8": (_with(b'"summary":"caf\xc3\x28"'), "invalid JSON: str is not valid UTF-8"),
    "a lone continuation byte": (
        _with(b'"location":"\x80"'),
        "invalid JSON: str is not valid UTF-8",
    ),
    "deep arrays": (_with(b'"summary":' + b"[" * DEEP + b"]" * DEEP), "invalid JSON: depth limit"),
    "deep objects": (
        _with(b'"summary":' + b'{"a":' * DEEP + b"1" + b"}" * DEEP),
        "invalid JSON: depth limit",
    ),
    "NaN": (_injury_days(b"NaN"), "invalid JSON"),
    "Infinity": (_injury_days(b"-Infinity"), "invalid JSON"),
    "1e999": (_injury_days(b"1e999"), "invalid JSON: number is infinity"),
    "400 digits": (_injury_days(b"9" * 400), "invalid JSON: number is infinity"),
    "2**64": (_injury_days(b"18446744073709551616"), "expected an integer, got a number with"),
    "a fraction": (_injury_days(b"1.5"), "expected an integer, got a number with"),
    "a byte order mark inside": (b"\xef\xbb\xbf" + GOOD, "invalid JSON: UTF-8 byte order mark"),
    "a control character": (_with(b'"summary":"a\x00b"'), "invalid JSON: unexpected control"),
}


@pytest.mark.parametrize(("record", "starts"), HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_record_is_one_error_between_good_ones(record: bytes, starts: str) -> None:
    """The bad record gives one clear error at its line; the records around it still load."""
    results = list(read_incidents(b"\n".join([GOOD, record, GOOD]), source_name="in.ndjson"))
    first, bad, last = results
    assert isinstance(first, Incident)
    assert last == first
    assert isinstance(bad, BadRecord)
    assert bad.line == 2
    (problem,) = bad.problems
    assert problem.message.startswith(starts), problem.message
    assert str(problem).startswith("in.ndjson:2: ")


def test_a_truncated_last_record_is_an_error_at_its_line() -> None:
    """A file cut off in its last record reports that record; the earlier ones load."""
    data = b"\n".join([GOOD, GOOD, GOOD])[:-7]
    *good, bad = read_incidents(data)
    assert all(isinstance(r, Incident) for r in good)
    assert len(good) == 2
    assert isinstance(bad, BadRecord)
    assert bad.line == 3


def test_a_truncated_array_is_one_error() -> None:
    """A JSON array cut off anywhere is one error for the whole source (it parses whole)."""
    data = b"[" + b",".join([GOOD, GOOD]) + b"]"
    (error,) = read_incidents(data[:-3])
    assert isinstance(error, BadRecord)
    assert error.problems[0].message.startswith("invalid JSON: unexpected end of data")


def test_a_50_mb_record_does_not_disturb_its_neighbours() -> None:
    """A single 50 MB record takes seconds at most; the records around it load as usual."""
    big = _with(b'"summary":"' + b"x" * (50 * 2**20) + b'"')
    start = time.perf_counter()
    first, middle, last = read_incidents(b"\n".join([GOOD, big, GOOD]))
    assert time.perf_counter() - start < 10
    assert isinstance(first, Incident)
    assert last == first
    assert isinstance(middle, Incident | BadRecord)


def test_a_50_mb_record_cut_off_is_one_clear_error() -> None:
    """A 50 MB record without its end is one error, then reading goes on."""
    big = _with(b'"summary":"' + b"x" * (50 * 2**20))[:-1]
    first, bad, last = read_incidents(b"\n".join([GOOD, big, GOOD]))
    assert isinstance(bad, BadRecord)
    (problem,) = bad.problems
    assert problem.message.startswith(("invalid JSON: unexpected end of data", "record too large"))
    assert isinstance(first, Incident)
    assert last == first


def test_a_record_over_the_size_limit_is_one_error() -> None:
    """A record far larger than any real incident is refused before it is parsed."""
    big = _with(b'"summary":"' + b"x" * (50 * 2**20) + b'"')
    _, bad, _ = read_incidents(b"\n".join([GOOD, big, GOOD]))
    assert isinstance(bad, BadRecord)
    assert bad.problems[0].message.startswith("record too large")


def test_problems_per_record_are_capped() -> None:
    """A record with very many bad items reports a bounded number of problems, quickly."""
    record = _with(b'"triggers":[' + b",".join([b'{"kind":1}'] * 20_000) + b"]")
    (bad,) = read_incidents(record)
    assert isinstance(bad, BadRecord)
    assert len(bad.problems) <= 100


# --- the same files through the command line ----------------------------------------------


def _check_json(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, Json]:
    code = main(["check", str(path), "--at", AT, "--format", "json", "--fail-on", "never", *extra])
    return code, orjson.loads(capsys.readouterr().out)


def _numbered(records: list[bytes], make_id: Callable[[int], bytes]) -> list[bytes]:
    """Give each record that has the good id its own id, so findings name their record."""
    return [r.replace(b'"INC-0001"', make_id(i)) for i, r in enumerate(records)]


@pytest.mark.parametrize("extra", [(), ("--jobs", "2")], ids=["serial", "jobs-2"])
def test_check_reports_each_bad_record_and_evaluates_every_good_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...]
) -> None:
    """`check` names each bad record by line, evaluates every good one and exits 2."""
    hostile = [record for record, _ in HOSTILE.values()]
    records = _numbered([GOOD, *hostile, GOOD], lambda i: b'"INC-%04d"' % i)
    path = tmp_path / "mixed.ndjson"
    path.write_bytes(b"\n".join(records) + b"\n")
    code, document = _check_json(path, capsys, *extra)
    assert code == 2
    errors = document["errors"]
    assert [e["line"] for e in errors] == list(range(2, len(hostile) + 2))
    assert all(e["kind"] == "record" and e["problems"] for e in errors)
    evaluated = {f["incident_id"] for f in document["findings"]}
    assert {"INC-0000", f"INC-{len(records) - 1:04d}"} <= evaluated


def test_check_table_counts_good_and_bad_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The table's summary counts the evaluated incidents and the unreadable records."""
    path = tmp_path / "mixed.ndjson"
    second = GOOD.replace(b'"INC-0001"', b'"INC-0002"')  # a repeated id is an error too
    path.write_bytes(b"\n".join([GOOD, HOSTILE["invalid UTF-8"][0], second, b"[1,"]))
    assert main(["check", str(path), "--at", AT, "--fail-on", "never"]) == 2
    captured = capsys.readouterr()
    assert "in 2 incidents checked" in captured.out
    assert "2 records could not be read" in captured.out
    assert f"{path}:2: invalid JSON" in captured.err
    assert f"{path}:4: invalid JSON" in captured.err
