"""Core rules on learning: triggers, reviews and learning actions (LN001-LN005)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from attrs import frozen

from trauma_incidents._calendar import end_of_day
from trauma_incidents.model._incident import AnchorPoint, Incident
from trauma_incidents.model._parts import Action
from trauma_incidents.model._vocabularies import Category, Outcome, ReviewKind
from trauma_incidents.rules._context import Context
from trauma_incidents.rules._findings import Evidence, FindingSeverity, Status
from trauma_incidents.rules._items import missing_verdict
from trauma_incidents.rules._metadata import Change, RuleMeta, within
from trauma_incidents.rules._selectors import Anchor, Candidate, ReviewMatch, TriggerMatch, When
from trauma_incidents.rules._shapes import DeadlineRule, Verdict, deadline_verdict, rule, span_after

_DISTRESS = frozenset(
    {
        Category.BEHAVIOURAL_DISTRESS,
        Category.VERBAL_AGGRESSION,
        Category.PHYSICAL_AGGRESSION,
        Category.SELF_HARM,
    }
)
_LEARNING_REVIEWS = frozenset(
    {ReviewKind.REFLECTIVE_REVIEW, ReviewKind.POST_INCIDENT_REVIEW, ReviewKind.AFTER_ACTION_REVIEW}
)

LN001 = DeadlineRule(
    meta=RuleMeta(
        code="LN001",
        name="triggers-explored",
        summary=(
            "A distress or self-harm incident, or one with a restrictive intervention, with no"
            " trigger of a known kind recorded within 72 hours of the service becoming aware."
        ),
        rationale=(
            "Behaviour is communication of need: understanding what led to the distress is how the"
            " person is supported to identify triggers and how the support plan improves. Triggers"
            " carry no time, so a trigger counts whenever it is recorded and this is never late."
        ),
        example="behavioural_distress on 2 March, only an unknown trigger: overdue after 5 March.",
        severity=FindingSeverity.MEDIUM,
        sources=("NG10-TRIGGERS-EWS", "NG11-FUNCTION"),
        options=(within("72h"),),
    ),
    when=(When(categories=_DISTRESS), When(restrictive=True)),
    anchor=Anchor.AWARENESS,
    evidence=TriggerMatch(),
    obligation="A trigger of a known kind",
)

LN002 = DeadlineRule(
    meta=RuleMeta(
        code="LN002",
        name="reflective-review",
        summary=(
            "A distress or self-harm incident without a restrictive intervention and with no"
            " reflective, post-incident or after action review within 7 days of the service"
            " becoming aware of it."
        ),
        rationale=(
            "Incidents without restriction still carry learning: a proportionate reflective review"
            " looks at what was expected, what happened and what to change, without blame."
        ),
        example="verbal_aggression reported on 2 March, no review by 9 March: overdue.",
        severity=FindingSeverity.LOW,
        sources=("PSIRF-METHODS", "PSIRF-AIMS", "SAF-LEARNING-CULTURE"),
        options=(within("7d"),),
        changes=(
            Change(
                "2.0",
                "Counts from when the service became aware (reported_at, else occurred_at),"
                " like LN001, instead of occurred_at: an incident reported late gets its"
                " full 7 days.",
            ),
        ),
    ),
    when=(When(categories=_DISTRESS, restrictive=False),),
    anchor=Anchor.AWARENESS,
    evidence=ReviewMatch(kinds=_LEARNING_REVIEWS),
    obligation="A reflective review",
)


@rule(
    RuleMeta(
        code="LN003",
        name="review-learning-recorded",
        summary=(
            "A completed reflective, post-incident, after action or root cause review that records"
            " no root cause or no change."
        ),
        rationale=(
            "A review shows learning when it names causes in the system and the changes made;"
            " inspectors look for root causes found and changes made."
        ),
        example="reviews[0] is a post_incident_review with no changes: missing changes.",
        severity=FindingSeverity.MEDIUM,
        sources=("SAF-LEARNING-CULTURE", "PSIRF-METHODS"),
    ),
    gate=["reviews"],
)
def LN003(incident: Incident, at: datetime, _options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    """Each completed learning review records root causes and changes."""
    kinds = _LEARNING_REVIEWS | {ReviewKind.ROOT_CAUSE_ANALYSIS}
    verdicts = []
    for i, r in enumerate(incident.reviews):
        if r.kind not in kinds or r.completed_at > at:
            continue
        absent = [
            name for name, v in (("root_causes", r.root_causes), ("changes", r.changes)) if not v
        ]
        if absent:
            msg = f"The {r.kind.value} records no {' and no '.join(absent)}."
            verdicts.append(missing_verdict("reviews", i, absent, msg, 0))
    return verdicts


def due_time(action: Action) -> datetime | None:
    """An action's due time: a date means the end of that day, Europe/London."""
    due = action.due
    if due is None or isinstance(due, datetime):
        return due
    return end_of_day(due)


