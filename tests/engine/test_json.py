"""Findings and reports as JSON: both ways for findings, with shipped schemas that are current."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any, get_type_hints

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import trauma_incidents as ti
from trauma_incidents import cli
from trauma_incidents.config import Config, Waiver
from trauma_incidents.engine import RuleSet
from trauma_incidents.engine._json import FindingDict, RecordErrorDict, ReportDict, finding_line
from trauma_incidents.engine._schemas import finding_schema, report_schema, schema_json
from trauma_incidents.errors import FindingLoadError
from trauma_incidents.loading import partition, read_incidents
from trauma_incidents.model import Incident
from trauma_incidents.rules import Evidence
from trauma_incidents.strategies import incidents, times
from trauma_incidents.testing import T0, days, incident, restraint

DATA = files("trauma_incidents") / "data"
FINDINGS = Draft202012Validator(finding_schema())
REPORTS = Draft202012Validator(report_schema())
RULES = RuleSet.compile(Config())


@given(
    batch=st.lists(incidents(around=T0), min_size=1, max_size=3, unique_by=lambda i: i.id),
    at=times(after=T0 - days(2), within=timedelta(days=120)),
)
def test_findings_round_trip_and_match_the_schema(batch: list[Incident], at: Any) -> None:
    """``load_finding(dump_finding(f)) == f``, through JSON text and from the dict."""
    report = RULES.evaluate(batch, at=at)

    for f in report.findings:
        dumped = ti.dump_finding(f)
        FINDINGS.validate(dumped)
        assert ti.load_finding(orjson.dumps(dumped)) == f
        assert ti.load_finding(dumped) == f
    REPORTS.validate(ti.dump_report(report))


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.text())
_TIMES = st.none() | st.datetimes(timezones=st.timezones())
_FINDINGS = st.builds(
    ti.Finding,
    rule=st.text(min_size=1),
    incident_id=st.text(min_size=1),
    key=st.none() | st.text(),
    status=st.sampled_from(ti.Status),
    severity=st.sampled_from(ti.FindingSeverity),
    due_at=_TIMES,
    satisfied_at=_TIMES,
    message=st.text(),
    evidence=st.lists(st.builds(Evidence, path=st.text(), value=_VALUES)).map(tuple),
    sources=st.lists(st.text()).map(tuple),
)


@given(_FINDINGS)
def test_a_finding_line_is_its_dict_written_by_orjson(f: ti.Finding) -> None:
    """The NDJSON writers' lines are `dump_finding` dumped, byte for byte, for any finding."""
    assert finding_line(f) == orjson.dumps(ti.dump_finding(f)).decode() + "\n"


def some_finding() -> ti.Finding:
    report = RULES.evaluate([incident(interventions=(restraint(),))], at=T0 + days(3))
    return next(f for f in report.findings if f.due_at is not None)


def test_load_finding_reports_every_problem_with_its_path() -> None:
    """Wrong types, unknown keys and missing fields are listed together, by path."""
    bad: dict[str, Any] = dict(ti.dump_finding(some_finding()))
    bad["status"] = "vanished"
    bad["due_at"] = "2026-03-02T10:00:00"  # naive
    bad["evidence"] = [{"path": 3, "value": None}]
    bad["colour"] = "red"
    del bad["message"]

    with pytest.raises(FindingLoadError) as caught:
        ti.load_finding(bad)

    paths = {p.path for p in caught.value.problems}
    assert paths == {"$.status", "$.due_at", "$.evidence[0].path", "$.message", "$.colour"}


def test_load_finding_checks_its_id() -> None:
    """A finding whose id is not the one its rule, incident and key give is refused."""
    bad = {**ti.dump_finding(some_finding()), "id": "0000000000000000"}

    with pytest.raises(FindingLoadError, match="id") as caught:
        ti.load_finding(bad)

    assert [p.path for p in caught.value.problems] == ["$.id"]


