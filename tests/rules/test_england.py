"""The england pack: CQC notification NT001, duty of candour NT002, RIDDOR NT003."""

from __future__ import annotations

from datetime import datetime

import pytest

from trauma_incidents.errors import ConfigError
from trauma_incidents.model import (
    Category,
    Incident,
    InjuredParty,
    Injury,
    InjurySeverity,
    Recipient,
    Severity,
)
from trauma_incidents.rules import Evidence, FindingSeverity, Status

from .builders import (
    DAY,
    HOUR,
    T0,
    UTC,
    Deadline,
    DeadlineContract,
    add,
    findings,
    incident,
    injury,
    notification,
    one,
    ruleset,
    statuses,
)

AWARE = T0 + HOUR
#: Ten working days after Monday 2 March 2026: the end of Monday 16 March (GMT).
TEN_WD = datetime(2026, 3, 16, 23, 59, 59, 999999, tzinfo=UTC)
SPECIFIED = injury(InjuredParty.STAFF, InjurySeverity.SERIOUS, specified_injury=True)
OFF_EIGHT_DAYS = injury(InjuredParty.STAFF, InjurySeverity.MODERATE, days_incapacitated=8)
LATER = T0 + 90 * DAY


def _hse(inc: Incident, t: datetime) -> Incident:
    return add(inc, notifications=(notification(Recipient.HSE, t),))


CASES = [
    Deadline(
        code="NT001",
        subject=incident(categories=(Category.POLICE_INVOLVEMENT,), reported_at=AWARE),
        due=AWARE + 24 * HOUR,
        basis=("$.reported_at", AWARE),
        provide=lambda inc, t: add(inc, notifications=(notification(Recipient.CQC, t),)),
        evidence_path="$.notifications[0].sent_at",
        obligation="A notification to CQC",
        reason="24 hours after the service became aware of the incident",
        longer=("48h", AWARE + 48 * HOUR),
    ),
    Deadline(
        code="NT002",
        subject=incident(severity=Severity.MODERATE, reported_at=AWARE),
        due=TEN_WD,
        basis=("$.reported_at", AWARE),
        provide=lambda inc, t: add(
            inc, notifications=(notification(Recipient.FAMILY, t, duty_of_candour=True),)
        ),
        evidence_path="$.notifications[0].sent_at",
        obligation="A duty of candour notification to the person or their family",
        reason="10 working days after the service became aware of the incident",
        longer=("15wd", datetime(2026, 3, 23, 23, 59, 59, 999999, tzinfo=UTC)),
    ),
    Deadline(
        code="NT003",
        label="NT003-specified-injury",
        subject=incident(injuries=(SPECIFIED,), reported_at=AWARE),
        due=AWARE + 10 * DAY,
        basis=("$.reported_at", AWARE),
        provide=_hse,
        evidence_path="$.notifications[0].sent_at",
        obligation="A RIDDOR report to HSE of a specified injury",
        reason="10 days after the service became aware of the incident",
        longer=("14d", AWARE + 14 * DAY),
    ),
    Deadline(
        code="NT003",
        label="NT003-over-7-days-incapacity",
        subject=incident(injuries=(OFF_EIGHT_DAYS,), reported_at=AWARE),
        due=AWARE + 15 * DAY,
        basis=("$.reported_at", AWARE),
        provide=_hse,
        evidence_path="$.notifications[0].sent_at",
        obligation="A RIDDOR report to HSE of over 7 days' incapacity",
        reason="15 days after the service became aware of the incident",
        longer=("20d", AWARE + 20 * DAY),
        option="incapacitated_within",
    ),
]


@pytest.fixture(params=CASES, ids=str)
def case(request: pytest.FixtureRequest) -> Deadline:
    return request.param  # type: ignore[no-any-return]


class TestDeadlines(DeadlineContract):
    """NT001, NT002 and both NT003 deadlines follow the deadline contract."""


