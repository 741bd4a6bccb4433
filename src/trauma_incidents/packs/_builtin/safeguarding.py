"""Core rules on safeguarding: explaining stages, desired outcomes, raising concerns (SG001-3)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from trauma_incidents.model._incident import AnchorPoint, Incident
from trauma_incidents.model._vocabularies import Category, Stage
from trauma_incidents.rules._findings import FindingSeverity
from trauma_incidents.rules._metadata import RuleMeta, within
from trauma_incidents.rules._selectors import (
    Anchor,
    Candidate,
    DesiredOutcomesMatch,
    StageMatch,
    When,
)
from trauma_incidents.rules._shapes import DeadlineRule, Verdict, deadline_verdict, rule, span_after


@rule(
    RuleMeta(
        code="SG001",
        name="safeguarding-stage-explained",
        summary=(
            "A safeguarding stage not explained to the person within 2 working days of entering it"
            " (one finding per stage; a repeated stage is keyed stage#2, stage#3)."
        ),
        rationale=(
            "Making Safeguarding Personal: the person understands what is happening at each stage,"
            " in a way that works for them, and stays in control of what they want from it. Not"
            " knowing what is happening is itself a source of distress."
        ),
        example="section_42_enquiry entered 2 April, unexplained by 8 April (Easter): overdue.",
        severity=FindingSeverity.HIGH,
        sources=("CA-6-PRINCIPLES", "MSP-OUTCOMES", "SG-STAGES", "SAF-SAFEGUARDING"),
        options=(within("2wd"),),
    ),
    gate=["safeguarding"],
)
def SG001(incident: Incident, at: datetime, options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    """Each safeguarding stage entered by *at* is explained by its deadline."""
    sg = incident.safeguarding
    if sg is None:
        return ()
    span: Any = options["within"]
    reason = span_after(span, "the stage began")
    seen: dict[Stage, int] = {}
    verdicts = []
    for entered, i in sorted((s.entered_at, i) for i, s in enumerate(sg.stages)):
        if entered > at:
            continue
        stage = sg.stages[i]
        seen[stage.stage] = n = seen.get(stage.stage, 0) + 1
        key = stage.stage.value if n == 1 else f"{stage.stage.value}#{n}"
        found = None
        if stage.explanation is not None and stage.explanation.at <= at:
            found = Candidate(stage.explanation.at, f"$.safeguarding.stages[{i}].explanation.at")
        verdict = deadline_verdict(
            key=key,
            obligation=f"An explanation to the person of the {stage.stage.value} stage",
            due=span.after(entered),
            basis=AnchorPoint(entered, f"$.safeguarding.stages[{i}].entered_at"),
            reason=reason,
            found=found,
            at=at,
        )
        if verdict is not None:
            verdicts.append(verdict)
    return verdicts


SG002 = DeadlineRule(
    meta=RuleMeta(
        code="SG002",
        name="desired-outcomes",
        summary=(
            "A safeguarding process where the person's desired outcomes are not recorded within"
            " 2 working days of its first stage."
        ),
        rationale=(
            "The person is asked what they want as the outcomes at the start, mid-way and at the"
            " end; enquiries are done with them, not to them."
        ),
        example="concern_raised on 2 March, no desired_outcomes_recorded_at by 4 March: overdue.",
        severity=FindingSeverity.MEDIUM,
        sources=("MSP-OUTCOMES", "CA-S42-OBJECTIVES", "CA-6-PRINCIPLES"),
        options=(within("2wd"),),
    ),
    when=(),
    anchor=Anchor.FIRST_STAGE,
    evidence=DesiredOutcomesMatch(),
    obligation="A record of the person's desired outcomes",
)

SG003 = DeadlineRule(
    meta=RuleMeta(
        code="SG003",
        name="safeguarding-concern-raised",
        summary=(
            "A safeguarding concern or abuse allegation with no concern_raised stage entered within"
            " 24 hours of the service becoming aware."
        ),
        rationale=(
            "Concerns are referred the same day, or within 24 hours once the threshold is met, and"
            " allegations investigated immediately; delay leaves the person at risk."
        ),
        example="An abuse_allegation reported 2 March 10:00, no concern raised: overdue at 24h.",
        severity=FindingSeverity.CRITICAL,
        sources=("SG-STAGES", "REG13-RESTRAINT", "SAF-SAFEGUARDING"),
        options=(within("24h"),),
    ),
    when=(When(categories=frozenset({Category.SAFEGUARDING_CONCERN, Category.ABUSE_ALLEGATION})),),
    anchor=Anchor.AWARENESS,
    evidence=StageMatch(stages=frozenset({Stage.CONCERN_RAISED})),
    obligation="A safeguarding concern raised",
)

RULES = (SG001, SG002, SG003)
