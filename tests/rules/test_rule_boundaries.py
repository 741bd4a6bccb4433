"""
Boundaries of the engine and the rules that mutation testing found untested.

Each test pins one edge: evidence or an event exactly at the time of evaluation, the first
and last day a dated rule is in force, which of two equal times counts, a field recorded as
empty rather than absent. (``tools/mutate.py``; see ``docs/reliability.md``.)

All data is synthetic.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pytest

from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import PackError
from trauma_incidents.governance import (
    GovernanceRecords,
    IncidentReviewMeeting,
    ReviewScope,
    SupervisionSession,
    ThematicReview,
)
from trauma_incidents.model import (
    Audience,
    Category,
    DebriefStatus,
    Incident,
    InterventionKind,
    Review,
    ReviewKind,
    Severity,
    Stage,
    Topic,
    Trigger,
    TriggerKind,
)
from trauma_incidents.packs import Pack
from trauma_incidents.rules import (
    Anchor,
    DeadlineRule,
    DebriefMatch,
    Duration,
    Finding,
    FindingSeverity,
    OptionSpec,
    RuleMeta,
    Status,
    Verdict,
    rule,
)
from trauma_incidents.rules._items import ItemPattern, RequiredDetailRule
from trauma_incidents.rules._selectors import When
from trauma_incidents.rules._shapes import _lookup
from trauma_incidents.testing import (
    T0,
    action,
    days,
    hours,
    incident,
    restraint,
    safeguarding,
    staff_debrief,
    stage,
)

CORE = RuleSet.compile(Config(packs=("core", "england")))


def of(code: str, inc: Incident, at: datetime, rules: RuleSet = CORE) -> list[Finding]:
    return [f for f in rules.evaluate([inc], at=at).findings if f.rule == code]


def _meta(code: str, **more: Any) -> RuleMeta:
    return RuleMeta(
        code=code,
        name="local-boundary",
        summary="A synthetic rule for tests.",
        rationale="Tests need a rule of their own.",
        example="Any incident.",
        severity=FindingSeverity.LOW,
        sources=("local policy",),
        **more,
    )


def _flag_all(code: str, **meta: Any) -> Any:
    def flag(_incident: Incident, _at: datetime, _options: Mapping[str, Any]) -> Iterable[Verdict]:
        return (Verdict(key=None, status=Status.CONCERN, message="Flagged."),)

    return rule(_meta(code, **meta))(flag)


def _local(*rules: Any, **pack: Any) -> RuleSet:
    local = Pack(name="local", version="1", description="Synthetic.", rules=rules, **pack)
    return RuleSet.compile(Config(packs=("local",)), packs={"local": local})


def _on(day: date) -> Incident:
    """An incident at noon UTC on *day* (the same day in London, GMT or BST)."""
    return incident(occurred_at=datetime(day.year, day.month, day.day, 12, tzinfo=T0.tzinfo))


MARCH_1, MARCH_31 = date(2026, 3, 1), date(2026, 3, 31)
LATER = datetime(2027, 1, 1, tzinfo=T0.tzinfo)


class TestInForce:
    @pytest.mark.parametrize(
        ("day", "judged"),
        [
            (MARCH_1 - timedelta(days=1), False),
            (MARCH_1, True),
            (MARCH_31, True),
            (MARCH_31 + timedelta(days=1), False),
        ],
        ids=["day-before", "first-day", "last-day", "day-after"],
    )
    def test_first_and_last_days_are_included(self, day: date, judged: bool) -> None:
        """A rule dated from 1 to 31 March judges incidents on both of those days."""
        rules = _local(_flag_all("LOC001", effective_from=MARCH_1, effective_to=MARCH_31))
        assert bool(of("LOC001", _on(day), LATER, rules)) is judged

    def test_a_start_alone_limits_the_rule(self) -> None:
        """A rule with only a first day does not judge incidents before it."""
        rules = _local(_flag_all("LOC001", effective_from=MARCH_1))
        assert of("LOC001", _on(MARCH_1 - timedelta(days=1)), LATER, rules) == []
        assert of("LOC001", _on(MARCH_31), LATER, rules) != []

    def test_the_later_start_of_pack_and_rule_wins(self) -> None:
        """When pack and rule both set a first day, the later one applies."""
        rules = _local(_flag_all("LOC001", effective_from=date(2026, 1, 1)), effective_from=MARCH_1)
        assert of("LOC001", _on(date(2026, 2, 1)), LATER, rules) == []

    def test_the_earlier_end_of_pack_and_rule_wins(self) -> None:
        """When pack and rule both set a last day, the earlier one applies."""
        rules = _local(_flag_all("LOC001", effective_to=date(2026, 2, 28)), effective_to=MARCH_31)
        assert of("LOC001", _on(date(2026, 3, 15)), LATER, rules) == []

    def test_a_pack_date_alone_applies_to_its_rules(self) -> None:
        """A pack's last day applies to a rule that sets none."""
        rules = _local(_flag_all("LOC001"), effective_to=date(2026, 2, 28))
        assert of("LOC001", _on(date(2026, 3, 15)), LATER, rules) == []
        assert of("LOC001", _on(date(2026, 2, 28)), LATER, rules) != []


