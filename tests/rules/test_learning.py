"""Learning rules LN001-LN005."""

from __future__ import annotations

from datetime import date, datetime

import attrs
import pytest

from trauma_incidents.errors import ConfigError
from trauma_incidents.model import (
    Action,
    Category,
    Effectiveness,
    Incident,
    Outcome,
    ReviewKind,
    Trigger,
    TriggerKind,
)
from trauma_incidents.rules import Evidence, Status

from .builders import (
    BST,
    DAY,
    DISTRESS,
    HOUR,
    MINUTE,
    T0,
    TICK,
    UTC,
    Deadline,
    DeadlineContract,
    action,
    add,
    findings,
    incident,
    one,
    restraint,
    review,
    ruleset,
    stamp,
    statuses,
    when,
)

AWARE = T0 + 2 * HOUR
DUE = date(2026, 3, 20)
DUE_AT = datetime(2026, 3, 20, 23, 59, 59, 999999, tzinfo=UTC)
DONE = T0 + 3 * DAY
LATER = T0 + 90 * DAY


def _completed(inc: Incident, t: datetime) -> Incident:
    return attrs.evolve(inc, actions=(attrs.evolve(inc.actions[0], completed_at=t),))


def _assessed(inc: Incident, t: datetime) -> Incident:
    eff = Effectiveness(assessed_at=t, outcome=Outcome.EFFECTIVE)
    return attrs.evolve(inc, actions=(attrs.evolve(inc.actions[0], effectiveness=eff),))


CASES = [
    Deadline(
        code="LN002",
        subject=incident(categories=(Category.VERBAL_AGGRESSION,), reported_at=T0 + 2 * DAY),
        due=T0 + 9 * DAY,
        basis=("$.reported_at", T0 + 2 * DAY),
        provide=lambda inc, t: add(inc, reviews=(review(ReviewKind.REFLECTIVE_REVIEW, t),)),
        evidence_path="$.reviews[0].completed_at",
        obligation="A reflective review",
        reason="7 days after the service became aware of the incident",
        longer=("14d", T0 + 16 * DAY),
    ),
    Deadline(
        code="LN004",
        subject=incident(actions=(action(due=DUE),)),
        due=DUE_AT,
        basis=("$.actions[0].due", DUE_AT),
        provide=_completed,
        evidence_path="$.actions[0].completed_at",
        obligation="Completion of the learning action",
        reason="its due date",
        key="A-1",
    ),
    Deadline(
        code="LN005",
        subject=incident(actions=(action(completed_at=DONE),)),
        due=DONE + 28 * DAY,
        basis=("$.actions[0].completed_at", DONE),
        provide=_assessed,
        evidence_path="$.actions[0].effectiveness.assessed_at",
        obligation="An assessment of the action's effectiveness",
        reason="28 days after the action was completed",
        key="A-1",
        longer=("42d", DONE + 42 * DAY),
    ),
]


@pytest.fixture(params=CASES, ids=str)
def case(request: pytest.FixtureRequest) -> Deadline:
    return request.param  # type: ignore[no-any-return]


class TestDeadlines(DeadlineContract):
    """LN002, LN004 and LN005 follow the deadline contract."""


