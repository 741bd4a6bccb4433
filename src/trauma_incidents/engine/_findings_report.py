"""The report of one evaluation: findings, rule errors and waivers."""

from __future__ import annotations

from datetime import datetime

from attrs import frozen

from trauma_incidents.config import Waiver
from trauma_incidents.rules._findings import Finding, Status


@frozen
class RuleFault:
    """
    A rule that raised on one incident; the other rules still ran.

    Attributes:
        rule: The rule's code.
        incident_id: The incident it was evaluating.
        error: The exception's type name (its message may quote record data, so it is
            not kept).
    """

    rule: str
    incident_id: str
    error: str


@frozen
class WaivedFinding:
    """A finding that a waiver set aside, with the waiver."""

    finding: Finding
    waiver: Waiver


@frozen(kw_only=True)
class Report:
    """
    Everything one evaluation found, in a deterministic order.

    Attributes:
        at: The time evaluated at.
        findings: In input order of incidents, then rule order, then the rule's own order.
        faults: Rules that raised, with the incident.
        waived: Findings set aside by waivers.
        waivers_unused: Configured waivers that matched no finding.
    """

    at: datetime
    findings: tuple[Finding, ...] = ()
    faults: tuple[RuleFault, ...] = ()
    waived: tuple[WaivedFinding, ...] = ()
    waivers_unused: tuple[Waiver, ...] = ()

    def with_status(self, *statuses: Status) -> tuple[Finding, ...]:
        """The findings with any of *statuses*."""
        return tuple(f for f in self.findings if f.status in statuses)
