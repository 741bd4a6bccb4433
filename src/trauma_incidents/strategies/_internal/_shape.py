"""
The shape of an incident: the basics, drawn first.

They decide which evidence a good response needs and which gaps (missing, late or partial
evidence) the incident can have.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
from hypothesis.strategies import DrawFn as Draw

from trauma_incidents.model import (
    Category,
    Harm,
    InjuredParty,
    Injury,
    InjurySeverity,
    PhysicalHarm,
    PsychologicalHarm,
    Severity,
)
from trauma_incidents.strategies._internal._base import (
    DAY,
    EPOCH,
    HOUR,
    maybe,
    member,
    moment,
    moment_near,
    pick,
    some,
)
from trauma_incidents.strategies._internal._parts import draw_harm, draw_injury

_DISTRESS = frozenset(
    {
        Category.BEHAVIOURAL_DISTRESS,
        Category.VERBAL_AGGRESSION,
        Category.PHYSICAL_AGGRESSION,
        Category.SELF_HARM,
    }
)
_SAFEGUARDING_CATEGORIES = frozenset({Category.SAFEGUARDING_CONCERN, Category.ABUSE_ALLEGATION})
_CQC_CATEGORIES = frozenset(
    {
        Category.ABUSE_ALLEGATION,
        Category.SAFEGUARDING_CONCERN,
        Category.POLICE_INVOLVEMENT,
        Category.DEATH,
    }
)
_HARMFUL = frozenset({Severity.MODERATE, Severity.SEVERE, Severity.DEATH})
_PHYSICAL = frozenset({PhysicalHarm.MODERATE, PhysicalHarm.SEVERE, PhysicalHarm.DEATH})
_PSYCHOLOGICAL = frozenset({PsychologicalHarm.MODERATE, PsychologicalHarm.SEVERE})
_ALWAYS_GAPS = (
    "review_learning",
    "action_overdue",
    "action_unassessed",
)
_RI_GAPS = (
    "staff_debrief_late",
    "staff_debrief_topics",
    "person_debrief",
    "post_incident_review",
    "support_plan_review",
    "ri_details",
    "de_escalation_first",
)


@attrs.frozen
class Shape:
    """The basics, drawn first: they decide which evidence a good response needs."""

    occurred: datetime
    reported: datetime | None
    categories: tuple[Category, ...]
    severity: Severity
    harm: Harm | None
    injuries: tuple[Injury, ...]
    restrictive: bool
    safeguarding: bool

    @property
    def aware_at(self) -> datetime:
        return self.reported or self.occurred

    @property
    def distress(self) -> bool:
        return not _DISTRESS.isdisjoint(self.categories)

    @property
    def staff_injured(self) -> bool:
        return any(i.who is InjuredParty.STAFF for i in self.injuries)

    @property
    def needs_cqc(self) -> bool:
        hurt = InjuredParty.PERSON, InjurySeverity.SERIOUS
        serious = any((i.who, i.severity) == hurt for i in self.injuries)
        grave = self.severity in {Severity.SEVERE, Severity.DEATH}
        return serious or grave or not _CQC_CATEGORIES.isdisjoint(self.categories)

    @property
    def needs_candour(self) -> bool:
        """Whether NT002 asks for a duty of candour decision."""
        harm = self.harm
        return self.severity in _HARMFUL or (
            harm is not None
            and (harm.physical in _PHYSICAL or harm.psychological in _PSYCHOLOGICAL)
        )

    @property
    def needs_hse(self) -> bool:
        week = 7
        return any(
            (
                i.who is InjuredParty.STAFF
                and (i.specified_injury or (i.days_incapacitated or 0) > week)
            )
            or (i.who is not InjuredParty.STAFF and i.hospital and i.work_related)
            for i in self.injuries
        )

    def gaps(self) -> tuple[str, ...]:
        """The gaps this incident can have, each of a kind a default rule flags."""
        conditions = {
            "trigger": self.restrictive or self.distress,
            "reflective_review": self.distress and not self.restrictive,
            "wellbeing_debrief": self.staff_injured,
            "stage_explanation": self.safeguarding,
            "concern_late": self.safeguarding
            and not _SAFEGUARDING_CATEGORIES.isdisjoint(self.categories),
            "cqc": self.needs_cqc,
            "candour": self.needs_candour,
            "riddor": self.needs_hse,
        }
        more = tuple(gap for gap, applies in conditions.items() if applies)
        return (*_ALWAYS_GAPS, *(_RI_GAPS if self.restrictive else ()), *more)


def draw_shape(
    draw: Draw, *, restrictive: bool, safeguarding: bool, complete: bool, around: datetime | None
) -> Shape:
    """The basics of an incident; a complete one without safeguarding has no such category."""
    occurred = moment_near(draw, around or EPOCH, DAY * 7 if around else DAY * 365)
    allowed = tuple(Category)
    if complete and not safeguarding:
        allowed = tuple(c for c in Category if c not in _SAFEGUARDING_CATEGORIES)
    categories = dict.fromkeys(some(draw, lambda: pick(draw, allowed), min_size=1, max_size=3))
    return Shape(
        occurred=occurred,
        reported=maybe(draw, lambda: moment(draw, occurred, timedelta(0), HOUR)),
        categories=tuple(categories),
        severity=member(draw, Severity),
        harm=maybe(draw, lambda: draw_harm(draw)),
        injuries=tuple(some(draw, lambda: draw_injury(draw, recorded=complete))),
        restrictive=restrictive,
        safeguarding=safeguarding,
    )


def draw_gaps(draw: Draw, shape: Shape, *, complete: bool) -> frozenset[str]:
    """None for a complete incident, otherwise one to three of the gaps *shape* can have."""
    if complete:
        return frozenset()
    options = shape.gaps()
    return frozenset(some(draw, lambda: pick(draw, options), min_size=1, max_size=3))
