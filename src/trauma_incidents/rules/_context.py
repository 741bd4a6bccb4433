"""
What a cross-incident rule reads beside the incidents: governance records and support plans.

The engine builds one `Context` per evaluation and passes it to every cross rule
(`trauma_incidents.rules.cross_rule`), so a new kind of record beside incidents is a new
field here rather than a new argument of every rule.
"""

from __future__ import annotations

from attrs import Factory, frozen

from trauma_incidents.governance._records import GovernanceRecords
from trauma_incidents.plans._records import SupportPlans

__all__ = ["Context"]


@frozen
class Context:
    """
    The records beside the incidents that cross-incident rules read.

    Attributes:
        records: The governance records (none when not supplied).
        plans: The support plans, or ``None`` when not supplied: then the ``plans`` pack's
            rules do not run (an empty `SupportPlans` means "supplied, and there are none").
    """

    records: GovernanceRecords = Factory(GovernanceRecords)
    plans: SupportPlans | None = None
