"""Rule gates are an optimisation only: they never change a finding."""

from __future__ import annotations

from datetime import timedelta

import attrs
from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents import Incident, RuleSet
from trauma_incidents.strategies import EPOCH, incidents
from trauma_incidents.testing import incident, restraint

RULESET = RuleSet.compile()
UNGATED = attrs.evolve(
    RULESET, rules=tuple(attrs.evolve(r, gate=frozenset()) for r in RULESET.rules)
)


def test_every_default_rule_has_a_gate_or_needs_none() -> None:
    """Only rules that can apply to any incident run without a gate."""
    ungated = sorted(r.meta.code for r in RULESET.rules if not r.gate)
    assert ungated == []


@given(
    st.lists(incidents(around=EPOCH), min_size=1, max_size=5),
    st.integers(min_value=0, max_value=24 * 60),
)
def test_gated_and_ungated_evaluation_agree(batch: list[Incident], hours: int) -> None:
    at = EPOCH + timedelta(hours=hours)
    assert RULESET.evaluate(batch, at=at) == UNGATED.evaluate(batch, at=at)


def test_tags_name_what_the_record_holds() -> None:
    tags = incident(interventions=(restraint(),), summary="A short synthetic note.").tags
    assert {"restrictive", "interventions", "summary", "severity:low"} <= tags
    assert "safeguarding" not in tags


@given(incidents(around=EPOCH))
def test_tags_are_exactly_what_the_record_holds(item: Incident) -> None:
    """Each list tag appears exactly when its list (or view) has something in it."""
    sg = item.safeguarding
    present = {
        "triggers": item.triggers,
        "interventions": item.interventions,
        "injuries": item.injuries,
        "debriefs": item.debriefs,
        "reviews": item.reviews,
        "notifications": item.notifications,
        "actions": item.actions,
        "restrictive": [iv for iv in item.interventions if iv.is_restrictive],
        "staff_injury": [i for i in item.injuries if i.who.value == "staff"],
        "safeguarding": sg.stages if sg else (),
        "summary": item.summary,
        "harm": item.harm,
        "candour": item.candour,
    }
    expected = {f"category:{c.value}" for c in item.categories}
    expected |= {f"severity:{item.severity.value}"} | {k for k, v in present.items() if v}
    assert item.tags == expected
