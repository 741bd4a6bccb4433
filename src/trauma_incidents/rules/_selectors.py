"""
Selectors over the model, as data: where a rule applies, its anchor, and what counts as evidence.

Declarative packs and the durable_rules backend read the same values; nothing here runs text
supplied by a user.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import ClassVar, NamedTuple

from attrs import frozen

from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model._incident import AnchorPoint, Incident
from trauma_incidents.model._vocabularies import (
    Audience,
    Category,
    DebriefStatus,
    InjuredParty,
    InjurySeverity,
    Recipient,
    ReviewKind,
    Severity,
    Stage,
    Topic,
    TriggerKind,
)
from trauma_incidents.rules._patterns import ItemMatch, ItemPattern


class Candidate(NamedTuple):
    """A candidate piece of evidence: its time and the JSON path of the value."""

    at: datetime | None
    """``None`` when the record has no time for it (a trigger): it counts whenever present."""
    path: str


@frozen(kw_only=True)
class InjuryPattern:
    """Matches an injury by who was hurt and how seriously (each empty set matches any)."""

    who: frozenset[InjuredParty] = frozenset()
    severities: frozenset[InjurySeverity] = frozenset()

    def matches(self, incident: Incident) -> bool:
        """Whether any injury of *incident* matches."""
        return any(
            (not self.who or inj.who in self.who)
            and (not self.severities or inj.severity in self.severities)
            for inj in incident.injuries
        )


@frozen(kw_only=True)
class When:
    """
    A condition on an incident; every part that is set must hold.

    Attributes:
        categories: The incident has at least one of these categories.
        severities: The incident's severity is one of these.
        restrictive: Whether the incident has a restrictive intervention started by the time.
        injury: An injury matching this pattern is recorded.
        items: An item matching this pattern is recorded by the time (such as a physical
            restraint in the prone position).
    """

    categories: frozenset[Category] = frozenset()
    severities: frozenset[Severity] = frozenset()
    restrictive: bool | None = None
    injury: InjuryPattern | None = None
    items: ItemPattern | None = None

    def holds(self, incident: Incident, at: datetime) -> bool:
        """Whether the condition holds for *incident* as of *at*."""
        if self.categories and self.categories.isdisjoint(incident.category_set):
            return False
        if self.severities and incident.severity not in self.severities:
            return False
        if self.restrictive is not None and self.restrictive != incident.has_restrictive_by(at):
            return False
        if self.items is not None and not self.items.items(incident, at):
            return False
        return self.injury is None or self.injury.matches(incident)

    def gate(self) -> frozenset[str]:
        """Tags (`Incident.tags`) of which an incident needs one for this to hold; empty: any."""
        if self.restrictive:
            return frozenset({"restrictive"})
        if self.items is not None:
            return self.items.gate()
        if self.injury is not None:
            staff = self.injury.who == {InjuredParty.STAFF}
            return frozenset({"staff_injury" if staff else "injuries"})
        if self.categories:
            return frozenset(f"category:{c.value}" for c in self.categories)
        return frozenset(f"severity:{s.value}" for s in self.severities)


def gate_of(when: tuple[When, ...]) -> frozenset[str]:
    """The gate of *any of* these conditions: empty when one of them has none."""
    gates = [w.gate() for w in when]
    if not gates or not all(gates):
        return frozenset()
    return frozenset().union(*gates)


class Anchor(str, Enum):
    """What a deadline counts from."""

    OCCURRED = "occurred"
    """The incident's ``occurred_at``."""
    AWARENESS = "awareness"
    """``reported_at``, else ``occurred_at``: when the service knew."""
    RI_END = "restrictive_intervention_end"
    """The end of the last restrictive intervention (see `Incident.ri_anchor`): one deadline."""
    RI_EPISODE_END = "restrictive_episode_end"
    """
    The end of each restrictive episode (see `restrictive_episodes`): one deadline per episode,
    met only by evidence dated at or after that end. It has no single point, so `resolve` and
    `resolver` do not apply to it; `DeadlineRule` works it out per episode.
    """
    FIRST_STAGE = "first_safeguarding_stage"
    """The earliest safeguarding stage's ``entered_at``."""

    def resolve(self, incident: Incident, at: datetime) -> AnchorPoint | None:
        """
        The anchor's time and path as of *at*, or ``None`` if there is none yet.

        Raises:
            InvalidArgument: The anchor is `RI_EPISODE_END`, which has one point per episode.
        """
        return self.resolver(incident, at)

    @property
    def resolver(self) -> Callable[[Incident, datetime], AnchorPoint | None]:
        """
        `resolve` for this anchor, as a plain function (bound once by compiled rules).

        Raises:
            InvalidArgument: The anchor is `RI_EPISODE_END`, which has one point per episode.
        """
        found = _RESOLVERS.get(self)
        if found is None:
            msg = f"the {self.value} anchor has one point per episode (see restrictive_episodes)"
            raise InvalidArgument(msg)
        return found

    def describe(self) -> str:
        """The anchor in words, for messages."""
        return _ANCHOR_WORDS[self]

    def gate(self) -> frozenset[str]:
        """Tags of which an incident needs one for the anchor to exist; empty: always."""
        return _ANCHOR_GATES.get(self, frozenset())


