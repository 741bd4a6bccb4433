"""
Reading and writing the format's times: ISO 8601 with a UTC offset, and plain dates.

One grammar on every Python version: `datetime.fromisoformat` accepts more on 3.11+ (and no
``Z`` on 3.10), so a string is matched against `DATETIME_PATTERN` before it is parsed, unless
a cheaper check shows that it has one of the shapes the format writes. The JSON Schema uses
the same patterns, with the years limited to those of the format (1900 to 2999), which
loading checks after parsing, to say so.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TypeVar

from trauma_incidents.errors import TraumaIncidentsError, describe_type
from trauma_incidents.model._validators import YEARS, in_years

_D = TypeVar("_D", bound=date)

__all__ = [
    "DATETIME_PATTERN",
    "DATE_PATTERN",
    "Mismatch",
    "parse_date",
    "parse_datetime",
    "parse_due",
]

_DAY = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
_FORMAT_DAY = "(?:19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}"  # MIN_YEAR to MAX_YEAR
_CLOCK = r"T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{3}(?:[0-9]{3})?)?)?"
_OFFSET = "(Z|[+-][0-9]{2}:[0-9]{2})"

#: A date-time to the minute, optional seconds with milli- or microseconds, and an offset.
DATETIME_PATTERN = f"^{_FORMAT_DAY}{_CLOCK}{_OFFSET}$"
#: A calendar date.
DATE_PATTERN = f"^{_FORMAT_DAY}$"

# The offset is optional here so that a naive time gets its own message.
_DATETIME = re.compile(f"{_DAY}{_CLOCK}{_OFFSET}?")
_DATE = re.compile(_DAY)

# The fast path: the shapes `dump_incident` writes (and their ``Z`` and milliseconds forms),
# each digit as ``0``. An ASCII string has one of them exactly when it equals the shape once
# its digits are turned into ``0``; all of them match `DATETIME_PATTERN`. (The ASCII check
# also spares `str.encode` a lone surrogate.)
_AS_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_CANONICAL_SHAPES = frozenset(
    f"0000-00-00T00:00:00{fraction}{offset}".encode()
    for fraction in ("", ".000", ".000000")
    for offset in ("Z", "+00:00", "-00:00")
)

_EXPECTED_DATETIME = "a date-time with a UTC offset (such as 2026-03-04T14:20:00+00:00)"
_EXPECTED_DATE = "a date (such as 2026-03-04)"
_EXPECTED_DUE = "a date (2026-03-04) or a date-time with a UTC offset (2026-03-04T14:20:00Z)"


class Mismatch(TraumaIncidentsError, ValueError):  # noqa: N818 (a cause, rendered by loading)
    """
    A JSON value does not have the expected type or form.

    Attributes:
        expected: What the field takes, such as ``a string``.
        found: What the record holds, described without echoing it, such as ``a number``.
    """

    def __init__(self, expected: str, found: str) -> None:
        super().__init__(f"expected {expected}, got {found}")
        self.expected = expected
        self.found = found


def parse_datetime(
    value: object, _: object = None, *, expected: str = _EXPECTED_DATETIME
) -> datetime:
    """
    Read an aware date-time; ``Z`` means ``+00:00``; a naive time is a `Mismatch`.

    The second argument is ignored, so that this is a cattrs structure hook as it stands.
    """
    if type(value) is not str:
        raise Mismatch(expected, describe_type(value))
    # A third of the regex's cost, with the same results (tests/loading/test_iso8601.py).
    if not (value.isascii() and value.encode().translate(_AS_ZEROS) in _CANONICAL_SHAPES):
        _check_pattern(value, expected)
    if value[-1] == "Z":  # 3.10's `fromisoformat` has no ``Z``
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Mismatch(expected, "an impossible date or time") from None
    return _in_years(parsed, expected)


def _in_years(value: _D, expected: str) -> _D:
    if not in_years(value):
        within = f"{expected} {YEARS}"
        raise Mismatch(within, f"year {value.year}")
    return value


def _check_pattern(value: str, expected: str) -> None:
    """Raise a `Mismatch` naming the problem unless `DATETIME_PATTERN` takes *value*."""
    match = _DATETIME.fullmatch(value)
    if match is None:
        raise Mismatch(expected, "a string in another format")
    if match.group(1) is None:  # the offset, the only capturing group
        raise Mismatch(expected, "a date-time without a UTC offset")


def parse_date(value: object, _: object = None, *, expected: str = _EXPECTED_DATE) -> date:
    """Read a calendar date such as ``2026-03-04`` (a cattrs hook, as `parse_datetime`)."""
    if type(value) is not str:
        raise Mismatch(expected, describe_type(value))
    if _DATE.fullmatch(value) is None:
        raise Mismatch(expected, "a string in another format")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise Mismatch(expected, "an impossible date") from None
    return _in_years(parsed, expected)


def parse_due(value: object, _: object = None) -> date | datetime | None:
    """Read `Action.due`: a date, an aware date-time, or ``None`` (a cattrs hook)."""
    if value is None:
        return None
    if type(value) is str and len(value) == len("2026-03-04"):
        return parse_date(value, expected=_EXPECTED_DUE)
    return parse_datetime(value, expected=_EXPECTED_DUE)
