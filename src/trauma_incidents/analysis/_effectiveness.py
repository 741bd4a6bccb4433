"""
Did a change work? Each change's window before compared with its window after, per measure.

A change is a new support plan version (at its ``effective_from``) or a completed learning
action (at its ``completed_at``), for one person. For each change and each measure the
window before the change (``before`` long, ending ``skip_before`` ahead of it) is compared
with the window after it (``after`` long, starting at the change):

- ``incidents`` and ``restrictive``: incidents and restrictive interventions per 28 days,
  compared as a rate ratio (after over before) with the exact conditional interval;
- ``activities_completed``: the share of activities completed, after minus before, with
  Newcombe's interval;
- ``distress`` and ``anxiety``: the mean distress (activities and wellbeing checks) and the
  mean anxiety (checks), after minus before, with Welch's interval.

See `trauma_incidents.analysis._intervals` for the methods and ``docs/effectiveness.md``
for what the numbers mean and what they cannot tell.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from typing import Any, Protocol

from attrs import frozen

from trauma_incidents._calendar import LONDON, UTC, end_of_day, london_day
from trauma_incidents.analysis._intervals import (
    Interval,
    _stats,
    mean_difference,
    proportion_difference,
    rate_ratio,
)
from trauma_incidents.model._incident import Incident
from trauma_incidents.model._vocabularies import Vocabulary
from trauma_incidents.outcomes._records import ActivityOutcome, Measure, Outcomes

__all__ = [
    "MIN_OBSERVATIONS",
    "ROW_FIELDS",
    "WINDOW",
    "ChangeEffect",
    "ChangeKind",
    "EffectMeasure",
    "EffectVerdict",
    "PlanVersion",
    "Window",
    "action_effects",
    "effectiveness",
]

#: The fewest observations each window needs for a share or a mean.
MIN_OBSERVATIONS = 5
#: The default length of the windows before and after a change.
WINDOW = timedelta(days=56)
_DAY = timedelta(days=1)
_PER = 28  # rates are per 28 days


class ChangeKind(Vocabulary):
    """What changed: a support plan version came into force, or a learning action was done."""

    PLAN = "plan"
    ACTION = "action"


class EffectMeasure(Vocabulary):
    """What is compared before and after a change."""

    INCIDENTS = "incidents"
    RESTRICTIVE = "restrictive"
    ACTIVITIES_COMPLETED = "activities_completed"
    DISTRESS = "distress"
    ANXIETY = "anxiety"


class EffectVerdict(Vocabulary):
    """What the comparison says, in the direction of the person's good."""

    IMPROVED = "improved"
    WORSENED = "worsened"
    NO_CLEAR_CHANGE = "no_clear_change"
    NOT_ENOUGH_DATA = "not_enough_data"


class PlanVersion(Protocol):
    """What a change needs of a support plan version (`trauma_incidents.plans.SupportPlan`)."""

    @property
    def id(self) -> str:
        """The version's id."""

    @property
    def person_id(self) -> str:
        """The person's id."""

    @property
    def effective_from(self) -> datetime:
        """When the version came into force."""


@frozen
class _Change:
    person_id: str
    kind: ChangeKind
    id: str
    at: datetime


@frozen(kw_only=True)
class Window:
    """
    One window's figures.

    Attributes:
        start: Where the window starts.
        end: Where it ends (not included).
        exposure_days: How much of it the data cover, in days.
        count: Events (rates), activities completed (shares) or values (means).
        n: The observations the figure rests on: events, activities or values.
        value: Events per 28 days, the share completed, or the mean; ``None`` without
            exposure or observations.
    """

    start: datetime
    end: datetime
    exposure_days: float
    count: int
    n: int
    value: float | None


