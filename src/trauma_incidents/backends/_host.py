"""
A narrow, typed wrapper around durable_rules 2.0.28: a private host, no background threads.

durable_rules has no type information, so everything it returns stays inside this module.
`durable.engine.Host` starts two self-rescheduling dispatch timers that are never stopped;
`_QuietHost` does not start them. Actions run synchronously inside each ``assert_facts``
call, and `PrivateHost.run` drains any action still queued, so results never depend on
thread timing. Each host owns its C rulesets and deletes them on `PrivateHost.close`.

Importing this module replaces durable_rules' private clock (see `_unix_now`): from Python
3.12 on, the original warns on every action, and where warnings are errors the action never
runs. The replacement gives the same intervals without the deprecated call.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

try:
    import durable_rules_engine as _dre  # type: ignore[import-not-found]
    from durable import engine as _engine  # type: ignore[import-untyped]
except ImportError as e:  # pragma: no cover (the extra not installed, or a broken build)
    IMPORT_ERROR: ImportError | None = e
else:
    IMPORT_ERROR = None

#: How to install durable-rules on Python 3.13+: its sdist calls ``PyEval_CallObject``,
#: which 3.13 removed, so it is built with the old name mapped onto its replacement.
SOURCE_BUILD = (
    "CPPFLAGS='-DPyEval_CallObject(c,a)=PyObject_CallObject(c,a)'"
    " pip install --no-binary durable-rules --no-cache-dir --force-reinstall"
    " durable-rules==2.0.28"
)


def _unix_now() -> float:
    """
    The clock durable_rules times its actions by (leases, timeouts), in seconds.

    durable_rules 2.0.28 computes it with ``datetime.utcfromtimestamp(0)``, deprecated since
    Python 3.12, so it warns each time an action starts. Where warnings are errors (``-W
    error``, pytest's ``filterwarnings = error``) the warning is raised before the action
    runs, and ``assert_facts`` re-raises it: the action's findings were lost, which is
    what the differential tests saw on 3.12. Its values are only compared with each other,
    so wall-clock seconds from `time.time` do the same job without the deprecated call.
    """
    return time.time()


if IMPORT_ERROR is None:
    _engine._unix_now = _unix_now  # noqa: SLF001

#: An action: receives the matched facts by their aliases.
Action = Callable[[Mapping[str, Any]], None]
_names = itertools.count()


def _quiet_host() -> Any:
    """A `durable.engine.Host` that starts no dispatch threads."""

    class _QuietHost(_engine.Host):  # type: ignore[misc]
        def _run(self) -> None:
            """Start nothing: this library drives every ruleset synchronously."""

    return _QuietHost()


def _runner(action: Action) -> Callable[[Any], None]:
    def run(c: Any) -> None:
        action(c._m)  # noqa: SLF001 (the matched facts, without copying them into Content)

    return run


class PrivateHost:
    """
    Rulesets registered on a host of their own; nothing is process-global.

    Args:
        rulesets: Ruleset definitions (``{rule name: patterns}``) in registration order.
        actions: For each rule name, the action its firing calls.
    """

    def __init__(
        self, rulesets: Sequence[Mapping[str, Sequence[Any]]], actions: Mapping[str, Action]
    ) -> None:
        if IMPORT_ERROR is not None:  # pragma: no cover (guarded by the caller)
            raise IMPORT_ERROR
        self._host = _quiet_host()
        self.names: list[str] = []
        for definition in rulesets:
            name = f"trauma_incidents_{next(_names)}"
            rules = {
                rule: {"all": [dict(p) for p in patterns], "run": _runner(actions[rule])}
                for rule, patterns in definition.items()
            }
            self._host.register_rulesets({name: rules})
            self.names.append(name)

    def run(self, index: int, facts: list[dict[str, Any]]) -> None:
        """Assert *facts* (all of one state) into ruleset *index*, run its actions, forget them."""
        name = self.names[index]
        try:
            self._host.assert_facts(name, facts)
        except _engine.MessageNotHandledException:
            self._drain(name)
        finally:
            self._forget(name, facts)

    def _forget(self, name: str, facts: list[dict[str, Any]]) -> None:
        """
        Retract the batch, clock first, so that no rule can complete while it empties.

        ``delete_state`` would be simpler, but in durable_rules 2.0.28 it corrupts the heap
        (``munmap_chunk(): invalid pointer``), so the state is reused and emptied instead.
        """
        self._host.retract_facts(name, facts[::-1])
        self._drain(name)

    def _drain(self, name: str) -> None:
        """Run actions a failed batch left queued (the fact no rule consumed is ignored)."""
        ruleset = self._host.get_ruleset(name)
        while result := _dre.start_action(ruleset._handle):  # noqa: SLF001
            state, message = json.loads(result[0]), {"message": json.loads(result[1])}
            ruleset._flush_actions(state, message, result[2], _ignore)  # noqa: SLF001

    def close(self) -> None:
        """Delete the C rulesets; the host is unusable afterwards."""
        for name in self.names:
            ruleset = self._host._ruleset_directory.pop(name, None)  # noqa: SLF001
            if ruleset is not None:
                _dre.delete_ruleset(ruleset._handle)  # noqa: SLF001
        self.names = []
        self._host._ruleset_list = []  # noqa: SLF001


def _ignore(_error: object, _state: object) -> None:
    """Completion callback for drained actions: errors are surfaced by the caller's checks."""


def install_command(version: tuple[int, int]) -> str:
    """The command that installs durable-rules for the backend on Python *version*."""
    if version >= (3, 13):
        return SOURCE_BUILD
    return "pip install 'trauma-incidents[durable]'"


def unavailable_reason() -> str | None:
    """Why durable_rules cannot be used here, with the command that installs it, or ``None``."""
    if IMPORT_ERROR is None:
        return None
    major, minor = sys.version_info[:2]
    return (
        f"durable-rules cannot be imported ({type(IMPORT_ERROR).__name__}); on Python"
        f" {major}.{minor} install it with: {install_command((major, minor))}"
    )