def test_load_finding_refuses_invalid_json_without_echoing_it() -> None:
    """Invalid JSON is one problem at ``$``; a list is not a finding."""
    with pytest.raises(FindingLoadError) as caught:
        ti.load_finding(b'{"rule": "DB001", "message": "private words"')
    assert "private" not in str(caught.value)
    assert [p.path for p in caught.value.problems] == ["$"]

    with pytest.raises(FindingLoadError, match="expected an object"):
        ti.load_finding(b"[]")


def test_dump_report_is_the_check_json_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Findings, bad records and unused waivers: `dump_report` writes what ``check`` writes."""
    good = ti.dump_incident(incident(interventions=(restraint(),)))
    path = tmp_path / "incidents.ndjson"
    path.write_bytes(orjson.dumps(good) + b"\n" + b'{"id": 5}\n')
    config = tmp_path / "config.toml"
    config.write_text(
        '[[waivers]]\nrule = "DB001"\nincident = "nobody"\nreason = "synthetic"\n',
        encoding="utf-8",
    )
    at = T0 + days(3)

    code = cli.main(
        ["check", str(path), "--format", "json", "--at", at.isoformat(), "--config", str(config)]
    )
    written = orjson.loads(capsys.readouterr().out)
    incidents_, bad = partition(read_incidents(path))
    waiver = Waiver(reason="synthetic", rule="DB001", incident_id="nobody")
    report = RuleSet.compile(Config(waivers=(waiver,))).evaluate(incidents_, at=at)
    dumped = ti.dump_report(report, bad)

    assert code != 0
    assert written["errors"][0]["kind"] == "record"
    assert written["waivers_unused"] == [
        {"rule": "DB001", "incident_id": "nobody", "finding_id": None, "expires": None}
    ]
    assert orjson.loads(orjson.dumps(dumped)) == written
    REPORTS.validate(dumped)


def test_dump_report_lists_waived_findings_and_expired_waivers_as_check_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A waiver that set a finding aside and one that had expired: the same document."""
    good = incident(interventions=(restraint(),))
    path = tmp_path / "incidents.ndjson"
    path.write_bytes(orjson.dumps(ti.dump_incident(good)) + b"\n")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[waivers]]\nrule = "DB001"\nincident = "{good.id}"\nreason = "synthetic"\n'
        '[[waivers]]\nrule = "DB001"\nincident = "nobody"\nreason = "synthetic"\n'
        'expires = "2000-01-01"\n',
        encoding="utf-8",
    )
    at = T0 + days(3)

    cli.main(
        ["check", str(path), "--format", "json", "--at", at.isoformat(), "--config", str(config)]
    )
    written = orjson.loads(capsys.readouterr().out)
    report = RuleSet.compile(Config.from_file(config)).evaluate([good], at=at)
    dumped = ti.dump_report(report)

    assert [w["finding"]["rule"] for w in written["waived"]] == ["DB001"]
    assert "reason" not in written["waived"][0]["waiver"]
    assert [w["incident_id"] for w in written["waivers_expired"]] == ["nobody"]
    assert written["waivers_unused"] == []
    assert orjson.loads(orjson.dumps(dumped)) == written
    REPORTS.validate(dumped)


def test_typed_dicts_name_the_dumped_keys() -> None:
    """`FindingDict`, `ReportDict` and the error dicts have exactly the dumped keys."""
    bad = next(iter(partition(read_incidents(b'{"id": 5}\n'))[1]))
    report = ti.dump_report(RULES.evaluate([], at=T0), [bad])

    assert set(get_type_hints(FindingDict)) == set(ti.dump_finding(some_finding()))
    assert set(get_type_hints(ReportDict)) == set(report)
    assert set(get_type_hints(RecordErrorDict)) == set(report["errors"][0])


@pytest.mark.parametrize("name", ["finding", "report"])
def test_shipped_schemas_are_current(name: str) -> None:
    """The shipped files are the generated ones; the module prints them."""
    shipped = (DATA / f"{name}.schema.json").read_bytes()
    printed = subprocess.run(  # noqa: S603 (this interpreter, a fixed module, a test's name)
        [sys.executable, "-m", "trauma_incidents.engine._schemas", name],
        capture_output=True,
        check=True,
    ).stdout

    assert shipped == schema_json(name) == printed
    Draft202012Validator.check_schema(orjson.loads(shipped))
