"""Rule sets, reports and incidents pickle, so work can go to other processes and clusters."""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from trauma_incidents import Incident, RuleSet, read_incidents
from trauma_incidents.config import Config
from trauma_incidents.errors import BackendCrashedError, BackendUnavailableError, RuleError
from trauma_incidents.packs import Pack
from trauma_incidents.rules import FindingSeverity, RuleMeta, Status, Verdict, rule

SAMPLE = "src/trauma_incidents/data/sample_incidents.ndjson"
AT = datetime(2026, 5, 1, 8, tzinfo=timezone.utc)


@rule(
    RuleMeta(
        code="TS001",
        name="every-incident",
        summary="Flags every incident.",
        rationale="A test rule.",
        example="Any incident: concern.",
        severity=FindingSeverity.INFO,
        sources=("local policy",),
    )
)
def TS001(_incident: Incident, _at: datetime, _options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    return (Verdict(key=None, status=Status.CONCERN, message="Seen."),)


def sample() -> list[Incident]:
    return [r for r in read_incidents(SAMPLE) if isinstance(r, Incident)]


def test_the_default_rule_set_round_trips_and_agrees() -> None:
    ruleset = RuleSet.compile()
    again = pickle.loads(pickle.dumps(ruleset))  # noqa: S301 (our own data)
    assert again.evaluate(sample(), at=AT) == ruleset.evaluate(sample(), at=AT)


def test_python_rules_pickle_by_name() -> None:
    pack = Pack(name="test", version="1", description="d", rules=(TS001,), prefixes=("TS",))
    ruleset = RuleSet.compile(Config(packs=("test",)), packs={"test": pack})
    again = pickle.loads(pickle.dumps(ruleset))  # noqa: S301
    assert again.rules[0].rule is TS001
    assert [f.rule for f in again.evaluate(sample()[:2], at=AT).findings] == ["TS001", "TS001"]


def test_reports_and_incidents_pickle() -> None:
    incidents = sample()
    report = RuleSet.compile().evaluate(incidents, at=AT)
    assert pickle.loads(pickle.dumps(report)) == report  # noqa: S301
    assert pickle.loads(pickle.dumps(incidents)) == incidents  # noqa: S301


def test_errors_pickle() -> None:
    """Errors a worker or the monitor's child sends back unpickle with their attributes."""
    errors = [
        BackendUnavailableError("durable", "not installed"),
        BackendCrashedError("durable", "INC-1", -6),
        RuleError("DB001", "INC-1", ZeroDivisionError()),
    ]
    for error in errors:
        copy = pickle.loads(pickle.dumps(error))  # noqa: S301 (our own pickle)
        assert (type(copy), str(copy)) == (type(error), str(error))
        assert repr(vars(copy)) == repr(vars(error))
