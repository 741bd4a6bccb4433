"""Core rules on debriefs after restrictive interventions and injuries (DB001-DB005)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from trauma_incidents.model._incident import AnchorPoint, Incident
from trauma_incidents.model._vocabularies import Audience, DebriefStatus, InjuredParty, Topic
from trauma_incidents.rules._episodes import EPISODE_GAP
from trauma_incidents.rules._findings import Evidence, FindingSeverity, Status
from trauma_incidents.rules._metadata import Change, OptionSpec, RuleMeta, within
from trauma_incidents.rules._selectors import (
    Anchor,
    Candidate,
    DebriefMatch,
    InjuryPattern,
    When,
)
from trauma_incidents.rules._shapes import DeadlineRule, Verdict, deadline_verdict, rule, span_after

_RI = (When(restrictive=True),)
_HIGH, _MEDIUM = FindingSeverity.HIGH, FindingSeverity.MEDIUM
_PER_EPISODE = Change(
    "2.0",
    "One finding per restrictive episode (interventions within episode_gap of each other),"
    " keyed by its first intervention's index instead of null; it counts from that episode's"
    " end, and only a debrief at or after that end counts. A later restraint no longer turns"
    " an overdue debrief back into due.",
)

DB001 = DeadlineRule(
    meta=RuleMeta(
        code="DB001",
        name="staff-debrief",
        summary=(
            "A restrictive episode with no staff debrief held within 24 hours of its end (one"
            " finding per episode; a debrief held before the episode ended does not count)."
        ),
        rationale=(
            "People who use or witness restraint, rapid tranquillisation or seclusion take part in"
            " an immediate post-incident debrief, once the risk is contained; benchmarks range from"
            " 3 hours to 48 working hours. The debrief supports staff and starts the learning."
        ),
        example="Restraint ended 10:00 on 2 March, no staff debrief: due until 10:00 on 3 March.",
        severity=_HIGH,
        sources=("NG10-DEBRIEF-IMMEDIATE", "DEBRIEF-BENCHMARKS", "PPC-REDUCE-2Y"),
        options=(within("24h"), EPISODE_GAP),
        changes=(_PER_EPISODE,),
    ),
    when=_RI,
    anchor=Anchor.RI_EPISODE_END,
    evidence=DebriefMatch(
        audiences=frozenset({Audience.STAFF}), statuses=frozenset({DebriefStatus.HELD})
    ),
    obligation="A held staff debrief",
)

DB002 = DeadlineRule(
    meta=RuleMeta(
        code="DB002",
        name="person-debrief-offer",
        summary=(
            "A restrictive episode after which the person was not offered a debrief (any record:"
            " offered, held, declined or deferred) within 72 hours of it ending (one finding per"
            " episode)."
        ),
        rationale=(
            "The person is entitled to talk about what happened, give their account and say what"
            " would help; offering is what matters, and the choice stays theirs."
        ),
        example="Restraint ended on 2 March; no person debrief recorded by 5 March: overdue.",
        severity=_HIGH,
        sources=("NG10-DEBRIEF-IMMEDIATE", "DEBRIEF-BENCHMARKS", "OHID-TIP-2022"),
        options=(within("72h"), EPISODE_GAP),
        changes=(_PER_EPISODE,),
    ),
    when=_RI,
    anchor=Anchor.RI_EPISODE_END,
    evidence=DebriefMatch(audiences=frozenset({Audience.PERSON})),
    obligation="A debrief offered to the person",
)

DB005 = DeadlineRule(
    meta=RuleMeta(
        code="DB005",
        name="staff-wellbeing",
        summary="A staff injury with no held staff debrief covering wellbeing within 24 hours.",
        rationale=(
            "Staff hurt at work need support promptly; a just culture looks after the people who"
            " look after others, and witnesses are supported too."
        ),
        example="A member of staff was injured on 2 March; a wellbeing debrief is due by 3 March.",
        severity=_MEDIUM,
        sources=("NG10-DEBRIEF-IMMEDIATE", "PSIRF-AIMS"),
        options=(within("24h"),),
    ),
    when=(When(injury=InjuryPattern(who=frozenset({InjuredParty.STAFF}))),),
    anchor=Anchor.AWARENESS,
    evidence=DebriefMatch(
        audiences=frozenset({Audience.STAFF}),
        statuses=frozenset({DebriefStatus.HELD}),
        topics=frozenset({Topic.WELLBEING}),
    ),
    obligation="A held staff debrief covering wellbeing",
)

_RE_OFFER = frozenset({DebriefStatus.DECLINED, DebriefStatus.DEFERRED})


@rule(
    RuleMeta(
        code="DB003",
        name="person-debrief-reoffer",
        summary=(
            "The person's first debrief was declined or deferred and no later person debrief is"
            " recorded by its re-offer date (or 7 days after it)."
        ),
        rationale=(
            "Declining or deferring is the person's choice, respected, not a failure; only the"
            " missed re-offer is flagged. People often want to talk later, when they feel safe."
        ),
        example="The person deferred on 3 March with reoffer_by 6 March; nothing since: overdue.",
        severity=_MEDIUM,
        sources=("DEBRIEF-BENCHMARKS", "OHID-TIP-2022"),
        options=(within("7d", "How long after a declined or deferred debrief to offer again."),),
    ),
    gate=["debriefs"],
)
def DB003(incident: Incident, at: datetime, options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    """A declined or deferred first person debrief needs a later one."""
    person = sorted(
        (d.at, i)
        for i, d in enumerate(incident.debriefs)
        if d.audience is Audience.PERSON and d.at <= at
    )
    if not person:
        return ()
    first_at, i = person[0]
    first = incident.debriefs[i]
    if first.status not in _RE_OFFER:
        return ()
    if first.reoffer_by is not None:
        due = first.reoffer_by
        basis = AnchorPoint(first.reoffer_by, f"$.debriefs[{i}].reoffer_by")
        reason = "the re-offer date recorded"
    else:
        due = options["within"].after(first_at)
        basis = AnchorPoint(first_at, f"$.debriefs[{i}].at")
        reason = span_after(options["within"], f"the debrief was {first.status.value}")
    found = None
    if len(person) > 1:
        later_at, later = person[1]
        found = Candidate(later_at, f"$.debriefs[{later}].at")
    verdict = deadline_verdict(
        key=None,
        obligation="A renewed debrief offer to the person",
        due=due,
        basis=basis,
        reason=reason,
        found=found,
        at=at,
    )
    return () if verdict is None else (verdict,)


_LEARNING_TOPICS = ("timeline", "early_warning_signs", "communication")


@rule(
    RuleMeta(
        code="DB004",
        name="debrief-learning-topics",
        summary=(
            "After a restrictive intervention, the held staff debriefs together do not cover the"
            " timeline, early warning signs and communication."
        ),
        rationale=(
            "A debrief that reconstructs what happened, the signs that distress was building and"
            " how communication went is what turns an incident into learning for the support plan."
        ),
        example="The staff debrief covered only the timeline: missing communication and EWS.",
        severity=_MEDIUM,
        sources=("NG10-TRIGGERS-EWS", "NG10-DEBRIEF-IMMEDIATE", "NG11-FUNCTION"),
        options=(
            OptionSpec(
                "topics", "topics", _LEARNING_TOPICS, "Topics the staff debriefs must cover."
            ),
        ),
    ),
    gate=["restrictive"],
)
def DB004(incident: Incident, at: datetime, options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    """Held staff debriefs must cover the learning topics."""
    if not incident.has_restrictive_by(at):
        return ()
    held = [
        (i, d)
        for i, d in enumerate(incident.debriefs)
        if d.audience is Audience.STAFF and d.status is DebriefStatus.HELD and d.at <= at
    ]
    if not held:
        return ()
    covered = {t for _, d in held for t in d.topics}
    absent = sorted(t.value for t in options["topics"] - covered)
    if not absent:
        return ()
    evidence = tuple(
        Evidence(f"$.debriefs[{i}].topics", ",".join(t.value for t in d.topics)) for i, d in held
    )
    msg = f"The held staff debriefs do not cover: {', '.join(absent)}."
    return (Verdict(key=None, status=Status.MISSING, message=msg, evidence=evidence),)


RULES = (DB001, DB002, DB003, DB004, DB005)
