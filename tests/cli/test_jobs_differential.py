"""`check --jobs 3` writes exactly what `check --jobs 1` writes, for any input."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trauma_incidents import cli
from trauma_incidents.cli import _jobs
from trauma_incidents.loading import _batch

AT = "2026-05-01T09:00:00+01:00"
#: Small limits, so that a few records make many chunks and a long line is over the limit.
MAX_RECORD = 400
SPAN = 300


def record(n: int) -> dict[str, Any]:
    """A synthetic incident with a restraint; some are overdue at `AT`, some not."""
    day = f"2026-04-{1 + n % 30:02d}"
    return {
        "id": f"INC-{n}",
        "person_id": "P-1",
        "service_id": "S-1",
        "occurred_at": f"{day}T09:00:00+00:00",
        "categories": ["behavioural_distress"],
        "severity": "low",
        "triggers": [{"kind": "environmental"}],
        "interventions": [{"kind": "physical_restraint", "started_at": f"{day}T09:00:00+00:00"}],
    }


_GOOD = st.integers(0, 99).map(lambda n: json.dumps(record(n)))
_BAD = st.sampled_from(['{"id": 5}', "{not json", "[1]", '"text"', "\ufeff{}", " \t "])
_LONG = st.integers(MAX_RECORD, 3 * MAX_RECORD).map(lambda n: '{"id": "' + "x" * n + '"}')
_RECORDS = st.lists(st.one_of(_GOOD, _GOOD, _BAD, _LONG, st.just("")), max_size=12)


@st.composite
def inputs(draw: st.DrawFn) -> bytes:
    """NDJSON or a JSON array; with or without a BOM, CRLF, leading white space."""
    records = draw(_RECORDS)
    if draw(st.booleans()):
        text = "\n".join(records)
    else:
        text = "[" + ",\n".join(r for r in records if r.strip()) + "]"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    text = draw(st.sampled_from(["", "\n", " " * 70, "\n" * 3 + " " * 80])) + text
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (bom + text + draw(st.sampled_from(["", "\n"]))).encode()


class _Pipe(io.BytesIO):
    """Stdin from a pipe: it cannot seek."""

    def seekable(self) -> bool:
        return False


@contextlib.contextmanager
def _limits() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_batch, "MAX_RECORD_BYTES", MAX_RECORD)
        patch.setattr(_jobs, "SPAN_BYTES", SPAN)
        patch.setattr(_jobs, "CHUNK", 3)
        yield


#: Support plans for the records' person: the first version knows no trigger, is past review
#: at `AT` and authorises no restraint; a bad line is reported as an error.
PLANS = "\n".join(
    [
        json.dumps(
            {
                "id": "SP-1",
                "person_id": "P-1",
                "effective_from": "2026-04-10T00:00:00+00:00",
                "review_by": "2026-04-20",
            }
        ),
        json.dumps(
            {
                "id": "SP-2",
                "person_id": "P-1",
                "effective_from": "2026-04-25T00:00:00+00:00",
                "known_triggers": [{"kind": "environmental"}],
            }
        ),
        '{"id": 5}',
    ]
)


#: Waivers: DB001 on two of the records' incidents, and one that matches nothing.
WAIVERS = "".join(
    f'[[waivers]]\nrule = "{rule}"\nincident = "{incident}"\nreason = "r"\n'
    for rule, incident in (("DB001", "INC-1"), ("DB001", "INC-7"), ("DB002", "INC-NONE"))
)


def check(
    data: bytes,
    path: Path,
    *,
    jobs: int,
    stdin: bool,
    fmt: str,
    plans: bool = False,
    waivers: bool = False,
) -> tuple[int, str, str]:
    """
    Run ``check`` on *data* (as a file, or as stdin from a pipe): code, stdout, stderr.

    With *plans*, `PLANS` are given (so the cross-incident rules of the plans pack run);
    with *waivers*, a configuration with `WAIVERS`.
    """
    path.write_bytes(data)
    plans_path = path.with_name("plans.ndjson")
    plans_path.write_text(PLANS, encoding="utf-8")
    config = path.with_name("waivers.toml")
    config.write_text(WAIVERS, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with _limits(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        old = sys.stdin
        sys.stdin = io.TextIOWrapper(_Pipe(data))
        try:
            argv = ["check", "-" if stdin else str(path), "--at", AT, "--format", fmt]
            argv += ["--plans", str(plans_path)] if plans else []
            argv += ["--config", str(config)] if waivers else []
            code = cli.main([*argv, "--jobs", str(jobs)])
        finally:
            sys.stdin = old
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=inputs(),
    stdin=st.booleans(),
    fmt=st.sampled_from(["json", "ndjson", "table", "csv"]),
    plans=st.booleans(),
    waivers=st.booleans(),
)
def test_jobs_give_the_output_of_one_process(
    tmp_path_factory: pytest.TempPathFactory,
    *,
    data: bytes,
    stdin: bool,
    fmt: str,
    plans: bool,
    waivers: bool,
) -> None:
    """
    With support plans too (the plans rules need the batch: one process evaluates).

    NDJSON workers send rendered findings, the others findings; with waivers, some are set
    aside (counted in the summary) and an unused one is reported.
    """
    path = tmp_path_factory.mktemp("d") / "in.ndjson"
    one = check(data, path, jobs=1, stdin=stdin, fmt=fmt, plans=plans, waivers=waivers)
    three = check(data, path, jobs=3, stdin=stdin, fmt=fmt, plans=plans, waivers=waivers)
    assert one == three


@pytest.mark.parametrize("stdin", [False, True], ids=["file", "stdin"])
def test_the_plans_rules_run_with_jobs(tmp_path: Path, *, stdin: bool) -> None:
    """Many chunks: the plans findings are there, as in one process."""
    text = "".join(json.dumps(record(n)) + "\n" for n in range(40))
    one = check(text.encode(), tmp_path / "in.ndjson", jobs=1, stdin=stdin, fmt="json", plans=True)
    three = check(
        text.encode(), tmp_path / "in.ndjson", jobs=3, stdin=stdin, fmt="json", plans=True
    )
    rules = {f["rule"] for f in json.loads(three[1])["findings"]}
    assert one == three
    assert three[0] == 2  # the bad plan
    assert {"PL001", "PL002"} <= rules


@pytest.mark.parametrize("fmt", ["ndjson", "csv"])
@pytest.mark.parametrize("stdin", [False, True], ids=["file", "stdin"])
def test_streamed_findings_are_written_and_counted_as_in_one_process(
    tmp_path: Path, fmt: str, *, stdin: bool
) -> None:
    """
    Overdue findings (exit 1), waived ones and an unused waiver, over many chunks.

    NDJSON workers send each incident's findings rendered, with their statuses for the
    tally: the exit code says they were counted.
    """
    text = "".join(json.dumps(record(n)) + "\n" for n in range(12))
    path = tmp_path / "in.ndjson"
    one = check(text.encode(), path, jobs=1, stdin=stdin, fmt=fmt, waivers=True)
    three = check(text.encode(), path, jobs=3, stdin=stdin, fmt=fmt, waivers=True)
    assert one == three
    assert one[0] == 1
    assert "DB001" in one[1]
    assert "INC-NONE matched no finding" in one[2]


BOM = "\ufeff"


@pytest.mark.parametrize(
    "text",
    [
        BOM + json.dumps(record(1)) + "\n" + json.dumps(record(2)),
        "[" + json.dumps(record(1)) + "]",
        " " * 64 + "[" + json.dumps(record(1)) + "]",
        BOM + "\n\n" + "[" + json.dumps(record(1)) + "]",
    ],
    ids=["bom", "array", "array-after-64-spaces", "bom-blank-lines-array"],
)
@pytest.mark.parametrize("stdin", [False, True], ids=["file", "stdin"])
def test_known_differences(tmp_path: Path, text: str, *, stdin: bool) -> None:
    """The inputs on which ``--jobs`` used to differ from one process."""
    path = tmp_path / "in.ndjson"
    one = check(text.encode(), path, jobs=1, stdin=stdin, fmt="json")
    two = check(text.encode(), path, jobs=2, stdin=stdin, fmt="json")
    assert one == two
    assert one[0] in {0, 1}


@pytest.mark.parametrize("jobs", [1, 3])
def test_a_repeated_incident_id_is_reported_and_not_evaluated(tmp_path: Path, jobs: int) -> None:
    """The first record with an id is evaluated, a later one is an error; finding ids are unique."""
    lines = [record(1), record(2), record(1) | {"severity": "death"}, record(3), record(2)]
    text = "".join(json.dumps(r) + "\n" for r in lines)
    code, out, _ = check(text.encode(), tmp_path / "in.ndjson", jobs=jobs, stdin=False, fmt="json")
    doc = json.loads(out)
    ids = [f["id"] for f in doc["findings"]]
    assert code == 2
    assert len(ids) == len(set(ids))
    repeated = "duplicate incident id {!r}: an earlier record has it, so this one is not evaluated"
    assert [(e["incident_id"], e["problems"][0]["message"]) for e in doc["errors"]] == [
        ("INC-1", repeated.format("INC-1")),
        ("INC-2", repeated.format("INC-2")),
    ]