def test_a_rule_set_built_directly_is_not_strict() -> None:
    """`RuleSet(rules)` reports a failing rule rather than raising."""

    def broken(_incident: Incident, _at: datetime, _options: Mapping[str, Any]) -> Any:
        raise ValueError

    compiled = _local(rule(_meta("LOC001"))(broken))
    report = RuleSet(compiled.rules).evaluate([incident()], at=LATER)
    assert [f.error for f in report.faults] == ["ValueError"]


def test_two_packs_with_one_code_are_named() -> None:
    """The error names both packs that declare the code."""
    first = Pack(name="first", version="1", description="A.", rules=(_flag_all("LOC001"),))
    second = Pack(name="second", version="1", description="B.", rules=(_flag_all("LOC001"),))
    with pytest.raises(PackError) as info:
        RuleSet.compile(Config(packs=("first", "second")), packs={"first": first, "second": second})
    assert str(info.value) == "rule LOC001 is declared by two packs: 'first' and 'second'"


def test_one_working_day_is_a_duration() -> None:
    """``1wd`` is the shortest working-day duration; ``0wd`` is refused."""
    assert Duration.parse("1wd").amount == 1
    with pytest.raises(ValueError, match="at least 1wd"):
        Duration.parse("0wd")


# --- events exactly at the time of evaluation count as recorded -----------------------------


def test_an_action_completed_exactly_at_at_is_complete() -> None:
    """LN005: an action completed at the evaluation time needs its effectiveness assessed."""
    done = T0 + days(2)
    inc = incident(actions=(action(completed_at=done, assessed_at=None),))
    assert [f.status for f in of("LN005", inc, done)] == [Status.DUE]


def test_a_restraint_started_exactly_at_at_is_judged() -> None:
    """RI003: a restraint that started at the evaluation time has its record checked."""
    inc = incident(interventions=(restraint(started_at=T0, ended_at=T0, reason=None),))
    assert [f.status for f in of("RI003", inc, T0)] == [Status.MISSING]


def test_a_restraint_started_exactly_at_at_is_the_first() -> None:
    """RI004: the first restrictive intervention may start exactly at the evaluation time."""
    inc = incident(interventions=(restraint(started_at=T0, ended_at=T0),))
    (finding,) = of("RI004", inc, T0)
    assert [e.path for e in finding.evidence] == ["$.interventions[0].started_at"]


def test_a_stage_entered_exactly_at_at_needs_explaining() -> None:
    """SG001: a stage entered at the evaluation time is due to be explained."""
    inc = incident(safeguarding=safeguarding(stage(Stage.CONCERN_RAISED, T0)))
    assert [f.status for f in of("SG001", inc, T0)] == [Status.DUE]


def test_a_restraint_started_exactly_at_at_makes_debriefs_count() -> None:
    """DB004: held staff debriefs are checked once a restraint has started, even just now."""
    at = T0 + hours(1)
    debrief = staff_debrief(at, topics=(Topic.TIMELINE,))
    inc = incident(interventions=(restraint(started_at=at, ended_at=at),), debriefs=(debrief,))
    assert [f.rule for f in of("DB004", inc, at)] == ["DB004"]


