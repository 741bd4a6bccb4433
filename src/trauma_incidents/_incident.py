"""The `Incident`: the top-level record, and the derived views every rule shares."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import cached_property
from typing import Literal

from attrs import field, frozen

from trauma_incidents._enums import Category, InjuredParty, LocationType, Setting, Severity
from trauma_incidents._parts import (
    Action,
    Debrief,
    EarlyWarningSign,
    Harm,
    Injury,
    Intervention,
    Notification,
    PersonAccount,
    PersonInvolved,
    Review,
    Safeguarding,
    Trigger,
)
from trauma_incidents._validators import aware, non_empty, optional_aware
from trauma_incidents.errors import InvalidValueError

_CATEGORY_TAGS = {c: f"category:{c.value}" for c in Category}
_SEVERITY_TAGS = {s: f"severity:{s.value}" for s in Severity}
#: Earlier than any time a record holds: when an undated restrictive intervention started.
_DAWN = datetime.min.replace(tzinfo=timezone.utc)


def _at_least_one(_inst: object, _attribute: object, value: tuple[Category, ...]) -> None:
    if not value:
        msg = "'categories' must name at least one category"
        raise InvalidValueError(msg, "categories", value)


@frozen(kw_only=True)
class Incident:
    """
    One incident and everything recorded about the response to it.

    The fields mirror the JSON interchange format v1 (``docs/format.md``). Derived views
    (`restrictive_interventions`, `awareness_at`, ...) are computed once, on first use.
    """

    id: str = field(validator=non_empty)
    person_id: str = field(validator=non_empty)
    service_id: str = field(validator=non_empty)
    occurred_at: datetime = field(validator=aware)
    categories: tuple[Category, ...] = field(validator=_at_least_one)
    severity: Severity
    schema_version: Literal["1"] = "1"
    setting: Setting | None = None
    reported_at: datetime | None = field(default=None, validator=optional_aware)
    recorded_at: datetime | None = field(default=None, validator=optional_aware)
    location: str | None = field(default=None, repr=False)
    location_type: LocationType | None = None
    summary: str | None = field(default=None, repr=False)
    harm: Harm | None = None
    triggers: tuple[Trigger, ...] = ()
    early_warning_signs: tuple[EarlyWarningSign, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    injuries: tuple[Injury, ...] = ()
    debriefs: tuple[Debrief, ...] = ()
    reviews: tuple[Review, ...] = ()
    safeguarding: Safeguarding | None = None
    notifications: tuple[Notification, ...] = ()
    actions: tuple[Action, ...] = ()
    person_account: PersonAccount | None = None
    people_involved: tuple[PersonInvolved, ...] = ()

    @cached_property
    def awareness_at(self) -> datetime:
        """When the service knew of the incident: `reported_at`, else `occurred_at`."""
        return self.reported_at if self.reported_at is not None else self.occurred_at

    @cached_property
    def category_set(self) -> frozenset[Category]:
        """The categories, as a set for membership tests."""
        return frozenset(self.categories)

    @cached_property
    def restrictive_interventions(self) -> tuple[tuple[int, Intervention], ...]:
        """Each restrictive intervention with its index in `interventions`."""
        return tuple((i, iv) for i, iv in enumerate(self.interventions) if iv.is_restrictive)

    @cached_property
    def staff_injuries(self) -> tuple[Injury, ...]:
        """The injuries to staff."""
        return tuple(inj for inj in self.injuries if inj.who is InjuredParty.STAFF)

    @cached_property
    def tags(self) -> frozenset[str]:
        """
        What the record contains, as short tags, so the engine can skip rules cheaply.

        ``category:<value>`` and ``severity:<value>`` for those fields, ``restrictive`` when
        there is a restrictive intervention, ``staff_injury`` for an injury to staff, and the
        name of each non-empty list (``debriefs``, ``actions``, ...), ``safeguarding`` when it
        has stages and ``summary`` when there is one. Tags ignore time: they are necessary
        conditions, never sufficient ones.
        """
        tags = {_CATEGORY_TAGS[c] for c in self.categories}
        tags.add(_SEVERITY_TAGS[self.severity])
        lists = {
            "triggers": self.triggers,
            "interventions": self.interventions,
            "injuries": self.injuries,
            "debriefs": self.debriefs,
            "reviews": self.reviews,
            "notifications": self.notifications,
            "actions": self.actions,
            "restrictive": self.restrictive_interventions,
            "staff_injury": self.staff_injuries,
            "safeguarding": self.safeguarding.stages if self.safeguarding else (),
            "summary": self.summary,
        }
        tags.update(name for name, value in lists.items() if value)
        return frozenset(tags)

    @cached_property
    def _ri_settled(self) -> tuple[datetime | None, tuple[datetime, int, str] | None]:
        """
        When the RI anchor stops changing, and its value from then on.

        The anchor depends on *at* only until the latest recorded start or end among the
        restrictive interventions; evaluation times are nearly always later, so the answer
        is worked out once. ``None`` as the time means the anchor never changes.
        """
        times = [
            t
            for _, iv in self.restrictive_interventions
            for t in (iv.started_at, iv.ended_at)
            if t is not None
        ]
        return (max(times) if times else None), self._ri_scan(None)

    @cached_property
    def _ri_from(self) -> datetime | None:
        """When a restrictive intervention had started (an undated one: always), or ``None``."""
        starts = [iv.started_at for _, iv in self.restrictive_interventions]
        if not starts:
            return None
        if None in starts:
            return _DAWN
        return min(t for t in starts if t is not None)

    def has_restrictive_by(self, at: datetime) -> bool:
        """Whether a restrictive intervention had started by *at* (an undated one always has)."""
        start = self._ri_from
        return start is not None and start <= at

    def ri_anchor(self, at: datetime) -> tuple[datetime, str] | None:
        """
        The RI anchor as of *at* and its JSON path, or ``None`` when rules on it must wait.

        The anchor is the latest end among the restrictive interventions started by *at*, each
        taken as ``ended_at``, else ``started_at``, else `occurred_at`. It is ``None`` when
        there is no such intervention, or one is still going on at *at* (it ends after *at*).
        """
        settled_from, settled = self._ri_settled
        found = settled if settled_from is None or settled_from <= at else self._ri_scan(at)
        if found is None:
            return None
        t, i, name = found
        return t, ("$.occurred_at" if i < 0 else f"$.interventions[{i}].{name}")

    def _ri_scan(self, at: datetime | None) -> tuple[datetime, int, str] | None:
        """`ri_anchor` worked out in full: (time, intervention index or -1, field name)."""
        latest: tuple[datetime, int, str] | None = None
        for i, iv in self.restrictive_interventions:
            start, end = iv.started_at, iv.ended_at
            if at is not None:
                if start is not None and start > at:
                    continue
                if end is not None and end > at:
                    return None
            if end is not None:
                here = (end, i, "ended_at")
            elif start is not None:
                here = (start, i, "started_at")
            else:
                here = (self.occurred_at, -1, "occurred_at")
            if latest is None or here[0] > latest[0]:
                latest = here
        return latest
