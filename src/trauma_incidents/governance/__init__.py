"""
Governance records beside incidents: review meetings, reflective supervision, thematic reviews.

`read_governance` reads a governance file (one JSON object with the arrays ``meetings``,
``supervisions`` and ``thematic_reviews``, or NDJSON with a ``record_type`` on each line) and
yields each record, or a `BadRecord` for each that could not be read: the same shape as
`trauma_incidents.loading.read_incidents`. Gather the good ones with
`GovernanceRecords.from_records` and pass them to `trauma_incidents.engine.RuleSet.evaluate`
for the cross-incident ``governance`` pack (see ``docs/format.md`` and ``docs/governance.md``)::

    records, bad = partition(read_governance("governance.json"))
    governance = GovernanceRecords.from_records(records)
"""

from __future__ import annotations

from typing import Any

from trauma_incidents.errors import _moved
from trauma_incidents.governance._reading import RECORD_TYPES, read_governance
from trauma_incidents.governance._records import (
    GovernanceRecord,
    GovernanceRecords,
    IncidentReviewMeeting,
    ReviewScope,
    SupervisionSession,
    ThematicReview,
)
from trauma_incidents.loading._batch import BadRecord
from trauma_incidents.loading._schema import governance_schema

__all__ = [
    "RECORD_TYPES",
    "BadRecord",
    "GovernanceRecord",
    "GovernanceRecords",
    "IncidentReviewMeeting",
    "ReviewScope",
    "SupervisionSession",
    "ThematicReview",
    "governance_schema",
    "read_governance",
]


def __getattr__(name: str) -> Any:
    return _moved(__name__, name, {"RecordError": "trauma_incidents.loading:BadRecord"})