# --- which evidence counts ------------------------------------------------------------------


def test_of_two_equal_times_the_first_record_is_the_evidence() -> None:
    """Two staff debriefs at the same late time: the finding cites the first one."""
    late = T0 + days(3)
    inc = incident(
        interventions=(restraint(started_at=T0, ended_at=T0 + hours(1)),),
        debriefs=(staff_debrief(late), staff_debrief(late)),
    )
    (finding,) = of("DB001", inc, late + days(1))
    assert finding.status is Status.LATE
    assert "$.debriefs[0].at" in [e.path for e in finding.evidence]


# --- the required-detail shape (declarative packs) -----------------------------------------


DETAIL = RequiredDetailRule(
    meta=_meta("LOC002"),
    when=(When(severities=frozenset({Severity.SEVERE})),),
    pattern=ItemPattern(collection="interventions"),
    fields=("reason", "staff_ids"),
    what="The intervention record",
)


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"reason": "Synthetic reason.", "staff_ids": ("ST-1",)}, None),
        ({"reason": "", "staff_ids": ("ST-1",)}, "reason"),
        ({"reason": "Synthetic reason.", "staff_ids": ()}, "staff_ids"),
        ({"reason": None, "staff_ids": ("ST-1",)}, "reason"),
    ],
    ids=["complete", "empty-text", "empty-list", "null"],
)
def test_empty_text_and_empty_lists_are_missing(
    changes: dict[str, Any], missing: str | None
) -> None:
    """A field recorded as ``""`` or ``[]`` is as missing as one left out."""
    iv = restraint(started_at=T0, ended_at=T0 + hours(1), **changes)
    inc = incident(severity=Severity.SEVERE, interventions=(iv,))
    found = of("LOC002", inc, LATER, _local(DETAIL))
    assert [f.message for f in found] == (
        [] if missing is None else [f"The intervention record lacks: {missing}."]
    )


def test_required_detail_waits_for_its_condition() -> None:
    """The shape's condition (here: a severe incident) must hold for it to apply."""
    iv = restraint(started_at=T0, ended_at=T0 + hours(1), reason=None)
    inc = incident(severity=Severity.LOW, interventions=(iv,))
    assert of("LOC002", inc, LATER, _local(DETAIL)) == []


def test_debrief_held_builder_is_a_staff_debrief() -> None:
    """(The builders used above are what they say.)"""
    debrief = staff_debrief(T0)
    assert (debrief.audience, debrief.status) == (Audience.STAFF, DebriefStatus.HELD)
    assert restraint().kind is InterventionKind.PHYSICAL_RESTRAINT
    assert Category.BEHAVIOURAL_DISTRESS in incident().categories


# --- the governance pack (cross-incident rules) --------------------------------------------

GOVERNANCE = RuleSet.compile(Config(packs=("governance",)))


def gv(code: str, incidents: list[Incident], at: datetime, **records: Any) -> list[Finding]:
    report = GOVERNANCE.evaluate(incidents, at=at, records=GovernanceRecords(**records))
    return [f for f in report.findings if f.rule == code]


def triggered(n: int, day: float, kind: TriggerKind = TriggerKind.SENSORY) -> Incident:
    return incident(
        id=f"INC-{n}", person_id="P-1", occurred_at=T0 + days(day), triggers=(Trigger(kind=kind),)
    )


def person_review(completed: datetime, scope: ReviewScope = ReviewScope.PERSON) -> ThematicReview:
    return ThematicReview(
        id="TR-1",
        completed_at=completed,
        scope=scope,
        scope_id="P-1",
        period_from=date(2026, 1, 1),
        period_to=date(2026, 6, 30),
    )


RUN = [triggered(1, 0), triggered(2, 10), triggered(3, 20)]
AFTER_RUN = T0 + days(40)


