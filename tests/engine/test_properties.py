"""Properties of evaluation that hold for every valid incident (hypothesis)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import attrs
from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet
from trauma_incidents.model import (
    Audience,
    Debrief,
    DebriefStatus,
    Explanation,
    ExplanationMethod,
    Incident,
    Notification,
    NotificationMethod,
    Recipient,
    RelevantPerson,
    Review,
    ReviewKind,
    Topic,
)
from trauma_incidents.rules import Finding, Status
from trauma_incidents.strategies import incidents
from trauma_incidents.testing import T0, restraint

#: Strict, so that a rule that raises fails the test with its own traceback.
RULES = RuleSet.compile(Config(strict=True))
OFFSETS = st.timedeltas(min_value=timedelta(days=-1), max_value=timedelta(days=60))
LATER = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40))


def run(inc: Incident, at: datetime) -> tuple[Finding, ...]:
    report = RULES.evaluate([inc], at=at)
    assert report.faults == ()
    return report.findings


def keys(findings: tuple[Finding, ...], codes: set[str]) -> set[tuple[str, str | None]]:
    return {(f.rule, f.key) for f in findings if f.rule in codes}


@given(incidents(around=T0), OFFSETS)
def test_no_rule_faults(inc: Incident, offset: timedelta) -> None:
    """No valid incident makes any default rule raise, at any time."""
    RULES.evaluate([inc], at=inc.occurred_at + offset)


@given(incidents(around=T0), OFFSETS)
def test_deterministic(inc: Incident, offset: timedelta) -> None:
    """The same input gives identical findings in the same order, alone or in a batch."""
    at = inc.occurred_at + offset
    other = attrs.evolve(inc, id=f"{inc.id}-B")

    first = run(inc, at)

    assert first == run(attrs.evolve(inc), at)
    assert first == tuple(
        f for f in RULES.evaluate([other, inc], at=at).findings if f.incident_id == inc.id
    )


#: Rules with one finding per restrictive episode.
EPISODE_RULES = {"DB001", "DB002", "RI001", "RI002"}
GAPS = st.sampled_from([timedelta(0), timedelta(minutes=30), timedelta(hours=1), timedelta(days=1)])
_RULES_BY_GAP: dict[timedelta, RuleSet] = {}


def rules_for(gap: timedelta) -> RuleSet:
    if gap not in _RULES_BY_GAP:
        _RULES_BY_GAP[gap] = RuleSet.compile(Config(strict=True, episode_gap=gap))
    return _RULES_BY_GAP[gap]


def last_end(inc: Incident) -> datetime:
    """The latest end of any restrictive intervention (else the incident's time)."""
    return max(
        (
            iv.ended_at or iv.started_at or inc.occurred_at
            for _, iv in inc.restrictive_interventions
        ),
        default=inc.occurred_at,
    )


def with_restraint(inc: Incident, start: datetime, length: timedelta) -> Incident:
    return attrs.evolve(
        inc,
        interventions=(*inc.interventions, restraint(started_at=start, ended_at=start + length)),
    )


LENGTHS = st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(days=3))


@given(
    incidents(around=T0),
    GAPS,
    st.timedeltas(timedelta(microseconds=1), timedelta(days=9)),
    LENGTHS,
    OFFSETS,
)
def test_a_later_episode_never_changes_earlier_ones(
    inc: Incident, gap: timedelta, after: timedelta, length: timedelta, offset: timedelta
) -> None:
    """
    Appending a restraint more than the gap after every episode's end keeps the others' findings.

    It opens an episode of its own, keyed by its index; the earlier episodes' findings and
    keys are unchanged at every time.
    """
    more = with_restraint(inc, last_end(inc) + gap + after, length)
    new_key = str(len(inc.interventions))
    at = inc.occurred_at + offset
    rules = rules_for(gap)

    before = [f for f in rules.evaluate([inc], at=at).findings if f.rule in EPISODE_RULES]
    now = [f for f in rules.evaluate([more], at=at).findings if f.rule in EPISODE_RULES]

    assert before == [f for f in now if f.key != new_key]


