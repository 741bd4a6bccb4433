"""
Type registration: a strategy for every model class, so ``st.from_type`` works.

`trauma_incidents.strategies` registers them when imported; the ``hypothesis`` entry point
(``trauma_incidents.strategies:_hypothesis_setup_hook``) runs the same registration.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from trauma_incidents.model import (
    Action,
    Advocate,
    Candour,
    Debrief,
    EarlyWarningSign,
    Effectiveness,
    Explanation,
    Harm,
    Incident,
    Injury,
    Intervention,
    Notification,
    Observation,
    PersonAccount,
    PersonInvolved,
    Review,
    Safeguarding,
    SafeguardingStage,
    Trigger,
)
from trauma_incidents.outcomes._records import Activity, WellbeingCheck
from trauma_incidents.plans import SupportPlan
from trauma_incidents.strategies._internal._base import DAY, EPOCH, drawn
from trauma_incidents.strategies._internal._incidents import incidents
from trauma_incidents.strategies._internal._outcomes import activities, wellbeing_checks
from trauma_incidents.strategies._internal._parts import (
    draw_account,
    draw_harm,
    draw_involved,
    draw_observation,
    early_warning_signs,
    injuries,
    interventions,
    triggers,
)
from trauma_incidents.strategies._internal._plans import support_plans
from trauma_incidents.strategies._internal._response import (
    actions,
    debriefs,
    draw_candour,
    draw_effect,
    notifications,
    reviews,
)
from trauma_incidents.strategies._internal._safeguarding import (
    draw_advocate,
    draw_explanation,
    draw_stage,
    safeguardings,
)


def type_strategies() -> dict[type[Any], SearchStrategy[Any]]:
    """A strategy for each model class, support plan and outcome record, as the public ones."""
    return {
        Action: actions(),
        Activity: activities(),
        Advocate: drawn(lambda draw: draw_advocate(draw, EPOCH)),
        Candour: drawn(lambda draw: draw_candour(draw, EPOCH, DAY * 14)),
        Debrief: debriefs(),
        EarlyWarningSign: early_warning_signs(),
        Effectiveness: drawn(lambda draw: draw_effect(draw, EPOCH)),
        Explanation: drawn(lambda draw: draw_explanation(draw, EPOCH)),
        Harm: drawn(draw_harm),
        Incident: incidents(),
        Injury: injuries(),
        Intervention: interventions(),
        Notification: notifications(),
        Observation: drawn(lambda draw: draw_observation(draw, EPOCH)),
        PersonAccount: drawn(lambda draw: draw_account(draw, EPOCH)),
        PersonInvolved: drawn(lambda draw: draw_involved(draw, EPOCH)),
        Review: reviews(),
        Safeguarding: safeguardings(),
        SafeguardingStage: drawn(draw_stage),
        SupportPlan: support_plans(),
        Trigger: triggers(),
        WellbeingCheck: wellbeing_checks(),
    }


def register_type_strategies() -> None:
    """Register a strategy for each model class with ``st.register_type_strategy``."""
    for cls, strategy in type_strategies().items():
        st.register_type_strategy(cls, strategy)
