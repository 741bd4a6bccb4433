"""Tests for the command line, called through `main([...])`."""

from __future__ import annotations

import csv
import io
import json
import re
import runpy
import sys
from collections.abc import Iterable, Mapping
from datetime import datetime
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import attrs
import pytest

from trauma_incidents import cli, dump_finding, read_incidents
from trauma_incidents import packs as packs_module
from trauma_incidents.backends.durable import available as durable_available
from trauma_incidents.cli import _check, _jobs, _main, _writers
from trauma_incidents.cli._catalogue import catalogue
from trauma_incidents.cli._demo import DEMO_AT
from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import BackendUnavailableError, PackError, PackLoadError
from trauma_incidents.governance import GovernanceRecords, read_governance
from trauma_incidents.loading import BadRecord, partition
from trauma_incidents.model import Incident
from trauma_incidents.packs import Pack
from trauma_incidents.plans import SupportPlans, read_support_plans
from trauma_incidents.rules import FindingSeverity as Sev
from trauma_incidents.rules import FunctionRule, RuleMeta, Verdict, rule

AT = "2026-05-01T09:00:00+01:00"
#: Free text that must never reach any output.
NARRATIVE = "Zq7 the narrative says he kicked off"
FINDING_KEYS = [
    "rule",
    "incident_id",
    "key",
    "status",
    "severity",
    "due_at",
    "satisfied_at",
    "message",
    "evidence",
    "sources",
    "id",
]


def read_gov(source: Any, **kwargs: Any) -> tuple[GovernanceRecords, tuple[BadRecord, ...]]:
    """The records `read_governance` yields, gathered, and its bad records."""
    good, bad = partition(read_governance(source, **kwargs))
    return GovernanceRecords.from_records(good), bad


def restraint(incident_id: str, ended: str, **extra: Any) -> dict[str, Any]:
    """A synthetic incident with one physical restraint that ended at *ended*."""
    record: dict[str, Any] = {
        "id": incident_id,
        "person_id": "P-1",
        "service_id": "S-1",
        "occurred_at": ended.replace("09:10", "09:00"),
        "categories": ["behavioural_distress"],
        "severity": "low",
        "interventions": [
            {
                "kind": "physical_restraint",
                "started_at": ended.replace("09:10", "09:00"),
                "ended_at": ended,
            },
        ],
    }
    record.update(extra)
    return record


#: Long past at `AT`: everything it owes is overdue.
OLD = restraint("INC-OLD", "2026-03-02T09:10:00+00:00", summary=NARRATIVE, location=NARRATIVE)
#: The day before `AT`: its deadlines are still open.
NEW = restraint("INC-NEW", "2026-04-30T09:10:00+00:00")


