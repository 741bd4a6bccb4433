"""The bundled sample loads cleanly and holds the three situations the library exists for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from importlib.resources import files

import pytest

from trauma_incidents.engine import RuleSet
from trauma_incidents.loading import BadRecord, partition, read_incidents
from trauma_incidents.model import (
    Audience,
    Category,
    DebriefStatus,
    ExplanationMethod,
    Incident,
    Outcome,
    ReviewKind,
    Stage,
    Topic,
    TriggerKind,
)
from trauma_incidents.plans import SupportPlans, read_support_plans
from trauma_incidents.rules import Status

SAMPLE = files("trauma_incidents") / "data" / "sample_incidents.ndjson"


@pytest.fixture(scope="module")
def sample() -> list[Incident]:
    """Every record of the bundled sample, loaded."""
    loaded = list(read_incidents(SAMPLE.read_bytes(), source_name="sample_incidents.ndjson"))
    assert [x for x in loaded if isinstance(x, BadRecord)] == []
    return [x for x in loaded if isinstance(x, Incident)]


def series(sample: list[Incident], prefix: str) -> list[Incident]:
    return [i for i in sample if i.id.startswith(prefix)]


def test_size_and_spread(sample: list[Incident]) -> None:
    """60-90 incidents over January to April 2026, across 8-12 people and 3-4 services."""
    assert 60 <= len(sample) <= 90
    assert len({i.id for i in sample}) == len(sample)
    assert 8 <= len({i.person_id for i in sample}) <= 12
    assert 3 <= len({i.service_id for i in sample}) <= 4
    start, end = (
        datetime(2026, 1, 5, tzinfo=timezone.utc),
        datetime(2026, 5, 1, tzinfo=timezone.utc),
    )
    assert all(start <= i.occurred_at < end for i in sample)


def test_crowded_outing_series(sample: list[Incident]) -> None:
    """(a) Distress on a crowded outing, a reflective review, then quieter outings that work."""
    first, *rest = series(sample, "INC-A")
    assert {TriggerKind.SENSORY, TriggerKind.ENVIRONMENTAL} <= {t.kind for t in first.triggers}
    assert first.early_warning_signs
    assert not first.restrictive_interventions
    (reflective,) = first.reviews
    assert reflective.kind is ReviewKind.REFLECTIVE_REVIEW
    assert reflective.root_causes
    assert reflective.changes
    (action,) = first.actions
    assert "quieter" in action.description
    assert action.effectiveness is not None
    assert action.effectiveness.outcome is Outcome.EFFECTIVE
    assert len(rest) >= 2
    assert all(i.occurred_at > first.occurred_at for i in rest)


def test_self_harm_series(sample: list[Incident]) -> None:
    """(b) A physical intervention to prevent self-harm, debriefs, then a support plan change."""
    first = series(sample, "INC-B")[0]
    assert Category.SELF_HARM in first.categories
    assert first.restrictive_interventions
    staff = [d for d in first.debriefs if d.audience is Audience.STAFF]
    person = [d for d in first.debriefs if d.audience is Audience.PERSON]
    assert {Topic.TIMELINE, Topic.COMMUNICATION, Topic.EARLY_WARNING_SIGNS} <= set(staff[0].topics)
    assert person[0].status is DebriefStatus.HELD
    assert any(not s.acted_on for s in first.early_warning_signs)
    assert ReviewKind.SUPPORT_PLAN_REVIEW in {r.kind for r in first.reviews}
    assert first.actions


def test_safeguarding_series(sample: list[Incident]) -> None:
    """(c) A safeguarding enquiry with every stage explained, and distress that eased."""
    concern, *after = series(sample, "INC-C")
    process = concern.safeguarding
    assert process is not None
    stages = [s.stage for s in process.stages]
    expected = [
        Stage.CONCERN_RAISED,
        Stage.INITIAL_ENQUIRY,
        Stage.SECTION_42_ENQUIRY,
        Stage.SAFEGUARDING_PLAN,
        Stage.CLOSED,
    ]
    assert stages == expected
    methods = {s.explanation.method for s in process.stages if s.explanation is not None}
    assert {ExplanationMethod.EASY_READ, ExplanationMethod.WITH_ADVOCATE} <= methods
    assert all(s.explanation is not None for s in process.stages)
    assert process.desired_outcomes_recorded_at is not None
    assert process.advocate is not None
    assert process.consent is not None
    assert any(Category.BEHAVIOURAL_DISTRESS in i.categories for i in after)


@pytest.mark.parametrize(
    ("what", "check"),
    [
        ("cqc after police", lambda i: Category.POLICE_INVOLVEMENT in i.categories),
        ("duty of candour", lambda i: any(n.duty_of_candour for n in i.notifications)),
        ("hse", lambda i: any(n.recipient.value == "hse" for n in i.notifications)),
        ("discouraged term", lambda i: "kicked off" in (i.summary or "")),
    ],
    ids=["police", "candour", "riddor", "language"],
)
def test_showcase(sample: list[Incident], what: str, check: Callable[[Incident], bool]) -> None:
    """The hand-written incidents that show particular rules are present."""
    assert any(check(i) for i in sample), what


def test_mix_of_findings(sample: list[Incident]) -> None:
    """Some incidents are complete and some have gaps, so a demo shows a mix of findings."""
    from trauma_incidents.engine import evaluate  # noqa: PLC0415

    report = evaluate(sample, at=datetime(2026, 5, 1, tzinfo=timezone.utc))
    flagged = {f.incident_id for f in report.findings}
    assert 10 <= len(flagged) <= len(sample) - 30
    assert {"DB001", "LG001", "RI001", "SG001", "LN004"} <= {f.rule for f in report.findings}
    assert not flagged & {i.id for i in series(sample, "INC-A") + series(sample, "INC-B")}


PLANS = files("trauma_incidents") / "data" / "sample_support_plans.ndjson"


@pytest.fixture(scope="module")
def plans() -> SupportPlans:
    """The sample's support plans, loaded."""
    good, bad = partition(read_support_plans(PLANS.read_bytes()))
    assert bad == ()
    return SupportPlans.from_records(good)


