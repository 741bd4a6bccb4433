"""
Governance records kept beside incidents: review meetings, supervision and thematic reviews.

They follow the incident format's conventions (``docs/format.md``): frozen attrs classes,
pseudonymous ids, aware times, and free text (themes, findings, changes, actions agreed) left
out of reprs and never shown in any output.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Literal

from attrs import field, frozen

from trauma_incidents.model._validators import aware, identifier
from trauma_incidents.model._vocabularies import Vocabulary

__all__ = [
    "GovernanceRecord",
    "GovernanceRecords",
    "IncidentReviewMeeting",
    "ReviewScope",
    "SupervisionSession",
    "ThematicReview",
]


class ReviewScope(Vocabulary):
    """What a thematic review looked across: one person's incidents, or a service's."""

    PERSON = "person"
    SERVICE = "service"


@frozen(kw_only=True)
class GovernanceRecord:
    """
    What every governance record has: its id, unique among the records of its kind.

    The kinds are `IncidentReviewMeeting`, `SupervisionSession` and `ThematicReview`.
    """

    id: str = field(validator=identifier)


@frozen(kw_only=True)
class IncidentReviewMeeting(GovernanceRecord):
    """
    A meeting that reviewed incidents together and agreed actions (SAF-LEARNING-CULTURE).

    ``themes`` and ``actions_agreed`` are free text (or action ids): only counted, never shown.
    """

    held_at: datetime = field(validator=aware)
    service_id: str = field(validator=identifier)
    incidents_discussed: tuple[str, ...] = ()
    themes: tuple[str, ...] = field(default=(), repr=False)
    actions_agreed: tuple[str, ...] = field(default=(), repr=False)


@frozen(kw_only=True)
class SupervisionSession(GovernanceRecord):
    """A reflective supervision session in which a member of staff reflected on incidents."""

    staff_id: str = field(validator=identifier)
    held_at: datetime = field(validator=aware)
    incidents_reflected_on: tuple[str, ...] = ()


@frozen(kw_only=True)
class ThematicReview(GovernanceRecord):
    """
    A thematic review across a person's or a service's incidents in a period (PSIRF-METHODS).

    ``period_from`` and ``period_to`` are inclusive dates (Europe/London); ``findings`` and
    ``changes`` are free text: only counted, never shown.
    """

    completed_at: datetime = field(validator=aware)
    scope: ReviewScope
    scope_id: str = field(validator=identifier)
    period_from: date
    period_to: date
    findings: tuple[str, ...] = field(default=(), repr=False)
    changes: tuple[str, ...] = field(default=(), repr=False)


@frozen(kw_only=True)
class GovernanceRecords:
    """
    Every governance record of a batch, each kind in file order.

    Attributes:
        meetings: Incident review meetings.
        supervisions: Reflective supervision sessions.
        thematic_reviews: Thematic reviews.
        schema_version: The format version of a governance file.
    """

    meetings: tuple[IncidentReviewMeeting, ...] = ()
    supervisions: tuple[SupervisionSession, ...] = ()
    thematic_reviews: tuple[ThematicReview, ...] = ()
    schema_version: Literal["1"] = "1"

    @classmethod
    def from_records(cls, records: Iterable[GovernanceRecord]) -> GovernanceRecords:
        """Gather *records* of any kind, each kind keeping its order (as read)."""
        held = list(records)
        return cls(
            meetings=tuple(r for r in held if isinstance(r, IncidentReviewMeeting)),
            supervisions=tuple(r for r in held if isinstance(r, SupervisionSession)),
            thematic_reviews=tuple(r for r in held if isinstance(r, ThematicReview)),
        )
