"""``trauma-incidents effect``: the flags, the JSON shape, table and CSV, and exit codes."""

from __future__ import annotations

import csv
import io
import sys
from datetime import datetime, timedelta, timezone
from importlib.resources import files
from pathlib import Path
from typing import Any

import orjson
import pytest

from trauma_incidents.analysis import ROW_FIELDS
from trauma_incidents.cli import main
from trauma_incidents.loading import dumps
from trauma_incidents.testing import action, incident

DATA = files("trauma_incidents") / "data"
CHANGE = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
PLANS = [
    {"id": "SP-1", "person_id": "P-001", "effective_from": "2026-03-02T10:00:00Z"},
    {"id": "SP-9", "person_id": "P-002", "effective_from": "2026-03-02T10:00:00Z"},
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["effect", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files_(tmp_path: Path) -> dict[str, str]:
    """12 incidents in the 8 weeks before the change, 2 after; plans; a few outcomes."""
    offsets = [-60.0, *(-55 + 4.5 * n for n in range(12)), 10.0, 60.0]  # -60, 60: the range
    held = [
        incident(id=f"INC-{n}", occurred_at=CHANGE + timedelta(days=o))
        for n, o in enumerate(offsets)
    ]
    held.append(
        incident(
            id="INC-LAST",
            occurred_at=CHANGE + timedelta(days=55),
            actions=(action("A-1", completed_at=CHANGE + timedelta(days=55)),),
        )
    )
    paths = {
        "incidents": tmp_path / "incidents.ndjson",
        "plans": tmp_path / "plans.ndjson",
        "outcomes": tmp_path / "outcomes.ndjson",
    }
    paths["incidents"].write_bytes(b"".join(dumps(i) + b"\n" for i in held))
    paths["plans"].write_bytes(b"".join(orjson.dumps(p) + b"\n" for p in PLANS))
    check = {
        "record_type": "wellbeing_check",
        "person_id": "P-001",
        "measure": "distress",
        "value": 3,
        "method": "observed",
    }
    lines = [
        {**check, "id": f"WC-{n}", "at": (CHANGE + timedelta(days=d)).isoformat()}
        for n, d in enumerate([-50, -30, 5, 20])
    ]
    paths["outcomes"].write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))
    return {k: str(v) for k, v in paths.items()}


def test_json_shape(capsys: pytest.CaptureFixture[str], files_: dict[str, str]) -> None:
    """{"changes": [...]}, one entry per change and measure, the issue's keys."""
    code, out, err = run(
        capsys, files_["incidents"], "--plans", files_["plans"], "--format", "json"
    )
    assert (code, err) == (0, "")
    changes = orjson.loads(out)["changes"]
    first = changes[0]
    assert {k: first[k] for k in ("person_id", "change_kind", "change_id", "measure")} == {
        "person_id": "P-001",
        "change_kind": "plan",
        "change_id": "SP-1",
        "measure": "incidents",
    }
    assert first["changed_at"] == "2026-03-02T10:00:00+00:00"
    assert first["before"]["count"] == 12
    assert set(first["before"]) == {"count", "exposure_days", "rate_per_28d", "n"}
    assert first["verdict"] == "improved"
    assert first["ci_low"] < first["estimate"] < first["ci_high"] < 1
    assert first["overlaps"] == ["INC-LAST/A-1"]
    kinds = {(c["change_kind"], c["change_id"]) for c in changes}
    assert kinds == {("plan", "SP-1"), ("plan", "SP-9"), ("action", "INC-LAST/A-1")}
    assert len(changes) == 3 * 5


def test_flags(capsys: pytest.CaptureFixture[str], files_: dict[str, str]) -> None:
    """--person, --before/--after, --skip-before and --outcomes reach the comparison."""
    argv = [files_["incidents"], "--plans", files_["plans"], "--format", "json"]
    code, out, _ = run(
        capsys,
        *argv,
        "--person",
        "P-001",
        "--before",
        "28d",
        "--after",
        "672h",
        "--skip-before",
        "7d",
        "--outcomes",
        files_["outcomes"],
    )
    assert code == 0
    changes = orjson.loads(out)["changes"]
    assert {c["person_id"] for c in changes} == {"P-001"}
    first = changes[0]
    assert first["before"]["exposure_days"] == 28
    assert first["before"]["count"] == 6  # from 35 to 7 days before: -32.5 ... -10
    distress = next(c for c in changes if c["measure"] == "distress")
    assert (distress["before"]["n"], distress["after"]["n"]) == (1, 2)


