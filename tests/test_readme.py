"""The README's commands are the ones CI runs (its Python example runs as a doctest)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _command(marker: str) -> str:
    return next(line for line in README.splitlines() if marker in line and " && " in line)


def test_test_command_is_ci_test_command() -> None:
    """README's test command installs and runs pytest exactly as .ci/run does."""
    command = _command("-m pytest")
    assert command.endswith(".venv/bin/python -m pytest")
    assert '.venv/bin/python -m pip install --upgrade "pip>=25.1"' in command
    assert ".venv/bin/python -m pip install --group dev -e ." in command
    assert '"$venv/bin/python" -m pytest ||' in CI
    assert '"$venv/bin/python" -m pip install --quiet --upgrade "pip>=25.1"' in CI
    assert '"$venv/bin/python" -m pip install --quiet --group dev -e .' in CI


def test_demo_command() -> None:
    """README's first command ends with the demo, which CI also runs."""
    assert _command("demo").endswith(".venv/bin/trauma-incidents demo")
    assert 'trauma-incidents" demo' in CI
