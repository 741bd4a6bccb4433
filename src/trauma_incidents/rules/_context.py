"""
What a rule reads beside an incident: governance records, support plans, outcome records.

The engine builds one `Context` per evaluation and passes it to every cross rule
(`trauma_incidents.rules.cross_rule`) and to the per-incident rules declared with
``@rule(..., context=True)``, so a new kind of record beside incidents is a new field here
rather than a new argument of every rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from attrs import Factory, field, frozen

from trauma_incidents.governance._records import GovernanceRecords
from trauma_incidents.plans._records import SupportPlans

if TYPE_CHECKING:  # outcome records are imported when given
    from trauma_incidents.outcomes._records import Outcomes

__all__ = ["ActionEffects", "Context"]

#: What the outcome data say about each completed learning action, by ``(incident id, action
#: id)``: each measure's verdict (``"incidents"``: ``"improved"``, ...), in measure order.
ActionEffects = Mapping[tuple[str, str], Mapping[str, str]]


@frozen
class Context:
    """
    The records beside the incidents that cross-incident and context rules read.

    Attributes:
        records: The governance records (none when not supplied).
        plans: The support plans, or ``None`` when not supplied: then the ``plans`` pack's
            rules do not run (an empty `SupportPlans` means "supplied, and there are none").
        outcomes: The outcome records (activities, wellbeing checks), or ``None`` when not
            supplied.
        effects: With outcomes, what they and the incidents known at the evaluation time
            say about each learning action completed by then
            (`trauma_incidents.analysis.effectiveness` with its default windows, over the
            person's data up to that time); empty without outcomes. LN005 reads it.
    """

    records: GovernanceRecords = Factory(GovernanceRecords)
    plans: SupportPlans | None = None
    outcomes: Outcomes | None = None
    effects: ActionEffects = field(factory=dict, hash=False)
