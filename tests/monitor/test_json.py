"""Events and snapshots as JSON: both ways, with shipped schemas that are current."""

from __future__ import annotations

import subprocess
import sys
from importlib.resources import files
from typing import Any, get_args, get_type_hints

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from trauma_incidents.engine._json import FindingDict, finding_dict
from trauma_incidents.errors import MonitorDataError
from trauma_incidents.model import Incident
from trauma_incidents.monitor import (
    Event,
    EventDict,
    EventKind,
    Monitor,
    dump_event,
    load_event,
    replay,
)
from trauma_incidents.monitor._schemas import event_schema, schema_json, snapshot_schema
from trauma_incidents.rules import FindingSeverity, Status
from trauma_incidents.testing import T0, days, hours, incident, restraint

from .support import BATCHES, RULES, START, clocks

DATA = files("trauma_incidents") / "data"
EVENTS = Draft202012Validator(event_schema())
SNAPSHOTS = Draft202012Validator(snapshot_schema())


def some_events() -> list[Event]:
    """Every kind of event, from one restraint's life."""
    inc = incident(interventions=(restraint(),))
    with Monitor(RULES, at=T0 + hours(1)) as monitor:
        events = list(monitor.upsert(inc).events)
        events += monitor.advance(T0 + days(400))
        events += monitor.remove(inc.id)
    return events


@given(data=st.data(), batch=BATCHES)
def test_events_round_trip_and_match_the_schema(data: st.DataObject, batch: list[Incident]) -> None:
    """``load_event(dump_event(e)) == e``, through JSON text; replaying loaded events agrees."""
    events: list[Event] = []
    with Monitor(RULES, at=START, on_event=events.append) as monitor:
        for inc in batch:
            monitor.upsert(inc)
        for at in data.draw(clocks(batch, RULES)):
            monitor.advance(at)
        snapshot = orjson.loads(monitor.snapshot())

    loaded = [load_event(orjson.dumps(dump_event(e))) for e in events]

    assert loaded == events
    assert replay(loaded) == replay(events)
    for e in events:
        EVENTS.validate(dump_event(e))
    SNAPSHOTS.validate(snapshot)


def test_every_kind_is_dumped_with_its_value() -> None:
    """Released, withdrawn and the rest: each dumps and loads."""
    events = some_events()
    kinds = {e.kind for e in events}

    assert {EventKind.OPENED, EventKind.OVERDUE, EventKind.RELEASED} <= kinds
    assert EventKind.WITHDRAWN in kinds
    released = next(dump_event(e) for e in events if e.kind is EventKind.RELEASED)
    assert released["kind"] == "released"
    assert released["finding_id"] is None
    assert [load_event(dump_event(e)) for e in events] == events


def test_typed_dicts_name_the_dumped_keys() -> None:
    """`EventDict` and `FindingDict` have exactly the keys the dumps have."""
    event = next(e for e in some_events() if e.finding is not None)
    assert event.finding is not None

    assert set(get_type_hints(EventDict)) == set(dump_event(event))
    assert set(get_type_hints(FindingDict)) == set(finding_dict(event.finding))


def test_typed_dicts_list_every_value_of_the_vocabularies() -> None:
    """The literal kinds, statuses and severities are exactly the enums' values."""
    event, finding = get_type_hints(EventDict), get_type_hints(FindingDict)

    assert set(get_args(event["kind"])) == {k.value for k in EventKind}
    assert set(get_args(finding["status"])) == {s.value for s in Status}
    assert set(get_args(finding["severity"])) == {s.value for s in FindingSeverity}


def test_load_event_reports_every_problem_with_its_path() -> None:
    """Wrong types and missing fields are listed together, by path."""
    bad: dict[str, Any] = dict(dump_event(next(e for e in some_events() if e.finding)))
    bad["kind"] = "vanished"
    bad["at"] = "yesterday"
    del bad["incident_id"]
    assert isinstance(bad["finding"], dict)
    bad["finding"] = {**bad["finding"], "status": 3}

    with pytest.raises(MonitorDataError) as caught:
        load_event(bad)

    paths = {p.path for p in caught.value.problems}
    assert paths == {"$.kind", "$.at", "$.incident_id", "$.finding.status"}


def test_load_event_checks_the_findings_id() -> None:
    """A finding whose id is not its own is refused."""
    good = dump_event(next(e for e in some_events() if e.finding))
    assert good["finding"] is not None
    bad = {**good, "finding": {**good["finding"], "id": "0000000000000000"}}

    with pytest.raises(MonitorDataError, match="id") as caught:
        load_event(bad)

    assert [p.path for p in caught.value.problems] == ["$.finding.id"]


def test_load_event_refuses_invalid_json_without_echoing_it() -> None:
    """Invalid JSON is one problem at ``$``."""
    with pytest.raises(MonitorDataError) as caught:
        load_event(b'{"kind": "opened", "summary": "private words"')

    assert "private" not in str(caught.value)
    assert [p.path for p in caught.value.problems] == ["$"]


@pytest.mark.parametrize("name", ["event", "monitor_snapshot"])
def test_shipped_schemas_are_current(name: str) -> None:
    """The shipped files are the generated ones; the module prints them."""
    shipped = (DATA / f"{name}.schema.json").read_bytes()
    printed = subprocess.run(  # noqa: S603 (this interpreter, a fixed module, a test's name)
        [sys.executable, "-m", "trauma_incidents.monitor._schemas", name],
        capture_output=True,
        check=True,
    ).stdout

    assert shipped == schema_json(name) == printed
    Draft202012Validator.check_schema(orjson.loads(shipped))
