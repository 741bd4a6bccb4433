"""The england pack: CQC notification NT001, duty of candour NT002, RIDDOR NT003."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents import strategies
from trauma_incidents.errors import ConfigError
from trauma_incidents.model import (
    Candour,
    Category,
    Harm,
    Incident,
    InjuredParty,
    Injury,
    InjurySeverity,
    Notification,
    NotificationMethod,
    PhysicalHarm,
    PsychologicalHarm,
    Recipient,
    RelevantPerson,
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
#: The candour decision in the notice cases: Tuesday 3 March, 10:00.
DECIDED = T0 + DAY
#: Ten working days after Tuesday 3 March: the end of Tuesday 17 March.
TEN_WD_AFTER_DECISION = datetime(2026, 3, 17, 23, 59, 59, 999999, tzinfo=UTC)
#: The notice in the written cases: Wednesday 4 March, 10:00.
NOTICE = T0 + 2 * DAY
#: Ten working days after Wednesday 4 March: the end of Wednesday 18 March.
TEN_WD_AFTER_NOTICE = datetime(2026, 3, 18, 23, 59, 59, 999999, tzinfo=UTC)
SPECIFIED = injury(InjuredParty.STAFF, InjurySeverity.SERIOUS, specified_injury=True)
OFF_EIGHT_DAYS = injury(InjuredParty.STAFF, InjurySeverity.MODERATE, days_incapacitated=8)
LATER = T0 + 90 * DAY
CQC_REASON = (
    '24 hours after the service became aware of the incident: a benchmark for "without delay"'
)


def _hospital(
    who: InjuredParty = InjuredParty.PERSON, *, work_related: bool | None = True
) -> Injury:
    """An injury to someone who is not a worker, taken directly to hospital."""
    return Injury(
        who=who, severity=InjurySeverity.MODERATE, hospital=True, work_related=work_related
    )


def _hse(inc: Incident, t: datetime) -> Incident:
    return add(inc, notifications=(notification(Recipient.HSE, t),))


def _decided(
    *,
    notifiable: bool = True,
    at: datetime = DECIDED,
    relevant: RelevantPerson = RelevantPerson.PERSON,
) -> Candour:
    return Candour(notifiable=notifiable, decided_at=at, relevant_person=relevant)


def _candour(
    recipient: Recipient,
    t: datetime,
    method: NotificationMethod | None = NotificationMethod.IN_PERSON,
    *,
    apology: bool | None = True,
    duty: bool = True,
) -> Notification:
    """A duty of candour notification (in person, with an apology, unless told otherwise)."""
    return notification(recipient, t, duty_of_candour=duty, method=method, apology=apology)


def _told(inc: Incident, t: datetime) -> Incident:
    """*inc* with the person told by phone at *t*, with an apology, and written to then."""
    spoken = _candour(Recipient.PERSON, t, NotificationMethod.PHONE)
    written = _candour(Recipient.PERSON, t, NotificationMethod.LETTER, apology=None)
    return add(inc, notifications=(spoken, written))


def _written(inc: Incident, t: datetime) -> Incident:
    return add(
        inc, notifications=(_candour(Recipient.PERSON, t, NotificationMethod.EMAIL, apology=None),)
    )


NOTIFIABLE = incident(severity=Severity.LOW, candour=_decided())
TOLD = add(NOTIFIABLE, notifications=(_candour(Recipient.PERSON, NOTICE),))

CASES = [
    Deadline(
        code="NT001",
        subject=incident(categories=(Category.POLICE_INVOLVEMENT,), reported_at=AWARE),
        due=AWARE + 24 * HOUR,
        basis=("$.reported_at", AWARE),
        provide=lambda inc, t: add(inc, notifications=(notification(Recipient.CQC, t),)),
        evidence_path="$.notifications[0].sent_at",
        obligation="A notification to CQC",
        reason=CQC_REASON,
        longer=("48h", AWARE + 48 * HOUR),
    ),
    Deadline(
        code="NT002",
        label="NT002-decision",
        key="decision",
        subject=incident(severity=Severity.MODERATE, reported_at=AWARE),
        due=TEN_WD,
        basis=("$.reported_at", AWARE),
        provide=lambda inc, t: attrs.evolve(inc, candour=_decided(notifiable=False, at=t)),
        evidence_path="$.candour.decided_at",
        obligation="A duty of candour decision (whether it is a notifiable safety incident)",
        reason="10 working days after the service became aware of the incident",
        longer=("15wd", datetime(2026, 3, 23, 23, 59, 59, 999999, tzinfo=UTC)),
        option="decide_within",
    ),
    Deadline(
        code="NT002",
        label="NT002-notice",
        key="notice",
        subject=NOTIFIABLE,
        due=TEN_WD_AFTER_DECISION,
        basis=("$.candour.decided_at", DECIDED),
        provide=_told,
        evidence_path="$.notifications[0].sent_at",
        obligation="A duty of candour notice to the person in person, by phone or video",
        reason="10 working days after the incident was decided notifiable",
        longer=("15wd", datetime(2026, 3, 24, 23, 59, 59, 999999, tzinfo=UTC)),
    ),
    Deadline(
        code="NT002",
        label="NT002-written",
        key="written",
        subject=TOLD,
        due=TEN_WD_AFTER_NOTICE,
        basis=("$.notifications[0].sent_at", NOTICE),
        provide=_written,
        evidence_path="$.notifications[1].sent_at",
        obligation="A written duty of candour notification (letter or email) to the person",
        reason="10 working days after the notice",
        longer=("15wd", datetime(2026, 3, 25, 23, 59, 59, 999999, tzinfo=UTC)),
        option="written_within",
    ),
    Deadline(
        code="NT003",
        label="NT003-specified-injury",
        subject=incident(injuries=(SPECIFIED,), reported_at=AWARE),
        due=T0 + 10 * DAY,
        basis=("$.occurred_at", T0),
        provide=_hse,
        evidence_path="$.notifications[0].sent_at",
        obligation="A RIDDOR report to HSE of a specified injury",
        reason="10 days after the incident",
        longer=("14d", T0 + 14 * DAY),
    ),
    Deadline(
        code="NT003",
        label="NT003-over-7-days-incapacity",
        subject=incident(injuries=(OFF_EIGHT_DAYS,), reported_at=AWARE),
        due=T0 + 15 * DAY,
        basis=("$.occurred_at", T0),
        provide=_hse,
        evidence_path="$.notifications[0].sent_at",
        obligation="A RIDDOR report to HSE of over 7 days' incapacity",
        reason="15 days after the incident",
        longer=("20d", T0 + 20 * DAY),
        option="incapacitated_within",
    ),
    Deadline(
        code="NT003",
        label="NT003-non-worker-to-hospital",
        subject=incident(injuries=(_hospital(),), reported_at=AWARE),
        due=T0 + 10 * DAY,
        basis=("$.occurred_at", T0),
        provide=_hse,
        evidence_path="$.notifications[0].sent_at",
        obligation=(
            "A RIDDOR report to HSE of an injury to someone who is not a worker, taken to hospital"
        ),
        reason="10 days after the incident",
        longer=("12d", T0 + 12 * DAY),
    ),
]


@pytest.fixture(params=CASES, ids=str)
def case(request: pytest.FixtureRequest) -> Deadline:
    return request.param  # type: ignore[no-any-return]


class TestDeadlines(DeadlineContract):
    """NT001, NT002's three deadlines and NT003's three follow the deadline contract."""


class TestNT001:
    @pytest.mark.parametrize(
        "inc",
        [
            pytest.param(incident(categories=(Category.ABUSE_ALLEGATION,)), id="abuse-allegation"),
            pytest.param(
                incident(categories=(Category.SAFEGUARDING_CONCERN,)), id="safeguarding-concern"
            ),
            pytest.param(incident(categories=(Category.POLICE_INVOLVEMENT,)), id="police"),
            pytest.param(incident(categories=(Category.DEATH,)), id="death-category"),
            pytest.param(incident(severity=Severity.DEATH), id="death-severity"),
            pytest.param(incident(severity=Severity.SEVERE), id="severe"),
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
            pytest.param(incident(severity=Severity.MODERATE), id="moderate"),
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

    def test_message_calls_24_hours_a_benchmark(self) -> None:
        """The law says "without delay": the message says the 24 hours stand for it."""
        found = one(incident(severity=Severity.SEVERE), T0 + HOUR, "NT001")

        assert found is not None
        assert found.message.endswith(f"({CQC_REASON}).")


class TestNT002Decision:
    @pytest.mark.parametrize(
        "inc",
        [
            pytest.param(incident(severity=Severity.NO_HARM), id="no-harm"),
            pytest.param(incident(severity=Severity.LOW), id="low"),
            pytest.param(
                incident(harm=Harm(physical=PhysicalHarm.LOW, psychological=PsychologicalHarm.LOW)),
                id="low-harm",
            ),
        ],
    )
    def test_not_applicable(self, inc: Incident) -> None:
        """No or low harm, and no decision recorded: nothing is asked."""
        assert not findings(inc, LATER, "NT002")

    @pytest.mark.parametrize(
        "inc",
        [
            pytest.param(incident(severity=Severity.MODERATE), id="moderate"),
            pytest.param(incident(severity=Severity.SEVERE), id="severe"),
            pytest.param(incident(severity=Severity.DEATH), id="death"),
            pytest.param(
                incident(
                    harm=Harm(physical=PhysicalHarm.MODERATE, psychological=PsychologicalHarm.NONE)
                ),
                id="physical-moderate",
            ),
            pytest.param(
                incident(
                    harm=Harm(physical=PhysicalHarm.NONE, psychological=PsychologicalHarm.SEVERE)
                ),
                id="psychological-severe",
            ),
        ],
    )
    def test_applies(self, inc: Incident) -> None:
        """Moderate or worse harm, overall or graded, needs a candour decision."""
        assert statuses(inc, LATER, "NT002") == {"decision": Status.OVERDUE}

    def test_not_notifiable_asks_nothing_more(self) -> None:
        """Decided not notifiable on time: no notice is asked."""
        inc = incident(severity=Severity.SEVERE, candour=_decided(notifiable=False))

        assert not findings(inc, LATER, "NT002")

    def test_no_notice_is_asked_before_the_decision(self) -> None:
        """Without a decision, nothing else is asked, even when notices are missing."""
        inc = incident(severity=Severity.SEVERE, candour=_decided(at=T0 + 5 * DAY))

        assert statuses(inc, T0 + 4 * DAY, "NT002") == {"decision": Status.DUE}
        assert statuses(inc, LATER, "NT002") == {"notice": Status.OVERDUE}


class TestNT002Notice:
    def test_notifiable_needs_a_notice_whatever_the_severity(self) -> None:
        """A notifiable incident with no or low harm recorded still needs the notice."""
        assert statuses(NOTIFIABLE, LATER, "NT002") == {"notice": Status.OVERDUE}

    def test_a_notice_before_the_decision_counts(self) -> None:
        """Services often tell the person first: a notice before decided_at counts."""
        inc = add(
            attrs.evolve(NOTIFIABLE, candour=_decided(at=T0 + 3 * DAY)),
            notifications=(_candour(Recipient.PERSON, T0 + HOUR),),
        )

        assert statuses(inc, T0 + 3 * DAY, "NT002") == {"written": Status.DUE}

    @pytest.mark.parametrize(
        ("method", "counts"),
        [
            (NotificationMethod.IN_PERSON, True),
            (NotificationMethod.PHONE, True),
            (NotificationMethod.VIDEO, True),
            (None, True),
            (NotificationMethod.LETTER, False),
            (NotificationMethod.EMAIL, False),
            (NotificationMethod.OTHER, False),
        ],
        ids=str,
    )
    def test_what_counts_as_the_notice(
        self, method: NotificationMethod | None, counts: bool
    ) -> None:
        """The notice is spoken (in person, phone, video, or a method not recorded)."""
        inc = add(NOTIFIABLE, notifications=(_candour(Recipient.PERSON, NOTICE, method),))

        found = statuses(inc, NOTICE + HOUR, "NT002")

        assert found == ({"written": Status.DUE} if counts else {"notice": Status.DUE})

    @pytest.mark.parametrize(
        ("relevant", "recipient", "counts"),
        [
            (RelevantPerson.PERSON, Recipient.PERSON, True),
            (RelevantPerson.PERSON, Recipient.FAMILY, False),
            (RelevantPerson.PERSON, Recipient.REPRESENTATIVE, False),
            (RelevantPerson.REPRESENTATIVE, Recipient.REPRESENTATIVE, True),
            (RelevantPerson.REPRESENTATIVE, Recipient.FAMILY, True),
            (RelevantPerson.REPRESENTATIVE, Recipient.NEXT_OF_KIN, True),
            (RelevantPerson.REPRESENTATIVE, Recipient.PERSON, False),
            (RelevantPerson.REPRESENTATIVE, Recipient.ADVOCATE, False),
        ],
        ids=lambda v: str(v).lower(),
    )
    def test_notice_goes_to_the_relevant_person(
        self, relevant: RelevantPerson, recipient: Recipient, counts: bool
    ) -> None:
        """The person, or their representative, family or next of kin for a representative."""
        inc = incident(
            candour=_decided(relevant=relevant),
            notifications=(_candour(recipient, NOTICE),),
        )

        found = statuses(inc, NOTICE + HOUR, "NT002")

        assert found == ({"written": Status.DUE} if counts else {"notice": Status.DUE})

    def test_representative_in_the_message(self) -> None:
        """The message names who is owed the notice."""
        inc = incident(candour=_decided(relevant=RelevantPerson.REPRESENTATIVE))

        found = one(inc, LATER, "NT002")

        assert found is not None
        assert found.message.startswith(
            "A duty of candour notice to their representative in person, by phone or video"
        )

    def test_without_duty_of_candour_it_does_not_count(self) -> None:
        """A notification not marked duty_of_candour is not the notice."""
        inc = add(NOTIFIABLE, notifications=(_candour(Recipient.PERSON, NOTICE, duty=False),))

        assert statuses(inc, LATER, "NT002") == {"notice": Status.OVERDUE}


class TestNT002Apology:
    @pytest.mark.parametrize("apology", [None, False], ids=str)
    def test_notice_without_an_apology(self, apology: bool | None) -> None:
        """A notice whose apology is not true: the apology is missing."""
        spoken = _candour(Recipient.PERSON, NOTICE, apology=apology)
        inc = _written(add(NOTIFIABLE, notifications=(spoken,)), NOTICE + DAY)

        found = findings(inc, LATER, "NT002")

        assert [
            (
                "apology",
                Status.MISSING,
                "The duty of candour notice does not record an apology.",
                (Evidence("$.notifications[0].apology", apology),),
            )
        ] == [(f.key, f.status, f.message, f.evidence) for f in found]

    def test_apology_in_the_written_notice_is_not_asked_for(self) -> None:
        """The rule asks for the apology on the notice only, not on the written notification."""
        assert not findings(_written(TOLD, NOTICE + DAY), LATER, "NT002")


class TestNT002Written:
    def test_written_before_the_notice_does_not_count(self) -> None:
        """The written notification follows the notice."""
        inc = _written(TOLD, NOTICE - HOUR)

        assert statuses(inc, LATER, "NT002") == {"written": Status.OVERDUE}

    def test_a_written_notice_alone_is_not_the_notice(self) -> None:
        """A letter only: the notice is missing, and the written one waits for it."""
        inc = _written(NOTIFIABLE, NOTICE)

        assert statuses(inc, LATER, "NT002") == {"notice": Status.OVERDUE}

    def test_written_to_someone_else_does_not_count(self) -> None:
        """The written notification goes to the same recipients as the notice."""
        letter = _candour(Recipient.FAMILY, NOTICE, NotificationMethod.LETTER)
        inc = add(TOLD, notifications=(letter,))

        assert statuses(inc, LATER, "NT002") == {"written": Status.OVERDUE}

    @pytest.mark.parametrize(
        ("options", "problem"),
        [
            (
                {"written_within": 10},
                (
                    'rules.NT002.written_within: expected a duration string such as "24h",'
                    ' "7d" or "2wd", got 10'
                ),
            ),
            (
                {"decide_within": "soon"},
                "rules.NT002.decide_within: ",
            ),
        ],
        ids=["written-number", "decide-text"],
    )
    def test_bad_options(self, options: dict[str, object], problem: str) -> None:
        """Option values are checked when the configuration is compiled."""
        with pytest.raises(ConfigError) as e:
            ruleset({"rules": {"NT002": options}})

        assert len(e.value.problems) == 1
        assert e.value.problems[0].startswith(problem)


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
            pytest.param((_hospital(work_related=False),), id="hospital-not-work-related"),
            pytest.param(
                (
                    Injury(
                        who=InjuredParty.PERSON,
                        severity=InjurySeverity.SERIOUS,
                        hospital=False,
                        work_related=True,
                    ),
                ),
                id="work-related-not-hospital",
            ),
            pytest.param((_hospital(InjuredParty.STAFF),), id="staff-to-hospital"),
        ],
    )
    def test_not_reportable(self, injuries: tuple[Injury, ...]) -> None:
        """These injuries are not reportable, and nothing is unknown."""
        assert not findings(incident(injuries=injuries), LATER, "NT003")

    @pytest.mark.parametrize("who", [InjuredParty.PERSON, InjuredParty.OTHER], ids=str)
    def test_non_worker_to_hospital(self, who: InjuredParty) -> None:
        """A person supported or a visitor taken to hospital from a work accident: 10 days."""
        found = one(incident(injuries=(_hospital(who),)), LATER, "NT003")

        assert found is not None
        assert (found.status, found.due_at) == (Status.OVERDUE, T0 + 10 * DAY)

    def test_counts_from_the_accident_not_awareness(self) -> None:
        """A report a day late is late, even when the service learned of it later."""
        inc = _hse(incident(injuries=(SPECIFIED,), reported_at=T0 + 2 * DAY), T0 + 11 * DAY)

        found = one(inc, LATER, "NT003")

        assert found is not None
        assert (found.status, found.due_at) == (Status.LATE, T0 + 10 * DAY)

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

    def test_hospital_without_work_related_is_unknown(self) -> None:
        """Taken to hospital, but whether it arose from work is not recorded: unknown."""
        unsure = injury(InjuredParty.STAFF, InjurySeverity.SERIOUS, days_incapacitated=None)
        inc = incident(injuries=(unsure, _hospital(work_related=None)))

        found = one(inc, LATER, "NT003")

        assert found is not None
        assert (found.status, found.due_at) == (Status.UNKNOWN, None)
        assert found.message == (
            "Cannot tell whether an injury to someone who is not a worker, taken to hospital,"
            " is reportable: work_related is not recorded."
        )
        assert (Evidence("$.injuries[1].work_related", None),) == found.evidence

    @pytest.mark.parametrize(
        "unsure",
        [
            pytest.param(
                injury(InjuredParty.STAFF, InjurySeverity.SERIOUS, days_incapacitated=None),
                id="days",
            ),
            pytest.param(_hospital(work_related=None), id="work-related"),
        ],
    )
    def test_no_unknown_once_hse_was_notified(self, unsure: Injury) -> None:
        """Once HSE has a report, whether it was reportable no longer matters."""
        inc = incident(injuries=(unsure,))

        assert statuses(inc, LATER, "NT003") == {None: Status.UNKNOWN}
        assert not findings(_hse(inc, T0 + 30 * DAY), LATER, "NT003")
        assert statuses(_hse(inc, T0 + 30 * DAY), T0 + 29 * DAY, "NT003") == {None: Status.UNKNOWN}

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
        inc = incident(injuries=(unknown, _hospital(work_related=None), OFF_EIGHT_DAYS))

        found = one(inc, LATER, "NT003")

        assert found is not None
        assert (found.status, found.due_at) == (Status.OVERDUE, T0 + 15 * DAY)

    def test_hospital_deadline_wins_over_unknown_days(self) -> None:
        """A reportable non-worker injury is judged, not a staff injury of unknown days."""
        unknown = injury(InjuredParty.STAFF, InjurySeverity.SERIOUS, days_incapacitated=None)
        inc = incident(injuries=(unknown, _hospital()))

        found = one(inc, LATER, "NT003")

        assert found is not None
        assert (found.status, found.due_at) == (Status.OVERDUE, T0 + 10 * DAY)

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


@given(
    strategies.incidents(around=T0),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)),
)
def test_time_never_turns_overdue_back_into_due(
    inc: Incident, first: timedelta, more: timedelta
) -> None:
    """For any incident, an overdue NT001-NT003 finding is never due at a later time."""
    early, late = inc.occurred_at + first, inc.occurred_at + first + more
    for code in ("NT001", "NT002", "NT003"):
        before, after = statuses(inc, early, code), statuses(inc, late, code)
        assert all(
            after.get(key) is not Status.DUE
            for key, status in before.items()
            if status is Status.OVERDUE
        )
