"""The service: incidents and findings in PostgreSQL, a Monitor beside them, an outbox."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any, cast

import psycopg
from psycopg.types.json import Jsonb

from trauma_incidents import (
    FindingDict,
    RuleSet,
    dump_finding,
    dump_incident,
    load_finding,
    load_incident,
)
from trauma_incidents.monitor import Event, EventKind, Monitor, dump_event, load_event

#: The tables: incidents and the current findings as JSONB, the outbox of events, the clock.
SCHEMA = """
create table if not exists incidents (
    id text primary key,
    person_id text not null,
    released boolean not null default false,
    body jsonb not null
);
create table if not exists findings (
    id text primary key,
    incident_id text not null,
    status text not null,
    body jsonb not null
);
create index if not exists findings_by_incident on findings (incident_id);
create table if not exists outbox (
    seq bigserial primary key,
    at timestamptz not null,
    kind text not null,
    incident_id text not null,
    finding_id text,
    body jsonb not null
);
create table if not exists clock (
    only_row boolean primary key default true check (only_row),
    at timestamptz not null
);
"""


class Service:
    """
    One writer: the Monitor and the database change together, under one lock.

    Every change is one transaction: the incident's row, the findings table brought up
    to date by the Monitor's events, the events appended to the outbox (for another
    process to publish), and the Monitor's time. If the transaction fails, the Monitor
    is rebuilt from the database, so the two never drift apart.
    """

    def __init__(self, conninfo: str, ruleset: RuleSet, *, start: datetime) -> None:
        """Connect, create the tables if needed, and start the Monitor from what is stored."""
        self._conn = psycopg.connect(conninfo, autocommit=True)  # transactions are explicit
        self._ruleset = ruleset
        self._lock = threading.Lock()
        with self._conn.transaction():
            self._conn.execute(SCHEMA)
            self._conn.execute(
                "insert into clock (at) values (%s) on conflict do nothing", (start,)
            )
        self._monitor = self._recover()

    def _recover(self) -> Monitor:
        """
        A Monitor holding the stored live incidents with the stored findings.

        `Monitor.from_findings` announces nothing by itself; the next tick re-checks the
        held incidents and announces only what differs from what is stored.
        """
        with self._conn.transaction():
            (at,) = _one(self._conn.execute("select at from clock"))
            incidents = [
                load_incident(body)
                for (body,) in self._conn.execute(
                    "select body from incidents where not released order by id"
                )
            ]
            findings = [
                load_finding(body)
                for (body,) in self._conn.execute("select body from findings order by id")
            ]
        return Monitor.from_findings(self._ruleset, incidents, findings, at=at)

    def close(self) -> None:
        """Close the Monitor and the connection."""
        self._monitor.close()
        self._conn.close()

    @property
    def now(self) -> datetime:
        """The Monitor's time."""
        return self._monitor.now

    def next_change_at(self) -> datetime | None:
        """When to tick next: the earliest time a held incident's findings can change."""
        with self._lock:
            return self._monitor.next_change_at()

    def submit(self, record: bytes | Mapping[str, Any], at: datetime) -> list[FindingDict]:
        """
        Load *record*, store it, and return its findings at *at*.

        Raises:
            trauma_incidents.IncidentLoadError: The record is not valid; nothing is stored.
        """
        incident = load_incident(record)
        with self._lock, self._transaction():
            self._conn.execute(
                "insert into incidents (id, person_id, body) values (%s, %s, %s)"
                " on conflict (id) do update set person_id = excluded.person_id,"
                " released = false, body = excluded.body",
                (incident.id, incident.person_id, Jsonb(dump_incident(incident))),
            )
            upserted = self._monitor.upsert(incident, at=at)
            self._store(upserted.events)
        return [dump_finding(f) for f in upserted.findings]

    def tick(self, at: datetime) -> int:
        """Move the Monitor to *at*; store and announce what changed. Return how many events."""
        with self._lock, self._transaction():
            events = self._monitor.advance(at)
            self._store(events)
        return len(events)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One transaction, ending with the Monitor's time; on failure, the Monitor rebuilt."""
        try:
            with self._conn.transaction():
                yield
                self._conn.execute("update clock set at = %s", (self._monitor.now,))
        except BaseException:
            self._monitor = self._recover()  # the database is the truth
            raise

    def _store(self, events: Iterable[Event]) -> None:
        for e in events:
            self._conn.execute(
                "insert into outbox (at, kind, incident_id, finding_id, body)"
                " values (%s, %s, %s, %s, %s)",
                (e.at, e.kind.value, e.incident_id, e.finding_id, Jsonb(dump_event(e))),
            )
            if e.kind is EventKind.RELEASED:
                self._conn.execute(
                    "update incidents set released = true where id = %s", (e.incident_id,)
                )
            elif e.finding is None:
                self._conn.execute("delete from findings where id = %s", (e.finding_id,))
            else:
                self._conn.execute(
                    "insert into findings (id, incident_id, status, body)"
                    " values (%s, %s, %s, %s) on conflict (id) do update"
                    " set status = excluded.status, body = excluded.body",
                    (
                        e.finding_id,
                        e.incident_id,
                        e.finding.status.value,
                        Jsonb(dump_finding(e.finding)),
                    ),
                )

    def open_obligations(self, person_id: str) -> list[FindingDict]:
        """The person's ``due`` and ``overdue`` findings, soonest deadline first."""
        with self._lock, self._conn.transaction():
            rows = self._conn.execute(
                "select f.body from findings f join incidents i on i.id = f.incident_id"
                " where i.person_id = %s and f.status in ('due', 'overdue')"
                " order by f.body->>'due_at', f.id",
                (person_id,),
            ).fetchall()
        return [cast("FindingDict", body) for (body,) in rows]

    def outbox(self) -> list[Event]:
        """Every event written to the outbox, in order, loaded back."""
        with self._lock, self._conn.transaction():
            rows = self._conn.execute("select body from outbox order by seq").fetchall()
        return [load_event(body) for (body,) in rows]

    def counts(self) -> dict[str, int]:
        """Rows per table: incidents, findings and outbox."""
        with self._lock, self._conn.transaction():
            return {
                table: _one(self._conn.execute(f"select count(*) from {table}"))[0]  # noqa: S608 (fixed names)
                for table in ("incidents", "findings", "outbox")
            }


def _one(cursor: psycopg.Cursor[tuple[Any, ...]]) -> tuple[Any, ...]:
    row = cursor.fetchone()
    if row is None:
        msg = "expected a row"
        raise LookupError(msg)
    return row
