"""Restraint safety and lawful basis: RI007-RI010 (core pack 2.0)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents import strategies
from trauma_incidents.errors import ConfigError
from trauma_incidents.model import (
    Capacity,
    Incident,
    Intervention,
    InterventionKind,
    LegalBasis,
    Observation,
    Position,
)
from trauma_incidents.rules import Evidence, FindingSeverity, Status

from .builders import (
    DAY,
    DISTRESS,
    HOUR,
    MINUTE,
    T0,
    TICK,
    findings,
    incident,
    one,
    restraint,
    ruleset,
    stamp,
    statuses,
    support,
)

LATER = T0 + 30 * DAY


def _held(iv: Intervention) -> Incident:
    """An incident with de-escalation, then *iv*."""
    return incident(categories=DISTRESS, interventions=(support(), iv))


def _isolation(kind: InterventionKind, basis: LegalBasis | None) -> Intervention:
    return Intervention(
        kind=kind, started_at=T0, ended_at=T0 + HOUR, legal_basis=basis, in_support_plan=True
    )


class TestRI007:
    def test_longer_than_10_minutes_is_a_concern(self) -> None:
        """A 25-minute hold: a concern naming its times."""
        inc = _held(restraint(ended_at=T0 + 25 * MINUTE))

        found = one(inc, LATER, "RI007")

        assert found is not None
        assert (found.key, found.status, found.severity) == (
            "1",
            Status.CONCERN,
            FindingSeverity.HIGH,
        )
        assert found.message == "A physical restraint lasted 25 minutes, longer than 10."
        assert found.evidence == (
            Evidence("$.interventions[1].started_at", stamp(T0)),
            Evidence("$.interventions[1].ended_at", stamp(T0 + 25 * MINUTE)),
        )

    def test_exactly_10_minutes_is_not(self) -> None:
        """The limit is inclusive; a microsecond over it is a concern."""
        assert not findings(_held(restraint(ended_at=T0 + 10 * MINUTE)), LATER, "RI007")
        over = _held(restraint(ended_at=T0 + 10 * MINUTE + TICK))
        assert statuses(over, LATER, "RI007") == {"1": Status.CONCERN}

    @pytest.mark.parametrize(
        "iv",
        [
            pytest.param(
                Intervention(kind=InterventionKind.SECLUSION, started_at=T0, ended_at=T0 + HOUR),
                id="seclusion",
            ),
            pytest.param(restraint(started_at=None, ended_at=T0 + HOUR), id="no-start"),
            pytest.param(restraint(ended_at=None), id="no-end"),
        ],
    )
    def test_not_applicable(self, iv: Intervention) -> None:
        """Only a physical restraint with both times recorded is judged."""
        assert not findings(_held(iv), LATER, "RI007")

    def test_ongoing_restraint_waits(self) -> None:
        """A restraint still going on at the evaluation time is judged when it ends."""
        inc = _held(restraint(ended_at=T0 + HOUR))

        assert not findings(inc, T0 + 30 * MINUTE, "RI007")
        assert statuses(inc, T0 + HOUR, "RI007") == {"1": Status.CONCERN}

    def test_max_minutes_option(self) -> None:
        """``max_minutes`` moves the limit: 15 minutes is within 20."""
        inc = _held(restraint(ended_at=T0 + 15 * MINUTE))
        config = {"rules": {"RI007": {"max_minutes": 20}}}

        assert statuses(inc, LATER, "RI007") == {"1": Status.CONCERN}
        assert not findings(inc, LATER, "RI007", config)

    def test_bad_option(self) -> None:
        """``max_minutes`` is a whole number."""
        with pytest.raises(ConfigError) as e:
            ruleset({"rules": {"RI007": {"max_minutes": "10m"}}})

        assert e.value.problems == (
            "rules.RI007.max_minutes: expected a whole number from 0 to 10000, got '10m'",
        )


class TestRI008:
    @pytest.mark.parametrize("kind", [InterventionKind.SECLUSION, InterventionKind.SEGREGATION])
    @pytest.mark.parametrize(
        "basis",
        [None, LegalBasis.NOT_RECORDED, LegalBasis.MCA_BEST_INTERESTS, LegalBasis.CONSENT],
        ids=str,
    )
    def test_outside_the_mha_is_a_critical_concern(
        self, kind: InterventionKind, basis: LegalBasis | None
    ) -> None:
        """Any basis but the Mental Health Act, absent and not_recorded included."""
        found = one(_held(_isolation(kind, basis)), T0, "RI008")

        assert found is not None
        assert (found.key, found.status, found.severity) == (
            "1",
            Status.CONCERN,
            FindingSeverity.CRITICAL,
        )
        assert found.message == (
            "A seclusion or segregation was recorded without the Mental Health Act as its legal"
            " basis."
        )
        assert found.evidence == (
            Evidence("$.interventions[1].kind", kind.value),
            Evidence("$.interventions[1].legal_basis", None if basis is None else basis.value),
        )

    @pytest.mark.parametrize(
        "iv",
        [
            pytest.param(
                _isolation(InterventionKind.SECLUSION, LegalBasis.MENTAL_HEALTH_ACT), id="mha"
            ),
            pytest.param(restraint(legal_basis=None), id="restraint"),
        ],
    )
    def test_not_applicable(self, iv: Intervention) -> None:
        """Seclusion under the MHA, and other kinds, are not flagged."""
        assert not findings(_held(iv), LATER, "RI008")

    def test_flagged_while_ongoing_not_before_it_starts(self) -> None:
        """A concern about its nature does not wait for the end; it waits for the start."""
        inc = _held(_isolation(InterventionKind.SECLUSION, None))

        assert not findings(inc, T0 - TICK, "RI008")
        assert statuses(inc, T0 + MINUTE, "RI008") == {"1": Status.CONCERN}


class TestRI009:
    @pytest.mark.parametrize("basis", [None, LegalBasis.NOT_RECORDED], ids=str)
    def test_no_legal_basis_is_missing(self, basis: LegalBasis | None) -> None:
        """Absent or not_recorded: the legal basis is missing."""
        found = one(_held(restraint(legal_basis=basis)), LATER, "RI009")

        assert found is not None
        assert (found.key, found.status) == ("1", Status.MISSING)
        assert found.message == "The restrictive intervention record lacks its legal basis."
        value = None if basis is None else basis.value
        assert found.evidence == (Evidence("$.interventions[1].legal_basis", value),)

    @pytest.mark.parametrize(
        ("basis", "capacity", "reason"),
        [
            (LegalBasis.CONSENT, Capacity.LACKS, "consent needs capacity."),
            (
                LegalBasis.MCA_BEST_INTERESTS,
                Capacity.HAS,
                "that route applies only where capacity is lacking.",
            ),
        ],
        ids=["consent-lacks", "best-interests-has"],
    )
    def test_basis_contradicting_capacity_is_a_concern(
        self, basis: LegalBasis, capacity: Capacity, reason: str
    ) -> None:
        """Consent needs capacity; the MCA's best interests apply only without it."""
        iv = restraint(legal_basis=basis, capacity=capacity)

        found = one(_held(iv), LATER, "RI009")

        assert found is not None
        assert (found.key, found.status) == ("1", Status.CONCERN)
        assert found.message.endswith(reason)
        assert found.evidence == (
            Evidence("$.interventions[1].legal_basis", basis.value),
            Evidence("$.interventions[1].capacity", capacity.value),
        )

    @pytest.mark.parametrize(
        ("basis", "capacity"),
        [
            (LegalBasis.CONSENT, Capacity.HAS),
            (LegalBasis.CONSENT, None),
            (LegalBasis.MCA_BEST_INTERESTS, Capacity.LACKS),
            (LegalBasis.MCA_BEST_INTERESTS, Capacity.NOT_ASSESSED),
            (LegalBasis.MENTAL_HEALTH_ACT, Capacity.HAS),
            (LegalBasis.DEPRIVATION_OF_LIBERTY_AUTHORISATION, Capacity.LACKS),
            (LegalBasis.EMERGENCY_PREVENTION_OF_HARM, None),
        ],
        ids=str,
    )
    def test_sound_basis_finds_nothing(self, basis: LegalBasis, capacity: Capacity | None) -> None:
        """A basis that fits the capacity recorded (or none recorded) is met."""
        iv = restraint(legal_basis=basis, capacity=capacity)

        assert not findings(_held(iv), LATER, "RI009")

    def test_not_restrictive_is_not_applicable(self) -> None:
        """Only restrictive interventions need a lawful basis here."""
        assert not findings(incident(interventions=(support(),)), LATER, "RI009")

    def test_ongoing_waits_and_future_is_not_recorded(self) -> None:
        """Judged once the intervention has ended; not before it started."""
        inc = _held(restraint(started_at=T0 + HOUR, ended_at=T0 + 2 * HOUR, legal_basis=None))

        assert not findings(inc, T0, "RI009")
        assert not findings(inc, T0 + 90 * MINUTE, "RI009")
        assert statuses(inc, T0 + 2 * HOUR, "RI009") == {"1": Status.MISSING}


