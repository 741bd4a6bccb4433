"""Tests for `read_incidents`: NDJSON and arrays, bad records reported in place, streaming."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import orjson
import pytest

from trauma_incidents.errors import LoadProblem
from trauma_incidents.loading import BadRecord, read_incidents
from trauma_incidents.model import Incident

UNKNOWN = "format v1 has no such field; ignore_unknown_keys=True skips unknown fields"


def record(number: int = 1, **changes: Any) -> dict[str, Any]:
    """A minimal valid record with id ``INC-<number>``, with *changes* applied."""
    return {
        "id": f"INC-{number}",
        "person_id": "P-1",
        "service_id": "S-1",
        "occurred_at": "2026-03-04T14:20:00Z",
        "categories": ["fall"],
        "severity": "no_harm",
        **changes,
    }


def line(number: int = 1, **changes: Any) -> bytes:
    return orjson.dumps(record(number, **changes))


def outline(results: list[Incident | BadRecord]) -> list[object]:
    """Each result as an incident id, or the error's place and (path, message) pairs."""
    return [
        r.id
        if isinstance(r, Incident)
        else (r.line, r.index, r.incident_id, [(p.path, p.message) for p in r.problems])
        for r in results
    ]


class TestNdjson:
    def test_carries_on_past_bad_records(self) -> None:
        """Each bad record is reported with its line; blank lines count; valid ones are kept."""
        data = b"\n".join(
            [
                line(1),
                b"",
                line(2, severity="unbearable"),
                b"   ",
                line(3),
                b'{"id": "INC-4", "severity":',
                line(5),
            ]
        )

        results = list(read_incidents(data))

        assert outline(results) == [
            "INC-1",
            (
                3,
                None,
                "INC-2",
                [
                    (
                        "$.severity",
                        (
                            'expected one of "no_harm", "low", "moderate", "severe", "death", '
                            "got a string not in that list"
                        ),
                    )
                ],
            ),
            "INC-3",
            (6, None, None, [("$", "invalid JSON: unexpected end of data (line 6, column 28)")]),
            "INC-5",
        ]

    def test_problems_carry_source_and_line(self) -> None:
        """Each problem knows its source and line, and prints them."""
        (error,) = read_incidents(b"\n" + line(1, id=7), source_name="night.ndjson")

        assert isinstance(error, BadRecord)
        assert error.problems == (
            LoadProblem("$.id", "expected a string, got a number", "night.ndjson", 2),
        )
        assert str(error) == "night.ndjson:2: expected a string, got a number @ $.id"

    @pytest.mark.parametrize(
        ("raw", "found"),
        [(b"[1, 2]", "an array"), (b"5", "a number"), (b'"INC-1"', "a string"), (b"null", "null")],
        ids=["array", "number", "string", "null"],
    )
    def test_record_not_an_object(self, raw: bytes, found: str) -> None:
        """A line holding something other than an object is a problem at ``$``."""
        results = list(read_incidents(line(1) + b"\n" + raw + b"\n"))

        assert outline(results) == [
            "INC-1",
            (2, None, None, [("$", f"expected an object, got {found}")]),
        ]

    @pytest.mark.parametrize(
        "raw",
        [
            b'{"id": "INC-1", "x": NaN}',
            b'{"id": "INC-1", "x": Infinity}',
            b'{"id": "INC-1", "x": 1e400}',
            b'{"id": "\xff\xfe"}',
            b'{"id": "INC-1"',
            b"{'id': 'INC-1'}",
        ],
        ids=["nan", "infinity", "huge-number", "invalid-utf8", "truncated", "single-quotes"],
    )
    def test_invalid_json(self, raw: bytes) -> None:
        """Invalid JSON is one clean problem for that line, and reading carries on."""
        results = list(read_incidents(raw + b"\n" + line(2)))

        error, incident = results
        assert isinstance(incident, Incident)
        assert isinstance(error, BadRecord)
        assert (error.line, error.index, error.incident_id) == (1, None, None)
        ((path, message),) = [(p.path, p.message) for p in error.problems]
        assert path == "$"
        assert re.fullmatch(r"invalid JSON: [^\"]+ \(line 1, column \d+\)", message)

    def test_huge_integer(self) -> None:
        """An integer too large for 64 bits is a clean problem."""
        injury = b'{"who": "staff", "severity": "minor", "days_incapacitated": 1' + b"0" * 30 + b"}"
        data = line(1, injuries=[]).replace(b'"injuries":[]', b'"injuries":[' + injury + b"]")

        (error,) = read_incidents(data)

        assert outline([error]) == [
            (
                1,
                None,
                "INC-1",
                [
                    (
                        "$.injuries[0].days_incapacitated",
                        (
                            "expected an integer, got a number with a fraction, an exponent or "
                            "too many digits"
                        ),
                    )
                ],
            )
        ]

    def test_crlf_and_bom(self) -> None:
        """Windows line ends and a UTF-8 byte order mark are accepted."""
        data = b"\xef\xbb\xbf" + line(1) + b"\r\n" + line(2) + b"\r\n"

        assert outline(list(read_incidents(data))) == ["INC-1", "INC-2"]

    @pytest.mark.parametrize(
        "data", [b"", b"\n\n  \n", b"\xef\xbb\xbf"], ids=["empty", "blank", "bom"]
    )
    def test_nothing_to_read(self, data: bytes) -> None:
        """An empty source yields nothing."""
        assert list(read_incidents(data)) == []

    def test_ignore_unknown_keys(self) -> None:
        """The option reaches every record."""
        data = line(1, colour="blue") + b"\n" + line(2, mood=3)

        assert outline(list(read_incidents(data, ignore_unknown_keys=True))) == ["INC-1", "INC-2"]
        assert outline(list(read_incidents(data)))[1] == (
            2,
            None,
            "INC-2",
            [("$.mood", f"unknown field 'mood' ({UNKNOWN})")],
        )

    def test_long_id_is_not_kept(self) -> None:
        """Only a short string id is kept to name the bad record."""
        results = list(read_incidents(line(1, id="I" * 65, severity=1)))

        assert [r.incident_id for r in results if isinstance(r, BadRecord)] == [None]


