"""
Finding-heavy synthetic incidents: services with a backlog, for the end-to-end benchmark.

Issue 20 measures ``check --format ndjson`` on data with about 2.7 findings per incident and
about 1 KB per record. `heavy_incidents` makes such data, seeded: every incident is
incomplete, with two or three of the gaps a default rule notices (``Ordinary``'s gaps;
fewer when fewer apply), half of the distress incidents have a restrictive intervention,
and most have one or two further learning actions, open past their due date, completed
with no assessment of whether they worked, or completed and assessed. Every incident
happens in the two years before ``AT``, the time the benchmark checks at, so that their
deadlines have passed. Everything is invented, as in ``synthetic.py``. Over 20,000
incidents: 990 bytes per record and 2.71 findings per incident.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import attrs

from trauma_incidents.model import Action, Incident, Outcome
from trauma_incidents.testing._ordinary import Ordinary
from trauma_incidents.testing._synthetic_parts import D, done, later

#: The time the end-to-end benchmark checks at.
AT = "2026-05-01T09:00:00+01:00"
DAYS = 730
RESTRICTIVE, GAPS = 0.5, (2, 3)
ACTIONS = (
    "Share the updated plan with the team",
    "Add the early warning signs to the support plan",
    "Agree a quiet space with the person for busy days",
    "Arrange refresher training in de-escalation for the team",
    "Check the handover notes at the start of each shift",
)


def heavy_incidents(n: int, seed: int = 1) -> Iterator[Incident]:
    """*n* varied valid incidents with about 2.7 findings each at `AT`, drawn from *seed*."""
    rng = random.Random(seed)
    services = [f"SVC-{i:03d}" for i in range(max(4, n // 1000))]
    people = {f"P-{i:05d}": rng.choice(services) for i in range(max(10, n // 50))}
    start = datetime.fromisoformat(AT).astimezone(timezone.utc) - timedelta(days=DAYS)
    ordinary = Ordinary(rng, people, start, DAYS, restrictive=RESTRICTIVE, gaps=GAPS)
    for i in range(n):
        incident = ordinary.next(f"{i:07d}", complete=False)
        yield attrs.evolve(incident, actions=(*incident.actions, *more_actions(rng, incident)))


def more_actions(rng: random.Random, incident: Incident) -> list[Action]:
    """
    None to two further learning actions, after those *incident* has (ids ``A-2``, ``A-3``).

    Each is open past its due date (LN004), completed with no assessment of whether it
    worked (LN005), or completed and assessed as effective.
    """
    base = incident.reported_at or incident.occurred_at
    found = []
    for number in range(2, 2 + rng.choice((0, 1, 1, 2))):
        action_id, text = f"A-{number}", rng.choice(ACTIONS)
        due = later(base, D * rng.randint(7, 28)).date()
        kind = rng.randrange(3)
        if kind == 0:
            owner = f"ST-{rng.randint(200, 299)}"
            found.append(Action(id=action_id, description=text, owner_id=owner, due=due))
            continue
        completed = later(base, D * rng.randint(2, 6))
        action = done(action_id, text, due, completed, later(completed, D * 14), Outcome.EFFECTIVE)
        found.append(action if kind == 1 else attrs.evolve(action, effectiveness=None))
    return found
