"""
`effectiveness`: windows, counts, the not-enough-data rules, verdicts, and planted effects.

The planted-effect simulations are seeded (numpy's default_rng), so they are examples with a
fixed outcome, and their rates are printed by ``python tests/analysis/test_effectiveness.py``
(the figures in docs/effectiveness.md).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
import orjson
import pytest
from attrs import frozen
from hypothesis import given, settings
from hypothesis import strategies as st

from trauma_incidents.analysis import (
    ROW_FIELDS,
    ChangeEffect,
    ChangeKind,
    EffectMeasure,
    EffectVerdict,
    effectiveness,
)
from trauma_incidents.model import Incident
from trauma_incidents.outcomes import (
    Activity,
    ActivityOutcome,
    Measure,
    Outcomes,
    WellbeingCheck,
)
from trauma_incidents.plans import SupportPlans
from trauma_incidents.strategies import activities, wellbeing_checks
from trauma_incidents.testing import (
    T0,
    action,
    activity,
    days,
    deescalation,
    incident,
    restraint,
    support_plan,
    wellbeing_check,
)

CHANGE = T0 + days(100)  # a Wednesday, 10:00 UTC
WINDOW = days(56)
#: The data cover both default windows completely.
COVERED = (CHANGE - days(120), CHANGE + days(120))


@frozen
class Plan:
    """A support plan version as `effectiveness` reads one (contract C's attributes)."""

    id: str
    person_id: str
    effective_from: datetime


PLAN = Plan("SP-1", "P-001", CHANGE)


def incidents_at(offsets: Sequence[float], person: str = "P-001") -> list[Incident]:
    """An incident per offset, in days from the change."""
    return [
        incident(id=f"INC-{person}-{n}", person_id=person, occurred_at=CHANGE + days(offset))
        for n, offset in enumerate(offsets)
    ]


def row(rows: Sequence[ChangeEffect], measure: EffectMeasure, change: str = "SP-1") -> ChangeEffect:
    (found,) = [r for r in rows if r.measure is measure and r.change_id == change]
    return found


def spread(n: int, start: float, end: float) -> list[float]:
    """n offsets evenly inside (start, end)."""
    return [start + (end - start) * (k + 0.5) / n for k in range(n)]


class TestRates:
    def test_counts_exposure_and_the_exact_interval(self) -> None:
        """10 incidents in 56 days before, 2 after: 0.2 (0.0213 to 0.9385), improved."""
        held = incidents_at(spread(10, -56, 0) + spread(2, 0, 56))
        r = row(effectiveness(held, plans=[PLAN], covered=COVERED), EffectMeasure.INCIDENTS)
        assert (r.before.count, r.before.exposure_days, r.after.count) == (10, 56, 2)
        assert r.before.value == pytest.approx(5.0)  # per 28 days
        assert (round(r.estimate or 0, 4), round(r.ci_low or 0, 4)) == (0.2, 0.0213)
        assert round(r.ci_high or 0, 4) == 0.9385
        assert (r.verdict, r.reason) == (EffectVerdict.IMPROVED, None)

    def test_a_fall_to_zero_is_evidence(self) -> None:
        """8 before and none after is improved, not a lack of data."""
        r = row(
            effectiveness(incidents_at(spread(8, -56, 0)), plans=[PLAN], covered=COVERED),
            EffectMeasure.INCIDENTS,
        )
        assert (r.estimate, r.ci_low, r.verdict) == (0, 0, EffectVerdict.IMPROVED)

    def test_a_rise_is_worsened_and_unbounded_above_from_zero(self) -> None:
        """None before and 8 after: worsened; the estimate and upper end are infinite."""
        r = row(
            effectiveness(incidents_at(spread(8, 0, 56)), plans=[PLAN], covered=COVERED),
            EffectMeasure.INCIDENTS,
        )
        assert (r.estimate, r.ci_high, r.verdict) == (math.inf, math.inf, EffectVerdict.WORSENED)
        as_json = r.as_dict()
        assert (as_json["estimate"], as_json["ci_high"]) == (None, None)
        assert as_json["ci_low"] == pytest.approx(r.ci_low)

    @pytest.mark.parametrize(
        ("events", "verdict"),
        [(4, "not_enough_data"), (5, "no_clear_change"), (6, "improved")],
    )
    def test_min_events_counts_both_windows(self, events: int, verdict: str) -> None:
        """
        Fewer than min_events (5) in the two windows together is not enough.

        From 5 to none the exact interval still reaches 1 (0 to 1.09); from 6, 0.85.
        """
        r = row(
            effectiveness(incidents_at(spread(events, -56, 0)), plans=[PLAN], covered=COVERED),
            EffectMeasure.INCIDENTS,
        )
        assert r.verdict.value == verdict
        if events == 4:
            assert r.reason == "4 events in the two windows; 5 are needed"

    def test_min_events_is_an_option(self) -> None:
        held = incidents_at(spread(8, -56, 0))
        r = row(
            effectiveness(held, plans=[PLAN], covered=COVERED, min_events=9),
            EffectMeasure.INCIDENTS,
        )
        assert r.verdict is EffectVerdict.NOT_ENOUGH_DATA

    def test_restrictive_counts_restrictive_interventions(self) -> None:
        """Each restrictive intervention counts at its start; de-escalation does not count."""
        before = [
            incident(
                id=f"R-{n}",
                occurred_at=CHANGE - days(10 + n),
                interventions=(restraint(started_at=CHANGE - days(10 + n)), deescalation()),
            )
            for n in range(3)
        ]
        twice = incident(
            id="R-9",
            occurred_at=CHANGE - days(30),
            interventions=(
                restraint(started_at=CHANGE - days(30)),
                restraint(started_at=CHANGE - days(29)),
            ),
        )
        rows = effectiveness([*before, twice], plans=[PLAN], covered=COVERED)
        assert row(rows, EffectMeasure.RESTRICTIVE).before.count == 5
        assert row(rows, EffectMeasure.INCIDENTS).before.count == 4


class TestWindows:
    def test_skip_before_leaves_out_the_days_before_the_change(self) -> None:
        """The spike in the last 7 days is left out, and the window moves back 7 days."""
        spike = spread(10, -7, 0)
        calm = spread(4, -63, -7)  # -56, -42, -28 and -14
        held = incidents_at(spike + calm + spread(4, 0, 56))
        plain = row(effectiveness(held, plans=[PLAN], covered=COVERED), EffectMeasure.INCIDENTS)
        skipped = row(
            effectiveness(held, plans=[PLAN], covered=COVERED, skip_before=days(7)),
            EffectMeasure.INCIDENTS,
        )
        assert (plain.before.count, skipped.before.count) == (10 + 4, 4)
        assert skipped.before.start == CHANGE - days(63)
        assert skipped.before.end == CHANGE - days(7)
        assert (skipped.after.start, skipped.after.end) == (CHANGE, CHANGE + WINDOW)
        assert plain.verdict is EffectVerdict.IMPROVED
        assert skipped.verdict is EffectVerdict.NO_CLEAR_CHANGE

    def test_window_lengths_are_options(self) -> None:
        held = incidents_at([-20, -10, 5, 20])
        r = row(
            effectiveness(held, plans=[PLAN], covered=COVERED, before=days(14), after=days(28)),
            EffectMeasure.INCIDENTS,
        )
        assert (r.before.count, r.before.exposure_days, r.after.count) == (1, 14, 2)

    def test_a_window_cut_short_by_the_data_is_not_enough(self) -> None:
        """The data start 30 days before the change: exposure 30 days, and it says so."""
        held = incidents_at(spread(12, -30, 0) + spread(1, 0, 56))
        rows = effectiveness(held, plans=[PLAN], covered=(CHANGE - days(30), COVERED[1]))
        r = row(rows, EffectMeasure.INCIDENTS)
        assert (r.before.exposure_days, r.before.count) == (30, 12)
        assert r.before.value == pytest.approx(12 / 30 * 28)
        assert r.verdict is EffectVerdict.NOT_ENOUGH_DATA
        assert r.estimate is not None
        assert r.reason == (
            "the window before is cut short by the data's time range (30 of 56 days covered)"
        )

    def test_the_data_range_defaults_to_the_days_holding_records(self) -> None:
        """From the start of the first record's day to the end of the last's (London)."""
        held = incidents_at([-40.25, 50])  # 40 days and 6 hours before: 04:00 UTC
        rows = effectiveness(
            held,
            plans=[PLAN],
            outcomes=Outcomes.from_records([activity(CHANGE + days(70))]),
        )
        r = row(rows, EffectMeasure.INCIDENTS)
        assert r.before.exposure_days == pytest.approx(40 + 11 / 24, abs=0.01)  # BST: 23:00 UTC
        assert r.after.exposure_days == 56
        assert "window before is cut short" in (r.reason or "")

    def test_overlapping_changes_are_named(self) -> None:
        """A change inside another's windows (or its skipped days) is listed, both ways."""
        done = action("A-1", completed_at=CHANGE + days(20))
        held = [incident(id="INC-9", occurred_at=CHANGE - days(5), actions=(done,))]
        later = Plan("SP-2", "P-001", CHANGE + days(200))
        other = Plan("SP-3", "P-002", CHANGE)
        rows = effectiveness(held, plans=[PLAN, later, other], covered=COVERED)
        assert row(rows, EffectMeasure.INCIDENTS).overlaps == ("INC-9/A-1",)
        action_row = row(rows, EffectMeasure.INCIDENTS, "INC-9/A-1")
        assert action_row.change_kind is ChangeKind.ACTION
        assert action_row.overlaps == ("SP-1",)
        assert row(rows, EffectMeasure.INCIDENTS, "SP-2").overlaps == ()

    def test_rows_are_ordered_and_filtered_by_person(self) -> None:
        plans = [Plan("SP-9", "P-002", CHANGE), Plan("SP-2", "P-001", CHANGE + days(1)), PLAN]
        rows = effectiveness([], plans=plans, covered=COVERED)
        assert [(r.person_id, r.change_id) for r in rows[::5]] == [
            ("P-001", "SP-1"),
            ("P-001", "SP-2"),
            ("P-002", "SP-9"),
        ]
        assert [r.measure for r in rows[:5]] == list(EffectMeasure)
        only = effectiveness([], plans=plans, covered=COVERED, person_id="P-002")
        assert {r.change_id for r in only} == {"SP-9"}

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"before": timedelta(0)},
            {"after": -WINDOW},
            {"skip_before": -WINDOW},
            {"min_events": 0},
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object]) -> None:
        with pytest.raises(ValueError, match="must be"):
            effectiveness([], plans=[PLAN], **kwargs)  # type: ignore[arg-type]


