"""
How well obligations are met: deadline timeliness, safeguarding explanations, learning actions.

Timeliness reads the declared deadline rules themselves (their condition, anchor, evidence and
``within``), so a figure here and a finding from the engine always agree. As everywhere,
anything dated after the time of evaluation is not yet recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from attrs import frozen

from trauma_incidents._calendar import Duration
from trauma_incidents.model._incident import Incident
from trauma_incidents.model._vocabularies import Outcome
from trauma_incidents.packs._pack import builtin_packs
from trauma_incidents.rules._episodes import EPISODE_GAP
from trauma_incidents.rules._selectors import earliest
from trauma_incidents.rules._shapes import DeadlineRule

__all__ = [
    "TIMELINESS_RULES",
    "ActionSummary",
    "ExplanationCoverage",
    "Timeliness",
    "explanation_coverage",
    "learning_actions",
    "timeliness",
]

_DEFAULT_GAP: timedelta = EPISODE_GAP.parse(EPISODE_GAP.default)

#: The deadline rules `timeliness` reports on by default: debriefs and reviews after an RI.
TIMELINESS_RULES = ("DB001", "DB002", "RI001", "RI002")


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@frozen(kw_only=True)
class Timeliness:
    """
    How one deadline rule's obligations stand.

    Attributes:
        rule: The rule's code.
        name: The rule's name.
        within: The deadline, such as ``24h``.
        applicable: Obligations that arose (the rule applied and its anchor was reached; one
            per restrictive episode for the rules counted per episode).
        on_time: Met by the deadline.
        late: Met after it.
        overdue: Not met, and the deadline has passed.
        open: Not met, and not yet due.
        share_on_time: ``on_time`` over those whose outcome is known (on time, late or
            overdue); ``None`` when there are none.
        median_hours: The median time from the anchor to the evidence, over those met.
    """

    rule: str
    name: str
    within: str
    applicable: int
    on_time: int
    late: int
    overdue: int
    open: int
    share_on_time: float | None
    median_hours: float | None

    def row(self) -> dict[str, Any]:
        """As a flat row."""
        return {f: getattr(self, f) for f in _TIMELINESS_FIELDS}


_TIMELINESS_FIELDS = (
    "rule",
    "name",
    "within",
    "applicable",
    "on_time",
    "late",
    "overdue",
    "open",
    "share_on_time",
    "median_hours",
)


def _deadline_rules() -> dict[str, DeadlineRule]:
    return {
        r.meta.code: r
        for pack in builtin_packs().values()
        for r in pack.rules
        if isinstance(r, DeadlineRule)
    }


def timeliness(
    incidents: Iterable[Incident],
    *,
    at: datetime,
    rules: Iterable[str] = TIMELINESS_RULES,
    options: Mapping[str, str] | None = None,
    episode_gap: timedelta = _DEFAULT_GAP,
) -> tuple[Timeliness, ...]:
    """
    Timeliness of each deadline rule in *rules* over *incidents* as of *at*.

    Args:
        incidents: The incidents.
        at: The time of evaluation.
        rules: Codes of built-in deadline rules.
        options: A ``within`` per code, to override a default (``{"DB001": "12h"}``).
        episode_gap: Restrictive interventions closer than this are one episode (the
            configuration's ``episode_gap``): DB001, DB002, RI001 and RI002 count one
            obligation per episode.

    Raises:
        ValueError: A code that is not a built-in deadline rule.
    """
    declared = _deadline_rules()
    chosen = list(rules)
    unknown = [c for c in chosen if c not in declared]
    if unknown:
        msg = f"not built-in deadline rules: {', '.join(unknown)} (known: {', '.join(declared)})"
        raise ValueError(msg)
    known = [i for i in incidents if i.occurred_at <= at and i.awareness_at <= at]
    overrides = options or {}
    return tuple(_one(declared[c], known, at, overrides.get(c), episode_gap) for c in chosen)


def _one(
    rule: DeadlineRule, incidents: list[Incident], at: datetime, within: str | None, gap: timedelta
) -> Timeliness:
    span: Duration = Duration.parse(within) if within else rule.meta.defaults()["within"]
    tally = {"on_time": 0, "late": 0, "overdue": 0, "open": 0}
    hours: list[float] = []
    for incident in incidents:
        if rule.when and not any(w.holds(incident, at) for w in rule.when):
            continue
        for _, anchor, since in rule.starts(incident, at, gap):
            due = span.after(anchor.at)
            found = earliest(rule.evidence, incident, at, since)
            if found is None:
                tally["overdue" if at > due else "open"] += 1
                continue
            met = found.at
            tally["on_time" if met is None or met <= due else "late"] += 1
            if met is not None:
                hours.append(max(0.0, (met - anchor.at).total_seconds() / 3600))
    known = tally["on_time"] + tally["late"] + tally["overdue"]
    return Timeliness(
        rule=rule.meta.code,
        name=rule.meta.name,
        within=str(span),
        applicable=sum(tally.values()),
        share_on_time=_share(tally["on_time"], known),
        median_hours=median(hours) if hours else None,
        **tally,
    )


@frozen(kw_only=True)
class ExplanationCoverage:
    """
    How many safeguarding stages were explained to the person, and how soon (MSP).

    Attributes:
        within: The span counted as prompt, such as ``2wd``.
        stages: Stages entered by the time.
        explained: Of those, explained by the time.
        explained_in_time: Explained within `within` of entering the stage.
        share_explained: ``explained / stages`` (``None`` without stages).
        share_in_time: ``explained_in_time / stages`` (``None`` without stages).
    """

    within: str
    stages: int
    explained: int
    explained_in_time: int
    share_explained: float | None
    share_in_time: float | None

    def row(self) -> dict[str, Any]:
        """As a flat row."""
        return {
            "within": self.within,
            "stages": self.stages,
            "explained": self.explained,
            "explained_in_time": self.explained_in_time,
            "share_explained": self.share_explained,
            "share_in_time": self.share_in_time,
        }


def explanation_coverage(
    incidents: Iterable[Incident], *, at: datetime, within: str = "2wd"
) -> ExplanationCoverage:
    """Safeguarding stages explained to the person, and within *within* of each stage."""
    span = Duration.parse(within)
    stages = explained = prompt = 0
    for incident in incidents:
        sg = incident.safeguarding
        for stage in sg.stages if sg else ():
            if stage.entered_at > at:
                continue
            stages += 1
            exp = stage.explanation
            if exp is not None and exp.at <= at:
                explained += 1
                prompt += exp.at <= span.after(stage.entered_at)
    return ExplanationCoverage(
        within=str(span),
        stages=stages,
        explained=explained,
        explained_in_time=prompt,
        share_explained=_share(explained, stages),
        share_in_time=_share(prompt, stages),
    )


@frozen(kw_only=True)
class ActionSummary:
    """
    Learning actions: how many were completed, assessed and judged effective.

    Attributes:
        actions: Every action of the incidents.
        completed: Completed by the time.
        assessed: Whose effectiveness was assessed by the time.
        effective: Assessed as effective.
        partially_effective: Assessed as partially effective.
        not_effective: Assessed as not effective.
        share_completed: ``completed / actions``.
        share_effective: ``effective / assessed``.
    """

    actions: int
    completed: int
    assessed: int
    effective: int
    partially_effective: int
    not_effective: int
    share_completed: float | None
    share_effective: float | None

    def row(self) -> dict[str, Any]:
        """As a flat row."""
        names = ("actions", "completed", "assessed", "effective", "partially_effective")
        return {
            **{n: getattr(self, n) for n in names},
            "not_effective": self.not_effective,
            "share_completed": self.share_completed,
            "share_effective": self.share_effective,
        }


def learning_actions(incidents: Iterable[Incident], *, at: datetime) -> ActionSummary:
    """Count the learning actions of *incidents* as of *at*."""
    total = completed = 0
    outcomes = dict.fromkeys(Outcome, 0)
    for incident in incidents:
        for action in incident.actions:
            total += 1
            completed += action.completed_at is not None and action.completed_at <= at
            eff = action.effectiveness
            if eff is not None and eff.assessed_at <= at:
                outcomes[eff.outcome] += 1
    assessed = sum(outcomes.values())
    return ActionSummary(
        actions=total,
        completed=completed,
        assessed=assessed,
        effective=outcomes[Outcome.EFFECTIVE],
        partially_effective=outcomes[Outcome.PARTIALLY_EFFECTIVE],
        not_effective=outcomes[Outcome.NOT_EFFECTIVE],
        share_completed=_share(completed, total),
        share_effective=_share(outcomes[Outcome.EFFECTIVE], assessed),
    )
