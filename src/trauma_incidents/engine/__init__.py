"""
Running rules: compile packs and configuration into a `RuleSet`, evaluate, read the `Report`.

`evaluate` is the one-call form: the incidents, then keyword-only ``at``, the rules (a
`RuleSet`, a `trauma_incidents.config.Config` or ``None`` for the default packs), the
governance ``records``, the support ``plans`` (``None``: the ``plans`` pack does not run) and
the ``backend``. For many evaluations, compile once with
`RuleSet.compile` and call `RuleSet.evaluate` (or `RuleSet.check` for one incident).
Writing rules is `trauma_incidents.rules`; choosing packs is `trauma_incidents.packs`.
"""

from __future__ import annotations

from trauma_incidents.engine._cross import CompiledCrossRule
from trauma_incidents.engine._findings_report import Report, RuleFault, WaivedFinding
from trauma_incidents.engine._ruleset import CompiledRule, RuleSet, evaluate

__all__ = [
    "CompiledCrossRule",
    "CompiledRule",
    "Report",
    "RuleFault",
    "RuleSet",
    "WaivedFinding",
    "evaluate",
]
