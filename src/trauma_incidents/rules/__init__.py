"""
Writing rules: metadata, findings, the shapes rules are declared on, selectors and verdicts.

Integrators declare a deadline rule with `DeadlineRule` and the selectors (`When`,
`DebriefMatch`, ...; `Anchor.RI_EPISODE_END` with the option `EPISODE_GAP` gives one deadline
per restrictive episode, see `restrictive_episodes`), write one in Python with `rule` and
`Verdict` (`deadline_verdict` judges one deadline; with ``context=True`` it also reads the
`Context`: governance records, support plans, outcome records), or a rule over a whole batch
with `cross_rule`. Packs that hold rules are `trauma_incidents.packs`; running them is
`trauma_incidents.engine`.
"""

from __future__ import annotations

from typing import Any

from trauma_incidents._calendar import Duration, Unit
from trauma_incidents.errors import _moved
from trauma_incidents.model._incident import AnchorPoint
from trauma_incidents.rules._context import ActionEffects, Context
from trauma_incidents.rules._cross import BATCH, CrossFunctionRule, CrossRule, cross_rule
from trauma_incidents.rules._episodes import EPISODE_GAP, Episode, restrictive_episodes
from trauma_incidents.rules._findings import Evidence, Finding, FindingSeverity, Status, finding_id
from trauma_incidents.rules._metadata import CODE_PATTERN, Change, OptionSpec, RuleMeta
from trauma_incidents.rules._selectors import (
    Anchor,
    Candidate,
    DebriefMatch,
    DesiredOutcomesMatch,
    EvidenceMatch,
    InjuryPattern,
    NotificationMatch,
    ReviewMatch,
    StageMatch,
    TriggerMatch,
    When,
)
from trauma_incidents.rules._shapes import (
    Check,
    ContextRuleFunction,
    DeadlineRule,
    FunctionRule,
    Rule,
    RuleFunction,
    Verdict,
    deadline_verdict,
    rule,
)

__all__ = [
    "BATCH",
    "CODE_PATTERN",
    "EPISODE_GAP",
    "ActionEffects",
    "Anchor",
    "AnchorPoint",
    "Candidate",
    "Change",
    "Check",
    "Context",
    "ContextRuleFunction",
    "CrossFunctionRule",
    "CrossRule",
    "DeadlineRule",
    "DebriefMatch",
    "DesiredOutcomesMatch",
    "Duration",
    "Episode",
    "Evidence",
    "EvidenceMatch",
    "Finding",
    "FindingSeverity",
    "FunctionRule",
    "InjuryPattern",
    "NotificationMatch",
    "OptionSpec",
    "ReviewMatch",
    "Rule",
    "RuleFunction",
    "RuleMeta",
    "StageMatch",
    "Status",
    "TriggerMatch",
    "Unit",
    "Verdict",
    "When",
    "cross_rule",
    "deadline_verdict",
    "finding_id",
    "restrictive_episodes",
    "rule",
]

_MOVED = {
    "CompiledRule": "trauma_incidents.engine",
    "Pack": "trauma_incidents.packs",
    "Report": "trauma_incidents.engine",
    "RuleFault": "trauma_incidents.engine",
    "RuleSet": "trauma_incidents.engine",
    "WaivedFinding": "trauma_incidents.engine",
    "builtin_packs": "trauma_incidents.packs",
    "evaluate": "trauma_incidents.engine",
}


def __getattr__(name: str) -> Any:
    return _moved(__name__, name, _MOVED)
