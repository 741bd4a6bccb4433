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
from trauma_incidents.errors import RuleError
from trauma_incidents.governance._records import GovernanceRecords
from trauma_incidents.model._incident import Incident
from trauma_incidents.rules._cross import BATCH, CrossCheck, CrossRule
from trauma_incidents.rules._findings import Finding, FindingSeverity
from trauma_incidents.rules._metadata import RuleMeta
from trauma_incidents.rules._shapes import Verdict, finding_from

__all__ = ["CompiledCrossRule", "known_by", "run_cross"]


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


def known_by(incidents: Iterable[Incident], at: datetime) -> list[Incident]:
    """The incidents that had occurred and were known of by *at*, in input order."""
    return [i for i in incidents if i.occurred_at <= at and i.awareness_at <= at]


def run_cross(
    rules: Sequence[CompiledCrossRule],
    incidents: Sequence[Incident],
    records: GovernanceRecords | None,
    at: datetime,
    *,
    strict: bool = False,
) -> tuple[list[Finding], list[RuleFault]]:
    """
    Run *rules* over the batch as of *at*, in rule order, each in its own verdict order.

    A rule that raises becomes a `RuleFault` naming the batch (`BATCH`), or a `RuleError`
    when *strict*.
    """
    known = known_by(incidents, at)
    by_id = {i.id: i for i in reversed(known)}  # the first incident with an id wins
    records = records or GovernanceRecords()
    findings: list[Finding] = []
    faults: list[RuleFault] = []
    for r in rules:
        try:  # what the rule returns is checked too, as the engine checks per-incident rules
            pairs = list(r.check(known, records, at))
            verdicts = verdicts_of([v for _, v in pairs])
            findings += [
                _finding(r, incident_id, v)
                for (incident_id, _), v in zip(pairs, verdicts, strict=True)
                if incident_id in by_id and _in_force(r, by_id[incident_id])
            ]
        except Exception as e:  # noqa: PERF203 (isolation is per rule, by design)
            if strict:
                raise RuleError(r.meta.code, BATCH, e) from e
            faults.append(RuleFault(r.meta.code, BATCH, type(e).__name__))
    return findings, faults


def _in_force(rule: CompiledCrossRule, incident: Incident) -> bool:
    if rule.effective_from is None and rule.effective_to is None:
        return True
    return rule.in_force(incident.occurred_at.astimezone(LONDON).date())


def _finding(rule: CompiledCrossRule, incident_id: str, v: Verdict) -> Finding:
    return finding_from(v, rule=rule.meta, severity=rule.severity, incident_id=incident_id)
