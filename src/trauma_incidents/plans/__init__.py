"""
Support plans beside incidents: each version of a person's behaviour support plan.

`read_support_plans` reads a plans file (one JSON object with the array ``support_plans``,
or NDJSON with one plan a line) and yields each plan, or a `BadRecord` for each that could
not be read: the same shape as `trauma_incidents.governance.read_governance`. Gather the good
ones with `SupportPlans.from_records` and pass them to `trauma_incidents.engine.RuleSet.evaluate`
as ``plans=`` for the ``plans`` pack (see ``docs/format.md`` and ``docs/plans.md``)::

    found, bad = partition(read_support_plans("plans.ndjson"))
    plans = SupportPlans.from_records(found)
"""

from __future__ import annotations

from trauma_incidents.loading._batch import BadRecord
from trauma_incidents.loading._schema import support_plan_schema
from trauma_incidents.plans._reading import read_support_plans
from trauma_incidents.plans._records import (
    AuthorisedRestriction,
    KnownTrigger,
    Strategy,
    StrategyStage,
    SupportPlan,
    SupportPlans,
    WarningSign,
)

__all__ = [
    "AuthorisedRestriction",
    "BadRecord",
    "KnownTrigger",
    "Strategy",
    "StrategyStage",
    "SupportPlan",
    "SupportPlans",
    "WarningSign",
    "read_support_plans",
    "support_plan_schema",
]