@frozen(kw_only=True)
class ChangeEffect:
    """
    One change, one measure: before and after, the estimate with its 95% interval, a verdict.

    Attributes:
        person_id: The person.
        change_kind: A support plan version or a learning action.
        change_id: The plan version's id, or ``<incident id>/<action id>``.
        changed_at: When the change took effect.
        measure: What is compared.
        before: The window before the change.
        after: The window after it.
        estimate: The rate ratio (after / before) or the difference (after - before);
            ``None`` when it cannot be computed, ``math.inf`` for a rise from no events.
        ci_low: The interval's lower end (``None`` as for the estimate).
        ci_high: The interval's upper end (``math.inf`` when unbounded).
        verdict: ``improved`` or ``worsened`` when the interval excludes no change (1 for
            ratios, 0 for differences) on that side; else ``no_clear_change``; or
            ``not_enough_data``, with the reason.
        overlaps: The ids of the person's other changes from the start of the window before
            to the end of the window after.
        reason: Why there is not enough data, in words; else ``None``.
    """

    person_id: str
    change_kind: ChangeKind
    change_id: str
    changed_at: datetime
    measure: EffectMeasure
    before: Window
    after: Window
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    verdict: EffectVerdict
    overlaps: tuple[str, ...]
    reason: str | None

    def as_dict(self) -> dict[str, Any]:
        """As the ``effect`` command's JSON: an unbounded end or estimate is ``null``."""
        key = _VALUE_KEYS[self.measure]
        return {
            "person_id": self.person_id,
            "change_kind": self.change_kind.value,
            "change_id": self.change_id,
            "changed_at": self.changed_at.isoformat(),
            "measure": self.measure.value,
            "before": _window_dict(self.before, key),
            "after": _window_dict(self.after, key),
            "estimate": _finite(self.estimate),
            "ci_low": _finite(self.ci_low),
            "ci_high": _finite(self.ci_high),
            "verdict": self.verdict.value,
            "overlaps": list(self.overlaps),
            "reason": self.reason,
        }

    def row(self) -> dict[str, Any]:
        """As one flat row (for CSV, pandas or a database)."""
        flat = self.as_dict()
        for side in ("before", "after"):
            window = flat.pop(side)
            key = _VALUE_KEYS[self.measure]
            for name in ("count", "n", "exposure_days"):
                flat[f"{side}_{name}"] = window[name]
            flat[f"{side}_value"] = window[key]
        flat["overlaps"] = " ".join(self.overlaps)
        return {name: flat[name] for name in ROW_FIELDS}


#: The columns of `ChangeEffect.row`.
ROW_FIELDS = (
    "person_id",
    "change_kind",
    "change_id",
    "changed_at",
    "measure",
    "before_count",
    "before_n",
    "before_exposure_days",
    "before_value",
    "after_count",
    "after_n",
    "after_exposure_days",
    "after_value",
    "estimate",
    "ci_low",
    "ci_high",
    "verdict",
    "overlaps",
    "reason",
)

_VALUE_KEYS = {
    EffectMeasure.INCIDENTS: "rate_per_28d",
    EffectMeasure.RESTRICTIVE: "rate_per_28d",
    EffectMeasure.ACTIVITIES_COMPLETED: "share",
    EffectMeasure.DISTRESS: "mean",
    EffectMeasure.ANXIETY: "mean",
}


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isinf(value) else value


def _window_dict(window: Window, key: str) -> dict[str, Any]:
    return {
        "count": window.count,
        "exposure_days": window.exposure_days,
        key: window.value,
        "n": window.n,
    }


