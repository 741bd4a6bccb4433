"""Files the docs show inline are shown as they are: a copy cannot drift from its file."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = "examples/local-authority-pack/"
COPIES = [
    ("docs/packs.md", EXAMPLE + "src/la_example_pack/rules.toml"),
    ("docs/packs.md", EXAMPLE + "pyproject.toml"),
    ("docs/packs.md", EXAMPLE + "tests/restraint.scenario.yaml"),
]


def _blocks(markdown: str) -> list[str]:
    return re.findall(r"^```[a-z]+\n(.*?)^```$", markdown, flags=re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize(("page", "source"), COPIES, ids=[s for _, s in COPIES])
def test_the_page_shows_the_file_inline_as_it_is(page: str, source: str) -> None:
    text = (ROOT / source).read_text(encoding="utf-8")
    assert text in _blocks((ROOT / page).read_text(encoding="utf-8"))


def test_the_scenario_in_the_testing_guide_passes(tmp_path: Path) -> None:
    pytest.importorskip("yaml")
    from trauma_incidents.engine import RuleSet  # noqa: PLC0415
    from trauma_incidents.testing import load_scenario, run_checkpoint  # noqa: PLC0415

    page = (ROOT / "docs/testing.md").read_text(encoding="utf-8")
    (block,) = [b for b in _blocks(page) if b.startswith("name: restraint, debrief held")]
    (tmp_path / "policy.toml").write_text('packs = ["core"]\n')
    path = tmp_path / "doc.scenario.yaml"
    path.write_text(block)
    scenario = load_scenario(path)
    ruleset = RuleSet.compile(scenario.config)
    assert [run_checkpoint(scenario, c, ruleset).passed for c in scenario.checkpoints] == [
        True,
        True,
    ]


def test_the_narrowing_rules_in_the_packs_guide_load() -> None:
    from trauma_incidents.packs._declarative import pack_from_data  # noqa: PLC0415

    if sys.version_info >= (3, 11):
        import tomllib  # noqa: PLC0415
    else:  # pragma: no cover
        import tomli as tomllib  # noqa: PLC0415

    page = (ROOT / "docs/packs.md").read_text(encoding="utf-8")
    (block,) = [b for b in _blocks(page) if 'code = "LA010"' in b]
    head = '[pack]\nname = "x"\nversion = "1"\ndescription = "d"\nprefixes = ["LA"]\n'
    pack, problems = pack_from_data(tomllib.loads(head + block))
    assert problems == []
    assert pack is not None
    assert [r.meta.code for r in pack.rules] == ["LA010", "LA011"]
