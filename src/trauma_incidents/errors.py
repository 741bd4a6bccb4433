"""
The library's exceptions and warnings; every exception derives from `TraumaIncidentsError`.

Messages never contain free text from a record: they name paths, expectations and the type
or enum value found.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

__all__ = [
    "BackendCrashedError",
    "BackendUnavailableError",
    "ConfigError",
    "FindingLoadError",
    "IncidentLoadError",
    "InvalidArgument",
    "InvalidIncidentError",
    "InvalidValueError",
    "InvalidVerdict",
    "LoadProblem",
    "MissingExtraError",
    "MonitorDataError",
    "OutputError",
    "PackError",
    "PackLoadError",
    "RuleError",
    "ScenarioError",
    "TimeLimitExceeded",
    "TraumaIncidentsDeprecationWarning",
    "TraumaIncidentsError",
    "describe_type",
]


class TraumaIncidentsError(Exception):
    """Root of every exception this library raises on purpose."""


class InvalidValueError(TraumaIncidentsError, ValueError):
    """
    A model field was given a value it cannot hold.

    Attributes:
        field: The attribute's name.
        value: The offending value (never rendered into the message when it is free text).
    """

    def __init__(self, msg: str, field: str, value: object) -> None:
        super().__init__(msg, field, value)
        self.field = field
        self.value = value

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidArgument(TraumaIncidentsError, TypeError):  # noqa: N818 (hypothesis' name)
    """A function of this library was called with arguments that cannot work together."""


@attrs.frozen
class LoadProblem:
    """
    One thing wrong with one record.

    Attributes:
        path: JSON path to the bad field, such as ``$.debriefs[0].at``.
        message: What was expected and what was found; never free text from the record.
        source: Where the record came from (a file name, ``<stdin>``), when known.
        line: The record's line (NDJSON) or its 1-based position in an array, when known.
    """

    path: str
    message: str
    source: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.source is not None or self.line is not None:
            where = f"{self.source or '<input>'}:{self.line or '?'}: "
        return f"{where}{self.message} @ {self.path}"


class IncidentLoadError(TraumaIncidentsError, ValueError):
    """
    One or more records could not be loaded; `problems` lists every one of them.

    Attributes:
        problems: Every problem found, in document order.
    """

    def __init__(self, problems: Sequence[LoadProblem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        n = len(self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in incident data:\n{lines}")


class FindingLoadError(TraumaIncidentsError, ValueError):
    """
    A finding could not be loaded (`trauma_incidents.load_finding`); `problems` lists every one.

    Attributes:
        problems: Every problem found, each with its JSON path.
    """

    def __init__(self, problems: Sequence[LoadProblem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        n = len(self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in a finding:\n{lines}")


class InvalidIncidentError(TraumaIncidentsError, ValueError):
    """
    An incident's values contradict each other, however it was built; `problems` lists each.

    A time before the incident (``reported_at``, a debrief, a review, a notification, a
    safeguarding stage), an intervention ending before it started, a repeated action id.

    Attributes:
        problems: Every problem found, each with its JSON path in the incident.
    """

    def __init__(self, problems: Sequence[LoadProblem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        n = len(self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in an incident:\n{lines}")


class MonitorDataError(TraumaIncidentsError, ValueError):
    """
    A monitor event or snapshot could not be loaded; `problems` lists every one found.

    Attributes:
        problems: Every problem found, each with its JSON path.
    """

    def __init__(self, problems: Sequence[LoadProblem], *, what: str) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        n = len(self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in a monitor {what}:\n{lines}")


class ConfigError(TraumaIncidentsError, ValueError):
    """
    A configuration is invalid; `problems` names every bad key.

    Attributes:
        problems: One line per problem, each starting with the dotted key.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("invalid configuration:\n" + "\n".join(f"  {p}" for p in self.problems))


class PackError(TraumaIncidentsError, ValueError):
    """
    A rule pack could not be found, loaded or validated.

    Attributes:
        problems: One line per problem, each naming the key (and line, where known).
    """

    def __init__(self, msg: str, problems: Sequence[str] = ()) -> None:
        self.problems = tuple(problems)
        detail = "".join(f"\n  {p}" for p in self.problems)
        super().__init__(f"{msg}{detail}")


class PackLoadError(PackError):
    """
    An installed pack's entry point failed to load.

    The message names the entry point and the exception's type, never its text (which may
    hold anything the pack's code put there); the exception itself is kept in `original`.
    When the pack failed the library's own checks (a `PackError`), its problems are listed:
    they name keys and lines, and echo only values that are not free text.

    Attributes:
        display_name: ``distribution[entry point]``.
        entry_point: The entry point's name: the pack name configuration enables it by.
        original: The exception raised while loading it.
    """

    def __init__(
        self,
        display_name: str,
        original: BaseException,
        *,
        entry_point: str = "",
        reason: str = "",
    ) -> None:
        self.display_name = display_name
        self.entry_point = entry_point
        self.original = original
        why = reason or type(original).__name__
        problems = original.problems if isinstance(original, PackError) else ()
        super().__init__(f"pack {display_name} failed to load ({why})", problems)