def effectiveness(
    incidents: Iterable[Incident],
    *,
    plans: Iterable[PlanVersion] = (),
    outcomes: Outcomes | None = None,
    before: timedelta = WINDOW,
    after: timedelta = WINDOW,
    skip_before: timedelta = timedelta(0),
    person_id: str | None = None,
    min_events: int = 5,
    covered: tuple[datetime, datetime] | None = None,
) -> tuple[ChangeEffect, ...]:
    """
    Compare, for each change and each measure, the window before it with the window after.

    Args:
        incidents: Every incident (of everyone, or of the people of interest).
        plans: Support plan versions (a `trauma_incidents.plans.SupportPlans`, or any
            objects with ``id``, ``person_id`` and ``effective_from``).
        outcomes: Activities and wellbeing checks, for the shares and means.
        before: The length of the window before each change.
        after: The length of the window after it, which starts at the change.
        skip_before: The time just before the change left out of the window before (where
            the spike that prompted the change usually sits).
        person_id: Only this person's changes.
        min_events: The fewest events the two windows together need for a rate ratio.
        covered: The time the data cover; by default from the start of the first day
            (Europe/London) holding an incident or an outcome record to the end of the last.
            A window reaching outside it is cut short: its exposure is the part inside, and
            its verdict ``not_enough_data``.

    Returns:
        One row per change and measure, by person, time of change, kind and id, measure.

    Raises:
        ValueError: A window that is not positive, a negative *skip_before*, or
            *min_events* under 1.
        MissingExtraError: SciPy (the ``[analysis]`` extra) is not installed.
    """
    if before <= timedelta(0) or after <= timedelta(0) or skip_before < timedelta(0):
        msg = "before and after must be positive and skip_before zero or more"
        raise ValueError(msg)
    if min_events < 1:
        msg = f"min_events must be 1 or more (got {min_events})"
        raise ValueError(msg)
    held = tuple(incidents)
    supplied = outcomes is not None
    outcomes = Outcomes() if outcomes is None else outcomes
    span = _data_range(held, outcomes) if covered is None else covered
    changes = _changes(held, plans)
    people = {c.person_id for c in changes if person_id in {None, c.person_id}}
    events = _events(held, people)
    rows: list[ChangeEffect] = []
    for change in changes:
        if change.person_id not in people:
            continue
        start = change.at - skip_before - before
        sides = _sides(((start, start + before), (change.at, change.at + after)), span)
        overlaps = tuple(
            c.id
            for c in changes
            if c.person_id == change.person_id and c != change and start <= c.at < change.at + after
        )
        data = _PersonData(events[change.person_id], outcomes, change.person_id, supplied)
        rows.extend(
            _compare(change, measure, sides, data, overlaps=overlaps, min_events=min_events)
            for measure in EffectMeasure
        )
    return tuple(rows)


def action_effects(
    incidents: Iterable[Incident], outcomes: Outcomes, at: datetime
) -> dict[tuple[str, str], dict[str, str]]:
    """
    Each learning action completed by *at*: each measure's verdict, from data known by *at*.

    What LN005 reads (`trauma_incidents.rules.Context.effects`), keyed by ``(incident id,
    action id)`` (the first incident with an id wins). *incidents* are those known by *at*.
    Each person is compared on their own: `effectiveness` with its default windows over the
    person's incidents and the outcome records dated by *at*, the data taken to cover from
    the start of the person's first day with a record to *at* (records are taken to be
    complete up to *at*, as every deadline rule takes them). An action is in the result only
    once its window after has closed (56 days after its completion), a verdict never depends
    on another person's records, and records after *at* are ignored.

    Raises:
        MissingExtraError: SciPy (the ``[analysis]`` extra) is not installed, even when no
            interval would be needed (outcomes supplied means the comparison is wanted).
    """
    _stats()
    people: defaultdict[str, list[Incident]] = defaultdict(list)
    for incident in incidents:
        people[incident.person_id].append(incident)
    found: dict[tuple[str, str], dict[str, str]] = {}
    for person, held in people.items():
        keys: dict[str, tuple[str, str]] = {}
        for i in held:
            for a in i.actions:
                if a.completed_at is not None and a.completed_at + WINDOW <= at:
                    keys.setdefault(f"{i.id}/{a.id}", (i.id, a.id))
        if not keys:
            continue
        mine = Outcomes.from_records(r for r in outcomes.of(person) if r.at <= at)
        covered = (_data_range(held, mine)[0], at)
        for row in effectiveness(held, outcomes=mine, covered=covered):
            key = keys.get(row.change_id) if row.change_kind is ChangeKind.ACTION else None
            if key is not None and row.after.end <= at:  # the window after has closed
                found.setdefault(key, {}).setdefault(row.measure.value, row.verdict.value)
    return found


