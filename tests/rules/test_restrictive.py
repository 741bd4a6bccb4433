"""Restrictive intervention rules RI001-RI006."""

from __future__ import annotations

import pytest

from trauma_incidents.model import Incident, Intervention, InterventionKind, Position, ReviewKind
from trauma_incidents.rules import Evidence, FindingSeverity, Status

from .builders import (
    DAY,
    DISTRESS,
    HOUR,
    MINUTE,
    T0,
    add,
    findings,
    incident,
    one,
    restraint,
    review,
    stamp,
    statuses,
    support,
)

END = T0 + 10 * MINUTE
RI = incident(categories=DISTRESS, interventions=(support(), restraint()))
LATER = T0 + 30 * DAY

NO_RI = incident(categories=DISTRESS, interventions=(support(),))


@pytest.mark.parametrize("code", ["RI001", "RI002", "RI003", "RI004", "RI005", "RI006"])
@pytest.mark.parametrize(
    "inc",
    [
        pytest.param(NO_RI, id="no-ri"),
        pytest.param(incident(), id="no-interventions"),
        pytest.param(
            incident(interventions=(restraint(restrictive=False),)),
            id="restraint-marked-not-restrictive",
        ),
    ],
)
def test_not_applicable(code: str, inc: Incident) -> None:
    """Without a restrictive intervention the restrictive rules say nothing."""
    assert not findings(inc, LATER, code)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("RI001", ReviewKind.AFTER_ACTION_REVIEW),
        ("RI001", ReviewKind.POST_INCIDENT_REVIEW),
        ("RI002", ReviewKind.SUPPORT_PLAN_REVIEW),
    ],
)
def test_review_kinds_that_count(code: str, kind: ReviewKind) -> None:
    """The rule is met by these review kinds."""
    inc = add(RI, reviews=(review(kind, END + HOUR),))

    assert not findings(inc, LATER, code)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("RI001", ReviewKind.REFLECTIVE_REVIEW),
        ("RI001", ReviewKind.SUPPORT_PLAN_REVIEW),
        ("RI001", ReviewKind.SWARM_HUDDLE),
        ("RI002", ReviewKind.POST_INCIDENT_REVIEW),
        ("RI002", ReviewKind.RISK_ASSESSMENT_REVIEW),
    ],
)
def test_review_kinds_that_do_not_count(code: str, kind: ReviewKind) -> None:
    """Other review kinds do not meet the rule."""
    inc = add(RI, reviews=(review(kind, END + HOUR),))

    assert statuses(inc, LATER, code) == {"1": Status.OVERDUE}


class TestRI003:
    @pytest.mark.parametrize(
        ("changes", "absent"),
        [
            pytest.param({"started_at": None}, ["started_at"], id="started_at"),
            pytest.param({"ended_at": None}, ["ended_at"], id="ended_at"),
            pytest.param({"reason": None}, ["reason"], id="reason"),
            pytest.param({"reason": ""}, ["reason"], id="reason-empty"),
            pytest.param({"reason": "  "}, ["reason"], id="reason-blank"),
            pytest.param({"staff_ids": ()}, ["staff_ids"], id="staff_ids"),
            pytest.param({"in_support_plan": None}, ["in_support_plan"], id="in_support_plan"),
            pytest.param({"position": None}, ["position"], id="position"),
            pytest.param(
                {"started_at": None, "ended_at": None, "reason": None, "staff_ids": ()},
                ["started_at", "ended_at", "reason", "staff_ids"],
                id="several",
            ),
            pytest.param(
                {
                    "started_at": None,
                    "ended_at": None,
                    "reason": None,
                    "staff_ids": (),
                    "in_support_plan": None,
                    "position": None,
                },
                ["started_at", "ended_at", "reason", "in_support_plan", "staff_ids", "position"],
                id="all",
            ),
        ],
    )
    def test_absent_fields_are_listed(self, changes: dict[str, object], absent: list[str]) -> None:
        """Each absent field is named, keyed by the intervention's index."""
        inc = incident(interventions=(support(), restraint(**changes)))

        found = one(inc, LATER, "RI003")

        assert found is not None
        assert (found.status, found.key, found.due_at) == (Status.MISSING, "1", None)
        assert f"The restrictive intervention record lacks: {', '.join(absent)}." == found.message
        assert tuple(Evidence(f"$.interventions[1].{name}", None) for name in absent) == (
            found.evidence
        )

    def test_complete_record_finds_nothing(self) -> None:
        """A complete record has no finding; `in_support_plan` false is still recorded."""
        inc = incident(interventions=(restraint(), restraint(in_support_plan=False)))

        assert not findings(inc, LATER, "RI003")

    @pytest.mark.parametrize(
        "kind",
        [InterventionKind.SECLUSION, InterventionKind.CHEMICAL_RESTRAINT],
        ids=str,
    )
    def test_position_only_for_physical_restraint(self, kind: InterventionKind) -> None:
        """Other restrictive kinds need no position."""
        inc = incident(interventions=(restraint(kind=kind, position=None),))

        assert not findings(inc, LATER, "RI003")

    def test_other_kind_marked_restrictive_is_checked(self) -> None:
        """An intervention recorded as restrictive is checked whatever its kind."""
        inc = incident(interventions=(Intervention(kind=InterventionKind.OTHER, restrictive=True),))

        assert statuses(inc, LATER, "RI003") == {"0": Status.MISSING}
        assert "lacks: started_at, ended_at, reason, in_support_plan, staff_ids." in str(
            one(inc, LATER, "RI003")
        )

    def test_each_intervention_has_its_own_finding(self) -> None:
        """Findings are per intervention, keyed by the original array index."""
        inc = incident(interventions=(restraint(reason=None), support(), restraint(staff_ids=())))

        assert statuses(inc, LATER, "RI003") == {"0": Status.MISSING, "2": Status.MISSING}

    def test_ongoing_intervention_waits(self) -> None:
        """A record still being made (the intervention has not ended) is not judged."""
        inc = incident(interventions=(restraint(reason=None, ended_at=T0 + DAY),))

        assert not findings(inc, T0 + HOUR, "RI003")
        assert statuses(inc, T0 + DAY, "RI003") == {"0": Status.MISSING}

    def test_intervention_started_after_at_is_not_recorded(self) -> None:
        """An intervention starting after the evaluation time is not judged."""
        inc = incident(interventions=(restraint(reason=None, started_at=T0 + HOUR),))

        assert not findings(inc, T0 + 30 * MINUTE, "RI003")


