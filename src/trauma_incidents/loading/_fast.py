"""
Loading's fast path: a valid record's objects built once, without checks its hooks made.

cattrs' generated code builds each object through its ``__init__``, which runs every field's
validator and the `typed` type checks: for a loaded record, most of these repeat what the
structuring hooks have just made sure of (a time from `parse_datetime` has a UTC offset and
falls in the format's years; an enum, boolean or integer hook returns exactly that type). The
fast path sets the fields of an instance made without ``__init__`` and runs only the rest:
the validators the hooks do not cover (identifiers, counts) and the class's own cross-field
checks. It raises at the first problem of any kind, and the caller then goes the detailed
way (cattrs' code, every problem with its path), so results and errors are the same as that
way's alone (``tests/loading/test_fast_path.py`` checks both, over valid and damaged records).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import attrs
from cattrs import Converter

from trauma_incidents.model._validators import aware, optional_aware, optional_due

__all__ = ["fast_structure"]

FastStructure = Callable[[dict[str, Any]], Any]

#: Validators every value of a field of this type passes once its hook has made it.
_MADE_SURE: dict[Callable[..., None], tuple[Any, ...]] = {
    aware: (datetime,),
    optional_aware: (datetime | None,),
    optional_due: (date | datetime | None,),
}


class _Slow(Exception):  # noqa: N818 (a signal, not an error: take the detailed path)
    """A value the fast path leaves to the detailed one."""


def _str(value: Any, _: Any) -> str:
    # Exactly a `str`: `typed` refuses a subclass, which the converter's hook lets through.
    if value.__class__ is str:
        return value
    raise _Slow


def _optional_str(value: Any, _: Any) -> str | None:
    if value is None or value.__class__ is str:
        return value
    raise _Slow


_OWN_HOOKS: dict[Any, Callable[[Any, Any], Any]] = {str: _str, str | None: _optional_str}


def fast_structure(cls: type, converter: Converter) -> FastStructure | None:
    """
    A function building *cls* from a dict the fast way, or ``None`` where it cannot.

    The function raises (any exception) when the dict has a problem; it never reports one.
    ``None`` for a class with a field that the fast path does not build as ``__init__``
    would (a converter, a factory that takes self, a field outside ``__init__`` or with an
    alias), and for one whose ``__attrs_post_init__`` is not `typed`'s.
    """
    attrs.resolve_types(cls)
    fields = attrs.fields(cls)
    post_init = getattr(cls, "__attrs_post_init__", None)
    if post_init is not None and not hasattr(post_init, "own_checks"):
        return None
    if any(
        not a.init
        or a.converter is not None
        or a.alias != a.name
        or (isinstance(a.default, attrs.Factory) and a.default.takes_self)  # type: ignore[arg-type]
        for a in fields
    ):
        return None
    scope: dict[str, Any] = {"_cls": cls, "_new": object.__new__, "_set": object.__setattr__}
    lines = ["def structure(o):"]
    if converter.forbid_extra_keys:
        scope["_keys"] = frozenset(a.name for a in fields)
        lines.append("    if not _keys.issuperset(o):\n        raise _Slow")
    scope["_Slow"] = _Slow
    lines.append("    self = _new(_cls)")
    checks = []
    for i, a in enumerate(fields):
        hook = _OWN_HOOKS.get(a.type) or converter.get_structure_hook(a.type)
        scope[f"h{i}"], scope[f"t{i}"] = hook, a.type
        made = f"h{i}(o[{a.name!r}], t{i})"
        if a.default is attrs.NOTHING:
            lines.append(f"    _set(self, {a.name!r}, {made})")
        else:
            default = f"d{i}()" if isinstance(a.default, attrs.Factory) else f"d{i}"  # type: ignore[arg-type]
            scope[f"d{i}"] = getattr(a.default, "factory", a.default)
            lines.append(f"    _set(self, {a.name!r}, {made} if {a.name!r} in o else {default})")
        if a.validator is not None and a.type not in _MADE_SURE.get(a.validator, ()):
            scope[f"v{i}"], scope[f"a{i}"] = a.validator, a
            checks.append(f"    v{i}(self, a{i}, self.{a.name})")
    lines += checks
    own = getattr(post_init, "own_checks", None)
    if own is not None:
        scope["_own"] = own
        lines.append("    _own(self)")
    lines.append("    return self")
    # Built from the model's annotations (never from data), as attrs builds __init__.
    exec(compile("\n".join(lines), f"<fast structure {cls.__qualname__}>", "exec"), scope)  # noqa: S102
    structure: FastStructure = scope["structure"]
    return structure
