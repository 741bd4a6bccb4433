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
_GAP = timedelta(hours=1)  # the default episode_gap
_TWO_WORKING_DAYS = Duration.parse("2wd")

Row = tuple[str, str, str | None, str, datetime]


def _status(met: datetime | None, due: datetime, at: datetime) -> str | None:
    if met is not None:
        return None if met <= due else "late"
    return "due" if at <= due else "overdue"


def _episodes(incident: Incident, at: datetime) -> list[tuple[str, datetime]]:
    """The key and end of each restrictive episode recorded by *at* and over by then."""
    occurred = incident.occurred_at
    timed = sorted(
        (iv.started_at or iv.ended_at or occurred, i, iv)
        for i, iv in enumerate(incident.interventions)
        if iv.is_restrictive and (iv.started_at or iv.ended_at or occurred) <= at
    )
    over: list[tuple[str, datetime]] = []
    key, end, going = "", occurred, False
    for n, (start, i, iv) in enumerate(timed):
        stop = iv.ended_at or iv.started_at or occurred
        still = iv.ended_at is not None and iv.ended_at > at
        if n and start <= end + _GAP:
            end, going = max(end, stop), going or still
            continue
        if n and not going:
            over.append((key, end))
        key, end, going = str(i), stop, still
    if timed and not going:
        over.append((key, end))
    return over


def _debriefs(incident: Incident, at: datetime, rows: list[Row]) -> None:
    for key, end in _episodes(incident, at):
        staff = [
            d.at for d in incident.debriefs
            if d.audience is Audience.STAFF and d.status is DebriefStatus.HELD and end <= d.at <= at
        ]  # fmt: skip
        person = [
            d.at for d in incident.debriefs if d.audience is Audience.PERSON and end <= d.at <= at
        ]
        for rule, times, span in (("DB001", staff, _DAY), ("DB002", person, _THREE_DAYS)):
            due = end.astimezone(_UTC) + span
            status = _status(min(times) if times else None, due, at)
            if status:
                rows.append((rule, incident.id, key, status, due))


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
