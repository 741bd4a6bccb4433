"""Round-trip properties: model, then JSON, then model again."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any, TypeVar

import attrs
import orjson
from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents import model
from trauma_incidents.loading import (
    dump_incident,
    dumps,
    load_incident,
    make_converter,
    read_incidents,
)
from trauma_incidents.model import (
    Action,
    Advocate,
    Category,
    Debrief,
    EarlyWarningSign,
    Effectiveness,
    Explanation,
    Incident,
    Injury,
    Intervention,
    Notification,
    Observation,
    PersonAccount,
    PersonInvolved,
    Review,
    Safeguarding,
    SafeguardingStage,
)
from trauma_incidents.strategies import incidents

T = TypeVar("T")

# `st.builds` infers from attribute types, which are strings under PEP 563 until resolved.
for _cls in vars(model).values():
    if isinstance(_cls, type) and attrs.has(_cls):
        attrs.resolve_types(_cls)

# Whole-minute offsets: the format writes offsets as +HH:MM.
ZONES = st.sampled_from(
    [
        timezone.utc,
        timezone(timedelta(hours=1)),
        timezone(timedelta(hours=-9, minutes=-30)),
        timezone(timedelta(hours=14)),
    ]
)
# hypothesis takes naive bounds and attaches a zone from `timezones`.
EARLIEST, LATEST = datetime(1900, 1, 2), datetime(2100, 1, 1)  # noqa: DTZ001
TIMES = st.datetimes(min_value=EARLIEST, max_value=LATEST, timezones=ZONES)
#: Before every time in `TIMES` (+14:00 at most), and in the format's years (1900 to 2999):
#: each time a record holds must not be before its incident.
BEFORE_ALL = datetime(1900, 1, 1, tzinfo=timezone.utc)
IDS = st.from_regex(r"[A-Z]{1,3}-[0-9]{1,4}", fullmatch=True)


def maybe(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


def some(strategy: st.SearchStrategy[T], min_size: int = 0) -> st.SearchStrategy[tuple[T, ...]]:
    return st.lists(strategy, min_size=min_size, max_size=2).map(tuple)


def _safeguarding() -> st.SearchStrategy[Safeguarding]:
    explanation = st.builds(Explanation, at=TIMES)
    stage = st.builds(SafeguardingStage, entered_at=TIMES, explanation=maybe(explanation)).filter(
        lambda s: s.explanation is None or s.explanation.at >= s.entered_at
    )
    return st.builds(
        Safeguarding,
        stages=some(stage),
        desired_outcomes_recorded_at=maybe(TIMES),
        advocate=maybe(st.builds(Advocate, appointed_at=maybe(TIMES))),
    )


def _action() -> st.SearchStrategy[Action]:
    effectiveness = st.builds(Effectiveness, assessed_at=TIMES)
    return st.builds(
        Action,
        id=IDS,
        due=maybe(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)) | TIMES),
        completed_at=maybe(TIMES),
        effectiveness=maybe(effectiveness),
    )


def any_incidents() -> st.SearchStrategy[Incident]:
    """
    Incidents with every field drawn, times in any order the model allows.

    A minimal strategy of our own, built with `st.builds`: field types are inferred, and only
    times (which must be aware), ids and counts are given. `trauma_incidents.strategies`
    draws realistic incidents; this one reaches every field and any free text.
    """
    observation = st.builds(Observation, at=TIMES)
    intervention = st.builds(
        Intervention,
        started_at=maybe(TIMES),
        ended_at=maybe(TIMES),
        observations=some(observation),
    ).filter(lambda i: i.started_at is None or i.ended_at is None or i.started_at <= i.ended_at)
    debrief = st.builds(Debrief, at=TIMES, reoffer_by=maybe(TIMES))
    return st.builds(
        Incident,
        id=IDS,
        person_id=IDS,
        service_id=IDS,
        occurred_at=st.just(BEFORE_ALL),
        categories=some(st.sampled_from(Category), min_size=1),
        reported_at=maybe(TIMES),
        recorded_at=maybe(TIMES),
        early_warning_signs=some(st.builds(EarlyWarningSign, noticed_at=maybe(TIMES))),
        interventions=some(intervention),
        injuries=some(st.builds(Injury, days_incapacitated=maybe(st.integers(0, 10_000)))),
        debriefs=some(debrief),
        reviews=some(st.builds(Review, completed_at=TIMES)),
        safeguarding=maybe(_safeguarding()),
        notifications=some(st.builds(Notification, sent_at=TIMES)),
        actions=some(_action()).filter(lambda a: len({x.id for x in a}) == len(a)),
        person_account=maybe(st.builds(PersonAccount, at=maybe(TIMES))),
        people_involved=some(st.builds(PersonInvolved, ref=IDS, support_offered_at=maybe(TIMES))),
    )


CONVERTER = make_converter()


@given(any_incidents())
def test_converter_round_trip(incident: Incident) -> None:
    """Structuring the unstructured form of any incident gives it back, through JSON bytes."""
    data: Any = orjson.loads(orjson.dumps(CONVERTER.unstructure(incident)))

    assert incident == CONVERTER.structure(data, Incident)


@given(any_incidents())
def test_dump_is_compact(incident: Incident) -> None:
    """No dumped field holds its default: empty arrays and nulls are left out."""
    dumped = dump_incident(incident)

    assert all(value not in ([], None) for value in dumped.values())


@given(incidents())
def test_load_dump_round_trip(incident: Incident) -> None:
    """Valid incidents survive `dumps` and `load_incident`, domain checks included."""
    assert incident == load_incident(dumps(incident))


@given(st.lists(incidents(), max_size=4))
def test_batch_round_trip(batch: list[Incident]) -> None:
    """An NDJSON file of dumped incidents reads back as the same incidents, in order."""
    data = b"".join(dumps(incident) + b"\n" for incident in batch)

    assert batch == list(read_incidents(data))