def outcome_records(
    completed: Sequence[bool], distress: Sequence[int], anxiety: Sequence[int], side: int
) -> list[object]:
    """Activities and checks spread over the window before (side -1) or after (+1)."""
    lo, hi = (-56, 0) if side < 0 else (0, 56)
    records: list[object] = []
    for n, (done, level) in enumerate(zip(completed, distress, strict=True)):
        outcome = ActivityOutcome.COMPLETED if done else ActivityOutcome.ENDED_EARLY
        at = CHANGE + days(spread(len(completed), lo, hi)[n])
        records.append(activity(at, outcome, id=f"ACT-{side}-{n}", distress=level))
    for n, value in enumerate(anxiety):
        at = CHANGE + days(spread(len(anxiety), lo, hi)[n])
        records.append(wellbeing_check(at, value, Measure.ANXIETY, id=f"WC-{side}-{n}"))
    return records


class TestOutcomeMeasures:
    def test_shares_and_means_with_their_verdicts(self) -> None:
        """Fewer outings end early, distress falls, anxiety rises: each said so."""
        records = outcome_records(
            [True, False, False, True, False, False], [7, 8, 6, 7, 9, 8], [2, 3, 2, 3, 2], -1
        )
        records += outcome_records([True] * 6, [2, 3, 2, 1, 2, 3], [6, 7, 6, 7, 6], 1)
        checks = [wellbeing_check(CHANGE - days(3), 9, id="WC-D")]  # a distress check counts
        outcomes = Outcomes.from_records([*records, *checks])  # type: ignore[list-item]
        rows = effectiveness([], plans=[PLAN], outcomes=outcomes, covered=COVERED)
        share = row(rows, EffectMeasure.ACTIVITIES_COMPLETED)
        assert (share.before.count, share.before.n, share.after.count) == (2, 6, 6)
        assert share.estimate == pytest.approx(1 - 2 / 6)
        assert share.verdict is EffectVerdict.IMPROVED
        distress = row(rows, EffectMeasure.DISTRESS)
        assert (distress.before.n, distress.after.n) == (7, 6)
        assert distress.before.value == pytest.approx(54 / 7)
        assert distress.verdict is EffectVerdict.IMPROVED
        anxiety = row(rows, EffectMeasure.ANXIETY)
        assert anxiety.estimate == pytest.approx(6.4 - 2.4)
        assert anxiety.verdict is EffectVerdict.WORSENED

    def test_fewer_than_five_in_a_window_is_not_enough(self) -> None:
        records = outcome_records([True] * 4, [5] * 4, [5] * 5, -1)
        records += outcome_records([True] * 9, [5] * 9, [5] * 5, 1)
        outcomes = Outcomes.from_records(records)  # type: ignore[arg-type]
        rows = effectiveness([], plans=[PLAN], outcomes=outcomes, covered=COVERED)
        share = row(rows, EffectMeasure.ACTIVITIES_COMPLETED)
        assert share.verdict is EffectVerdict.NOT_ENOUGH_DATA
        assert share.reason == "4 activities before and 9 after; 5 are needed in each window"
        assert row(rows, EffectMeasure.ANXIETY).verdict is EffectVerdict.NO_CLEAR_CHANGE

    def test_without_outcome_records_it_says_none_were_supplied(self) -> None:
        rows = effectiveness([], plans=[PLAN], covered=COVERED)
        assert row(rows, EffectMeasure.DISTRESS).reason == "no outcome records were supplied"


