"""The evidence report's "Did the changes work?": data, words, charts, privacy, no SciPy."""

from __future__ import annotations

import enum
import html
import re
import sys
from collections.abc import Iterator
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs
import pytest

from trauma_incidents._calendar import end_of_day
from trauma_incidents.analysis import EffectMeasure, EffectVerdict, effectiveness
from trauma_incidents.cli import main
from trauma_incidents.loading import partition, read_incidents
from trauma_incidents.model import Incident
from trauma_incidents.outcomes import OutcomeRecord, Outcomes, read_outcomes
from trauma_incidents.plans import SupportPlans, read_support_plans
from trauma_incidents.report import ReportOptions, build_report
from trauma_incidents.report._changes import (
    before_after_chart,
    changes_markdown,
    changes_section,
    verdict_words,
)
from trauma_incidents.report._html import render_markdown
from trauma_incidents.testing import T0, days, incident

DATA = files("trauma_incidents") / "data"
SAMPLE = str(DATA / "sample_incidents.ndjson")
PLANS = str(DATA / "sample_support_plans.ndjson")
OUTCOMES = str(DATA / "sample_outcomes.ndjson")
PERIOD = ["--from", "2026-01-01", "--to", "2026-04-30"]
START, END = date(2026, 1, 1), date(2026, 4, 30)


def real(value: str, kind: str) -> str:
    """Real ids (``--real-ids``), so that tests can name the changes."""
    del kind
    return value


def sample() -> tuple[list[Incident], SupportPlans, Outcomes]:
    incidents, _ = partition(read_incidents(SAMPLE))
    plans, _ = partition(read_support_plans(PLANS))
    outcomes: tuple[OutcomeRecord, ...]
    outcomes, _ = partition(read_outcomes(OUTCOMES))
    return list(incidents), SupportPlans.from_records(plans), Outcomes.from_records(outcomes)


def section(
    *, plans: bool = True, outcomes: bool = True, end: date = END, **kwargs: Any
) -> dict[str, Any]:
    incidents, versions, records = sample()
    return changes_section(
        incidents,
        start=START,
        end=end,
        at=end_of_day(end),
        plans=versions if plans else None,
        outcomes=records if outcomes else None,
        ids=kwargs.get("ids", real),
    )


