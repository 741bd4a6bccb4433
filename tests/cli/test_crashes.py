"""Exit code 3: a run that stops before the end says so, and output errors are not input errors."""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from trauma_incidents import cli
from trauma_incidents.cli import _catalogue, _jobs, _writers
from trauma_incidents.rules import Finding, FindingSeverity, Status

AT = "2026-05-01T09:00:00+01:00"
CRASH = 3


def restraint(incident_id: str) -> dict[str, Any]:
    """A synthetic incident whose restraint, long past at `AT`, owes overdue debriefs."""
    return {
        "id": incident_id,
        "person_id": "P-1",
        "service_id": "S-1",
        "occurred_at": "2026-03-02T09:00:00+00:00",
        "categories": ["behavioural_distress"],
        "severity": "low",
        "interventions": [
            {
                "kind": "physical_restraint",
                "started_at": "2026-03-02T09:00:00+00:00",
                "ended_at": "2026-03-02T09:10:00+00:00",
            }
        ],
    }


def _many(path: Path, first: int) -> str:
    lines = (json.dumps(restraint(f"INC-{i:04d}")) + "\n" for i in range(first, first + 300))
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)


@pytest.fixture
def many(tmp_path: Path) -> str:
    return _many(tmp_path / "many.ndjson", 0)


@pytest.fixture
def more(tmp_path: Path) -> str:
    """Another input, with other ids."""
    return _many(tmp_path / "more.ndjson", 1000)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


class _FailingOut(io.StringIO):
    """A stdout that fails after a few writes, as a full disk or a closed pipe does."""

    def __init__(self, error: OSError, after: int = 1) -> None:
        super().__init__()
        self.error = error
        self.left = after

    def write(self, s: str) -> int:
        self.left -= 1
        if self.left < 0:
            raise self.error
        return super().write(s)


class TestCrashes:
    def test_an_unexpected_exception_exits_3_saying_what_was_lost(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, many: str
    ) -> None:
        def exhausted(*_args: object, **_kwargs: object) -> None:
            raise MemoryError

        monkeypatch.setattr(_jobs, "evaluate_records", exhausted)
        code, _, err = run(capsys, "check", many, "--at", AT, "--format", "ndjson")
        assert code == CRASH
        assert "MemoryError" in err
        assert "output is incomplete" in err
        assert "Traceback" not in err

    def test_a_killed_worker_exits_3(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, many: str
    ) -> None:
        monkeypatch.setattr(_jobs, "_init_worker", _die)
        argv = ("check", many, "--at", AT, "--format", "ndjson", "--jobs", "2")
        code, _, err = run(capsys, *argv)
        assert code == CRASH
        assert "BrokenProcessPool" in err
        assert "output is incomplete" in err

    def test_a_closed_stdin_exits_3(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(sys, "stdin", None)  # as Python sets it when started with <&-
        code, _, err = run(capsys, "check", "-", "--at", AT)
        assert code == CRASH
        assert "stdin is closed" in err

    def test_other_commands_exit_3_too(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken(*_args: object) -> None:
            raise RuntimeError

        monkeypatch.setattr(_catalogue, "catalogue", broken)
        code, _, err = run(capsys, "rules")
        assert code == CRASH
        assert "RuntimeError" in err


def _die(*_args: object) -> None:
    os._exit(9)  # a worker killed (kill -9, the out-of-memory killer)


class TestOutputErrors:
    @pytest.mark.parametrize("fmt", ["ndjson", "csv"])
    def test_a_full_disk_is_an_output_error_not_an_input_error(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        many: str,
        more: str,
        fmt: str,
    ) -> None:
        full = _FailingOut(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
        monkeypatch.setattr(sys, "stdout", full)
        code = cli.main(["check", many, more, "--at", AT, "--format", fmt])
        err = capsys.readouterr().err
        assert code == CRASH
        assert "cannot read this input" not in err
        assert "cannot write the output (No space left on device)" in err

    @pytest.mark.parametrize("fmt", ["ndjson", "csv", "table"])
    def test_a_reader_gone_stops_quietly(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        many: str,
        more: str,
        fmt: str,
    ) -> None:
        monkeypatch.setattr(sys, "stdout", _FailingOut(BrokenPipeError(errno.EPIPE, "")))
        code = cli.main(["check", many, more, "--at", AT, "--format", fmt])
        assert code == CRASH
        assert capsys.readouterr().err == ""

    def test_dev_full(self, many: str) -> None:
        """A real full disk: /dev/full as stdout."""
        with Path("/dev/full").open("w") as full:
            argv = ["check", many, "--at", AT, "--format", "ndjson"]
            done = subprocess.run(_cli(*argv), stdout=full, stderr=subprocess.PIPE, check=False)  # noqa: S603
        err = done.stderr.decode()
        assert done.returncode == CRASH
        assert "cannot write the output (No space left on device)" in err
        assert "Traceback" not in err

    def test_head(self, many: str, more: str) -> None:
        """``| head -1``: the run stops quietly, with 3, when the reader has gone."""
        argv = ["check", many, more, "--at", AT, "--format", "csv"]
        with subprocess.Popen(_cli(*argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE) as p:  # noqa: S603
            assert p.stdout is not None
            assert p.stdout.readline().startswith(b"rule,")
            p.stdout.close()
            _, err = p.communicate()
        assert (p.returncode, err) == (CRASH, b"")


def _cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "trauma_incidents", *argv]


def _finding(incident_id: str) -> Finding:
    return Finding(
        rule="DB001",
        incident_id=incident_id,
        key=None,
        status=Status.OVERDUE,
        severity=FindingSeverity.HIGH,
        due_at=None,
        satisfied_at=None,
        message="m",
    )


@pytest.mark.parametrize("incident_id", ["A\x00B", "A\rB", "A\x1b[2JB", "A\u202eB", "A\x85B"])
def test_csv_writes_control_characters_safely(incident_id: str) -> None:
    """On every version (3.10's csv refuses NUL), control characters are written escaped."""
    out = io.StringIO()
    writer = _writers.CsvWriter(io.StringIO(), out)
    writer.finding(_finding(incident_id))
    [_, row] = out.getvalue().splitlines()
    cell = row.split(",")[1]
    assert cell == incident_id.encode("unicode_escape").decode("ascii")


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"]])
def test_help_documents_exit_code_3(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(argv)
    assert "3 the run stopped before the end" in " ".join(capsys.readouterr().out.split())
