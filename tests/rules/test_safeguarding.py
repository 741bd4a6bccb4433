"""Safeguarding rules SG001-SG003, including working days across bank holidays and BST."""

from __future__ import annotations

from datetime import datetime

import attrs
import pytest

from trauma_incidents.model import Category, Incident, Stage
from trauma_incidents.rules import Evidence, Status

from .builders import (
    BST,
    DAY,
    HOUR,
    MINUTE,
    T0,
    TICK,
    UTC,
    Deadline,
    DeadlineContract,
    findings,
    incident,
    one,
    safeguarding,
    stage,
    stamp,
    statuses,
)

AWARE = T0 + HOUR
#: Two working days after Monday 2 March 2026: the end of Wednesday 4 March (GMT).
TWO_WD = datetime(2026, 3, 4, 23, 59, 59, 999999, tzinfo=UTC)
CONCERN = incident(categories=(Category.SAFEGUARDING_CONCERN,), reported_at=AWARE)


def _explained(inc: Incident, t: datetime) -> Incident:
    return attrs.evolve(inc, safeguarding=safeguarding(stage(Stage.CONCERN_RAISED, T0, t)))


def _outcomes(inc: Incident, t: datetime) -> Incident:
    assert inc.safeguarding is not None
    return attrs.evolve(
        inc, safeguarding=attrs.evolve(inc.safeguarding, desired_outcomes_recorded_at=t)
    )


def _raised(inc: Incident, t: datetime) -> Incident:
    return attrs.evolve(inc, safeguarding=safeguarding(stage(Stage.CONCERN_RAISED, t)))


CASES = [
    Deadline(
        code="SG001",
        subject=incident(safeguarding=safeguarding(stage(Stage.CONCERN_RAISED, T0))),
        due=TWO_WD,
        basis=("$.safeguarding.stages[0].entered_at", T0),
        provide=_explained,
        evidence_path="$.safeguarding.stages[0].explanation.at",
        obligation="An explanation to the person of the concern_raised stage",
        reason="2 working days after the stage began",
        key="concern_raised",
        longer=("3wd", TWO_WD + DAY),
    ),
    Deadline(
        code="SG002",
        subject=incident(safeguarding=safeguarding(stage(Stage.CONCERN_RAISED, T0, T0))),
        due=TWO_WD,
        basis=("$.safeguarding.stages[0].entered_at", T0),
        provide=_outcomes,
        evidence_path="$.safeguarding.desired_outcomes_recorded_at",
        obligation="A record of the person's desired outcomes",
        reason="2 working days after the safeguarding process began",
        longer=("5wd", datetime(2026, 3, 9, 23, 59, 59, 999999, tzinfo=UTC)),
    ),
    Deadline(
        code="SG003",
        subject=CONCERN,
        due=AWARE + 24 * HOUR,
        basis=("$.reported_at", AWARE),
        provide=_raised,
        evidence_path="$.safeguarding.stages[0].entered_at",
        obligation="A safeguarding concern raised",
        reason="24 hours after the service became aware of the incident",
        longer=("2d", AWARE + 2 * DAY),
    ),
]


@pytest.fixture(params=CASES, ids=str)
def case(request: pytest.FixtureRequest) -> Deadline:
    return request.param  # type: ignore[no-any-return]


class TestDeadlines(DeadlineContract):
    """SG001, SG002 and SG003 follow the deadline contract."""


LATER = T0 + 60 * DAY


@pytest.mark.parametrize(
    ("code", "inc"),
    [
        pytest.param("SG001", incident(), id="SG001-no-safeguarding"),
        pytest.param("SG001", incident(safeguarding=safeguarding()), id="SG001-no-stages"),
        pytest.param("SG002", incident(), id="SG002-no-safeguarding"),
        pytest.param("SG002", incident(safeguarding=safeguarding()), id="SG002-no-stages"),
        pytest.param("SG003", incident(categories=(Category.FALL,)), id="SG003-fall"),
        pytest.param(
            "SG003", incident(categories=(Category.POLICE_INVOLVEMENT,)), id="SG003-police"
        ),
    ],
)
def test_not_applicable(code: str, inc: Incident) -> None:
    """The rule says nothing about an incident it does not apply to."""
    assert not findings(inc, LATER, code)


