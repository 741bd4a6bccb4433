"""Thematic analysis checked against hand counts on a small fixed, synthetic data set."""

from __future__ import annotations

import importlib
from datetime import date, datetime, timedelta, timezone

import pytest

from trauma_incidents import analysis
from trauma_incidents.analysis import (
    analyse,
    breakdown,
    explanation_coverage,
    in_period,
    learning_actions,
    monthly,
    restrictive_trend,
    timeliness,
)
from trauma_incidents.model import (
    Category,
    Incident,
    LocationType,
    Outcome,
    ReviewKind,
    Setting,
    Stage,
    TriggerKind,
)
from trauma_incidents.testing import (
    action,
    incident,
    person_debrief,
    restraint,
    review,
    safeguarding,
    staff_debrief,
    stage,
    trigger,
)

UTC = timezone.utc
AT = datetime(2026, 4, 30, 12, tzinfo=UTC)
I1_AT = datetime(2026, 3, 2, 10, tzinfo=UTC)  # Monday, GMT
I3_AT = datetime(2026, 3, 7, 8, tzinfo=UTC)  # Saturday


def h(t: datetime, hours: float) -> datetime:
    return t + timedelta(hours=hours)


def data() -> list[Incident]:
    """Four incidents; the hand counts in each test below are read off this list."""
    i1_end = h(I1_AT, 0.25)
    i3_end = h(I3_AT, 0.25)
    return [
        incident(
            id="I1",
            person_id="P-1",
            service_id="S-A",
            occurred_at=I1_AT,
            setting=Setting.RESIDENTIAL_CARE,
            location_type=LocationType.LOUNGE,
            triggers=(trigger(TriggerKind.SENSORY), trigger(TriggerKind.SENSORY)),
            interventions=(restraint(started_at=h(I1_AT, 1 / 6), ended_at=i1_end),),
            debriefs=(staff_debrief(h(i1_end, 20)), person_debrief(h(i1_end, 10))),
            reviews=(review(ReviewKind.POST_INCIDENT_REVIEW, h(i1_end, 48)),),
            actions=(action(completed_at=h(I1_AT, 100), assessed_at=h(I1_AT, 200)),),
        ),
        incident(
            id="I2",
            person_id="P-1",
            service_id="S-A",
            occurred_at=datetime(2026, 3, 3, 22, 30, tzinfo=UTC),  # Tuesday
            categories=(Category.VERBAL_AGGRESSION, Category.PROPERTY_DAMAGE),
            setting=Setting.RESIDENTIAL_CARE,
            location_type=LocationType.BEDROOM,
            triggers=(trigger(TriggerKind.COMMUNICATION), trigger(TriggerKind.SENSORY)),
            actions=(action(),),
        ),
        incident(
            id="I3",
            person_id="P-2",
            service_id="S-B",
            occurred_at=I3_AT,
            categories=(Category.SELF_HARM,),
            setting=Setting.SUPPORTED_LIVING,
            interventions=(restraint(started_at=h(I3_AT, 1 / 6), ended_at=i3_end),),
            debriefs=(staff_debrief(h(i3_end, 30)),),
            reviews=(review(ReviewKind.SUPPORT_PLAN_REVIEW, h(i3_end, 120)),),
            safeguarding=safeguarding(
                # Saturday 7 March: two working days run to the end of Tuesday 10 March.
                stage(Stage.CONCERN_RAISED, h(I3_AT, 1), datetime(2026, 3, 9, 9, tzinfo=UTC)),
                stage(
                    Stage.INITIAL_ENQUIRY,
                    datetime(2026, 3, 10, 9, tzinfo=UTC),
                    datetime(2026, 3, 16, 9, tzinfo=UTC),
                ),
                stage(Stage.SECTION_42_ENQUIRY, datetime(2026, 3, 12, 9, tzinfo=UTC)),
            ),
        ),
        incident(
            id="I4",
            person_id="P-3",
            service_id="S-A",
            occurred_at=datetime(2026, 4, 5, 12, 30, tzinfo=UTC),  # Sunday, 13:30 BST
            categories=(Category.FALL,),
            setting=Setting.RESIDENTIAL_CARE,
            location_type=LocationType.GARDEN,
            triggers=(trigger(TriggerKind.ENVIRONMENTAL),),
            actions=(
                action(
                    completed_at=datetime(2026, 4, 6, tzinfo=UTC),
                    assessed_at=datetime(2026, 4, 20, tzinfo=UTC),
                    outcome=Outcome.NOT_EFFECTIVE,
                ),
                action("A-2", completed_at=datetime(2026, 4, 6, tzinfo=UTC)),
            ),
        ),
    ]


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        ("trigger_kind", {"sensory": 2, "communication": 1, "environmental": 1, "not_recorded": 1}),
        (
            "category",
            {
                "behavioural_distress": 1,
                "verbal_aggression": 1,
                "self_harm": 1,
                "fall": 1,
                "property_damage": 1,
            },
        ),
        ("setting", {"residential_care": 3, "supported_living": 1}),
        ("location_type", {"lounge": 1, "bedroom": 1, "garden": 1, "not_recorded": 1}),
        ("person", {"P-1": 2, "P-2": 1, "P-3": 1}),
        ("service", {"S-A": 3, "S-B": 1}),
    ],
)
def test_breakdowns_match_hand_counts(dimension: str, expected: dict[str, int]) -> None:
    """Each incident counts once per distinct value; zero counts are left out."""
    assert breakdown(data(), dimension).as_dict() == expected


