"""
Builders for hand-written synthetic incidents, shared by the sample's scenarios and generator.

Times are local to Europe/London; ids are pseudonyms (``P-014``, ``ST-203``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from trauma_incidents.model import (
    Action,
    Audience,
    Category,
    Debrief,
    DebriefStatus,
    EarlyWarningSign,
    Effectiveness,
    Incident,
    Intervention,
    InterventionKind,
    LocationType,
    Outcome,
    Review,
    ReviewKind,
    Setting,
    Severity,
    Topic,
    Trigger,
)

LONDON = ZoneInfo("Europe/London")
UTC = timezone.utc
H, D = timedelta(hours=1), timedelta(days=1)

SERVICES = {
    "SVC-NORTH-SL": Setting.SUPPORTED_LIVING,
    "SVC-EAST-RC": Setting.RESIDENTIAL_CARE,
    "SVC-CITY-DAY": Setting.DAY_SERVICE,
    "SVC-WEST-COM": Setting.COMMUNITY,
}
PEOPLE = {  # person -> service
    "P-003": "SVC-NORTH-SL",
    "P-007": "SVC-EAST-RC",
    "P-011": "SVC-WEST-COM",
    "P-014": "SVC-CITY-DAY",
    "P-018": "SVC-EAST-RC",
    "P-022": "SVC-NORTH-SL",
    "P-025": "SVC-CITY-DAY",
    "P-031": "SVC-EAST-RC",
    "P-036": "SVC-WEST-COM",
    "P-040": "SVC-NORTH-SL",
}
LEARNING = (Topic.TIMELINE, Topic.EARLY_WARNING_SIGNS, Topic.COMMUNICATION)


def t(day: str, hm: str) -> datetime:
    """A local (Europe/London) time, such as ``t("2026-02-09", "20:40")``."""
    return datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=LONDON)


def later(start: datetime, delta: timedelta) -> datetime:
    """*delta* of elapsed time after *start*, in local time."""
    return (start.astimezone(UTC) + delta).astimezone(LONDON)


def make(number: str, person: str, occurred: datetime, **fields: Any) -> Incident:
    """An incident for *person* at their service, with *fields* set."""
    service = PEOPLE[person]
    fields.setdefault("reported_at", later(occurred, H / 2))
    fields.setdefault("severity", Severity.LOW)
    return Incident(
        id=f"INC-{number}",
        person_id=person,
        service_id=service,
        occurred_at=occurred,
        setting=SERVICES[service],
        **fields,
    )


def held(audience: Audience, at: datetime, *topics: Topic) -> Debrief:
    """A held debrief."""
    return Debrief(audience=audience, status=DebriefStatus.HELD, at=at, topics=topics)


def review(kind: ReviewKind, at: datetime, causes: Sequence[str], changes: Sequence[str]) -> Review:
    """A completed review."""
    return Review(kind=kind, completed_at=at, root_causes=tuple(causes), changes=tuple(changes))


def done(  # noqa: PLR0917 (reads as a row of facts)
    action_id: str, text: str, due: date, completed: datetime, assessed: datetime, outcome: Outcome
) -> Action:
    """A completed action, with its effectiveness assessed."""
    effect = Effectiveness(assessed_at=assessed, outcome=outcome, evidence="reviewed with team")
    return Action(
        id=action_id,
        description=text,
        owner_id="ST-203",
        due=due,
        completed_at=completed,
        effectiveness=effect,
    )


def calm(kind: InterventionKind, start: datetime, minutes: int) -> Intervention:
    """A non-restrictive intervention."""
    end = later(start, timedelta(minutes=minutes))
    return Intervention(kind=kind, started_at=start, ended_at=end, staff_ids=("ST-203",))


def settled(
    number: str,
    person: str,
    moment: datetime,
    *,
    place: LocationType,
    summary: str,
    trigger: Trigger,
    support: Intervention,
    reviewed: timedelta,
    learning: tuple[str, str],
) -> Incident:
    """
    A no-harm distress incident handled well, as a series goes on.

    Early signs (pacing) are noticed and acted on, calm *support* settles the person, and a
    reflective review *reviewed* later records one cause and one change (*learning*).
    """
    cause, change = learning
    return make(
        number,
        person,
        moment,
        categories=(Category.BEHAVIOURAL_DISTRESS,),
        severity=Severity.NO_HARM,
        location_type=place,
        summary=summary,
        triggers=(trigger,),
        early_warning_signs=(
            EarlyWarningSign(description="pacing", noticed_at=moment, acted_on=True),
        ),
        interventions=(support,),
        reviews=(review(ReviewKind.REFLECTIVE_REVIEW, later(moment, reviewed), [cause], [change]),),
    )
