"""
Primitives for the strategies: argument checks, drawing helpers and `times`.

Times shrink toward `EPOCH` (or the anchor given), choices toward the first option, lists
toward fewer elements, and text toward the first of a few short synthetic phrases. Every
helper draws from a few module-level strategies: building strategies inside a draw is what
makes generation slow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import TypeVar

from hypothesis import strategies as st
from hypothesis.strategies import DrawFn as Draw
from hypothesis.strategies import SearchStrategy

from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model._validators import is_aware

_T = TypeVar("_T")
_E = TypeVar("_E")

#: Where generated times shrink to when no anchor is given.
EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)
MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
BOOL = st.booleans()

_STEPS = 1 << 20
_FRACTION = st.integers(0, _STEPS)
_SIGNED = st.integers(-_STEPS, _STEPS)
_ZONES = st.sampled_from(
    [timezone.utc, *(timezone(timedelta(minutes=m)) for m in (60, -300, 330, 120, -600))]
)

_PHRASES = {
    "detail": ("noise", "change of staff", "crowded room", "pain", "unfamiliar route"),
    "sign": ("pacing", "covering ears", "raised voice", "withdrawing", "asking to leave"),
    "reason": ("to prevent harm", "to keep the person safe", "to protect others"),
    "cause": ("busy environment", "plan not followed", "need not recognised"),
    "change": ("update support plan", "plan quieter times", "add visual timetable"),
    "action": ("review routine", "share plan with team", "arrange sensory assessment"),
    "evidence": ("fewer incidents", "person says it helps", "no change seen"),
    "summary": ("The person became distressed.", "Staff offered support.", "A fall."),
    "location": ("lounge", "garden", "high street", "minibus"),
    "role": ("support worker", "nurse", "team leader"),
    "strategy": ("offer a quiet space", "plan quieter times", "offer a walk", "step back"),
    "matters": ("music", "time with family", "being outdoors"),
    "engagement": ("a familiar member of staff", "time to answer", "a quiet room"),
    "communication": ("short sentences", "pictures", "time to process"),
}


# -- argument checks ---------------------------------------------------------------------------


def check_type(name: str, value: object, types: type | tuple[type, ...]) -> None:
    if not isinstance(value, types):
        msg = f"Expected {types!r} but got {name}={value!r} (type={type(value).__name__})"
        raise InvalidArgument(msg)


def check_optional(name: str, value: object, types: type | tuple[type, ...]) -> None:
    if value is not None:
        check_type(name, value, types)


def check_anchor(name: str, value: datetime | None) -> datetime:
    if value is None:
        return EPOCH
    check_type(name, value, datetime)
    if not is_aware(value):
        msg = f"{name}={value!r} must be an aware datetime (try tzinfo=timezone.utc)"
        raise InvalidArgument(msg)
    return value


def check_span(name: str, value: timedelta) -> timedelta:
    check_type(name, value, timedelta)
    if value < timedelta(0):
        msg = f"{name}={value!r} must not be negative"
        raise InvalidArgument(msg)
    return value


# -- drawing primitives ------------------------------------------------------------------------


@cache
def ints(lo: int, hi: int) -> SearchStrategy[int]:
    return st.integers(lo, hi)


def pick(draw: Draw, options: Sequence[_E]) -> _E:
    """Draw one of *options*, shrinking toward the first."""
    return options[draw(ints(0, len(options) - 1))]


def member(draw: Draw, enum: type[_E]) -> _E:
    return pick(draw, tuple(enum))  # type: ignore[arg-type]  # an Enum class is iterable


def chance(draw: Draw, value: bool | None = None) -> bool:  # noqa: FBT001 (tri-state option)
    return draw(BOOL) if value is None else value


def maybe(draw: Draw, make: Callable[[], _T]) -> _T | None:
    """Draw ``None`` (where it shrinks to) or a value from *make*."""
    return make() if draw(BOOL) else None


def some(draw: Draw, make: Callable[[], _T], *, min_size: int = 0, max_size: int = 2) -> list[_T]:
    """
    From *min_size* to *max_size* values from *make*, each optional one after a "more" flag.

    A flag before each element (not a length drawn first) lets the shrinker delete an
    element with its flag and keep every later choice in place.
    """
    found = [make() for _ in range(min_size)]
    while len(found) < max_size and draw(BOOL):
        found.append(make())
    return found


def phrase(draw: Draw, kind: str) -> str:
    return pick(draw, _PHRASES[kind])


def staff_id(draw: Draw) -> str:
    return f"ST-{draw(ints(100, 399)):03d}"


def staff_ids(draw: Draw, min_size: int = 0) -> tuple[str, ...]:
    return tuple(dict.fromkeys(some(draw, lambda: staff_id(draw), min_size=min_size)))


def moment(draw: Draw, anchor: datetime, lo: timedelta, hi: timedelta) -> datetime:
    """A whole-minute time from ``anchor + lo`` to ``anchor + hi`` (shrinking to the former)."""
    span = (hi - lo) // MINUTE
    minutes = span * draw(_FRACTION) // _STEPS
    return (anchor + lo + minutes * MINUTE).astimezone(draw(_ZONES))


def moment_near(draw: Draw, anchor: datetime, half: timedelta) -> datetime:
    """A whole-minute time within *half* either side of *anchor* (shrinking to it)."""
    minutes = (half // MINUTE) * draw(_SIGNED) // _STEPS
    return (anchor + minutes * MINUTE).astimezone(draw(_ZONES))


@st.composite
def drawn(draw: Draw, make: Callable[[Draw], _T]) -> _T:
    return make(draw)


# -- times -------------------------------------------------------------------------------------


def times(
    *, after: datetime | None = None, within: timedelta = DAY * 7
) -> SearchStrategy[datetime]:
    """
    Aware whole-minute times from *after* to *after* + *within*, in varied UTC offsets.

    Args:
        after: The earliest time (default `EPOCH`); times shrink toward it.
        within: How far after *after* times may fall.

    Raises:
        InvalidArgument: *after* is naive or *within* is negative.
    """
    anchor, span = check_anchor("after", after), check_span("within", within)
    return drawn(lambda draw: moment(draw, anchor, timedelta(0), span))
