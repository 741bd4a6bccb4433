"""
Seeded synthetic incidents for load tests: any number, the same for the same seed.

Everything is invented: ids are pseudonyms (``P-00014``, ``ST-203``) and the narratives
are short and generic. About 60% of the incidents are complete; the rest have one or two
gaps a default rule notices, over two years from 1 January 2025, across many people and
services. ``trauma-incidents generate --n N --seed S`` writes them as NDJSON.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timezone

from trauma_incidents.model._incident import Incident
from trauma_incidents.testing._ordinary import Ordinary

__all__ = ["synthetic_incidents"]


def synthetic_incidents(n: int, seed: int = 1) -> Iterator[Incident]:
    """
    Yield *n* varied valid incidents, drawn from *seed*: the same seed, the same incidents.

    >>> from trauma_incidents.testing import synthetic_incidents
    >>> [i.id for i in synthetic_incidents(2, seed=7)]
    ['INC-0000000', 'INC-0000001']
    """
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    services = [f"SVC-{i:03d}" for i in range(max(4, n // 1000))]
    people = {f"P-{i:05d}": rng.choice(services) for i in range(max(10, n // 50))}
    ordinary = Ordinary(rng, people, datetime(2025, 1, 1, tzinfo=timezone.utc), days=730)
    for i in range(n):
        yield ordinary.next(f"{i:07d}")
