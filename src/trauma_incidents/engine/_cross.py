"""
Running cross-incident rules (`trauma_incidents.rules.CrossRule`) over a batch.

The engine runs cross rules after the per-incident rules and turns their verdicts into
findings the same way (ids, severity, sources, waivers), so a report cannot tell the two apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from attrs import frozen

from trauma_incidents._calendar import LONDON
from trauma_incidents.engine._compiled import Dated, reduced
from trauma_incidents.engine._findings_report import RuleFault
from trauma_incidents.engine._guard import verdicts_of
from trauma_incidents.errors import InvalidVerdict, RuleError
from trauma_incidents.governance._records import GovernanceRecords
from trauma_incidents.model._incident import Incident
from trauma_incidents.plans._records import SupportPlans
from trauma_incidents.rules._context import Context
from trauma_incidents.rules._cross import BATCH, CrossCheck, CrossRule
from trauma_incidents.rules._findings import Finding, FindingSeverity
from trauma_incidents.rules._metadata import RuleMeta
from trauma_incidents.rules._shapes import Verdict, finding_from

__all__ = [
    "PLANS_PACK",
    "CompiledCrossRule",
    "first_of_each_id",
    "known_by",
    "run_cross",
    "runnable",
]

#: The pack whose rules run only when support plans are supplied.
PLANS_PACK = "plans"


@frozen(kw_only=True)
class CompiledCrossRule(Dated):
    """
    A cross rule with its configuration resolved: ready to run over a batch.

    Attributes mirror `trauma_incidents.rules.CompiledRule`; the effective dates apply to the
    incident each verdict is attached to.
    """

    meta: RuleMeta
    rule: CrossRule
    pack: str
    severity: FindingSeverity
    options: Mapping[str, Any]
    check: CrossCheck
    effective_from: date | None = None
    effective_to: date | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the declaration and options; compile again on loading (checks are closures)."""
        return reduced(self, _PICKLED, _recompile)


_PICKLED = ("meta", "rule", "pack", "severity", "options", "effective_from", "effective_to")


def _recompile(fields: dict[str, Any]) -> CompiledCrossRule:
    return CompiledCrossRule(check=fields["rule"].compile_batch(fields["options"]), **fields)


def first_of_each_id(incidents: Iterable[Incident]) -> dict[str, Incident]:
    """The first incident with each id, by id, in input order: a later one is a repeat."""
    first: dict[str, Incident] = {}
    for incident in incidents:
        first.setdefault(incident.id, incident)
    return first


def known_by(incidents: Iterable[Incident], at: datetime) -> list[Incident]:
    """The incidents that had occurred and were known of by *at*, in input order."""
    return [i for i in incidents if i.occurred_at <= at and i.awareness_at <= at]


def runnable(
    rules: Sequence[CompiledCrossRule], plans: SupportPlans | None
) -> list[CompiledCrossRule]:
    """The *rules* that run: all, but those of pack `PLANS_PACK` only when *plans* are given."""
    return [r for r in rules if plans is not None or r.pack != PLANS_PACK]


def run_cross(
    rules: Sequence[CompiledCrossRule],
    incidents: Sequence[Incident],
    records: GovernanceRecords | None,
    at: datetime,
    *,
    plans: SupportPlans | None = None,
    strict: bool = False,
    context: Context | None = None,
) -> tuple[list[Finding], list[RuleFault]]:
    """
    Run *rules* over the batch as of *at*, in rule order, each in its own verdict order.

    Each rule is given a `Context` of the governance *records* (none if ``None``) and the
    support *plans* (or *context*, when the caller has built it with these records and
    plans); with *plans* ``None`` (not supplied) the rules of pack `PLANS_PACK` do not run.

    What a rule returns about the batch's incidents (others are ignored) is checked incident
    by incident, as the engine checks per-incident rules: verdicts that are not well formed
    for one incident are a `RuleFault` naming that incident, and the rule's findings on the
    others are kept. A rule that raises (or does
    not return ``(incident id, verdict)`` pairs) has no findings to keep: it becomes a
    `RuleFault` naming the batch (`BATCH`). With *strict*, a fault raises `RuleError`.
    """
    known = known_by(incidents, at)
    by_id = first_of_each_id(known)
    context = context or Context(records or GovernanceRecords(), plans)
    findings: list[Finding] = []
    faults: list[RuleFault] = []
    for r in runnable(rules, plans):
        try:
            pairs = [(i, v) for i, v in r.check(known, context, at) if i in by_id]
            bad = _bad_incidents(r, pairs, strict=strict)
        except RuleError:
            raise
        except Exception as e:  # noqa: BLE001 (isolation: reported, or raised when strict)
            faults.append(_fault(r, BATCH, e, strict=strict))
            continue
        faults += [RuleFault(r.meta.code, incident_id, "InvalidVerdict") for incident_id in bad]
        findings += [
            _finding(r, incident_id, v)
            for incident_id, v in pairs
            if incident_id not in bad and _in_force(r, by_id[incident_id])
        ]
    return findings, faults


def _bad_incidents(
    rule: CompiledCrossRule, pairs: list[tuple[str, Any]], *, strict: bool
) -> dict[str, None]:
    """The incidents (in order) whose verdicts from *rule* are not well formed."""
    grouped: dict[str, list[Any]] = {}
    for incident_id, v in pairs:
        grouped.setdefault(incident_id, []).append(v)
    bad: dict[str, None] = {}
    for incident_id, verdicts in grouped.items():
        try:
            verdicts_of(verdicts)
        except InvalidVerdict as e:  # noqa: PERF203 (isolation is per incident, by design)
            _fault(rule, incident_id, e, strict=strict)
            bad[incident_id] = None
    return bad


def _fault(rule: CompiledCrossRule, incident_id: str, e: Exception, *, strict: bool) -> RuleFault:
    """The fault of *rule* on *incident_id*; raise `RuleError` instead when *strict*."""
    if strict:
        raise RuleError(rule.meta.code, incident_id, e) from e
    return RuleFault(rule.meta.code, incident_id, type(e).__name__)


def _in_force(rule: CompiledCrossRule, incident: Incident) -> bool:
    if rule.effective_from is None and rule.effective_to is None:
        return True
    return rule.in_force(incident.occurred_at.astimezone(LONDON).date())


def _finding(rule: CompiledCrossRule, incident_id: str, v: Verdict) -> Finding:
    return finding_from(v, rule=rule.meta, severity=rule.severity, incident_id=incident_id)