def test_incidents_from_stdin(
    capsys: pytest.CaptureFixture[str], files_: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """- reads the incidents from standard input."""
    stdin = io.TextIOWrapper(io.BytesIO(Path(files_["incidents"]).read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, _ = run(capsys, "-", "--plans", files_["plans"], "--format", "json")
    assert code == 0
    assert orjson.loads(out)["changes"][0]["before"]["count"] == 12


def test_table(capsys: pytest.CaptureFixture[str], files_: dict[str, str]) -> None:
    code, out, _ = run(capsys, files_["incidents"], "--plans", files_["plans"])
    assert code == 0
    assert "P-001: plan SP-1 at 2026-03-02 10:00 GMT (overlaps INC-LAST/A-1)" in out
    assert "incidents" in out
    assert "12 in 56d (6.00/28d)" in out
    assert "not_enough_data (no outcome records were supplied)" in out


def test_csv(capsys: pytest.CaptureFixture[str], files_: dict[str, str]) -> None:
    code, out, _ = run(capsys, files_["incidents"], "--plans", files_["plans"], "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == ROW_FIELDS
    assert (rows[0]["measure"], rows[0]["before_count"], rows[0]["verdict"]) == (
        "incidents",
        "12",
        "improved",
    )


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param("plans", id="plan"),
        pytest.param("outcomes", id="outcome"),
        pytest.param("incidents", id="incident"),
    ],
)
def test_a_bad_record_is_reported_and_the_rest_compared(
    capsys: pytest.CaptureFixture[str], files_: dict[str, str], bad: str
) -> None:
    """Exit 2 with the record named on stderr; the good records are still compared."""
    Path(files_[bad]).write_bytes(Path(files_[bad]).read_bytes() + b'{"id": 5}\n')
    code, out, err = run(
        capsys,
        files_["incidents"],
        "--plans",
        files_["plans"],
        "--outcomes",
        files_["outcomes"],
        "--format",
        "json",
    )
    assert code == 2
    assert "skipped" in err
    assert orjson.loads(out)["changes"]


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["missing.ndjson", "--plans", "{plans}"], id="incidents"),
        pytest.param(["{incidents}", "--plans", "missing.ndjson"], id="plans"),
        pytest.param(["{incidents}", "--plans", "{plans}", "--outcomes", "nope"], id="outcomes"),
    ],
)
def test_an_unreadable_file_exits_2(
    capsys: pytest.CaptureFixture[str], files_: dict[str, str], argv: list[str]
) -> None:
    code, out, err = run(capsys, *(a.format(**files_) for a in argv))
    assert (code, out) == (2, "")
    assert "cannot read" in err


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--before", "2wd"], id="working-days"),
        pytest.param(["--after", "0d"], id="zero"),
        pytest.param(["--skip-before", "x"], id="text"),
        pytest.param(["--format", "ndjson"], id="format"),
        pytest.param([], id="no-plans"),
    ],
)
def test_bad_flags_exit_2(
    capsys: pytest.CaptureFixture[str], files_: dict[str, str], argv: list[str]
) -> None:
    plans = ["--plans", files_["plans"]] if argv else []
    try:
        code = main(["effect", files_["incidents"], *plans, *argv])
    except SystemExit as exited:  # argparse's own errors
        code = int(str(exited.code))
    assert code == 2
    assert capsys.readouterr().err


def test_without_scipy_the_extra_is_named(
    capsys: pytest.CaptureFixture[str], files_: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "scipy", None)
    code, _, err = run(capsys, files_["incidents"], "--plans", files_["plans"])
    assert code == 2
    assert "pip install 'trauma-incidents[analysis]'" in err


def test_the_bundled_samples(capsys: pytest.CaptureFixture[str]) -> None:
    """The sample incidents, plans and outcomes: the outing story and P-022's new plan."""
    code, out, err = run(
        capsys,
        str(DATA / "sample_incidents.ndjson"),
        "--plans",
        str(DATA / "sample_support_plans.ndjson"),
        "--outcomes",
        str(DATA / "sample_outcomes.ndjson"),
        "--format",
        "json",
    )
    assert (code, err) == (0, "")
    changes = orjson.loads(out)["changes"]
    verdicts: dict[tuple[str, str], Any] = {
        (c["change_id"], c["measure"]): c["verdict"] for c in changes
    }
    assert verdicts["INC-A01/A-1", "activities_completed"] == "improved"
    assert verdicts["INC-A01/A-1", "distress"] == "improved"
    assert verdicts["SP-022-2", "distress"] == "improved"
    assert verdicts["SP-022-2", "anxiety"] == "improved"
    (plan,) = [c for c in changes if (c["change_id"], c["measure"]) == ("SP-022-2", "distress")]
    assert plan["change_kind"] == "plan"
    assert "INC-B01/A-1" in plan["overlaps"]
