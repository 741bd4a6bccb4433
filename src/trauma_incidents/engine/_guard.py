"""
Running one rule on one incident, guarded: what the rule returns is checked, and its time.

A rule from a third-party pack is code this library does not control. Before its result
becomes findings it must be an iterable (not a string or a mapping) of `Verdict` objects
whose fields have the documented types, with a different key each, and a ``due_at`` when
``due``; anything else fails with `InvalidVerdict`. With a
time limit, a rule that took longer fails with `TimeLimitExceeded` and its verdicts are
dropped. The engine reports either as a fault and runs the other rules.

The limit is measured, not enforced: a running Python function cannot be stopped safely in
the same process, so a rule that never returns still hangs the run (run ``check`` under a
time-out, such as ``timeout 600 trauma-incidents check ...``, for that). Measuring costs two
clock reads per rule and incident, and only when a limit is set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from time import perf_counter
from typing import Any

from trauma_incidents.errors import InvalidVerdict, TimeLimitExceeded
from trauma_incidents.model._incident import Incident
from trauma_incidents.model._validators import is_aware
from trauma_incidents.rules._findings import Evidence, Status
from trauma_incidents.rules._shapes import Check, Verdict

__all__ = ["run_timed", "verdicts_of"]


def run_timed(check: Check, incident: Incident, at: datetime, time_limit: float) -> object:
    """Run *check*; raise `TimeLimitExceeded` if it (and any generator it returned) ran long."""
    start = perf_counter()
    result = check(incident, at)
    if isinstance(result, Iterator):  # a generator does its work as it is consumed
        result = list(result)
    elapsed = perf_counter() - start
    if elapsed > time_limit:
        msg = f"the rule took {elapsed:.3f} s, over the limit of {time_limit} s"
        raise TimeLimitExceeded(msg)
    return result


def verdicts_of(result: object) -> Sequence[Verdict]:
    """*result* as well-formed verdicts, or `InvalidVerdict` saying what is wrong."""
    if type(result) is tuple or type(result) is list:  # what nearly every rule returns
        verdicts: Sequence[Any] = result
    elif isinstance(result, str | bytes | bytearray | Mapping) or not isinstance(result, Iterable):
        msg = f"a rule must return an iterable of Verdict, got a {type(result).__name__}"
        raise InvalidVerdict(msg)
    else:
        verdicts = list(result)
    for verdict in verdicts:
        if not isinstance(verdict, Verdict):
            msg = f"a rule must return Verdict objects, got a {type(verdict).__name__}"
            raise InvalidVerdict(msg)
        for name, ok in _FIELD_TYPES.items():
            value = getattr(verdict, name)
            if not ok(value):
                msg = f"Verdict.{name} has the wrong type (a {type(value).__name__})"
                raise InvalidVerdict(msg)
        if verdict.status is Status.DUE and verdict.due_at is None:
            msg = "a Verdict that is due must say when (due_at is None)"
            raise InvalidVerdict(msg)
    if len({v.key for v in verdicts}) < len(verdicts):
        msg = "two Verdicts with the same key: their findings would share an id"
        raise InvalidVerdict(msg)
    return verdicts


def _optional_time(value: object) -> bool:
    return value is None or (isinstance(value, datetime) and is_aware(value))


def _evidence(value: object) -> bool:
    return isinstance(value, tuple) and all(isinstance(e, Evidence) for e in value)


#: A test of each `Verdict` field's type (attrs does not check types when it builds one).
_FIELD_TYPES: dict[str, Callable[[object], bool]] = {
    "key": lambda value: value is None or isinstance(value, str),
    "status": lambda value: isinstance(value, Status),
    "message": lambda value: isinstance(value, str),
    "due_at": _optional_time,
    "satisfied_at": _optional_time,
    "evidence": _evidence,
}
