"""`analyse`: every thematic figure of a batch at once, as plain data and as flat tables."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from attrs import frozen

from trauma_incidents.analysis._breakdowns import (
    DIMENSIONS,
    Breakdown,
    MonthCount,
    RestrictiveCount,
    breakdown,
    in_period,
    monthly,
    restrictive_trend,
)
from trauma_incidents.analysis._timeliness import (
    ActionSummary,
    ExplanationCoverage,
    Timeliness,
    explanation_coverage,
    learning_actions,
    timeliness,
)
from trauma_incidents.model._incident import Incident

__all__ = ["Analysis", "analyse"]


@frozen(kw_only=True)
class Analysis:
    """
    The thematic analysis of a batch of incidents as of a time.

    Attributes:
        at: The time of evaluation.
        incidents: How many incidents were analysed.
        people: How many different people they involved.
        restrictive_interventions: How many restrictive interventions they recorded.
        breakdowns: One `Breakdown` per dimension, by name.
        months: Incidents and restrictive interventions by month.
        restrictive: Restrictive interventions by person, month and kind.
        timeliness: Debrief and review timeliness, one per rule.
        explanations: Safeguarding explanation coverage.
        actions: Learning actions and their effectiveness.
    """

    at: datetime
    incidents: int
    people: int
    restrictive_interventions: int
    breakdowns: dict[str, Breakdown]
    months: tuple[MonthCount, ...]
    restrictive: tuple[RestrictiveCount, ...]
    timeliness: tuple[Timeliness, ...]
    explanations: ExplanationCoverage
    actions: ActionSummary

    def tables(self) -> dict[str, list[dict[str, Any]]]:
        """Every figure as flat rows (lists of dicts) by table name, ready for a DataFrame."""
        return {
            "breakdowns": [row for b in self.breakdowns.values() for row in b.rows()],
            "months": [
                {
                    "month": m.month,
                    "incidents": m.incidents,
                    "with_restrictive": m.with_restrictive,
                    "restrictive_interventions": m.restrictive_interventions,
                }
                for m in self.months
            ],
            "restrictive": [r.row() for r in self.restrictive],
            "timeliness": [t.row() for t in self.timeliness],
            "explanations": [self.explanations.row()],
            "actions": [self.actions.row()],
        }


def analyse(
    incidents: Iterable[Incident],
    *,
    at: datetime,
    start: date | None = None,
    end: date | None = None,
    service_id: str | None = None,
) -> Analysis:
    """
    Analyse the incidents that occurred from *start* to *end* at *service_id*, as of *at*.

    Each argument left out does not filter. Incidents that occurred after *at* are left out.
    """
    chosen = [
        i
        for i in in_period(incidents, start=start, end=end, service_id=service_id)
        if i.occurred_at <= at
    ]
    return Analysis(
        at=at,
        incidents=len(chosen),
        people=len({i.person_id for i in chosen}),
        restrictive_interventions=sum(len(i.restrictive_interventions) for i in chosen),
        breakdowns={d: breakdown(chosen, d) for d in DIMENSIONS},
        months=monthly(chosen, start=start, end=end),
        restrictive=restrictive_trend(chosen),
        timeliness=timeliness(chosen, at=at),
        explanations=explanation_coverage(chosen, at=at),
        actions=learning_actions(chosen, at=at),
    )
