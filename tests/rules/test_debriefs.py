"""Debrief rules DB001-DB005."""

from __future__ import annotations

import attrs
import pytest

from trauma_incidents.model import (
    Audience,
    Debrief,
    DebriefStatus,
    Incident,
    InjuredParty,
    Topic,
)
from trauma_incidents.rules import Evidence, Status

from .builders import (
    DAY,
    DISTRESS,
    HOUR,
    MINUTE,
    T0,
    TICK,
    Deadline,
    DeadlineContract,
    add,
    findings,
    incident,
    injury,
    one,
    person_debrief,
    restraint,
    staff_debrief,
    stamp,
    statuses,
    support,
    when,
)

END = T0 + 10 * MINUTE
RI = incident(categories=DISTRESS, interventions=(restraint(),))
AWARE = T0 + 2 * HOUR
STAFF_HURT = incident(reported_at=AWARE, injuries=(injury(),))
DECLINED_AT = T0 + 3 * HOUR
DECLINED = incident(
    debriefs=(person_debrief(DECLINED_AT, status=DebriefStatus.DECLINED),),
)

CASES = [
    Deadline(
        code="DB003",
        subject=DECLINED,
        due=DECLINED_AT + 7 * DAY,
        basis=("$.debriefs[0].at", DECLINED_AT),
        provide=lambda inc, t: add(inc, debriefs=(person_debrief(t),)),
        evidence_path="$.debriefs[1].at",
        obligation="A renewed debrief offer to the person",
        reason="7 days after the debrief was declined",
        longer=("10d", DECLINED_AT + 10 * DAY),
    ),
    Deadline(
        code="DB005",
        subject=STAFF_HURT,
        due=AWARE + 24 * HOUR,
        basis=("$.reported_at", AWARE),
        provide=lambda inc, t: add(inc, debriefs=(staff_debrief(t, topics=(Topic.WELLBEING,)),)),
        evidence_path="$.debriefs[0].at",
        obligation="A held staff debrief covering wellbeing",
        reason="24 hours after the service became aware of the incident",
        longer=("36h", AWARE + 36 * HOUR),
    ),
]


@pytest.fixture(params=CASES, ids=str)
def case(request: pytest.FixtureRequest) -> Deadline:
    return request.param  # type: ignore[no-any-return]


class TestDeadlines(DeadlineContract):
    """DB003 and DB005 follow the deadline contract (DB001, DB002: test_episode_rules)."""


LATER = T0 + 30 * DAY


@pytest.mark.parametrize(
    ("code", "inc"),
    [
        pytest.param("DB001", incident(categories=DISTRESS), id="DB001-no-ri"),
        pytest.param("DB001", incident(interventions=(support(),)), id="DB001-only-support"),
        pytest.param(
            "DB001",
            incident(interventions=(restraint(restrictive=False),)),
            id="DB001-marked-not-restrictive",
        ),
        pytest.param("DB002", incident(categories=DISTRESS), id="DB002-no-ri"),
        pytest.param("DB003", incident(), id="DB003-no-person-debrief"),
        pytest.param("DB003", incident(debriefs=(person_debrief(T0),)), id="DB003-first-offered"),
        pytest.param(
            "DB003",
            incident(debriefs=(person_debrief(T0, status=DebriefStatus.HELD),)),
            id="DB003-first-held",
        ),
        pytest.param(
            "DB003",
            incident(
                debriefs=(
                    person_debrief(T0 + HOUR, status=DebriefStatus.DECLINED),
                    person_debrief(T0, status=DebriefStatus.HELD),
                )
            ),
            id="DB003-earliest-held-later-declined",
        ),
        pytest.param(
            "DB003",
            incident(
                debriefs=(Debrief(audience=Audience.FAMILY, status=DebriefStatus.DECLINED, at=T0),)
            ),
            id="DB003-family-declined",
        ),
        pytest.param("DB004", incident(debriefs=(staff_debrief(T0, topics=()),)), id="DB004-no-ri"),
        pytest.param("DB004", RI, id="DB004-no-staff-debrief"),
        pytest.param(
            "DB004",
            add(RI, debriefs=(staff_debrief(T0, status=DebriefStatus.OFFERED, topics=()),)),
            id="DB004-staff-debrief-only-offered",
        ),
        pytest.param(
            "DB005",
            incident(injuries=(injury(InjuredParty.PERSON),)),
            id="DB005-person-injury",
        ),
        pytest.param(
            "DB005", incident(injuries=(injury(InjuredParty.OTHER),)), id="DB005-other-injury"
        ),
    ],
)
def test_not_applicable(code: str, inc: Incident) -> None:
    """The rule says nothing about an incident it does not apply to."""
    assert not findings(inc, LATER, code)


