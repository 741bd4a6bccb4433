"""Restart: from a snapshot, or from the findings a platform stored; nothing announced twice."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents.config import Config, Waiver
from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import MonitorDataError
from trauma_incidents.model import Incident
from trauma_incidents.monitor import Event, EventKind, Monitor, replay
from trauma_incidents.testing import T0, days, hours, incident, restraint

from .support import BACKENDS, BATCHES, RULES, START, clocks, fresh


@pytest.mark.parametrize("backend", BACKENDS)
@given(data=st.data(), batch=BATCHES)
def test_from_findings_announces_nothing_already_announced(
    backend: str, data: st.DataObject, batch: list[Incident]
) -> None:
    """
    A platform that stored the events' findings restarts: the first tick announces nothing.

    Then the restarted monitor goes on to the findings of a fresh evaluation.
    """
    times = data.draw(clocks(batch, RULES))
    cut = data.draw(st.integers(0, len(times) - 1))
    events: list[Event] = []
    with Monitor(RULES, at=START, backend=backend, on_event=events.append) as monitor:
        for inc in batch:
            monitor.upsert(inc)
        for at in times[: cut + 1]:
            monitor.advance(at)
    stored = replay(events)

    later: list[Event] = []
    with Monitor.from_findings(
        RULES, batch, stored.values(), at=times[cut], backend=backend, on_event=later.append
    ) as restarted:
        assert restarted.next_change_at() == times[cut]
        first = restarted.advance(times[cut])
        for at in times[cut + 1 :]:
            restarted.advance(at)

    assert {e.kind for e in first} <= {EventKind.RELEASED}
    assert replay(later, stored) == fresh(batch, times[-1])


def test_from_findings_keeps_other_incidents_findings_as_released() -> None:
    """Findings of incidents not given are remembered: removing one withdraws them."""
    inc = incident(interventions=(restraint(),))
    stored = fresh([inc], T0 + days(400))
    with Monitor.from_findings(RULES, [], stored.values(), at=T0 + days(400)) as monitor:
        assert len(monitor) == 0
        assert monitor.next_change_at() is None

        gone = monitor.remove(inc.id)

    assert {e.finding_id for e in gone} == set(stored)
    assert {e.kind for e in gone} == {EventKind.WITHDRAWN}


def snapshot_of(rules: RuleSet = RULES) -> bytes:
    with Monitor(rules, at=T0 + hours(1)) as monitor:
        monitor.upsert(incident(interventions=(restraint(),)))
        monitor.upsert(incident(id="INC-0002", interventions=(restraint(),)))
        monitor.advance(T0 + days(400))
        monitor.upsert(
            incident(id="INC-0003", occurred_at=T0 + days(399), interventions=(restraint(),))
        )
        return monitor.snapshot()


def test_snapshot_is_versioned_json() -> None:
    """A JSON object naming its format and version, the time, held and released incidents."""
    document = orjson.loads(snapshot_of())

    assert document["format"] == "trauma-incidents monitor snapshot"
    assert document["version"] == 1
    assert [h["incident"]["id"] for h in document["held"]] == ["INC-0003"]
    assert {r["incident_id"] for r in document["released"]} == {"INC-0001", "INC-0002"}
    assert set(document["released"][0]["findings"][0]) == {"id", "rule", "status", "digest"}


def test_restore_with_other_rules_is_refused() -> None:
    """Other waivers (or packs, options, library version): restore names the rules."""
    other = RuleSet.compile(
        Config(waivers=(Waiver(reason="Agreed", rule="DB001", incident_id="X"),))
    )

    with pytest.raises(MonitorDataError, match="from_findings") as caught:
        Monitor.restore(snapshot_of(), other)

    assert [p.path for p in caught.value.problems] == ["$.rules"]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"version": 2}, "$.version"),
        ({"format": "something else"}, "$.format"),
        ({"at": "not a time"}, "$.at"),
        ({"held": [{"incident": {"id": 3}}]}, "$.held[0].incident.id"),
    ],
)
def test_restore_reports_a_bad_snapshot_by_path(change: dict[str, object], path: str) -> None:
    """A snapshot from another version, or damaged, is refused with the path of the problem."""
    document = {**orjson.loads(snapshot_of()), **change}

    with pytest.raises(MonitorDataError) as caught:
        Monitor.restore(orjson.dumps(document), RULES)

    assert path in {p.path for p in caught.value.problems}


def test_restore_refuses_invalid_json() -> None:
    """Truncated JSON is one problem at ``$``."""
    with pytest.raises(MonitorDataError) as caught:
        Monitor.restore(snapshot_of()[:-10], RULES)

    assert [p.path for p in caught.value.problems] == ["$"]
