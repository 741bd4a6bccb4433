"""What cross-incident rules share: a person's incidents in time order, the earliest evidence."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from trauma_incidents.model._incident import Incident
from trauma_incidents.rules._selectors import Candidate


def by_person(incidents: Sequence[Incident]) -> dict[str, list[Incident]]:
    """Each person's incidents in time order (ties in input order), persons in input order."""
    people: dict[str, list[Incident]] = {}
    for incident in incidents:
        people.setdefault(incident.person_id, []).append(incident)
    return {p: sorted(history, key=lambda i: i.occurred_at) for p, history in people.items()}


def earliest(candidates: Iterable[Candidate], at: datetime) -> Candidate | None:
    """The earliest of *candidates* dated at or before *at*, if any."""
    dated = [c for c in candidates if c.at is not None and c.at <= at]
    return min(dated, default=None)
