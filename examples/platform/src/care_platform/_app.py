"""The HTTP face of the service: FastAPI, with the library's TypedDicts as response models."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from care_platform._service import Service
from trauma_incidents import FindingDict, IncidentLoadError


def create_app(service: Service, clock: Callable[[], datetime]) -> FastAPI:
    """
    The app: POST an incident, GET a person's open obligations, POST a tick.

    *clock* gives the time of each request (``datetime.now(timezone.utc)`` in production;
    a test's own clock in tests). The service's calls block on the database, so they run
    in FastAPI's thread pool.
    """
    app = FastAPI(title="Care platform (trauma-incidents example)")

    @app.post("/incidents", status_code=201, response_model=list[FindingDict])
    async def post_incident(request: Request) -> list[FindingDict] | JSONResponse:
        """Store an incident and return its findings; 422 with every problem, storing nothing."""
        body = await request.body()
        try:
            return await run_in_threadpool(service.submit, body, clock())
        except IncidentLoadError as e:
            problems = [{"path": p.path, "message": p.message} for p in e.problems]
            return JSONResponse({"problems": problems}, status_code=422)

    @app.get("/people/{person_id}/obligations", response_model=list[FindingDict])
    def obligations(person_id: str) -> list[FindingDict]:
        """The person's open (``due`` and ``overdue``) findings, soonest deadline first."""
        return service.open_obligations(person_id)

    @app.post("/tick")
    def tick() -> dict[str, int | str | None]:
        """Move the Monitor to now (a scheduler calls this at ``next_change_at``)."""
        events = service.tick(clock())
        following = service.next_change_at()
        return {
            "events": events,
            "next_change_at": None if following is None else following.isoformat(),
        }

    return app
