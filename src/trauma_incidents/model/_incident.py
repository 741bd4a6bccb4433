"""The `Incident`: the top-level record, and the derived views every rule shares."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import cached_property
from itertools import compress
from typing import Literal, NamedTuple

from attrs import field, frozen

from trauma_incidents.errors import InvalidIncidentError, InvalidValueError
from trauma_incidents.model._checks import check_incident
from trauma_incidents.model._parts import (
    Action,
    Candour,
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
from trauma_incidents.model._validators import (
    aware,
    identifier,
    optional_aware,
    typed,
)
from trauma_incidents.model._vocabularies import (
    Category,
    InjuredParty,
    LocationType,
    Setting,
    Severity,
)

_CATEGORY_TAGS = {c: f"category:{c.value}" for c in Category}
_SEVERITY_TAGS = {s: f"severity:{s.value}" for s in Severity}
#: The tags for what `_derive` finds present, in its order (see `Incident.tags`).
_LIST_TAGS = (
    "triggers",
    "interventions",
    "injuries",
    "debriefs",
    "reviews",
    "notifications",
    "actions",
    "restrictive",
    "staff_injury",
    "safeguarding",
    "summary",
    "harm",
    "candour",
)
#: Earlier than any time a record holds: when an undated restrictive intervention started.
_DAWN = datetime.min.replace(tzinfo=timezone.utc)


class AnchorPoint(NamedTuple):
    """Where a deadline counts from in one record: the time, and the JSON path holding it."""

    at: datetime
    path: str
    """Such as ``$.interventions[0].ended_at``."""


def _at_least_one(_inst: object, _attribute: object, value: tuple[Category, ...]) -> None:
    if not value:
        msg = "'categories' must name at least one category"
        raise InvalidValueError(msg, "categories", value)


@frozen(kw_only=True)
@typed
class Incident:
    """
    One incident and everything recorded about the response to it.

    The fields mirror the JSON interchange format v1 (``docs/format.md``). Derived views
    (`restrictive_interventions`, `awareness_at`, ...) are computed once, on first use.
    """

    id: str = field(validator=identifier)
    person_id: str = field(validator=identifier)
    service_id: str = field(validator=identifier)
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
    candour: Candour | None = None

    def __attrs_post_init__(self) -> None:
        problems = check_incident(self)
        if problems:
            raise InvalidIncidentError(problems)

    @cached_property
    def _views(self) -> _Views:
        # One cached attribute for every derived view: attrs' slotted cached_property pays
        # for an AttributeError on each first access, so one beats seven.
        return _derive(self)

    @property
    def awareness_at(self) -> datetime:
        """When the service knew of the incident: `reported_at`, else `occurred_at`."""
        return self._views.awareness_at

    @property
    def category_set(self) -> frozenset[Category]:
        """The categories, as a set for membership tests."""
        return self._views.category_set

    @property
    def restrictive_interventions(self) -> tuple[tuple[int, Intervention], ...]:
        """Each restrictive intervention with its index in `interventions`."""
        return self._views.restrictive_interventions

    @property
    def staff_injuries(self) -> tuple[Injury, ...]:
        """The injuries to staff."""
        return self._views.staff_injuries

    @property
    def tags(self) -> frozenset[str]:
        """
        What the record contains, as short tags, so the engine can skip rules cheaply.

        ``category:<value>`` and ``severity:<value>`` for those fields, ``restrictive`` when
        there is a restrictive intervention, ``staff_injury`` for an injury to staff, and the
        name of each non-empty list (``debriefs``, ``actions``, ...), ``safeguarding`` when it
        has stages, and ``summary``, ``harm`` and ``candour`` when there is one. Tags ignore
        time: they are necessary conditions, never sufficient ones.
        """
        return self._views.tags

    def has_restrictive_by(self, at: datetime) -> bool:
        """Whether a restrictive intervention had started by *at* (an undated one always has)."""
        start = self._views.ri_from
        return start is not None and start <= at

    def ri_anchor(self, at: datetime) -> AnchorPoint | None:
        """
        The RI anchor as of *at* and its JSON path, or ``None`` when rules on it must wait.

        The anchor is the latest end among the restrictive interventions started by *at*, each
        taken as ``ended_at``, else ``started_at``, else `occurred_at`. It is ``None`` when
        there is no such intervention, or one is still going on at *at* (it ends after *at*).
        """
        views = self._views
        settled_from = views.ri_settled_from
        if settled_from is None or settled_from <= at:
            return views.ri_settled
        found = _ri_scan(views.restrictive_interventions, self.occurred_at, at)
        return None if found is None else found.point()


class _RiAnchor(NamedTuple):
    """An RI anchor before its path is written: worked out for each intervention, kept for one."""

    at: datetime
    intervention: int | None
    """The intervention's index in `Incident.interventions`; ``None``: the incident's field."""
    field: str
    """``ended_at`` or ``started_at`` of the intervention, or the incident's ``occurred_at``."""

    def point(self) -> AnchorPoint:
        """The anchor with its JSON path."""
        if self.intervention is None:
            return AnchorPoint(self.at, f"$.{self.field}")
        return AnchorPoint(self.at, f"$.interventions[{self.intervention}].{self.field}")