class TestLN001:
    DISTRESSED = incident(categories=DISTRESS, reported_at=AWARE)

    @pytest.mark.parametrize(
        "inc",
        [
            *(
                pytest.param(incident(categories=(c,)), id=str(c))
                for c in (
                    Category.BEHAVIOURAL_DISTRESS,
                    Category.VERBAL_AGGRESSION,
                    Category.PHYSICAL_AGGRESSION,
                    Category.SELF_HARM,
                )
            ),
            pytest.param(incident(interventions=(restraint(),)), id="restrictive-intervention"),
        ],
    )
    def test_applies(self, inc: Incident) -> None:
        """Distress, self-harm or a restrictive intervention needs a trigger explored."""
        assert statuses(inc, LATER, "LN001") == {None: Status.OVERDUE}

    @pytest.mark.parametrize(
        "inc",
        [
            pytest.param(incident(), id="other"),
            pytest.param(incident(categories=(Category.FALL, Category.INJURY)), id="fall"),
            pytest.param(
                incident(interventions=(restraint(started_at=T0 + HOUR),)),
                id="restraint-after-at",
            ),
        ],
    )
    def test_not_applicable(self, inc: Incident) -> None:
        """Other incidents need no trigger recorded."""
        assert not findings(inc, T0 + 30 * MINUTE, "LN001")

    def test_due_then_overdue(self) -> None:
        """Without a known trigger it is due until 72 hours after awareness, then overdue."""
        due = AWARE + 72 * HOUR

        found = one(self.DISTRESSED, due, "LN001")

        assert found is not None
        assert (Status.DUE, None, due, None) == (
            found.status,
            found.key,
            found.due_at,
            found.satisfied_at,
        )
        assert (
            f"A trigger of a known kind is due by {when(due)}"
            " (72 hours after the service became aware of the incident)."
        ) == found.message
        assert (Evidence("$.reported_at", stamp(AWARE)),) == found.evidence
        assert statuses(self.DISTRESSED, due + TICK, "LN001") == {None: Status.OVERDUE}

    def test_unknown_trigger_does_not_count(self) -> None:
        """A trigger of kind unknown is not a trigger explored."""
        inc = attrs.evolve(self.DISTRESSED, triggers=(Trigger(kind=TriggerKind.UNKNOWN),))

        assert statuses(inc, LATER, "LN001") == {None: Status.OVERDUE}

    @pytest.mark.parametrize("kind", [k for k in TriggerKind if k is not TriggerKind.UNKNOWN])
    def test_known_trigger_is_never_late(self, kind: TriggerKind) -> None:
        """Triggers carry no time, so a known trigger meets LN001 whenever it is recorded."""
        inc = attrs.evolve(
            self.DISTRESSED,
            triggers=(Trigger(kind=TriggerKind.UNKNOWN), Trigger(kind=kind)),
        )

        assert not findings(inc, LATER, "LN001")

    def test_within(self) -> None:
        """``within`` moves the deadline."""
        at = AWARE + 80 * HOUR
        config = {"rules": {"LN001": {"within": "4d"}}}

        found = one(self.DISTRESSED, at, "LN001", config)

        assert found is not None
        assert (found.status, found.due_at) == (Status.DUE, AWARE + 4 * DAY)
        assert statuses(self.DISTRESSED, at, "LN001") == {None: Status.OVERDUE}

    def test_ongoing_intervention_does_not_postpone(self) -> None:
        """LN001 counts from awareness, not from the end of the restrictive intervention."""
        inc = incident(interventions=(restraint(ended_at=LATER),))

        assert statuses(inc, T0 + 4 * DAY, "LN001") == {None: Status.OVERDUE}


class TestLN002:
    @pytest.mark.parametrize(
        "kind",
        [
            ReviewKind.REFLECTIVE_REVIEW,
            ReviewKind.POST_INCIDENT_REVIEW,
            ReviewKind.AFTER_ACTION_REVIEW,
        ],
        ids=str,
    )
    def test_review_kinds_that_count(self, kind: ReviewKind) -> None:
        """A reflective, post-incident or after action review meets LN002."""
        inc = incident(categories=DISTRESS, reviews=(review(kind, T0 + DAY),))

        assert not findings(inc, LATER, "LN002")

    @pytest.mark.parametrize(
        "kind",
        [ReviewKind.SUPPORT_PLAN_REVIEW, ReviewKind.ROOT_CAUSE_ANALYSIS, ReviewKind.SWARM_HUDDLE],
        ids=str,
    )
    def test_review_kinds_that_do_not_count(self, kind: ReviewKind) -> None:
        """Other review kinds do not meet LN002."""
        inc = incident(categories=DISTRESS, reviews=(review(kind, T0 + DAY),))

        assert statuses(inc, LATER, "LN002") == {None: Status.OVERDUE}

    @pytest.mark.parametrize(
        "inc",
        [
            pytest.param(incident(), id="not-distress"),
            pytest.param(
                incident(categories=DISTRESS, interventions=(restraint(),)),
                id="distress-with-restrictive-intervention",
            ),
        ],
    )
    def test_not_applicable(self, inc: Incident) -> None:
        """LN002 is for distress without restriction (RI001 covers restriction)."""
        assert not findings(inc, LATER, "LN002")

    def test_counts_from_awareness_not_occurrence(self) -> None:
        """Reported two days late, the incident still gets its 7 days from the report."""
        reported = T0 + 2 * DAY
        inc = incident(categories=DISTRESS, reported_at=reported)
        on_time = add(inc, reviews=(review(ReviewKind.REFLECTIVE_REVIEW, T0 + 8 * DAY),))

        assert statuses(inc, T0 + 8 * DAY, "LN002") == {None: Status.DUE}
        assert not findings(on_time, LATER, "LN002")
        assert statuses(incident(categories=DISTRESS), T0 + 8 * DAY, "LN002") == {
            None: Status.OVERDUE
        }