class TestArray:
    def test_positions(self) -> None:
        """Bad records are reported by index, and their problems by 1-based position."""
        items = [record(1), 5, record(3, severity="unbearable", id=None), record(4)]
        data = b"\n  " + orjson.dumps(items)

        results = list(read_incidents(data, source_name="batch.json"))

        assert outline(results)[0::3] == ["INC-1", "INC-4"]
        assert outline(results)[1] == (None, 1, None, [("$", "expected an object, got a number")])
        error = results[2]
        assert isinstance(error, BadRecord)
        assert (error.source, error.line, error.index) == ("batch.json", None, 2)
        assert [(p.path, p.source, p.line) for p in error.problems] == [
            ("$.id", "batch.json", 3),
            ("$.severity", "batch.json", 3),
        ]

    def test_pretty_printed(self) -> None:
        """An indented array, with a byte order mark, reads like a compact one."""
        data = b"\xef\xbb\xbf" + orjson.dumps([record(1), record(2)], option=orjson.OPT_INDENT_2)

        assert outline(list(read_incidents(data))) == ["INC-1", "INC-2"]

    def test_invalid_array(self) -> None:
        """An array that is not valid JSON is one problem naming its line; nothing is read."""
        data = b"\n\n[\n" + line(1) + b",\n" + line(2)

        (error,) = read_incidents(data, source_name="cut.json")

        assert isinstance(error, BadRecord)
        assert (error.source, error.line, error.index) == ("cut.json", None, None)
        assert [(p.path, p.message) for p in error.problems] == [
            ("$", f"invalid JSON: unexpected end of data (line 5, column {len(line(2)) + 1})")
        ]


class TestSources:
    def test_path(self, tmp_path: Path) -> None:
        """A path is opened and named in problems, as a `Path` or a `str`."""
        path = tmp_path / "incidents.ndjson"
        path.write_bytes(line(1) + b"\n" + line(2, id=3) + b"\n")

        for source in (path, str(path)):
            results = list(read_incidents(source))
            assert isinstance(results[0], Incident)
            assert isinstance(results[1], BadRecord)
            assert (results[1].source, results[1].line) == (str(path), 2)

    def test_stream(self) -> None:
        """A binary stream is read; without a name it is ``<stream>``."""
        results = list(read_incidents(io.BytesIO(line(1, id=2))))

        assert [r.source for r in results if isinstance(r, BadRecord)] == ["<stream>"]

    def test_named_stream(self, tmp_path: Path) -> None:
        """A stream's own name is used, as with ``sys.stdin.buffer`` (``<stdin>``)."""
        path = tmp_path / "in.ndjson"
        path.write_bytes(line(1, id=2))

        with path.open("rb") as stream:
            results = list(read_incidents(stream))

        assert [r.source for r in results if isinstance(r, BadRecord)] == [str(path)]

    def test_bytes_name(self) -> None:
        """Bytes are ``<bytes>`` unless named."""
        (error,) = read_incidents(bytearray(line(1, id=2)))

        assert isinstance(error, BadRecord)
        assert error.source == "<bytes>"

    def test_missing_path(self, tmp_path: Path) -> None:
        """A path that cannot be opened raises `OSError`: bad data never does."""
        with pytest.raises(FileNotFoundError):
            list(read_incidents(tmp_path / "missing.ndjson"))


class _CountingReader(io.RawIOBase):
    """A raw stream that counts the bytes it hands out."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        self.served += len(chunk)
        return len(chunk)


def test_ndjson_is_streamed() -> None:
    """NDJSON is read as it is consumed, not all at once."""
    data = b"\n".join(line(i) for i in range(1000))
    raw = _CountingReader(data)
    results = read_incidents(io.BufferedReader(raw, buffer_size=1024))

    first = next(results)

    assert isinstance(first, Incident)
    assert raw.served <= 2048 < len(data)
    assert sum(1 for _ in results) == 999