class TestDB001:
    @pytest.mark.parametrize(
        "debrief",
        [
            pytest.param(staff_debrief(END, status=DebriefStatus.OFFERED), id="offered"),
            pytest.param(staff_debrief(END, status=DebriefStatus.DEFERRED), id="deferred"),
            pytest.param(person_debrief(END, status=DebriefStatus.HELD), id="person"),
        ],
    )
    def test_only_a_held_staff_debrief_counts(self, debrief: Debrief) -> None:
        """Offered, deferred or person debriefs do not meet DB001."""
        inc = add(RI, debriefs=(debrief,))

        assert statuses(inc, END + 2 * DAY, "DB001") == {"0": Status.OVERDUE}

    def test_earliest_held_debrief_counts(self) -> None:
        """Of several held staff debriefs, the earliest decides."""
        inc = add(RI, debriefs=(staff_debrief(END + 3 * DAY), staff_debrief(END + 2 * DAY)))

        found = one(inc, END + 5 * DAY, "DB001")

        assert found is not None
        assert (found.status, found.satisfied_at) == (Status.LATE, END + 2 * DAY)
        assert Evidence("$.debriefs[1].at", stamp(END + 2 * DAY)) == found.evidence[1]


class TestDB002:
    @pytest.mark.parametrize("status", list(DebriefStatus), ids=str)
    def test_any_status_counts(self, status: DebriefStatus) -> None:
        """Offering is what matters: any person debrief record meets DB002."""
        inc = add(RI, debriefs=(person_debrief(END + HOUR, status=status),))

        assert not findings(inc, END + 10 * DAY, "DB002")

    def test_family_debrief_does_not_count(self) -> None:
        """A debrief with the family is not a debrief offered to the person."""
        family = Debrief(audience=Audience.FAMILY, status=DebriefStatus.HELD, at=END)
        inc = add(RI, debriefs=(family,))

        assert statuses(inc, END + 10 * DAY, "DB002") == {"0": Status.OVERDUE}


class TestDB003:
    def test_reoffer_by_replaces_the_seven_days(self) -> None:
        """A recorded re-offer date is the deadline, earlier than 7 days here."""
        reoffer = DECLINED_AT + 3 * DAY
        inc = incident(
            debriefs=(
                person_debrief(DECLINED_AT, status=DebriefStatus.DEFERRED, reoffer_by=reoffer),
            )
        )

        found = one(inc, reoffer + TICK, "DB003")

        assert found is not None
        assert (Status.OVERDUE, reoffer) == (found.status, found.due_at)
        assert (Evidence("$.debriefs[0].reoffer_by", stamp(reoffer)),) == found.evidence
        assert (
            "A renewed debrief offer to the person was due by"
            f" {when(reoffer)} (the re-offer date recorded) and is not recorded."
        ) == found.message

    def test_reoffer_by_later_than_seven_days(self) -> None:
        """A re-offer date after 7 days is respected: the person's choice sets the pace."""
        reoffer = DECLINED_AT + 10 * DAY
        inc = incident(
            debriefs=(
                person_debrief(DECLINED_AT, status=DebriefStatus.DECLINED, reoffer_by=reoffer),
            )
        )

        assert statuses(inc, DECLINED_AT + 8 * DAY, "DB003") == {None: Status.DUE}

    def test_reoffer_by_wins_over_within(self) -> None:
        """Configuring ``within`` does not override a recorded re-offer date."""
        reoffer = DECLINED_AT + 2 * DAY
        inc = incident(
            debriefs=(
                person_debrief(DECLINED_AT, status=DebriefStatus.DECLINED, reoffer_by=reoffer),
            )
        )
        config = {"rules": {"DB003": {"within": "30d"}}}

        found = one(inc, reoffer + DAY, "DB003", config)

        assert found is not None
        assert (Status.OVERDUE, reoffer) == (found.status, found.due_at)

    def test_reoffer_met_at_the_reoffer_date(self) -> None:
        """A later debrief exactly at the re-offer date is on time."""
        reoffer = DECLINED_AT + 2 * DAY
        inc = incident(
            debriefs=(
                person_debrief(DECLINED_AT, status=DebriefStatus.DECLINED, reoffer_by=reoffer),
                person_debrief(reoffer),
            )
        )

        assert not findings(inc, reoffer + 30 * DAY, "DB003")

    def test_earliest_by_time_not_by_index(self) -> None:
        """The first person debrief is the earliest in time, wherever it sits in the array."""
        inc = incident(
            debriefs=(
                person_debrief(DECLINED_AT + 9 * DAY),
                person_debrief(DECLINED_AT, status=DebriefStatus.DEFERRED),
            )
        )

        found = one(inc, DECLINED_AT + 10 * DAY, "DB003")

        assert found is not None
        assert (found.status, found.satisfied_at) == (Status.LATE, DECLINED_AT + 9 * DAY)
        assert (
            Evidence("$.debriefs[1].at", stamp(DECLINED_AT)),
            Evidence("$.debriefs[0].at", stamp(DECLINED_AT + 9 * DAY)),
        ) == found.evidence
        assert "7 days after the debrief was deferred" in found.message

    @pytest.mark.parametrize("status", list(DebriefStatus), ids=str)
    def test_any_later_person_record_counts(self, status: DebriefStatus) -> None:
        """Any later person debrief record, even declined again, is a renewed offer."""
        inc = add(DECLINED, debriefs=(person_debrief(DECLINED_AT + DAY, status=status),))

        assert not findings(inc, DECLINED_AT + 30 * DAY, "DB003")

    def test_staff_debrief_is_not_a_renewed_offer(self) -> None:
        """A staff debrief does not renew the offer to the person."""
        inc = add(DECLINED, debriefs=(staff_debrief(DECLINED_AT + DAY),))

        assert statuses(inc, DECLINED_AT + 8 * DAY, "DB003") == {None: Status.OVERDUE}

    def test_declined_after_at_is_not_recorded(self) -> None:
        """A decline dated after the evaluation time is not yet known."""
        assert not findings(DECLINED, DECLINED_AT - MINUTE, "DB003")


