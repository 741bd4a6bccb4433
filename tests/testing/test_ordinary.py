"""The seeded ordinary incidents behind ``generate`` and the bundled sample."""

from __future__ import annotations

import random
from datetime import datetime, timezone

from trauma_incidents.engine import evaluate
from trauma_incidents.testing._ordinary import Ordinary

START = datetime(2025, 1, 1, tzinfo=timezone.utc)
LATE = datetime(2027, 1, 1, tzinfo=timezone.utc)


def _ordinary(seed: int) -> Ordinary:
    people = {f"P-{i:05d}": "SVC-001" for i in range(20)}
    return Ordinary(random.Random(seed), people, START, days=300)  # noqa: S311 (synthetic data)


def test_complete_incidents_meet_every_default_rule() -> None:
    """A complete ordinary incident has no finding, even long afterwards."""
    ordinary = _ordinary(5)
    batch = [ordinary.next(f"{i:05d}", complete=True) for i in range(600)]

    report = evaluate(batch, at=LATE)

    assert [(f.rule, f.incident_id) for f in report.findings] == []
    assert any(i.candour is not None and i.candour.notifiable for i in batch)
    assert any(n.apology for i in batch for n in i.notifications)
    assert any(inj.hospital for i in batch for inj in i.injuries)
    assert all(iv.legal_basis for i in batch for _, iv in i.restrictive_interventions)
