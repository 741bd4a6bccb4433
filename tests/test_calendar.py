"""England's bank holidays: the calendar loaded on its own is the one ``holidays`` names GB."""

from __future__ import annotations

from datetime import date, timedelta

import holidays

from trauma_incidents._calendar import is_working_day


def test_working_days_skip_exactly_the_public_calendars_bank_holidays() -> None:
    england = holidays.country_holidays("GB", subdiv="ENG", years=range(1990, 2061))
    day, last = date(1990, 1, 1), date(2060, 12, 31)
    while day <= last:
        assert is_working_day(day) == (day.weekday() < 5 and day not in england), day
        day += timedelta(days=1)
    assert date(2023, 5, 8) in england  # a one-off (a coronation) is among them
