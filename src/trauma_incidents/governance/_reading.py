"""
Reading a governance file: one JSON object with three arrays, or NDJSON with ``record_type``.

As with incidents, a bad record never stops the file: it becomes a `BadRecord` naming the
source, its place and each problem's JSON path, and the good records are kept. Messages name
types and paths, never free text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from trauma_incidents.errors import LoadProblem
from trauma_incidents.governance._records import (
    GovernanceRecord,
    IncidentReviewMeeting,
    SupervisionSession,
    ThematicReview,
)
from trauma_incidents.loading._batch import BadRecord, Source
from trauma_incidents.loading._files import RecordFile, read_records

__all__ = ["RECORD_TYPES", "read_governance"]

_Record = IncidentReviewMeeting | SupervisionSession | ThematicReview

#: NDJSON ``record_type`` values, with the array (object form) and class of each.
RECORD_TYPES: dict[str, tuple[str, type[_Record]]] = {
    "meeting": ("meetings", IncidentReviewMeeting),
    "supervision": ("supervisions", SupervisionSession),
    "thematic_review": ("thematic_reviews", ThematicReview),
}


def _check(record: Any, path: str) -> list[LoadProblem]:
    if isinstance(record, ThematicReview) and record.period_to < record.period_from:
        message = f"must not be before period_from ({record.period_from.isoformat()})"
        return [LoadProblem(f"{path}.period_to", message)]
    return []


_FILE = RecordFile(
    noun="a governance file",
    arrays=dict(RECORD_TYPES.values()),
    record_types={kind: array for kind, (array, _) in RECORD_TYPES.items()},
    object_form=lambda doc: "record_type" not in doc,
    check=_check,
)


def read_governance(
    source: Source, *, ignore_unknown_keys: bool = False, source_name: str | None = None
) -> Iterator[GovernanceRecord | BadRecord]:
    """
    Yield each governance record of *source* in order, or a `BadRecord` saying why not.

    The same shape as `trauma_incidents.loading.read_incidents`; gather the good records with
    `GovernanceRecords.from_records` (`trauma_incidents.loading.partition` splits the two).
    A document that is one JSON object without ``record_type`` is the object form
    (``{"meetings": [...], "supervisions": [...], "thematic_reviews": [...]}``, yielded array
    by array); anything else is NDJSON, one record per line, each with ``record_type``
    (``meeting``, ``supervision`` or ``thematic_review``). Problem paths are
    ``$.meetings[2].held_at`` in the object form and ``$.held_at`` (with the line) in NDJSON.
    A second record of a kind with the same id is a `BadRecord` (the first is kept).

    Raises:
        OSError: When a path cannot be opened or read. Bad data never raises.
    """
    return read_records(
        source, _FILE, ignore_unknown_keys=ignore_unknown_keys, source_name=source_name
    )
