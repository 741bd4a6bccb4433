"""The evidence report, rendered for the bundled sample data: sections, figures, privacy."""

from __future__ import annotations

import itertools
import re
from datetime import date
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from trauma_incidents._calendar import end_of_day
from trauma_incidents.analysis import plan_coverage
from trauma_incidents.cli import main
from trauma_incidents.governance import GovernanceRecords, read_governance
from trauma_incidents.loading import BadRecord, partition, read_incidents
from trauma_incidents.model import Incident
from trauma_incidents.plans import SupportPlan, SupportPlans, read_support_plans

pytest.importorskip("jinja2")

SAMPLE = str(files("trauma_incidents") / "data" / "sample_incidents.ndjson")
GOVERNANCE = str(Path(__file__).parents[1] / "data" / "sample_governance.json")
PLANS = str(Path(__file__).parents[1] / "data" / "support_plans.ndjson")
PERIOD = ["--from", "2026-01-01", "--to", "2026-04-30"]
SECTIONS = (
    "headlines",
    "trends",
    "restrictive",
    "timeliness",
    "obligations",
    "learning",
    "plans",
    "changes",
    "governance",
    "about",
)


def read_gov(source: Any, **kwargs: Any) -> tuple[GovernanceRecords, tuple[BadRecord, ...]]:
    """The records `read_governance` yields, gathered, and its bad records."""
    good, bad = partition(read_governance(source, **kwargs))
    return GovernanceRecords.from_records(good), bad


