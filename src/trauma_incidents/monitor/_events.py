"""The monitor's events: what changed, their replay, and their JSON both ways."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, MutableMapping
from datetime import datetime
from typing import Any, Literal

import orjson
from attrs import frozen

from trauma_incidents._typeddict import TypedDict
from trauma_incidents.engine._json import FindingDict, finding_dict, loader, output_converter
from trauma_incidents.errors import (
    IncidentLoadError,
    MonitorDataError,
)
from trauma_incidents.loading._record import parse_json, render_error
from trauma_incidents.model._vocabularies import Vocabulary
from trauma_incidents.rules._findings import Finding, Status

OPEN = frozenset({Status.DUE, Status.OVERDUE})


class EventKind(Vocabulary):
    """What happened to a finding, or to an incident the monitor held."""

    OPENED = "opened"
    """A finding appears (any status but ``late``)."""
    OVERDUE = "overdue"
    """A ``due`` finding became ``overdue``: its deadline passed with nothing recorded."""
    MET = "met"
    """A ``due`` or ``overdue`` finding is gone: the evidence is recorded in time, or the
    record changed so that the obligation no longer applies."""
    MET_LATE = "met_late"
    """A finding became ``late``: the evidence is recorded, after the deadline."""
    WITHDRAWN = "withdrawn"
    """A finding that was not open is gone (the record changed, a waiver, or removal)."""
    UPDATED = "updated"
    """Any other change: a new deadline, message or evidence, or another status."""
    RELEASED = "released"
    """The incident is settled: nothing but a change to its record can change its findings,
    so the monitor stops re-checking it. Its findings stand; no finding is named."""


@frozen(kw_only=True)
class Event:
    """
    One change to one finding (or the release of one incident), at one time.

    Attributes:
        kind: See `EventKind`.
        at: The monitor's time when the change was seen.
        incident_id: The incident's id.
        rule: The finding's rule code; ``None`` for ``released``.
        finding_id: The finding's stable id; ``None`` for ``released``.
        finding: The finding now, or ``None`` when it is gone (and for ``released``).
        before: The finding before, or ``None`` when it is new, for ``released``, or when
            the monitor had released the incident (it keeps only a released incident's
            finding ids, statuses and digests, so the change is known but not the old value).
    """

    kind: EventKind
    at: datetime
    incident_id: str
    rule: str | None
    finding_id: str | None
    finding: Finding | None
    before: Finding | None


@frozen(kw_only=True)
class ReleasedFinding:
    """
    What the monitor keeps of a released incident's finding: enough to announce a change.

    Attributes:
        id: The finding's id.
        rule: Its rule's code.
        status: Its status when the incident was released.
        digest: A digest of the whole finding, to tell whether a new evaluation changed it.
    """

    id: str
    rule: str
    status: Status
    digest: str


@frozen(kw_only=True)
class Upserted:
    """
    What `Monitor.upsert` did: the events, and the incident's findings from that evaluation.

    Attributes:
        events: Every event of the call, in order (those of moving the clock first).
        findings: The upserted incident's findings (after waivers) at the monitor's time.
    """

    events: tuple[Event, ...]
    findings: tuple[Finding, ...]


def replay(
    events: Iterable[Event], state: MutableMapping[str, Finding] | None = None
) -> dict[str, Finding]:
    """
    Apply *events* in order to *state* (finding id to finding) and return the new state.

    Events loaded with `load_event` replay the same way. Each event sets a finding to its
    new value (or removes it), so replaying a run of events again and then the rest, as an
    at-least-once delivery does, gives the same state.
    """
    out = dict(state or {})
    for e in events:
        if e.finding_id is None:
            continue  # released: nothing changes
        if e.finding is None:
            out.pop(e.finding_id, None)
        else:
            out[e.finding_id] = e.finding
    return out


def kind_of(before: Status | None, after: Finding | None) -> EventKind:
    """
    The kind of a change from a finding with status *before* (``None``: none) to *after*.

    *after* is ``None`` when the finding is gone; the caller only asks about real changes.
    """
    if after is None:
        return EventKind.MET if before in OPEN else EventKind.WITHDRAWN
    if after.status is Status.LATE and before is not Status.LATE:
        return EventKind.MET_LATE
    if before is None:
        return EventKind.OPENED
    if before is Status.DUE and after.status is Status.OVERDUE:
        return EventKind.OVERDUE
    return EventKind.UPDATED


class EventDict(TypedDict):
    """The JSON shape of an `Event` (see ``data/event.schema.json``)."""

    kind: Literal["opened", "overdue", "met", "met_late", "withdrawn", "updated", "released"]
    at: str
    incident_id: str
    rule: str | None
    finding_id: str | None
    finding: FindingDict | None
    before: FindingDict | None


def dump_event(event: Event) -> EventDict:
    """*event* as a JSON-ready dict: times as ISO 8601 text, findings as in reports."""
    result: EventDict = output_converter().unstructure(event, Event)
    return result


def load_event(data: bytes | str | Mapping[str, Any]) -> Event:
    """
    Load an event from JSON text or a parsed object, as `dump_event` writes it.

    Raises:
        MonitorDataError: With every problem found, each with its JSON path; a finding
            whose ``id`` is not the one its rule, incident and key give is a problem.
    """
    try:
        obj = parse_json(data) if isinstance(data, bytes | str) else dict(data)
    except IncidentLoadError as e:
        raise MonitorDataError(e.problems, what="event") from None
    try:
        event: Event = loader().structure(obj, Event)
    except Exception as exc:  # noqa: BLE001 (rendered as problems, never re-raised)
        raise MonitorDataError(render_error(exc), what="event") from None
    return event


def finding_digest(finding: Finding) -> str:
    """A digest of *finding*'s JSON form: equal findings, equal digests, in any process."""
    raw = orjson.dumps(finding_dict(finding), option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(raw, digest_size=8).hexdigest()


def trace(finding: Finding) -> ReleasedFinding:
    """What the monitor keeps of *finding* when its incident is released."""
    return ReleasedFinding(
        id=finding.id, rule=finding.rule, status=finding.status, digest=finding_digest(finding)
    )


def changes(
    incident_id: str,
    before: Mapping[str, Finding] | tuple[ReleasedFinding, ...],
    after: Mapping[str, Finding],
    at: datetime,
) -> list[Event]:
    """
    The events from *before* to *after*, one incident's findings by id.

    *before* is the held findings, or a released incident's traces: then a finding whose
    digest is unchanged is no change, and a changed one's event has no ``before``.
    """
    old: Mapping[str, Finding | ReleasedFinding]
    old = before if isinstance(before, Mapping) else {r.id: r for r in before}
    events = []
    for i, new in after.items():
        was = old.get(i)
        if isinstance(was, ReleasedFinding):
            if was.digest != finding_digest(new):
                events.append(_event(kind_of(was.status, new), at, incident_id, new, None))
        elif was != new:
            events.append(
                _event(kind_of(None if was is None else was.status, new), at, incident_id, new, was)
            )
    for i, was in old.items():
        if i not in after:
            kept = was if isinstance(was, Finding) else None
            events.append(
                gone(
                    kind_of(was.status, None),
                    at=at,
                    incident_id=incident_id,
                    rule=was.rule,
                    finding_id=i,
                    before=kept,
                )
            )
    return events


def _event(
    kind: EventKind, at: datetime, incident_id: str, finding: Finding, before: Finding | None
) -> Event:
    return Event(
        kind=kind,
        at=at,
        incident_id=incident_id,
        rule=finding.rule,
        finding_id=finding.id,
        finding=finding,
        before=before,
    )


def gone(
    kind: EventKind,
    *,
    at: datetime,
    incident_id: str,
    rule: str | None,
    finding_id: str | None,
    before: Finding | None,
) -> Event:
    """An event with no finding after it: one gone (met, withdrawn), or a release."""
    return Event(
        kind=kind,
        at=at,
        incident_id=incident_id,
        rule=rule,
        finding_id=finding_id,
        finding=None,
        before=before,
    )
