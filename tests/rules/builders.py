"""
Builders and helpers for the rule tests, on top of `trauma_incidents.testing`.

The debrief, review, notification, safeguarding and action builders are the library's own
(re-exported here). `incident` and `restraint` stay local on purpose: a rule test needs an
incident no rule applies to by default (category ``other``, not distress), and a restraint
whose end is an explicit constant (`T0` + 10 minutes) so deadlines read plainly.
Every record is synthetic. Times default around `T0`, Monday 2 March 2026 (GMT).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs

from trauma_incidents._calendar import when_text
from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet
from trauma_incidents.model import (
    Capacity,
    Category,
    Incident,
    InjuredParty,
    Injury,
    InjurySeverity,
    Intervention,
    InterventionKind,
    LegalBasis,
    Position,
    Severity,
)
from trauma_incidents.packs import builtin_packs
from trauma_incidents.rules import Evidence, Finding, FindingSeverity, RuleMeta, Status
from trauma_incidents.testing import (
    LEARNING_TOPICS,
    T0,
    action,
    notification,
    person_debrief,
    review,
    safeguarding,
    staff_debrief,
    stage,
)

__all__ = [
    "BST",
    "DAY",
    "DISTRESS",
    "HOUR",
    "LEARNING_TOPICS",
    "MINUTE",
    "T0",
    "TICK",
    "UTC",
    "Deadline",
    "DeadlineContract",
    "action",
    "add",
    "findings",
    "incident",
    "injury",
    "notification",
    "one",
    "person_debrief",
    "restraint",
    "review",
    "ruleset",
    "safeguarding",
    "staff_debrief",
    "stage",
    "stamp",
    "statuses",
    "support",
    "when",
]

UTC = timezone.utc
BST = timezone(timedelta(hours=1))
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
TICK = timedelta(microseconds=1)
DISTRESS = (Category.BEHAVIOURAL_DISTRESS,)


def incident(**overrides: Any) -> Incident:
    """An incident with no response recorded; *overrides* replace any field."""
    fields: dict[str, Any] = {
        "id": "INC-0001",
        "person_id": "PER-001",
        "service_id": "SVC-NORTH",
        "occurred_at": T0,
        "categories": (Category.OTHER,),
        "severity": Severity.NO_HARM,
        "summary": "The person was supported to go for a walk.",
    }
    return Incident(**(fields | overrides))


def restraint(**overrides: Any) -> Intervention:
    """A fully recorded physical restraint from `T0` (or its start) for 10 minutes (MCA s5-s6)."""
    start = overrides.get("started_at") or T0
    fields: dict[str, Any] = {
        "kind": InterventionKind.PHYSICAL_RESTRAINT,
        "started_at": T0,
        "ended_at": start + 10 * MINUTE,
        "reason": "to prevent harm",
        "position": Position.STANDING,
        "staff_ids": ("ST-101", "ST-102"),
        "in_support_plan": True,
        "legal_basis": LegalBasis.MCA_BEST_INTERESTS,
        "capacity": Capacity.LACKS,
    }
    return Intervention(**(fields | overrides))


def support(start: datetime | None = T0 - 5 * MINUTE, **overrides: Any) -> Intervention:
    """A non-restrictive intervention (verbal de-escalation)."""
    fields: dict[str, Any] = {"kind": InterventionKind.VERBAL_DEESCALATION, "started_at": start}
    return Intervention(**(fields | overrides))


def injury(
    who: InjuredParty = InjuredParty.STAFF,
    severity: InjurySeverity = InjurySeverity.MINOR,
    *,
    days_incapacitated: int | None = 0,
    specified_injury: bool = False,
) -> Injury:
    """An injury, to staff unless told otherwise."""
    return Injury(
        who=who,
        severity=severity,
        days_incapacitated=days_incapacitated,
        specified_injury=specified_injury,
    )


def add(inc: Incident, **more: tuple[Any, ...]) -> Incident:
    """*inc* with items appended to its tuple fields: ``add(inc, debriefs=(d,))``."""
    changes: dict[str, Any] = {k: (*getattr(inc, k), *v) for k, v in more.items()}
    return attrs.evolve(inc, **changes)


def ruleset(config: Mapping[str, Any] | None = None) -> RuleSet:
    """The default packs with *config* (the dict form of the TOML)."""
    return RuleSet.compile(Config.from_dict(config or {}))


_DEFAULT = ruleset()


def findings(
    inc: Incident, at: datetime, code: str | None = None, config: Mapping[str, Any] | None = None
) -> list[Finding]:
    """The findings about *inc* as of *at* (of rule *code* only, if given); no rule may fail."""
    report = (_DEFAULT if config is None else ruleset(config)).evaluate([inc], at=at)
    assert report.faults == ()
    return [f for f in report.findings if code is None or f.rule == code]


def one(
    inc: Incident, at: datetime, code: str, config: Mapping[str, Any] | None = None
) -> Finding | None:
    """The single finding of rule *code*, or ``None``."""
    found = findings(inc, at, code, config)
    assert len(found) <= 1, found
    return found[0] if found else None


def statuses(
    inc: Incident, at: datetime, code: str, config: Mapping[str, Any] | None = None
) -> dict[str | None, Status]:
    """Rule *code*'s findings as ``{key: status}``."""
    return {f.key: f.status for f in findings(inc, at, code, config)}


def when(t: datetime) -> str:
    """A time as messages show it (UK local time)."""
    return when_text(t)