RT = Intervention(
    kind=InterventionKind.RAPID_TRANQUILLISATION,
    started_at=T0,
    ended_at=T0 + 5 * MINUTE,
    legal_basis=LegalBasis.MCA_BEST_INTERESTS,
    capacity=Capacity.LACKS,
    in_support_plan=True,
)


class TestRI010:
    @pytest.mark.parametrize(
        "iv",
        [
            pytest.param(restraint(position=Position.PRONE), id="prone"),
            pytest.param(restraint(position=Position.SUPINE), id="supine"),
            pytest.param(RT, id="rapid-tranquillisation"),
        ],
    )
    def test_no_observation_is_missing(self, iv: Intervention) -> None:
        """Airway-risk restraint and rapid tranquillisation need an observation."""
        found = one(_held(iv), LATER, "RI010")

        assert found is not None
        assert (found.key, found.status) == ("1", Status.MISSING)
        assert found.message == (
            "No physical observation is recorded during the intervention or within 1 hour after it."
        )
        assert found.evidence == (Evidence("$.interventions[1].observations", None),)

    @pytest.mark.parametrize(
        "position", [Position.STANDING, Position.SEATED, Position.SIDE, None], ids=str
    )
    def test_other_positions_are_not_applicable(self, position: Position | None) -> None:
        """Other physical restraints are not judged by RI010."""
        assert not findings(_held(restraint(position=position)), LATER, "RI010")

    @pytest.mark.parametrize(
        ("offset", "counts"),
        [
            pytest.param(timedelta(0), True, id="at-the-start"),
            pytest.param(5 * MINUTE + HOUR, True, id="exactly-an-hour-after-the-end"),
            pytest.param(5 * MINUTE + HOUR + TICK, False, id="just-after-the-window"),
            pytest.param(-TICK, False, id="before-the-start"),
        ],
    )
    def test_observation_window(self, offset: timedelta, counts: bool) -> None:
        """An observation counts from the start to an hour after the end, inclusive."""
        iv = Intervention(
            kind=RT.kind,
            started_at=RT.started_at,
            ended_at=RT.ended_at,
            observations=(Observation(at=T0 + offset),),
        )

        found = statuses(_held(iv), LATER, "RI010")

        assert found == ({} if counts else {"1": Status.MISSING})

    def test_observation_after_at_is_not_recorded(self) -> None:
        """An observation dated after the evaluation time does not count yet."""
        iv = Intervention(
            kind=RT.kind,
            started_at=RT.started_at,
            ended_at=RT.ended_at,
            observations=(Observation(at=T0 + 30 * MINUTE),),
        )

        assert statuses(_held(iv), T0 + 10 * MINUTE, "RI010") == {"1": Status.MISSING}
        assert not findings(_held(iv), T0 + 30 * MINUTE, "RI010")

    def test_ongoing_waits(self) -> None:
        """A prone restraint still going on is judged when it ends."""
        inc = _held(restraint(position=Position.PRONE, ended_at=T0 + HOUR))

        assert not findings(inc, T0 + 30 * MINUTE, "RI010")
        assert statuses(inc, T0 + HOUR, "RI010") == {"1": Status.MISSING}

    def test_after_end_option(self) -> None:
        """``after_end`` widens the window: an observation 90 minutes after the end counts."""
        iv = Intervention(
            kind=RT.kind,
            started_at=RT.started_at,
            ended_at=RT.ended_at,
            observations=(Observation(at=T0 + 95 * MINUTE),),
        )
        config = {"rules": {"RI010": {"after_end": "2h"}}}

        assert statuses(_held(iv), LATER, "RI010") == {"1": Status.MISSING}
        assert not findings(_held(iv), LATER, "RI010", config)


@given(
    strategies.incidents(around=T0, restrictive=True),
    st.timedeltas(min_value=timedelta(hours=-1), max_value=timedelta(days=2)),
)
def test_rules_about_an_intervention_wait_until_it_ends(inc: Incident, offset: timedelta) -> None:
    """RI007, RI009 and RI010 never judge an intervention still going on, or not yet begun."""
    at = inc.occurred_at + offset
    for code in ("RI007", "RI009", "RI010"):
        for f in findings(inc, at, code):
            iv = inc.interventions[int(str(f.key))]
            assert iv.ended_at is None or iv.ended_at <= at
            assert iv.started_at is None or iv.started_at <= at
