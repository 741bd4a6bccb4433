"""The ``england`` pack: regulatory notifications in England (NT001-NT003)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from trauma_incidents.model._incident import Incident
from trauma_incidents.model._vocabularies import (
    Category,
    InjuredParty,
    InjurySeverity,
    Recipient,
    Severity,
)
from trauma_incidents.rules._findings import Evidence, FindingSeverity, Status
from trauma_incidents.rules._metadata import OptionSpec, RuleMeta, within
from trauma_incidents.rules._selectors import (
    Anchor,
    InjuryPattern,
    NotificationMatch,
    When,
    awareness_anchor,
    earliest,
)
from trauma_incidents.rules._shapes import DeadlineRule, Verdict, deadline_verdict, rule, span_after

NT001 = DeadlineRule(
    meta=RuleMeta(
        code="NT001",
        name="cqc-notification",
        summary=(
            "An abuse allegation, police involvement, a death, or a serious injury to the person"
            " with no notification to CQC within 24 hours of the service becoming aware."
        ),
        rationale=(
            'Regulations 16 and 18 require CQC to be notified "without delay"; the law sets no'
            " hours, so 24 hours is this library's default, configurable. Failing to notify is"
            " prosecutable without a warning notice."
        ),
        example="police_involvement reported 2 March 10:00, no cqc notification: overdue at 24h.",
        severity=FindingSeverity.HIGH,
        sources=("CQC-R18-NOTIFY", "CQC-R16-DEATH"),
        options=(within("24h"),),
    ),
    when=(
        When(
            categories=frozenset(
                {Category.ABUSE_ALLEGATION, Category.POLICE_INVOLVEMENT, Category.DEATH}
            )
        ),
        When(severities=frozenset({Severity.DEATH})),
        When(
            injury=InjuryPattern(
                who=frozenset({InjuredParty.PERSON}),
                severities=frozenset({InjurySeverity.SERIOUS}),
            )
        ),
    ),
    anchor=Anchor.AWARENESS,
    evidence=NotificationMatch(recipients=frozenset({Recipient.CQC})),
    obligation="A notification to CQC",
)

NT002 = DeadlineRule(
    meta=RuleMeta(
        code="NT002",
        name="duty-of-candour",
        summary=(
            "A moderate, severe or fatal incident with no duty of candour notification to the"
            " person or their family within 10 working days."
        ),
        rationale=(
            "The duty of candour asks for a true account and an apology as soon as reasonably"
            " practicable; the statute sets no day limit and 10 working days is common practice"
            " (the former NHS contractual duty), used here as a configurable default."
        ),
        example="severity moderate, aware 2 March, no duty_of_candour notice by 16 March: overdue.",
        severity=FindingSeverity.HIGH,
        sources=("REG20-DOC", "REG20-NSI-SOCIALCARE", "DOC-10DAYS"),
        options=(within("10wd"),),
    ),
    when=(When(severities=frozenset({Severity.MODERATE, Severity.SEVERE, Severity.DEATH})),),
    anchor=Anchor.AWARENESS,
    evidence=NotificationMatch(
        recipients=frozenset({Recipient.PERSON, Recipient.FAMILY}), duty_of_candour=True
    ),
    obligation="A duty of candour notification to the person or their family",
)

_HSE = NotificationMatch(recipients=frozenset({Recipient.HSE}))


@rule(
    RuleMeta(
        code="NT003",
        name="riddor",
        summary=(
            "A staff injury reportable under RIDDOR not reported to HSE in time: a specified"
            " injury within 10 days, over 7 days' incapacity within 15 days; a serious staff"
            " injury with days_incapacitated not recorded is unknown. One finding per incident."
        ),
        rationale=(
            "RIDDOR requires specified injuries to workers to be reported within 10 days and"
            " incapacity of over 7 days within 15 days; violence to a worker is reportable when it"
            " causes a reportable injury."
        ),
        example="A staff specified injury on 2 March, no hse notification by 12 March: overdue.",
        severity=FindingSeverity.HIGH,
        sources=("RIDDOR-TIMES", "RIDDOR-HSC"),
        options=(
            within("10d", "Deadline for a specified injury."),
            OptionSpec(
                "incapacitated_within", "duration", "15d", "Deadline for over-N-day incapacity."
            ),
            OptionSpec(
                "incapacity_days", "count", 7, "Days of incapacity above which it is reportable."
            ),
        ),
    ),
    gate=["staff_injury"],
)
def NT003(incident: Incident, at: datetime, options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    """RIDDOR reporting of staff injuries (one finding per incident)."""
    staff = [(i, inj) for i, inj in enumerate(incident.injuries) if inj.who is InjuredParty.STAFF]
    if not staff:
        return ()
    limit = options["incapacity_days"]
    specified = next((i for i, inj in staff if inj.specified_injury), None)
    incapacitated = next(
        (
            i
            for i, inj in staff
            if inj.days_incapacitated is not None and inj.days_incapacitated > limit
        ),
        None,
    )
    if specified is None and incapacitated is None:
        unrecorded = next(
            (
                i
                for i, inj in staff
                if inj.severity is InjurySeverity.SERIOUS and inj.days_incapacitated is None
            ),
            None,
        )
        if unrecorded is None:
            return ()
        path = f"$.injuries[{unrecorded}].days_incapacitated"
        msg = (
            "Cannot tell whether a serious staff injury is reportable:"
            " days_incapacitated is not recorded."
        )
        return (
            Verdict(key=None, status=Status.UNKNOWN, message=msg, evidence=(Evidence(path, None),)),
        )
    span = options["within"] if specified is not None else options["incapacitated_within"]
    start = awareness_anchor(incident, at)
    what = "a specified injury" if specified is not None else f"over {limit} days' incapacity"
    verdict = deadline_verdict(
        key=None,
        obligation=f"A RIDDOR report to HSE of {what}",
        due=span.after(start.at),
        basis=start,
        reason=span_after(span, Anchor.AWARENESS.describe()),
        found=earliest(_HSE, incident, at),
        at=at,
    )
    return () if verdict is None else (verdict,)


RULES = (NT001, NT002, NT003)