def _entered(entered: datetime) -> Incident:
    return incident(
        occurred_at=entered - HOUR,
        safeguarding=safeguarding(stage(Stage.SECTION_42_ENQUIRY, entered)),
    )


class TestSG001WorkingDays:
    @pytest.mark.parametrize(
        ("entered", "due", "shown"),
        [
            pytest.param(
                datetime(2026, 4, 2, 9, 0, tzinfo=BST),
                datetime(2026, 4, 8, 22, 59, 59, 999999, tzinfo=UTC),
                "2026-04-08 23:59 BST",
                id="easter-good-friday-and-easter-monday",
            ),
            pytest.param(
                datetime(2026, 3, 27, 16, 0, tzinfo=UTC),
                datetime(2026, 3, 31, 22, 59, 59, 999999, tzinfo=UTC),
                "2026-03-31 23:59 BST",
                id="across-the-change-to-bst",
            ),
            pytest.param(
                datetime(2026, 4, 1, 23, 30, tzinfo=UTC),
                datetime(2026, 4, 8, 22, 59, 59, 999999, tzinfo=UTC),
                "2026-04-08 23:59 BST",
                id="london-date-not-utc-date",
            ),
            pytest.param(
                datetime(2026, 3, 7, 12, 0, tzinfo=UTC),
                datetime(2026, 3, 10, 23, 59, 59, 999999, tzinfo=UTC),
                "2026-03-10 23:59 GMT",
                id="entered-on-a-saturday",
            ),
            pytest.param(
                datetime(2026, 12, 24, 15, 0, tzinfo=UTC),
                datetime(2026, 12, 30, 23, 59, 59, 999999, tzinfo=UTC),
                "2026-12-30 23:59 GMT",
                id="christmas-and-substitute-boxing-day",
            ),
            pytest.param(
                datetime(2026, 10, 23, 12, 0, tzinfo=BST),
                datetime(2026, 10, 27, 23, 59, 59, 999999, tzinfo=UTC),
                "2026-10-27 23:59 GMT",
                id="across-the-end-of-bst",
            ),
        ],
    )
    def test_deadline(self, entered: datetime, due: datetime, shown: str) -> None:
        """N working days end at 23:59:59.999999 London time on the Nth working day after."""
        inc = _entered(entered)
        on_time = attrs.evolve(
            inc, safeguarding=safeguarding(stage(Stage.SECTION_42_ENQUIRY, entered, due))
        )

        found = one(inc, due, "SG001")

        assert found is not None
        assert (Status.DUE, "section_42_enquiry", due) == (found.status, found.key, found.due_at)
        assert f"due by {shown} (2 working days after the stage began)." in found.message
        assert statuses(inc, due + TICK, "SG001") == {"section_42_enquiry": Status.OVERDUE}
        assert not findings(on_time, due + DAY, "SG001")

    def test_within_in_hours(self) -> None:
        """``within`` may be elapsed hours instead of working days."""
        entered = datetime(2026, 4, 2, 9, 0, tzinfo=BST)
        config = {"rules": {"SG001": {"within": "24h"}}}

        found = one(_entered(entered), entered + 25 * HOUR, "SG001", config)

        assert found is not None
        assert (Status.OVERDUE, entered + 24 * HOUR) == (found.status, found.due_at)