def _data_range(incidents: Sequence[Incident], outcomes: Outcomes) -> tuple[datetime, datetime]:
    times = [i.occurred_at for i in incidents] + [r.at for r in outcomes]
    if not times:
        return datetime.min.replace(tzinfo=UTC), datetime.min.replace(tzinfo=UTC)
    first, last = london_day(min(times)), london_day(max(times))
    return datetime.combine(first, time(0), tzinfo=LONDON).astimezone(UTC), end_of_day(last)


def _changes(incidents: Sequence[Incident], plans: Iterable[PlanVersion]) -> list[_Change]:
    found = [_Change(p.person_id, ChangeKind.PLAN, p.id, p.effective_from) for p in plans]
    found += [
        _Change(i.person_id, ChangeKind.ACTION, f"{i.id}/{a.id}", a.completed_at)
        for i in incidents
        for a in i.actions
        if a.completed_at is not None
    ]
    return sorted(found, key=lambda c: (c.person_id, c.at, c.kind.value, c.id))


@frozen
class _Events:
    incidents: tuple[datetime, ...]
    restrictive: tuple[datetime, ...]


def _events(incidents: Sequence[Incident], people: set[str]) -> dict[str, _Events]:
    occurred: defaultdict[str, list[datetime]] = defaultdict(list)
    restrictive: defaultdict[str, list[datetime]] = defaultdict(list)
    for incident in incidents:
        if incident.person_id in people:
            occurred[incident.person_id].append(incident.occurred_at)
            restrictive[incident.person_id] += [
                ri.started_at or incident.occurred_at
                for _, ri in incident.restrictive_interventions
            ]
    return {p: _Events(tuple(occurred[p]), tuple(restrictive[p])) for p in people}


@frozen
class _PersonData:
    events: _Events
    outcomes: Outcomes
    person_id: str
    supplied: bool  # whether outcome records were supplied at all

    def times(self, measure: EffectMeasure) -> tuple[datetime, ...]:
        if measure is EffectMeasure.INCIDENTS:
            return self.events.incidents
        return self.events.restrictive

    def completions(self, lo: datetime, hi: datetime) -> list[bool]:
        return [
            a.outcome is ActivityOutcome.COMPLETED
            for a in self.outcomes.activities_of(self.person_id)
            if lo <= a.at < hi
        ]

    def values(self, measure: EffectMeasure, lo: datetime, hi: datetime) -> list[int]:
        wanted = Measure.DISTRESS if measure is EffectMeasure.DISTRESS else Measure.ANXIETY
        found = [
            c.value
            for c in self.outcomes.checks_of(self.person_id)
            if c.measure is wanted and lo <= c.at < hi
        ]
        if measure is EffectMeasure.DISTRESS:
            found += [
                a.distress
                for a in self.outcomes.activities_of(self.person_id)
                if a.distress is not None and lo <= a.at < hi
            ]
        return found


_Span = tuple[datetime, datetime]
#: A window: its start and end, the part the data cover (lo, hi) and that part in days.
_Side = tuple[datetime, datetime, datetime, datetime, float]
_RATES = (EffectMeasure.INCIDENTS, EffectMeasure.RESTRICTIVE)
# Whether a lower value is better, for the verdict's direction.
_LOWER_IS_BETTER = {m: m is not EffectMeasure.ACTIVITIES_COMPLETED for m in EffectMeasure}


def _sides(windows: tuple[_Span, _Span], span: _Span) -> list[_Side]:
    """Each window with the part the data cover, and its length in days."""
    sides = []
    for start, end in windows:
        lo, hi = max(start, span[0]), min(end, span[1])
        sides.append((start, end, lo, hi, max(round((hi - lo) / _DAY, 2), 0.0)))
    return sides


