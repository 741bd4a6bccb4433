"""Plan coverage figures and triggers new to the plan, as plain data."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents.analysis import new_triggers, plan_coverage
from trauma_incidents.model import TriggerKind
from trauma_incidents.plans import KnownTrigger, SupportPlan, SupportPlans
from trauma_incidents.testing import T0, days, hours, incident, restraint, support_plan, trigger

AT = T0 + days(10)


def plans(*versions: SupportPlan) -> SupportPlans:
    return SupportPlans.from_records(versions)


def test_people_with_restrictive_interventions_and_their_plans() -> None:
    """Who had a restrictive intervention, who has a plan in force, which plan is past review."""
    found = plan_coverage(
        [
            incident(id="I-1", person_id="P-1", interventions=(restraint(),)),
            incident(id="I-2", person_id="P-2", interventions=(restraint(),)),
            incident(id="I-3", person_id="P-3"),
            incident(id="I-4", person_id="P-1", occurred_at=T0 + days(1)),
        ],
        plans(
            support_plan(id="SP-1", person_id="P-1"),
            support_plan(id="SP-3", person_id="P-3", review_by=T0 + days(2)),
            support_plan(id="SP-9", person_id="P-9", person_involved=False, coordinator_id=None),
        ),
        AT,
    )
    assert found.row() == {
        "at": AT,
        "people": 3,
        "people_restrictive": 2,
        "restrictive_with_plan": 1,
        "share_restrictive_with_plan": 0.5,
        "incidents_restrictive": 2,
        "incidents_without_plan": 1,
        "plans_in_force": 3,
        "past_review": 1,
        "person_involved": 2,
        "with_coordinator": 2,
    }
    rows = {r.person_id: r.row() for r in found.rows}
    assert list(rows) == ["P-1", "P-2", "P-3"]
    assert rows["P-1"] | {"review_by": None} == {
        "person_id": "P-1",
        "incidents": 2,
        "restrictive_interventions": 1,
        "restrictive_without_plan": 0,
        "plan_id": "SP-1",
        "review_by": None,
        "past_review": False,
        "person_involved": True,
    }
    assert (rows["P-2"]["plan_id"], rows["P-2"]["restrictive_without_plan"]) == (None, 1)
    assert (rows["P-3"]["plan_id"], rows["P-3"]["past_review"]) == ("SP-3", True)


def test_a_plan_made_after_the_incident_covers_the_person_but_not_the_incident() -> None:
    """The plan in force when the incident occurred is the one PL001 asks about."""
    found = plan_coverage(
        [incident(interventions=(restraint(),))],
        plans(support_plan(effective_from=T0 + days(1))),
        AT,
    )
    assert (found.restrictive_with_plan, found.incidents_without_plan) == (1, 1)


def test_what_is_not_known_by_the_time_does_not_count() -> None:
    """Incidents after `at`, and plans in force only after it, are left out."""
    found = plan_coverage(
        [incident(occurred_at=AT + hours(1), interventions=(restraint(),))],
        plans(support_plan(effective_from=AT + hours(1))),
        AT,
    )
    assert found.row() | {"at": None} == {
        "at": None,
        "people": 0,
        "people_restrictive": 0,
        "restrictive_with_plan": 0,
        "share_restrictive_with_plan": None,
        "incidents_restrictive": 0,
        "incidents_without_plan": 0,
        "plans_in_force": 0,
        "past_review": 0,
        "person_involved": 0,
        "with_coordinator": 0,
    }
    assert found.rows == ()


def test_a_trigger_new_to_the_plan_and_when_a_later_version_learned_it() -> None:
    env = trigger(TriggerKind.ENVIRONMENTAL)
    known = (KnownTrigger(kind=TriggerKind.SENSORY), KnownTrigger(kind=TriggerKind.ENVIRONMENTAL))
    later = support_plan(id="SP-2", effective_from=T0 + days(6), known_triggers=known)
    found = new_triggers(
        [incident(triggers=(trigger(), env, env, trigger(TriggerKind.UNKNOWN)))],
        plans(support_plan(), later),
        AT,
    )
    assert [t.row() for t in found] == [
        {
            "person_id": "P-001",
            "incident_id": "INC-0001",
            "kind": "environmental",
            "occurred_at": T0,
            "learned_at": T0 + days(6),
            "days": 6.0,
        }
    ]
    before = new_triggers([incident(triggers=(env,))], plans(support_plan(), later), T0 + days(5))
    assert [(t.learned_at, t.days) for t in before] == [(None, None)]


def test_without_a_plan_in_force_no_trigger_is_new_to_it() -> None:
    """PL001's case, not PL003's."""
    env = trigger(TriggerKind.ENVIRONMENTAL)
    assert new_triggers([incident(triggers=(env,))], plans(), AT) == ()


@given(extra=st.integers(1, 60))
def test_a_later_version_listing_the_trigger_never_adds_a_new_trigger(extra: int) -> None:
    """Adding a version can only mark a trigger learned, never add one (PL003's property)."""
    env = trigger(TriggerKind.ENVIRONMENTAL)
    incidents = [incident(triggers=(env,)), incident(id="I-2", occurred_at=T0 + days(extra))]
    base = plans(support_plan())
    known = (KnownTrigger(kind=TriggerKind.ENVIRONMENTAL),)
    added = plans(
        support_plan(),
        support_plan(id="SP-2", effective_from=T0 + hours(extra), known_triggers=known),
    )
    before = new_triggers(incidents, base, T0 + days(90))
    after = new_triggers(incidents, added, T0 + days(90))
    assert {t.incident_id for t in after} <= {t.incident_id for t in before}
    assert all(t.learned_at is not None for t in after)