def test_support_plans_are_the_plan_changes() -> None:
    """A `SupportPlans` collection: each version is a change at its effective_from."""
    first = support_plan(id="SP-A", effective_from=CHANGE - days(200))
    second = support_plan(id="SP-B", effective_from=CHANGE)
    plans = SupportPlans.from_records([second, first])
    held = incidents_at(spread(10, -56, 0) + spread(1, 0, 56))
    rows = effectiveness(held, plans=plans, covered=COVERED)
    assert [(r.change_kind, r.change_id) for r in rows[::5]] == [
        (ChangeKind.PLAN, "SP-A"),
        (ChangeKind.PLAN, "SP-B"),
    ]
    assert row(rows, EffectMeasure.INCIDENTS, "SP-B").verdict is EffectVerdict.IMPROVED


def test_json_and_row_shapes() -> None:
    """The effect command's JSON shape, and flat rows with the CSV columns."""
    held = incidents_at(spread(6, -56, 0))
    rows = effectiveness(held, plans=[PLAN], covered=COVERED)
    doc = row(rows, EffectMeasure.INCIDENTS).as_dict()
    assert list(doc) == [
        "person_id",
        "change_kind",
        "change_id",
        "changed_at",
        "measure",
        "before",
        "after",
        "estimate",
        "ci_low",
        "ci_high",
        "verdict",
        "overlaps",
        "reason",
    ]
    assert doc["before"] == {"count": 6, "exposure_days": 56.0, "rate_per_28d": 3.0, "n": 6}
    assert doc["changed_at"] == "2026-06-10T10:00:00+00:00"
    assert set(row(rows, EffectMeasure.DISTRESS).as_dict()["after"]) == {
        "count",
        "exposure_days",
        "mean",
        "n",
    }
    assert set(row(rows, EffectMeasure.ACTIVITIES_COMPLETED).as_dict()["after"]) >= {"share"}
    assert tuple(rows[0].row()) == ROW_FIELDS


