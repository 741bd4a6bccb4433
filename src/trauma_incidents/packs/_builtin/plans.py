"""
The plans pack: incidents held against the person's support plan (PL001-PL007).

Cross-incident rules (`trauma_incidents.engine._cross`): each needs the person's plan history,
``context.plans``, and runs only when plans are supplied. "The plan in force" for an incident
is the person's version with the latest ``effective_from`` at or before the incident's
``occurred_at``. Evidence paths ``plans.support_plans[ID]...`` name a plan version; paths
starting with ``$`` are in the finding's incident and ``incidents[ID]...`` names another
incident. Messages name vocabulary values and plan ids, never a plan's free text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import attrs

from trauma_incidents._calendar import Duration
from trauma_incidents.model._incident import AnchorPoint, Incident
from trauma_incidents.model._parts import Intervention
from trauma_incidents.model._vocabularies import ReviewKind, TriggerKind
from trauma_incidents.packs._builtin._history import by_person, earliest
from trauma_incidents.plans._records import (
    AuthorisedRestriction,
    StrategyStage,
    SupportPlan,
    SupportPlans,
)
from trauma_incidents.rules._context import Context
from trauma_incidents.rules._cross import cross_rule
from trauma_incidents.rules._episodes import EPISODE_GAP, Episode, restrictive_episodes
from trauma_incidents.rules._findings import Evidence, FindingSeverity, Status
from trauma_incidents.rules._metadata import OptionSpec, RuleMeta, within
from trauma_incidents.rules._selectors import Candidate
from trauma_incidents.rules._shapes import Verdict, deadline_verdict, span_after, stamp

_Out = Iterable[tuple[str, Verdict]]
_NO_PLANS = SupportPlans()
_UNPLANNED = "but the plan in force does not authorise it"
_REVIEW_DATE = "the review date the plan sets"
_PLAN_CHANGE = "A new support plan version, or a support plan review that changes it"


def _plans(context: Context) -> SupportPlans:
    return context.plans or _NO_PLANS


def _path(plan: SupportPlan, field: str) -> str:
    return f"plans.support_plans[{plan.id}].{field}"


def _in_force_evidence(plan: SupportPlan) -> Evidence:
    return Evidence(_path(plan, "effective_from"), stamp(plan.effective_from))


def _with(verdict: Verdict | None, *evidence: Evidence) -> Verdict | None:
    if verdict is None:
        return None
    return attrs.evolve(verdict, evidence=verdict.evidence + evidence)


def _kind_words(value: str) -> str:
    return value.replace("_", " ")


@cross_rule(
    RuleMeta(
        code="PL001",
        name="plan-in-force",
        summary=(
            "An incident with a restrictive intervention for a person who had no support plan"
            " in force when it occurred."
        ),
        rationale=(
            "Everyone at risk of restrictive interventions should have an individual support"
            " plan, built with them, that sets out how to prevent distress and what to do"
            " when it happens. A restriction used with no plan in force is a person whose"
            " support has not been planned."
        ),
        example=(
            "A restraint on 2 March for a person whose first plan version starts on 10 March:"
            " missing."
        ),
        severity=FindingSeverity.HIGH,
        sources=("PPC-BSP-FOR-AT-RISK", "NG11-BSP-COORDINATOR"),
    )
)
def PL001(  # noqa: N802
    incidents: Sequence[Incident],
    context: Context,
    at: datetime,
    _options: Mapping[str, Any],
) -> _Out:
    """An incident with a restrictive intervention and no plan in force: missing."""
    plans = _plans(context)
    out = []
    for incident in incidents:
        if not incident.has_restrictive_by(at):
            continue
        if plans.in_force(incident.person_id, incident.occurred_at) is None:
            verdict = Verdict(
                key=None,
                status=Status.MISSING,
                message=(
                    "No support plan was in force for the person when this incident with a"
                    " restrictive intervention occurred."
                ),
                evidence=(Evidence("$.occurred_at", stamp(incident.occurred_at)),),
            )
            out.append((incident.id, verdict))
    return out


def _problems(iv: Intervention, entry: AuthorisedRestriction, at: datetime) -> list[str]:
    """Why *entry* does not authorise *iv*: its position, or how long it lasted."""
    problems = []
    if entry.positions and iv.position is not None and iv.position not in entry.positions:
        listed = ", ".join(p.value for p in entry.positions)
        problems.append(
            f"its position ({iv.position.value}) is not among those authorised ({listed})"
        )
    if entry.max_minutes is not None and iv.started_at is not None and iv.ended_at is not None:
        lasted = min(iv.ended_at, at) - iv.started_at
        if lasted > timedelta(minutes=entry.max_minutes):
            minutes = int(lasted.total_seconds() // 60)
            problems.append(
                f"it lasted {minutes} minutes, longer than the {entry.max_minutes} authorised"
            )
    return problems


def _unauthorised(iv: Intervention, plan: SupportPlan, at: datetime) -> list[str] | None:
    """Why *plan* does not authorise *iv*, or ``None`` when an entry authorises it."""
    entries = [e for e in plan.authorised_restrictions if e.kind is iv.kind]
    if not entries:
        return [f"its kind ({iv.kind.value}) is not among the restrictions the plan authorises"]
    reasons = [_problems(iv, e, at) for e in entries]
    if any(not r for r in reasons):
        return None
    return min(reasons, key=len)


@cross_rule(
    RuleMeta(
        code="PL002",
        name="restriction-authorised",
        summary=(
            "A restrictive intervention that the support plan in force does not authorise: its"
            " kind, its position, or how long it lasted (one finding per intervention)."
        ),
        rationale=(
            "A plan sets out which restrictive interventions may be used for the person, on"
            " what legal basis, how, and for how long, so that any restriction is the least"
            " restrictive option and proportionate. A restriction outside the plan, or one"
            " recorded as planned that the plan does not authorise, needs looking at."
        ),
        example=(
            "A prone restraint when the plan authorises restraint seated only: concern, key 0,"
            " naming the position."
        ),
        severity=FindingSeverity.HIGH,
        sources=("PPC-BSP-FOR-AT-RISK", "PPC-LEAST-RESTRICTIVE", "MCA-S5-S6"),
    )
)
def PL002(  # noqa: N802
    incidents: Sequence[Incident],
    context: Context,
    at: datetime,
    _options: Mapping[str, Any],
) -> _Out:
    """Each restrictive intervention is one the plan in force authorises."""
    plans = _plans(context)
    out = []
    for incident in incidents:
        plan = plans.in_force(incident.person_id, incident.occurred_at)
        if plan is None:
            continue
        for index, iv in incident.restrictive_interventions:
            if (iv.started_at or incident.occurred_at) > at:
                continue
            reasons = _unauthorised(iv, plan, at)
            if reasons is None:
                continue
            kind = _kind_words(iv.kind.value).capitalize()
            if iv.in_support_plan:
                lead = (
                    f"{kind} was recorded as planned, but the plan in force does not authorise it"
                )
            else:
                lead = f"{kind} is not authorised by the plan in force"
            verdict = Verdict(
                key=str(index),
                status=Status.CONCERN,
                message=f"{lead}: {'; '.join(reasons)}.",
                evidence=(
                    Evidence(f"$.interventions[{index}].kind", iv.kind.value),
                    _in_force_evidence(plan),
                ),
            )
            out.append((incident.id, verdict))
    return out


def _later_listing(
    plans: SupportPlans, person_id: str, after: datetime, kind: TriggerKind
) -> list[Candidate]:
    return [
        Candidate(p.effective_from, _path(p, "known_triggers"))
        for p in plans.versions(person_id)
        if p.effective_from > after and p.knows_trigger(kind)
    ]


@cross_rule(
    RuleMeta(
        code="PL003",
        name="new-trigger-in-plan",
        summary=(
            "A trigger of the incident that the support plan in force does not know of, with no"
            " later plan version listing it within 28 days (one finding per trigger kind)."
        ),
        rationale=(
            "Learning what leads to a person's distress is the point of looking at each"
            " incident: a trigger the plan did not know of should reach the plan, with the"
            " early warning signs and the support that helps, so that the next time goes"
            " better. Kind unknown is left out: there is nothing yet to add."
        ),
        example=(
            "An environmental trigger on 2 March, new to the plan; no version listing it by"
            " 30 March: overdue, key environmental."
        ),
        severity=FindingSeverity.MEDIUM,
        sources=("NG10-TRIGGERS-EWS", "NG11-FUNCTION", "PBS-PLAN-CONTENTS"),
        options=(within("28d", "How long after the incident a plan version listing it is due."),),
    )
)
def PL003(  # noqa: N802
    incidents: Sequence[Incident],
    context: Context,
    at: datetime,
    options: Mapping[str, Any],
) -> _Out:
    """Each trigger new to the plan in force reaches a later plan version."""
    plans = _plans(context)
    span: Duration = options["within"]
    out = []
    for incident in incidents:
        plan = plans.in_force(incident.person_id, incident.occurred_at)
        if plan is None:
            continue
        kinds = dict.fromkeys(t.kind for t in incident.triggers)
        for kind in kinds:
            if kind is TriggerKind.UNKNOWN or plan.knows_trigger(kind):
                continue
            found = _later_listing(plans, incident.person_id, incident.occurred_at, kind)
            verdict = deadline_verdict(
                key=kind.value,
                obligation=f"A support plan version listing the {_kind_words(kind.value)} trigger",
                due=span.after(incident.occurred_at),
                basis=AnchorPoint(incident.occurred_at, "$.occurred_at"),
                reason=span_after(span, "the incident"),
                found=earliest(found, at),
                at=at,
            )
            verdict = _with(verdict, _in_force_evidence(plan))
            if verdict is not None:
                out.append((incident.id, verdict))
    return out


@cross_rule(
    RuleMeta(
        code="PL004",
        name="plan-review-date",
        summary=(
            "The support plan version in force has a review date and no newer version by it"
            " (one finding per plan version, on the person's latest incident)."
        ),
        rationale=(
            "A plan is reviewed regularly, and its coordinator makes sure it is: a plan past"
            " its review date may no longer describe the person, what matters to them or what"
            " helps. A person with no incident has no finding: the rules look at incidents."
        ),
        example=(
            "Plan SP-1 to be reviewed by 31 March, no newer version by then: overdue from"
            " 1 April, key SP-1, on the person's latest incident."
        ),
        severity=FindingSeverity.MEDIUM,
        sources=("NG11-BSP-COORDINATOR", "PPC-BSP-FOR-AT-RISK", "PBS-PLAN-CONTENTS"),
        options=(
            OptionSpec(
                "grace",
                "duration",
                "0d",
                "How long after the review date a newer version still counts as on time.",
            ),
        ),
    )
)
def PL004(  # noqa: N802
    incidents: Sequence[Incident],
    context: Context,
    at: datetime,
    options: Mapping[str, Any],
) -> _Out:
    """The plan version in force at the time is replaced by a newer one by its review date."""
    plans = _plans(context)
    grace: Duration = options["grace"]
    out = []
    for person, history in by_person(incidents).items():
        plan = plans.in_force(person, at)
        if plan is None or plan.review_by is None:
            continue
        newer = [
            Candidate(p.effective_from, _path(p, "effective_from"))
            for p in plans.versions(person)
            if p.effective_from > plan.effective_from
        ]
        verdict = deadline_verdict(
            key=plan.id,
            obligation="A newer version of the support plan",
            due=grace.after(plan.review_by),
            basis=AnchorPoint(plan.review_by, _path(plan, "review_by")),
            reason=_REVIEW_DATE if not grace.amount else span_after(grace, _REVIEW_DATE),
            found=earliest(newer, at),
            at=at,
        )
        verdict = _with(verdict, _in_force_evidence(plan))
        if verdict is not None:
            out.append((history[-1].id, verdict))
    return out


def _episode_end_path(incident: Incident, episode: Episode) -> str:
    for index in episode.indices:
        iv = incident.interventions[index]
        if iv.ended_at is not None and iv.ended_at == episode.end:
            return f"$.interventions[{index}].ended_at"
        if iv.ended_at is None and iv.started_at is not None and iv.started_at == episode.end:
            return f"$.interventions[{index}].started_at"
    return "$.occurred_at"


def _plan_changes(
    plans: SupportPlans, history: list[Incident], incident: Incident, since: datetime
) -> list[Candidate]:
    """Plan versions from after *since*, and support plan reviews that changed something."""
    found = [
        Candidate(p.effective_from, _path(p, "effective_from"))
        for p in plans.versions(incident.person_id)
        if p.effective_from > since
    ]
    found += [
        Candidate(
            r.completed_at,
            f"{'$' if i is incident else f'incidents[{i.id}]'}.reviews[{n}].completed_at",
        )
        for i in history
        for n, r in enumerate(i.reviews)
        if r.kind is ReviewKind.SUPPORT_PLAN_REVIEW and r.changes and r.completed_at >= since
    ]
    return found


@cross_rule(
    RuleMeta(
        code="PL005",
        name="plan-after-restriction",
        summary=(
            "A restrictive episode with no new support plan version, and no support plan review"
            " that changed something, within 28 days of its end (one finding per episode)."
        ),
        rationale=(
            "After a restrictive intervention the plan is reviewed, so that what was learned"
            " changes the support and the next time goes better: a new version of the plan, or"
            " a support plan review recording what changes, shows that it was."
        ),
        example=(
            "A restraint ending on 2 March; no plan version or changing support plan review by"
            " 30 March: overdue, key 0."
        ),
        severity=FindingSeverity.MEDIUM,
        sources=("NG11-DOC-REVIEW-EVERY-RI", "NG11-BSP-COORDINATOR", "PPC-BSP-FOR-AT-RISK"),
        options=(
            within("28d", "How long after the episode ends a plan change is due."),
            EPISODE_GAP,
        ),
    )
)
def PL005(  # noqa: N802
    incidents: Sequence[Incident],
    context: Context,
    at: datetime,
    options: Mapping[str, Any],
) -> _Out:
    """Each restrictive episode is followed by a plan version or a changing plan review."""
    plans = _plans(context)
    span: Duration = options["within"]
    out = []
    for history in by_person(incidents).values():
        for incident in history:
            for episode in restrictive_episodes(incident, at, options["episode_gap"]):
                if episode.ongoing:
                    continue
                verdict = deadline_verdict(
                    key=episode.key,
                    obligation=_PLAN_CHANGE,
                    due=span.after(episode.end),
                    basis=AnchorPoint(episode.end, _episode_end_path(incident, episode)),
                    reason=span_after(span, "the restrictive episode ended"),
                    found=earliest(_plan_changes(plans, history, incident, episode.end), at),
                    at=at,
                )
                if verdict is not None:
                    out.append((incident.id, verdict))
    return out


@cross_rule(
    RuleMeta(
        code="PL006",
        name="warning-sign-in-plan",
        summary=(
            "An early warning sign noticed and not acted on, while the support plan in force"
            " describes warning signs and an early (secondary) response."
        ),
        rationale=(
            "The plan describes the person's early warning signs and what to do when they"
            " appear, so that distress does not build. A sign noticed and not acted on is a"
            " learning prompt for the team, not blame: was the plan known, and did it help?"
        ),
        example=(
            "Pacing noticed at 09:40 and not acted on; the plan lists warning signs and a"
            " secondary strategy: concern (info)."
        ),
        severity=FindingSeverity.INFO,
        sources=("NG10-TRIGGERS-EWS", "PBS-PLAN-CONTENTS", "OHID-TIP-2022"),
    )
)
def PL006(  # noqa: N802
    incidents: Sequence[Incident],
    context: Context,
    at: datetime,
    _options: Mapping[str, Any],
) -> _Out:
    """A warning sign the plan describes, noticed and not acted on: a learning prompt."""
    plans = _plans(context)
    out = []
    for incident in incidents:
        missed = [
            n
            for n, sign in enumerate(incident.early_warning_signs)
            if sign.noticed_at is not None and sign.noticed_at <= at and not sign.acted_on
        ]
        if not missed:
            continue
        plan = plans.in_force(incident.person_id, incident.occurred_at)
        if plan is None or not plan.early_warning_signs:
            continue
        if not any(s.stage is StrategyStage.SECONDARY for s in plan.strategies):
            continue
        verdict = Verdict(
            key=None,
            status=Status.CONCERN,
            message="A warning sign the plan describes was noticed and not acted on.",
            evidence=(
                Evidence(f"$.early_warning_signs[{missed[0]}].acted_on", "false"),
                _in_force_evidence(plan),
            ),
        )
        out.append((incident.id, verdict))
    return out


@cross_rule(
    RuleMeta(
        code="PL007",
        name="person-in-plan",
        summary=(
            "A support plan version in force that does not record the person as involved in it"
            " (once per version, on the person's first incident under it)."
        ),
        rationale=(
            "People are involved in planning and reviewing their own support: collaboration"
            " and choice are principles of trauma-informed practice, and a plan written about"
            " a person rather than with them rarely knows what matters to them."
        ),
        example=(
            "Plan SP-2 records person_involved false; the person's first incident under it on"
            " 5 March: concern, key SP-2."
        ),
        severity=FindingSeverity.MEDIUM,
        sources=("PPC-INVOLVE", "OHID-TIP-2022"),
    )
)
def PL007(  # noqa: N802
    incidents: Sequence[Incident],
    context: Context,
    _at: datetime,
    _options: Mapping[str, Any],
) -> _Out:
    """Each plan version in force is one the person was involved in."""
    plans = _plans(context)
    out = []
    for person, history in by_person(incidents).items():
        seen: set[str] = set()
        for incident in history:
            plan = plans.in_force(person, incident.occurred_at)
            if plan is None or plan.person_involved or plan.id in seen:
                continue
            seen.add(plan.id)
            recorded = "false" if plan.person_involved is False else "not recorded"
            verdict = Verdict(
                key=plan.id,
                status=Status.CONCERN,
                message="The person is not recorded as involved in this version of their plan.",
                evidence=(
                    Evidence(_path(plan, "person_involved"), recorded),
                    _in_force_evidence(plan),
                ),
            )
            out.append((incident.id, verdict))
    return out


RULES = (PL001, PL002, PL003, PL004, PL005, PL006, PL007)
