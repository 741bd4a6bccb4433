"""
A hand-written baseline: DB001, DB002 and SG001 over model objects, with no engine.

It computes the same decisions as the engine restricted to those three rules (rule,
incident, key, status, deadline), as directly as Python allows, so that the engine's
overhead can be stated as a ratio. It is the yardstick, not an alternative: it has no
configuration, no messages, no evidence paths and no fault isolation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from trauma_incidents._calendar import Duration
from trauma_incidents.model import Audience, DebriefStatus, Incident

_UTC = timezone.utc
_DAY, _THREE_DAYS = timedelta(hours=24), timedelta(hours=72)
_TWO_WORKING_DAYS = Duration.parse("2wd")

Row = tuple[str, str, str | None, str, datetime]


def _status(met: datetime | None, due: datetime, at: datetime) -> str | None:
    if met is not None:
        return None if met <= due else "late"
    return "due" if at <= due else "overdue"


def _ri_anchor(incident: Incident, at: datetime) -> datetime | None:
    latest = None
    for iv in incident.interventions:
        if not iv.is_restrictive or (iv.started_at is not None and iv.started_at > at):
            continue
        if iv.ended_at is not None and iv.ended_at > at:
            return None
        t = iv.ended_at or iv.started_at or incident.occurred_at
        latest = t if latest is None or t > latest else latest
    return latest


def _debriefs(incident: Incident, at: datetime, rows: list[Row]) -> None:
    anchor = _ri_anchor(incident, at)
    if anchor is None:
        return
    staff = [
        d.at for d in incident.debriefs
        if d.audience is Audience.STAFF and d.status is DebriefStatus.HELD and d.at <= at
    ]  # fmt: skip
    person = [d.at for d in incident.debriefs if d.audience is Audience.PERSON and d.at <= at]
    for rule, times, span in (("DB001", staff, _DAY), ("DB002", person, _THREE_DAYS)):
        due = anchor.astimezone(_UTC) + span
        status = _status(min(times) if times else None, due, at)
        if status:
            rows.append((rule, incident.id, None, status, due))


def _stages(incident: Incident, at: datetime, rows: list[Row]) -> None:
    if incident.safeguarding is None:
        return
    seen: dict[str, int] = {}
    for s in sorted(incident.safeguarding.stages, key=lambda s: s.entered_at):
        if s.entered_at > at:
            continue
        n = seen[s.stage.value] = seen.get(s.stage.value, 0) + 1
        key = s.stage.value if n == 1 else f"{s.stage.value}#{n}"
        met = s.explanation.at if s.explanation and s.explanation.at <= at else None
        due = _TWO_WORKING_DAYS.after(s.entered_at)
        status = _status(met, due, at)
        if status:
            rows.append(("SG001", incident.id, key, status, due))


def baseline(incidents: Iterable[Incident], at: datetime) -> list[Row]:
    """The three rules' decisions for *incidents* as of *at*."""
    rows: list[Row] = []
    for incident in incidents:
        if incident.occurred_at > at or (incident.reported_at or incident.occurred_at) > at:
            continue
        _debriefs(incident, at, rows)
        _stages(incident, at, rows)
    return rows