# -- planted effects (seeded simulation) -----------------------------------------------------


def history(rng: np.random.Generator, before_rate: float, after_rate: float) -> list[Incident]:
    """Incidents as Poisson processes: *before_rate* per 28 days before, *after_rate* after."""
    offsets = list(rng.uniform(-56, 0, rng.poisson(before_rate * 2)))
    offsets += list(rng.uniform(0, 56, rng.poisson(after_rate * 2)))
    return incidents_at([float(o) for o in offsets])


def verdicts(
    runs: int, before_rate: float, after_rate: float, *, window: timedelta = WINDOW, seed: int
) -> Counter[EffectVerdict]:
    """The incident verdicts over *runs* seeded histories with the data covering the windows."""
    rng = np.random.default_rng(seed)
    found: Counter[EffectVerdict] = Counter()
    for _ in range(runs):
        rows = effectiveness(
            history(rng, before_rate, after_rate),
            plans=[PLAN],
            covered=COVERED,
            before=window,
            after=window,
        )
        found[row(rows, EffectMeasure.INCIDENTS).verdict] += 1
    return found


def test_a_planted_fall_from_12_to_2_is_found() -> None:
    """12 -> 2 per 28 days at a plan change: improved in at least 90% of 200 histories."""
    found = verdicts(200, 12, 2, seed=1612)
    assert found[EffectVerdict.IMPROVED] >= 180
    assert found[EffectVerdict.WORSENED] == 0


