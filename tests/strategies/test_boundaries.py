"""Deadline boundaries drive the deadline rules exactly at their edges."""

from __future__ import annotations

import pytest
from hypothesis import given

from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model import Audience, Debrief, DebriefStatus, Stage
from trauma_incidents.rules import Finding, Status
from trauma_incidents.strategies import Boundary, deadline_boundaries
from trauma_incidents.testing import incident, restraint, safeguarding, stage

RULESET = RuleSet.compile()


def statuses(findings: tuple[Finding, ...], rule: str) -> list[Status]:
    return [f.status for f in findings if f.rule == rule]


@given(deadline_boundaries("24h"))
def test_db001_evidence_at_the_boundary(b: Boundary) -> None:
    held = Debrief(audience=Audience.STAFF, status=DebriefStatus.HELD, at=b.at)
    inc = incident(
        occurred_at=b.anchor, interventions=(restraint(started_at=b.anchor, ended_at=b.anchor),),
        debriefs=(held,),
    )  # fmt: skip
    found = statuses(RULESET.evaluate([inc], at=b.at).findings, "DB001")
    assert found == ([] if b.on_time else [Status.LATE])


@given(deadline_boundaries("24h"))
def test_db001_without_evidence_at_the_boundary(b: Boundary) -> None:
    inc = incident(
        occurred_at=b.anchor, interventions=(restraint(started_at=b.anchor, ended_at=b.anchor),)
    )
    found = statuses(RULESET.evaluate([inc], at=b.at).findings, "DB001")
    assert found == [Status.DUE if b.on_time else Status.OVERDUE]


@given(deadline_boundaries("2wd"))
def test_sg001_explanation_at_a_working_day_boundary(b: Boundary) -> None:
    sg = safeguarding(stage(Stage.CONCERN_RAISED, b.anchor, b.at))
    inc = incident(occurred_at=b.anchor, safeguarding=sg)
    found = statuses(RULESET.evaluate([inc], at=b.at).findings, "SG001")
    assert found == ([] if b.on_time else [Status.LATE])


def test_boundaries_refuse_bad_arguments() -> None:
    with pytest.raises(InvalidArgument, match="within='24 hours' is not a duration"):
        deadline_boundaries("24 hours")
    with pytest.raises(InvalidArgument, match="positions=\\('soon',\\)"):
        deadline_boundaries("24h", positions=("soon",))
