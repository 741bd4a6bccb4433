"""
Hypothesis strategies that generate valid incidents and their parts, and support plans.

Every value respects the model's validation and the domain's order of events: times are
aware, nothing in the response happens before the incident, interventions end at or after
they start, and each safeguarding stage is explained at or after it is entered. Times shrink
toward `EPOCH` (2026-01-01T00:00Z) or the anchor given, lists toward fewer elements, and
text toward the first of a few short synthetic phrases, so counterexamples stay small.

``st.from_type(Incident)`` (and every other model class) works once this module is imported,
or through the ``hypothesis`` entry point.

The implementation lives in ``trauma_incidents.strategies._internal``, one private module per
concept; every value is drawn by a ``draw_*`` function from a few module-level strategies, because
building strategies inside a draw is what makes generation slow.
"""

# ruff: noqa: E402 (the entry-point hook is defined before the imports; see its docstring)

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    """
    Register a strategy for each model class; the ``hypothesis`` entry point calls this.

    It is defined before anything is imported: importing hypothesis runs its entry points,
    which look this hook up here, perhaps while this module is still being imported.
    """
    from trauma_incidents.strategies._internal._register import register_type_strategies  # noqa: PLC0415

    register_type_strategies()


# Hypothesis first: importing it runs the hook above, which imports the private modules
# below; were one of them first, the hook would find it half imported.
import hypothesis  # noqa: F401

from trauma_incidents.strategies._internal._base import EPOCH, times
from trauma_incidents.strategies._internal._boundaries import Boundary, deadline_boundaries
from trauma_incidents.strategies._internal._incidents import incidents
from trauma_incidents.strategies._internal._notes import note_incident
from trauma_incidents.strategies._internal._outcomes import activities, wellbeing_checks
from trauma_incidents.strategies._internal._parts import (
    early_warning_signs,
    injuries,
    interventions,
    triggers,
)
from trauma_incidents.strategies._internal._plans import support_plans
from trauma_incidents.strategies._internal._response import (
    actions,
    debriefs,
    notifications,
    reviews,
)
from trauma_incidents.strategies._internal._rulebook import GAPS
from trauma_incidents.strategies._internal._safeguarding import safeguardings

__all__ = [
    "EPOCH",
    "GAPS",
    "Boundary",
    "actions",
    "activities",
    "deadline_boundaries",
    "debriefs",
    "early_warning_signs",
    "incidents",
    "injuries",
    "interventions",
    "note_incident",
    "notifications",
    "reviews",
    "safeguardings",
    "support_plans",
    "times",
    "triggers",
    "wellbeing_checks",
]

# Importing this module registers the model classes, as the entry point does.
_hypothesis_setup_hook()
