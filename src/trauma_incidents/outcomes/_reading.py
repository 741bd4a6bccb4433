"""Reading an outcome file: one JSON object with two arrays, or NDJSON with ``record_type``."""

from __future__ import annotations

from collections.abc import Iterator

from trauma_incidents.errors import LoadProblem
from trauma_incidents.loading._batch import BadRecord, Source
from trauma_incidents.loading._files import RecordFile, read_records
from trauma_incidents.outcomes._records import Activity, OutcomeRecord, WellbeingCheck

__all__ = ["RECORD_TYPES", "read_outcomes"]

#: NDJSON ``record_type`` values, with the array (object form) and class of each.
RECORD_TYPES: dict[str, tuple[str, type[OutcomeRecord]]] = {
    "activity": ("activities", Activity),
    "wellbeing_check": ("wellbeing_checks", WellbeingCheck),
}


def _no_check(_record: OutcomeRecord, _path: str) -> list[LoadProblem]:
    return []  # each field is checked alone; no check across fields


_OUTCOMES = RecordFile(
    noun="an outcome file",
    arrays=dict(RECORD_TYPES.values()),
    record_types={kind: array for kind, (array, _) in RECORD_TYPES.items()},
    object_form=lambda doc: "record_type" not in doc,
    check=_no_check,
)


def read_outcomes(
    source: Source, *, ignore_unknown_keys: bool = False, source_name: str | None = None
) -> Iterator[OutcomeRecord | BadRecord]:
    """
    Yield each outcome record of *source* in order, or a `BadRecord` saying why not.

    The same shape as `trauma_incidents.governance.read_governance`; gather the good records
    with `Outcomes.from_records` (`trauma_incidents.loading.partition` splits the two). A
    document that is one JSON object without ``record_type`` is the object form
    (``{"activities": [...], "wellbeing_checks": [...]}``, yielded array by array); anything
    else is NDJSON, one record per line, each with ``record_type`` (``activity`` or
    ``wellbeing_check``). Problem paths are ``$.activities[2].at`` in the object form and
    ``$.at`` (with the line) in NDJSON. A second record of a kind with the same id is a
    `BadRecord` (the first is kept).

    Raises:
        OSError: When a path cannot be opened or read. Bad data never raises.
    """
    return read_records(
        source, _OUTCOMES, ignore_unknown_keys=ignore_unknown_keys, source_name=source_name
    )
