"""Field validators shared by the model classes: cheap checks that hold for every instance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from enum import Enum
from itertools import repeat
from types import NoneType, UnionType
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

import attrs

from trauma_incidents._printable import CONTROL
from trauma_incidents.errors import InvalidValueError, describe_type

_C = TypeVar("_C")

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


#: The highest value of a 0-10 scale (distress, anxiety, wellbeing).
SCALE_MAX = 10


def scale(inst: Any, attribute: attrs.Attribute[Any], value: int) -> None:
    """Reject a value outside the 0-10 scale of distress, anxiety and wellbeing ratings."""
    optional_scale(inst, attribute, value)


def optional_scale(_inst: Any, attribute: attrs.Attribute[Any], value: int | None) -> None:
    """Like `scale`, allowing ``None``."""
    if value is not None and not 0 <= value <= SCALE_MAX:
        msg = f"'{attribute.name}' must be from 0 to {SCALE_MAX} (got {value!r})"
        raise InvalidValueError(msg, attribute.name, value)


#: What a field's type allows: ``None`` too, a tuple of items rather than one value, and
#: the classes of the value (or of each item).
_Spec = tuple[bool, bool, tuple[type, ...]]


def typed(cls: type[_C]) -> type[_C]:
    """
    A class decorator, under ``@frozen``: every field checks its value's type when built.

    The loader's types are always right; this catches values built in code, such as
    ``attrs.evolve(incident, severity="catastrophic")`` or a list for a tuple. The checks
    run in ``__attrs_post_init__``, before the class's own one (if any), as one function
    generated from the annotations, as attrs generates ``__init__``: a validator per field
    would cost a call each, a sixth of loading. Times are left to their validators, which
    check the type too. Values must be of their exact class (a `str`, not a subclass);
    parts may be subclasses. The function is generated when ``__init__`` first runs: loading
    a valid record runs only the class's own checks, so ``check`` on valid records never
    generates it. ``__attrs_post_init__``'s ``own_checks`` attribute is the class's own
    ``__attrs_post_init__`` (or ``None``), which loading runs without the rest.
    """
    own = cls.__dict__.get("__attrs_post_init__")

    def __attrs_post_init__(self: object) -> None:  # noqa: N807 (attrs' hook)
        # On the class attrs built (a copy of *cls*), replace this with the checks, then run them.
        mro = type(self).__mro__
        owner = next(c for c in mro if c.__dict__.get("__attrs_post_init__") is __attrs_post_init__)
        checks = _type_checks(owner, own)
        owner.__attrs_post_init__ = checks  # type: ignore[attr-defined]
        checks(self)

    __attrs_post_init__.own_checks = own  # type: ignore[attr-defined]
    cls.__attrs_post_init__ = __attrs_post_init__  # type: ignore[attr-defined]
    return cls


def _type_checks(cls: type, own: Callable[[Any], None] | None) -> Callable[[Any], None]:
    """`typed`'s ``__attrs_post_init__`` for *cls*: its fields' type checks, then *own*."""
    hints = get_type_hints(cls)
    scope: dict[str, Any] = {"_refuse": _refuse, "repeat": repeat}
    lines = []
    for i, (name, tp) in enumerate(hints.items()):
        spec = _spec(tp)
        if spec is None:
            continue
        optional, many, classes = spec
        scope[f"c{i}"], scope[f"e{i}"] = classes, _expected(tp)
        v = f"self.{name}"
        if many:
            items = f"not all(map(isinstance, {v}, repeat(c{i})))"
            refused = f"type({v}) is not tuple or ({v} and {items})"  # most are empty
        else:
            # Exact classes for values (enum members, str, bool, int): no call at all.
            exact = classes[0] is not date and not attrs.has(classes[0])
            refused = f"{v}.__class__ is not c{i}[0]" if exact else f"not isinstance({v}, c{i})"
            if optional:
                refused = f"{v} is not None and {refused}"
        lines.append(f"    if {refused}:\n        _refuse({name!r}, e{i}, {v})")
    if own is not None:
        scope["_own"] = own
        lines.append("    _own(self)")
    source = "def __attrs_post_init__(self):\n" + ("\n".join(lines) or "    pass")
    # Built from the model's own annotations (never from data), as attrs builds __init__.
    exec(compile(source, f"<typed {cls.__qualname__}>", "exec"), scope)  # noqa: S102
    post_init: Callable[[Any], None] = scope["__attrs_post_init__"]
    # The class's own checks alone, for loading's fast path (its hooks made the types right).
    post_init.own_checks = own  # type: ignore[attr-defined]
    return post_init


def _refuse(name: str, expected: str, value: object) -> None:
    msg = f"'{name}' must be {expected} (got {describe_type(value)})"
    raise InvalidValueError(msg, name, value)


def _spec(tp: Any) -> _Spec | None:
    """What values of *tp* may be, or ``None`` when another validator checks them."""
    optional = False
    args = get_args(tp)
    if get_origin(tp) in (Union, UnionType) and NoneType in args:
        rest = [a for a in args if a is not NoneType]
        if set(rest) == {date, datetime}:
            return (True, False, (date,))  # a due date: a datetime is a date too
        if len(rest) != 1:
            return None
        optional, tp = True, rest[0]
    many = get_origin(tp) is tuple
    classes = _classes(get_args(tp)[0] if many else tp)
    return None if classes is None else (optional, many, classes)


def _classes(tp: Any) -> tuple[type, ...] | None:
    if get_origin(tp) is Literal:
        return (str,)  # the schema version: the loader checks its value
    if tp in (str, bool, int):
        return (tp,)
    if isinstance(tp, type) and (issubclass(tp, Enum) or attrs.has(tp)):
        return (tp,)
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
