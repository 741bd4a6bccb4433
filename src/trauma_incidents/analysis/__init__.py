"""
Thematic analysis: what incidents have in common, and how well the response to them went.

Counts and rates by trigger kind, category, setting, location type, hour of day and day of
week (Europe/London), person and service (`breakdown`); incidents and restrictive
interventions by month, and restrictive interventions by person, month and kind, the
reduction trend (`monthly`, `restrictive_trend`); debrief and review timeliness
(`timeliness`); safeguarding explanation coverage (`explanation_coverage`); learning actions
and their effectiveness (`learning_actions`). `analyse` gives all of them at once.
`effectiveness` compares, for each change (a support plan version, a completed learning
action), the window before it with the window after it: incident and restrictive rates,
the share of activities completed, mean distress and anxiety, each with a 95% interval and
a verdict (``[analysis]`` extra; see ``docs/effectiveness.md``).
`plan_coverage` counts how far support plans cover the people in incidents (plans in force,
past review, restrictive interventions without a plan); `new_triggers` lists triggers new to
the plan in force and how long a plan took to learn them.

Every result is a frozen value with flat rows (``rows()``, ``row()`` or
`Analysis.tables`) ready for pandas or a database. Results hold ids and counts, never free
text; they hold real ids, so pseudonymise (`trauma_incidents.pseudonymise`) before sharing.
"""

from __future__ import annotations

from trauma_incidents.analysis._breakdowns import (
    DIMENSIONS,
    NOT_RECORDED,
    Breakdown,
    MonthCount,
    RestrictiveCount,
    breakdown,
    in_period,
    monthly,
    restrictive_trend,
)
from trauma_incidents.analysis._effectiveness import (
    MIN_OBSERVATIONS,
    ROW_FIELDS,
    ChangeEffect,
    ChangeKind,
    EffectMeasure,
    EffectVerdict,
    PlanVersion,
    Window,
    effectiveness,
)
from trauma_incidents.analysis._intervals import CONFIDENCE, Interval
from trauma_incidents.analysis._plans import (
    NewTrigger,
    PersonPlan,
    PlanCoverage,
    new_triggers,
    plan_coverage,
)
from trauma_incidents.analysis._thematic import Analysis, analyse
from trauma_incidents.analysis._timeliness import (
    TIMELINESS_RULES,
    ActionSummary,
    ExplanationCoverage,
    Timeliness,
    explanation_coverage,
    learning_actions,
    timeliness,
)

__all__ = [
    "CONFIDENCE",
    "DIMENSIONS",
    "MIN_OBSERVATIONS",
    "NOT_RECORDED",
    "ROW_FIELDS",
    "TIMELINESS_RULES",
    "ActionSummary",
    "Analysis",
    "Breakdown",
    "ChangeEffect",
    "ChangeKind",
    "EffectMeasure",
    "EffectVerdict",
    "ExplanationCoverage",
    "Interval",
    "MonthCount",
    "NewTrigger",
    "PersonPlan",
    "PlanCoverage",
    "PlanVersion",
    "RestrictiveCount",
    "Timeliness",
    "Window",
    "analyse",
    "breakdown",
    "effectiveness",
    "explanation_coverage",
    "in_period",
    "learning_actions",
    "monthly",
    "new_triggers",
    "plan_coverage",
    "restrictive_trend",
    "timeliness",
]