LEARNING = (
    ReviewKind.REFLECTIVE_REVIEW,
    ReviewKind.POST_INCIDENT_REVIEW,
    ReviewKind.AFTER_ACTION_REVIEW,
    ReviewKind.ROOT_CAUSE_ANALYSIS,
)


class TestLN003:
    @pytest.mark.parametrize("kind", LEARNING, ids=str)
    @pytest.mark.parametrize(
        ("causes", "changes", "absent"),
        [
            pytest.param((), ("add visual timetable",), ["root_causes"], id="no-causes"),
            pytest.param(("busy environment",), (), ["changes"], id="no-changes"),
            pytest.param((), (), ["root_causes", "changes"], id="neither"),
        ],
    )
    def test_missing(
        self,
        kind: ReviewKind,
        causes: tuple[str, ...],
        changes: tuple[str, ...],
        absent: list[str],
    ) -> None:
        """A learning review without root causes or changes is missing them."""
        inc = incident(
            reviews=(
                review(kind, T0 + DAY),
                review(kind, T0 + DAY, root_causes=causes, changes=changes),
            )
        )

        found = one(inc, LATER, "LN003")

        assert found is not None
        assert (found.status, found.key, found.due_at) == (Status.MISSING, "1", None)
        assert f"The {kind} records no {' and no '.join(absent)}." == found.message
        assert tuple(Evidence(f"$.reviews[1].{name}", 0) for name in absent) == found.evidence

    @pytest.mark.parametrize("kind", [k for k in ReviewKind if k not in LEARNING], ids=str)
    def test_other_reviews_need_no_learning(self, kind: ReviewKind) -> None:
        """Support plan, risk, thematic, huddle and MDT reviews are not judged."""
        inc = incident(reviews=(review(kind, T0 + DAY, root_causes=(), changes=()),))

        assert not findings(inc, LATER, "LN003")

    def test_review_after_at_is_not_recorded(self) -> None:
        """A review completed after the evaluation time is not judged yet."""
        inc = incident(
            reviews=(review(ReviewKind.REFLECTIVE_REVIEW, T0 + DAY, root_causes=(), changes=()),)
        )

        assert not findings(inc, T0 + DAY - TICK, "LN003")
        assert statuses(inc, T0 + DAY, "LN003") == {"0": Status.MISSING}

    def test_has_no_options(self) -> None:
        """LN003 has no ``within``; configuring one is an error naming the key."""
        with pytest.raises(ConfigError) as e:
            ruleset({"rules": {"LN003": {"within": "7d"}}})

        assert e.value.problems == ("rules.LN003.within: unknown option (options: none)",)


