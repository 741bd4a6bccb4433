"""
Deadline boundaries for property tests: the times where off-by-one mistakes hide.

`deadline_boundaries` draws an anchor, computes the deadline a `Duration` gives, and a time
just before, exactly at or just after it. Anchors cluster where deadlines are hard: the
changes to and from British Summer Time (last Sundays of March and October, 01:00 UTC) and
the days around England bank holidays, for working-day durations.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from attrs import frozen
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from trauma_incidents._calendar import Duration
from trauma_incidents.errors import InvalidArgument

_UTC = timezone.utc
_TICK = timedelta(microseconds=1)
#: Clock changes in England, 2025-2028 (01:00 UTC on the last Sunday of March / October).
CLOCK_CHANGES = tuple(
    datetime(y, m, d, 1, 0, tzinfo=_UTC)
    for y, m, d in (
        (2025, 3, 30), (2025, 10, 26), (2026, 3, 29), (2026, 10, 25),
        (2027, 3, 28), (2027, 10, 31), (2028, 3, 26), (2028, 10, 29),
    )
)  # fmt: skip
#: Days before England bank holidays (Easter, May, August, Christmas), 2025-2027, at noon UTC.
BEFORE_BANK_HOLIDAYS = tuple(
    datetime(y, m, d, 12, 0, tzinfo=_UTC)
    for y, m, d in (
        (2025, 4, 17), (2025, 5, 2), (2025, 8, 22), (2025, 12, 24),
        (2026, 4, 2), (2026, 5, 1), (2026, 8, 28), (2026, 12, 24),
        (2027, 3, 25), (2027, 4, 30), (2027, 8, 27), (2027, 12, 24),
    )
)  # fmt: skip
_POSITIONS = ("before", "at", "after")


@frozen
class Boundary:
    """
    An anchor, its deadline, and a time near the deadline.

    Attributes:
        anchor: What the deadline counts from.
        due: The inclusive deadline.
        at: A time one microsecond before, exactly at, or one microsecond after `due`.
        position: ``"before"``, ``"at"`` or ``"after"``.
    """

    anchor: datetime
    due: datetime
    at: datetime
    position: str

    @property
    def on_time(self) -> bool:
        """Whether evidence at `at` meets the deadline (before or exactly at it)."""
        return self.position != "after"


def _anchors() -> SearchStrategy[datetime]:
    near = st.sampled_from(CLOCK_CHANGES + BEFORE_BANK_HOLIDAYS)
    offsets = st.integers(min_value=-36 * 60, max_value=36 * 60).map(lambda m: timedelta(minutes=m))
    plain = st.datetimes(  # hypothesis takes naive bounds and adds the zone itself
        min_value=datetime(2025, 1, 1),  # noqa: DTZ001
        max_value=datetime(2028, 12, 31),  # noqa: DTZ001
        timezones=st.just(_UTC),
    )
    return st.one_of(st.builds(lambda t, d: t + d, near, offsets), plain)


def deadline_boundaries(
    within: Duration | str,
    *,
    anchors: SearchStrategy[datetime] | None = None,
    positions: tuple[str, ...] = _POSITIONS,
) -> SearchStrategy[Boundary]:
    """
    Boundaries around the deadline *within* after an anchor.

    Args:
        within: The duration, as a `Duration` or its text (``"24h"``, ``"2wd"``).
        anchors: Anchors to use; by default times near clock changes and bank holidays,
            and anywhere in 2025-2028.
        positions: Which of ``"before"``, ``"at"`` and ``"after"`` to draw.

    Raises:
        InvalidArgument: For a bad duration or position.
    """
    try:
        span = within if isinstance(within, Duration) else Duration.parse(within)
    except ValueError:
        msg = f'within={within!r} is not a duration such as "24h", "7d" or "2wd"'
        raise InvalidArgument(msg) from None
    unknown = [p for p in positions if p not in _POSITIONS]
    if unknown or not positions:
        msg = f"positions={positions!r} must be a non-empty tuple of 'before', 'at', 'after'"
        raise InvalidArgument(msg)
    steps = {"before": -_TICK, "at": timedelta(0), "after": _TICK}

    def build(anchor: datetime, position: str) -> Boundary:
        due = span.after(anchor)
        return Boundary(anchor, due, due + steps[position], position)

    return st.builds(
        build, anchors if anchors is not None else _anchors(), st.sampled_from(positions)
    )
