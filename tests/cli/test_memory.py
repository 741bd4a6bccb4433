"""Memory stays bounded: no line over the size limit is held whole, chunks are bounded by bytes."""

from __future__ import annotations

import gc
import io
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest

from trauma_incidents.cli import _check, _jobs, main
from trauma_incidents.loading import _batch, dumps, partition, read_incidents
from trauma_incidents.loading._batch import Oversized
from trauma_incidents.testing import incident

LIMIT = 1000


class _Recording(io.BytesIO):
    """A stream that remembers the most bytes one read gave."""

    most = 0

    def _seen(self, data: bytes) -> bytes:
        self.most = max(self.most, len(data))
        return data

    def read(self, size: int | None = -1) -> bytes:
        return self._seen(super().read(size))

    def readline(self, size: int | None = -1) -> bytes:
        return self._seen(super().readline(size))

    def __next__(self) -> bytes:
        return self._seen(super().__next__())


@pytest.fixture(autouse=True)
def _small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_batch, "MAX_RECORD_BYTES", LIMIT)
    monkeypatch.setattr(_jobs, "SPAN_BYTES", 300)


@pytest.mark.parametrize("tail", [b"", b"\n{}\n"], ids=["no-newline", "then-a-record"])
def test_a_line_over_the_limit_is_refused_without_reading_it_whole(tail: bytes) -> None:
    """``head -c 3G /dev/zero | trauma-incidents check -``, scaled down."""
    stream = _Recording(b"\0" * (3 * 2**20) + tail)
    _, bad = partition(read_incidents(stream))
    assert "record too large" in bad[0].problems[0].message
    assert [b.line for b in bad] == [1, 2][: len(bad)]
    assert len(bad) == (2 if tail else 1)
    assert stream.most <= max(LIMIT + 1, _batch._PIECE)


def test_file_spans_skip_a_line_over_the_limit(tmp_path: Path) -> None:
    data = b"{}\n" + b"x" * (20 * LIMIT) + b"\n{}\n{}\n"
    path = tmp_path / "long.ndjson"
    path.write_bytes(data)
    with path.open("rb") as stream:
        chunks = list(_jobs.file_spans(stream, str(path), 1))
    spans = [c for c in chunks if isinstance(c, _jobs.Span)]
    assert max(s.size for s in spans) <= LIMIT + _jobs.SPAN_BYTES
    assert [(2, Oversized(20 * LIMIT + 1))] in chunks
    lines = [n for s in spans for n, _ in s.lines()]
    assert lines == [1, 3, 4]


def test_line_chunks_are_bounded_by_bytes() -> None:
    """Lines from a pipe go to workers in chunks of about `SPAN_BYTES`, however many lines."""
    lines = [(n, b"x" * 200 + b"\n") for n in range(1, 11)]
    chunks = list(_jobs.line_chunks(lines))
    assert [n for c in chunks for n, _ in c] == list(range(1, 11))
    assert max(sum(len(raw) for _, raw in c if isinstance(raw, bytes)) for c in chunks) < 2 * 300


def test_a_bad_record_is_freed_without_the_garbage_collector() -> None:
    """A 15 MiB bad record used to wait for the collector (40 of them at once: 650 MB)."""
    partition(read_incidents(b'{"id": 5}'))  # the converter is made once, with its cycles
    gc.collect()
    gc.disable()
    try:
        for line in (b'{"id": 5, "severity": "x", "interventions": [{"kind": 1}]}', b'{"id": 5}'):
            partition(read_incidents(line))
        found = gc.collect()
    finally:
        gc.enable()
    assert found == 0


def test_check_leaves_the_collector_as_it_found_it(tmp_path: Path) -> None:
    """check raises the collector's thresholds and freezes for its run only."""
    path = tmp_path / "one.ndjson"
    path.write_bytes(dumps(incident()) + b"\n")
    before = gc.get_threshold()
    seen: list[tuple[int, ...]] = []
    real = _check._run

    def spy(*args: Any, **kwargs: Any) -> None:
        seen.append((*gc.get_threshold(), gc.get_freeze_count() > 0))
        real(*args, **kwargs)

    with patch.object(_check, "_run", spy), redirect_stdout(io.StringIO()):
        assert main(["check", str(path), "--at", "2026-05-01T09:00:00Z", "--fail-on", "never"]) == 0
    assert seen == [(*_jobs.RUN_THRESHOLDS, True)]
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
