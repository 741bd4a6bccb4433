"""Tests for `trauma_incidents.strategies`: valid incidents that keep each argument's promise."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trauma_incidents import model, strategies
from trauma_incidents.errors import InvalidArgument
from trauma_incidents.loading import load_incident
from trauma_incidents.model import (
    Audience,
    DebriefStatus,
    Incident,
    InterventionKind,
    Recipient,
    ReviewKind,
    Topic,
    TriggerKind,
)
from trauma_incidents.model._validators import is_aware

LATE = datetime(2030, 1, 1, tzinfo=timezone.utc)
MODEL_CLASSES = [getattr(model, name) for name in model.__all__ if attrs.has(getattr(model, name))]


def _datetimes(value: Any) -> list[datetime]:
    """Every datetime anywhere inside *value*."""
    if isinstance(value, datetime):
        return [value]
    if attrs.has(type(value)):
        return [t for f in attrs.fields(type(value)) for t in _datetimes(getattr(value, f.name))]
    if isinstance(value, tuple):
        return [t for item in value for t in _datetimes(item)]
    return []


def assert_valid(inc: Incident) -> None:
    """Check the domain's order of events and the model's invariants."""
    o = inc.occurred_at
    assert all(is_aware(t) for t in _datetimes(inc))
    assert inc.id.strip()
    assert inc.person_id.strip()
    assert inc.service_id.strip()
    assert inc.categories
    assert inc.reported_at is None or inc.reported_at >= o
    for iv in inc.interventions:
        if iv.started_at is not None:
            assert iv.started_at >= o
            assert iv.ended_at is None or iv.ended_at >= iv.started_at
    assert all(d.at >= o for d in inc.debriefs)
    assert all(r.completed_at >= o for r in inc.reviews)
    assert all(n.sent_at >= o for n in inc.notifications)
    if inc.safeguarding is not None:
        for stage in inc.safeguarding.stages:
            assert stage.entered_at >= o
            assert stage.explanation is None or stage.explanation.at >= stage.entered_at
    ids = [a.id for a in inc.actions]
    assert len(ids) == len(set(ids))
    for a in inc.actions:
        if a.completed_at is not None:
            assert a.completed_at >= o
            assert a.effectiveness is None or a.effectiveness.assessed_at >= a.completed_at


class TestIncidents:
    @given(strategies.incidents())
    def test_valid(self, inc: Incident) -> None:
        """Every generated incident respects the domain's invariants."""
        assert_valid(inc)

    @given(strategies.incidents(restrictive=True))
    def test_restrictive(self, inc: Incident) -> None:
        """restrictive=True gives at least one restrictive intervention."""
        assert inc.restrictive_interventions

    @given(strategies.incidents(restrictive=False))
    def test_not_restrictive(self, inc: Incident) -> None:
        """restrictive=False gives none."""
        assert inc.restrictive_interventions == ()

    @given(strategies.incidents(with_safeguarding=True))
    def test_with_safeguarding(self, inc: Incident) -> None:
        """with_safeguarding=True gives a process that starts with a concern."""
        assert inc.safeguarding is not None
        assert inc.safeguarding.stages[0].stage == model.Stage.CONCERN_RAISED

    @given(strategies.incidents(with_safeguarding=False))
    def test_without_safeguarding(self, inc: Incident) -> None:
        """with_safeguarding=False gives no process."""
        assert inc.safeguarding is None

    @given(strategies.incidents(around=datetime(2026, 6, 1, 12, tzinfo=timezone.utc)))
    def test_around(self, inc: Incident) -> None:
        """around keeps occurred_at within 7 days of it."""
        centre = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
        assert abs(inc.occurred_at - centre) <= timedelta(days=7)

    @given(strategies.incidents(person_ids=st.just("P-777"), service_ids=st.just("SVC-X")))
    def test_ids(self, inc: Incident) -> None:
        """person_ids and service_ids strategies are used."""
        assert (inc.person_id, inc.service_id) == ("P-777", "SVC-X")


class TestCompleteness:
    @given(strategies.incidents(complete=True))
    def test_complete_has_no_findings(self, inc: Incident) -> None:
        """A complete incident meets every default rule, even long afterwards."""
        from trauma_incidents.engine import evaluate  # noqa: PLC0415 (only these tests need it)

        assert_valid(inc)
        report = evaluate([inc], at=LATE)
        assert [(f.rule, f.message) for f in report.findings] == []
        assert report.faults == ()

    @given(strategies.incidents(complete=False))
    def test_incomplete_has_findings(self, inc: Incident) -> None:
        """An incomplete incident has at least one gap a default rule flags."""
        from trauma_incidents.engine import evaluate  # noqa: PLC0415 (only these tests need it)

        assert_valid(inc)
        assert evaluate([inc], at=LATE).findings


class TestRoundTrip:
    @given(strategies.incidents())
    def test_dump_then_load(self, inc: Incident) -> None:
        """Generated incidents pass the loader and load back equal."""
        loading = pytest.importorskip("trauma_incidents.loading")

        assert inc == loading.load_incident(loading.dump_incident(inc))


