"""
Seeded, deterministic synthetic incidents: the bundled sample, and any number for benchmarks.

Run ``python benchmarks/synthetic.py --n 100000 --seed 1 > x.ndjson`` for benchmark data, or
``python benchmarks/synthetic.py --sample`` to rewrite ``src/trauma_incidents/data/
sample_incidents.ndjson``. Everything is invented: ids are pseudonyms (``P-014``, ``ST-203``)
and the narratives are short and generic. Records are built as model objects and written with
`trauma_incidents.loading.dumps`, so every line loads back.

The sample holds three small series (the situations the library exists for), a few
hand-written incidents that show particular rules, and seeded ordinary ones:

- ``INC-A*`` (P-014): distress on a crowded outing, a reflective review, quieter outings.
- ``INC-B*`` (P-022): a physical intervention to prevent self-harm, debriefs, plan change.
- ``INC-C*`` (P-031): distress during a safeguarding enquiry, eased by explaining each stage.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from trauma_incidents.loading import dumps
from trauma_incidents.model import (
    RESTRICTIVE_KINDS,
    AccountMethod,
    Action,
    Advocate,
    AdvocateKind,
    Audience,
    Capacity,
    Category,
    Debrief,
    DebriefStatus,
    EarlyWarningSign,
    Effectiveness,
    Explanation,
    ExplanationMethod,
    Harm,
    Incident,
    InjuredParty,
    Injury,
    InjurySeverity,
    Intervention,
    InterventionKind,
    LegalBasis,
    LocationType,
    Notification,
    NotificationConsent,
    Observation,
    Outcome,
    PersonAccount,
    PhysicalHarm,
    Position,
    PsychologicalHarm,
    Recipient,
    Review,
    ReviewKind,
    Safeguarding,
    SafeguardingConsent,
    SafeguardingStage,
    Setting,
    Severity,
    Stage,
    Topic,
    Trigger,
    TriggerKind,
)

LONDON = ZoneInfo("Europe/London")
UTC = timezone.utc
SAMPLE = (
    Path(__file__).parent.parent / "src" / "trauma_incidents" / "data" / "sample_incidents.ndjson"
)
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


# -- (a) distress on a crowded outing, handled by reflective review ----------------------------


def outings() -> list[Incident]:
    """P-014: a crowded market outing, a reflective review, then quieter outings."""
    a1 = t("2026-01-17", "11:20")
    quieter = done(
        "A-1",
        "Plan quieter outings at off-peak times, with a quiet place agreed in advance",
        date(2026, 1, 31),
        t("2026-01-27", "14:00"),
        t("2026-02-24", "10:00"),
        Outcome.EFFECTIVE,
    )
    first = make(
        "A01",
        "P-014",
        a1,
        categories=(Category.BEHAVIOURAL_DISTRESS,),
        location_type=LocationType.COMMUNITY,
        location="town market",
        summary=(
            "On a busy Saturday market outing the person became distressed by the crowd and"
            " music, covered their ears and sat down on the pavement. Staff moved with them to a"
            " quiet side street and waited with them until they felt ready to go home."
        ),
        triggers=(
            Trigger(kind=TriggerKind.SENSORY, detail="loud music and crowd noise", confirmed=True),
            Trigger(kind=TriggerKind.ENVIRONMENTAL, detail="crowded market at its busiest"),
        ),
        early_warning_signs=(
            EarlyWarningSign(description="covering ears", noticed_at=t("2026-01-17", "11:10")),
            EarlyWarningSign(description="walking faster, asking to go", acted_on=False),
        ),
        interventions=(
            calm(InterventionKind.ENVIRONMENTAL_ADJUSTMENT, t("2026-01-17", "11:22"), 10),
            calm(InterventionKind.REASSURANCE, t("2026-01-17", "11:25"), 25),
        ),
        debriefs=(
            held(Audience.STAFF, t("2026-01-17", "16:00"), *LEARNING, Topic.WHAT_HELPED),
            held(Audience.PERSON, t("2026-01-18", "10:30"), Topic.PERSON_ACCOUNT),
        ),
        reviews=(
            review(
                ReviewKind.REFLECTIVE_REVIEW,
                t("2026-01-20", "15:00"),
                ["outing planned for the busiest time", "no quiet place agreed beforehand"],
                ["plan outings at quieter times", "agree a quiet place before each outing"],
            ),
        ),
        actions=(quieter,),
        person_account=PersonAccount(
            given=True, method=AccountMethod.PICTURES, at=t("2026-01-18", "10:30")
        ),
        harm=Harm(physical=PhysicalHarm.NONE, psychological=PsychologicalHarm.LOW),
    )
    second = make(
        "A02",
        "P-014",
        t("2026-01-24", "12:05"),
        categories=(Category.BEHAVIOURAL_DISTRESS,),
        location_type=LocationType.COMMUNITY,
        summary=(
            "At a busy cafe the person became distressed and pushed their chair back; staff"
            " noticed early signs and offered to leave, and the person settled in the minibus."
        ),
        triggers=(Trigger(kind=TriggerKind.SENSORY, detail="busy cafe"),),
        early_warning_signs=(
            EarlyWarningSign(
                description="covering ears", noticed_at=t("2026-01-24", "12:00"), acted_on=True
            ),
        ),
        interventions=(calm(InterventionKind.VERBAL_DEESCALATION, t("2026-01-24", "12:06"), 10),),
        reviews=(
            review(
                ReviewKind.REFLECTIVE_REVIEW,
                t("2026-01-27", "14:00"),
                ["quieter outings not yet in place"],
                ["start the off-peak outing plan this week"],
            ),
        ),
    )
    quiet = [
        make(
            f"A0{i}",
            "P-014",
            moment,
            categories=(Category.BEHAVIOURAL_DISTRESS,),
            severity=Severity.NO_HARM,
            location_type=LocationType.COMMUNITY,
            summary=(
                "On a planned quiet morning outing the person showed early signs of distress when"
                " a bus was crowded; they chose to use the agreed quiet place and settled quickly."
            ),
            triggers=(Trigger(kind=TriggerKind.ENVIRONMENTAL, detail="crowded bus"),),
            early_warning_signs=(
                EarlyWarningSign(description="pacing", noticed_at=moment, acted_on=True),
            ),
            interventions=(calm(InterventionKind.DISTRACTION, later(moment, H / 6), 5),),
            reviews=(
                review(
                    ReviewKind.REFLECTIVE_REVIEW,
                    later(moment, D * 2),
                    ["crowding on the usual bus route"],
                    ["keep off-peak outings; walk when the bus is full"],
                ),
            ),
        )
        for i, moment in ((3, t("2026-02-21", "10:15")), (4, t("2026-03-28", "10:40")))
    ]
    return [first, second, *quiet]


# -- (b) physical intervention to prevent self-harm, debriefs, support plan change -------------


def self_harm() -> list[Incident]:
    """P-022: a brief seated hold to prevent self-injury, then learning and a plan change."""
    b1 = t("2026-02-09", "20:40")
    hold = Intervention(
        kind=InterventionKind.PHYSICAL_RESTRAINT,
        started_at=t("2026-02-09", "20:46"),
        ended_at=t("2026-02-09", "20:49"),
        reason="to prevent self-injury: the person was hitting their head against a door frame",
        position=Position.SEATED,
        staff_ids=("ST-203", "ST-215"),
        in_support_plan=True,
        legal_basis=LegalBasis.MCA_BEST_INTERESTS,
        capacity=Capacity.LACKS,
        observations=(
            Observation(
                at=t("2026-02-09", "20:50"),
                airway_breathing_ok=True,
                conscious=True,
                by_role="team leader",
            ),
        ),
    )
    first = make(
        "B01",
        "P-022",
        b1,
        categories=(Category.SELF_HARM, Category.BEHAVIOURAL_DISTRESS),
        location_type=LocationType.OWN_HOME,
        summary=(
            "After an unexpected change of evening staff the person became very distressed and"
            " began hitting their head on a door frame. Staff tried reassurance first, then held"
            " the person's arms while seated for three minutes to keep them safe."
        ),
        triggers=(
            Trigger(kind=TriggerKind.ROUTINE_CHANGE, detail="unexpected change of evening staff"),
            Trigger(kind=TriggerKind.COMMUNICATION, detail="change not explained in advance"),
        ),
        early_warning_signs=(
            EarlyWarningSign(
                description="pacing in the hallway", noticed_at=t("2026-02-09", "20:10")
            ),
            EarlyWarningSign(description="asking again and again who is on tomorrow"),
        ),
        interventions=(
            calm(InterventionKind.VERBAL_DEESCALATION, t("2026-02-09", "20:38"), 8),
            calm(InterventionKind.REASSURANCE, t("2026-02-09", "20:42"), 4),
            hold,
        ),
        injuries=(Injury(who=InjuredParty.PERSON, severity=InjurySeverity.MINOR),),
        debriefs=(
            held(Audience.STAFF, t("2026-02-10", "09:30"), *LEARNING, Topic.WHAT_HELPED),
            held(
                Audience.PERSON,
                t("2026-02-10", "15:00"),
                Topic.PERSON_ACCOUNT,
                Topic.COMMUNICATION,
                Topic.WHAT_HELPED,
            ),
            held(Audience.FAMILY, t("2026-02-11", "18:00"), Topic.TIMELINE, Topic.SUPPORT_PLAN),
        ),
        reviews=(
            review(
                ReviewKind.POST_INCIDENT_REVIEW,
                t("2026-02-11", "11:00"),
                ["early warning signs missed at handover", "staff change not explained in advance"],
                ["add early warning signs to the handover sheet", "use a visual staff rota"],
            ),
            review(
                ReviewKind.SUPPORT_PLAN_REVIEW,
                t("2026-02-13", "14:00"),
                ["plan did not cover changes to evening staff"],
                ["support plan updated: explain staff changes with the visual rota each afternoon"],
            ),
        ),
        actions=(
            done(
                "A-1",
                "Add early warning signs to the shift handover sheet",
                date(2026, 2, 20),
                t("2026-02-18", "12:00"),
                t("2026-03-10", "12:00"),
                Outcome.EFFECTIVE,
            ),
            done(
                "A-2",
                "Introduce a visual staff rota, shown each afternoon",
                date(2026, 2, 27),
                t("2026-02-26", "16:00"),
                t("2026-03-20", "16:00"),
                Outcome.PARTIALLY_EFFECTIVE,
            ),
        ),
        notifications=(
            Notification(
                recipient=Recipient.FAMILY,
                sent_at=t("2026-02-10", "09:00"),
                consent=NotificationConsent.BEST_INTERESTS,
            ),
        ),
        person_account=PersonAccount(
            given=True, method=AccountMethod.AAC, at=t("2026-02-10", "15:00")
        ),
        harm=Harm(physical=PhysicalHarm.LOW, psychological=PsychologicalHarm.LOW),
    )
    follow = [
        make(
            f"B0{i}",
            "P-022",
            moment,
            categories=(Category.BEHAVIOURAL_DISTRESS,),
            severity=Severity.NO_HARM,
            location_type=LocationType.OWN_HOME,
            summary=(
                "The person was unsettled about a staff change; staff used the visual rota to"
                " explain who was coming, and the person settled with a drink and music."
            ),
            triggers=(Trigger(kind=TriggerKind.ROUTINE_CHANGE, detail="staff change"),),
            early_warning_signs=(
                EarlyWarningSign(description="pacing", noticed_at=moment, acted_on=True),
            ),
            interventions=(calm(InterventionKind.REASSURANCE, later(moment, H / 12), 15),),
            reviews=(
                review(
                    ReviewKind.REFLECTIVE_REVIEW,
                    later(moment, D * 3),
                    ["staff change at short notice"],
                    ["keep the visual rota up to date"],
                ),
            ),
        )
        for i, moment in ((2, t("2026-03-05", "19:30")), (3, t("2026-04-08", "18:45")))
    ]
    return [first, *follow]


# -- (c) distress during a safeguarding enquiry, eased by explaining each stage ----------------


def enquiry() -> list[Incident]:
    """P-031: a concern about missing money, an enquiry explained stage by stage."""
    c1 = t("2026-02-02", "14:10")

    def stage(
        name: Stage, entered: datetime, explained: datetime, how: ExplanationMethod
    ) -> SafeguardingStage:
        return SafeguardingStage(
            stage=name,
            entered_at=entered,
            explanation=Explanation(at=explained, method=how, by="ST-118"),
        )

    stages = (
        stage(
            Stage.CONCERN_RAISED,
            t("2026-02-02", "15:00"),
            t("2026-02-02", "16:00"),
            ExplanationMethod.VERBAL,
        ),
        stage(
            Stage.INITIAL_ENQUIRY,
            t("2026-02-04", "10:00"),
            t("2026-02-04", "14:00"),
            ExplanationMethod.EASY_READ,
        ),
        stage(
            Stage.SECTION_42_ENQUIRY,
            t("2026-02-11", "09:00"),
            t("2026-02-12", "11:00"),
            ExplanationMethod.WITH_ADVOCATE,
        ),
        stage(
            Stage.SAFEGUARDING_PLAN,
            t("2026-03-04", "10:00"),
            t("2026-03-05", "10:00"),
            ExplanationMethod.EASY_READ,
        ),
        stage(
            Stage.CLOSED,
            t("2026-04-01", "10:00"),
            t("2026-04-02", "11:00"),
            ExplanationMethod.WITH_ADVOCATE,
        ),
    )
    concern = make(
        "C01",
        "P-031",
        c1,
        categories=(Category.SAFEGUARDING_CONCERN, Category.ABUSE_ALLEGATION),
        location_type=LocationType.BEDROOM,
        summary=(
            "The person told their keyworker that money was missing from their room. Staff"
            " listened, reassured them they had done the right thing, and raised a concern."
        ),
        triggers=(Trigger(kind=TriggerKind.INTERPERSONAL, detail="money missing from room"),),
        debriefs=(held(Audience.PERSON, t("2026-02-03", "11:00"), Topic.PERSON_ACCOUNT),),
        safeguarding=Safeguarding(
            reference="SG-2026-014",
            stages=stages,
            desired_outcomes_recorded_at=t("2026-02-03", "11:00"),
            consent=SafeguardingConsent.GIVEN,
            advocate=Advocate(
                kind=AdvocateKind.INDEPENDENT_CARE_ACT, appointed_at=t("2026-02-09", "12:00")
            ),
        ),
        notifications=(
            Notification(recipient=Recipient.LOCAL_AUTHORITY, sent_at=t("2026-02-02", "15:00")),
            Notification(
                recipient=Recipient.CQC, sent_at=t("2026-02-02", "17:30"), reference="CQC-88120"
            ),
        ),
        person_account=PersonAccount(given=True, method=AccountMethod.SPOKEN, at=c1),
    )
    worried = make(
        "C02",
        "P-031",
        t("2026-02-10", "16:30"),
        categories=(Category.BEHAVIOURAL_DISTRESS,),
        location_type=LocationType.LOUNGE,
        summary=(
            "The person was tearful and shouting, worried that the police would come and that"
            " they would have to move. Staff sat with them and explained what happens next."
        ),
        triggers=(
            Trigger(kind=TriggerKind.COMMUNICATION, detail="did not know what the enquiry meant"),
        ),
        early_warning_signs=(EarlyWarningSign(description="withdrawing to their room"),),
        interventions=(calm(InterventionKind.REASSURANCE, t("2026-02-10", "16:32"), 30),),
        reviews=(
            review(
                ReviewKind.REFLECTIVE_REVIEW,
                t("2026-02-12", "15:00"),
                ["the enquiry's stages had not been explained in a way the person understood"],
                ["explain each stage in easy read, with the advocate present"],
            ),
        ),
        actions=(
            done(
                "A-1",
                "Explain each safeguarding stage in easy read, with the advocate",
                date(2026, 2, 13),
                t("2026-02-12", "11:00"),
                t("2026-03-06", "12:00"),
                Outcome.EFFECTIVE,
            ),
        ),
    )
    eased = make(
        "C03",
        "P-031",
        t("2026-03-04", "15:20"),
        categories=(Category.VERBAL_AGGRESSION,),
        severity=Severity.NO_HARM,
        location_type=LocationType.LOUNGE,
        summary=(
            "After the plan meeting the person raised their voice briefly; once the plan was"
            " gone through again in easy read with their advocate, they said they felt better."
        ),
        triggers=(Trigger(kind=TriggerKind.COMMUNICATION, detail="long meeting"),),
        interventions=(calm(InterventionKind.VERBAL_DEESCALATION, t("2026-03-04", "15:22"), 10),),
        reviews=(
            review(
                ReviewKind.REFLECTIVE_REVIEW,
                t("2026-03-06", "12:00"),
                ["long meeting without a break"],
                ["shorter meetings with breaks"],
            ),
        ),
    )
    return [concern, worried, eased]


# -- single incidents that show particular rules -----------------------------------------------


def showcase() -> list[Incident]:
    """Hand-written incidents: notifications, and gaps a governance meeting should see."""
    police = t("2026-01-21", "21:15")
    injury = t("2026-02-17", "08:05")
    staff_hurt = t("2026-03-12", "13:30")
    late = t("2026-03-18", "19:50")
    no_review = t("2026-04-14", "17:25")
    unexplained = t("2026-03-23", "11:00")
    return [
        make(
            "S01",
            "P-011",
            police,
            categories=(Category.POLICE_INVOLVEMENT, Category.VERBAL_AGGRESSION),
            location_type=LocationType.COMMUNITY,
            summary=(
                "A dispute with a neighbour outside the person's flat; the neighbour called the"
                " police. The person was frightened and staff stayed with them while police spoke"
                " to everyone."
            ),
            triggers=(Trigger(kind=TriggerKind.INTERPERSONAL, detail="dispute with neighbour"),),
            interventions=(calm(InterventionKind.REASSURANCE, later(police, H / 6), 40),),
            reviews=(
                review(
                    ReviewKind.REFLECTIVE_REVIEW,
                    later(police, D * 3),
                    ["ongoing noise dispute"],
                    ["meet the housing officer about the noise"],
                ),
            ),
            notifications=(
                Notification(recipient=Recipient.POLICE, sent_at=later(police, H / 2)),
                Notification(recipient=Recipient.CQC, sent_at=later(police, H * 14)),
            ),
        ),
        make(
            "S02",
            "P-007",
            injury,
            categories=(Category.FALL, Category.INJURY),
            severity=Severity.MODERATE,
            location_type=LocationType.BATHROOM,
            summary=(
                "The person slipped on a wet bathroom floor and fractured their wrist. Staff"
                " called an ambulance and stayed with them at hospital."
            ),
            triggers=(Trigger(kind=TriggerKind.ENVIRONMENTAL, detail="wet floor"),),
            injuries=(
                Injury(
                    who=InjuredParty.PERSON,
                    severity=InjurySeverity.MODERATE,
                    medical_treatment=True,
                ),
            ),
            harm=Harm(physical=PhysicalHarm.MODERATE, psychological=PsychologicalHarm.LOW),
            reviews=(
                review(
                    ReviewKind.AFTER_ACTION_REVIEW,
                    later(injury, D * 2),
                    ["floor mopped during morning routine"],
                    ["mop bathrooms after morning care", "non-slip mat fitted"],
                ),
            ),
            notifications=(
                Notification(
                    recipient=Recipient.PERSON,
                    sent_at=later(injury, D * 2),
                    duty_of_candour=True,
                    consent=NotificationConsent.GIVEN,
                ),
                Notification(recipient=Recipient.FAMILY, sent_at=later(injury, H * 2)),
            ),
            actions=(
                done(
                    "A-1",
                    "Fit non-slip mats in all bathrooms",
                    date(2026, 3, 3),
                    t("2026-02-27", "12:00"),
                    t("2026-03-20", "12:00"),
                    Outcome.EFFECTIVE,
                ),
            ),
        ),
        make(
            "S03",
            "P-018",
            staff_hurt,
            categories=(Category.PHYSICAL_AGGRESSION, Category.INJURY),
            severity=Severity.MODERATE,
            location_type=LocationType.DINING_ROOM,
            summary=(
                "The person was distressed at lunch and pushed a member of staff, who fell and"
                " broke their arm. Other staff supported the person to a quiet room."
            ),
            triggers=(Trigger(kind=TriggerKind.SENSORY, detail="noisy dining room"),),
            interventions=(
                calm(InterventionKind.ENVIRONMENTAL_ADJUSTMENT, later(staff_hurt, H / 12), 20),
            ),
            injuries=(
                Injury(
                    who=InjuredParty.STAFF,
                    severity=InjurySeverity.SERIOUS,
                    medical_treatment=True,
                    days_incapacitated=21,
                    specified_injury=True,
                ),
            ),
            debriefs=(held(Audience.STAFF, later(staff_hurt, H * 5), *LEARNING, Topic.WELLBEING),),
            reviews=(
                review(
                    ReviewKind.POST_INCIDENT_REVIEW,
                    later(staff_hurt, D * 2),
                    ["dining room too noisy at lunchtime"],
                    ["offer the person lunch in the quiet room"],
                ),
            ),
            notifications=(
                Notification(
                    recipient=Recipient.HSE,
                    sent_at=later(staff_hurt, D * 4),
                    reference="RIDDOR-5521",
                ),
                Notification(
                    recipient=Recipient.PERSON,
                    sent_at=later(staff_hurt, D * 3),
                    duty_of_candour=True,
                ),
            ),
        ),
        make(  # gap: staff debrief two days after the restraint; person debrief never offered
            "S04",
            "P-040",
            late,
            categories=(Category.PHYSICAL_AGGRESSION,),
            location_type=LocationType.KITCHEN,
            summary=(
                "The service user kicked off in the kitchen when their snack was finished and"
                " was restrained by two staff."
            ),
            triggers=(Trigger(kind=TriggerKind.UNMET_NEED, detail="hungry"),),
            interventions=(
                calm(InterventionKind.VERBAL_DEESCALATION, later(late, H / 12), 5),
                Intervention(
                    kind=InterventionKind.PHYSICAL_RESTRAINT,
                    started_at=later(late, H / 6),
                    ended_at=later(late, H / 4),
                    reason="to protect staff",
                    position=Position.STANDING,
                    staff_ids=("ST-241", "ST-262"),
                    in_support_plan=True,
                ),
            ),
            debriefs=(held(Audience.STAFF, later(late, H * 46), Topic.TIMELINE),),
            reviews=(
                review(
                    ReviewKind.POST_INCIDENT_REVIEW,
                    later(late, D * 2),
                    ["snack times not in the plan"],
                    ["agree regular snack times"],
                ),
                review(
                    ReviewKind.SUPPORT_PLAN_REVIEW,
                    later(late, D * 5),
                    ["snack times not in the plan"],
                    ["plan updated"],
                ),
            ),
        ),
        make(  # gap: no post-incident or support plan review, action overdue
            "S05",
            "P-003",
            no_review,
            categories=(Category.BEHAVIOURAL_DISTRESS, Category.PROPERTY_DAMAGE),
            location_type=LocationType.LOUNGE,
            summary="The person was distressed and broke a lamp; staff guided them to their room.",
            triggers=(Trigger(kind=TriggerKind.UNKNOWN),),
            interventions=(
                calm(InterventionKind.VERBAL_DEESCALATION, no_review, 5),
                Intervention(
                    kind=InterventionKind.RESTRICTIVE_ESCORT,
                    started_at=later(no_review, H / 12),
                    ended_at=later(no_review, H / 6),
                    reason="to keep the person safe from broken glass",
                    staff_ids=("ST-207", "ST-233"),
                    in_support_plan=False,
                ),
            ),
            debriefs=(
                held(Audience.STAFF, later(no_review, H * 3), *LEARNING),
                Debrief(
                    audience=Audience.PERSON,
                    status=DebriefStatus.DEFERRED,
                    at=later(no_review, D),
                    reoffer_by=later(no_review, D * 3),
                ),
            ),
            actions=(
                Action(
                    id="A-1",
                    description="Replace glass lamps with safer ones",
                    owner_id="ST-207",
                    due=date(2026, 4, 21),
                ),
            ),
        ),
        make(  # gap: initial enquiry not explained to the person
            "S06",
            "P-036",
            unexplained,
            categories=(Category.SAFEGUARDING_CONCERN,),
            location_type=LocationType.OWN_HOME,
            summary=(
                "The person said a visitor had shouted at them and taken their phone. Staff"
                " listened and raised a concern."
            ),
            triggers=(Trigger(kind=TriggerKind.INTERPERSONAL, detail="visitor"),),
            safeguarding=Safeguarding(
                reference="SG-2026-031",
                stages=(
                    SafeguardingStage(
                        stage=Stage.CONCERN_RAISED,
                        entered_at=later(unexplained, H),
                        explanation=Explanation(
                            at=later(unexplained, H * 2), method=ExplanationMethod.VERBAL
                        ),
                    ),
                    SafeguardingStage(
                        stage=Stage.INITIAL_ENQUIRY, entered_at=later(unexplained, D * 2)
                    ),
                ),
                consent=SafeguardingConsent.GIVEN,
            ),
            notifications=(
                Notification(recipient=Recipient.LOCAL_AUTHORITY, sent_at=later(unexplained, H)),
            ),
        ),
    ]


# -- seeded ordinary incidents -----------------------------------------------------------------

SUMMARIES = {
    Category.FALL: (
        "The person slipped while walking to the {place}; staff helped them up and "
        "checked for injuries."
    ),
    Category.MEDICATION: (
        "A dose of evening medication was given late after a handover mix-up; the GP was informed."
    ),
    Category.VERBAL_AGGRESSION: (
        "The person was distressed and shouting after a change to their plans; staff gave "
        "space and reassurance."
    ),
    Category.BEHAVIOURAL_DISTRESS: (
        "The person became distressed in the {place}; staff offered a quiet space and "
        "stayed nearby."
    ),
    Category.PHYSICAL_AGGRESSION: (
        "The person pushed a member of staff during a distressing moment in the {place}; "
        "staff stepped back and gave space."
    ),
    Category.SELF_HARM: (
        "The person scratched their arm when distressed; staff offered first aid and "
        "stayed with them."
    ),
    Category.PROPERTY_DAMAGE: (
        "The person was upset and broke a cup in the {place}; staff made the area safe "
        "and offered support."
    ),
    Category.MISSING_PERSON: (
        "The person left without support and was found at the bus stop after twenty minutes."
    ),
    Category.INJURY: (
        "The person bumped their leg on a table in the {place}; staff checked it and "
        "applied a cold pack."
    ),
    Category.SAFEGUARDING_CONCERN: (
        "The person said another resident had taken their things; staff listened and "
        "raised a concern."
    ),
    Category.ABUSE_ALLEGATION: (
        "The person said a visitor had been unkind to them; staff listened and raised a concern."
    ),
    Category.POLICE_INVOLVEMENT: (
        "Police attended after a disagreement in the street; staff supported the person throughout."
    ),
    Category.DEATH: "The person died peacefully in their sleep; their family were with them.",
    Category.OTHER: (
        "A fire alarm test distressed the person; staff reassured them and went outside together."
    ),
}
#: How common each category is among ordinary incidents (most are low harm).
WEIGHTS = {
    Category.FALL: 14,
    Category.MEDICATION: 8,
    Category.VERBAL_AGGRESSION: 12,
    Category.BEHAVIOURAL_DISTRESS: 16,
    Category.PHYSICAL_AGGRESSION: 6,
    Category.SELF_HARM: 4,
    Category.PROPERTY_DAMAGE: 6,
    Category.MISSING_PERSON: 3,
    Category.INJURY: 5,
    Category.SAFEGUARDING_CONCERN: 3,
    Category.ABUSE_ALLEGATION: 2,
    Category.POLICE_INVOLVEMENT: 2,
    Category.DEATH: 1,
    Category.OTHER: 3,
}
CATEGORIES, CATEGORY_WEIGHTS = list(WEIGHTS), list(WEIGHTS.values())
DISTRESS = {
    Category.BEHAVIOURAL_DISTRESS,
    Category.VERBAL_AGGRESSION,
    Category.PHYSICAL_AGGRESSION,
    Category.SELF_HARM,
    Category.PROPERTY_DAMAGE,
}
PLACES = {
    LocationType.LOUNGE: "lounge",
    LocationType.DINING_ROOM: "dining room",
    LocationType.KITCHEN: "kitchen",
    LocationType.GARDEN: "garden",
    LocationType.BEDROOM: "bedroom",
    LocationType.DAY_CENTRE: "day centre",
}
CALM_KINDS = [
    k for k in InterventionKind if k not in RESTRICTIVE_KINDS and k is not InterventionKind.OTHER
]
HELD_KINDS = [InterventionKind.PHYSICAL_RESTRAINT] * 4 + [
    InterventionKind.RESTRICTIVE_ESCORT,
    InterventionKind.SECLUSION,
]
KNOWN_TRIGGERS = [k for k in TriggerKind if k is not TriggerKind.UNKNOWN]
STAGES = tuple(Stage)
P_SECOND_CATEGORY, P_RESTRICTIVE, P_COMPLETE, P_CONFIRMED, P_ACTION = 0.3, 0.3, 0.6, 0.5, 0.3


class Ordinary:
    """Seeded ordinary incidents; each call to `next` makes one, complete or with gaps."""

    def __init__(
        self, rng: random.Random, people: dict[str, str], start: datetime, days: int
    ) -> None:
        self.rng, self.people, self.start, self.days = rng, people, start, days
        self.person_ids = list(people)

    def staff(self) -> str:
        """A pseudonymous staff id."""
        return f"ST-{self.rng.randint(200, 299)}"

    def next(self, number: str, *, complete: bool | None = None) -> Incident:
        """One ordinary incident: about 60% complete, the rest with one or two gaps."""
        r = self.rng
        person = r.choice(self.person_ids)
        minutes = r.randrange(self.days * 24 * 60)
        occurred = (self.start + timedelta(minutes=minutes)).replace(second=0)
        occurred = occurred.replace(hour=7 + occurred.hour % 15).astimezone(LONDON)
        category = r.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
        categories = [category]
        if category in DISTRESS and r.random() < P_SECOND_CATEGORY:
            categories.append(
                r.choice([Category.PROPERTY_DAMAGE, Category.INJURY, Category.VERBAL_AGGRESSION])
            )
        distress = not DISTRESS.isdisjoint(categories)
        restrictive = distress and r.random() < P_RESTRICTIVE
        complete = r.random() < P_COMPLETE if complete is None else complete
        severity = self.severity(category)
        options = applicable_gaps(categories, severity, restrictive=restrictive)
        gaps = set() if complete else set(r.sample(options, min(len(options), r.randint(1, 2))))
        place = r.choice(list(PLACES))
        aware = later(occurred, timedelta(minutes=r.randint(0, 45)))
        ivs = self.interventions(occurred, restrictive=restrictive, distress=distress, gaps=gaps)
        base = max([aware, *(iv.ended_at or occurred for iv in ivs if iv.is_restrictive)])
        injuries = self.injuries(category)
        service = self.people[person]
        return Incident(
            id=f"INC-{number}",
            person_id=person,
            service_id=service,
            occurred_at=occurred,
            categories=tuple(dict.fromkeys(categories)),
            severity=severity,
            setting=SERVICES.get(service, Setting.OTHER),
            reported_at=aware,
            location_type=place,
            summary=SUMMARIES[category].format(place=PLACES[place]),
            triggers=self.triggers(gaps),
            interventions=tuple(ivs),
            injuries=injuries,
            debriefs=self.debriefs(base, restrictive=restrictive, injuries=injuries, gaps=gaps),
            reviews=self.reviews(base, restrictive=restrictive, distress=distress, gaps=gaps),
            safeguarding=self.safeguarding(aware, categories, gaps),
            notifications=self.notifications(aware, categories, severity, injuries, gaps),
            actions=self.actions(base, gaps),
        )

    def severity(self, category: Category) -> Severity:
        """Mostly low harm; a death is always severity death."""
        if category is Category.DEATH:
            return Severity.DEATH
        return self.rng.choices(list(Severity)[:4], [30, 55, 12, 3])[0]

    def triggers(self, gaps: set[str]) -> tuple[Trigger, ...]:
        """A known trigger, or (as a gap) only an unknown one."""
        if "trigger" in gaps:
            return (Trigger(kind=TriggerKind.UNKNOWN),)
        return (
            Trigger(
                kind=self.rng.choice(KNOWN_TRIGGERS), confirmed=self.rng.random() < P_CONFIRMED
            ),
        )

    def interventions(
        self, occurred: datetime, *, restrictive: bool, distress: bool, gaps: set[str]
    ) -> list[Intervention]:
        """De-escalation first, then (sometimes) a short, fully recorded restriction."""
        r = self.rng
        found = []
        if distress:
            start = later(occurred, timedelta(minutes=r.randint(0, 5)))
            found.append(calm(r.choice(CALM_KINDS), start, r.randint(3, 20)))
        if restrictive:
            start = later(occurred, timedelta(minutes=r.randint(6, 15)))
            kind = r.choice(HELD_KINDS)
            hold = Intervention(
                kind=kind,
                started_at=start,
                ended_at=later(start, timedelta(minutes=r.randint(1, 10))),
                reason=None if "ri_details" in gaps else "to prevent harm",
                position=Position.SEATED if kind is InterventionKind.PHYSICAL_RESTRAINT else None,
                staff_ids=(self.staff(), self.staff()),
                in_support_plan=True,
            )
            found.append(hold)
        return found

    def injuries(self, category: Category) -> tuple[Injury, ...]:
        """An injury for falls and injuries (to staff, now and then)."""
        r = self.rng
        if category not in {Category.FALL, Category.INJURY, Category.PHYSICAL_AGGRESSION}:
            return ()
        who = (
            InjuredParty.STAFF if category is Category.PHYSICAL_AGGRESSION else InjuredParty.PERSON
        )
        severity = r.choices(list(InjurySeverity), [80, 17, 3])[0]
        return (
            Injury(
                who=who,
                severity=severity,
                days_incapacitated=0 if who is InjuredParty.STAFF else None,
            ),
        )

    def debriefs(
        self, base: datetime, *, restrictive: bool, injuries: tuple[Injury, ...], gaps: set[str]
    ) -> tuple[Debrief, ...]:
        """Staff and person debriefs after a restriction or a staff injury."""
        staff_hurt = any(i.who is InjuredParty.STAFF for i in injuries)
        if not (restrictive or staff_hurt):
            return ()
        delay = H * (30 if "late_debrief" in gaps else self.rng.randint(1, 18))
        topics = (*LEARNING, *((Topic.WELLBEING,) if staff_hurt else ()))
        found = [held(Audience.STAFF, later(base, delay), *topics)]
        if restrictive and "person_debrief" not in gaps:
            status = self.rng.choice([DebriefStatus.HELD, DebriefStatus.OFFERED])
            found.append(Debrief(audience=Audience.PERSON, status=status, at=later(base, H * 20)))
        return tuple(found)

    def reviews(
        self, base: datetime, *, restrictive: bool, distress: bool, gaps: set[str]
    ) -> tuple[Review, ...]:
        """Post-incident and support plan reviews after a restriction; reflective after distress."""
        causes, changes = ["routine changed at short notice"], ["explain changes in advance"]
        if "missing_review" in gaps:
            return ()
        found = []
        if restrictive:
            found.append(
                review(ReviewKind.POST_INCIDENT_REVIEW, later(base, D * 2), causes, changes)
            )
            found.append(
                review(ReviewKind.SUPPORT_PLAN_REVIEW, later(base, D * 5), causes, changes)
            )
        elif distress:
            found.append(review(ReviewKind.REFLECTIVE_REVIEW, later(base, D * 3), causes, changes))
        return tuple(found)

    def safeguarding(
        self, aware: datetime, categories: list[Category], gaps: set[str]
    ) -> Safeguarding | None:
        """A process for safeguarding categories, each stage explained (unless a gap)."""
        if (
            Category.SAFEGUARDING_CONCERN not in categories
            and Category.ABUSE_ALLEGATION not in categories
        ):
            return None
        r = self.rng
        entered, stages = later(aware, H * r.randint(1, 6)), []
        unexplained = r.randrange(3) if "unexplained_stage" in gaps else -1
        for i, name in enumerate(STAGES[: r.randint(1, 4)]):
            how = r.choice(list(ExplanationMethod))
            explanation = (
                None if i == unexplained else Explanation(at=later(entered, H * 4), method=how)
            )
            stages.append(
                SafeguardingStage(stage=name, entered_at=entered, explanation=explanation)
            )
            entered = later(entered, D * r.randint(1, 10))
        return Safeguarding(
            stages=tuple(stages),
            desired_outcomes_recorded_at=later(stages[0].entered_at, H * 6),
            consent=r.choice(list(SafeguardingConsent)),
        )

    def notifications(
        self,
        aware: datetime,
        categories: list[Category],
        severity: Severity,
        injuries: tuple[Injury, ...],
        gaps: set[str],
    ) -> tuple[Notification, ...]:
        """CQC and duty of candour notifications where the rules call for them."""
        found = []
        cqc = {Category.ABUSE_ALLEGATION, Category.POLICE_INVOLVEMENT, Category.DEATH}
        serious = any(
            i.who is InjuredParty.PERSON and i.severity is InjurySeverity.SERIOUS for i in injuries
        )
        if (
            serious or severity is Severity.DEATH or not cqc.isdisjoint(categories)
        ) and "notification" not in gaps:
            found.append(Notification(recipient=Recipient.CQC, sent_at=later(aware, H * 6)))
        if (
            severity in {Severity.MODERATE, Severity.SEVERE, Severity.DEATH}
            and "notification" not in gaps
        ):
            found.append(
                Notification(
                    recipient=Recipient.FAMILY, sent_at=later(aware, D * 2), duty_of_candour=True
                )
            )
        return tuple(found)

    def actions(self, base: datetime, gaps: set[str]) -> tuple[Action, ...]:
        """A completed, assessed action now and then; or (as a gap) one left open."""
        if "overdue_action" in gaps:
            due = later(base, D * 7).date()
            return (
                Action(
                    id="A-1", description="Update the support plan", owner_id=self.staff(), due=due
                ),
            )
        if self.rng.random() >= P_ACTION:
            return ()
        completed = later(base, D * self.rng.randint(2, 10))
        due = later(completed, D * 2).date()
        return (
            done(
                "A-1",
                "Share the updated plan with the team",
                due,
                completed,
                later(completed, D * 14),
                Outcome.EFFECTIVE,
            ),
        )


def applicable_gaps(
    categories: list[Category], severity: Severity, *, restrictive: bool
) -> list[str]:
    """The gaps an incident like this can have that a default rule notices."""
    distress = not DISTRESS.isdisjoint(categories)
    notify = {Category.ABUSE_ALLEGATION, Category.POLICE_INVOLVEMENT, Category.DEATH}
    gaps = ["overdue_action"]
    gaps += ["trigger"] if distress or restrictive else []
    gaps += ["ri_details", "late_debrief", "person_debrief"] if restrictive else []
    gaps += ["missing_review"] if distress or restrictive else []
    gaps += (
        ["unexplained_stage"]
        if {Category.SAFEGUARDING_CONCERN, Category.ABUSE_ALLEGATION} & set(categories)
        else []
    )
    serious = severity in {Severity.MODERATE, Severity.SEVERE, Severity.DEATH}
    gaps += ["notification"] if serious or not notify.isdisjoint(categories) else []
    return gaps


# -- the bundled sample and benchmark data -----------------------------------------------------


def build_sample(seed: int = 2026) -> list[Incident]:
    """The bundled sample: the three series, the showcase and seeded ordinary incidents."""
    rng = random.Random(seed)
    ordinary = Ordinary(rng, PEOPLE, datetime(2026, 1, 5, tzinfo=UTC), days=115)
    special = [*outings(), *self_harm(), *enquiry(), *showcase()]
    extra = [ordinary.next(f"{n:03d}") for n in range(1, 61)]
    return sorted([*special, *extra], key=lambda i: (i.occurred_at, i.id))


def generate(n: int, seed: int) -> Iterator[Incident]:
    """*n* varied incidents for benchmarks, over two years, across many people and services."""
    rng = random.Random(seed)
    services = [f"SVC-{i:03d}" for i in range(max(4, n // 1000))]
    people = {f"P-{i:05d}": rng.choice(services) for i in range(max(10, n // 50))}
    ordinary = Ordinary(rng, people, datetime(2025, 1, 1, tzinfo=UTC), days=730)
    for i in range(n):
        yield ordinary.next(f"{i:07d}")


def write(incidents: Iterator[Incident] | list[Incident], out: Any) -> int:
    """Write *incidents* as NDJSON to the binary file *out*; return how many."""
    count = 0
    for incident in incidents:
        out.write(dumps(incident) + b"\n")
        count += 1
    return count


def main(argv: Sequence[str] | None = None) -> int:
    """Generate synthetic incidents (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="how many incidents (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, help="output file (default: standard output)")
    parser.add_argument("--sample", action="store_true", help="rewrite the bundled sample file")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    if args.sample:
        with SAMPLE.open("wb") as f:
            count = write(build_sample(), f)
        target = str(SAMPLE)
    elif args.out is not None:
        with args.out.open("wb") as f:
            count = write(generate(args.n, args.seed), f)
        target = str(args.out)
    else:
        count = write(generate(args.n, args.seed), sys.stdout.buffer)
        target = "<stdout>"
    print(f"{count} incidents to {target} in {time.perf_counter() - began:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
