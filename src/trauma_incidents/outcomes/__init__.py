"""
Outcome records beside incidents: the person's activities and wellbeing checks.

They are the evidence that a change worked (`trauma_incidents.analysis.effectiveness`, the
``effect`` command): how activities went, and distress, anxiety and wellbeing ratings over
time. `read_outcomes` reads an outcome file (one JSON object with the arrays ``activities``
and ``wellbeing_checks``, or NDJSON with a ``record_type`` of ``activity`` or
``wellbeing_check`` on each line) and yields each record, or a `BadRecord` for each that could
not be read, as `trauma_incidents.governance.read_governance` does (see ``docs/format.md``)::

    records, bad = partition(read_outcomes("outcomes.ndjson"))
    outcomes = Outcomes.from_records(records)
"""

from __future__ import annotations

from trauma_incidents.loading._batch import BadRecord
from trauma_incidents.loading._schema import outcome_schema
from trauma_incidents.outcomes._reading import RECORD_TYPES, read_outcomes
from trauma_incidents.outcomes._records import (
    Activity,
    ActivityKind,
    ActivityOutcome,
    CheckMethod,
    Measure,
    OutcomeRecord,
    Outcomes,
    WellbeingCheck,
)

__all__ = [
    "RECORD_TYPES",
    "Activity",
    "ActivityKind",
    "ActivityOutcome",
    "BadRecord",
    "CheckMethod",
    "Measure",
    "OutcomeRecord",
    "Outcomes",
    "WellbeingCheck",
    "outcome_schema",
    "read_outcomes",
]
