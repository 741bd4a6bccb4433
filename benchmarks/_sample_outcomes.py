"""
The bundled sample's outcome records: activities and wellbeing checks for five of its people.

Seeded, like the sample incidents, and written beside them by ``python benchmarks/synthetic.py
--sample`` (``src/trauma_incidents/data/sample_outcomes.ndjson``). They run from November 2025
(before the first incident, so the windows before the first changes are covered) to the end
of April 2026. P-003's and P-040's days go on much the same throughout; the three series show
an effect after their change (``docs/effectiveness.md``):

- P-014 (the outings): outings end early often, and distress is high, in the two weeks
  before the quieter-outings action (the spike that prompted it, left out by
  ``--skip-before 14d``); after it, outings end early rarely and distress is low.
- P-022 (the seated hold): distress and anxiety fall after the support plan changes.
- P-031 (the enquiry): anxiety is high while money goes missing and the enquiry is not
  understood, and eases once each stage is explained in easy read.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from trauma_incidents._calendar import LONDON
from trauma_incidents.model import Incident
from trauma_incidents.outcomes import (
    Activity,
    ActivityKind,
    ActivityOutcome,
    CheckMethod,
    Measure,
    OutcomeRecord,
    WellbeingCheck,
)

#: The people with outcome records: the three series, and two whose days do not change.
PEOPLE = ("P-003", "P-014", "P-022", "P-031", "P-040")
FIRST_DAY = datetime(2025, 11, 1, tzinfo=LONDON)
DAYS = 181  # to 30 April 2026


class _Day:
    """How a person's day tends to go: the chance an activity ends early, and mean levels."""

    def __init__(self, ended_early: float, distress: float, anxiety: float) -> None:
        self.ended_early, self.distress, self.anxiety = ended_early, distress, anxiety


_USUAL = _Day(0.12, 3.0, 3.0)


def _change(incidents: Sequence[Incident], incident_id: str, action_id: str) -> datetime:
    """When the action of the sample incident was completed: the series' change."""
    (found,) = [i for i in incidents if i.id == incident_id]
    (done,) = [a.completed_at for a in found.actions if a.id == action_id]
    if done is None:
        msg = f"{incident_id}/{action_id} is not completed in the sample"
        raise ValueError(msg)
    return done


def _story(incidents: Sequence[Incident]) -> dict[str, list[tuple[datetime, _Day]]]:
    """Each series' person: from when, how the day goes (the last that has begun applies)."""
    outing = _change(incidents, "INC-A01", "A-1")
    hold = _change(incidents, "INC-B01", "A-1")
    enquiry = _change(incidents, "INC-C02", "A-1")
    start = FIRST_DAY
    return {  # the ratings' means; each drawn with a spread of 1.5
        "P-014": [
            (start, _Day(0.35, 5.0, 4.5)),
            (outing - timedelta(days=14), _Day(0.6, 7.5, 5.5)),
            (outing, _Day(0.06, 2.5, 3.0)),
        ],
        "P-022": [(start, _Day(0.3, 6.0, 6.0)), (hold, _Day(0.1, 3.0, 3.5))],
        "P-031": [(start, _Day(0.2, 4.5, 6.5)), (enquiry, _Day(0.1, 3.0, 3.0))],
    }


_KINDS = tuple(ActivityKind)
_METHODS = tuple(CheckMethod)


def sample_outcomes(incidents: Sequence[Incident], seed: int = 2026) -> list[OutcomeRecord]:
    """The sample's activities and wellbeing checks, in time order, the same for a seed."""
    rng = random.Random(seed)
    stories = _story(incidents)
    records: list[OutcomeRecord] = []
    for person in PEOPLE:
        phases = stories.get(person, [(FIRST_DAY, _USUAL)])
        for day in range(DAYS):
            date = (FIRST_DAY + timedelta(days=day)).date()
            if rng.random() < (0.85 if person in stories else 0.5):
                hour = rng.choice((10, 14))
                at = datetime.combine(date, time(hour, rng.choice((0, 15, 30))), LONDON)
                mood = _phase(phases, at)
                records.append(_activity(rng, person, at, mood, len(records)))
            if day % 4 == 0:
                at = datetime.combine(date, time(18, 0), LONDON)
                mood = _phase(phases, at)
                for measure, level in (
                    (Measure.DISTRESS, mood.distress),
                    (Measure.ANXIETY, mood.anxiety),
                ):
                    records.append(
                        WellbeingCheck(
                            id=f"WC-{len(records) + 1:05d}",
                            person_id=person,
                            at=at.astimezone(LONDON),
                            measure=measure,
                            value=_level(rng, level),
                            method=rng.choice(_METHODS),
                        )
                    )
    return sorted(records, key=lambda r: (r.at, r.id))


def _phase(phases: list[tuple[datetime, _Day]], at: datetime) -> _Day:
    return [day for begun, day in phases if begun <= at][-1]


def _activity(rng: random.Random, person: str, at: datetime, mood: _Day, n: int) -> Activity:
    kind = ActivityKind.COMMUNITY_OUTING if rng.random() < 0.4 else rng.choice(_KINDS)  # noqa: PLR2004
    draw = rng.random()
    if draw < mood.ended_early:
        outcome = ActivityOutcome.ENDED_EARLY
    elif draw < mood.ended_early + 0.05:
        outcome = ActivityOutcome.NOT_STARTED
    else:
        outcome = ActivityOutcome.COMPLETED
    distress = None if outcome is ActivityOutcome.NOT_STARTED else _level(rng, mood.distress)
    return Activity(
        id=f"ACT-{n + 1:05d}",
        person_id=person,
        at=at,
        kind=kind,
        outcome=outcome,
        distress=distress,
    )


def _level(rng: random.Random, mean: float) -> int:
    """A 0-10 rating around *mean*."""
    return min(10, max(0, round(rng.gauss(mean, 1.5))))