class TestRepeatedTrigger:
    def test_three_in_the_window_is_a_pattern(self) -> None:
        """GV001: the finding is on the third incident, keyed by person, kind and days."""
        (finding,) = gv("GV001", RUN, AFTER_RUN)
        assert (finding.incident_id, finding.status) == ("INC-3", Status.OVERDUE)
        assert finding.key == "person=P-1;trigger=sensory;window=2026-03-02..2026-03-22"
        assert [e.path for e in finding.evidence] == [
            "$.occurred_at",
            "incidents[INC-1].occurred_at",
            "incidents[INC-2].occurred_at",
        ]

    def test_the_window_includes_its_last_moment(self) -> None:
        """The third incident exactly 28 days after the first still completes the run."""
        run = [triggered(1, 0), triggered(2, 10), triggered(3, 28)]
        assert len(gv("GV001", run, AFTER_RUN)) == 1
        late = [triggered(1, 0), triggered(2, 10), triggered(3, 28.01)]
        assert gv("GV001", late, AFTER_RUN) == []

    def test_unknown_triggers_make_no_pattern(self) -> None:
        """Three unknown triggers are not a theme."""
        run = [triggered(i, i, TriggerKind.UNKNOWN) for i in range(3)]
        assert gv("GV001", run, AFTER_RUN) == []

    def test_a_person_review_from_the_last_incident_on_meets_it(self) -> None:
        """A person-scoped review completed at the third incident, or by *at*, counts."""
        third = RUN[-1].occurred_at
        assert gv("GV001", RUN, AFTER_RUN, thematic_reviews=(person_review(third),)) == []
        at_now = gv(
            "GV001", RUN, third + days(1), thematic_reviews=(person_review(third + days(1)),)
        )
        assert at_now == []

    @pytest.mark.parametrize(
        "review",
        [
            person_review(T0 + days(19)),
            person_review(T0 + days(25), ReviewScope.SERVICE),
            person_review(AFTER_RUN + days(1)),
        ],
        ids=["before-the-third", "service-scope", "after-at"],
    )
    def test_other_reviews_do_not_meet_it(self, review: ThematicReview) -> None:
        """Earlier, service-wide or not yet completed reviews leave the finding overdue."""
        (finding,) = gv("GV001", RUN, AFTER_RUN, thematic_reviews=(review,))
        assert finding.status is Status.OVERDUE


def ri(n: int, day: float, *, occurred: float | None = None) -> Incident:
    start = T0 + days(day)
    return incident(
        id=f"INC-{n}",
        person_id="P-1",
        occurred_at=T0 + days(day if occurred is None else occurred),
        interventions=(restraint(started_at=start, ended_at=start, staff_ids=("ST-1",)),),
    )


LATEST = 100  # day of the latest restrictive intervention


class TestRisingRestriction:
    def test_two_after_one_is_rising(self) -> None:
        """GV002: 2 in the 28 days to the latest, 1 in the 28 before: a review is due."""
        history = [ri(1, LATEST - 40), ri(2, LATEST - 1, occurred=LATEST - 3), ri(3, LATEST)]
        (finding,) = gv("GV002", history, T0 + days(LATEST + 10))
        assert finding.incident_id == "INC-3"
        assert finding.status is Status.OVERDUE
        assert finding.key == "person=P-1;window=2026-06-09..2026-06-10"

    def test_equal_counts_are_not_rising(self) -> None:
        """2 and 2 is steady."""
        history = [ri(1, LATEST - 40), ri(2, LATEST - 30), ri(3, LATEST - 1), ri(4, LATEST)]
        assert gv("GV002", history, T0 + days(LATEST + 10)) == []

    def test_exactly_28_days_before_the_latest_is_the_earlier_window(self) -> None:
        """The earlier window is (latest - 56d, latest - 28d]; the recent one after it."""
        history = [ri(1, LATEST - 56), ri(2, LATEST - 28), ri(3, LATEST - 1), ri(4, LATEST)]
        (finding,) = gv("GV002", history, T0 + days(LATEST + 10))
        assert finding.key == "person=P-1;window=2026-06-09..2026-06-10"

    def test_exactly_28_days_before_the_latest_counts_as_earlier(self) -> None:
        """2 in the earlier window (one exactly 28 days before the latest) and 2 after: steady."""
        history = [ri(1, LATEST - 40), ri(2, LATEST - 28), ri(3, LATEST - 1), ri(4, LATEST)]
        assert gv("GV002", history, T0 + days(LATEST + 10)) == []

    def test_an_intervention_starting_exactly_at_at_counts(self) -> None:
        """The latest intervention may start at the evaluation time itself."""
        history = [ri(1, LATEST - 40), ri(2, LATEST - 1), ri(3, LATEST)]
        (finding,) = gv("GV002", history, T0 + days(LATEST))
        assert finding.status is Status.DUE

    def test_a_support_plan_review_from_the_latest_on_meets_it(self) -> None:
        """A support plan review completed when the latest ended, in any incident, counts."""
        review = Review(kind=ReviewKind.SUPPORT_PLAN_REVIEW, completed_at=T0 + days(LATEST))
        first = attrs.evolve(ri(1, LATEST - 40), reviews=(review,))
        history = [first, ri(2, LATEST - 1), ri(3, LATEST)]
        assert gv("GV002", history, T0 + days(LATEST + 10)) == []

    def test_other_reviews_do_not_meet_it(self) -> None:
        """A review of another kind, or before the latest, leaves the finding; its path shows."""
        late = T0 + days(LATEST + 30)
        other = Review(kind=ReviewKind.POST_INCIDENT_REVIEW, completed_at=T0 + days(LATEST))
        early = Review(kind=ReviewKind.SUPPORT_PLAN_REVIEW, completed_at=T0 + days(LATEST - 1))
        own = Review(kind=ReviewKind.SUPPORT_PLAN_REVIEW, completed_at=T0 + days(LATEST + 20))
        latest = attrs.evolve(ri(3, LATEST, occurred=LATEST - 2), reviews=(other, early, own))
        (finding,) = gv("GV002", [ri(1, LATEST - 40), ri(2, LATEST - 1), latest], late)
        assert finding.status is Status.LATE
        assert "$.reviews[2].completed_at" in [e.path for e in finding.evidence]


