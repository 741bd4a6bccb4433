"""
The JSON Schemas of the monitor's documents, generated from their classes.

The shipped copies are regenerated with, for NAME ``event`` and ``monitor_snapshot``::

    python -m trauma_incidents.monitor._schemas NAME > src/trauma_incidents/data/NAME.schema.json
"""

from __future__ import annotations

import sys
from typing import Any

import orjson

from trauma_incidents.loading._schema import document
from trauma_incidents.monitor._events import Event
from trauma_incidents.monitor._snapshot import MonitorSnapshot

__all__ = ["event_schema", "schema_json", "snapshot_schema"]

_BASE = "https://github.com/trauma-incidents/trauma-incidents/blob/main/src/trauma_incidents/data/"


def event_schema() -> dict[str, Any]:
    """The JSON Schema of one event as `dump_event` writes it."""
    return document(Event, _BASE + "event.schema.json", "Monitor event (trauma-incidents)")


def snapshot_schema() -> dict[str, Any]:
    """The JSON Schema of a snapshot as `Monitor.snapshot` writes it (format version 1)."""
    title = "Monitor snapshot, version 1 (trauma-incidents)"
    return document(MonitorSnapshot, _BASE + "monitor_snapshot.schema.json", title)


def schema_json(name: str) -> bytes:
    """A shipped schema (``event`` or ``monitor_snapshot``) as bytes, ending in a newline."""
    schema = event_schema() if name == "event" else snapshot_schema()
    return orjson.dumps(schema, option=orjson.OPT_INDENT_2) + b"\n"


if __name__ == "__main__":  # pragma: no cover (run in a subprocess by tests/monitor)
    sys.stdout.buffer.write(schema_json(sys.argv[1]))
