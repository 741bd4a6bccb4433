"""The ``england`` pack: regulatory notifications in England (NT001-NT003)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from trauma_incidents._calendar import Duration
from trauma_incidents.model._incident import AnchorPoint, Incident
from trauma_incidents.model._parts import Candour, Injury, Notification
from trauma_incidents.model._vocabularies import (
    Category,
    InjuredParty,
    InjurySeverity,
    NotificationMethod,
    PhysicalHarm,
    PsychologicalHarm,
    Recipient,
    RelevantPerson,
    Severity,
)
from trauma_incidents.rules._findings import Evidence, FindingSeverity, Status
from trauma_incidents.rules._metadata import Change, OptionSpec, RuleMeta, within
from trauma_incidents.rules._selectors import (
    Anchor,
    Candidate,
    InjuryPattern,
    NotificationMatch,
    When,
    awareness_anchor,
    earliest,
)
from trauma_incidents.rules._shapes import (
    DeadlineRule,
    Verdict,
    deadline_verdict,
    rule,
    span_after,
)

NT001 = DeadlineRule(
    meta=RuleMeta(
        code="NT001",
        name="cqc-notification",
        summary=(
            "Abuse or neglect (an abuse allegation or a safeguarding concern), police"
            " involvement, a death, a severe incident or a serious injury to the person with no"
            " notification to CQC within 24 hours of the service becoming aware."
        ),
        rationale=(
            'Regulations 16 and 18 require CQC to be notified "without delay" of a death, of'
            " abuse or an allegation of abuse, of an incident reported to the police and of a"
            " serious injury; the law sets no hours, so 24 hours is this library's benchmark for"
            ' "without delay", configurable. A serious injury to the person may be recorded'
            " only as the incident's severe severity. Failing to notify is prosecutable without"
            " a warning notice."
        ),
        example=(
            "police_involvement reported 2 March 10:00, no cqc notification: overdue at 24h (a"
            ' benchmark for "without delay").'
        ),
        severity=FindingSeverity.HIGH,
        sources=("CQC-R18-NOTIFY", "CQC-R16-DEATH"),
        options=(within("24h"),),
        changes=(
            Change(
                "2.0",
                "Also applies to a safeguarding_concern (abuse or neglect) and to overall"
                ' severity severe; messages call the 24 hours a benchmark for "without delay".',
            ),
        ),
    ),
    when=(
        When(
            categories=frozenset(
                {
                    Category.ABUSE_ALLEGATION,
                    Category.SAFEGUARDING_CONCERN,
                    Category.POLICE_INVOLVEMENT,
                    Category.DEATH,
                }
            )
        ),
        When(severities=frozenset({Severity.SEVERE, Severity.DEATH})),
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
    note='a benchmark for "without delay"',
)

#: Who a notice to each relevant person may go to.
_RELEVANT = {
    RelevantPerson.PERSON: frozenset({Recipient.PERSON}),
    RelevantPerson.REPRESENTATIVE: frozenset(
        {Recipient.REPRESENTATIVE, Recipient.FAMILY, Recipient.NEXT_OF_KIN}
    ),
}
#: A notice is given in person, by phone or by video (or in a way not recorded).
_SPOKEN = frozenset(
    {NotificationMethod.IN_PERSON, NotificationMethod.PHONE, NotificationMethod.VIDEO}
)
_WRITTEN = frozenset({NotificationMethod.LETTER, NotificationMethod.EMAIL})
_HARMFUL = frozenset({Severity.MODERATE, Severity.SEVERE, Severity.DEATH})
_PHYSICAL = frozenset({PhysicalHarm.MODERATE, PhysicalHarm.SEVERE, PhysicalHarm.DEATH})
_PSYCHOLOGICAL = frozenset({PsychologicalHarm.MODERATE, PsychologicalHarm.SEVERE})


def _harmful(incident: Incident) -> bool:
    """Whether the harm recorded calls for a duty of candour decision."""
    if incident.severity in _HARMFUL:
        return True
    harm = incident.harm
    return harm is not None and (harm.physical in _PHYSICAL or harm.psychological in _PSYCHOLOGICAL)


def _notices(
    incident: Incident, at: datetime, to: frozenset[Recipient], *, written: bool
) -> list[tuple[datetime, int, Notification]]:
    """The duty of candour notifications to *to* sent by *at*, spoken or *written*, in order."""
    return sorted(
        (n.sent_at, i, n)
        for i, n in enumerate(incident.notifications)
        if n.duty_of_candour
        and n.recipient in to
        and n.sent_at <= at
        and ((n.method in _WRITTEN) if written else (n.method is None or n.method in _SPOKEN))
    )


@rule(
    RuleMeta(
        code="NT002",
        name="duty-of-candour",
        summary=(
            "The duty of candour, one finding per step: a moderate, severe or fatal incident (or"
            " moderate or worse physical or psychological harm) with no decision whether it is a"
            " notifiable safety incident within 10 working days (key decision); a notifiable one"
            " with no notice to the relevant person in person, by phone or video within 10"
            " working days of the decision (key notice); a notice without an apology (key"
            " apology); and no written notification within 10 working days of the notice (key"
            " written)."
        ),
        rationale=(
            "Regulation 20 asks a provider that becomes aware of a notifiable safety incident"
            " to tell the relevant person (the person, or a representative when they have died"
            " or lack capacity) in person, with a true account and an apology, as soon as"
            " reasonably practicable, and then to follow it up in writing. Whether an incident"
            " is notifiable is a health care professional's judgement, so the decision is"
            " recorded first. The statute sets no day limit: 10 working days is common practice"
            " (the former NHS contractual duty), used here as configurable defaults."
        ),
        example=(
            "severity moderate, aware 2 March, no candour decision by 16 March: decision"
            " overdue; decided notifiable on 4 March, told by phone on 5 March with an apology,"
            " no letter or email by the end of 19 March: written overdue."
        ),
        severity=FindingSeverity.HIGH,
        sources=("REG20-DOC", "REG20-NSI-SOCIALCARE", "DOC-10DAYS"),
        options=(
            OptionSpec(
                "decide_within",
                "duration",
                "10wd",
                "How long after the service became aware the candour decision is due.",
            ),
            within("10wd", "How long after the decision the notice to the relevant person is due."),
            OptionSpec(
                "written_within",
                "duration",
                "10wd",
                "How long after the notice the written notification is due.",
            ),
        ),
        changes=(
            Change(
                "2.0",
                "One finding per step of regulation 20, keyed decision, notice, apology and"
                " written (was one finding with key null for a notification to the person or"
                " family). It reads the new candour field: the notice goes to the relevant"
                " person, in person, by phone or video, counted from candour.decided_at; a"
                " notifiable incident needs it whatever its severity. New options"
                " decide_within and written_within.",
            ),
        ),
    ),
    gate=["severity:moderate", "severity:severe", "severity:death", "harm", "candour"],
)
def NT002(incident: Incident, at: datetime, options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    """The duty of candour: the decision, the notice, its apology and the written follow-up."""
    candour = incident.candour
    decided = candour is not None and candour.decided_at <= at
    if not decided and not _harmful(incident):
        return ()
    verdicts: list[Verdict] = []
    if _harmful(incident):
        span: Duration = options["decide_within"]
        start = awareness_anchor(incident, at)
        found = (
            Candidate(candour.decided_at, "$.candour.decided_at") if candour and decided else None
        )
        verdict = deadline_verdict(
            key="decision",
            obligation="A duty of candour decision (whether it is a notifiable safety incident)",
            due=span.after(start.at),
            basis=start,
            reason=span_after(span, Anchor.AWARENESS.describe()),
            found=found,
            at=at,
        )
        verdicts += () if verdict is None else (verdict,)
    if candour is not None and decided and candour.notifiable:
        verdicts += _notice(incident, candour, at, options)
    return verdicts


def _notice(
    incident: Incident, candour: Candour, at: datetime, options: Mapping[str, Any]
) -> list[Verdict]:
    """The notice to the relevant person, its apology and the written notification."""
    to = _RELEVANT[candour.relevant_person]
    who = (
        "the person" if candour.relevant_person is RelevantPerson.PERSON else "their representative"
    )
    span: Duration = options["within"]
    spoken = _notices(incident, at, to, written=False)
    first = spoken[0] if spoken else None
    verdict = deadline_verdict(
        key="notice",
        obligation=f"A duty of candour notice to {who} in person, by phone or video",
        due=span.after(candour.decided_at),
        basis=AnchorPoint(candour.decided_at, "$.candour.decided_at"),
        reason=span_after(span, "the incident was decided notifiable"),
        found=None
        if first is None
        else Candidate(first[0], f"$.notifications[{first[1]}].sent_at"),
        at=at,
    )
    verdicts = [] if verdict is None else [verdict]
    if first is None:
        return verdicts
    sent_at, i, notice = first
    if notice.apology is not True:
        msg = "The duty of candour notice does not record an apology."
        path = f"$.notifications[{i}].apology"
        verdicts.append(
            Verdict(
                key="apology",
                status=Status.MISSING,
                message=msg,
                evidence=(Evidence(path, notice.apology),),
            )
        )
    written = [w for w in _notices(incident, at, to, written=True) if w[0] >= sent_at]
    later: Duration = options["written_within"]
    verdict = deadline_verdict(
        key="written",
        obligation=f"A written duty of candour notification (letter or email) to {who}",
        due=later.after(sent_at),
        basis=AnchorPoint(sent_at, f"$.notifications[{i}].sent_at"),
        reason=span_after(later, "the notice"),
        found=None
        if not written
        else Candidate(written[0][0], f"$.notifications[{written[0][1]}].sent_at"),
        at=at,
    )
    return verdicts if verdict is None else [*verdicts, verdict]


_HSE = NotificationMatch(recipients=frozenset({Recipient.HSE}))
_NON_WORKERS = frozenset({InjuredParty.PERSON, InjuredParty.OTHER})


def _first(injuries: list[tuple[int, Injury]], test: Callable[[Injury], object]) -> int | None:
    """The index of the first of *injuries* that passes *test*, or ``None``."""
    return next((i for i, inj in injuries if test(inj)), None)


@rule(
    RuleMeta(
        code="NT003",
        name="riddor",
        summary=(
            "An injury reportable under RIDDOR not reported to HSE in time, counted from the"
            " accident: a staff specified injury within 10 days, over 7 days' staff incapacity"
            " within 15 days, a person supported or other non-worker taken directly to hospital"
            " from a work-related accident within 10 days. Unknown when a non-worker was taken to"
            " hospital and work_related is not recorded, or a serious staff injury has no"
            " days_incapacitated (until HSE is notified). One finding per incident."
        ),
        rationale=(
            "RIDDOR requires specified injuries to workers, and injuries to people who are not"
            " workers and are taken directly to hospital for treatment, to be reported within 10"
            " days of the accident, and a worker's incapacity of over 7 days within 15 days. In"
            " health and social care an injury is reportable only if it arose out of or in"
            " connection with work (the activity, equipment, environment or supervision);"
            " violence to a worker is reportable when it causes a reportable injury."
        ),
        example=(
            "A staff specified injury on 2 March, no hse notification by 12 March: overdue; a"
            " person supported taken to hospital after a fall from a faulty hoist (work_related"
            " true), no hse notification within 10 days: overdue."
        ),
        severity=FindingSeverity.HIGH,
        sources=("RIDDOR-TIMES", "RIDDOR-HSC"),
        options=(
            within(
                "10d",
                "Deadline for a specified injury, or a non-worker taken to hospital.",
            ),
            OptionSpec(
                "incapacitated_within", "duration", "15d", "Deadline for over-N-day incapacity."
            ),
            OptionSpec(
                "incapacity_days", "count", 7, "Days of incapacity above which it is reportable."
            ),
        ),
        changes=(
            Change(
                "2.0",
                "Deadlines count from occurred_at (the accident), not from awareness. Also"
                " covers a person supported or a visitor taken directly to hospital after a"
                " work-related accident (injuries[].hospital and work_related; unknown when"
                " work_related is not recorded). No unknown once HSE has been notified.",
            ),
        ),
    ),
    gate=["injuries"],
)
def NT003(incident: Incident, at: datetime, options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    """RIDDOR reporting of injuries (one finding per incident)."""
    limit = options["incapacity_days"]
    listed = list(enumerate(incident.injuries))
    staff = [(i, inj) for i, inj in listed if inj.who is InjuredParty.STAFF]
    others = [(i, inj) for i, inj in listed if inj.who in _NON_WORKERS and inj.hospital]
    reportable = [
        (_first(staff, lambda inj: inj.specified_injury), options["within"], "a specified injury"),
        (
            _first(
                staff,
                lambda inj: inj.days_incapacitated is not None and inj.days_incapacitated > limit,
            ),
            options["incapacitated_within"],
            f"over {limit} days' incapacity",
        ),
        (
            _first(others, lambda inj: inj.work_related),
            options["within"],
            "an injury to someone who is not a worker, taken to hospital",
        ),
    ]
    found = earliest(_HSE, incident, at)
    for index, span, what in reportable:
        if index is not None:
            verdict = deadline_verdict(
                key=None,
                obligation=f"A RIDDOR report to HSE of {what}",
                due=span.after(incident.occurred_at),
                basis=AnchorPoint(incident.occurred_at, "$.occurred_at"),
                reason=span_after(span, Anchor.OCCURRED.describe()),
                found=found,
                at=at,
            )
            return () if verdict is None else (verdict,)
    if found is not None:
        return ()
    return _undecided(staff, others)


def _undecided(
    staff: list[tuple[int, Injury]], others: list[tuple[int, Injury]]
) -> tuple[Verdict, ...]:
    """The ``unknown`` verdict when a reportable injury cannot be ruled out, or none."""
    unsure = _first(others, lambda inj: inj.work_related is None)
    if unsure is not None:
        path = f"$.injuries[{unsure}].work_related"
        msg = (
            "Cannot tell whether an injury to someone who is not a worker, taken to hospital,"
            " is reportable: work_related is not recorded."
        )
    else:
        unsure = _first(
            staff,
            lambda inj: inj.severity is InjurySeverity.SERIOUS and inj.days_incapacitated is None,
        )
        if unsure is None:
            return ()
        path = f"$.injuries[{unsure}].days_incapacitated"
        msg = (
            "Cannot tell whether a serious staff injury is reportable:"
            " days_incapacitated is not recorded."
        )
    return (
        Verdict(key=None, status=Status.UNKNOWN, message=msg, evidence=(Evidence(path, None),)),
    )


RULES = (NT001, NT002, NT003)
