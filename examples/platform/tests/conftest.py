"""A PostgreSQL server for the tests (pgserver: the server inside a wheel), a database each."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timezone

import psycopg
import pytest
from care_platform import Service, create_app
from fastapi.testclient import TestClient
from pgserver import get_server  # type: ignore[attr-defined]  # not re-exported
from psycopg.conninfo import make_conninfo

from trauma_incidents import RuleSet

RULES = RuleSet.compile()
START = datetime(2025, 1, 1, tzinfo=timezone.utc)


class Clock:
    """The time the app gives each request; tests move it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the session, stopped at the end."""
    srv = get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    yield str(srv.get_uri())
    srv.cleanup()


@pytest.fixture
def new_database(server: str) -> Callable[[], str]:
    """Make a new, empty database; return its connection string."""

    def make() -> str:
        name = f"t_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"create database {name}")
        return make_conninfo(server, dbname=name)

    return make


@pytest.fixture
def database(new_database: Callable[[], str]) -> str:
    """A new, empty database's connection string."""
    return new_database()


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def service(database: str) -> Iterator[Service]:
    svc = Service(database, RULES, start=START)
    yield svc
    svc.close()


@pytest.fixture
def client(service: Service, clock: Clock) -> Iterator[TestClient]:
    with TestClient(create_app(service, clock)) as c:
        yield c
