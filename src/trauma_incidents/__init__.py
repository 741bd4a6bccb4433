"""
trauma-incidents: trauma-informed incident management for adult social care.

The public API in one place: load incidents, evaluate them against rule packs, read the
report. Everything else lives in the public modules `model`, `loading`, `rules`, `packs`,
`config`, `errors`, `testing` and `strategies`.

>>> from datetime import datetime, timezone
>>> import trauma_incidents as ti
>>> incident = ti.load_incident({
...     "id": "INC-1", "person_id": "P-1", "service_id": "SVC-1",
...     "occurred_at": "2026-03-02T10:00:00Z", "categories": ["verbal_aggression"],
...     "severity": "low", "triggers": [{"kind": "sensory"}],
... })
>>> report = ti.evaluate([incident], at=datetime(2026, 3, 10, tzinfo=timezone.utc))
>>> [(f.rule, f.status.value) for f in report.findings]
[('LN002', 'overdue')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trauma_incidents.config import Config
from trauma_incidents.engine._findings_report import Report
from trauma_incidents.engine._json import FindingDict, ReportDict, dump_report, load_finding
from trauma_incidents.engine._json import finding_dict as dump_finding
from trauma_incidents.engine._ruleset import RuleSet, evaluate
from trauma_incidents.errors import IncidentLoadError, TraumaIncidentsError
from trauma_incidents.loading import dump_incident, load_incident, read_incidents
from trauma_incidents.model._incident import Incident
from trauma_incidents.rules._findings import Finding, FindingSeverity, Status

if TYPE_CHECKING:  # imported on first use: the analysis package is not needed to check
    from trauma_incidents.analysis._pseudonyms import pseudonym, pseudonymise

__all__ = [
    "Config",
    "Finding",
    "FindingDict",
    "FindingSeverity",
    "Incident",
    "IncidentLoadError",
    "Report",
    "ReportDict",
    "RuleSet",
    "Status",
    "TraumaIncidentsError",
    "dump_finding",
    "dump_incident",
    "dump_report",
    "evaluate",
    "load_finding",
    "load_incident",
    "pseudonym",
    "pseudonymise",
    "read_incidents",
]


def __getattr__(name: str) -> Any:
    if name in {"pseudonym", "pseudonymise"}:
        from trauma_incidents.analysis import _pseudonyms  # noqa: PLC0415 (lazy: see above)

        return getattr(_pseudonyms, name)
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 (lazy, as attrs does)

        return version("trauma-incidents")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return [*__all__, "__version__"]
