"""
Support plan coverage: who is at risk of restrictive interventions, and whose plan is current.

Positive and Proactive Care asks for a behaviour support plan for everyone at risk of
restrictive interventions (PPC-BSP-FOR-AT-RISK), reviewed regularly (NG11-FUNCTION) and made
with the person (PPC-INVOLVE). These figures count that, as of a time: the ``plans`` pack's
rules (PL001-PL007) flag each case, these give the picture. The plan in force at a time is
the person's version with the latest ``effective_from`` at or before it
(`trauma_incidents.plans.SupportPlans.in_force`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from attrs import fields, frozen

from trauma_incidents.model._incident import Incident
from trauma_incidents.model._vocabularies import TriggerKind

if TYPE_CHECKING:  # plans import loading, which imports this package's parent first
    from trauma_incidents.plans._records import SupportPlan, SupportPlans

__all__ = ["NewTrigger", "PersonPlan", "PlanCoverage", "new_triggers", "plan_coverage"]


@frozen(kw_only=True)
class PersonPlan:
    """
    One person with an incident: their restrictive interventions and the plan in force.

    Attributes:
        person_id: The person (a real id: pseudonymise before sharing).
        incidents: Their incidents known by the time.
        restrictive_interventions: Restrictive interventions in those incidents.
        restrictive_without_plan: Incidents with a restrictive intervention and no plan in
            force when they occurred (what PL001 flags).
        plan_id: The id of the version in force at the time, if any.
        review_by: That version's review date, if it has one.
        past_review: Whether that review date has passed (no newer version yet).
        person_involved: Whether the person contributed to that version (``None``: not
            recorded, or no plan).
    """

    person_id: str
    incidents: int
    restrictive_interventions: int
    restrictive_without_plan: int
    plan_id: str | None
    review_by: datetime | None
    past_review: bool
    person_involved: bool | None

    def row(self) -> dict[str, Any]:
        """As a flat row."""
        return {f.name: getattr(self, f.name) for f in fields(PersonPlan)}


@frozen(kw_only=True)
class PlanCoverage:
    """
    How far support plans cover the people in incidents, as of `at`.

    Attributes:
        at: The time of evaluation.
        people: People with an incident known by `at`.
        people_restrictive: Of them, people with a restrictive intervention.
        restrictive_with_plan: Of those, people with a plan in force at `at`.
        share_restrictive_with_plan: ``restrictive_with_plan`` over ``people_restrictive``
            (``None`` when nobody had a restrictive intervention).
        incidents_restrictive: Incidents with a restrictive intervention.
        incidents_without_plan: Of those, incidents with no plan in force when they occurred.
        plans_in_force: People (with incidents or not) with a plan in force at `at`.
        past_review: Plans in force whose review date has passed.
        person_involved: Plans in force the person contributed to.
        with_coordinator: Plans in force naming a coordinator (NG11-BSP-COORDINATOR).
        rows: One `PersonPlan` per person with an incident, in order of first incident.
    """

    at: datetime
    people: int
    people_restrictive: int
    restrictive_with_plan: int
    share_restrictive_with_plan: float | None
    incidents_restrictive: int
    incidents_without_plan: int
    plans_in_force: int
    past_review: int
    person_involved: int
    with_coordinator: int
    rows: tuple[PersonPlan, ...]

    def row(self) -> dict[str, Any]:
        """The figures as one flat row (without the per-person rows)."""
        return {f.name: getattr(self, f.name) for f in fields(PlanCoverage) if f.name != "rows"}


def plan_coverage(incidents: Iterable[Incident], plans: SupportPlans, at: datetime) -> PlanCoverage:
    """
    Plan coverage figures for *incidents* and *plans* as of *at*.

    Only incidents that had occurred and were known of by *at* count, and only restrictive
    interventions started by then; a plan counts from its ``effective_from``.
    """
    by_person: dict[str, list[Incident]] = {}
    for i in incidents:
        if i.occurred_at <= at and i.awareness_at <= at:
            by_person.setdefault(i.person_id, []).append(i)
    rows = tuple(_person(person, found, plans, at) for person, found in by_person.items())
    restrictive = [r for r in rows if r.restrictive_interventions]
    covered = sum(1 for r in restrictive if r.plan_id is not None)
    in_force = [p for person in plans.people if (p := plans.in_force(person, at)) is not None]
    return PlanCoverage(
        at=at,
        people=len(rows),
        people_restrictive=len(restrictive),
        restrictive_with_plan=covered,
        share_restrictive_with_plan=covered / len(restrictive) if restrictive else None,
        incidents_restrictive=sum(
            1 for found in by_person.values() for i in found if i.has_restrictive_by(at)
        ),
        incidents_without_plan=sum(r.restrictive_without_plan for r in rows),
        plans_in_force=len(in_force),
        past_review=sum(1 for p in in_force if _past_review(p, at)),
        person_involved=sum(1 for p in in_force if p.person_involved),
        with_coordinator=sum(1 for p in in_force if p.coordinator_id is not None),
        rows=rows,
    )


def _past_review(plan: SupportPlan, at: datetime) -> bool:
    return plan.review_by is not None and plan.review_by < at


def _started(incident: Incident, at: datetime) -> int:
    """Restrictive interventions started by *at* (an undated one always has)."""
    return sum(
        1
        for _, ri in incident.restrictive_interventions
        if ri.started_at is None or ri.started_at <= at
    )


def _person(
    person: str, incidents: list[Incident], plans: SupportPlans, at: datetime
) -> PersonPlan:
    plan = plans.in_force(person, at)
    used = sum(_started(i, at) for i in incidents)
    without = [
        i
        for i in incidents
        if i.has_restrictive_by(at) and plans.in_force(person, i.occurred_at) is None
    ]
    return PersonPlan(
        person_id=person,
        incidents=len(incidents),
        restrictive_interventions=used,
        restrictive_without_plan=len(without),
        plan_id=None if plan is None else plan.id,
        review_by=None if plan is None else plan.review_by,
        past_review=plan is not None and _past_review(plan, at),
        person_involved=None if plan is None else plan.person_involved,
    )


@frozen(kw_only=True)
class NewTrigger:
    """
    A trigger of an incident that the plan in force did not know, and when a plan learned it.

    The case PL003 follows (NG10-TRIGGERS-EWS): a trigger kind other than ``unknown`` that is
    not among the known triggers of the plan in force when the incident occurred.

    Attributes:
        person_id: The person (a real id: pseudonymise before sharing).
        incident_id: The incident.
        kind: The trigger kind.
        occurred_at: When the incident occurred.
        learned_at: The ``effective_from`` of the first later version listing the kind, if
            one is in force by the time of evaluation.
        days: Days from the incident to ``learned_at`` (``None`` while not learned).
    """

    person_id: str
    incident_id: str
    kind: str
    occurred_at: datetime
    learned_at: datetime | None
    days: float | None

    def row(self) -> dict[str, Any]:
        """As a flat row."""
        return {f.name: getattr(self, f.name) for f in fields(NewTrigger)}


def new_triggers(
    incidents: Iterable[Incident], plans: SupportPlans, at: datetime
) -> tuple[NewTrigger, ...]:
    """
    Each trigger new to the plan in force, per incident known by *at*, in incident order.

    An incident with no plan in force has none (PL001 covers that case); a kind counts once
    per incident.
    """
    found: list[NewTrigger] = []
    for i in incidents:
        if i.occurred_at > at or i.awareness_at > at:
            continue
        plan = plans.in_force(i.person_id, i.occurred_at)
        if plan is None:
            continue
        kinds = dict.fromkeys(t.kind for t in i.triggers if t.kind is not TriggerKind.UNKNOWN)
        for kind in kinds:
            if plan.knows_trigger(kind):
                continue
            learned = next(
                (
                    v.effective_from
                    for v in plans.versions(i.person_id)
                    if i.occurred_at < v.effective_from <= at and v.knows_trigger(kind)
                ),
                None,
            )
            days = None if learned is None else (learned - i.occurred_at) / _DAY
            found.append(
                NewTrigger(
                    person_id=i.person_id,
                    incident_id=i.id,
                    kind=kind.value,
                    occurred_at=i.occurred_at,
                    learned_at=learned,
                    days=days,
                )
            )
    return tuple(found)


_DAY = timedelta(days=1)
