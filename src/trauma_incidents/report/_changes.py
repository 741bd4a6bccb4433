"""
The evidence report's section "Did the changes work?": each change's before and after.

A change is a support plan version coming into force or a learning action completed
(`trauma_incidents.analysis.effectiveness`). For each change made in the period, to a person
with an incident of the report's service, the section gives each measure's figure before and
after, the change with its 95% interval, and the verdict in the words a care manager uses,
with a small before/after chart of incidents per 28 days and mean distress. Without outcome
records only the rates are shown (they need only incidents and plans); without SciPy (the
``[analysis]`` extra) the section says so instead of failing the report.

Only ids (pseudonymised unless real ids are asked for), vocabulary values, dates and
figures reach the report: never a plan's or an action's words.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from html import escape
from typing import Any

from trauma_incidents._calendar import london_day
from trauma_incidents.analysis._effectiveness import (
    ChangeEffect,
    ChangeKind,
    EffectMeasure,
    EffectVerdict,
    PlanVersion,
    _data_range,
    effectiveness,
)
from trauma_incidents.errors import MissingExtraError
from trauma_incidents.model._incident import Incident
from trauma_incidents.outcomes._records import Outcomes
from trauma_incidents.report._markdown import markdown_table, markdown_text
from trauma_incidents.report._svg import _frame

__all__ = ["Ids", "before_after_chart", "changes_markdown", "changes_section", "verdict_words"]

#: Names an id for the report: ``ids(value, kind)`` (a pseudonym unless real ids are shown).
Ids = Callable[[str, str], str]

_MAX_CHANGES = 20
_RATES = (EffectMeasure.INCIDENTS, EffectMeasure.RESTRICTIVE)
_LABELS = {
    EffectMeasure.INCIDENTS: "Incidents per 28 days",
    EffectMeasure.RESTRICTIVE: "Restrictive interventions per 28 days",
    EffectMeasure.ACTIVITIES_COMPLETED: "Activities completed",
    EffectMeasure.DISTRESS: "Mean distress (0-10)",
    EffectMeasure.ANXIETY: "Mean anxiety (0-10)",
}
_NOUNS = {
    EffectMeasure.INCIDENTS: "incidents",
    EffectMeasure.RESTRICTIVE: "restrictive interventions",
    EffectMeasure.ACTIVITIES_COMPLETED: "activities completed",
    EffectMeasure.DISTRESS: "distress",
    EffectMeasure.ANXIETY: "anxiety",
}
# What "improved" and "worsened" look like for each measure: (better, worse).
_DIRECTIONS = {
    EffectMeasure.INCIDENTS: ("fewer incidents", "more incidents"),
    EffectMeasure.RESTRICTIVE: (
        "fewer restrictive interventions",
        "more restrictive interventions",
    ),
    EffectMeasure.ACTIVITIES_COMPLETED: (
        "more activities completed",
        "fewer activities completed",
    ),
    EffectMeasure.DISTRESS: ("lower distress", "higher distress"),
    EffectMeasure.ANXIETY: ("lower anxiety", "higher anxiety"),
}


def verdict_words(measure: EffectMeasure, verdict: EffectVerdict) -> str:
    """
    The verdict on *measure* in the words a care manager uses.

    >>> verdict_words(EffectMeasure.INCIDENTS, EffectVerdict.IMPROVED)
    'fewer incidents after the change; the data are consistent with a real reduction'
    >>> verdict_words(EffectMeasure.DISTRESS, EffectVerdict.WORSENED)
    'worse: higher distress after the change; the data are consistent with a real rise'
    """
    better, worse = _DIRECTIONS[measure]
    if verdict is EffectVerdict.IMPROVED:
        real = "improvement" if measure is EffectMeasure.ACTIVITIES_COMPLETED else "reduction"
        return f"{better} after the change; the data are consistent with a real {real}"
    if verdict is EffectVerdict.WORSENED:
        real = "fall" if measure is EffectMeasure.ACTIVITIES_COMPLETED else "rise"
        return f"worse: {worse} after the change; the data are consistent with a real {real}"
    if verdict is EffectVerdict.NO_CLEAR_CHANGE:
        return (
            f"no clear change in {_NOUNS[measure]}; the difference could be chance"
            " (which is not evidence that nothing changed)"
        )
    return "not enough data yet to tell"


def changes_section(
    incidents: Sequence[Incident],
    *,
    start: date,
    end: date,
    at: datetime,
    plans: Iterable[PlanVersion] | None,
    outcomes: Outcomes | None,
    ids: Ids,
) -> dict[str, Any]:
    """
    The section's content: every change from *start* to *end* (known by *at*), compared.

    Args:
        incidents: The service's incidents, of any date (the windows reach outside the period).
        start: The period's first day.
        end: Its last day.
        at: The report's time: data after it are not used (a window reaching past it is
            cut short, and its verdict is "not enough data yet to tell").
        plans: Support plan versions, or ``None`` when none were supplied.
        outcomes: Activities and wellbeing checks, or ``None`` when none were supplied.
        ids: Names ids for the report.
    """
    section: dict[str, Any] = {
        "plans_given": plans is not None,
        "outcomes_given": outcomes is not None,
        "missing": None,
        "notes": _notes(plans_given=plans is not None, outcomes_given=outcomes is not None),
        "changes": [],
        "more": 0,
    }
    first, last = _data_range(incidents, outcomes or Outcomes())
    try:
        rows = effectiveness(
            incidents, plans=plans or (), outcomes=outcomes, covered=(first, min(last, at))
        )
    except MissingExtraError as e:
        return section | {"missing": f"Not compared: {e}."}
    people = {i.person_id for i in incidents}
    kinds = {(r.person_id, r.change_id): r.change_kind for r in rows}
    shown = _RATES if outcomes is None else tuple(EffectMeasure)
    changes: dict[tuple[str, str], list[ChangeEffect]] = {}
    for r in rows:
        if (
            r.person_id in people
            and start <= london_day(r.changed_at) <= end
            and r.changed_at <= at
            and r.measure in shown
        ):
            changes.setdefault((r.person_id, r.change_id), []).append(r)
    ordered = sorted(changes.values(), key=lambda rs: (rs[0].changed_at, rs[0].change_id))
    if not ordered:
        section["notes"].append(
            "No support plan version came into force and no learning action was completed"
            " in the period."
        )
    return section | {
        "changes": [
            _change(rs, kinds, ids, with_outcomes=outcomes is not None)
            for rs in ordered[:_MAX_CHANGES]
        ],
        "more": max(0, len(ordered) - _MAX_CHANGES),
    }


def _notes(*, plans_given: bool, outcomes_given: bool) -> list[str]:
    notes = []
    if not plans_given:
        notes.append(
            "Support plans were not supplied: changes from support plan versions need"
            " --plans FILE, so only completed learning actions are compared."
        )
    if not outcomes_given:
        notes.append(
            "Outcome records were not supplied (--outcomes FILE): only incident and"
            " restrictive intervention rates are compared, not activities, distress or anxiety."
        )
    return notes


def _label(change_id: str, kind: ChangeKind, ids: Ids) -> str:
    if kind is ChangeKind.PLAN:
        return f"support plan version {ids(change_id, 'other')}"
    incident, _, action = change_id.partition("/")
    return f"learning action {ids(action, 'other')} of incident {ids(incident, 'incident')}"


def _change(
    rows: list[ChangeEffect],
    kinds: dict[tuple[str, str], ChangeKind],
    ids: Ids,
    *,
    with_outcomes: bool,
) -> dict[str, Any]:
    first = rows[0]
    by_measure = {r.measure: r for r in rows}
    panels = [by_measure[EffectMeasure.INCIDENTS]]
    if with_outcomes:
        panels.append(by_measure[EffectMeasure.DISTRESS])
    label = _label(first.change_id, first.change_kind, ids)
    person = ids(first.person_id, "person")
    day = london_day(first.changed_at).isoformat()
    return {
        "person": person,
        "change": label,
        "date": day,
        "overlaps": [_label(o, kinds[first.person_id, o], ids) for o in first.overlaps],
        "chart": before_after_chart(f"Before and after {label} ({person}, {day})", panels),
        "panels": len(panels),
        "rows": [_row(r) for r in rows],
    }


def _row(r: ChangeEffect) -> dict[str, str]:
    return {
        "measure": _LABELS[r.measure],
        "before": _figure(r, before=True),
        "after": _figure(r, before=False),
        "change": _estimate(r),
        "verdict": r.verdict.value,
        "words": verdict_words(r.measure, r.verdict),
        "reason": r.reason or "",
    }


def _figure(r: ChangeEffect, *, before: bool) -> str:
    w = r.before if before else r.after
    if w.value is None:
        return "-"
    if r.measure in _RATES:
        days = round(w.exposure_days)
        return f"{w.value:.2f} ({w.count} in {days} day{'' if days == 1 else 's'})"
    if r.measure is EffectMeasure.ACTIVITIES_COMPLETED:
        return f"{round(100 * w.value)}% ({w.count} of {w.n})"
    return f"{w.value:.1f} ({w.n} rating{'' if w.n == 1 else 's'})"


def _end(value: float | None, fmt: str) -> str:
    if value is None:
        return "-"
    return "no upper limit" if math.isinf(value) else format(value, fmt)


def _estimate(r: ChangeEffect) -> str:
    if r.estimate is None:
        return "-"
    if r.measure in _RATES:
        if math.isinf(r.estimate):
            return f"from none before (95% interval {_end(r.ci_low, '.2f')} times or more)"
        return (
            f"{r.estimate:.2f} times (95% interval {_end(r.ci_low, '.2f')}"
            f" to {_end(r.ci_high, '.2f')})"
        )
    if r.measure is EffectMeasure.ACTIVITIES_COMPLETED:
        low, high = (None if v is None else 100 * v for v in (r.ci_low, r.ci_high))
        return (
            f"{100 * r.estimate:+.0f} percentage points (95% interval {_end(low, '+.0f')}"
            f" to {_end(high, '+.0f')})"
        )
    return (
        f"{r.estimate:+.1f} points (95% interval {_end(r.ci_low, '+.1f')}"
        f" to {_end(r.ci_high, '+.1f')})"
    )


# The chart: one panel per measure, a bar before and a bar after, a dashed line at the
# level before and, on the bar after, the change's 95% interval drawn from that level.
_PANEL_W, _HEIGHT, _TOP, _BOTTOM, _LEFT = 210, 150, 22, 22, 34
_FONT = 'font-family="system-ui, sans-serif" font-size="10"'
_BEFORE, _AFTER, _WHISKER = "#9aa7b2", "#2f6f8f", "#1d2733"


def _whisker(r: ChangeEffect) -> tuple[float, float] | None:
    """The after values the change's interval allows, from the level before (or none)."""
    level = r.before.value
    if (
        r.verdict is EffectVerdict.NOT_ENOUGH_DATA
        or level is None
        or r.ci_low is None
        or r.ci_high is None
    ):
        return None
    if r.measure in _RATES:
        return (level * r.ci_low, level * r.ci_high) if level > 0 else None
    return level + r.ci_low, level + r.ci_high


