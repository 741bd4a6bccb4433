"""The example service against a real PostgreSQL: what a platform developer relies on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import orjson
from care_platform import Service
from fastapi.testclient import TestClient

from conftest import RULES, START, Clock
from trauma_incidents import Finding, Incident, Status, dump_finding, dump_incident
from trauma_incidents.monitor import Event, dump_event, replay
from trauma_incidents.testing import synthetic_incidents

INCIDENTS = sorted(synthetic_incidents(40, seed=11), key=lambda i: (i.awareness_at, i.id))
#: After the last incident: a day, a week, a month and a year on.
TICKS = [INCIDENTS[-1].awareness_at + timedelta(days=d) for d in (1, 7, 30, 365)]


def post_all(client: TestClient, clock: Clock) -> None:
    """Each incident at the time the service learns of it, as a platform would post it."""
    for incident in INCIDENTS:
        clock.now = max(clock.now, incident.awareness_at)
        response = client.post("/incidents", content=orjson.dumps(dump_incident(incident)))
        assert response.status_code == 201, response.text


def fresh(at: datetime) -> dict[str, Finding]:
    """The findings of evaluating every incident afresh at *at*, by id."""
    return {f.id: f for f in RULES.evaluate(INCIDENTS, at=at).findings}


def test_the_outbox_replayed_equals_a_fresh_evaluation(
    client: TestClient, clock: Clock, service: Service
) -> None:
    """After every post and each of several ticks, the events rebuild exactly the findings."""
    post_all(client, clock)
    for at in TICKS:
        clock.now = at
        assert client.post("/tick").status_code == 200

        assert replay(service.outbox()) == fresh(at)
    assert service.counts()["findings"] == len(fresh(TICKS[-1])) > 0


def test_posting_returns_the_incidents_findings(client: TestClient, clock: Clock) -> None:
    """The response is the incident's findings at the request's time, as `dump_finding` has them."""
    incident = INCIDENTS[0]
    clock.now = incident.awareness_at + timedelta(days=2)

    response = client.post("/incidents", content=orjson.dumps(dump_incident(incident)))

    expected = RULES.evaluate([incident], at=clock.now).findings
    assert response.status_code == 201
    assert response.json() == [dump_finding(f) for f in expected]


def test_a_persons_open_obligations(client: TestClient, clock: Clock) -> None:
    """Due and overdue findings about the person's incidents, soonest deadline first."""
    post_all(client, clock)
    person = max({i.person_id for i in INCIDENTS}, key=lambda p: _open_count(p, clock.now))
    assert _open_count(person, clock.now) > 0

    response = client.get(f"/people/{person}/obligations")

    assert response.status_code == 200
    got = response.json()
    assert {f["id"] for f in got} == {f.id for f in _open(person, clock.now)}
    assert [f["due_at"] for f in got] == sorted(f["due_at"] for f in got)


def _open(person_id: str, at: datetime) -> list[Finding]:
    ids = {i.id for i in INCIDENTS if i.person_id == person_id}
    report = RULES.evaluate([i for i in INCIDENTS if i.awareness_at <= at], at=at)
    return [f for f in report.with_status(Status.DUE, Status.OVERDUE) if f.incident_id in ids]


def _open_count(person_id: str, at: datetime) -> int:
    return len(_open(person_id, at))


def test_a_bad_post_stores_nothing(client: TestClient, service: Service) -> None:
    """422 with every problem and its path; no incident, finding or event is stored."""
    before = service.counts()
    bad = {
        "id": "",
        "person_id": " ",
        "service_id": "SVC-1",
        "occurred_at": "2026-03-02T10:00:00Z",
        "categories": [],
        "severity": "low",
        "reported_at": "2026-03-01T10:00:00Z",
    }

    response = client.post("/incidents", content=orjson.dumps(bad))
    garbled = client.post("/incidents", content=b'{"id": "INC-1", "summary": "words')

    assert response.status_code == 422
    assert [p["path"] for p in response.json()["problems"]] == [
        "$.id",
        "$.person_id",
        "$.categories",
        "$.reported_at",
    ]
    assert garbled.status_code == 422
    assert [p["path"] for p in garbled.json()["problems"]] == ["$"]
    assert "words" not in garbled.text
    assert service.counts() == before


def run(conninfo: str, *, restart_at: set[int]) -> list[Event]:
    """Post every incident and tick, restarting the service before the posts numbered."""
    service = Service(conninfo, RULES, start=START)
    now = START
    steps: list[Incident | datetime] = [*INCIDENTS, *TICKS]
    for n, step in enumerate(steps):
        if n in restart_at:
            service.close()
            service = Service(conninfo, RULES, start=START)
            assert service.now == now
            assert service.tick(now) == 0  # the restart announces nothing
        if isinstance(step, Incident):
            now = max(now, step.awareness_at)
            service.submit(orjson.dumps(dump_incident(step)), now)
        else:
            now = step
            service.tick(now)
    events = service.outbox()
    service.close()
    return events


def test_a_restart_announces_nothing_twice(new_database: Callable[[], str]) -> None:
    """Restarted three times, the outbox is the one of a service never stopped."""
    steady = run(new_database(), restart_at=set())
    restarted = run(new_database(), restart_at={1, len(INCIDENTS) // 2, len(INCIDENTS) + 1})

    assert [dump_event(e) for e in restarted] == [dump_event(e) for e in steady]
    assert replay(restarted) == fresh(TICKS[-1])