def stamp(t: datetime) -> str:
    """A time as evidence records it."""
    return t.isoformat()


@attrs.frozen(kw_only=True)
class Deadline:
    """
    A deadline rule described for the shared contract tests (`DeadlineContract`).

    Attributes:
        code: The rule.
        subject: An incident the rule applies to, with no evidence.
        due: The deadline for `subject` under the default options.
        basis: The evidence the deadline is computed from: (path, time).
        provide: Add evidence at a time to an incident.
        evidence_path: Where the first added evidence lives.
        obligation: The obligation as messages start.
        reason: The reason in brackets in messages.
        key: The finding's key.
        longer: A value of `option` that moves the deadline later, and the deadline then.
        option: The option that sets the span (``within`` for most rules).
        label: The test id, when a rule has several deadline cases.
    """

    code: str
    subject: Incident
    due: datetime
    basis: tuple[str, datetime]
    provide: Callable[[Incident, datetime], Incident]
    evidence_path: str
    obligation: str
    reason: str
    key: str | None = None
    longer: tuple[str, datetime] | None = None
    option: str = "within"
    label: str = ""

    def __str__(self) -> str:
        return self.label or self.code


class DeadlineContract:
    """
    What every deadline rule does; subclass with a ``case`` fixture giving a `Deadline`.

    Evidence exactly at the deadline is on time; at exactly the deadline an open obligation
    is still due; anything dated after the evaluation time counts as not recorded.
    """

    def test_open_at_the_deadline_is_due(self, case: Deadline) -> None:
        """At exactly the deadline, with nothing recorded, the obligation is due."""
        expected = Finding(
            rule=case.code,
            incident_id="INC-0001",
            key=case.key,
            status=Status.DUE,
            severity=_severity(case.code),
            message=f"{case.obligation} is due by {when(case.due)} ({case.reason}).",
            due_at=case.due,
            evidence=(Evidence(case.basis[0], stamp(case.basis[1])),),
            sources=_sources(case.code),
        )

        assert [expected] == findings(case.subject, case.due, case.code)

    def test_open_after_the_deadline_is_overdue(self, case: Deadline) -> None:
        """One microsecond after the deadline, with nothing recorded, it is overdue."""
        found = one(case.subject, case.due + TICK, case.code)

        assert found is not None
        assert (Status.OVERDUE, case.key, case.due, None) == (
            found.status,
            found.key,
            found.due_at,
            found.satisfied_at,
        )
        assert (
            f"{case.obligation} was due by {when(case.due)} ({case.reason}) and is not recorded."
        ) == found.message

    def test_met_on_time_finds_nothing(self, case: Deadline) -> None:
        """Evidence well before the deadline meets it."""
        inc = case.provide(case.subject, case.due - HOUR)

        assert not findings(inc, case.due + 30 * DAY, case.code)

    def test_evidence_exactly_at_the_deadline_is_on_time(self, case: Deadline) -> None:
        """The deadline is inclusive."""
        inc = case.provide(case.subject, case.due)

        assert not findings(inc, case.due + 30 * DAY, case.code)

    def test_evidence_after_the_deadline_is_late(self, case: Deadline) -> None:
        """Evidence after the deadline meets it late, and the finding says when."""
        met = case.due + MINUTE
        inc = case.provide(case.subject, met)

        found = one(inc, met + DAY, case.code)

        assert found is not None
        assert (Status.LATE, case.key, case.due, met) == (
            found.status,
            found.key,
            found.due_at,
            found.satisfied_at,
        )
        assert (
            f"{case.obligation} was recorded at {when(met)},"
            f" after the deadline of {when(case.due)} ({case.reason})."
        ) == found.message
        assert (
            Evidence(case.basis[0], stamp(case.basis[1])),
            Evidence(case.evidence_path, stamp(met)),
        ) == found.evidence

    def test_evidence_after_the_evaluation_time_is_not_recorded(self, case: Deadline) -> None:
        """Evidence dated after the evaluation time does not count, yet."""
        inc = case.provide(case.subject, case.due - HOUR)

        assert {case.key: Status.DUE} == statuses(inc, case.due - 2 * HOUR, case.code)
        assert not statuses(inc, case.due - HOUR, case.code)

    def test_within_moves_the_deadline(self, case: Deadline) -> None:
        """A longer span makes an overdue obligation due, and late evidence on time."""
        if case.longer is None:
            return
        within, later = case.longer
        config = {"rules": {case.code: {case.option: within}}}
        at = case.due + HOUR
        late = case.provide(case.subject, case.due + MINUTE)

        found = one(case.subject, at, case.code, config)

        assert found is not None
        assert (Status.DUE, later) == (found.status, found.due_at)
        assert {case.key: Status.OVERDUE} == statuses(case.subject, at, case.code)
        assert not statuses(late, at, case.code, config)

    def test_disabled_finds_nothing(self, case: Deadline) -> None:
        """``enabled = false`` switches the rule off."""
        config = {"rules": {case.code: {"enabled": False}}}

        assert not findings(case.subject, case.due + DAY, case.code, config)


def _meta(code: str) -> RuleMeta:
    return next(r.meta for p in builtin_packs().values() for r in p.rules if r.meta.code == code)


def _severity(code: str) -> FindingSeverity:
    return _meta(code).severity


def _sources(code: str) -> tuple[str, ...]:
    return _meta(code).sources
