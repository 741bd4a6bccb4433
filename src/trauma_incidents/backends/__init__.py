"""
Evaluation backends: the pure-Python engine (default) and durable_rules (optional).

Both give the same findings. Choose with `make_engine` (or `evaluate` for one call); the
report says which backend ran each rule (`BackendReport.backends`). See ``docs/backends.md``.
"""

from __future__ import annotations

from trauma_incidents.backends._common import (
    BACKENDS,
    BackendName,
    BackendReport,
    BackendUnavailableError,
    Engine,
)
from trauma_incidents.backends._dispatch import PythonEngine, evaluate, make_engine

__all__ = [
    "BACKENDS",
    "BackendName",
    "BackendReport",
    "BackendUnavailableError",
    "Engine",
    "PythonEngine",
    "evaluate",
    "make_engine",
]
