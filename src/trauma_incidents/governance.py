"""
Governance records beside incidents: review meetings, reflective supervision, thematic reviews.

`read_governance` reads a governance file (one JSON object with the arrays ``meetings``,
``supervisions`` and ``thematic_reviews``, or NDJSON with a ``record_type`` on each line) into
`GovernanceRecords`, with a `RecordError` for each record that could not be read. Pass the
records to `trauma_incidents.RuleSet.evaluate` for the cross-incident ``governance`` pack
(see ``docs/format.md`` and ``docs/governance.md``).
"""

from __future__ import annotations

from trauma_incidents._batch import RecordError
from trauma_incidents._governance import (
    GovernanceRecords,
    IncidentReviewMeeting,
    ReviewScope,
    SupervisionSession,
    ThematicReview,
)
from trauma_incidents._governance_load import RECORD_TYPES, read_governance
from trauma_incidents._schema import governance_schema

__all__ = [
    "RECORD_TYPES",
    "GovernanceRecords",
    "IncidentReviewMeeting",
    "RecordError",
    "ReviewScope",
    "SupervisionSession",
    "ThematicReview",
    "governance_schema",
    "read_governance",
]
