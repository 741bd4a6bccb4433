"""
Outcome records: the person's activities and wellbeing checks, the denominator of "did it work".

They follow the incident format's conventions (``docs/format.md``): frozen attrs classes,
pseudonymous ids, aware times, closed vocabularies. They hold no free text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import cached_property
from typing import Literal

from attrs import field, frozen

from trauma_incidents.model._validators import (
    aware,
    identifier,
    optional_identifier,
    optional_scale,
    scale,
    typed,
)
from trauma_incidents.model._vocabularies import Vocabulary

__all__ = [
    "Activity",
    "ActivityKind",
    "ActivityOutcome",
    "CheckMethod",
    "Measure",
    "OutcomeRecord",
    "Outcomes",
    "WellbeingCheck",
]


class ActivityKind(Vocabulary):
    """What the person was doing."""

    COMMUNITY_OUTING = "community_outing"
    APPOINTMENT = "appointment"
    PERSONAL_CARE = "personal_care"
    MEAL = "meal"
    LEISURE = "leisure"
    EDUCATION_OR_WORK = "education_or_work"
    FAMILY_CONTACT = "family_contact"
    OTHER = "other"


class ActivityOutcome(Vocabulary):
    """How an activity went: completed, ended early, or not started."""

    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"
    NOT_STARTED = "not_started"


class Measure(Vocabulary):
    """What a wellbeing check measured, on a 0-10 scale."""

    DISTRESS = "distress"
    ANXIETY = "anxiety"
    WELLBEING = "wellbeing"


class CheckMethod(Vocabulary):
    """Who gave a wellbeing check's value: the person, staff observing, or both together."""

    SELF_REPORT = "self_report"
    OBSERVED = "observed"
    SUPPORTED_SELF_REPORT = "supported_self_report"


@frozen(kw_only=True)
@typed
class Activity:
    """
    An activity the person took part in or was offered, and how it went.

    ``distress`` is the highest distress seen or reported during it (0 none, 10 the most),
    when recorded; ``support_plan_id`` names the support plan it was planned under.
    """

    id: str = field(validator=identifier)
    person_id: str = field(validator=identifier)
    at: datetime = field(validator=aware)
    kind: ActivityKind
    outcome: ActivityOutcome
    distress: int | None = field(default=None, validator=optional_scale)
    support_plan_id: str | None = field(default=None, validator=optional_identifier)


@frozen(kw_only=True)
@typed
class WellbeingCheck:
    """A rating of the person's distress, anxiety or wellbeing (0-10) at one time."""

    id: str = field(validator=identifier)
    person_id: str = field(validator=identifier)
    at: datetime = field(validator=aware)
    measure: Measure
    value: int = field(validator=scale)
    method: CheckMethod


#: Either kind of outcome record.
OutcomeRecord = Activity | WellbeingCheck


@frozen(kw_only=True)
class Outcomes:
    """
    Every outcome record of a batch, each kind in file order, and each person's in time order.

    Attributes:
        activities: Activities.
        wellbeing_checks: Wellbeing checks.
        schema_version: The format version of an outcome file.
    """

    activities: tuple[Activity, ...] = ()
    wellbeing_checks: tuple[WellbeingCheck, ...] = ()
    schema_version: Literal["1"] = "1"

    @classmethod
    def from_records(cls, records: Iterable[OutcomeRecord]) -> Outcomes:
        """Gather *records* of either kind, each kind keeping its order (as read)."""
        held = list(records)
        return cls(
            activities=tuple(r for r in held if isinstance(r, Activity)),
            wellbeing_checks=tuple(r for r in held if isinstance(r, WellbeingCheck)),
        )

    @property
    def people(self) -> tuple[str, ...]:
        """The ids of the people with any record, sorted."""
        return tuple(sorted(self._by_person))

    def activities_of(self, person_id: str) -> tuple[Activity, ...]:
        """*person_id*'s activities in time order (then by id)."""
        return self._by_person.get(person_id, ((), ()))[0]

    def checks_of(self, person_id: str) -> tuple[WellbeingCheck, ...]:
        """*person_id*'s wellbeing checks in time order (then by id)."""
        return self._by_person.get(person_id, ((), ()))[1]

    def of(self, person_id: str) -> Outcomes:
        """*person_id*'s records only, each kind in time order."""
        return Outcomes(
            activities=self.activities_of(person_id), wellbeing_checks=self.checks_of(person_id)
        )

    def __len__(self) -> int:
        return len(self.activities) + len(self.wellbeing_checks)

    def __iter__(self) -> Iterator[OutcomeRecord]:
        yield from self.activities
        yield from self.wellbeing_checks

    @cached_property
    def _by_person(
        self,
    ) -> dict[str, tuple[tuple[Activity, ...], tuple[WellbeingCheck, ...]]]:
        activities: defaultdict[str, list[Activity]] = defaultdict(list)
        checks: defaultdict[str, list[WellbeingCheck]] = defaultdict(list)
        for activity in self.activities:
            activities[activity.person_id].append(activity)
        for check in self.wellbeing_checks:
            checks[check.person_id].append(check)
        return {
            person: (
                tuple(sorted(activities[person], key=_when)),
                tuple(sorted(checks[person], key=_when)),
            )
            for person in {*activities, *checks}
        }


def _when(record: OutcomeRecord) -> tuple[datetime, str]:
    return record.at, record.id
