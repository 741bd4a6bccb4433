"""Findings: what a rule says about one part of one incident at one time."""

from __future__ import annotations

import hashlib
from datetime import datetime

from attrs import Factory, field, frozen

from trauma_incidents.model._vocabularies import Vocabulary


class Status(Vocabulary):
    """What a finding says about an obligation or a practice."""

    DUE = "due"
    """Open, and its deadline has not passed (at exactly the deadline it is still due)."""
    OVERDUE = "overdue"
    """Open, and its deadline has passed."""
    LATE = "late"
    """Met, but after its deadline."""
    MISSING = "missing"
    """A required detail is absent; there is no deadline."""
    UNKNOWN = "unknown"
    """The rule cannot decide because data it needs is absent; the message names the field."""
    CONCERN = "concern"
    """A practice that needs attention."""


class FindingSeverity(Vocabulary):
    """How much attention a finding needs, from ``info`` to ``critical``."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


#: A JSON scalar recorded as evidence: never free text from the record.
EvidenceValue = str | int | bool | None


@frozen
class Evidence:
    """
    One value a decision used, with its JSON path in the incident.

    Attributes:
        path: Where the value is, such as ``$.debriefs[0].at``.
        value: The value (times as ISO 8601 strings, enums as their JSON string).
    """

    path: str
    value: EvidenceValue


def finding_id(rule: str, incident_id: str, key: str | None) -> str:
    """A stable id for the finding of *rule* about *key* of one incident."""
    raw = f"{rule}\x1f{incident_id}\x1f{'' if key is None else key}".encode()
    return hashlib.blake2b(raw, digest_size=8).hexdigest()


def _own_id(self: Finding) -> str:
    return finding_id(self.rule, self.incident_id, self.key)


@frozen(kw_only=True)
class Finding:
    """
    A rule's finding about one incident (or one part of it, named by `key`) at one time.

    Attributes:
        rule: The rule's code, such as ``DB001``.
        incident_id: The incident's id.
        key: Which part of the incident (a stage, an action id, an index), or ``None``.
        status: See `Status`.
        severity: The rule's configured severity.
        due_at: The deadline, when the rule has one.
        satisfied_at: When the obligation was met (for ``late`` findings).
        message: Plain English, without free text from the record.
        evidence: The paths and values the decision used.
        sources: IDs of the requirements behind the rule.
        id: Stable across runs: derived from rule, incident and key.
    """

    rule: str
    incident_id: str
    key: str | None
    status: Status
    severity: FindingSeverity
    due_at: datetime | None = None
    satisfied_at: datetime | None = None
    message: str
    evidence: tuple[Evidence, ...] = ()
    sources: tuple[str, ...] = ()
    id: str = field(init=False, default=Factory(_own_id, takes_self=True))