class TestSG001Stages:
    # In array order: a later repeat first, to show keys follow time, not position.
    STAGES = (
        stage(Stage.INITIAL_ENQUIRY, T0 + 10 * DAY),
        stage(Stage.CONCERN_RAISED, T0, T0 + HOUR),
        stage(Stage.INITIAL_ENQUIRY, T0 + DAY),
        stage(Stage.INITIAL_ENQUIRY, T0 + 20 * DAY, T0 + 20 * DAY),
        stage(Stage.SECTION_42_ENQUIRY, T0 + 2 * DAY),
    )
    INC = incident(safeguarding=safeguarding(*STAGES))

    def test_repeated_stages_are_numbered_in_time_order(self) -> None:
        """One finding per stage; a repeated stage is keyed stage#2, stage#3 by time."""
        found = findings(self.INC, LATER, "SG001")

        assert [(f.key, f.evidence[0].path) for f in found] == [
            ("initial_enquiry", "$.safeguarding.stages[2].entered_at"),
            ("section_42_enquiry", "$.safeguarding.stages[4].entered_at"),
            ("initial_enquiry#2", "$.safeguarding.stages[0].entered_at"),
        ]
        assert {Status.OVERDUE} == {f.status for f in found}

    def test_explained_repeat_keeps_its_number(self) -> None:
        """The third initial_enquiry was explained on time, and so has no finding."""
        keys = {f.key for f in findings(self.INC, LATER, "SG001")}

        assert "initial_enquiry#3" not in keys

    def test_late_explanation(self) -> None:
        """A late explanation makes the stage late, with the explanation as evidence."""
        late = T0 + 5 * DAY
        inc = incident(safeguarding=safeguarding(stage(Stage.REVIEW, T0, late)))

        found = one(inc, LATER, "SG001")

        assert found is not None
        assert (Status.LATE, "review", TWO_WD, late) == (
            found.status,
            found.key,
            found.due_at,
            found.satisfied_at,
        )
        assert (
            Evidence("$.safeguarding.stages[0].explanation.at", stamp(late)) == (found.evidence[1])
        )

    def test_stages_entered_after_at_are_not_recorded(self) -> None:
        """Only stages entered by the evaluation time are judged, so keys stay stable."""
        at = T0 + 4 * DAY

        assert statuses(self.INC, at, "SG001") == {
            "initial_enquiry": Status.OVERDUE,
            "section_42_enquiry": Status.DUE,
        }

    def test_explanation_after_at_is_not_recorded(self) -> None:
        """An explanation dated after the evaluation time does not count yet."""
        inc = incident(safeguarding=safeguarding(stage(Stage.CLOSED, T0, T0 + DAY)))

        assert statuses(inc, T0 + HOUR, "SG001") == {"closed": Status.DUE}
        assert not findings(inc, T0 + DAY, "SG001")


class TestSG002:
    def test_earliest_stage_by_time_is_the_anchor(self) -> None:
        """The deadline counts from the earliest stage, wherever it sits in the array."""
        inc = incident(
            safeguarding=safeguarding(
                stage(Stage.INITIAL_ENQUIRY, T0 + 3 * DAY), stage(Stage.CONCERN_RAISED, T0)
            )
        )

        found = one(inc, LATER, "SG002")

        assert found is not None
        assert (found.status, found.due_at) == (Status.OVERDUE, TWO_WD)
        assert (Evidence("$.safeguarding.stages[1].entered_at", stamp(T0)),) == found.evidence

    def test_stage_after_at_does_not_start_the_clock(self) -> None:
        """A process whose first stage is after the evaluation time has no deadline yet."""
        inc = incident(safeguarding=safeguarding(stage(Stage.CONCERN_RAISED, T0 + DAY)))

        assert not findings(inc, T0 + HOUR, "SG002")


class TestSG003:
    @pytest.mark.parametrize(
        "categories",
        [
            (Category.SAFEGUARDING_CONCERN,),
            (Category.ABUSE_ALLEGATION,),
            (Category.FALL, Category.ABUSE_ALLEGATION),
        ],
        ids=lambda c: "+".join(map(str, c)),
    )
    def test_applies(self, categories: tuple[Category, ...]) -> None:
        """A safeguarding concern or abuse allegation needs a concern raised."""
        inc = incident(categories=categories)

        assert statuses(inc, T0 + 25 * HOUR, "SG003") == {None: Status.OVERDUE}

    def test_only_concern_raised_counts(self) -> None:
        """Another stage does not show the concern was raised."""
        inc = attrs.evolve(
            CONCERN, safeguarding=safeguarding(stage(Stage.INITIAL_ENQUIRY, AWARE + MINUTE))
        )

        assert statuses(inc, AWARE + 2 * DAY, "SG003") == {None: Status.OVERDUE}

    def test_earliest_concern_raised_counts(self) -> None:
        """Of two concern_raised stages, the earlier one decides."""
        inc = attrs.evolve(
            CONCERN,
            safeguarding=safeguarding(
                stage(Stage.CONCERN_RAISED, AWARE + 3 * DAY),
                stage(Stage.CONCERN_RAISED, AWARE + 2 * HOUR),
            ),
        )

        assert not findings(inc, LATER, "SG003")
