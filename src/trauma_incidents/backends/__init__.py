"""
Evaluation backends: the pure-Python engine (default) and durable_rules (optional).

Both give the same findings. Choose with `make_engine`, or with ``backend=`` of
`trauma_incidents.evaluate` for one call; a durable engine's report says which backend ran
each rule (`BackendReport.backends`). See ``docs/backends.md``.
"""

from __future__ import annotations

import warnings
from typing import Any

from trauma_incidents.backends import _dispatch
from trauma_incidents.backends._common import (
    BACKENDS,
    BackendName,
    BackendReport,
    Engine,
)
from trauma_incidents.backends._dispatch import PythonEngine, make_engine
from trauma_incidents.errors import TraumaIncidentsDeprecationWarning, _moved

__all__ = [
    "BACKENDS",
    "BackendName",
    "BackendReport",
    "Engine",
    "PythonEngine",
    "make_engine",
]

_MOVED = {"BackendUnavailableError": "trauma_incidents.errors"}


def __getattr__(name: str) -> Any:
    if name == "evaluate":  # moved, and its arguments changed order
        warnings.warn(
            "trauma_incidents.backends.evaluate(ruleset, incidents, ...) is deprecated: use"
            " trauma_incidents.evaluate(incidents, at=..., rules=ruleset, backend=...);"
            " the old name goes in 0.3",
            TraumaIncidentsDeprecationWarning,
            stacklevel=2,
        )
        return _dispatch.evaluate_ruleset_first
    return _moved(__name__, name, _MOVED)