@rule(
    RuleMeta(
        code="LN004",
        name="learning-action-due",
        summary="A learning action not completed by its due date (one finding per action id).",
        rationale=(
            "Agreed actions are how learning becomes change; open actions past their date are"
            " what a governance meeting needs to see."
        ),
        example="Action A-1 due 2026-03-20 and not completed: overdue from 21 March.",
        severity=FindingSeverity.MEDIUM,
        sources=("SAF-LEARNING-CULTURE", "REG12/REG17"),
    ),
    gate=["actions"],
)
def LN004(incident: Incident, at: datetime, _options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    """Each action with a due date is completed by it."""
    verdicts = []
    for i, action in enumerate(incident.actions):
        due = due_time(action)
        if due is None:
            continue
        done = action.completed_at
        found = (
            Candidate(done, f"$.actions[{i}].completed_at")
            if done is not None and done <= at
            else None
        )
        verdict = deadline_verdict(
            key=action.id,
            obligation="Completion of the learning action",
            due=due,
            basis=AnchorPoint(due, f"$.actions[{i}].due"),
            reason="its due date",
            found=found,
            at=at,
        )
        if verdict is not None:
            verdicts.append(verdict)
    return verdicts


@rule(
    RuleMeta(
        code="LN005",
        name="effectiveness-evidenced",
        summary=(
            "A completed learning action whose effectiveness is not assessed within 28 days, or"
            " was assessed as not effective, or whose person's outcome data show a worsening"
            " after it (a concern: the change did not work)."
        ),
        rationale=(
            "Evidence that learning happened means checking that a change worked, and revisiting"
            " it when it did not. Where outcome records are supplied, the data before and after"
            " the action are that evidence: a clear improvement meets the rule without a"
            " staff member's self-rating, and a clear worsening is a concern."
        ),
        example=(
            "Action A-1 completed 1 March, no effectiveness by 29 March: overdue. With outcome"
            " records, fewer incidents in the 56 days after it than before: met."
        ),
        severity=FindingSeverity.LOW,
        sources=("SAF-LEARNING-CULTURE", "PSIRF-AIMS"),
        options=(within("28d"),),
        changes=(
            Change(
                "2.1",
                "With outcome records supplied (check --outcomes, evaluate(outcomes=...)), the"
                " before/after comparison of the effect command counts as the assessment: a"
                " measure worsened is a concern naming the measures; else a measure improved"
                " meets the rule (unless self-rated not effective, still a concern); otherwise"
                " the self-rating is needed as before. The comparison needs the 56-day window"
                " after the action, so set within to 56d to wait for it.",
            ),
        ),
    ),
    gate=["actions"],
    context=True,
)
def LN005(  # noqa: N802
    incident: Incident, at: datetime, options: Mapping[str, Any], context: Context
) -> Iterable[Verdict]:
    """Each completed action has its effectiveness assessed or shown by data, and it worked."""
    span: Any = options["within"]
    verdicts: list[Verdict] = []
    for i, action in enumerate(incident.actions):
        done = action.completed_at
        if done is None or done > at:
            continue
        shown = _shown(context, incident.id, action.id)
        if shown is not None and not shown.improved:  # the outcome data show a worsening
            verdicts.append(shown.verdict(action.id))
            continue
        eff = action.effectiveness
        assessed = eff is not None and eff.assessed_at <= at
        if eff is not None and assessed and eff.outcome is Outcome.NOT_EFFECTIVE:
            path = f"$.actions[{i}].effectiveness.outcome"
            msg = "The learning action was assessed as not effective: review the change."
            verdicts.append(
                Verdict(
                    key=action.id,
                    status=Status.CONCERN,
                    message=msg,
                    evidence=(Evidence(path, eff.outcome.value),),
                )
            )
            continue
        if shown is not None:  # the outcome data show an improvement: the evidence
            continue
        found = (
            Candidate(eff.assessed_at, f"$.actions[{i}].effectiveness.assessed_at")
            if eff and assessed
            else None
        )
        verdict = deadline_verdict(
            key=action.id,
            obligation="An assessment of the action's effectiveness",
            due=span.after(done),
            basis=AnchorPoint(done, f"$.actions[{i}].completed_at"),
            reason=span_after(span, "the action was completed"),
            found=found,
            at=at,
        )
        if verdict is not None:
            verdicts.append(verdict)
    return verdicts


@frozen
class _Shown:
    """What the outcome data show about one action: improved, or these measures worsened."""

    change: str
    worsened: tuple[str, ...]

    @property
    def improved(self) -> bool:
        return not self.worsened

    def verdict(self, key: str) -> Verdict:
        """The concern: the measures that worsened, each as evidence."""
        named = ", ".join(self.worsened)
        msg = (
            f"The outcome data show a worsening after the learning action ({named}, 56 days"
            " after against 56 days before): review the change."
        )
        return Verdict(
            key=key,
            status=Status.CONCERN,
            message=msg,
            evidence=tuple(
                Evidence(f"effectiveness[{self.change}].{m}", "worsened") for m in self.worsened
            ),
        )


def _shown(context: Context, incident_id: str, action_id: str) -> _Shown | None:
    """
    What *context*'s outcome data show about an action, if anything clear.

    ``None`` when they show no clear change either way: no clear change, not enough data,
    or no outcome records.
    """
    verdicts = context.effects.get((incident_id, action_id), {})
    worsened = tuple(m for m, v in verdicts.items() if v == "worsened")
    if worsened or "improved" in verdicts.values():
        return _Shown(f"{incident_id}/{action_id}", worsened)
    return None


RULES = (LN001, LN002, LN003, LN004, LN005)