class TestParts:
    @given(strategies.triggers(known=True))
    def test_known_triggers(self, trigger: model.Trigger) -> None:
        """known=True never gives an unknown trigger."""
        assert trigger.kind is not TriggerKind.UNKNOWN

    @given(strategies.interventions(restrictive=True, detailed=True))
    def test_detailed_restrictive(self, iv: model.Intervention) -> None:
        """detailed=True records everything RI003 asks for."""
        assert iv.is_restrictive
        assert None not in (iv.started_at, iv.ended_at, iv.reason, iv.in_support_plan)
        assert iv.staff_ids
        if iv.kind is InterventionKind.PHYSICAL_RESTRAINT:
            assert iv.position is not None

    @given(strategies.interventions(detailed=False))
    def test_undetailed(self, iv: model.Intervention) -> None:
        """detailed=False leaves a detail out."""
        assert None in (iv.started_at, iv.ended_at, iv.reason, iv.in_support_plan) or (
            not iv.staff_ids
        )

    @given(strategies.debriefs(audience=Audience.STAFF, topics=[Topic.TIMELINE]))
    def test_debrief_topics(self, debrief: model.Debrief) -> None:
        """topics are always covered, by a held debrief."""
        assert Audience.STAFF is debrief.audience
        assert DebriefStatus.HELD is debrief.status
        assert Topic.TIMELINE in debrief.topics

    @given(strategies.reviews(kind=ReviewKind.REFLECTIVE_REVIEW, learning=False))
    def test_review_without_learning(self, review: model.Review) -> None:
        """learning=False leaves root causes or changes empty."""
        assert not (review.root_causes and review.changes)

    @given(strategies.notifications(recipient=Recipient.CQC, duty_of_candour=False))
    def test_notification(self, notification: model.Notification) -> None:
        """recipient and duty_of_candour are kept."""
        assert (notification.recipient, notification.duty_of_candour) == (Recipient.CQC, False)

    @given(st.lists(strategies.actions(), unique_by=lambda a: a.id))
    def test_actions(self, actions: list[model.Action]) -> None:
        """Actions make a valid incident."""
        assert_valid(attrs.evolve(_incident(), actions=tuple(actions)))

    @given(strategies.actions(on_time=False))
    def test_late_action(self, action: model.Action) -> None:
        """on_time=False completes after the due time."""
        assert isinstance(action.due, datetime)
        assert action.completed_at is not None
        assert action.completed_at > action.due

    @given(strategies.safeguardings(explained=True))
    def test_explained(self, sg: model.Safeguarding) -> None:
        """explained=True explains every stage within 20 hours, in stage order."""
        for stage in sg.stages:
            assert stage.explanation is not None
            assert stage.explanation.at - stage.entered_at <= timedelta(hours=20)
        entered = [s.entered_at for s in sg.stages]
        assert sorted(entered) == entered

    @given(strategies.times(within=timedelta(hours=1)))
    def test_times(self, t: datetime) -> None:
        """times stay in their window and carry an offset."""
        assert is_aware(t)
        assert strategies.EPOCH <= t <= strategies.EPOCH + timedelta(hours=1)


def _incident() -> Incident:
    return Incident(
        id="INC-1",
        person_id="P-1",
        service_id="SVC-1",
        occurred_at=strategies.EPOCH,
        categories=(model.Category.FALL,),
        severity=model.Severity.LOW,
    )


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda c: c.__name__)
def test_from_type(cls: type[Any]) -> None:
    """st.from_type works for every model class."""

    @given(st.from_type(cls))
    def check(value: object) -> None:
        assert isinstance(value, cls)

    check()


S = strategies


@pytest.mark.parametrize(
    ("make", "kwargs", "hint"),
    [
        (S.incidents, {"restrictive": "yes"}, "restrictive='yes'"),
        (S.incidents, {"around": datetime(2026, 1, 1)}, "must be an aware"),  # noqa: DTZ001
        (S.incidents, {"person_ids": "P-1"}, "person_ids='P-1'"),
        (S.times, {"within": timedelta(hours=-1)}, "must not be negative"),
        (S.debriefs, {"status": DebriefStatus.DECLINED, "topics": [Topic.TIMELINE]}, "held"),
        (S.debriefs, {"topics": ["timeline"]}, "topics[...]"),
        (S.reviews, {"kind": "reflective_review"}, "kind='reflective_review'"),
        (S.actions, {"ids": ["A-1"]}, "ids=['A-1']"),
    ],
    ids=[
        "flag",
        "naive",
        "ids",
        "negative",
        "declined-topics",
        "topic-str",
        "kind-str",
        "ids-list",
    ],
)
def test_invalid_arguments(make: Any, kwargs: dict[str, Any], hint: str) -> None:
    """Bad arguments raise InvalidArgument naming the argument, at call time."""
    with pytest.raises(InvalidArgument, match=re.escape(hint)):
        make(**kwargs)


def test_shrinks_to_small_example() -> None:
    """The minimal incident is small and readable: one category, at EPOCH, few parts."""
    from hypothesis import Phase, find  # noqa: PLC0415

    # Without the explain phase: it re-runs the condition on varied examples after
    # shrinking, and find returns the last example its condition accepted.
    only = settings(database=None, phases=[Phase.generate, Phase.shrink])
    inc = find(strategies.incidents(complete=True), lambda _: True, settings=only)
    assert inc.occurred_at == strategies.EPOCH
    assert len(inc.categories) == 1
    assert inc.interventions == ()


def test_a_failing_example_prints_the_incident_ready_for_a_scenario() -> None:
    """The noted text is a scenario's incidents section, and loads back to the incident."""
    yaml = pytest.importorskip("yaml")

    seen: list[tuple[str, object]] = []

    @settings(max_examples=5, database=None)
    @given(strategies.incidents())
    def check(incident: object) -> None:
        seen.append((strategies.note_incident(incident), incident))  # type: ignore[arg-type]

    check()
    for text, incident in seen:
        (entry,) = yaml.safe_load(text)["incidents"]
        assert load_incident(entry) == incident
