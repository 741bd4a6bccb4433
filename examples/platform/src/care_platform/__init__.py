"""
An example care-platform service embedding trauma-incidents, on PostgreSQL.

`Service` holds a `trauma_incidents.monitor.Monitor` beside the database: each incident
is stored as JSONB, each Monitor event is written to an outbox table in the same
transaction that applies it to the findings table, and a restart starts the Monitor from
the stored incidents and findings (`Monitor.from_findings`), so it announces nothing
twice. `create_app` puts it behind FastAPI. See ``docs/platform.md`` in the library.
"""

from __future__ import annotations

from care_platform._app import create_app
from care_platform._service import SCHEMA, Service

__all__ = ["SCHEMA", "Service", "create_app"]