class TestNT001:
    @pytest.mark.parametrize(
        "inc",
        [
            pytest.param(incident(categories=(Category.ABUSE_ALLEGATION,)), id="abuse-allegation"),
            pytest.param(incident(categories=(Category.POLICE_INVOLVEMENT,)), id="police"),
            pytest.param(incident(categories=(Category.DEATH,)), id="death-category"),
            pytest.param(incident(severity=Severity.DEATH), id="death-severity"),
            pytest.param(
                incident(injuries=(injury(InjuredParty.PERSON, InjurySeverity.SERIOUS),)),
                id="person-serious-injury",
            ),
        ],
    )
    def test_applies(self, inc: Incident) -> None:
        """Each of these needs CQC notified."""
        assert statuses(inc, T0 + 25 * HOUR, "NT001") == {None: Status.OVERDUE}

    @pytest.mark.parametrize(
        "inc",
        [
            pytest.param(incident(), id="other"),
            pytest.param(incident(categories=(Category.SAFEGUARDING_CONCERN,)), id="concern"),
            pytest.param(incident(severity=Severity.SEVERE), id="severe"),
            pytest.param(
                incident(injuries=(injury(InjuredParty.STAFF, InjurySeverity.SERIOUS),)),
                id="staff-serious-injury",
            ),
            pytest.param(
                incident(injuries=(injury(InjuredParty.PERSON, InjurySeverity.MODERATE),)),
                id="person-moderate-injury",
            ),
        ],
    )
    def test_not_applicable(self, inc: Incident) -> None:
        """Other incidents need no CQC notification under NT001."""
        assert not findings(inc, LATER, "NT001")

    @pytest.mark.parametrize(
        "recipient", [Recipient.LOCAL_AUTHORITY, Recipient.POLICE, Recipient.HSE], ids=str
    )
    def test_only_cqc_counts(self, recipient: Recipient) -> None:
        """A notification to anyone else does not meet NT001."""
        inc = incident(
            categories=(Category.DEATH,), notifications=(notification(recipient, T0 + HOUR),)
        )

        assert statuses(inc, LATER, "NT001") == {None: Status.OVERDUE}


class TestNT002:
    @pytest.mark.parametrize("severity", [Severity.NO_HARM, Severity.LOW], ids=str)
    def test_not_applicable(self, severity: Severity) -> None:
        """No or low harm needs no duty of candour notification."""
        assert not findings(incident(severity=severity), LATER, "NT002")

    @pytest.mark.parametrize(
        "severity", [Severity.MODERATE, Severity.SEVERE, Severity.DEATH], ids=str
    )
    def test_applies(self, severity: Severity) -> None:
        """Moderate, severe or fatal harm needs a duty of candour notification."""
        assert statuses(incident(severity=severity), LATER, "NT002") == {None: Status.OVERDUE}

    @pytest.mark.parametrize(
        ("recipient", "candour", "counts"),
        [
            (Recipient.PERSON, True, True),
            (Recipient.FAMILY, True, True),
            (Recipient.FAMILY, False, False),
            (Recipient.PERSON, False, False),
            (Recipient.CQC, True, False),
            (Recipient.NEXT_OF_KIN, True, False),
        ],
        ids=lambda v: str(v).lower(),
    )
    def test_what_counts(self, recipient: Recipient, candour: bool, counts: bool) -> None:
        """Only a duty of candour notification to the person or family counts."""
        inc = incident(
            severity=Severity.SEVERE,
            notifications=(notification(recipient, T0 + DAY, duty_of_candour=candour),),
        )

        expected = {} if counts else {None: Status.OVERDUE}
        assert expected == statuses(inc, LATER, "NT002")


