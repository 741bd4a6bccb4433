"""
Rules: metadata, findings, the shapes rules are declared on, and the packs that hold them.

Integrators declare a deadline rule with `DeadlineRule` and the selectors (`When`,
`DebriefMatch`, ...), or write one in Python with `rule` and `Verdict`.
"""

from __future__ import annotations

from trauma_incidents._engine import CompiledRule, RuleSet, evaluate
from trauma_incidents._findings import Evidence, Finding, FindingSeverity, Status, finding_id
from trauma_incidents._metadata import CODE_PATTERN, OptionSpec, RuleMeta
from trauma_incidents._pack import Pack, builtin_packs
from trauma_incidents._report import Report, RuleFault, WaivedFinding
from trauma_incidents._selectors import (
    Anchor,
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
from trauma_incidents._shapes import (
    Check,
    DeadlineRule,
    FunctionRule,
    Rule,
    RuleFunction,
    Verdict,
    deadline_verdict,
    rule,
)
from trauma_incidents._time import Duration, Unit

__all__ = [
    "CODE_PATTERN",
    "Anchor",
    "Check",
    "CompiledRule",
    "DeadlineRule",
    "DebriefMatch",
    "DesiredOutcomesMatch",
    "Duration",
    "Evidence",
    "EvidenceMatch",
    "Finding",
    "FindingSeverity",
    "FunctionRule",
    "InjuryPattern",
    "NotificationMatch",
    "OptionSpec",
    "Pack",
    "Report",
    "ReviewMatch",
    "Rule",
    "RuleFault",
    "RuleFunction",
    "RuleMeta",
    "RuleSet",
    "StageMatch",
    "Status",
    "TriggerMatch",
    "Unit",
    "Verdict",
    "WaivedFinding",
    "When",
    "builtin_packs",
    "deadline_verdict",
    "evaluate",
    "finding_id",
    "rule",
]