@given(
    incidents(around=T0),
    GAPS,
    st.none() | st.tuples(st.timedeltas(timedelta(0), timedelta(days=10)), LENGTHS),
    OFFSETS,
    LATER,
)
def test_overdue_never_becomes_due_again(
    inc: Incident,
    gap: timedelta,
    extra: tuple[timedelta, timedelta] | None,
    offset: timedelta,
    step: timedelta,
) -> None:
    """
    Moving the evaluation time forward never turns an overdue obligation back into due.

    Without exception: a restraint days later (*extra*: its start after the incident, and
    its length) opens an episode of its own and no longer restarts an earlier deadline.
    """
    if extra is not None:
        inc = with_restraint(inc, inc.occurred_at + extra[0], extra[1])
    at = inc.occurred_at + offset
    rules = rules_for(gap)
    before = {
        (f.rule, f.key) for f in rules.evaluate([inc], at=at).findings if f.status is Status.OVERDUE
    }

    after = {(f.rule, f.key): f.status for f in rules.evaluate([inc], at=at + step).findings}

    assert not [k for k in before if after.get(k) is Status.DUE]


def _staff_debrief(inc: Incident, t: datetime) -> Incident:
    topics = (Topic.TIMELINE, Topic.EARLY_WARNING_SIGNS, Topic.COMMUNICATION, Topic.WELLBEING)
    held = Debrief(audience=Audience.STAFF, status=DebriefStatus.HELD, at=t, topics=topics)
    return attrs.evolve(inc, debriefs=(*inc.debriefs, held))


def _review(inc: Incident, t: datetime) -> Incident:
    done = Review(
        kind=ReviewKind.POST_INCIDENT_REVIEW,
        completed_at=t,
        root_causes=("need not recognised",),
        changes=("update support plan",),
    )
    return attrs.evolve(inc, reviews=(*inc.reviews, done))


def _explanations(inc: Incident, t: datetime) -> Incident:
    sg = inc.safeguarding
    if sg is None:
        return inc
    stages = tuple(  # an explanation cannot come before its stage
        s
        if s.explanation is not None
        else attrs.evolve(
            s, explanation=Explanation(at=max(t, s.entered_at), method=ExplanationMethod.EASY_READ)
        )
        for s in sg.stages
    )
    return attrs.evolve(inc, safeguarding=attrs.evolve(sg, stages=stages))


def _notifier(recipient: Recipient) -> Callable[[Incident, datetime], Incident]:
    def add(inc: Incident, t: datetime) -> Incident:
        sent = Notification(recipient=recipient, sent_at=t)
        return attrs.evolve(inc, notifications=(*inc.notifications, sent))

    return add


def _candour(inc: Incident, t: datetime) -> Incident:
    """The duty of candour in full: a notice in person with an apology, and a letter."""
    to = Recipient.FAMILY
    if inc.candour is not None and inc.candour.relevant_person is RelevantPerson.PERSON:
        to = Recipient.PERSON
    told = Notification(
        recipient=to,
        sent_at=t,
        duty_of_candour=True,
        method=NotificationMethod.IN_PERSON,
        apology=True,
    )
    letter = attrs.evolve(told, method=NotificationMethod.LETTER, apology=None)
    return attrs.evolve(inc, notifications=(*inc.notifications, told, letter))


#: Evidence to add, and the rules it satisfies (so it can only remove their findings).
EVIDENCE = {
    "staff-debrief": (_staff_debrief, {"DB001", "DB004", "DB005"}),
    "review": (_review, {"RI001", "LN002", "LN003"}),
    "explanation": (_explanations, {"SG001"}),
    "cqc": (_notifier(Recipient.CQC), {"NT001"}),
    "candour": (_candour, {"NT002"}),
    "hse": (_notifier(Recipient.HSE), {"NT003"}),
}


@given(incidents(around=T0), OFFSETS, LATER, st.sampled_from(sorted(EVIDENCE)))
def test_evidence_never_adds_a_finding_of_its_rule(
    inc: Incident, offset: timedelta, before_at: timedelta, kind: str
) -> None:
    """Adding evidence never adds a finding of a rule it satisfies."""
    at = inc.occurred_at + offset
    provide, codes = EVIDENCE[kind]
    more = provide(inc, max(inc.occurred_at, at - before_at))

    assert keys(run(more, at), codes) <= keys(run(inc, at), codes)
