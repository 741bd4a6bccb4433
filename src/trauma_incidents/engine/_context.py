"""
The `Context` of one evaluation: the records beside the incidents, and what outcomes show.

With outcome records, the context also holds `Context.effects`: for each learning action
completed by the evaluation time, each measure's verdict from
`trauma_incidents.analysis.effectiveness`. The analysis (and SciPy, the ``[analysis]``
extra) is imported only then, so the engine imports without it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from trauma_incidents.engine._cross import known_by
from trauma_incidents.governance._records import GovernanceRecords
from trauma_incidents.model._incident import Incident
from trauma_incidents.plans._records import SupportPlans
from trauma_incidents.rules._context import Context

if TYPE_CHECKING:  # outcome records are imported when given
    from trauma_incidents.outcomes._records import Outcomes

__all__ = ["context_of"]


def context_of(
    incidents: Iterable[Incident],
    at: datetime,
    records: GovernanceRecords | None,
    plans: SupportPlans | None,
    outcomes: Outcomes | None,
    *,
    effects: bool,
) -> Context:
    """
    The context of an evaluation of *incidents* as of *at*.

    With *effects* and *outcomes*, `Context.effects` is worked out from the incidents known
    by *at* and the outcome records dated by then (`action_effects`).

    Raises:
        MissingExtraError: effects are wanted and SciPy is not installed.
    """
    found = {}
    if effects and outcomes is not None:
        from trauma_incidents.analysis._effectiveness import (  # noqa: PLC0415 (SciPy, on use)
            action_effects,
        )

        found = action_effects(known_by(incidents, at), outcomes, at)
    return Context(records or GovernanceRecords(), plans, outcomes, found)