class TestDB004:
    def test_debriefs_together_cover_the_topics(self) -> None:
        """Two held staff debriefs can cover the learning topics between them."""
        inc = add(
            RI,
            debriefs=(
                staff_debrief(END, topics=(Topic.TIMELINE,)),
                staff_debrief(END + HOUR, topics=(Topic.EARLY_WARNING_SIGNS, Topic.COMMUNICATION)),
            ),
        )

        assert not findings(inc, LATER, "DB004")

    def test_missing_topics_are_listed(self) -> None:
        """The finding lists the uncovered topics, and the topics of each held debrief."""
        inc = add(
            RI,
            debriefs=(
                staff_debrief(END, topics=(Topic.TIMELINE, Topic.WELLBEING)),
                person_debrief(END, status=DebriefStatus.HELD),
                staff_debrief(END, status=DebriefStatus.OFFERED, topics=(Topic.COMMUNICATION,)),
                staff_debrief(END + HOUR, topics=()),
            ),
        )

        found = one(inc, LATER, "DB004")

        assert found is not None
        assert (
            found.status,
            found.key,
            found.due_at,
            found.satisfied_at,
        ) == (Status.MISSING, None, None, None)
        assert (
            found.message
        ) == "The held staff debriefs do not cover: communication, early_warning_signs."
        assert (
            Evidence("$.debriefs[0].topics", "timeline,wellbeing"),
            Evidence("$.debriefs[3].topics", ""),
        ) == found.evidence

    def test_debrief_after_at_is_not_recorded(self) -> None:
        """A held staff debrief dated after the evaluation time does not count."""
        inc = add(
            RI,
            debriefs=(
                staff_debrief(END, topics=(Topic.TIMELINE,)),
                staff_debrief(END + 2 * DAY),
            ),
        )

        assert statuses(inc, END + DAY, "DB004") == {None: Status.MISSING}
        assert not findings(inc, END + 2 * DAY, "DB004")

    def test_topics_option(self) -> None:
        """The ``topics`` option sets what the debriefs must cover."""
        inc = add(RI, debriefs=(staff_debrief(END),))
        config = {"rules": {"DB004": {"topics": ["wellbeing", "timeline"]}}}

        found = one(inc, LATER, "DB004", config)

        assert found is not None
        assert found.message == "The held staff debriefs do not cover: wellbeing."

    def test_ongoing_intervention_does_not_postpone(self) -> None:
        """DB004 has no deadline, so an ongoing intervention does not hold it back."""
        inc = incident(
            interventions=(restraint(ended_at=T0 + 2 * DAY),),
            debriefs=(staff_debrief(T0 + HOUR, topics=()),),
        )

        assert statuses(inc, T0 + DAY, "DB004") == {None: Status.MISSING}


class TestDB005:
    @pytest.mark.parametrize(
        "debrief",
        [
            pytest.param(staff_debrief(AWARE), id="held-without-wellbeing"),
            pytest.param(
                staff_debrief(AWARE, status=DebriefStatus.OFFERED, topics=(Topic.WELLBEING,)),
                id="offered-with-wellbeing",
            ),
            pytest.param(
                attrs.evolve(
                    person_debrief(AWARE, status=DebriefStatus.HELD), topics=(Topic.WELLBEING,)
                ),
                id="person-with-wellbeing",
            ),
        ],
    )
    def test_only_held_staff_wellbeing_counts(self, debrief: Debrief) -> None:
        """Only a held staff debrief covering wellbeing meets DB005."""
        inc = add(STAFF_HURT, debriefs=(debrief,))

        assert statuses(inc, AWARE + 2 * DAY, "DB005") == {None: Status.OVERDUE}

    def test_anchor_is_occurrence_without_report_time(self) -> None:
        """Without ``reported_at`` the deadline counts from ``occurred_at``."""
        inc = attrs.evolve(STAFF_HURT, reported_at=None)

        found = one(inc, T0, "DB005")

        assert found is not None
        assert (T0 + 24 * HOUR, (Evidence("$.occurred_at", stamp(T0)),)) == (
            found.due_at,
            found.evidence,
        )

    def test_applies_without_restrictive_intervention(self) -> None:
        """A staff injury needs a wellbeing debrief whatever the incident."""
        assert statuses(STAFF_HURT, AWARE, "DB005") == {None: Status.DUE}