def test_hours_and_weekdays_are_local_and_complete() -> None:
    """Hours and weekdays are UK local time, listed in full with zeros."""
    hours = breakdown(data(), "hour")
    assert len(hours.counts) == 24
    assert {v: n for v, n in hours.counts if n} == {"08": 1, "10": 1, "13": 1, "22": 1}
    days = breakdown(data(), "weekday").as_dict()
    assert list(days) == list(analysis.breakdown([], "weekday").as_dict())
    assert {d: n for d, n in days.items() if n} == {
        "Monday": 1,
        "Tuesday": 1,
        "Saturday": 1,
        "Sunday": 1,
    }


def test_rates_and_rows() -> None:
    """A rate is a share of the incidents counted; rows are flat."""
    b = breakdown(data(), "trigger_kind")
    assert (b.total, b.rate("sensory"), b.rate("trauma_reminder")) == (4, 0.5, 0.0)
    assert b.rows()[1] == {"dimension": "trigger_kind", "value": "sensory", "count": 2, "rate": 0.5}
    assert breakdown([], "person").rate("P-1") == 0.0
    with pytest.raises(ValueError, match="dimension='mood'"):
        breakdown(data(), "mood")


def test_months_and_the_reduction_trend() -> None:
    """Incidents and restrictive interventions by month; restrictive ones by person and kind."""
    months = monthly(data())
    assert [
        (m.month, m.incidents, m.with_restrictive, m.restrictive_interventions) for m in months
    ] == [
        ("2026-03", 3, 2, 2),
        ("2026-04", 1, 0, 0),
    ]
    assert [m.month for m in monthly([], start=date(2026, 1, 1), end=date(2026, 2, 1))] == [
        "2026-01",
        "2026-02",
    ]
    assert monthly([]) == ()
    assert [r.row() for r in restrictive_trend(data())] == [
        {"person_id": "P-1", "month": "2026-03", "kind": "physical_restraint", "count": 1},
        {"person_id": "P-2", "month": "2026-03", "kind": "physical_restraint", "count": 1},
    ]


def test_timeliness_matches_hand_counts() -> None:
    """Debriefs and reviews after each restrictive intervention, on time or not."""
    rows = {t.rule: t for t in timeliness(data(), at=AT)}
    db1, db2, ri1, ri2 = rows["DB001"], rows["DB002"], rows["RI001"], rows["RI002"]
    assert (db1.applicable, db1.on_time, db1.late, db1.overdue, db1.median_hours) == (
        2,
        1,
        1,
        0,
        25.0,
    )
    assert (db2.on_time, db2.overdue, db2.median_hours, db2.share_on_time) == (1, 1, 10.0, 0.5)
    assert (ri1.on_time, ri1.overdue, ri1.median_hours) == (1, 1, 48.0)
    assert (ri2.on_time, ri2.overdue, ri2.median_hours) == (1, 1, 120.0)


def test_timeliness_options_and_as_of() -> None:
    """A shorter deadline makes both debriefs late; before a deadline the obligation is open."""
    (db1,) = timeliness(data(), at=AT, rules=["DB001"], options={"DB001": "12h"})
    assert (db1.within, db1.on_time, db1.late) == ("12h", 0, 2)
    (early,) = timeliness(data(), at=h(I1_AT, 2), rules=["DB001"])
    assert (early.applicable, early.open, early.share_on_time, early.median_hours) == (
        1,
        1,
        None,
        None,
    )
    with pytest.raises(ValueError, match="LN003"):
        timeliness(data(), at=AT, rules=["LN003"])


def test_explanations_and_actions() -> None:
    """Stages explained within 2 working days; actions completed and judged effective."""
    e = explanation_coverage(data(), at=AT)
    assert (e.stages, e.explained, e.explained_in_time) == (3, 2, 1)
    assert (e.share_explained, e.share_in_time) == (2 / 3, 1 / 3)
    a = learning_actions(data(), at=AT)
    assert (a.actions, a.completed, a.assessed, a.effective, a.not_effective) == (4, 3, 2, 1, 1)
    assert (a.share_completed, a.share_effective) == (0.75, 0.5)
    assert explanation_coverage([], at=AT).share_in_time is None


def test_analyse_filters_and_tables() -> None:
    """analyse chooses a period and a service, and gives every figure as flat tables."""
    march = analyse(data(), at=AT, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert (march.incidents, march.people, march.restrictive_interventions) == (3, 2, 2)
    assert [i.id for i in in_period(data(), service_id="S-B")] == ["I3"]
    whole = analyse(data(), at=AT)
    tables = whole.tables()
    assert set(tables) == {
        "breakdowns",
        "months",
        "restrictive",
        "timeliness",
        "explanations",
        "actions",
    }
    assert all(
        isinstance(v, str | int | float | type(None))
        for rows in tables.values()
        for row in rows
        for v in row.values()
    )
    assert tables["actions"][0]["effective"] == 1
    assert analyse(data(), at=I1_AT).incidents == 1


def test_export_list() -> None:
    """analysis exports exactly its public names, sorted."""
    module = importlib.import_module("trauma_incidents.analysis")
    assert module.__all__ == sorted(module.__all__, key=lambda n: (not n.isupper(), n))
    assert all(hasattr(module, n) for n in module.__all__)