class _Views(NamedTuple):
    """The derived views of one incident, worked out together on first use."""

    awareness_at: datetime
    category_set: frozenset[Category]
    restrictive_interventions: tuple[tuple[int, Intervention], ...]
    staff_injuries: tuple[Injury, ...]
    tags: frozenset[str]
    ri_from: datetime | None
    """When a restrictive intervention had started (an undated one: always), or ``None``."""
    ri_settled_from: datetime | None
    """
    From when the RI anchor stops changing (``None``: it never changes): the latest recorded
    start or end. Evaluation times are nearly always later, so the anchor is worked out once.
    """
    ri_settled: AnchorPoint | None
    """The RI anchor from `ri_settled_from` on, its path written once."""


def _derive(incident: Incident) -> _Views:
    ris = tuple((i, iv) for i, iv in enumerate(incident.interventions) if iv.is_restrictive)
    staff = tuple(inj for inj in incident.injuries if inj.who is InjuredParty.STAFF)
    tags = {_CATEGORY_TAGS[c] for c in incident.categories}
    tags.add(_SEVERITY_TAGS[incident.severity])
    sg = incident.safeguarding
    present = (
        incident.triggers,
        incident.interventions,
        incident.injuries,
        incident.debriefs,
        incident.reviews,
        incident.notifications,
        incident.actions,
        ris,
        staff,
        sg.stages if sg is not None else (),
        incident.summary,
        incident.harm,
        incident.candour,
    )
    tags.update(compress(_LIST_TAGS, present))  # in C: this runs for every incident
    ri_from: datetime | None = None
    settled_from: datetime | None = None
    settled: AnchorPoint | None = None
    if ris:
        starts = [iv.started_at for _, iv in ris]
        ri_from = _DAWN if None in starts else min(t for t in starts if t is not None)
        times = [t for _, iv in ris for t in (iv.started_at, iv.ended_at) if t is not None]
        settled_from = max(times) if times else None
        found = _ri_scan(ris, incident.occurred_at, None)
        settled = None if found is None else found.point()
    reported = incident.reported_at
    return _Views(
        awareness_at=reported if reported is not None else incident.occurred_at,
        category_set=frozenset(incident.categories),
        restrictive_interventions=ris,
        staff_injuries=staff,
        tags=frozenset(tags),
        ri_from=ri_from,
        ri_settled_from=settled_from,
        ri_settled=settled,
    )


def _ri_scan(
    ris: tuple[tuple[int, Intervention], ...], occurred_at: datetime, at: datetime | None
) -> _RiAnchor | None:
    """`Incident.ri_anchor` worked out in full (*at* ``None``: after every recorded time)."""
    latest: _RiAnchor | None = None
    for i, iv in ris:
        start, end = iv.started_at, iv.ended_at
        if at is not None:
            if start is not None and start > at:
                continue
            if end is not None and end > at:
                return None
        if end is not None:
            here = _RiAnchor(end, i, "ended_at")
        elif start is not None:
            here = _RiAnchor(start, i, "started_at")
        else:
            here = _RiAnchor(occurred_at, None, "occurred_at")
        if latest is None or here.at > latest.at:
            latest = here
    return latest