def _compare(
    change: _Change,
    measure: EffectMeasure,
    sides: list[_Side],
    data: _PersonData,
    *,
    overlaps: tuple[str, ...],
    min_events: int,
) -> ChangeEffect:
    if measure in _RATES:
        (b, a), interval, shortfall = _rates(measure, sides, data, min_events)
    elif measure is EffectMeasure.ACTIVITIES_COMPLETED:
        (b, a), interval, shortfall = _shares(sides, data)
    else:
        (b, a), interval, shortfall = _means(measure, sides, data)
    reason = _cut_short(b, a) or shortfall
    if reason is not None or interval is None:
        verdict = EffectVerdict.NOT_ENOUGH_DATA
    else:
        verdict = _verdict(interval, measure)
    return ChangeEffect(
        person_id=change.person_id,
        change_kind=change.kind,
        change_id=change.id,
        changed_at=change.at,
        measure=measure,
        before=b,
        after=a,
        estimate=None if interval is None else interval.estimate,
        ci_low=None if interval is None else interval.low,
        ci_high=None if interval is None else interval.high,
        verdict=verdict,
        overlaps=overlaps,
        reason=reason,
    )


_Result = tuple[tuple[Window, Window], Interval | None, str | None]


def _rates(
    measure: EffectMeasure, sides: list[_Side], data: _PersonData, min_events: int
) -> _Result:
    times = data.times(measure)
    counts = [sum(1 for t in times if side[2] <= t < side[3]) for side in sides]
    b, a = (
        _window(side, n, n, n / side[4] * _PER if side[4] else None)
        for side, n in zip(sides, counts, strict=True)
    )
    total = b.count + a.count
    interval = None
    if total and b.exposure_days and a.exposure_days:
        interval = rate_ratio(b.count, b.exposure_days, a.count, a.exposure_days)
    shortfall = None
    if total < min_events:
        shortfall = f"{_plural(total, 'event')} in the two windows; {min_events} are needed"
    return (b, a), interval, shortfall


def _window(side: _Side, count: int, n: int, value: float | None) -> Window:
    start, end, _, _, days = side
    return Window(start=start, end=end, exposure_days=days, count=count, n=n, value=value)


def _shares(sides: list[_Side], data: _PersonData) -> _Result:
    done = [data.completions(side[2], side[3]) for side in sides]
    b, a = (
        _window(side, sum(d), len(d), sum(d) / len(d) if d else None)
        for side, d in zip(sides, done, strict=True)
    )
    interval = None
    if b.n and a.n:
        interval = proportion_difference(b.count, b.n, a.count, a.n)
    return (b, a), interval, _too_few(b, a, "activities", data)


def _means(measure: EffectMeasure, sides: list[_Side], data: _PersonData) -> _Result:
    values = [data.values(measure, side[2], side[3]) for side in sides]
    b, a = (
        _window(side, len(v), len(v), sum(v) / len(v) if v else None)
        for side, v in zip(sides, values, strict=True)
    )
    interval = None
    if b.n >= 2 and a.n >= 2:  # noqa: PLR2004 (a variance needs two)
        interval = mean_difference(values[0], values[1])
    return (b, a), interval, _too_few(b, a, f"{measure.value} values", data)


def _too_few(b: Window, a: Window, what: str, data: _PersonData) -> str | None:
    if min(b.n, a.n) >= MIN_OBSERVATIONS:
        return None
    if not data.supplied:
        return "no outcome records were supplied"
    return f"{b.n} {what} before and {a.n} after; {MIN_OBSERVATIONS} are needed in each window"


def _cut_short(b: Window, a: Window) -> str | None:
    short = [
        f"the window {side} is cut short by the data's time range"
        f" ({w.exposure_days:g} of {(w.end - w.start) / _DAY:g} days covered)"
        for side, w in (("before", b), ("after", a))
        if w.exposure_days < (w.end - w.start) / _DAY
    ]
    return "; ".join(short) or None


def _verdict(interval: Interval, measure: EffectMeasure) -> EffectVerdict:
    no_change = 1.0 if measure in _RATES else 0.0
    if interval.low <= no_change <= interval.high:
        return EffectVerdict.NO_CLEAR_CHANGE
    below = interval.high < no_change
    return EffectVerdict.IMPROVED if below == _LOWER_IS_BETTER[measure] else EffectVerdict.WORSENED


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
