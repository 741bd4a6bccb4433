"""Tests for the cross-rule `Context`: records and plans reach every cross rule, by each entry."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import pytest

from trauma_incidents import Config, RuleSet, evaluate
from trauma_incidents.backends.durable import available
from trauma_incidents.engine._cross import run_cross
from trauma_incidents.governance import GovernanceRecords, SupervisionSession
from trauma_incidents.model import Incident
from trauma_incidents.packs._pack import Pack
from trauma_incidents.plans import SupportPlans
from trauma_incidents.rules import Context, FindingSeverity, RuleMeta, Status, Verdict, cross_rule
from trauma_incidents.testing import T0, days, incident, support_plan

SEEN: list[Context] = []


def _meta(code: str) -> RuleMeta:
    return RuleMeta(
        code=code,
        name="sees-the-context",
        summary="Records the context it is given.",
        rationale="A test rule.",
        example="Any batch: one concern per incident.",
        severity=FindingSeverity.INFO,
        sources=("local policy",),
    )


@cross_rule(_meta("PL901"))
def PL901(  # noqa: N802
    incidents: Sequence[Incident], context: Context, _at: datetime, _options: Mapping[str, Any]
) -> Iterable[tuple[str, Verdict]]:
    SEEN.append(context)
    return _concerns(incidents)


def _concerns(incidents: Sequence[Incident]) -> list[tuple[str, Verdict]]:
    return [(i.id, Verdict(key=None, status=Status.CONCERN, message="seen")) for i in incidents]


@cross_rule(_meta("XX901"))
def XX901(  # noqa: N802
    incidents: Sequence[Incident], _context: Context, _at: datetime, _options: Mapping[str, Any]
) -> Iterable[tuple[str, Verdict]]:
    return _concerns(incidents)


PACKS = {
    "plans": Pack(name="plans", version="1", description="d", rules=(PL901,)),
    "local": Pack(name="local", version="1", description="d", rules=(XX901,)),
}
RULES = RuleSet.compile(Config(packs=("plans", "local")), packs=PACKS)
RECORDS = GovernanceRecords(supervisions=(SupervisionSession(id="SV", staff_id="ST", held_at=T0),))
PLANS = SupportPlans.from_records([support_plan()])
AT = T0 + days(1)


@pytest.fixture(autouse=True)
def _forget() -> None:
    SEEN.clear()


def test_a_context_is_empty_by_default() -> None:
    assert Context() == Context(GovernanceRecords(), None)


def test_cross_rules_get_the_records_and_the_plans() -> None:
    report = RULES.evaluate([incident()], at=AT, records=RECORDS, plans=PLANS)
    assert [Context(RECORDS, PLANS)] == SEEN
    assert [f.rule for f in report.findings] == ["PL901", "XX901"]


def test_without_plans_the_plans_pack_does_not_run() -> None:
    """``None`` is "not supplied": the plans pack's rules do not run; others see no plans."""
    report = RULES.evaluate([incident()], at=AT, records=RECORDS)
    assert [f.rule for f in report.findings] == ["XX901"]
    assert SEEN == []  # only PL901 records what it sees


def test_supplied_but_empty_plans_run() -> None:
    report = RULES.evaluate([incident()], at=AT, plans=SupportPlans())
    assert [f.rule for f in report.findings] == ["PL901", "XX901"]
    assert [Context(GovernanceRecords(), SupportPlans())] == SEEN


def test_evaluate_and_run_cross_pass_plans_on() -> None:
    report = evaluate([incident()], at=AT, rules=RULES, plans=PLANS)
    assert [f.rule for f in report.findings] == ["PL901", "XX901"]
    findings, faults = run_cross(RULES.cross, [incident()], None, AT, plans=PLANS)
    assert ([f.rule for f in findings], faults) == (["PL901", "XX901"], [])
    findings, _ = run_cross(RULES.cross, [incident()], None, AT)
    assert [f.rule for f in findings] == ["XX901"]


@pytest.mark.skipif(not available(), reason="durable_rules is not available on this Python")
def test_the_durable_backend_passes_plans_on() -> None:
    report = evaluate([incident()], at=AT, rules=RULES, plans=PLANS, backend="durable")
    assert [f.rule for f in report.findings] == ["PL901", "XX901"]
    assert [Context(GovernanceRecords(), PLANS)] == SEEN
