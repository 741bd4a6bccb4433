"""Field validators shared by the model classes: cheap checks that hold for every instance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from enum import Enum
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import attrs

from trauma_incidents.errors import InvalidValueError, describe_type


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


#: Validators that check the value's type themselves: `typed` adds no check before them.
_CHECK_TYPE = frozenset({"aware", "optional_aware", "non_empty"})

_Check = Callable[[Any], bool]


def typed(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """
    An attrs field transformer: every field checks its value's type, however it is built.

    The loader's types are always right; this catches values built in code, such as
    ``attrs.evolve(incident, severity="catastrophic")`` or a list for a tuple. A field's own
    validator (non-empty, aware) runs after the type check; it is kept in the field's
    metadata as ``validator`` for the schema generator.
    """
    hints = get_type_hints(cls)
    out = []
    for f in fields:
        own = f.validator
        name = getattr(own, "__name__", None)
        check = None if name in _CHECK_TYPE else _check_for(hints[f.name])
        if check is None:
            out.append(f.evolve(metadata={**f.metadata, "validator": own}))
            continue
        expected = _expected(hints[f.name])
        out.append(
            f.evolve(
                validator=_typed_validator(check, expected, own),
                metadata={**f.metadata, "validator": own},
            )
        )
    return out


def _typed_validator(check: _Check, expected: str, own: Any) -> Any:
    def validate(inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
        if not check(value):
            msg = f"'{attribute.name}' must be {expected} (got {describe_type(value)})"
            raise InvalidValueError(msg, attribute.name, value)
        if own is not None:
            own(inst, attribute, value)

    return validate


def _check_for(tp: Any) -> _Check | None:  # noqa: PLR0911 (one return per kind of type)
    """A predicate for values of *tp*, or ``None`` when another validator checks them."""
    origin, args = get_origin(tp), get_args(tp)
    if tp is bool:
        return lambda v: v is True or v is False
    if tp in (str, int):
        return lambda v: type(v) is tp
    if isinstance(tp, type) and (issubclass(tp, Enum) or attrs.has(tp)):
        return lambda v: isinstance(v, tp)
    if origin is Literal:
        return lambda v: v in args
    if origin is tuple and args[1:] == (Ellipsis,):
        item = _check_for(args[0]) or (lambda _: True)
        return lambda v: type(v) is tuple and all(map(item, v))
    if origin in (Union, UnionType) and NoneType in args:
        rest = tuple(a for a in args if a is not NoneType)
        inner = _check_for(rest[0]) if len(rest) == 1 else None
        return None if inner is None else (lambda v: v is None or inner(v))
    return None  # times: `aware` and its kin check them


def _expected(tp: Any) -> str:
    """How a message names *tp*."""
    origin, args = get_origin(tp), get_args(tp)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "one of " + ", ".join(f'"{m.value}"' for m in tp)
    if isinstance(tp, type):
        return f"a {tp.__name__}"
    if origin is Literal:
        return "one of " + ", ".join(f'"{a}"' for a in args)
    if origin is tuple:
        item = args[0]
        return f"a tuple of {item.__name__ if isinstance(item, type) else 'values'}"
    rest = [a for a in args if a is not NoneType]
    return f"{_expected(rest[0])} or None"