class Page(HTMLParser):
    """Collects section ids, visible text, headline figures and every URL the page uses."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.text: list[str] = []
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if tag == "section" and values.get("id"):
            self.sections.append(str(values["id"]))
        self.urls += [str(v) for k, v in attrs if k in {"src", "href"} and v]

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())


def incidents() -> list[Incident]:
    return [i for i in read_incidents(SAMPLE) if isinstance(i, Incident)]


def real_ids() -> set[str]:
    """Every person, staff and incident id in the sample (and the governance file)."""
    found: set[str] = set()
    for i in incidents():
        found |= {i.id, i.person_id}
        for iv in i.interventions:
            found |= set(iv.staff_ids)
        for d in i.debriefs:
            found |= set(d.participant_ids) | ({d.facilitator_id} if d.facilitator_id else set())
        found |= {a.owner_id for a in i.actions if a.owner_id}
    records, _ = read_gov(GOVERNANCE)
    found |= {s.staff_id for s in records.supervisions}
    return found


def free_texts() -> set[str]:
    """Every piece of free text in the sample, long enough not to occur by chance."""
    texts: set[str] = set()
    for i in incidents():
        texts |= {t for t in (i.summary, i.location) if t}
        texts |= {t.detail for t in i.triggers if t.detail}
        texts |= {s.description for s in i.early_warning_signs}
        texts |= {iv.reason for iv in i.interventions if iv.reason}
        for r in i.reviews:
            texts |= set(r.root_causes) | set(r.changes)
        for a in i.actions:
            texts.add(a.description)
            if a.effectiveness and a.effectiveness.evidence:
                texts.add(a.effectiveness.evidence)
    for plan in read_support_plans(PLANS):
        assert isinstance(plan, SupportPlan)
        texts |= {t.detail for t in plan.known_triggers if t.detail}
        texts |= {w.description for w in plan.early_warning_signs}
        texts |= {w.response for w in plan.early_warning_signs if w.response}
        texts |= {s.description for s in plan.strategies}
        texts |= set(plan.what_matters)
    records, _ = read_gov(GOVERNANCE)
    for m in records.meetings:
        texts |= set(m.themes) | set(m.actions_agreed)
    for t in records.thematic_reviews:
        texts |= set(t.findings) | set(t.changes)
    return {t for t in texts if len(t) >= 12}


def render(tmp_path: Path, *extra: str, fmt: str = "html") -> str:
    out = tmp_path / f"report.{fmt}"
    code = main(
        [
            "report",
            SAMPLE,
            *PERIOD,
            "--governance",
            GOVERNANCE,
            "--plans",
            PLANS,
            "--format",
            fmt,
            "--out",
            str(out),
            *extra,
        ]
    )
    assert code == 0
    return out.read_text(encoding="utf-8")


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def contains_id(text: str, value: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text) is not None


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> str:
    return render(tmp_path_factory.mktemp("report"), "--key", "synthetic-test-key")


def test_every_section_in_order(html: str) -> None:
    """The report has its sections, in reading order."""
    assert parse(html).sections == list(SECTIONS)


def test_headline_figures(html: str) -> None:
    """The headline figures agree with the sample data (76 incidents, 12 restrictive ones)."""
    text = parse(html).text
    figure: dict[str, str] = {}
    for label, value in itertools.pairwise(text):  # the first occurrence: the headline
        figure.setdefault(label, value)
    assert figure["Incidents"] == "76"
    assert figure["Restrictive interventions"] == "12"
    assert figure["Staff debriefs on time"] == "75%"
    assert figure["Learning actions effective"] == "92%"


def test_charts_are_inline_svg_with_their_figures(html: str) -> None:
    """Charts are inline SVG whose descriptions list the values (a month's counts)."""
    page = parse(html)
    changes = html.count('<article class="change">')  # one chart each: test_report_changes
    assert changes > 0
    assert page.tags.count("svg") == 4 + changes
    assert "2026-03: incidents 28, restrictive interventions 4" in html


def test_self_contained(html: str) -> None:
    """No script, stylesheet link or image: every URL is a link within the page."""
    page = parse(html)
    assert not {"script", "link", "img", "iframe"} & set(page.tags)
    assert all(url.startswith("#") for url in page.urls)
    assert "@media print" in html


def test_no_real_id_and_no_free_text(html: str) -> None:
    """Pseudonymised by default: no person, staff or incident id, and no free text."""
    leaked = sorted(v for v in real_ids() if contains_id(html, v))
    assert leaked == []
    assert [t for t in free_texts() if t in html] == []
    assert "P~" in html
    assert "IN~" in html


def test_governance_figures(html: str) -> None:
    """Governance activity counts the sample governance records in the period."""
    assert "4 incident review meetings, with 4 themes and 3 actions agreed." in html
    assert "5 reflective supervision sessions, with 5 members of staff." in html


def test_support_plan_figures(html: str) -> None:
    """The support plans section counts the plans in force, past review, and new triggers."""
    found, _ = partition(read_support_plans(PLANS))
    c = plan_coverage(incidents(), SupportPlans.from_records(found), end_of_day(date(2026, 4, 30)))
    restricted = {i.person_id for i in incidents() if i.restrictive_interventions}
    assert (c.people_restrictive, c.plans_in_force, c.past_review) == (len(restricted), 3, 1)
    assert (
        f"{c.restrictive_with_plan} of {c.people_restrictive} people with a restrictive"
        " intervention have a support plan in force"
    ) in html
    assert "3 plans in force; 1 past their review date; 2 made with the person" in html
    assert "learned by a later version, after a median of" in html
    assert "Triggers new to the plan, and how long plans took to learn them" in html


def test_the_bundled_sample_plans_show_unauthorised_restrictions(tmp_path: Path) -> None:
    """With the sample plans, PL002's findings are listed by pseudonymous incident."""
    sample_plans = str(files("trauma_incidents") / "data" / "sample_support_plans.ndjson")
    out = tmp_path / "report.md"
    argv = ["report", SAMPLE, *PERIOD, "--key", "k", "--format", "markdown", "--out", str(out)]
    assert main([*argv, "--plans", sample_plans]) == 0
    text = out.read_text(encoding="utf-8")
    section = text[text.index("## Support plans") : text.index("## Governance activity")]
    rows = [line for line in section.splitlines() if line.startswith("| IN\\~")]
    assert "| Incident | Intervention | Not authorised |" in section
    assert rows
    assert not any(contains_id(text, v) for v in real_ids())


def test_without_support_plans_the_section_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", SAMPLE, *PERIOD, "--key", "k"])
    assert code == 0
    assert "so the plans rules (PL001-PL007) were not evaluated" in capsys.readouterr().out


def test_a_bad_support_plan_is_skipped_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "plans.ndjson"
    bad.write_text('{"id": 5}\n' + Path(PLANS).read_text(encoding="utf-8"), encoding="utf-8")
    code = main(["report", SAMPLE, *PERIOD, "--key", "k", "--plans", str(bad)])
    captured = capsys.readouterr()
    assert code == 0
    assert "skipped a support plan" in captured.err
    assert "3 plans in force" in captured.out


def test_examples_show_counts_and_kinds_only(html: str) -> None:
    """Examples of learning say what was reviewed in counts and kinds."""
    assert re.search(r"post incident review with \d+ root causes? and \d+ changes?", html)


def test_real_ids_mode_still_has_no_free_text(tmp_path: Path) -> None:
    """--real-ids shows ids, but never free text."""
    html = render(tmp_path, "--real-ids")
    assert contains_id(html, "P-007")
    assert [t for t in free_texts() if t in html] == []


def test_the_same_key_gives_the_same_pseudonyms(tmp_path: Path, html: str) -> None:
    """A fixed key makes pseudonyms stable across exports; a one-off key is announced."""
    again = render(tmp_path, "--key", "synthetic-test-key")
    assert set(re.findall(r"P~[0-9a-f]{12}", again)) == set(re.findall(r"P~[0-9a-f]{12}", html))


def test_one_off_key_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a key the report says its pseudonyms link to no other export."""
    monkeypatch.delenv("TRAUMA_INCIDENTS_KEY", raising=False)
    html = render(tmp_path)
    assert "one-off key" in html
    assert "one-off random key" in capsys.readouterr().err


def test_markdown(tmp_path: Path) -> None:
    """--format markdown has the same sections and no real ids."""
    text = render(tmp_path, "--key", "k", fmt="markdown")
    for heading in (
        "## Headline figures",
        "## Open and overdue obligations",
        "## Support plans",
        "## Governance activity",
    ):
        assert heading in text
    assert "| Incidents | 76 |" in text
    assert not any(contains_id(text, v) for v in real_ids())


def test_without_governance_records(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --governance the report says the governance rules were not evaluated."""
    code = main(
        [
            "report",
            SAMPLE,
            *PERIOD,
            "--service",
            "SVC-EAST-RC",
            "--key",
            "k",
            "--format",
            "markdown",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "No governance records were given." in out
    assert "all services" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--from", "2026-13-01", "--to", "2026-04-30"], "--from", id="bad-date"),
        pytest.param(["--from", "2026-04-01", "--to", "2026-03-01"], "before", id="reversed"),
        pytest.param([*PERIOD, "--at", "yesterday"], "--at", id="bad-at"),
    ],
)
def test_bad_arguments(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Bad dates or times exit 2 with a message naming the argument."""
    assert main(["report", SAMPLE, *args]) == 2
    assert message in capsys.readouterr().err


def test_unreadable_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file exits 2; a bad record is skipped, counted and reported."""
    assert main(["report", str(tmp_path / "none.ndjson"), *PERIOD]) == 2
    bad = tmp_path / "bad.ndjson"
    bad.write_bytes(Path(SAMPLE).read_bytes() + b'{"id": "X"}\n')
    out = tmp_path / "r.md"
    assert (
        main(
            [
                "report",
                str(bad),
                *PERIOD,
                "--format",
                "markdown",
                "--out",
                str(out),
                "--at",
                "2026-05-01T09:00:00+01:00",
            ]
        )
        == 0
    )
    assert "1 records could not be read" in out.read_text(encoding="utf-8")
    assert "skipped a record" in capsys.readouterr().err
