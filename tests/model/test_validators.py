"""Tests for the field validators on objects built in Python, whatever their time zones."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest

from trauma_incidents.errors import InvalidValueError
from trauma_incidents.model import EarlyWarningSign, Observation

NAIVE = "must have a UTC offset, such as +00:00 or Z (got a naive time)"


class NoOffset(tzinfo):
    """A time zone that does not know its offset: times in it are naive."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:  # noqa: ARG002
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:  # noqa: ARG002
        return None

    def tzname(self, dt: datetime | None) -> str | None:  # noqa: ARG002
        return None


AWARE = [
    datetime(2026, 3, 4, 14, 20, tzinfo=timezone.utc),
    datetime(2026, 3, 4, 14, 20, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
    datetime(2026, 3, 4, 14, 20, tzinfo=ZoneInfo("Europe/London")),
]
NOT_AWARE = [
    (datetime(2026, 3, 4, 14, 20), NAIVE),  # noqa: DTZ001 (the point of the test)
    (datetime(2026, 3, 4, 14, 20, tzinfo=NoOffset()), NAIVE),
    ("2026-03-04T14:20:00+00:00", "must be a datetime (got a str)"),
    (1, "must be a datetime (got a int)"),
]


@pytest.mark.parametrize("when", AWARE, ids=["utc", "offset", "zoneinfo"])
def test_aware_times_are_accepted(when: datetime) -> None:
    """Any time zone that gives an offset will do, required or optional."""
    assert when == Observation(at=when).at
    assert when == EarlyWarningSign(description="-", noticed_at=when).noticed_at


@pytest.mark.parametrize(("when", "message"), NOT_AWARE, ids=["naive", "no-offset", "str", "int"])
def test_other_values_are_refused(when: object, message: str) -> None:
    """Naive times and other values raise `InvalidValueError`, naming the field."""
    with pytest.raises(InvalidValueError) as required:
        Observation(at=when)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError) as optional:
        EarlyWarningSign(description="-", noticed_at=when)  # type: ignore[arg-type]
    assert (f"'at' {message}", "at", when) == (str(required.value), *required.value.args[1:])
    assert f"'noticed_at' {message}" == str(optional.value)


def test_none_is_accepted_where_optional() -> None:
    """An optional time may be left out."""
    assert EarlyWarningSign(description="-").noticed_at is None