class RuleError(TraumaIncidentsError, RuntimeError):
    """
    A rule raised while evaluating an incident (raised only in strict mode).

    Attributes:
        rule: The rule's code.
        incident_id: The incident being evaluated.
        original: The exception the rule raised.
    """

    def __init__(self, rule: str, incident_id: str, original: BaseException) -> None:
        super().__init__(
            f"rule {rule} failed on incident {incident_id!r}: {type(original).__name__}"
        )
        self.rule = rule
        self.incident_id = incident_id
        self.original = original

    def __reduce__(self) -> tuple[type[RuleError], tuple[str, str, BaseException]]:
        return type(self), (self.rule, self.incident_id, self.original)


class InvalidVerdict(TraumaIncidentsError, TypeError):  # noqa: N818 (named for the fault)
    """
    A rule returned something other than an iterable of well-formed `Verdict` objects.

    The engine reports it as a fault of that rule (`RuleFault.error` is ``"InvalidVerdict"``)
    and keeps none of the rule's verdicts for that incident.
    """


class TimeLimitExceeded(TraumaIncidentsError):  # noqa: N818 (named for the fault)
    """
    A rule ran longer than ``Config.rule_time_limit`` on one incident.

    The engine reports it as a fault of that rule and drops the rule's verdicts for that
    incident, so a slow rule gives no findings rather than late ones.
    """


#: JSON type names for messages, checked in order (bool before int: a bool is an int).
_JSON_TYPES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "a boolean"),
    ((int, float), "a number"),
    (str, "a string"),
    ((list, tuple), "an array"),
    (dict, "an object"),
)


def describe_type(value: object) -> str:
    """Name *value*'s JSON type for a message, without echoing the value."""
    if value is None:
        return "null"
    return next(
        (name for kind, name in _JSON_TYPES if isinstance(value, kind)),
        f"a {type(value).__name__}",
    )


class BackendUnavailableError(TraumaIncidentsError, RuntimeError):
    """
    The chosen backend cannot run in this Python environment.

    Attributes:
        backend: The backend's name.
        reason: Why it cannot run, and for durable_rules the command that installs it on
            this Python.
    """

    def __init__(self, backend: str, reason: str) -> None:
        self.backend = backend
        self.reason = reason
        hint = "or use backend='python' (--backend python), which gives the same findings"
        super().__init__(f"backend={backend!r} is unavailable: {reason}; {hint}")

    def __reduce__(self) -> tuple[type[BackendUnavailableError], tuple[str, str]]:
        return type(self), (self.backend, self.reason)


class BackendCrashedError(TraumaIncidentsError, RuntimeError):
    """
    A backend's child process ended without an answer: a crash, most likely in native code.

    Raised only by a `Monitor` created with ``isolate=True``, in strict mode; otherwise the
    incident being checked gets a `RuleFault` with this error for every rule.

    Attributes:
        backend: The backend's name.
        incident_id: The incident being checked (``None`` while the process was starting).
        exitcode: The process's exit code; minus the signal's number if a signal ended it.
    """

    def __init__(self, backend: str, incident_id: str | None, exitcode: int | None) -> None:
        self.backend = backend
        self.incident_id = incident_id
        self.exitcode = exitcode
        during = "starting" if incident_id is None else f"checking incident {incident_id!r}"
        super().__init__(
            f"backend={backend!r} crashed while {during} (exit code {exitcode}); its process"
            " is restarted for the next incident, and faulthandler printed its Python stack"
            " to standard error"
        )

    def __reduce__(
        self,
    ) -> tuple[type[BackendCrashedError], tuple[str, str | None, int | None]]:
        return type(self), (self.backend, self.incident_id, self.exitcode)


class MissingExtraError(TraumaIncidentsError, ImportError):
    """An optional dependency is not installed; the message says which extra to install."""


class OutputError(TraumaIncidentsError):
    """
    The command line could not write its output (a full disk, a reader that has gone).

    It is not an `OSError`, so that it is never taken for an input that cannot be read.

    Attributes:
        original: The `OSError` writing raised.
    """

    def __init__(self, original: OSError) -> None:
        super().__init__(
            f"cannot write the output ({original.strerror or type(original).__name__})"
        )
        self.original = original


class ScenarioError(TraumaIncidentsError, ValueError):
    """A scenario file is invalid; the message names the file and the key."""


class TraumaIncidentsDeprecationWarning(DeprecationWarning):
    """A name the library still offers for now, under an older name or at an older place."""


def _moved(module: str, name: str, moves: Mapping[str, str]) -> Any:
    """
    Look up *name*, which moved out of *module*, and warn that it did.

    A module's ``__getattr__`` calls this (structlog's pattern) with *moves*, a map from each
    old name to its new place, ``"package.module"`` or ``"package.module:new_name"``.

    Raises:
        AttributeError: *name* is not one of *moves*.
    """
    try:
        target = moves[name]
    except KeyError:
        msg = f"module {module!r} has no attribute {name!r}"
        raise AttributeError(msg) from None
    new_module, _, new_name = target.partition(":")
    new_name = new_name or name
    warnings.warn(
        f"{module}.{name} is deprecated: use {new_module}.{new_name}; the old name goes in 0.3",
        TraumaIncidentsDeprecationWarning,
        stacklevel=3,
    )
    return getattr(importlib.import_module(new_module), new_name)