def test_no_change_is_rarely_called_a_change() -> None:
    """6 -> 6 per 28 days: improved or worsened in at most 7% of 400 histories."""
    found = verdicts(400, 6, 6, seed=1606)
    assert found[EffectVerdict.IMPROVED] + found[EffectVerdict.WORSENED] <= 28


def test_tiny_windows_are_not_enough() -> None:
    """One-day windows at 12 -> 2 per 28 days hold too few events to tell."""
    found = verdicts(200, 12, 2, window=days(1), seed=1601)
    assert found == Counter({EffectVerdict.NOT_ENOUGH_DATA: 200})


if __name__ == "__main__":  # the figures for docs/effectiveness.md
    for label, counts in (
        ("12 -> 2, 200 histories", verdicts(200, 12, 2, seed=1612)),
        ("6 -> 6, 400 histories", verdicts(400, 6, 6, seed=1606)),
        ("12 -> 2, 1-day windows, 200", verdicts(200, 12, 2, window=days(1), seed=1601)),
    ):
        print(label, {v.value: n for v, n in sorted(counts.items())})  # noqa: T201


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(-80, 80), max_size=30),
    st.lists(activities(person_id="P-001", after=CHANGE - days(80), within=days(160)), max_size=20),
    st.lists(
        wellbeing_checks(person_id="P-001", after=CHANGE - days(80), within=days(160)),
        max_size=20,
    ),
    st.integers(1, 90),
    st.integers(0, 20),
    st.booleans(),
)
def test_every_row_is_consistent(  # noqa: PLR0917 (one argument per strategy)
    offsets: list[float],
    acts: list[Activity],
    checks: list[WellbeingCheck],
    window: int,
    skip: int,
    whole: bool,
) -> None:
    """Whatever the data: the estimate inside its interval, the verdict agreeing with it."""
    outcomes = Outcomes.from_records(
        [*{a.id: a for a in acts}.values(), *{c.id: c for c in checks}.values()]
    )
    rows = effectiveness(
        incidents_at(offsets),
        plans=[PLAN],
        outcomes=outcomes,
        before=days(window),
        after=days(window),
        skip_before=days(skip),
        covered=(CHANGE - days(200), CHANGE + days(200)) if whole else None,
    )
    assert [r.measure for r in rows] == list(EffectMeasure)
    for r in rows:
        for w in (r.before, r.after):
            assert 0 <= w.exposure_days <= window
            assert 0 <= w.count <= max(w.n, w.count)
        orjson.dumps(r.as_dict())  # JSON-ready: no infinity, no datetime
        if r.estimate is not None:
            assert r.ci_low is not None
            assert r.ci_high is not None
            assert r.ci_low <= r.estimate <= r.ci_high
        if r.verdict is EffectVerdict.NOT_ENOUGH_DATA:
            assert r.reason is not None or r.estimate is None
        else:
            assert r.reason is None
            assert r.estimate is not None
            no_change = (
                1 if r.measure in {EffectMeasure.INCIDENTS, EffectMeasure.RESTRICTIVE} else 0
            )
            includes = (r.ci_low or 0) <= no_change <= (r.ci_high or 0)
            assert includes == (r.verdict is EffectVerdict.NO_CLEAR_CHANGE)
