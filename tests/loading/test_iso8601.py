"""Tests for reading times: the fast path for the common shapes agrees with the pattern."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from trauma_incidents.loading._iso8601 import (
    _CANONICAL_SHAPES,
    _DATETIME,
    DATETIME_PATTERN,
    Mismatch,
    _check_pattern,
    _in_years,
    parse_datetime,
)

TIME = "a date-time with a UTC offset (such as 2026-03-04T14:20:00+00:00)"
# Characters a near miss might hold: ASCII digits and separators, and look-alikes.
NEAR_MISSES = "0123456789-:T.+Z tz,_\u0663\u00b2\uff10\ud800"


def outcome(parse: Callable[[str], datetime], value: str) -> datetime | str:
    """What *parse* gives for *value*: the datetime, or the message of its `Mismatch`."""
    try:
        return parse(value)
    except Mismatch as exc:
        return str(exc)


def by_pattern(value: str) -> datetime:
    """`parse_datetime` as it was before the fast path: every string checked by the pattern."""
    _check_pattern(value, TIME)
    try:
        parsed = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        raise Mismatch(TIME, "an impossible date or time") from None
    return _in_years(parsed, TIME)  # the years are checked after parsing, on either path


def same_as_pattern(value: str) -> None:
    """`parse_datetime` agrees with the pattern alone, value and offset alike."""
    fast, slow = outcome(parse_datetime, value), outcome(by_pattern, value)
    assert slow == fast
    if isinstance(slow, datetime):
        assert isinstance(fast, datetime)
        assert slow.utcoffset() == fast.utcoffset()
        assert re.fullmatch(DATETIME_PATTERN, value)


@st.composite
def written_times(draw: st.DrawFn) -> str:
    """A time as the format writes it: seconds, ms or µs, and ``Z`` or an offset."""
    offset = timedelta(minutes=draw(st.integers(-24 * 60 + 1, 24 * 60 - 1)))
    when = draw(st.datetimes(timezones=st.just(timezone(offset))))
    text = when.isoformat(timespec=draw(st.sampled_from(["seconds", "milliseconds", "auto"])))
    return text.replace("+00:00", "Z") if draw(st.booleans()) else text


@st.composite
def near_misses(draw: st.DrawFn) -> str:
    """A written time with a few characters replaced, inserted or removed."""
    chars = list(draw(written_times()))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(chars) - 1))
        new = draw(st.sampled_from(NEAR_MISSES))
        edit = draw(st.sampled_from(["replace", "insert", "delete"]))
        chars[at : at + (edit != "insert")] = [] if edit == "delete" else [new]
    return "".join(chars)


@given(written_times() | near_misses())
@example("2026-03-04T14:20:00+00:00")
def test_fast_path_agrees_with_pattern(value: str) -> None:
    """Every string gets the same datetime or the same message as from the pattern alone."""
    same_as_pattern(value)


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-04T14:20:00+00:00",
        "2026-03-04T14:20:00Z",
        "2026-03-04T14:20:00.123-05:30",
        "2026-03-04T14:20:00.123456Z",
        "2026-03-04T14:20+01:00",
        "2026-03-04T14:20:00",
        "2026-03-04T14:20:00+0000",
        "2026-03-04T14:20:00z",
        "2026-03-04t14:20:00Z",
        "2026-03-04 14:20:00+00:00",
        "20260304T142000Z",
        "2026-03-04T14:20:00,123+00:00",
        "2026-03-04T14:20:00.1234+00:00",
        "2026-03-04T14:20:00+00:00:00",
        "2026-03-04T14:20:00+00",
        "2026-02-30T14:20:00+00:00",
        "2026-03-04T24:00:00+00:00",
        "2026-03-04T14:20:00+24:00",
        "\uff12026-03-04T14:20:00+00:00",
        "2026-03-04T14:20:0\u0663Z",
        "2026-03-04T14:20:00\ud800",
        "",
    ],
)
def test_fast_path_agrees_on_edge_cases(value: str) -> None:
    """Shapes `datetime.fromisoformat` takes on 3.11+ are refused exactly as the pattern does."""
    same_as_pattern(value)


def iso_like() -> Iterator[str]:
    """Strings in the shapes `datetime.fromisoformat` takes on some version, and near them."""
    days = ["2026-03-04", "20260304", "2026-0304", "2026/03/04", "202-03-04", "02026-03-04"]
    clocks = [t + c for t in ("T", "t", " ") for c in ("14:20", "1420", "14:2")]
    seconds = ["", ":05", "05"]
    fractions = ["", *(s + "123456789"[:n] for s in ".," for n in (1, 2, 3, 4, 5, 6, 7, 9))]
    offsets = ["", "Z", "z", *(s + t for s in "+-" for t in ("05", "05:30", "0530", "5:30"))]
    extras = ["", ":15", ":15.000"]  # offsets with seconds and fractions, taken on 3.12+
    for parts in itertools.product(days, clocks, seconds, fractions, offsets, extras):
        yield "".join(parts)


def test_fast_path_agrees_on_every_shape() -> None:
    """Each combination of the parts of the shapes gives the same result both ways."""
    for value in iso_like():
        same_as_pattern(value)


def test_fast_path_agrees_on_every_digit_position() -> None:
    """Any other character where a shape has a digit gives the same result both ways."""
    for shape in _CANONICAL_SHAPES:
        written = shape.decode().replace("0", "1")
        for at in (at for at, char in enumerate(written) if char == "1"):
            for char in NEAR_MISSES + "\x00/aO":
                same_as_pattern(written[:at] + char + written[at + 1 :])


def test_every_fast_shape_matches_the_pattern() -> None:
    """
    The shapes the fast path takes are all in the pattern it stands for, whatever the digits.

    That pattern takes any year (the years are checked after parsing, on either path), and
    differs from `DATETIME_PATTERN` only there.
    """
    for shape in _CANONICAL_SHAPES:
        for digit in "0123456789":
            assert _DATETIME.fullmatch(shape.decode().replace("0", digit))
            assert re.fullmatch(DATETIME_PATTERN, "2026" + shape.decode()[4:].replace("0", digit))
