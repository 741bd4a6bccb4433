"""Field validators shared by the model classes: cheap checks that hold for every instance."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import attrs

from trauma_incidents._printable import CONTROL
from trauma_incidents.errors import InvalidValueError

#: The control characters an identifier may not hold, in words.
CONTROLS = "C0 and C1 controls, NUL, DEL, bidi controls, line separators, lone surrogates"

#: The years a time (or date) of the format may fall in: far beyond any incident's, and far
#: enough from the calendar's ends (years 1 and 9999) that deadline arithmetic never overflows.
MIN_YEAR = 1900
MAX_YEAR = 2999
#: Says what is wrong with a time outside them.
YEARS = f"in the years {MIN_YEAR} to {MAX_YEAR}"


def in_years(value: date) -> bool:
    """Whether *value* (a date or a datetime, in its own offset) falls in the format's years."""
    return MIN_YEAR <= value.year <= MAX_YEAR


def is_aware(value: datetime) -> bool:
    """Return whether *value* carries a UTC offset."""
    return value.tzinfo is not None and value.utcoffset() is not None


def aware(_inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Reject naive datetimes: the format has no implied time zone."""
    if isinstance(value, datetime) and type(value.tzinfo) is timezone and in_years(value):
        return  # every loaded time: a `timezone` always has an offset, so no call is needed
    _check_aware(attribute, value)


def optional_aware(_inst: Any, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    """Like `aware`, allowing ``None``."""
    if value is None or (
        isinstance(value, datetime) and type(value.tzinfo) is timezone and in_years(value)
    ):
        return
    _check_aware(attribute, value)


def _check_aware(attribute: attrs.Attribute[Any], value: object) -> None:
    """The general case of `aware`: any `tzinfo`, and the messages."""
    if not isinstance(value, datetime):
        msg = f"'{attribute.name}' must be a datetime (got a {type(value).__name__})"
        raise InvalidValueError(msg, attribute.name, value)
    if not is_aware(value):
        msg = f"'{attribute.name}' must have a UTC offset, such as +00:00 or Z (got a naive time)"
        raise InvalidValueError(msg, attribute.name, value)
    _check_years(attribute, value)


def _check_years(attribute: attrs.Attribute[Any], value: date) -> None:
    if not in_years(value):
        msg = f"'{attribute.name}' must be {YEARS} (got year {value.year})"
        raise InvalidValueError(msg, attribute.name, value)


def optional_due(inst: Any, attribute: attrs.Attribute[Any], value: date | None) -> None:
    """A due date is a date, or an aware datetime, in the format's years."""
    if isinstance(value, datetime):
        aware(inst, attribute, value)
    elif isinstance(value, date):
        _check_years(attribute, value)


def identifier(inst: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    """Reject an empty or blank identifier, or one holding a control character."""
    if not isinstance(value, str) or not value.strip():
        msg = f"'{attribute.name}' must be a non-empty string"
        raise InvalidValueError(msg, attribute.name, value)
    optional_identifier(inst, attribute, value)


def optional_identifier(_inst: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """
    Reject an identifier holding a control character (`trauma_incidents._printable.CONTROL`).

    Such an id could clear a terminal or forge a table row wherever it is shown, and a lone
    surrogate cannot even be written as UTF-8.
    """
    if isinstance(value, str) and CONTROL.search(value):
        msg = f"'{attribute.name}' must not contain control characters ({CONTROLS})"
        raise InvalidValueError(msg, attribute.name, value)


def identifiers(inst: Any, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    """Reject a list of identifiers one of which holds a control character."""
    for item in value:
        optional_identifier(inst, attribute, item)


def non_negative(_inst: Any, attribute: attrs.Attribute[Any], value: int | None) -> None:
    """Reject a negative count."""
    if value is not None and value < 0:
        msg = f"'{attribute.name}' must be zero or more (got {value!r})"
        raise InvalidValueError(msg, attribute.name, value)
