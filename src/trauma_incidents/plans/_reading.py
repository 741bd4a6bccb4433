"""
Reading a support plans file: ``{"support_plans": [...]}``, or NDJSON with one plan a line.

As with incidents and governance records, a bad plan never stops the file: it becomes a
`BadRecord` naming the source, its place and each problem's JSON path, and the good plans are
kept. Messages name types and paths, never free text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from trauma_incidents.errors import LoadProblem
from trauma_incidents.loading._batch import BadRecord, Source
from trauma_incidents.loading._files import RecordFile, read_records
from trauma_incidents.plans._records import SupportPlan

__all__ = ["read_support_plans"]

_ARRAY = "support_plans"


def _check(plan: Any, path: str) -> list[LoadProblem]:
    if plan.review_by is not None and plan.review_by < plan.effective_from:
        message = f"must not be before effective_from ({plan.effective_from.isoformat()})"
        return [LoadProblem(f"{path}.review_by", message)]
    return []


_FILE = RecordFile(
    noun="a support plans file",
    arrays={_ARRAY: SupportPlan},
    record_types={},
    object_form=lambda doc: _ARRAY in doc or "schema_version" in doc,
    check=_check,
)


def read_support_plans(
    source: Source, *, ignore_unknown_keys: bool = False, source_name: str | None = None
) -> Iterator[SupportPlan | BadRecord]:
    """
    Yield each support plan version of *source* in order, or a `BadRecord` saying why not.

    The same shape as `trauma_incidents.governance.read_governance`; gather the good plans
    with `SupportPlans.from_records` (`trauma_incidents.loading.partition` splits the two).
    A document that is one JSON object with ``support_plans`` (or ``schema_version``) is the
    object form; anything else is NDJSON, one plan per line. Problem paths are
    ``$.support_plans[2].review_by`` in the object form and ``$.review_by`` (with the line)
    in NDJSON. A second plan with the same id is a `BadRecord` (the first is kept).

    Raises:
        OSError: When a path cannot be opened or read. Bad data never raises.
    """
    return read_records(
        source, _FILE, ignore_unknown_keys=ignore_unknown_keys, source_name=source_name
    )
