"""Tests for `trauma_incidents.testing`: builders give valid objects that rules accept."""

from __future__ import annotations

from datetime import date, datetime, timezone

from trauma_incidents import testing as t
from trauma_incidents.engine import evaluate
from trauma_incidents.model import (
    Audience,
    Category,
    DebriefStatus,
    InterventionKind,
    Recipient,
    ReviewKind,
    Severity,
    Stage,
    Topic,
)

LATE = datetime(2027, 1, 1, tzinfo=timezone.utc)


class TestDefaults:
    def test_incident(self) -> None:
        """The default incident is low-severity behavioural distress at T0."""
        inc = t.incident()
        assert (inc.id, inc.person_id, inc.occurred_at) == ("INC-0001", "P-001", t.T0)
        assert inc.categories == (Category.BEHAVIOURAL_DISTRESS,)
        assert inc.severity is Severity.LOW

    def test_overrides(self) -> None:
        """Any field can be overridden."""
        inc = t.incident(id="INC-9", severity=Severity.MODERATE)
        assert (inc.id, inc.severity) == ("INC-9", Severity.MODERATE)

    def test_time_helpers(self) -> None:
        """hours and days are elapsed time."""
        assert t.T0 + t.hours(24) == t.T0 + t.days(1)

    def test_restraint_from_end(self) -> None:
        """Given only ended_at, a restraint starts 5 minutes before it."""
        iv = t.restraint(ended_at=t.T0 + t.hours(1))
        assert iv.started_at == t.T0 + t.hours(1) - t.hours(5 / 60)
        assert iv.is_restrictive
        assert iv.kind is InterventionKind.PHYSICAL_RESTRAINT

    def test_debriefs(self) -> None:
        """Staff debriefs are held and cover the learning topics; person debriefs are offered."""
        staff = t.staff_debrief(t.T0)
        person = t.person_debrief(t.T0)
        assert (staff.audience, staff.status, staff.topics) == (
            Audience.STAFF,
            DebriefStatus.HELD,
            (Topic.TIMELINE, Topic.EARLY_WARNING_SIGNS, Topic.COMMUNICATION),
        )
        assert (person.audience, person.status) == (Audience.PERSON, DebriefStatus.OFFERED)

    def test_stage(self) -> None:
        """A stage is explained only when explained_at is given."""
        assert t.stage(Stage.CONCERN_RAISED, t.T0).explanation is None
        explained = t.stage(Stage.CONCERN_RAISED, t.T0, t.T0 + t.hours(1)).explanation
        assert explained is not None
        assert explained.at == t.T0 + t.hours(1)

    def test_action(self) -> None:
        """assessed_at adds an effectiveness assessment."""
        a = t.action(due=date(2026, 3, 9), completed_at=t.T0, assessed_at=t.T0 + t.days(3))
        assert a.effectiveness is not None


def test_well_handled_restraint_has_no_findings() -> None:
    """A restraint recorded with the builders' defaults, and followed up, meets every rule."""
    end = t.T0 + t.hours(1)
    inc = t.incident(
        triggers=(t.trigger(),),
        interventions=(t.deescalation(), t.restraint(ended_at=end)),
        debriefs=(t.staff_debrief(end + t.hours(3)), t.person_debrief(end + t.hours(20))),
        reviews=(
            t.review(ReviewKind.POST_INCIDENT_REVIEW, end + t.days(2)),
            t.review(ReviewKind.SUPPORT_PLAN_REVIEW, end + t.days(5)),
        ),
    )
    assert [f.rule for f in evaluate([inc], at=LATE).findings] == []


def test_builders_show_gaps() -> None:
    """Small changes to the defaults give the findings they should."""
    end = t.T0 + t.hours(1)
    inc = t.incident(
        categories=(Category.ABUSE_ALLEGATION,),
        triggers=(t.trigger(),),
        notifications=(t.notification(Recipient.CQC, t.T0 + t.days(3)),),
        safeguarding=t.safeguarding(t.stage(Stage.CONCERN_RAISED, end)),
    )
    rules = {f.rule for f in evaluate([inc], at=LATE).findings}
    assert {"NT001", "SG001"} <= rules


def test_expect_waived_matches_only_findings_a_waiver_set_aside() -> None:
    """``expect(..., waived=True)`` finds a waived finding; a plain expectation does not."""
    import pytest  # noqa: PLC0415

    from trauma_incidents.config import Config, Waiver  # noqa: PLC0415

    inc = t.incident(interventions=(t.restraint(),))
    waiver = Waiver(rule="DB001", incident_id=inc.id, reason="synthetic test reason")
    report = evaluate([inc], at=LATE, rules=Config(waivers=(waiver,)))
    assert [w.finding.rule for w in report.waived] == ["DB001"]
    t.assert_findings(report, [t.expect("DB001", waived=True)], exactly=False)
    with pytest.raises(AssertionError, match="expected, not found: rule=DB001"):
        t.assert_findings(report, [t.expect("DB001")], exactly=False)
    with pytest.raises(AssertionError, match="expected, not found: rule=DB002"):
        t.assert_findings(report, [t.expect("DB002", waived=True)], exactly=False)