def change(s: dict[str, Any], name: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [c for c in s["changes"] if c["change"] == name]
    assert len(found) == 1
    return found[0]


def by_measure(c: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {r["measure"]: r for r in c["rows"]}


QUIETER_OUTINGS = "learning action A-1 of incident INC-A01"


# The words -----------------------------------------------------------------------------

WORDS = {
    (EffectMeasure.INCIDENTS, EffectVerdict.IMPROVED): (
        "fewer incidents after the change; the data are consistent with a real reduction"
    ),
    (EffectMeasure.INCIDENTS, EffectVerdict.WORSENED): (
        "worse: more incidents after the change; the data are consistent with a real rise"
    ),
    (EffectMeasure.RESTRICTIVE, EffectVerdict.IMPROVED): (
        "fewer restrictive interventions after the change; the data are consistent with a real"
        " reduction"
    ),
    (EffectMeasure.RESTRICTIVE, EffectVerdict.WORSENED): (
        "worse: more restrictive interventions after the change; the data are consistent with a"
        " real rise"
    ),
    (EffectMeasure.ACTIVITIES_COMPLETED, EffectVerdict.IMPROVED): (
        "more activities completed after the change; the data are consistent with a real"
        " improvement"
    ),
    (EffectMeasure.ACTIVITIES_COMPLETED, EffectVerdict.WORSENED): (
        "worse: fewer activities completed after the change; the data are consistent with a"
        " real fall"
    ),
    (EffectMeasure.DISTRESS, EffectVerdict.IMPROVED): (
        "lower distress after the change; the data are consistent with a real reduction"
    ),
    (EffectMeasure.DISTRESS, EffectVerdict.WORSENED): (
        "worse: higher distress after the change; the data are consistent with a real rise"
    ),
    (EffectMeasure.ANXIETY, EffectVerdict.IMPROVED): (
        "lower anxiety after the change; the data are consistent with a real reduction"
    ),
    (EffectMeasure.ANXIETY, EffectVerdict.WORSENED): (
        "worse: higher anxiety after the change; the data are consistent with a real rise"
    ),
}
NOUNS = {
    EffectMeasure.INCIDENTS: "incidents",
    EffectMeasure.RESTRICTIVE: "restrictive interventions",
    EffectMeasure.ACTIVITIES_COMPLETED: "activities completed",
    EffectMeasure.DISTRESS: "distress",
    EffectMeasure.ANXIETY: "anxiety",
}


@pytest.mark.parametrize("measure", list(EffectMeasure), ids=lambda m: m.value)
@pytest.mark.parametrize("verdict", list(EffectVerdict), ids=lambda v: v.value)
def test_the_words_for_every_verdict(measure: EffectMeasure, verdict: EffectVerdict) -> None:
    """Each verdict on each measure has its words, in the direction of the person's good."""
    words = verdict_words(measure, verdict)
    if verdict is EffectVerdict.NOT_ENOUGH_DATA:
        assert words == "not enough data yet to tell"
    elif verdict is EffectVerdict.NO_CLEAR_CHANGE:
        assert words == (
            f"no clear change in {NOUNS[measure]}; the difference could be chance"
            " (which is not evidence that nothing changed)"
        )
    else:
        assert words == WORDS[measure, verdict]


# The data ------------------------------------------------------------------------------


def test_each_change_in_the_period_with_its_figures_and_verdicts() -> None:
    """The quieter-outings action: figures, changes and verdicts in words; its overlap named."""
    s = section()
    assert s["missing"] is None
    assert s["notes"] == []
    c = change(s, QUIETER_OUTINGS)
    assert (c["person"], c["date"]) == ("P-014", "2026-01-27")
    assert c["overlaps"] == ["support plan version SP-014-2"]
    rows = by_measure(c)
    assert list(rows) == [
        "Incidents per 28 days",
        "Restrictive interventions per 28 days",
        "Activities completed",
        "Mean distress (0-10)",
        "Mean anxiety (0-10)",
    ]
    distress = rows["Mean distress (0-10)"]
    assert (distress["before"], distress["after"]) == ("5.3 (62 ratings)", "2.3 (58 ratings)")
    assert distress["change"] == "-3.0 points (95% interval -3.6 to -2.4)"
    assert distress["words"] == WORDS[EffectMeasure.DISTRESS, EffectVerdict.IMPROVED]
    done = rows["Activities completed"]
    assert (done["before"], done["after"]) == ("67% (33 of 49)", "93% (43 of 46)")
    assert done["change"] == "+26 percentage points (95% interval +10 to +41)"
    ratio = rows["Incidents per 28 days"]
    assert ratio["before"] == "1.50 (3 in 56 days)"
    assert ratio["change"] == "1.00 times (95% interval 0.13 to 7.47)"
    assert ratio["verdict"] == "no_clear_change"
    restrictive = rows["Restrictive interventions per 28 days"]
    assert restrictive["words"] == "not enough data yet to tell"
    assert restrictive["reason"] == "0 events in the two windows; 5 are needed"


def test_only_changes_in_the_period_in_time_order() -> None:
    """Changes before the period (2025 plans) or after it (May actions) are left out."""
    s = section()
    dates = [c["date"] for c in s["changes"]]
    assert dates == sorted(dates)
    assert all("2026-01-01" <= d <= "2026-04-30" for d in dates)
    names = {c["change"] for c in s["changes"]}
    assert "support plan version SP-022-2" in names
    assert "support plan version SP-003-1" not in names  # 2025
    assert "learning action A-1 of incident INC-017" not in names  # completed in May
    assert s["more"] == 0


def test_data_after_the_report_time_are_not_used() -> None:
    """A window reaching past the report's time is cut short: not enough data yet to tell."""
    s = section(end=date(2026, 2, 10))
    c = change(s, "support plan version SP-014-2")
    for r in c["rows"]:
        assert r["words"] == "not enough data yet to tell"
        assert "the window after is cut short by the data's time range" in r["reason"]


def test_without_outcomes_only_the_rates() -> None:
    """Without outcome records: incident and restrictive rates only, and the section says so."""
    s = section(outcomes=False)
    assert s["notes"] == [
        (
            "Outcome records were not supplied (--outcomes FILE): only incident and restrictive"
            " intervention rates are compared, not activities, distress or anxiety."
        )
    ]
    c = change(s, QUIETER_OUTINGS)
    rows = by_measure(c)
    assert list(rows) == ["Incidents per 28 days", "Restrictive interventions per 28 days"]
    # The data now start at the first incident (5 January): the window before is cut short.
    assert rows["Incidents per 28 days"]["reason"].startswith(
        "the window before is cut short by the data's time range (22."
    )
    desc = "Incidents per 28 days: before 3.72, after 1.50; no interval (not enough data)"
    assert f"<desc>{desc}</desc>" in c["chart"]
    assert "distress" not in c["chart"]


def test_without_plans_only_learning_actions() -> None:
    """Without support plans the section says plan changes need --plans."""
    s = section(plans=False)
    assert any("need --plans FILE" in note for note in s["notes"])
    assert s["changes"]
    assert all(c["change"].startswith("learning action") for c in s["changes"])
    assert change(s, QUIETER_OUTINGS)["overlaps"] == []


def test_no_changes_in_the_period_is_said() -> None:
    """A period without changes says so."""
    incidents, plans, outcomes = sample()
    s = changes_section(
        incidents,
        start=date(2025, 1, 1),
        end=date(2025, 1, 31),
        at=end_of_day(date(2025, 1, 31)),
        plans=plans,
        outcomes=outcomes,
        ids=real,
    )
    assert s["changes"] == []
    assert s["notes"] == [
        (
            "No support plan version came into force and no learning action was completed in"
            " the period."
        )
    ]


def block_scipy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``import scipy`` fail, as it does without the [analysis] extra."""
    for name in [m for m in sys.modules if m == "scipy" or m.startswith("scipy.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "scipy", None)


def test_without_scipy_the_section_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without SciPy the section says the [analysis] extra is needed; the report is written."""
    block_scipy(monkeypatch)
    s = section()
    assert s["changes"] == []
    assert s["missing"] == (
        "Not compared: comparing before and after needs SciPy:"
        " pip install 'trauma-incidents[analysis]'."
    )
    out = tmp_path / "report.md"
    argv = ["report", SAMPLE, *PERIOD, "--plans", PLANS, "--outcomes", OUTCOMES]
    assert main([*argv, "--key", "k", "--format", "markdown", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "## Did the changes work?" in text
    assert "pip install 'trauma-incidents\\[analysis\\]'" in text


# The chart -----------------------------------------------------------------------------

CHANGE = T0 + days(100)


@attrs.frozen
class Plan:
    id: str
    person_id: str
    effective_from: datetime


def rows_for(before: int, after: int, measure: EffectMeasure = EffectMeasure.INCIDENTS) -> Any:
    """The rate row for a plan change with *before* incidents in the 56 days before, *after*."""
    offsets = [-55 + 55 * k / max(1, before) for k in range(before)]
    offsets += [0.5 + 55 * k / max(1, after) for k in range(after)]
    incidents = [
        incident(id=f"INC-{n}", occurred_at=CHANGE + days(o)) for n, o in enumerate(offsets)
    ]
    found = effectiveness(
        incidents,
        plans=[Plan("SP-1", "P-001", CHANGE)],
        covered=(CHANGE - days(120), CHANGE + days(120)),
    )
    (row,) = [r for r in found if r.measure is measure]
    return row


def whiskers(svg: str) -> int:
    return svg.count('stroke-width="2"')


def test_chart_is_accessible_svg_with_every_figure() -> None:
    """One ``svg role="img"`` with a title and a description giving every figure."""
    row = rows_for(24, 4)
    svg = before_after_chart("Before and after a change", [row])
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "<title>Before and after a change</title>" in svg
    (desc,) = [html.unescape(d) for d in re.findall(r"<desc>(.*?)</desc>", svg)]
    low, high = (row.before.value * end for end in (row.ci_low, row.ci_high))
    assert desc == (
        "Incidents per 28 days: before 12.00, after 2.00; the change's 95% interval, from the"
        f" level before, {low:.2f} to {high:.2f}"
    )
    assert row.verdict is EffectVerdict.IMPROVED
    assert whiskers(svg) == 3  # the bar and a cap at each end
    assert "<script" not in svg


def test_chart_has_no_interval_bar_without_enough_data() -> None:
    """Not enough data: no interval bar (it would look like evidence), and it says so."""
    row = rows_for(2, 1)
    assert row.verdict is EffectVerdict.NOT_ENOUGH_DATA
    svg = before_after_chart("t", [row])
    assert whiskers(svg) == 0
    assert "no interval (not enough data)" in svg


def test_chart_of_a_rise_from_none() -> None:
    """From no incidents to six: worse, with no level to draw the interval from; said in words."""
    row = rows_for(0, 6)
    assert row.verdict is EffectVerdict.WORSENED
    svg = html.unescape(before_after_chart("t", [row]))
    assert whiskers(svg) == 0
    assert (
        "Incidents per 28 days: before 0.00, after 3.00; no interval bar (none before; 95%"
        " interval 1.18 times or more)"
    ) in svg


def test_chart_marks_an_interval_running_off_the_axis() -> None:
    """An upper end far above the bars is cut off with an arrow, and its lower end capped."""
    row = rows_for(2, 9)
    assert row.ci_high is not None
    assert row.ci_high * row.before.value > 2 * row.after.value
    svg = before_after_chart("t", [row])
    assert "<polygon" in svg
    assert whiskers(svg) == 2  # the bar and its lower cap


# Rendering and privacy -----------------------------------------------------------------


def test_markdown_section() -> None:
    """The Markdown has the section with a table per change."""
    text = "\n".join(changes_markdown(section()))
    assert "### 2026-01-27: learning action A-1 of incident INC-A01" in text
    assert (
        "| Mean distress (0-10) | 5.3 (62 ratings) | 2.3 (58 ratings) |"
        " -3.0 points (95% interval -3.6 to -2.4) |"
        " lower distress after the change; the data are consistent with a real reduction |"
    ) in text
    assert "Other changes in the same windows: support plan version SP-014-2." in text


def strings(value: object) -> Iterator[str]:
    """Every text value inside an attrs record, however deep (vocabulary values left out)."""
    if isinstance(value, str) and not isinstance(value, enum.Enum):
        yield value
    elif attrs.has(cls := type(value)):
        for field in attrs.fields(cls):
            yield from strings(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from strings(item)


def test_no_real_id_and_no_free_text(tmp_path: Path) -> None:
    """Pseudonymised: no plan, person, incident or outcome id, and no plan's own words."""
    out = tmp_path / "report.html"
    argv = ["report", SAMPLE, *PERIOD, "--plans", PLANS, "--outcomes", OUTCOMES]
    pytest.importorskip("jinja2")
    assert main([*argv, "--key", "k", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    part = page[page.index('<section id="changes">') :]
    part = part[: part.index("</section>")]
    assert part.count('<article class="change">') == len(section()["changes"])
    incidents, plans, outcomes = sample()
    ids = {i.id for i in incidents} | {i.person_id for i in incidents}
    ids |= {p.id for p in plans} | {r.id for r in outcomes}
    leaked = [v for v in ids if re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", part)]
    assert leaked == []
    texts = {t for p in plans for t in strings(p) if len(t) >= 12}
    assert texts  # the sample plans do hold free text
    assert [t for t in texts if t in page] == []
    assert "P~" in part
    assert "IN~" in part


def test_bad_outcome_records_are_skipped_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad outcome record is named on stderr and skipped, like a bad plan; the report is made."""
    bad = tmp_path / "outcomes.ndjson"
    bad.write_bytes(
        Path(OUTCOMES).read_bytes()
        + b'{"record_type": "wellbeing_check", "id": "WC-X", "person_id": "P-014",'
        b' "at": "2026-02-01T10:00:00Z", "measure": "anxiety", "value": 12,'
        b' "method": "self_report"}\n'
    )
    out = tmp_path / "r.md"
    argv = ["report", SAMPLE, *PERIOD, "--outcomes", str(bad), "--key", "k"]
    assert main([*argv, "--format", "markdown", "--out", str(out)]) == 0
    assert "skipped an outcome record" in capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert "## Did the changes work?" in text
    assert "Support plans were not supplied" in text
    assert main(["report", SAMPLE, *PERIOD, "--outcomes", str(tmp_path / "none")]) == 2


def test_render_markdown_has_the_section_after_learning() -> None:
    """The section sits after the learning actions in the Markdown report."""
    incidents, plans, outcomes = sample()
    options = ReportOptions(start=START, end=END, at=end_of_day(END), key=b"k", real_ids=True)
    text = render_markdown(build_report(incidents, options=options, plans=plans, outcomes=outcomes))
    assert text.index("## Learning actions") < text.index("## Did the changes work?")
    assert text.index("## Did the changes work?") < text.index("## Governance activity")


def test_with_outcomes_the_open_obligations_are_those_of_check_outcomes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """LN005 weighs the outcome records in the report as in check; without SciPy, as before."""
    from trauma_incidents.testing import load_scenario  # noqa: PLC0415

    scenario = load_scenario(
        Path(__file__).parents[1] / "scenarios/rules/LN005/computed-evidence.scenario.yaml"
    )
    options = ReportOptions(
        start=date(2026, 1, 1),
        end=date(2026, 4, 26),
        at=datetime.fromisoformat("2026-04-26T10:00:00+00:00"),
        key=b"synthetic",
        real_ids=True,
    )

    def ln005(**kwargs: Any) -> set[tuple[str, str]]:
        rows = build_report(scenario.incidents, options=options, **kwargs)["obligations"]["rows"]
        return {(r["incident"], r["status"]) for r in rows if r["rule"] == "LN005"}

    without = ln005()
    assert ("INC-LN005-3", "overdue") in without
    assert ln005(outcomes=scenario.outcomes) == {
        ("INC-LN005-5", "overdue"),
        ("INC-LN005-6", "overdue"),
    }  # met by the data (INC-LN005-3), a concern (INC-LN005-4) is not an open obligation
    monkeypatch.setitem(sys.modules, "scipy", None)
    assert ln005(outcomes=scenario.outcomes) == without
