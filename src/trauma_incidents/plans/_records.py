"""
Support plans: each version of a person's behaviour support plan, kept beside incidents.

A `SupportPlan` is one version of one person's plan; a version is in force from its
``effective_from`` until the next version's ``effective_from`` for the same person. Plans
follow the incident format's conventions (``docs/format.md``): frozen attrs classes,
pseudonymous ids, aware times, and free text (details, descriptions, what matters) left out of
reprs and never shown in any output. The formulation itself stays in the care record.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from functools import cached_property
from typing import Literal

from attrs import field, frozen

from trauma_incidents._calendar import end_of_day
from trauma_incidents.model._validators import (
    aware,
    identifier,
    non_negative,
    optional_aware,
    optional_identifier,
    typed,
)
from trauma_incidents.model._vocabularies import (
    AccountMethod,
    InterventionKind,
    LegalBasis,
    Position,
    TriggerKind,
    Vocabulary,
)

__all__ = [
    "AuthorisedRestriction",
    "KnownTrigger",
    "Strategy",
    "StrategyStage",
    "SupportPlan",
    "SupportPlans",
    "WarningSign",
    "review_time",
]


class StrategyStage(Vocabulary):
    """The positive behaviour support tier a strategy belongs to."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    REACTIVE = "reactive"


@frozen(kw_only=True)
@typed
class KnownTrigger:
    """A trigger the plan knows of (NG10-TRIGGERS-EWS); ``detail`` is free text."""

    kind: TriggerKind
    detail: str | None = field(default=None, repr=False)


@frozen(kw_only=True)
@typed
class WarningSign:
    """An early warning sign the plan describes, and the response it asks for (free text)."""

    description: str = field(repr=False)
    response: str | None = field(default=None, repr=False)


@frozen(kw_only=True)
@typed
class Strategy:
    """
    One strategy of the plan: proactive (primary), early response (secondary) or last resort.

    ``description`` is free text.
    """

    stage: StrategyStage
    description: str = field(repr=False)


@frozen(kw_only=True)
@typed
class AuthorisedRestriction:
    """
    A restrictive intervention the plan authorises, on a legal basis, within limits.

    ``positions`` empty means any position; ``max_minutes`` absent means no time limit.
    """

    kind: InterventionKind
    legal_basis: LegalBasis
    positions: tuple[Position, ...] = ()
    max_minutes: int | None = field(default=None, validator=non_negative)


def review_time(value: date | datetime | None) -> datetime | None:
    """
    A review date as a time: a date means the end of that day (Europe/London), in UTC.

    Anything else (a datetime, or a value of the wrong type) is kept as it is, for the
    validator to judge.
    """
    if isinstance(value, date) and not isinstance(value, datetime):
        return end_of_day(value)
    return value


@frozen(kw_only=True)
@typed
class SupportPlan:
    """
    One version of one person's support plan (PPC-BSP-FOR-AT-RISK, NG11-BSP-COORDINATOR).

    The version is in force from ``effective_from`` until the next version's for the same
    person. ``review_by`` may be given as a date (the end of that day, Europe/London) or a
    time; it is always an aware time once built. ``person_involved`` says whether the person
    contributed to this version; ``formulation_at`` is when a formulation of what has happened
    to the person was last recorded (the formulation stays in the care record). The lists of
    ``what_matters``, ``safe_engagement`` and ``communication`` are free text: only counted.
    """

    id: str = field(validator=identifier)
    person_id: str = field(validator=identifier)
    effective_from: datetime = field(validator=aware)
    review_by: datetime | None = field(
        default=None, converter=review_time, validator=optional_aware
    )
    coordinator_id: str | None = field(default=None, validator=optional_identifier)
    person_involved: bool | None = None
    involvement_method: AccountMethod | None = None
    formulation_at: datetime | None = field(default=None, validator=optional_aware)
    known_triggers: tuple[KnownTrigger, ...] = ()
    early_warning_signs: tuple[WarningSign, ...] = ()
    strategies: tuple[Strategy, ...] = ()
    authorised_restrictions: tuple[AuthorisedRestriction, ...] = ()
    what_matters: tuple[str, ...] = field(default=(), repr=False)
    safe_engagement: tuple[str, ...] = field(default=(), repr=False)
    communication: tuple[str, ...] = field(default=(), repr=False)

    def knows_trigger(self, kind: TriggerKind) -> bool:
        """Whether the plan lists a known trigger of *kind*."""
        return any(t.kind is kind for t in self.known_triggers)


@frozen(kw_only=True)
class SupportPlans:
    """
    Every support plan version of a batch, indexed by person; the object form of a plans file.

    Build it with `from_records`. `versions` are a person's versions in order of
    ``effective_from`` (then id); `in_force` is the version in force at a time.

    Attributes:
        support_plans: The versions, in the order read.
        schema_version: The format version of a support plans file.
    """

    support_plans: tuple[SupportPlan, ...] = ()
    schema_version: Literal["1"] = "1"

    @classmethod
    def from_records(cls, records: Iterable[SupportPlan]) -> SupportPlans:
        """Gather *records*, keeping their order (as read)."""
        return cls(support_plans=tuple(records))

    @cached_property
    def _by_person(self) -> dict[str, tuple[SupportPlan, ...]]:
        found: dict[str, list[SupportPlan]] = {}
        for plan in self.support_plans:
            found.setdefault(plan.person_id, []).append(plan)
        return {
            person: tuple(sorted(plans, key=lambda p: (p.effective_from, p.id)))
            for person, plans in found.items()
        }

    @property
    def people(self) -> tuple[str, ...]:
        """The people with at least one plan version, in the order first read."""
        return tuple(self._by_person)

    def versions(self, person_id: str) -> tuple[SupportPlan, ...]:
        """*person_id*'s versions by ``effective_from``, then id (empty when none)."""
        return self._by_person.get(person_id, ())

    def in_force(self, person_id: str, when: datetime) -> SupportPlan | None:
        """The version in force at *when*: the latest ``effective_from`` at or before it."""
        versions = self.versions(person_id)
        index = bisect_right(versions, when, key=lambda p: p.effective_from)
        return versions[index - 1] if index else None

    def __len__(self) -> int:
        """How many versions there are."""
        return len(self.support_plans)

    def __iter__(self) -> Iterator[SupportPlan]:
        """The versions in the order read."""
        return iter(self.support_plans)
