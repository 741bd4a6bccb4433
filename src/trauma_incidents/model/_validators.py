"""Field validators shared by the model classes: cheap checks that hold for every instance."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import attrs

from trauma_incidents.errors import InvalidValueError


def is_aware(value: datetime) -> bool:
    """Return whether *value* carries a UTC offset."""
    return value.tzinfo is not None and value.utcoffset() is not None


def aware(_inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Reject naive datetimes: the format has no implied time zone."""
    if isinstance(value, datetime) and type(value.tzinfo) is timezone:
        return  # every loaded time: a `timezone` always has an offset, so no call is needed
    _check_aware(attribute, value)


def optional_aware(_inst: Any, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    """Like `aware`, allowing ``None``."""
    if value is None or (isinstance(value, datetime) and type(value.tzinfo) is timezone):
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


def optional_due(inst: Any, attribute: attrs.Attribute[Any], value: date | None) -> None:
    """A due date is a date, or an aware datetime."""
    if isinstance(value, datetime):
        aware(inst, attribute, value)


def non_empty(_inst: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    """Reject an empty or blank identifier."""
    if not isinstance(value, str) or not value.strip():
        msg = f"'{attribute.name}' must be a non-empty string"
        raise InvalidValueError(msg, attribute.name, value)


def non_negative(_inst: Any, attribute: attrs.Attribute[Any], value: int | None) -> None:
    """Reject a negative count."""
    if value is not None and value < 0:
        msg = f"'{attribute.name}' must be zero or more (got {value!r})"
        raise InvalidValueError(msg, attribute.name, value)