class TestNT003:
    @pytest.mark.parametrize(
        "injuries",
        [
            pytest.param((), id="no-injury"),
            pytest.param(
                (
                    injury(
                        InjuredParty.PERSON,
                        InjurySeverity.SERIOUS,
                        days_incapacitated=None,
                        specified_injury=True,
                    ),
                ),
                id="person-specified-injury",
            ),
            pytest.param((injury(InjuredParty.STAFF, days_incapacitated=7),), id="exactly-7-days"),
            pytest.param(
                (injury(InjuredParty.STAFF, InjurySeverity.MODERATE, days_incapacitated=None),),
                id="moderate-days-unknown",
            ),
            pytest.param(
                (injury(InjuredParty.OTHER, InjurySeverity.SERIOUS, days_incapacitated=None),),
                id="other-serious-days-unknown",
            ),
        ],
    )
    def test_not_reportable(self, injuries: tuple[Injury, ...]) -> None:
        """These injuries are not reportable, and nothing is unknown."""
        assert not findings(incident(injuries=injuries), LATER, "NT003")

    def test_serious_injury_without_days_is_unknown(self) -> None:
        """A serious staff injury without days_incapacitated cannot be judged."""
        hurt = injury(InjuredParty.STAFF, InjurySeverity.SERIOUS, days_incapacitated=None)
        inc = incident(injuries=(injury(InjuredParty.PERSON), hurt))

        found = one(inc, LATER, "NT003")

        assert found is not None
        assert (
            found.status,
            found.key,
            found.due_at,
            found.satisfied_at,
        ) == (Status.UNKNOWN, None, None, None)
        assert found.message == (
            "Cannot tell whether a serious staff injury is reportable:"
            " days_incapacitated is not recorded."
        )
        assert (Evidence("$.injuries[1].days_incapacitated", None),) == found.evidence

    def test_unknown_even_when_hse_was_told(self) -> None:
        """The unknown branch does not look at notifications (as specified)."""
        hurt = injury(InjuredParty.STAFF, InjurySeverity.SERIOUS, days_incapacitated=None)
        inc = incident(injuries=(hurt,), notifications=(notification(Recipient.HSE, T0),))

        assert statuses(inc, LATER, "NT003") == {None: Status.UNKNOWN}

    def test_specified_injury_wins(self) -> None:
        """One finding per incident: a specified injury's 10 days win over the 15 days."""
        unknown = injury(InjuredParty.STAFF, InjurySeverity.SERIOUS, days_incapacitated=None)
        inc = incident(injuries=(OFF_EIGHT_DAYS, unknown, SPECIFIED, SPECIFIED))

        found = one(inc, LATER, "NT003")

        assert found is not None
        assert (found.status, found.due_at) == (Status.OVERDUE, T0 + 10 * DAY)
        assert "of a specified injury" in found.message

    def test_incapacity_wins_over_unknown(self) -> None:
        """A known reportable incapacity is judged, not the unknown injury."""
        unknown = injury(InjuredParty.STAFF, InjurySeverity.SERIOUS, days_incapacitated=None)
        inc = incident(injuries=(unknown, OFF_EIGHT_DAYS))

        found = one(inc, LATER, "NT003")

        assert found is not None
        assert (found.status, found.due_at) == (Status.OVERDUE, T0 + 15 * DAY)

    def test_incapacity_days_option(self) -> None:
        """``incapacity_days`` sets the days of incapacity above which it is reportable."""
        inc = incident(injuries=(injury(days_incapacitated=4),))
        config = {"rules": {"NT003": {"incapacity_days": 3}}}

        found = one(inc, LATER, "NT003", config)

        assert not findings(inc, LATER, "NT003")
        assert found is not None
        assert (found.status, found.due_at) == (Status.OVERDUE, T0 + 15 * DAY)
        assert "A RIDDOR report to HSE of over 3 days' incapacity was due by" in found.message

    @pytest.mark.parametrize(
        ("options", "problem"),
        [
            (
                {"incapacity_days": "seven"},
                "rules.NT003.incapacity_days: expected a whole number from 0 to 10000, got 'seven'",
            ),
            (
                {"incapacity_days": True},
                "rules.NT003.incapacity_days: expected a whole number from 0 to 10000, got True",
            ),
            (
                {"incapacitated_within": 15},
                (
                    'rules.NT003.incapacitated_within: expected a duration string such as "24h",'
                    ' "7d" or "2wd", got 15'
                ),
            ),
        ],
        ids=["days-text", "days-bool", "within-number"],
    )
    def test_bad_options(self, options: dict[str, object], problem: str) -> None:
        """Option values are checked when the configuration is compiled."""
        with pytest.raises(ConfigError) as e:
            ruleset({"rules": {"NT003": options}})

        assert (problem,) == e.value.problems

    def test_hse_notification_after_at_is_not_recorded(self) -> None:
        """A report dated after the evaluation time does not count yet."""
        inc = _hse(incident(injuries=(SPECIFIED,)), T0 + 2 * DAY)

        assert statuses(inc, T0 + DAY, "NT003") == {None: Status.DUE}

    def test_severity_default(self) -> None:
        """RIDDOR findings are high severity by default."""
        found = one(incident(injuries=(SPECIFIED,)), LATER, "NT003")

        assert found is not None
        assert found.severity == FindingSeverity.HIGH
