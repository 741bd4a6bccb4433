"""
Durations and deadlines: hours, elapsed days and England working days.

A deadline is inclusive. Hours and days are elapsed time (24-hour multiples, so a change to
or from British Summer Time does not stretch them). N working days end at 23:59:59.999999
Europe/London on the Nth working day after the anchor's local date; working days skip
Saturdays, Sundays and England bank holidays (from the maintained ``holidays`` package).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from enum import Enum
from functools import lru_cache
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from attrs import field, frozen

if TYPE_CHECKING:
    from holidays import HolidayBase

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
_END_OF_DAY = time(23, 59, 59, 999999)
_PATTERN = re.compile(r"^\s*(\d{1,5})\s*(h|d|wd)\s*$")


class Unit(str, Enum):
    """The unit of a `Duration`."""

    HOURS = "h"
    DAYS = "d"
    WORKING_DAYS = "wd"


_WORDS = {Unit.HOURS: "hour", Unit.DAYS: "day", Unit.WORKING_DAYS: "working day"}


@frozen
class Duration:
    """
    A span after an anchor: ``Duration.parse("24h")``, ``"7d"`` or ``"2wd"``.

    Attributes:
        amount: How many units (at least 1 for working days).
        unit: Hours, elapsed days or England working days.
    """

    amount: int
    unit: Unit
    _span: timedelta | None = field(init=False, repr=False, eq=False)

    @_span.default
    def _fixed_span(self) -> timedelta | None:
        """The elapsed time of hours and days, made once: deadlines are computed often."""
        if self.unit is Unit.WORKING_DAYS:
            return None
        return timedelta(hours=self.amount) if self.unit is Unit.HOURS else timedelta(self.amount)

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse ``"<n>h"``, ``"<n>d"`` or ``"<n>wd"``; raise `ValueError` otherwise."""
        m = _PATTERN.match(text) if isinstance(text, str) else None
        if m is None:
            msg = 'expected a duration such as "24h", "7d" or "2wd"'
            raise ValueError(msg)
        amount, unit = int(m.group(1)), Unit(m.group(2))
        if unit is Unit.WORKING_DAYS and amount < 1:
            msg = "a working-day duration must be at least 1wd"
            raise ValueError(msg)
        return cls(amount, unit)

    def __str__(self) -> str:
        return f"{self.amount}{self.unit.value}"

    def describe(self) -> str:
        """Say the duration in words: ``"24 hours"``, ``"2 working days"``."""
        word = _WORDS[self.unit]
        return f"{self.amount} {word}{'' if self.amount == 1 else 's'}"

    def after(self, anchor: datetime) -> datetime:
        """Return the inclusive deadline this duration after *anchor*, in UTC."""
        if self._span is not None:
            return anchor.astimezone(UTC) + self._span
        local = anchor.astimezone(LONDON).date()
        return end_of_day(add_working_days(local, self.amount))


def london_day(t: datetime) -> date:
    """The day of *t* in England; at the ends of the calendar, where that overflows, *t*'s own."""
    try:
        return t.astimezone(LONDON).date()
    except OverflowError:
        return t.date()


@lru_cache(maxsize=4096)
def end_of_day(day: date) -> datetime:
    """The last microsecond of *day* in Europe/London, in UTC."""
    return datetime.combine(day, _END_OF_DAY, tzinfo=LONDON).astimezone(UTC)


@lru_cache(maxsize=1)
def _bank_holidays() -> HolidayBase:
    """
    England's bank holidays, from ``holidays``' United Kingdom calendar.

    ``holidays.country_holidays("GB")`` imports ``holidays.countries``, whose package module
    imports every country's (about 250 of them: 0.1 s of CPU, most of a one-incident
    ``check``), so the one module needed is loaded from its file, under a private name.
    Where that file is not found (a future layout of ``holidays``), the public call is used.
    """
    import holidays  # noqa: PLC0415 (costly import, needed only for working days)

    path = Path(holidays.__file__).parent / "countries" / "united_kingdom.py"
    spec = spec_from_file_location("trauma_incidents._united_kingdom", path)
    if spec is None or spec.loader is None or not path.is_file():  # pragma: no cover
        return holidays.country_holidays("GB", subdiv="ENG")
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    calendar: HolidayBase = module.UnitedKingdom(subdiv="ENG")
    return calendar


def is_working_day(day: date) -> bool:
    """Whether *day* is a working day in England (not a weekend or bank holiday)."""
    return day.weekday() < 5 and day not in _bank_holidays()  # noqa: PLR2004 (Mon-Fri)


@lru_cache(maxsize=4096)
def add_working_days(start: date, n: int) -> date:
    """The *n*-th working day after *start* (*start* itself never counts)."""
    day = start
    remaining = n
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def when_text(t: datetime) -> str:
    """A time for a message, in UK local time: ``2026-03-05 10:00 GMT``."""
    local = t.astimezone(LONDON)
    return f"{local.isoformat(' ', 'minutes')[:16]} {local.tzname()}"  # strftime is slower


def local_time(t: datetime | None) -> str:
    """A time for people, in UK local time: ``2026-03-05 10:00 GMT`` (``-`` for none)."""
    return "-" if t is None else when_text(t)
