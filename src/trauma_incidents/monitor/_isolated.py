"""
A backend in a child process of its own, so that a crash in native code spares this one.

`IsolatedChecker` gives `Engine.check` from a child Python process, through pickles on its
standard input and output (a fresh interpreter: no state or threads are inherited, and the
caller's main module is not re-imported, so no ``if __name__ == "__main__"`` guard is
needed). If the child dies while checking an incident (a crash inside durable_rules' C
extension cannot be caught in the process it happens in), that incident gets a `RuleFault`
for every rule, with the error ``BackendCrashedError`` (strict mode raises
`BackendCrashedError`), and the next check starts a fresh child. The child turns on
`faulthandler`, so the crash's Python stack goes to standard error.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import subprocess
import sys
import weakref
from datetime import datetime
from typing import IO, Any, cast, final

from trauma_incidents.backends import make_engine
from trauma_incidents.engine._findings_report import RuleFault
from trauma_incidents.engine._ruleset import RuleSet
from trauma_incidents.errors import BackendCrashedError, InvalidArgument
from trauma_incidents.model._incident import Incident
from trauma_incidents.rules._context import Context
from trauma_incidents.rules._findings import Finding

_CHILD = "from trauma_incidents.monitor._isolated import serve; serve()"


def _send(stream: IO[bytes], value: object) -> None:
    pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def serve() -> None:  # pragma: no cover (runs in the child, where coverage does not go)
    """
    The child: set up from the first message, then answer each check until ``None``.

    A check is ``(incident, at)``, or ``(incident, at, context)`` for the rules that read
    the context.

    Pickles go out on a copy of the standard output, which is then pointed at standard
    error, so that a rule that prints cannot corrupt them.
    """
    faulthandler.enable()
    requests, replies = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    path, backend, ruleset = pickle.load(requests)  # noqa: S301 (our own parent's pickles)
    sys.path[:] = path
    try:
        engine = make_engine(pickle.loads(ruleset), backend)  # noqa: S301 (as above)
    except Exception as e:  # noqa: BLE001 (sent to the parent, which raises it)
        _send(replies, ("raised", e))
        return
    _send(replies, ("ready", None))
    with engine:
        while (request := pickle.load(requests)) is not None:  # noqa: S301 (as above)
            try:
                reply: tuple[str, Any] = ("ok", engine.check(*request))
            except Exception as e:  # noqa: BLE001 (strict mode's RuleError, for the parent)
                reply = ("raised", e)
            _send(replies, reply)


@final
class IsolatedChecker:
    """
    `Engine.check` of *backend*, run in a child process; see the module docstring.

    Args:
        ruleset: The compiled rule set; it is pickled to the child, so its rules must be
            importable there (defined at module level, as the packs' rules are).
        backend: ``"python"`` or ``"durable"``.

    Raises:
        BackendUnavailableError: The backend cannot run on this Python.
        InvalidArgument: *backend* is unknown, or *ruleset* cannot be pickled.
    """

    def __init__(self, ruleset: RuleSet, backend: str) -> None:
        self.ruleset = ruleset
        self.backend = backend
        self._codes = tuple(r.meta.code for r in ruleset.rules)
        try:
            self._setup = (list(sys.path), backend, pickle.dumps(ruleset))
        except (pickle.PicklingError, AttributeError, TypeError) as e:
            msg = f"isolate=True needs a rule set that pickles (rules at module level): {e}"
            raise InvalidArgument(msg) from e
        #: The running child, if any (a list, so that the finalizer sees replacements).
        self._child: list[subprocess.Popen[bytes]] = []
        self._close = weakref.finalize(self, _stop, self._child)
        self._start()

    def _start(self) -> None:
        path = os.pathsep.join(p for p in sys.path if p)  # so the child finds this package
        child = subprocess.Popen(  # noqa: S603 (this interpreter, running our own module)
            [sys.executable, "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
        )
        self._child.append(child)
        kind, value = self._ask(self._setup, None)
        if kind == "raised":
            self.close()
            raise value

    def _ask(self, message: object, incident_id: str | None) -> tuple[str, Any]:
        """Send *message* to the child and read its reply; a dead child raises."""
        child = self._child[0]
        stdin, stdout = _pipes(child)
        try:
            _send(stdin, message)
            reply: tuple[str, Any] = pickle.load(stdout)  # noqa: S301 (our child's)
        except (EOFError, OSError, pickle.UnpicklingError):
            _stop(self._child)
            raise BackendCrashedError(self.backend, incident_id, child.returncode) from None
        return reply

    def check(
        self, incident: Incident, at: datetime, context: Context | None = None
    ) -> tuple[list[Finding], list[RuleFault]]:
        """Every finding about one incident as of *at*, before waivers, from the child."""
        if not self._close.alive:
            msg = "this isolated backend is closed"
            raise InvalidArgument(msg)
        if not self._child:
            self._start()
        try:
            request = (incident, at) if context is None else (incident, at, context)
            kind, value = self._ask(request, incident.id)
        except BackendCrashedError as e:
            if self.ruleset.strict:
                raise
            return [], [RuleFault(code, incident.id, type(e).__name__) for code in self._codes]
        if kind == "raised":
            raise value
        found: tuple[list[Finding], list[RuleFault]] = value
        return found

    def close(self) -> None:
        """Stop the child process (idempotent)."""
        self._close()


def _pipes(child: subprocess.Popen[bytes]) -> tuple[IO[bytes], IO[bytes]]:
    """The child's stdin and stdout: both are pipes, as `subprocess.PIPE` made them."""
    return cast("IO[bytes]", child.stdin), cast("IO[bytes]", child.stdout)


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    """Ask the child in *children* (if any) to stop, make sure it has, and forget it."""
    if not children:
        return
    child = children.pop()
    stdin, stdout = _pipes(child)
    with contextlib.suppress(OSError):  # it may have gone already
        _send(stdin, None)
    with contextlib.suppress(OSError):  # the same (the pipe is closed even so)
        stdin.close()
    stdout.close()
    try:
        child.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover (a child that ignores the request)
        child.kill()
        child.wait()