class TestRI004:
    @pytest.mark.parametrize(
        "interventions",
        [
            pytest.param((support(), restraint()), id="support-before"),
            pytest.param((restraint(), support()), id="support-before-later-in-array"),
            pytest.param((support(T0), restraint()), id="support-at-the-same-time"),
            pytest.param(
                (support(T0 + HOUR), restraint(started_at=None)),
                id="restraint-without-start",
            ),
            pytest.param(
                (restraint(kind=InterventionKind.OTHER, restrictive=False), restraint()),
                id="marked-not-restrictive-counts",
            ),
            pytest.param(
                (
                    restraint(kind=InterventionKind.SECLUSION, started_at=T0 + HOUR),
                    support(T0 + 10 * MINUTE),
                    restraint(started_at=T0 + 20 * MINUTE),
                ),
                id="before-the-first-of-several",
            ),
            pytest.param(
                (
                    restraint(started_at=None),
                    support(T0 - HOUR),
                    restraint(started_at=T0),
                ),
                id="undated-restraint-and-support-before-dated-one",
            ),
        ],
    )
    def test_less_restrictive_first(self, interventions: tuple[Intervention, ...]) -> None:
        """A non-restrictive intervention at or before the first restrictive one meets RI004."""
        inc = incident(interventions=interventions)

        assert not findings(inc, LATER, "RI004")

    @pytest.mark.parametrize(
        ("interventions", "evidence"),
        [
            pytest.param(
                (restraint(),),
                (Evidence("$.interventions[0].started_at", stamp(T0)),),
                id="only-restrictive",
            ),
            pytest.param(
                (restraint(), support(T0 + MINUTE)),
                (Evidence("$.interventions[0].started_at", stamp(T0)),),
                id="support-after",
            ),
            pytest.param(
                (
                    restraint(kind=InterventionKind.SECLUSION, started_at=T0 + HOUR),
                    support(T0 + 30 * MINUTE),
                    restraint(started_at=T0 + 20 * MINUTE),
                    restraint(started_at=None),
                ),
                (Evidence("$.interventions[2].started_at", stamp(T0 + 20 * MINUTE)),),
                id="support-between-restrictive",
            ),
            pytest.param((restraint(started_at=None),), (), id="undated-only-restrictive"),
        ],
    )
    def test_missing(
        self, interventions: tuple[Intervention, ...], evidence: tuple[Evidence, ...]
    ) -> None:
        """No less restrictive intervention before the first restrictive one is missing."""
        inc = incident(interventions=interventions)

        found = one(inc, LATER, "RI004")

        assert found is not None
        assert (found.status, found.key, found.due_at) == (Status.MISSING, None, None)
        assert found.message == (
            "No less restrictive intervention is recorded before the first restrictive one."
        )
        assert evidence == found.evidence

    @pytest.mark.parametrize(
        ("interventions", "undated"),
        [
            pytest.param((support(None), restraint()), 0, id="support-without-start"),
            pytest.param(
                (restraint(), support(T0 + MINUTE), support(None), support(None)),
                2,
                id="the-first-undated-is-named",
            ),
        ],
    )
    def test_unknown_when_a_support_has_no_start(
        self, interventions: tuple[Intervention, ...], undated: int
    ) -> None:
        """A dated restriction and an undated support: whether it came first is unknown."""
        inc = incident(interventions=interventions)
        first = next(i for i, iv in enumerate(interventions) if iv.is_restrictive)

        found = one(inc, LATER, "RI004")

        assert found is not None
        assert (found.status, found.key, found.due_at) == (Status.UNKNOWN, None, None)
        assert found.message == (
            "A less restrictive intervention has no start time recorded, so whether it came"
            " before the first restrictive one is unknown."
        )
        assert (
            Evidence(f"$.interventions[{undated}].started_at", None),
            Evidence(f"$.interventions[{first}].started_at", stamp(T0)),
        ) == found.evidence

    def test_an_undated_support_and_a_dated_one_before(self) -> None:
        """A dated support before the first restriction meets the rule, whatever else."""
        inc = incident(interventions=(support(None), restraint(), support(T0 - MINUTE)))

        assert not findings(inc, LATER, "RI004")

    def test_support_started_after_at_does_not_count(self) -> None:
        """A non-restrictive intervention dated after the evaluation time is not recorded."""
        inc = incident(interventions=(restraint(started_at=None), support(T0 + 2 * HOUR)))

        assert statuses(inc, T0 + HOUR, "RI004") == {None: Status.MISSING}
        assert not findings(inc, T0 + 2 * HOUR, "RI004")

    def test_restrictive_started_after_at_is_not_recorded(self) -> None:
        """A restrictive intervention starting after the evaluation time is not judged."""
        inc = incident(interventions=(restraint(started_at=T0 + HOUR),))

        assert not findings(inc, T0, "RI004")


