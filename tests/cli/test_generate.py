"""``trauma-incidents generate``: seeded synthetic incidents as NDJSON, for load tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from trauma_incidents import cli
from trauma_incidents.loading import BadRecord, dumps, read_incidents
from trauma_incidents.testing import synthetic_incidents


def generate(capsys: pytest.CaptureFixture[bytes], *argv: str) -> bytes:
    assert cli.main(["generate", *argv]) == 0
    return capsys.readouterr().out


def test_the_same_seed_writes_the_same_incidents(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    """Deterministic for a seed; another seed gives other incidents."""
    first = generate(capsysbinary, "--n", "40", "--seed", "3")
    again = generate(capsysbinary, "--n", "40", "--seed", "3")
    other = generate(capsysbinary, "--n", "40", "--seed", "4")

    assert first == again
    assert first != other
    assert first == b"".join(dumps(i) + b"\n" for i in synthetic_incidents(40, 3))


def test_every_line_loads(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """N lines to --out, each a valid incident with its own id."""
    out = tmp_path / "load.ndjson"
    assert generate(capsysbinary, "--n", "300", "--seed", "9", "--out", str(out)) == b""

    records = list(read_incidents(out))

    assert len(records) == 300
    assert not [r for r in records if isinstance(r, BadRecord)]
    assert len({r.id for r in records if not isinstance(r, BadRecord)}) == 300


def test_a_negative_count_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """Usage errors exit 2 with argparse's message."""
    with pytest.raises(SystemExit) as caught:
        cli.main(["generate", "--n", "-1"])

    assert caught.value.code == 2
    assert "must be zero or more" in capsys.readouterr().err