_ANCHOR_WORDS = {
    Anchor.OCCURRED: "the incident",
    Anchor.AWARENESS: "the service became aware of the incident",
    Anchor.RI_END: "the restrictive intervention ended",
    Anchor.RI_EPISODE_END: "the restrictive episode ended",
    Anchor.FIRST_STAGE: "the safeguarding process began",
}


_ANCHOR_GATES = {
    Anchor.RI_END: frozenset({"restrictive"}),
    Anchor.RI_EPISODE_END: frozenset({"restrictive"}),
    Anchor.FIRST_STAGE: frozenset({"safeguarding"}),
}


def _occurred(incident: Incident, _at: datetime) -> AnchorPoint:
    return AnchorPoint(incident.occurred_at, "$.occurred_at")


def awareness_anchor(incident: Incident, _at: datetime) -> AnchorPoint:
    """`Anchor.AWARENESS` resolved: it always exists (``reported_at``, else ``occurred_at``)."""
    if incident.reported_at is not None:
        return AnchorPoint(incident.reported_at, "$.reported_at")
    return AnchorPoint(incident.occurred_at, "$.occurred_at")


def _ri_end(incident: Incident, at: datetime) -> AnchorPoint | None:
    return incident.ri_anchor(at)


def _first_stage(incident: Incident, at: datetime) -> AnchorPoint | None:
    sg = incident.safeguarding
    if sg is None:
        return None
    dated = [(s.entered_at, i) for i, s in enumerate(sg.stages) if s.entered_at <= at]
    if not dated:
        return None
    t, i = min(dated)
    return AnchorPoint(t, f"$.safeguarding.stages[{i}].entered_at")


_RESOLVERS: dict[Anchor, Callable[[Incident, datetime], AnchorPoint | None]] = {
    Anchor.OCCURRED: _occurred,
    Anchor.AWARENESS: awareness_anchor,
    Anchor.RI_END: _ri_end,
    Anchor.FIRST_STAGE: _first_stage,
}


#: A condition on an incident as of a time, as one function.
Test = Callable[[Incident, datetime], bool]


def _parts(when: When) -> list[Test]:
    """The parts of *when* that are set, each as a function, in `When.holds`' order."""
    parts: list[Test] = []
    categories, severities, restrictive = when.categories, when.severities, when.restrictive
    if categories:
        parts.append(lambda incident, _at: not categories.isdisjoint(incident.category_set))
    if severities:
        parts.append(lambda incident, _at: incident.severity in severities)
    if restrictive is not None:
        parts.append(lambda incident, at: incident.has_restrictive_by(at) is restrictive)
    if when.items is not None:
        items = when.items.items
        parts.append(lambda incident, at: bool(items(incident, at)))
    if when.injury is not None:
        injury = when.injury.matches
        parts.append(lambda incident, _at: injury(incident))
    return parts


def _all(parts: list[Test]) -> Test:
    """Whether every one of *parts* holds (at least one), as one function."""
    if len(parts) == 1:
        return parts[0]
    first, *rest = parts

    def every(incident: Incident, at: datetime) -> bool:
        if not first(incident, at):
            return False
        for part in rest:  # noqa: SIM110 (a loop: `all` over a generator costs more)
            if not part(incident, at):
                return False
        return True

    return every


def condition(when: tuple[When, ...]) -> Test | None:
    """
    Whether *any* of *when* holds, as one function; ``None`` when *when* is empty (always).

    Compiled rules bind this once: each condition becomes a function of only the parts that
    are set (the same tests as `When.holds`, in the same order), so a single condition of
    one part costs one call per incident.
    """
    tests = [_all(parts) if (parts := _parts(w)) else _always for w in when]
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]

    def any_of(incident: Incident, at: datetime) -> bool:
        for test in tests:  # noqa: SIM110 (as in `every`)
            if test(incident, at):
                return True
        return False

    return any_of


def _always(_incident: Incident, _at: datetime) -> bool:
    """A condition with no part set: it always holds."""
    return True


#: A matching item: its time (``None`` when it has none) and its index in its list.
Indexed = tuple[datetime | None, int]