def ndjson(*records: Mapping[str, Any] | str) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """An NDJSON file with an old incident, a bad record and a new incident."""
    path = tmp_path / "incidents.ndjson"
    path.write_text(ndjson(OLD, {"id": 5}, NEW), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


class TestCheckFormats:
    def test_table(self, capsys: pytest.CaptureFixture[str], data: Path) -> None:
        """The table lists incident, rule, key, status, due and message, then a summary."""
        code, out, err = run(capsys, "check", str(data), "--at", AT)
        assert code == 2
        lines = out.splitlines()
        assert lines[0].split() == ["INCIDENT", "RULE", "KEY", "STATUS", "DUE", "MESSAGE"]
        assert any(line.startswith("INC-OLD   DB001") and "overdue" in line for line in lines)
        assert any("INC-NEW" in line and " due " in line and "BST" in line for line in lines)
        rows = [line for line in lines[1:] if line.startswith("INC-")]
        summary = lines[-2]
        assert re.match(rf"{len(rows)} findings: \d+ overdue, \d+ due, \d+ missing", summary)
        assert "2 incidents checked at 2026-05-01 09:00 BST" in summary
        assert "1 record could not be read" in summary
        assert lines[-1] == "support plans: none supplied, the plans rules did not run"
        assert f"error: {data}:2: expected a string, got a number @ $.id" in err

    def test_table_without_findings(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """With nothing to report, the table is just the summary."""
        path = write(tmp_path, "quiet.json", json.dumps([NEW]))
        code, out, _ = run(capsys, "check", path, "--at", "2026-01-01T00:00:00Z")
        assert code == 0
        assert out == (
            "0 findings in 1 incident checked at 2026-01-01 00:00 GMT.\n"
            "support plans: none supplied, the plans rules did not run\n"
        )

    def test_json(self, capsys: pytest.CaptureFixture[str], data: Path) -> None:
        """JSON has at, findings, errors and unused waivers; bad records are errors."""
        code, out, err = run(capsys, "check", str(data), "--at", AT, "--format", "json")
        doc = json.loads(out)
        assert code == 2
        assert err == ""
        assert list(doc) == [
            "at", "findings", "waived", "errors", "waivers_unused", "waivers_expired",
        ]  # fmt: skip
        assert doc["at"] == AT
        first = doc["findings"][0]
        assert list(first) == FINDING_KEYS
        assert {
            "rule": "DB001",
            "incident_id": "INC-OLD",
            "key": "0",
            "status": "overdue",
            "severity": "high",
            "due_at": "2026-03-03T09:10:00+00:00",
            "satisfied_at": None,
            "evidence": [
                {"path": "$.interventions[0].ended_at", "value": "2026-03-02T09:10:00+00:00"}
            ],
        }.items() <= first.items()
        assert {"INC-OLD", "INC-NEW"} == {f["incident_id"] for f in doc["findings"]}
        [error] = doc["errors"]
        assert (str(data), 2, "record") == (error["source"], error["line"], error["kind"])
        assert {"path": "$.id", "message": "expected a string, got a number"} in error["problems"]
        assert doc["waivers_unused"] == []

    def test_ndjson(self, capsys: pytest.CaptureFixture[str], data: Path) -> None:
        """NDJSON has one finding per line; problems go to stderr."""
        code, out, err = run(capsys, "check", str(data), "--at", AT, "--format", "ndjson")
        findings = [json.loads(line) for line in out.splitlines()]
        assert code == 2
        assert len(findings) == len({(f["rule"], f["incident_id"], f["key"]) for f in findings})
        assert {"INC-OLD", "INC-NEW"} == {f["incident_id"] for f in findings}
        assert all(list(f) == FINDING_KEYS for f in findings)
        assert "@ $.person_id" in err

    def test_csv(self, capsys: pytest.CaptureFixture[str], data: Path) -> None:
        """CSV has a header and one row per finding, evidence and sources joined."""
        code, out, _ = run(capsys, "check", str(data), "--at", AT, "--format", "csv")
        rows = list(csv.DictReader(io.StringIO(out)))
        assert code == 2
        assert list(rows[0]) == FINDING_KEYS
        assert {"INC-OLD", "INC-NEW"} == {r["incident_id"] for r in rows}
        assert rows[0]["evidence"] == "$.interventions[0].ended_at=2026-03-02T09:10:00+00:00"
        assert rows[0]["sources"] == "NG10-DEBRIEF-IMMEDIATE; DEBRIEF-BENCHMARKS; PPC-REDUCE-2Y"
        assert rows[0]["key"] == "0"
        assert "" in {r["key"] for r in rows}  # a whole-incident finding's null key

    def test_csv_neutralises_formulas(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A cell a spreadsheet would run as a formula is prefixed with a quote."""
        path = write(tmp_path, "f.ndjson", ndjson({**OLD, "id": "=HYPERLINK(1)"}))
        _, out, _ = run(capsys, "check", path, "--at", AT, "--format", "csv")
        rows = list(csv.DictReader(io.StringIO(out)))
        assert {"'=HYPERLINK(1)"} == {r["incident_id"] for r in rows}

    @pytest.mark.parametrize("fmt", ["table", "json", "ndjson", "csv"])
    def test_free_text_never_printed(
        self, capsys: pytest.CaptureFixture[str], data: Path, fmt: str
    ) -> None:
        """Summaries and other free text from records appear in no output."""
        _, out, err = run(capsys, "check", str(data), "--at", AT, "--format", fmt)
        assert "Zq7" not in out + err
        assert "LG001" in out


class TestCheckInputs:
    def test_stdin(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """``-`` reads stdin, named <stdin> in problems."""
        stdin = io.TextIOWrapper(io.BytesIO(ndjson(NEW, "{not json").encode()))
        monkeypatch.setattr(sys, "stdin", stdin)
        code, out, _ = run(capsys, "check", "-", "--at", AT, "--format", "json")
        doc = json.loads(out)
        assert code == 2
        assert {"INC-NEW"} == {f["incident_id"] for f in doc["findings"]}
        assert (doc["errors"][0]["source"], doc["errors"][0]["line"]) == ("<stdin>", 2)
        assert doc["errors"][0]["problems"][0]["message"].startswith("invalid JSON")

    def test_json_array_and_many_paths(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """JSON arrays and NDJSON files can be mixed; every path is read in order."""
        one = write(tmp_path, "one.json", json.dumps([NEW, {"id": "X"}]))
        two = write(tmp_path, "two.ndjson", ndjson(OLD))
        code, out, _ = run(capsys, "check", one, two, "--at", AT, "--format", "json")
        doc = json.loads(out)
        assert code == 2
        assert list(dict.fromkeys(f["incident_id"] for f in doc["findings"])) == [
            "INC-NEW",
            "INC-OLD",
        ]
        [error] = doc["errors"]
        assert (one, None, 1, "X") == (
            error["source"],
            error["line"],
            error["index"],
            error["incident_id"],
        )

    def test_unreadable_path(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A missing file is reported and the other files are still evaluated."""
        good = write(tmp_path, "good.ndjson", ndjson(OLD))
        missing = str(tmp_path / "missing.ndjson")
        code, out, err = run(capsys, "check", missing, good, "--at", AT)
        assert code == 2
        assert f"error: {missing}: cannot read this input: No such file or directory @ $" in err
        assert "INC-OLD" in out
        assert "1 record could not be read" in out

    def test_directory_is_unreadable(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A directory is not an input."""
        code, out, _ = run(capsys, "check", str(tmp_path), "--at", AT, "--format", "json")
        assert code == 2
        assert json.loads(out)["errors"][0]["problems"][0]["path"] == "$"

    def test_empty_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """An empty file has no incidents and no findings."""
        code, out, _ = run(capsys, "check", write(tmp_path, "e.ndjson", ""), "--at", AT)
        assert code == 0
        assert "0 findings in 0 incidents" in out


class TestJobs:
    def test_worker_processes_give_the_same_output_in_the_same_order(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """--jobs 2 splits NDJSON across processes; output and exit code are unchanged."""
        records = [restraint(f"INC-{i:04d}", "2026-04-30T09:10:00+00:00") for i in range(40)]
        records[7] = {"id": 7}
        path = write(tmp_path, "many.ndjson", ndjson(*records))
        argv = ("check", path, "--at", AT, "--format", "ndjson")
        one = run(capsys, *argv, "--jobs", "1")
        two = run(capsys, *argv, "--jobs", "2")
        assert one == two
        assert one[0] == 2
        assert len(one[1].splitlines()) > 40

    def test_small_spans_of_a_file_give_the_same_output(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Workers read spans of the file themselves; line numbers in errors stay right."""
        records = [restraint(f"INC-{i:04d}", "2026-04-30T09:10:00+00:00") for i in range(30)]
        records[21] = {"id": 21}
        path = write(tmp_path, "spans.ndjson", ndjson(*records) + "\n\n{not json")
        argv = ("check", path, "--at", AT, "--format", "json")
        one = run(capsys, *argv, "--jobs", "1")
        monkeypatch.setattr(_jobs, "SPAN_BYTES", 300)  # a few records a span, some cut
        two = run(capsys, *argv, "--jobs", "2")
        assert one == two
        assert [e["line"] for e in json.loads(one[1])["errors"]] == [22, 33]

    @pytest.mark.parametrize("jobs", ["1", "2"])
    def test_stdin_from_a_file_is_read_by_this_process(
        self,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        jobs: str,
    ) -> None:
        """Stdin can be seekable (``< file``), but workers cannot open it: lines are sent."""
        path = write(tmp_path, "in.ndjson", ndjson(NEW, OLD, "{not json"))
        expected = run(capsys, "check", path, "--at", AT, "--format", "json")
        with Path(path).open("rb") as f:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(f))
            argv = ("check", "-", "--at", AT, "--format", "json", "--jobs", jobs)
            code, out, err = run(capsys, *argv)
        assert (code, out.replace("<stdin>", path), err) == expected

    def test_waivers_used_in_workers_are_not_reported_unused(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        path = write(tmp_path, "w.ndjson", ndjson(NEW))
        config = write(
            tmp_path,
            "c.toml",
            '[[waivers]]\nrule = "DB001"\nincident = "INC-NEW"\nreason = "r"\n'
            '[[waivers]]\nrule = "DB001"\nincident = "INC-NONE"\nreason = "r"\n',
        )
        argv = ("check", path, "--at", AT, "--config", config, "--format", "json", "--jobs", "2")
        _, out, _ = run(capsys, *argv)
        assert [w["incident_id"] for w in json.loads(out)["waivers_unused"]] == ["INC-NONE"]

    def test_a_json_array_is_read_in_process(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        path = write(tmp_path, "a.json", json.dumps([NEW, OLD]))
        one = run(capsys, "check", path, "--at", AT, "--format", "json", "--jobs", "1")
        two = run(capsys, "check", path, "--at", AT, "--format", "json", "--jobs", "2")
        assert one == two

    @pytest.mark.parametrize("value", ["0", "-1", "x", "257"])
    def test_bad_jobs(self, capsys: pytest.CaptureFixture[str], data: Path, value: str) -> None:
        with pytest.raises(SystemExit) as info:
            cli.main(["check", str(data), "--jobs", value])
        assert info.value.code == 2
        assert "expected a whole number of processes from 1 to 256" in capsys.readouterr().err


class TestExitCodes:
    @pytest.fixture
    def good(self, tmp_path: Path) -> str:
        return write(tmp_path, "good.ndjson", ndjson(OLD, NEW))

    @pytest.mark.parametrize(
        ("fail_on", "expected"),
        [
            ([], 1),
            (["--fail-on", "overdue"], 1),
            (["--fail-on", "never"], 0),
            (["--fail-on", "due,missing"], 1),
            (["--fail-on", "late"], 0),
            (["--fail-on", "late, unknown"], 0),
            (["--fail-on", "concern"], 1),
        ],
        ids=["default", "overdue", "never", "due-missing", "late", "spaces", "concern"],
    )
    def test_fail_on(
        self,
        capsys: pytest.CaptureFixture[str],
        good: str,
        fail_on: list[str],
        expected: int,
    ) -> None:
        """Exit 1 when a finding has a --fail-on status, else 0."""
        code, _, _ = run(capsys, "check", good, "--at", AT, *fail_on)
        assert expected == code

    def test_fail_on_due_only_new(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """An incident with open deadlines fails on due but not on the default."""
        path = write(tmp_path, "new.ndjson", ndjson(NEW))
        assert run(capsys, "check", path, "--at", AT, "--fail-on", "due")[0] == 1
        assert run(capsys, "check", path, "--at", AT)[0] == 0

    def test_bad_fail_on(self, capsys: pytest.CaptureFixture[str], good: str) -> None:
        """An unknown status is a usage error, as argparse reports them."""
        with pytest.raises(SystemExit) as exc:
            cli.main(["check", good, "--fail-on", "overdue,soon"])
        assert exc.value.code == 2
        assert "expected 'never' or statuses from: due, overdue" in capsys.readouterr().err

    def test_naive_at(self, capsys: pytest.CaptureFixture[str], good: str) -> None:
        """A time without a UTC offset is ambiguous, so it is an error."""
        code, out, err = run(capsys, "check", good, "--at", "2026-05-01T09:00:00")
        assert code == 2
        assert out == ""
        assert "--at '2026-05-01T09:00:00' has no UTC offset" in err

    def test_bad_at(self, capsys: pytest.CaptureFixture[str], good: str) -> None:
        """A time that cannot be read is an error."""
        code, _, err = run(capsys, "check", good, "--at", "tomorrow")
        assert code == 2
        assert "is not an ISO 8601 date-time" in err

    def test_at_with_z(self, capsys: pytest.CaptureFixture[str], good: str) -> None:
        """A trailing Z means UTC, on every Python version."""
        code, out, _ = run(
            capsys, "check", good, "--at", "2026-05-01T08:00:00Z", "--format", "json"
        )
        assert code == 1
        assert json.loads(out)["at"] == "2026-05-01T08:00:00+00:00"

    def test_at_defaults_to_now(self, capsys: pytest.CaptureFixture[str], good: str) -> None:
        """Without --at the run is evaluated now, in UTC."""
        code, out, _ = run(capsys, "check", good, "--format", "json")
        at = datetime.fromisoformat(json.loads(out)["at"])
        assert code == 1
        assert at.utcoffset() is not None
        assert at.year >= 2026


class TestConfig:
    def test_bad_config(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, data: Path
    ) -> None:
        """Every problem of a bad configuration is reported, and nothing is evaluated."""
        config = write(
            tmp_path,
            "c.toml",
            'packs = ["core", "nope"]\n[rules.DB001]\nwithin = "soon"\n[rules.ZZ999]\n',
        )
        code, out, err = run(capsys, "check", str(data), "--config", config, "--at", AT)
        assert code == 2
        assert out == ""
        assert "unknown pack 'nope'" in err
        assert "rules.DB001.within" in err
        assert "rules.ZZ999: no such rule" in err

    def test_invalid_toml(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A configuration that is not TOML is reported."""
        config = write(tmp_path, "c.toml", "packs = [")
        code, _, err = run(capsys, "check", "-", "--config", config)
        assert code == 2
        assert "not valid TOML" in err

    def test_missing_config(self, capsys: pytest.CaptureFixture[str], data: Path) -> None:
        """A configuration file that cannot be read is reported."""
        code, _, err = run(capsys, "check", str(data), "--config", "/nonexistent/c.toml")
        assert code == 2
        assert "cannot read" in err

    def test_config_options_and_waivers(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Options and waivers apply; a waiver that matched nothing is listed."""
        config = write(
            tmp_path,
            "c.toml",
            'packs = ["core"]\n'
            '[rules.DB001]\nwithin = "2000h"\n'
            "[rules.LG001]\nenabled = false\n"
            '[[waivers]]\nrule = "DB002"\nincident = "INC-OLD"\nreason = "Zq7 private"\n'
            '[[waivers]]\nrule = "RI005"\nincident = "INC-OLD"\nreason = "unused"\n',
        )
        path = write(tmp_path, "d.ndjson", ndjson(OLD))
        code, out, _ = run(
            capsys, "check", path, "--config", config, "--at", AT, "--format", "json"
        )
        doc = json.loads(out)
        rules = {f["rule"]: f["status"] for f in doc["findings"]}
        assert code == 1
        assert rules["DB001"] == "due"
        assert not {"DB002", "LG001", "NT002"} & set(rules)
        assert doc["waivers_unused"] == [
            {"rule": "RI005", "incident_id": "INC-OLD", "finding_id": None, "expires": None}
        ]
        assert "Zq7" not in out

    @pytest.mark.parametrize("jobs", ["1", "2"])
    def test_json_lists_waived_findings_with_their_waiver_and_expired_ones(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, jobs: str
    ) -> None:
        config = write(
            tmp_path,
            "c.toml",
            '[[waivers]]\nrule = "DB002"\nincident = "INC-OLD"\nreason = "Zq7 private"\n'
            'expires = "2027-01-01T00:00:00Z"\n'
            '[[waivers]]\nrule = "DB001"\nincident = "INC-OLD"\nreason = "Zq7 private"\n'
            'expires = "2026-01-01T00:00:00Z"\n',
        )
        path = write(tmp_path, "d.ndjson", ndjson(OLD))
        argv = ("check", path, "--config", config, "--at", AT, "--format", "json")
        _, out, _ = run(capsys, *argv, "--jobs", jobs)
        doc = json.loads(out)
        [waived] = doc["waived"]
        assert (waived["finding"]["rule"], waived["finding"]["incident_id"]) == ("DB002", "INC-OLD")
        assert waived["waiver"] == {
            "rule": "DB002", "incident_id": "INC-OLD", "finding_id": None,
            "expires": "2027-01-01T00:00:00+00:00",
        }  # fmt: skip
        assert [w["rule"] for w in doc["waivers_expired"]] == ["DB001"]
        assert doc["waivers_unused"] == []
        assert "Zq7" not in out
        _, out, err = run(capsys, "check", path, "--config", config, "--at", AT)
        assert "1 waiver expired" in out
        assert (
            "warning: the waiver for DB001 on INC-OLD expired at 2026-01-01T00:00:00+00:00" in err
        )
        assert "matched no finding" not in err

    def test_fail_on_unused_waiver(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        config = write(
            tmp_path, "c.toml", '[[waivers]]\nrule = "RI005"\nincident = "INC-OLD"\nreason = "r"\n'
        )
        path = write(tmp_path, "d.ndjson", ndjson(OLD))
        argv = ("check", path, "--config", config, "--at", AT, "--fail-on", "never")
        assert run(capsys, *argv)[0] == 0
        assert run(capsys, *argv, "--fail-on-unused-waiver")[0] == 1

    def test_table_reports_waivers(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """The table's summary counts waived findings and unused waivers."""
        config = write(
            tmp_path,
            "c.toml",
            '[[waivers]]\nrule = "DB002"\nincident = "INC-OLD"\nreason = "r"\n'
            '[[waivers]]\nfinding = "0000000000000000"\nreason = "r"\n',
        )
        path = write(tmp_path, "d.ndjson", ndjson(OLD))
        _, out, err = run(capsys, "check", path, "--config", config, "--at", AT)
        assert "1 finding waived; 1 waiver unused." in out
        assert "warning: the waiver for finding 0000000000000000 matched no finding" in err


_COMPILE = RuleSet.compile


@rule(
    RuleMeta(
        code="ZZ001",
        name="always-fails",
        summary="s",
        rationale="r",
        example="e",
        severity=Sev.LOW,
        sources=("local policy",),
    )
)
def _broken(_i: Incident, _at: datetime, _o: Mapping[str, Any]) -> Iterable[Verdict]:
    raise KeyError(NARRATIVE)


def _failing_ruleset(_config: Config | None = None) -> RuleSet:
    """The default rules plus one that always raises."""
    pack = Pack(name="x", version="1", description="d", rules=(_broken,))
    faulty = _COMPILE(Config(packs=("x",)), packs={"x": pack})
    return RuleSet(rules=(*_COMPILE(None).rules, *faulty.rules))


class TestRuleFaults:
    @pytest.mark.parametrize("fmt", ["json", "table"])
    def test_fault_reported(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        data: Path,
        fmt: str,
    ) -> None:
        """A rule that raises is reported with its type only; the others still run."""
        monkeypatch.setattr(RuleSet, "compile", staticmethod(_failing_ruleset))
        code, out, err = run(capsys, "check", str(data), "--at", AT, "--format", fmt)
        assert code == 2
        assert "Zq7" not in out + err
        if fmt == "json":
            faults = [e for e in json.loads(out)["errors"] if e["kind"] == "rule"]
            assert faults[0] == {
                "kind": "rule",
                "rule": "ZZ001",
                "incident_id": "INC-OLD",
                "error": "KeyError",
            }
            assert len(faults) == 2
        else:
            assert "error: rule ZZ001 failed on incident 'INC-OLD' (KeyError)" in err
            assert "2 rule errors" in out


def test_strict_config_stops_at_a_fault(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With strict = true the first rule fault ends the run with 2, naming rule and incident."""

    def strict(config: Config | None = None) -> RuleSet:
        return attrs.evolve(_failing_ruleset(config), strict=True)

    monkeypatch.setattr(RuleSet, "compile", staticmethod(strict))
    path = write(tmp_path, "d.ndjson", ndjson(OLD))
    code, _, err = run(capsys, "check", path, "--at", AT)
    assert code == 2
    assert "error: rule ZZ001 failed on incident 'INC-OLD': KeyError" in err
    assert "Zq7" not in err


def test_pack_conflict_is_a_config_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A pack file that cannot be read is reported like a bad configuration."""
    config = write(tmp_path, "c.toml", 'pack_files = ["missing.toml"]\n')
    code, out, err = run(capsys, "check", "-", "--config", config, "--at", AT)
    assert code == 2
    assert out == ""
    assert "missing.toml" in err


class TestProgress:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    def test_silent_off_a_terminal(self) -> None:
        """Nothing is drawn when stderr is not a terminal."""
        err = io.StringIO()
        progress = _writers.Progress(err, 100)
        progress._start -= 10
        progress.update(50, 3)
        progress.close()
        assert err.getvalue() == ""

    def test_drawn_on_a_terminal_after_a_second(self) -> None:
        """A terminal gets a bar once the run has taken a second, erased at the end."""
        err = self.Tty()
        progress = _writers.Progress(err, 100)
        progress.update(10, 1)
        assert err.getvalue() == ""
        progress._start -= 10
        progress.update(50, 3)
        progress.update(60, 4)  # too soon after the last: not drawn
        progress.close()
        drawn = err.getvalue()
        assert "[###############               ]  50% 3 incidents" in drawn
        assert "60%" not in drawn
        assert drawn.endswith("\r")

    def test_unknown_size(self) -> None:
        """Without a size (stdin) the line counts incidents."""
        assert _writers.progress_line(5, None, 1) == "checking: 1 incident"


class TestCatalogueCommands:
    def test_rules_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The table lists every rule with pack, severity, options, sources and summary."""
        code, out, _ = run(capsys, "rules")
        lines = out.splitlines()
        assert code == 0
        assert lines[0].split()[:4] == ["CODE", "NAME", "PACK", "SEVERITY"]
        assert len(catalogue()) + 1 == len(lines)
        db004 = next(line for line in lines if line.startswith("DB004"))
        assert "topics=timeline, early_warning_signs, communication" in db004
        nt003 = next(line for line in lines if line.startswith("NT003"))
        assert "england" in nt003
        assert "incapacity_days=7" in nt003

    def test_rules_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """JSON gives every rule's metadata, options with defaults, and sources."""
        code, out, _ = run(capsys, "rules", "--format", "json")
        rules = json.loads(out)
        assert code == 0
        assert [e.meta.code for e in catalogue()] == [r["code"] for r in rules]
        db004 = next(r for r in rules if r["code"] == "DB004")
        assert db004["options"][0]["default"] == [
            "timeline",
            "early_warning_signs",
            "communication",
        ]

    def test_rules_markdown(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Markdown is the text of docs/rules.md."""
        code, out, _ = run(capsys, "rules", "--format", "markdown")
        assert code == 0
        assert out.startswith("# Rule catalogue")
        assert "## DB001: staff-debrief" in out

    def test_explain_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        """explain shows one rule; codes are case-insensitive."""
        code, out, _ = run(capsys, "explain", "nt003")
        assert code == 0
        assert out.startswith("NT003 riddor (pack england, default severity high)")
        assert "What it flags:" in out
        assert "incapacitated_within (duration, default 15d)" in out
        assert "Sources: RIDDOR-TIMES, RIDDOR-HSC" in out

    def test_explain_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """explain --format json prints the rule's metadata."""
        code, out, _ = run(capsys, "explain", "DB001", "--format", "json")
        meta = json.loads(out)
        assert code == 0
        assert (
            meta["code"],
            meta["name"],
            meta["pack"],
            meta["severity"],
        ) == ("DB001", "staff-debrief", "core", "high")
        assert meta["options"] == [
            {
                "name": "within",
                "kind": "duration",
                "default": "24h",
                "help": "How long after the anchor the deadline falls.",
            },
            {
                "name": "episode_gap",
                "kind": "elapsed",
                "default": "1h",
                "help": (
                    "Restrictive interventions closer than this are one episode (set at the top"
                    " level of the configuration, shared by every rule about episodes)."
                ),
            },
        ]
        assert meta["changes"][0]["version"] == "2.0"

    def test_explain_unknown(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown code is an error that says how to list the codes."""
        code, out, err = run(capsys, "explain", "XX999")
        assert code == 2
        assert out == ""
        assert "no rule with code 'XX999' (list them with: trauma-incidents rules)" in err

    def test_schema(self, capsys: pytest.CaptureFixture[str]) -> None:
        """schema prints the loader's JSON Schema."""
        from trauma_incidents.loading import incident_schema  # noqa: PLC0415

        code, out, _ = run(capsys, "schema")
        assert code == 0
        assert incident_schema() == json.loads(out)
        assert "id" in json.loads(out)["properties"]


class TestDemo:
    def test_demo(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The demo checks the sample data at a fixed time and explains the findings."""
        code, out, _ = run(capsys, "demo")
        assert code == 0
        assert "at 2026-05-01 09:00 BST" in out
        for heading in ("Findings by status:", "Findings by rule:", "Overdue, oldest", "Notes:"):
            assert heading in out
        assert "overdue: its deadline has passed" in out
        assert "and the sample support plans (11 versions for 9 people)." in out
        assert "PL001 plan-in-force" in out

    def test_demo_time(self) -> None:
        """The demo's time is fixed and aware."""
        assert DEMO_AT.isoformat() == "2026-05-01T09:00:00+01:00"


class TestArgparse:
    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--version prints the installed version."""
        with pytest.raises(SystemExit) as exc:
            cli.main(["--version"])
        assert exc.value.code == 0
        assert capsys.readouterr().out.startswith("trauma-incidents 0.")

    @pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["rules", "-h"]])
    def test_help(self, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
        """--help prints usage and exits 0."""
        with pytest.raises(SystemExit) as exc:
            cli.main(argv)
        assert exc.value.code == 0
        assert "usage: trauma-incidents" in capsys.readouterr().out

    @pytest.mark.parametrize("argv", [[], ["frobnicate"], ["check"], ["rules", "--format", "x"]])
    def test_usage_errors(self, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
        """Unknown commands and missing arguments exit 2 with usage."""
        with pytest.raises(SystemExit) as exc:
            cli.main(argv)
        assert exc.value.code == 2
        assert "usage: trauma-incidents" in capsys.readouterr().err

    def test_python_m(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """python -m trauma_incidents runs main and exits with its code."""
        monkeypatch.setattr(sys, "argv", ["trauma_incidents", "explain", "DB001"])
        with pytest.raises(SystemExit) as exc:
            runpy.run_module("trauma_incidents", run_name="__main__")
        assert exc.value.code == 0
        assert capsys.readouterr().out.startswith("DB001 staff-debrief")

    def test_broken_pipe(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A reader that goes away (| head) ends the run quietly with 3: the output is cut."""

        def gone(_args: object) -> int:
            raise BrokenPipeError

        monkeypatch.setattr(_main, "_rules", gone)
        assert cli.main(["rules"]) == 3
        assert capsys.readouterr().err == ""


PRIVATE_TEXT = "Zq9 private detail from a broken pack"


def _install(monkeypatch: pytest.MonkeyPatch, **packs: Pack | Exception) -> None:
    """Pretend each of *packs* is installed: a pack, or an entry point raising the error."""
    eps = [EntryPoint(name=n, value=f"x:{n}", group="trauma_incidents.packs") for n in packs]

    def load(ep: EntryPoint) -> Pack:
        got = packs[ep.name]
        if isinstance(got, Exception):
            name = f"dist[{ep.name}]"
            raise PackLoadError(name, got, entry_point=ep.name)
        return got

    monkeypatch.setattr(packs_module, "find_entry_points", lambda: eps)
    monkeypatch.setattr(packs_module, "load_entry_point", load)


class TestInstalledPacks:
    def test_rules_and_explain_include_installed_packs(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A pack installed through the entry point group is listed and explained."""
        pack = Pack(
            name="la-test", version="1", description="d", rules=(_broken_rule(),), prefixes=("LA",)
        )
        _install(monkeypatch, **{"la-test": pack})
        code, out, _ = run(capsys, "rules", "--format", "json")
        assert code == 0
        assert "LA001" in [r["code"] for r in json.loads(out)]
        code, out, _ = run(capsys, "explain", "la001")
        assert (code, out.splitlines()[0].split()[0]) == (0, "LA001")

    def test_a_broken_pack_not_enabled_is_listed_and_stops_nothing(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        _install(monkeypatch, wales=ImportError(PRIVATE_TEXT))
        code, out, _ = run(capsys, "rules")
        assert code == 0
        assert (
            "broken pack wales (not loaded; enabling it is an error):"
            " pack dist[wales] failed to load (ImportError)"
        ) in out
        assert "DB001" in out
        data = write(tmp_path, "in.ndjson", json.dumps(restraint("INC-1", AT)) + "\n")
        code, out, err = run(capsys, "check", data, "--at", AT, "--fail-on", "never")
        assert code == 0
        assert PRIVATE_TEXT not in out + err
        assert run(capsys, "explain", "DB001")[0] == 0

    def test_a_broken_pack_enabled_is_an_error_naming_only_its_type(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        _install(monkeypatch, wales=ValueError(PRIVATE_TEXT))
        config = write(tmp_path, "c.toml", 'packs = ["core", "wales"]\n')
        data = write(tmp_path, "in.ndjson", json.dumps(restraint("INC-1", AT)) + "\n")
        code, out, err = run(capsys, "check", data, "--at", AT, "--config", config)
        assert code == 2
        assert "pack dist[wales] failed to load (ValueError)" in err
        assert PRIVATE_TEXT not in out + err


def test_a_pack_failing_the_library_s_checks_shows_its_problems(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library's own problems name keys and lines, so an author can fix the pack."""
    problem = "line 28: rules[0].evidence.recipients[0]: 'ciww' is not one of cqc, ..."
    _install(monkeypatch, wales=PackError("rules.toml: invalid pack", [problem]))
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert f"pack dist[wales] failed to load (PackError)\n  {problem}" in out


def _broken_rule() -> FunctionRule:
    meta = RuleMeta(
        code="LA001",
        name="local-rule",
        summary="s",
        rationale="r",
        example="e",
        severity=Sev.LOW,
        sources=("local policy",),
    )
    return FunctionRule(meta, lambda _i, _at, _o: ())


class TestGovernance:
    SAMPLE = (
        Path(__file__).resolve().parents[2] / "src/trauma_incidents/data/sample_incidents.ndjson"
    )
    RECORDS = Path(__file__).resolve().parents[1] / "data" / "sample_governance.json"

    def config(self, tmp_path: Path) -> str:
        return write(tmp_path, "g.toml", 'packs = ["core", "england", "governance"]\n')

    def test_cross_incident_rules_run_over_the_whole_input(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """check gives the governance findings RuleSet.evaluate gives over the same batch."""
        argv = ["check", str(self.SAMPLE), "--at", AT, "--format", "json", "--fail-on", "never"]
        argv += ["--config", self.config(tmp_path), "--governance", str(self.RECORDS)]
        code, out, _ = run(capsys, *argv, "--jobs", "2")
        found = [f for f in json.loads(out)["findings"] if f["rule"].startswith("GV")]
        ruleset = RuleSet.compile(Config(packs=("core", "england", "governance")))
        records, _ = read_gov(self.RECORDS)
        incidents = [r for r in read_incidents(self.SAMPLE) if isinstance(r, Incident)]
        report = ruleset.evaluate(incidents, at=datetime.fromisoformat(AT), records=records)
        expected = [dump_finding(f) for f in report.findings if f.rule.startswith("GV")]
        assert code == 0
        assert found == expected
        assert len(found) > 0

    def test_a_bad_governance_record_is_reported_and_the_run_goes_on(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """As in ``report``: the good records are kept and every incident is evaluated."""
        data = json.loads(self.RECORDS.read_text(encoding="utf-8"))
        data["meetings"].insert(0, {"id": 5})
        bad = write(tmp_path, "bad.json", json.dumps(data))
        argv = ["check", str(self.SAMPLE), "--at", AT, "--format", "json", "--fail-on", "never"]
        argv += ["--config", self.config(tmp_path)]
        code, out, err = run(capsys, *argv, "--governance", bad)
        _, expected, _ = run(capsys, *argv, "--governance", str(self.RECORDS))
        doc = json.loads(out)
        assert code == 2
        assert [e["problems"][0]["path"] for e in doc["errors"]] == ["$.meetings[0].id"]
        assert doc["findings"] == json.loads(expected)["findings"]
        assert any(f["rule"].startswith("GV") for f in doc["findings"])
        assert err == ""

    def test_an_unreadable_governance_file_is_an_error(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        missing = str(tmp_path / "missing.json")
        code, _, err = run(capsys, "check", str(self.SAMPLE), "--governance", missing, "--at", AT)
        assert code == 2
        assert "missing.json: cannot read" in err


class TestPlans:
    SAMPLE = TestGovernance.SAMPLE
    PLANS = Path(__file__).resolve().parents[1] / "data" / "support_plans.ndjson"
    NOTE = "support plans: none supplied, the plans rules did not run"

    def test_the_plans_rules_run_over_the_whole_input(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """check gives the plans findings RuleSet.evaluate gives with the same plans."""
        argv = ["check", str(self.SAMPLE), "--at", AT, "--format", "json", "--fail-on", "never"]
        code, out, _ = run(capsys, *argv, "--plans", str(self.PLANS))
        found = [f for f in json.loads(out)["findings"] if f["rule"].startswith("PL")]
        good, _ = partition(read_support_plans(self.PLANS))
        incidents = [r for r in read_incidents(self.SAMPLE) if isinstance(r, Incident)]
        report = RuleSet.compile().evaluate(
            incidents, at=datetime.fromisoformat(AT), plans=SupportPlans.from_records(good)
        )
        expected = [dump_finding(f) for f in report.findings if f.rule.startswith("PL")]
        assert code == 0
        assert found == expected
        assert {f["rule"] for f in found} >= {"PL001", "PL003", "PL004", "PL007"}

    def test_without_plans_the_summary_says_the_plans_rules_did_not_run(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        argv = ["check", str(self.SAMPLE), "--at", AT, "--fail-on", "never"]
        _, without, _ = run(capsys, *argv)
        _, given, _ = run(capsys, *argv, "--plans", str(self.PLANS))
        core = write(tmp_path, "core.toml", 'packs = ["core", "england"]\n')
        _, unasked, _ = run(capsys, *argv, "--config", core)
        assert without.splitlines()[-1] == self.NOTE
        assert not any(line.startswith("PL") for line in without.split())
        assert self.NOTE not in given
        assert any(" PL00" in line for line in given.splitlines())
        assert self.NOTE not in unasked  # the plans pack is not enabled: nothing to say

    def test_empty_plans_are_plans_given(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """An empty file means "no one has a plan": PL001 flags every restriction."""
        empty = write(tmp_path, "none.ndjson", "")
        argv = ["check", str(self.SAMPLE), "--at", AT, "--format", "json", "--fail-on", "never"]
        code, out, _ = run(capsys, *argv, "--plans", empty)
        rules = {f["rule"] for f in json.loads(out)["findings"]}
        assert code == 0
        assert "PL001" in rules

    def test_a_bad_support_plan_is_reported_and_the_run_goes_on(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """As a bad governance record is: exit 2, the good plans kept, every incident checked."""
        text = '{"id": 5}\n' + self.PLANS.read_text(encoding="utf-8")
        bad = write(tmp_path, "bad.ndjson", text)
        argv = ["check", str(self.SAMPLE), "--at", AT, "--format", "json", "--fail-on", "never"]
        code, out, err = run(capsys, *argv, "--plans", bad)
        _, expected, _ = run(capsys, *argv, "--plans", str(self.PLANS))
        doc = json.loads(out)
        assert code == 2
        assert [(e["source"], e["line"]) for e in doc["errors"]] == [(bad, 1)]
        assert {p["path"] for p in doc["errors"][0]["problems"]} == {
            "$.id",
            "$.person_id",
            "$.effective_from",
        }
        assert doc["findings"] == json.loads(expected)["findings"]
        assert err == ""

    def test_bad_plans_and_bad_governance_records_are_all_reported(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        plans = write(tmp_path, "bad.ndjson", '{"id": 5}\n')
        records = write(tmp_path, "bad.json", '{"meetings": [{"id": 5}]}')
        argv = ["check", str(self.SAMPLE), "--at", AT, "--fail-on", "never"]
        code, _, err = run(capsys, *argv, "--plans", plans, "--governance", records)
        assert code == 2
        named = [line.split(":")[1].strip() for line in err.splitlines()]
        assert named == sorted(named, key=[records, plans].index)
        assert set(named) == {records, plans}

    def test_an_unreadable_plans_file_is_an_error(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        missing = str(tmp_path / "missing.ndjson")
        code, out, err = run(capsys, "check", str(self.SAMPLE), "--plans", missing, "--at", AT)
        assert code == 2
        assert out == ""
        assert "missing.ndjson: cannot read" in err


class TestBackend:
    SAMPLE = TestGovernance.SAMPLE

    @pytest.mark.parametrize("plans", [[], ["--plans", str(TestPlans.PLANS)]], ids=["", "plans"])
    def test_durable_gives_the_python_findings(
        self, capsys: pytest.CaptureFixture[str], plans: list[str]
    ) -> None:
        """The same findings, the plans rules' too (they run in Python beside durable_rules)."""
        if not durable_available():
            pytest.skip("durable-rules is not installed here")
        argv = ["check", str(self.SAMPLE), "--at", AT, "--format", "json", "--fail-on", "never"]
        argv += plans
        python = run(capsys, *argv)
        durable = run(capsys, *argv, "--backend", "durable")
        assert durable == python
        assert len(json.loads(python[1])["findings"]) > 20

    def test_an_unavailable_backend_fails_at_once(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def unavailable(_ruleset: RuleSet, backend: str = "python") -> None:
            raise BackendUnavailableError(backend, "cannot import it here")

        monkeypatch.setattr(_check, "make_engine", unavailable)
        code, out, err = run(capsys, "check", str(self.SAMPLE), "--backend", "durable")
        assert code == 2
        assert out == ""
        assert "backend='durable' is unavailable: cannot import it here;" in err


def test_explain_as_markdown_is_the_catalogue_section(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "DB001", "--format", "markdown")
    assert code == 0
    assert out.startswith("## DB001: staff-debrief\n")
    assert "in force always." in out
    _, table, _ = run(capsys, "explain", "DB001")
    assert "In force: always (pack always; rule always)" in table
