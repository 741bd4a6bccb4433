"""
An `Incident`'s cross-field checks: orders of times and unique action ids.

They span fields, so they cannot be attrs validators on one field; `Incident` runs them
when it is built, however it is built. Each returns problems rather than raising, so a
record's problems are all reported together. Timestamps are echoed in messages: they are
not free text. Paths are built only for a problem found.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from trauma_incidents.errors import LoadProblem

if TYPE_CHECKING:
    from trauma_incidents.model._incident import Incident
    from trauma_incidents.model._parts import Safeguarding

__all__ = ["check_incident"]


def check_incident(incident: Incident) -> list[LoadProblem]:
    """Return every domain problem in *incident*, in field order; empty when there is none."""
    problems = _check_times(incident)
    if incident.safeguarding is not None:
        problems += _check_safeguarding(incident.safeguarding, incident.occurred_at)
    occurred = incident.occurred_at
    for i, notification in enumerate(incident.notifications):
        if notification.sent_at < occurred:
            path = f"$.notifications[{i}].sent_at"
            problems.append(_before(path, notification.sent_at, "occurred_at", occurred))
    if len(incident.actions) > 1:
        problems += _check_action_ids(incident)
    if incident.candour is not None and incident.candour.decided_at < occurred:
        decided = incident.candour.decided_at
        problems.append(_before("$.candour.decided_at", decided, "occurred_at", occurred))
    return problems


def _check_times(incident: Incident) -> list[LoadProblem]:
    """Check the times of the fields before `safeguarding`."""
    problems = []
    occurred = incident.occurred_at
    if incident.reported_at is not None and incident.reported_at < occurred:
        problems.append(_before("$.reported_at", incident.reported_at, "occurred_at", occurred))
    for i, intervention in enumerate(incident.interventions):
        start, end = intervention.started_at, intervention.ended_at
        if start is not None and end is not None and end < start:
            problems.append(_before(f"$.interventions[{i}].ended_at", end, "started_at", start))
    for i, debrief in enumerate(incident.debriefs):
        if debrief.at < occurred:
            problems.append(_before(f"$.debriefs[{i}].at", debrief.at, "occurred_at", occurred))
    for i, review in enumerate(incident.reviews):
        if review.completed_at < occurred:
            path = f"$.reviews[{i}].completed_at"
            problems.append(_before(path, review.completed_at, "occurred_at", occurred))
    return problems


def _check_safeguarding(safeguarding: Safeguarding, occurred: datetime) -> list[LoadProblem]:
    problems = []
    for i, stage in enumerate(safeguarding.stages):
        entered = stage.entered_at
        if entered < occurred:
            path = f"$.safeguarding.stages[{i}].entered_at"
            problems.append(_before(path, entered, "occurred_at", occurred))
        if stage.explanation is not None and stage.explanation.at < entered:
            path = f"$.safeguarding.stages[{i}].explanation.at"
            problems.append(_before(path, stage.explanation.at, "the stage's entered_at", entered))
    return problems


def _check_action_ids(incident: Incident) -> list[LoadProblem]:
    problems = []
    first_index: dict[str, int] = {}
    for i, action in enumerate(incident.actions):
        first = first_index.setdefault(action.id, i)
        if first != i:
            message = f"duplicate action id (the same as $.actions[{first}].id)"
            problems.append(LoadProblem(f"$.actions[{i}].id", message))
    return problems


def _before(path: str, value: datetime, anchor_name: str, anchor: datetime) -> LoadProblem:
    message = f"must not be before {anchor_name} ({anchor.isoformat()}), got {value.isoformat()}"
    return LoadProblem(path, message)
