"""
Loading one record: parse, structure with detailed validation, then the domain checks.

Detailed validation is always on: every problem is reported with its path. A valid record
takes the fast path (`trauma_incidents.loading._fast`: its objects built once, without
re-running the checks its hooks made); a record with a problem is structured again by
cattrs' detailed code, which names every problem. (Structuring with cattrs' plain code
first gained nothing: see ``benchmarks/bench_loading.py``.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import orjson
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from trauma_incidents.errors import (
    IncidentLoadError,
    InvalidIncidentError,
    InvalidValueError,
    LoadProblem,
)
from trauma_incidents.loading._converter import drop_tracebacks, make_converter
from trauma_incidents.loading._iso8601 import Mismatch
from trauma_incidents.model._incident import Incident

__all__ = ["load_record", "parse_json", "render_error"]

_Structure = Callable[[Any, type[Incident]], Incident]

# orjson's messages are fixed phrases; anything else is replaced, never echoed.
_SAFE_JSON_MESSAGE = re.compile(r"[A-Za-z0-9 ,:;'{}\[\]()-]{1,80}")
_MAX_KEY = 40
#: Problems listed per record: enough to fix a record, few enough to bound time and memory.
MAX_PROBLEMS = 50
#: Unknown keys shown in messages: those that look like field names (others may be text).
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


@cache
def _structure_hook(*, ignore_unknown_keys: bool) -> _Structure:
    """The structuring function for `Incident`, made once per option."""
    converter = make_converter(forbid_extra_keys=not ignore_unknown_keys)
    return converter.get_structure_hook(Incident)


def parse_json(data: bytes | bytearray | memoryview | str, *, first_line: int = 1) -> Any:
    """
    Parse JSON, raising `IncidentLoadError` (never echoing the input) when it is invalid.

    *first_line* is the line *data* starts on, for the line number in the message.
    """
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        reason = exc.msg if _SAFE_JSON_MESSAGE.fullmatch(exc.msg) else "malformed input"
        message = f"invalid JSON: {reason} (line {exc.lineno + first_line - 1}, column {exc.colno})"
        raise IncidentLoadError([LoadProblem("$", message)]) from None
    _check_keys_once(data, obj)
    return obj


def _check_keys_once(data: bytes | bytearray | memoryview | str, obj: Any) -> None:
    r"""
    Raise `IncidentLoadError` if an object of *data* repeats a key (orjson keeps the last).

    Cheap first, in C: a repeated key (and the value it hid) has quotes in *data* that *obj*
    dumped has not; every other quote of *data* is in *obj* dumped, once (a quote in text is
    ``\"`` there, and ``\"`` or ``\u0022`` in *data*). So when *data* has no more quotes
    and ``u0022`` than *obj* dumped has quotes, no key was repeated. Otherwise (a repeat, or
    text holding ``u0022``) the standard parser, which reports every key, decides.
    """
    raw = data.encode() if isinstance(data, str) else bytes(data)
    if raw.count(b'"') + raw.count(b"u0022") > orjson.dumps(obj).count(b'"'):
        json.loads(raw, object_pairs_hook=_pairs_once)


def _pairs_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) < len(pairs):
        keys = [k for k, _ in pairs]
        repeated = next(k for i, k in enumerate(keys) if k in keys[:i])
        shown = (
            repr(repeated) if _FIELD_NAME.fullmatch(repeated) else "(not a field name, not shown)"
        )
        message = f"invalid JSON: duplicate key {shown} (a key may appear once in an object)"
        raise IncidentLoadError([LoadProblem("$", message)])
    return obj


def load_record(obj: Any, *, ignore_unknown_keys: bool = False) -> Incident:
    """Structure and check one parsed record, raising `IncidentLoadError` with every problem."""
    structure = _structure_hook(ignore_unknown_keys=ignore_unknown_keys)
    try:
        return structure(obj, Incident)
    except Exception as exc:  # noqa: BLE001 (rendered as problems, never re-raised)
        problems = _capped(render_error(exc))
        drop_tracebacks(exc)
        raise IncidentLoadError(problems) from None


def _capped(problems: list[LoadProblem]) -> list[LoadProblem]:
    """At most `MAX_PROBLEMS`, then one line saying that there are more."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = LoadProblem("$", f"more problems not listed (only the first {MAX_PROBLEMS} are)")
    return [*problems[:MAX_PROBLEMS], more]


def render_error(exc: BaseException, path: str = "$") -> list[LoadProblem]:
    """Flatten a structuring exception into problems, in the spirit of cattrs' `transform_error`."""
    if isinstance(exc, ClassValidationError):
        fields, rest = exc.group_exceptions()
        problems = [p for e, note in fields for p in render_error(e, f"{path}.{note.name}")]
        return problems + [p for e in rest for p in render_error(e, path)]
    if isinstance(exc, IterableValidationError):
        items, rest = exc.group_exceptions()
        problems = [p for e, note in items for p in render_error(e, f"{path}[{note.index}]")]
        return problems + [p for e in rest for p in render_error(e, path)]
    if isinstance(exc, ForbiddenExtraKeysError):
        return [_unknown_key(path, key) for key in sorted(map(str, exc.extra_fields))]
    if isinstance(exc, InvalidValueError):
        return [LoadProblem(f"{path}.{exc.field}", str(exc))]
    if isinstance(exc, InvalidIncidentError):
        return [LoadProblem(path + p.path[1:], p.message) for p in exc.problems]
    return [LoadProblem(path, _message(exc))]


def _message(exc: BaseException) -> str:
    if isinstance(exc, Mismatch):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required field missing"
    return f"invalid value ({type(exc).__name__})"


def _unknown_key(path: str, key: str) -> LoadProblem:
    hint = "format v1 has no such field; ignore_unknown_keys=True skips unknown fields"
    if _FIELD_NAME.fullmatch(key) is None:  # text pasted as a key: never echoed
        return LoadProblem(path, f"unknown key that is not a field name, not shown ({hint})")
    return LoadProblem(f"{path}.{key}", f"unknown field {key!r} ({hint})")