def test_plans_for_the_ten_people_one_missing(sample: list[Incident], plans: SupportPlans) -> None:
    """Every sample person but one has a plan; the one without has restrictive interventions."""
    people = {i.person_id for i in sample}
    (missing,) = people - set(plans.people)
    assert set(plans.people) <= people
    assert any(i.restrictive_interventions for i in sample if i.person_id == missing)


def test_some_plans_are_out_of_date_and_the_demo_shows_every_rule(
    sample: list[Incident], plans: SupportPlans
) -> None:
    """At the end of April, each plans rule has a finding; some plans are past review."""
    at = datetime(2026, 4, 30, tzinfo=timezone.utc)
    report = RuleSet.compile().evaluate(sample, at=at, plans=plans)
    found = {(f.rule, f.status) for f in report.findings if f.rule.startswith("PL")}
    assert {rule for rule, _ in found} == {f"PL00{n}" for n in range(1, 8)}
    assert ("PL004", Status.OVERDUE) in found


def test_the_series_plans_follow_their_stories(plans: SupportPlans) -> None:
    """P-014's plan learns the environmental trigger; P-022's authorises the seated hold."""
    first, second = plans.versions("P-014")
    assert not first.knows_trigger(TriggerKind.ENVIRONMENTAL)
    assert second.knows_trigger(TriggerKind.ENVIRONMENTAL)
    assert all(p.authorised_restrictions for p in plans.versions("P-022"))
    assert plans.versions("P-031")[0].communication


def test_sample_outcomes_show_the_stories(sample: list[Incident]) -> None:
    """The outcome records load cleanly, and each story's change shows an effect."""
    from trauma_incidents.analysis import EffectMeasure, EffectVerdict, effectiveness  # noqa: PLC0415
    from trauma_incidents.outcomes import Outcomes, read_outcomes  # noqa: PLC0415

    raw = (files("trauma_incidents") / "data" / "sample_outcomes.ndjson").read_bytes()
    loaded = list(read_outcomes(raw))
    assert [x for x in loaded if isinstance(x, BadRecord)] == []
    outcomes = Outcomes.from_records(x for x in loaded if not isinstance(x, BadRecord))
    rows = effectiveness(sample, outcomes=outcomes)
    verdicts = {(r.change_id, r.measure): r.verdict for r in rows}
    improved = EffectVerdict.IMPROVED
    # the outings: fewer ended early, lower distress
    assert verdicts["INC-A01/A-1", EffectMeasure.ACTIVITIES_COMPLETED] is improved
    assert verdicts["INC-A01/A-1", EffectMeasure.DISTRESS] is improved
    # the seated hold: lower distress and anxiety; the enquiry: lower anxiety
    assert verdicts["INC-B01/A-1", EffectMeasure.DISTRESS] is improved
    assert verdicts["INC-B01/A-1", EffectMeasure.ANXIETY] is improved
    assert verdicts["INC-C02/A-1", EffectMeasure.ANXIETY] is improved
    # the people whose days did not change show none
    steady = {r.verdict for r in rows if r.person_id in {"P-003", "P-040"}}
    assert steady
    assert not steady & {improved, EffectVerdict.WORSENED}
