"""
The shape of an incident: the basics, drawn first.

They decide which evidence a good response needs and which rules the incident can break
(see `_rulebook`). A shape meets the `Needs` of the gaps asked for.
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
    BOOL,
    DAY,
    EPOCH,
    HOUR,
    maybe,
    moment,
    moment_near,
    pick,
    some,
)
from trauma_incidents.strategies._internal._parts import draw_harm, draw_injury
from trauma_incidents.strategies._internal._rulebook import (
    CQC_CATEGORIES,
    DISTRESS,
    SAFEGUARDING_CATEGORIES,
    Needs,
)

_OTHER_PARTIES = (InjuredParty.PERSON, InjuredParty.OTHER)
_HARMFUL = frozenset({Severity.MODERATE, Severity.SEVERE, Severity.DEATH})
_PHYSICAL = frozenset({PhysicalHarm.MODERATE, PhysicalHarm.SEVERE, PhysicalHarm.DEATH})
_PSYCHOLOGICAL = frozenset({PsychologicalHarm.MODERATE, PsychologicalHarm.SEVERE})


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
    incapacity_days: int = 7

    @property
    def aware_at(self) -> datetime:
        return self.reported or self.occurred

    @property
    def distress(self) -> bool:
        return not DISTRESS.isdisjoint(self.categories)

    @property
    def staff_injured(self) -> bool:
        return any(i.who is InjuredParty.STAFF for i in self.injuries)

    @property
    def raises_concern(self) -> bool:
        return not SAFEGUARDING_CATEGORIES.isdisjoint(self.categories)

    @property
    def needs_cqc(self) -> bool:
        """Whether NT001 asks for a notification to CQC."""
        hurt = InjuredParty.PERSON, InjurySeverity.SERIOUS
        serious = any((i.who, i.severity) == hurt for i in self.injuries)
        grave = self.severity in {Severity.SEVERE, Severity.DEATH}
        return serious or grave or not CQC_CATEGORIES.isdisjoint(self.categories)

    @property
    def needs_candour(self) -> bool:
        """Whether NT002 asks for a duty of candour decision."""
        harm = self.harm
        return self.severity in _HARMFUL or (
            harm is not None
            and (harm.physical in _PHYSICAL or harm.psychological in _PSYCHOLOGICAL)
        )

    @property
    def hse_span(self) -> str | None:
        """The NT003 option its report is due by (as NT003 chooses), or ``None``: no report."""
        staff = [i for i in self.injuries if i.who is InjuredParty.STAFF]
        if any(i.specified_injury for i in staff):
            return "within"
        if any((i.days_incapacitated or 0) > self.incapacity_days for i in staff):
            return "incapacitated_within"
        others = [i for i in self.injuries if i.who is not InjuredParty.STAFF and i.hospital]
        return "within" if any(i.work_related for i in others) else None

    @property
    def needs_hse(self) -> bool:
        """Whether NT003 asks for a report to HSE."""
        return self.hse_span is not None


def draw_shape(draw: Draw, needs: Needs, *, around: datetime | None, incapacity_days: int) -> Shape:
    """The basics of an incident meeting *needs*; without safeguarding, no such category."""
    occurred = moment_near(draw, around or EPOCH, DAY * 7 if around else DAY * 365)
    restrictive = draw(BOOL) if needs.restrictive is None else needs.restrictive
    safeguarding = draw(BOOL) if needs.safeguarding is None else needs.safeguarding
    allowed = tuple(c for c in Category if safeguarding or c not in SAFEGUARDING_CATEGORIES)
    required = [pick(draw, [c for c in allowed if c in one]) for one in needs.categories]
    more = some(draw, lambda: pick(draw, allowed), min_size=0 if required else 1, max_size=3)
    severities = tuple(needs.severities) if needs.severities else tuple(Severity)
    return Shape(
        occurred=occurred,
        reported=maybe(draw, lambda: moment(draw, occurred, timedelta(0), HOUR)),
        categories=tuple(dict.fromkeys((*required, *more))),
        severity=pick(draw, sorted(severities, key=tuple(Severity).index)),
        harm=maybe(draw, lambda: draw_harm(draw)),
        injuries=_injuries(draw, needs),
        restrictive=restrictive,
        safeguarding=safeguarding,
        incapacity_days=incapacity_days,
    )


def _injuries(draw: Draw, needs: Needs) -> tuple[Injury, ...]:
    """Injuries, all recorded in full (RIDDOR needs the days of incapacity)."""
    parties = _OTHER_PARTIES if needs.staff_injury is False else tuple(InjuredParty)
    found = some(draw, lambda: draw_injury(draw, pick(draw, parties), recorded=True))
    if needs.staff_injury:
        staff = draw_injury(draw, InjuredParty.STAFF, recorded=True)
        found.insert(0, attrs.evolve(staff, specified_injury=True) if needs.reportable else staff)
    return tuple(found)