class TestRI005:
    def test_prone_physical_restraint_is_a_critical_concern(self) -> None:
        """Each prone physical restraint is a critical concern, keyed by index."""
        inc = incident(interventions=(support(), restraint(position=Position.PRONE), restraint()))

        found = one(inc, LATER, "RI005")

        assert found is not None
        assert (
            found.status,
            found.severity,
            found.key,
            found.due_at,
        ) == (Status.CONCERN, FindingSeverity.CRITICAL, "1", None)
        assert found.message == "A physical restraint was recorded in the prone position."
        assert (
            Evidence("$.interventions[1].kind", "physical_restraint"),
            Evidence("$.interventions[1].position", "prone"),
        ) == found.evidence

    @pytest.mark.parametrize(
        "iv",
        [
            pytest.param(restraint(position=Position.SUPINE), id="supine"),
            pytest.param(restraint(position=None), id="no-position"),
            pytest.param(
                restraint(kind=InterventionKind.MECHANICAL_RESTRAINT, position=Position.PRONE),
                id="mechanical-prone",
            ),
        ],
    )
    def test_not_prone_physical_restraint(self, iv: Intervention) -> None:
        """Only physical restraint in the prone position is flagged."""
        assert not findings(incident(interventions=(iv,)), LATER, "RI005")

    def test_prone_physical_restraint_marked_not_restrictive(self) -> None:
        """The kind and position decide: a prone physical restraint is flagged however marked."""
        inc = incident(interventions=(restraint(restrictive=False, position=Position.PRONE),))

        assert statuses(inc, LATER, "RI005") == {"0": Status.CONCERN}

    def test_flagged_while_ongoing(self) -> None:
        """A prone restraint is a concern at once, even while it is going on."""
        inc = incident(interventions=(restraint(position=Position.PRONE, ended_at=None),))

        assert statuses(inc, T0, "RI005") == {"0": Status.CONCERN}
        assert not findings(inc, T0 - MINUTE, "RI005")


class TestRI006:
    def test_not_in_support_plan_is_a_concern(self) -> None:
        """Each restrictive intervention not in the support plan is a concern."""
        inc = incident(
            interventions=(
                support(in_support_plan=False),
                restraint(),
                restraint(kind=InterventionKind.SECLUSION, in_support_plan=False),
            )
        )

        found = one(inc, LATER, "RI006")

        assert found is not None
        assert (
            found.status,
            found.severity,
            found.key,
        ) == (Status.CONCERN, FindingSeverity.HIGH, "2")
        assert (
            found.message == "A restrictive intervention was used that is not in the support plan."
        )
        assert (
            Evidence("$.interventions[2].restrictive", value=True),
            Evidence("$.interventions[2].in_support_plan", value=False),
        ) == found.evidence

    def test_not_recorded_is_not_a_concern(self) -> None:
        """An absent ``in_support_plan`` is RI003's business, not a concern."""
        inc = incident(interventions=(restraint(in_support_plan=None),))

        assert not findings(inc, LATER, "RI006")

    def test_severity_option(self) -> None:
        """``severity`` overrides the rule's default severity."""
        inc = incident(interventions=(restraint(in_support_plan=False),))

        found = one(inc, LATER, "RI006", {"rules": {"RI006": {"severity": "medium"}}})

        assert found is not None
        assert found.severity == FindingSeverity.MEDIUM
