"""
trauma-incidents: trauma-informed incident management for adult social care.

The public API: load incidents, evaluate them against rule packs, and read the report.
"""

from __future__ import annotations

from typing import Any

__all__: list[str] = []


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 (lazy, as attrs does)

        return version("trauma-incidents")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