class TestMeetingsAndSupervision:
    DAY = T0 + days(60)

    def test_a_meeting_at_the_incident_time_counts(self) -> None:
        """GV003: a meeting from the incident's time on counts; one before it does not."""
        incident_ = ri(1, 0)
        held = IncidentReviewMeeting(
            id="M-1", held_at=T0, service_id="SVC-TEST", incidents_discussed=("INC-1",)
        )
        before = attrs.evolve(held, held_at=T0 - days(1))
        assert gv("GV003", [incident_], self.DAY, meetings=(held,)) == []
        assert len(gv("GV003", [incident_], self.DAY, meetings=(before,))) == 1

    def test_a_session_at_the_incident_time_counts(self) -> None:
        """GV004: a supervision session from the incident's time on counts; one before does not."""
        incident_ = ri(1, 0)
        held = SupervisionSession(
            id="S-1", staff_id="ST-1", held_at=T0, incidents_reflected_on=("INC-1",)
        )
        before = attrs.evolve(held, held_at=T0 - days(1))
        assert gv("GV004", [incident_], self.DAY, supervisions=(held,)) == []
        (finding,) = gv("GV004", [incident_], self.DAY, supervisions=(before,))
        assert finding.key == "ST-1"


def test_a_safeguarding_process_begun_exactly_at_at_is_judged() -> None:
    """SG002: desired outcomes are due from a first stage entered at the evaluation time."""
    inc = incident(safeguarding=safeguarding(stage(Stage.CONCERN_RAISED, T0)))
    assert [f.status for f in of("SG002", inc, T0)] == [Status.DUE]


def test_a_condition_without_a_gate_opens_the_gate() -> None:
    """A rule applying when *any* condition holds is not gated if one condition needs no tag."""
    either = DeadlineRule(
        meta=_meta("LOC003", options=(OptionSpec("within", "duration", "1d", "Span."),)),
        when=(When(restrictive=True), When()),
        anchor=Anchor.AWARENESS,
        evidence=DebriefMatch(audiences=frozenset({Audience.FAMILY})),
        obligation="A debrief offered to the family",
    )
    assert either.gate == frozenset()
    assert [f.status for f in of("LOC003", incident(), T0 + days(2), _local(either))] == [
        Status.OVERDUE
    ]


def test_a_rule_is_found_in_a_module_not_yet_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unpickling looks a rule up by name, importing its module when needed."""
    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    assert _lookup("colorsys", "rgb_to_hls") is importlib.import_module("colorsys").rgb_to_hls
