"""
Startup stays lean: importing the package and running ``check`` leave costly modules alone.

A guard, not a timing test: each case runs in a fresh interpreter and lists the modules it
imported. What is left out is imported on first use by the code that needs it (the report,
analysis and testing modules, multiprocessing for ``--jobs``, every country's holidays, the
TOML parser).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from trauma_incidents.loading import dumps
from trauma_incidents.testing import synthetic_incidents

#: Modules (and packages, with everything under them) that check does not need.
NOT_FOR_CHECK = (
    "trauma_incidents.analysis",
    "trauma_incidents.report",
    "trauma_incidents.testing",
    "trauma_incidents.monitor",
    "trauma_incidents.strategies",
    "jinja2",  # the evidence report's templates
    "scipy",  # the analysis extra (LN005's computed evidence, with outcome records)
    "trauma_incidents.cli._catalogue",
    "trauma_incidents.cli._demo",
    "holidays.countries",
    "hypothesis",
    "multiprocessing",
    "concurrent.futures.process",
    "statistics",
    "xml",
    "tomllib",  # read when a configuration or a pack file is
    "tomli",
    "trauma_incidents.packs._declarative",  # read when a pack file is
    "difflib",
    "trauma_incidents.outcomes",  # read when outcome records are given
)


def _printed(code: str, value: str) -> list[str]:
    """The JSON list *value* (an expression) in a fresh interpreter after running *code*."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted({value})))\n"
    done = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", script], capture_output=True, check=True, text=True
    )
    found: list[str] = json.loads(done.stdout.splitlines()[-1])
    return found


def _imported(code: str) -> list[str]:
    """The modules a fresh interpreter holds after running *code*."""
    return _printed(code, "sys.modules")


def _left_out(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == n or m.startswith(f"{n}.") for n in names)]


def test_importing_the_package_imports_neither_check_extras_nor_the_cli() -> None:
    modules = _imported("import trauma_incidents")
    # importlib.metadata: when packs are first looked for (a RuleSet is compiled)
    not_yet = (*NOT_FOR_CHECK, "trauma_incidents.cli", "holidays", "importlib.metadata")
    assert _left_out(modules, not_yet) == []
    assert "trauma_incidents.engine" in modules  # the guard sees what was imported


def _check(tmp_path: Path, output: str) -> str:
    """A script running ``check`` with *output* on synthetic incidents, printing nothing."""
    # the first synthetic incidents include a safeguarding stage: working days are used
    path = tmp_path / "incidents.ndjson"
    path.write_bytes(b"".join(dumps(i) + b"\n" for i in synthetic_incidents(20, 1)))
    return (
        "import contextlib, io\n"
        "from trauma_incidents.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['check', {str(path)!r}, '--at', '2026-05-01T09:00:00Z',"
        f" '--format', {output!r}, '--fail-on', 'never'])\n"
    )


@pytest.mark.parametrize("output", ["ndjson", "json", "table", "csv"])
def test_check_imports_only_what_checking_needs(tmp_path: Path, output: str) -> None:
    modules = _imported(_check(tmp_path, output))
    assert _left_out(modules, NOT_FOR_CHECK) == []
    assert "holidays" in modules  # working days were worked out


#: The model classes whose type checks (`typed`'s, generated on first use) exist.
_GENERATED = (
    "[c.__name__ for c in vars(m).values()"
    " if '<typed' in getattr(getattr(c, '__attrs_post_init__', None), '__code__', main.__code__)"
    ".co_filename]"
)


def test_check_of_valid_records_generates_no_type_checks(tmp_path: Path) -> None:
    check = f"{_check(tmp_path, 'ndjson')}import trauma_incidents.model as m\n"
    assert _printed(check, _GENERATED) == []
    built = f"{check}m.Trigger(kind=m.TriggerKind.SENSORY)\n"
    assert _printed(built, _GENERATED) == ["Trigger"]  # made by the first instance built