@frozen(kw_only=True)
class DebriefMatch:
    """Debriefs with one of these audiences and statuses, covering all of these topics."""

    path: ClassVar[str] = "$.debriefs[{}].at"
    audiences: frozenset[Audience]
    statuses: frozenset[DebriefStatus] = frozenset(DebriefStatus)
    topics: frozenset[Topic] = frozenset()

    def indexed(self, incident: Incident) -> list[Indexed]:
        """Each matching debrief's time and index."""
        audiences, statuses, topics = self.audiences, self.statuses, self.topics
        return [
            (d.at, i)
            for i, d in enumerate(incident.debriefs)
            if d.audience in audiences and d.status in statuses and topics.issubset(d.topics)
        ]


@frozen(kw_only=True)
class ReviewMatch:
    """Completed reviews of one of these kinds."""

    path: ClassVar[str] = "$.reviews[{}].completed_at"
    kinds: frozenset[ReviewKind]

    def indexed(self, incident: Incident) -> list[Indexed]:
        """Each matching review's completion time and index."""
        kinds = self.kinds
        return [(r.completed_at, i) for i, r in enumerate(incident.reviews) if r.kind in kinds]


@frozen(kw_only=True)
class NotificationMatch:
    """Notifications to one of these recipients (and with duty of candour, if set)."""

    path: ClassVar[str] = "$.notifications[{}].sent_at"
    recipients: frozenset[Recipient]
    duty_of_candour: bool | None = None

    def indexed(self, incident: Incident) -> list[Indexed]:
        """Each matching notification's time and index."""
        recipients, candour = self.recipients, self.duty_of_candour
        return [
            (n.sent_at, i)
            for i, n in enumerate(incident.notifications)
            if n.recipient in recipients and (candour is None or n.duty_of_candour == candour)
        ]


@frozen(kw_only=True)
class StageMatch:
    """Safeguarding stages of one of these kinds, by when they were entered."""

    path: ClassVar[str] = "$.safeguarding.stages[{}].entered_at"
    stages: frozenset[Stage]

    def indexed(self, incident: Incident) -> list[Indexed]:
        """Each matching stage's time and index."""
        if incident.safeguarding is None:
            return []
        stages = self.stages
        return [
            (s.entered_at, i)
            for i, s in enumerate(incident.safeguarding.stages)
            if s.stage in stages
        ]


@frozen(kw_only=True)
class DesiredOutcomesMatch:
    """The time the person's desired outcomes were recorded (MSP-OUTCOMES)."""

    path: ClassVar[str] = "$.safeguarding.desired_outcomes_recorded_at"

    def indexed(self, incident: Incident) -> list[Indexed]:
        """The recording time, if any (the index is always 0)."""
        sg = incident.safeguarding
        if sg is None or sg.desired_outcomes_recorded_at is None:
            return []
        return [(sg.desired_outcomes_recorded_at, 0)]


@frozen(kw_only=True)
class TriggerMatch:
    """Triggers of a kind not excluded; triggers carry no time, so they count whenever present."""

    path: ClassVar[str] = "$.triggers[{}].kind"
    exclude: frozenset[TriggerKind] = frozenset({TriggerKind.UNKNOWN})

    def indexed(self, incident: Incident) -> list[Indexed]:
        """Each matching trigger's index, with no time."""
        exclude = self.exclude
        return [(None, i) for i, t in enumerate(incident.triggers) if t.kind not in exclude]


#: Every kind of evidence selector.
EvidenceMatch = (
    DebriefMatch
    | ReviewMatch
    | NotificationMatch
    | StageMatch
    | DesiredOutcomesMatch
    | TriggerMatch
    | ItemMatch
)


def earliest(
    match: EvidenceMatch, incident: Incident, at: datetime, since: datetime | None = None
) -> Candidate | None:
    """
    The earliest matching evidence recorded by *at*, with its path; untimed counts first.

    With *since*, only evidence dated at or after it counts (untimed evidence never does).
    """
    found = earliest_indexed(match, incident, at, since)
    return None if found is None else Candidate(found[0], evidence_path(match, found[1]))


def earliest_indexed(
    match: EvidenceMatch, incident: Incident, at: datetime, since: datetime | None = None
) -> Indexed | None:
    """
    `earliest`'s time and index, before its path is written (most evidence needs none).

    Deadline rules write the path (`evidence_path`) only for a verdict that cites it.
    """
    best_time: datetime | None = None
    best = 0
    for t, i in match.indexed(incident):
        if t is None:
            if since is None:
                return (None, i)
            continue
        if t <= at and (best_time is None or t < best_time) and (since is None or t >= since):
            best_time, best = t, i
    return None if best_time is None else (best_time, best)


def evidence_path(match: EvidenceMatch, index: int) -> str:
    """The JSON path of the evidence *match* found at *index* of its list."""
    return match.where(index) if isinstance(match, ItemMatch) else match.path.format(index)