class TestLN004:
    SUMMER = date(2026, 6, 30)
    #: The end of 30 June in London is 22:59:59.999999 UTC, in BST.
    SUMMER_END = datetime(2026, 6, 30, 22, 59, 59, 999999, tzinfo=UTC)

    def test_date_means_end_of_day_london_in_bst(self) -> None:
        """A due date is the end of that day in London: in summer, an hour before UTC's."""
        inc = incident(actions=(action(due=self.SUMMER),))

        found = one(inc, self.SUMMER_END, "LN004")

        assert found is not None
        assert (found.status, found.key, found.due_at) == (Status.DUE, "A-1", self.SUMMER_END)
        assert found.message == (
            "Completion of the learning action is due by 2026-06-30 23:59 BST (its due date)."
        )
        assert (Evidence("$.actions[0].due", "2026-06-30T22:59:59.999999+00:00"),) == (
            found.evidence
        )
        assert statuses(inc, self.SUMMER_END + TICK, "LN004") == {"A-1": Status.OVERDUE}

    def test_completed_at_midnight_bst_is_late(self) -> None:
        """23:00 UTC on the due date is already the next day in London."""
        done = datetime(2026, 6, 30, 23, 0, tzinfo=UTC)
        inc = incident(actions=(action(due=self.SUMMER, completed_at=done),))

        found = one(inc, LATER + 200 * DAY, "LN004")

        assert found is not None
        assert (Status.LATE, done) == (found.status, found.satisfied_at)
        assert found.message == (
            "Completion of the learning action was recorded at 2026-07-01 00:00 BST,"
            " after the deadline of 2026-06-30 23:59 BST (its due date)."
        )

    def test_completed_late_evening_bst_is_on_time(self) -> None:
        """22:59 UTC on the due date is 23:59 in London: on time."""
        done = datetime(2026, 6, 30, 23, 59, tzinfo=BST)
        inc = incident(actions=(action(due=self.SUMMER, completed_at=done),))

        assert not findings(inc, LATER + 200 * DAY, "LN004")

    def test_datetime_due_is_exact(self) -> None:
        """A due datetime is the deadline itself."""
        due = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
        inc = incident(actions=(action(due=due, completed_at=due + MINUTE),))

        found = one(inc, LATER, "LN004")

        assert found is not None
        assert (Status.LATE, due, due + MINUTE) == (
            found.status,
            found.due_at,
            found.satisfied_at,
        )

    def test_one_finding_per_action_id(self) -> None:
        """Each action with a due date is judged on its own, keyed by its id."""
        inc = incident(
            actions=(
                action("A-1", due=DUE),
                action("A-2"),
                action("A-3", due=DUE, completed_at=T0),
                action("A-4", due=date(2026, 3, 25)),
            )
        )

        assert statuses(inc, DUE_AT + HOUR, "LN004") == {"A-1": Status.OVERDUE, "A-4": Status.DUE}


class TestLN005:
    def test_not_effective_is_a_concern(self) -> None:
        """An action assessed as not effective is a concern instead of a deadline."""
        inc = incident(
            actions=(
                action(
                    "A-1",
                    completed_at=DONE,
                    assessed_at=DONE + 40 * DAY,
                    outcome=Outcome.NOT_EFFECTIVE,
                ),
            )
        )

        found = one(inc, LATER, "LN005")

        assert found is not None
        assert (
            found.status,
            found.key,
            found.due_at,
            found.satisfied_at,
        ) == (Status.CONCERN, "A-1", None, None)
        assert found.message == (
            "The learning action was assessed as not effective: review the change."
        )
        assert (Evidence("$.actions[0].effectiveness.outcome", "not_effective"),) == (
            found.evidence
        )

    def test_not_effective_after_at_is_not_recorded(self) -> None:
        """Before the assessment is dated, the assessment is still due."""
        inc = incident(
            actions=(
                action(completed_at=DONE, assessed_at=DONE + DAY, outcome=Outcome.NOT_EFFECTIVE),
            )
        )

        assert statuses(inc, DONE + HOUR, "LN005") == {"A-1": Status.DUE}
        assert statuses(inc, DONE + DAY, "LN005") == {"A-1": Status.CONCERN}

    @pytest.mark.parametrize("outcome", [Outcome.EFFECTIVE, Outcome.PARTIALLY_EFFECTIVE], ids=str)
    def test_assessed_on_time(self, outcome: Outcome) -> None:
        """An on-time assessment that it (partly) worked has no finding."""
        inc = incident(
            actions=(action(completed_at=DONE, assessed_at=DONE + DAY, outcome=outcome),)
        )

        assert not findings(inc, LATER, "LN005")

    @pytest.mark.parametrize(
        "act",
        [
            pytest.param(action(), id="not-completed"),
            pytest.param(action(due=DUE), id="open-with-due"),
            pytest.param(action(completed_at=LATER + DAY), id="completed-after-at"),
        ],
    )
    def test_not_applicable(self, act: Action) -> None:
        """Only actions completed by the evaluation time need their effectiveness assessed."""
        assert not findings(incident(actions=(act,)), LATER, "LN005")

    def test_one_finding_per_action_id(self) -> None:
        """Each completed action is judged on its own, keyed by its id."""
        inc = incident(
            actions=(
                action("A-1", completed_at=DONE),
                action("A-2", completed_at=DONE, assessed_at=DONE + HOUR),
                action("A-3", completed_at=DONE + 20 * DAY),
            )
        )

        assert statuses(inc, DONE + 29 * DAY, "LN005") == {"A-1": Status.OVERDUE, "A-3": Status.DUE}