def _nice_top(value: float) -> float:
    """A round axis maximum at or above *value* (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(power * s for s in (1, 2, 2.5, 5, 10) if power * s >= value)


def _panel(r: ChangeEffect, x0: int) -> tuple[list[str], str]:
    label = _LABELS[r.measure]
    whisker = _whisker(r)
    values = [v for v in (r.before.value, r.after.value) if v is not None]
    # Rates: room for the bars and the interval's lower end; a longer interval is cut off
    # at twice the taller bar, with an arrow.
    top = (
        _nice_top(max([2 * v for v in values] + [whisker[0] if whisker else 0.0]))
        if r.measure in _RATES
        else 10.0
    )
    plot_h = _HEIGHT - _TOP - _BOTTOM
    left, width = x0 + _LEFT, _PANEL_W - _LEFT - 10

    def y(v: float) -> float:
        return _TOP + plot_h * (1 - min(max(v, 0.0), top) / top)

    body = [
        f'<text x="{x0 + 4}" y="12" {_FONT} font-weight="600">{escape(label)}</text>',
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{left + width}" y2="{y(0):.1f}" stroke="#999"/>',
        f'<text x="{left - 4}" y="{y(0) + 4:.1f}" text-anchor="end" {_FONT}>0</text>',
        f'<text x="{left - 4}" y="{y(top) + 4:.1f}" text-anchor="end" {_FONT}>{top:g}</text>',
    ]
    bar_w = width / 4
    for i, (name, value, colour) in enumerate(
        (("before", r.before.value, _BEFORE), ("after", r.after.value, _AFTER))
    ):
        x = left + width / 8 + i * width / 2
        body.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{_HEIGHT - 6}" text-anchor="middle"'
            f" {_FONT}>{name}</text>"
        )
        if value is not None:
            body.append(
                f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{bar_w:.1f}"'
                f' height="{y(0) - y(value):.1f}" fill="{colour}"><title>{name}:'
                f" {value:.2f}</title></rect>"
            )
    if not values:
        body.append(
            f'<text x="{left + width / 2:.1f}" y="{_TOP + plot_h / 2:.1f}"'
            f' text-anchor="middle" {_FONT}>no data</text>'
        )
    if r.before.value is not None:
        level = y(r.before.value)
        body.append(
            f'<line x1="{left}" y1="{level:.1f}" x2="{left + width}" y2="{level:.1f}"'
            f' stroke="{_BEFORE}" stroke-dasharray="4 3"/>'
        )
    if whisker is not None:
        body += _interval_bar(left + width / 8 + width / 2 + bar_w / 2, whisker, y, top)
    return body, _describe(r, label, whisker)


def _interval_bar(
    centre: float, whisker: tuple[float, float], y: Callable[[float], float], top: float
) -> list[str]:
    """A vertical interval bar: a cap at each end inside the axis, an arrow where cut off."""
    low, high = y(whisker[0]), y(whisker[1])
    stroke = f'stroke="{_WHISKER}" stroke-width="2"'
    out = [f'<line x1="{centre:.1f}" y1="{low:.1f}" x2="{centre:.1f}" y2="{high:.1f}" {stroke}/>']
    for end, value in ((low, whisker[0]), (high, whisker[1])):
        if 0 <= value <= top:
            out.append(
                f'<line x1="{centre - 6:.1f}" y1="{end:.1f}" x2="{centre + 6:.1f}"'
                f' y2="{end:.1f}" {stroke}/>'
            )
    if whisker[1] > top:
        out.append(
            f'<polygon points="{centre - 5:.1f},{high + 7:.1f} {centre + 5:.1f},{high + 7:.1f}'
            f' {centre:.1f},{high - 1:.1f}" fill="{_WHISKER}"/>'
        )
    return out


def _describe(r: ChangeEffect, label: str, whisker: tuple[float, float] | None) -> str:
    figures = ", ".join(
        f"{name} {'no data' if v is None else format(v, '.2f')}"
        for name, v in (("before", r.before.value), ("after", r.after.value))
    )
    if whisker is None and r.verdict is EffectVerdict.NOT_ENOUGH_DATA:
        return f"{label}: {figures}; no interval (not enough data)"
    if whisker is None:  # none before: a ratio has no level to be drawn from
        low = _end(r.ci_low, ".2f")
        return (
            f"{label}: {figures}; no interval bar (none before; 95% interval {low} times or more)"
        )
    return (
        f"{label}: {figures}; the change's 95% interval, from the level before,"
        f" {_end(whisker[0], '.2f')} to {_end(whisker[1], '.2f')}"
    )


def before_after_chart(title: str, rows: Sequence[ChangeEffect]) -> str:
    """
    A small chart of *rows* (one panel each): before and after, with the change's interval.

    The dashed line is the level before; the interval bar on the bar after shows the values
    the change's 95% interval allows, from that level: where it does not reach the dashed
    line, the change is clear. The ``<desc>`` gives every figure in words.
    """
    body: list[str] = []
    descs: list[str] = []
    for i, r in enumerate(rows):
        drawn, desc = _panel(r, i * _PANEL_W)
        body += drawn
        descs.append(desc)
    return _frame(_PANEL_W * len(rows), _HEIGHT, title, "; ".join(descs), body)


def changes_markdown(section: dict[str, Any]) -> list[str]:
    """The section as Markdown: per change, a table of measures (the charts are HTML only)."""
    lines = ["## Did the changes work?", ""]
    if section["missing"]:
        return [*lines, markdown_text(section["missing"]), ""]
    lines += [markdown_text(note) for note in section["notes"]] + [""] * bool(section["notes"])
    for c in section["changes"]:
        lines += [f"### {markdown_text(c['date'])}: {markdown_text(c['change'])}", ""]
        lines += [f"Person {markdown_text(c['person'])}.", ""]
        if c["overlaps"]:
            also = ", ".join(c["overlaps"])
            lines += [markdown_text(f"Other changes in the same windows: {also}."), ""]
        lines += markdown_table(
            ["Measure", "Before", "After", "Change (95% interval)", "What it means"],
            [
                [
                    r["measure"],
                    r["before"],
                    r["after"],
                    r["change"],
                    r["words"] + (f" ({r['reason']})" if r["reason"] else ""),
                ]
                for r in c["rows"]
            ],
        )
    if section["more"]:
        lines += [f"and {section['more']} more changes (see `trauma-incidents effect`).", ""]
    return lines
