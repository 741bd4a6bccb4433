"""
The bundled sample's three series: the situations the library exists for.

- ``INC-A*`` (P-014): distress on a crowded outing, a reflective review, quieter outings.
- ``INC-B*`` (P-022): a physical intervention to prevent self-harm, debriefs, plan change.
- ``INC-C*`` (P-031): distress during a safeguarding enquiry, eased by explaining each stage.
"""

from __future__ import annotations

from datetime import date, datetime

from trauma_incidents.model import (
    AccountMethod,
    Advocate,
    AdvocateKind,
    Audience,
    Capacity,
    Category,
    EarlyWarningSign,
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
    NotificationMethod,
    Observation,
    Outcome,
    PersonAccount,
    PhysicalHarm,
    Position,
    PsychologicalHarm,
    Recipient,
    ReviewKind,
    Safeguarding,
    SafeguardingConsent,
    SafeguardingStage,
    Severity,
    Stage,
    Topic,
    Trigger,
    TriggerKind,
)
from trauma_incidents.testing._synthetic_parts import (
    LEARNING,
    D,
    H,
    calm,
    done,
    held,
    later,
    make,
    review,
    settled,
    t,
)

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
        settled(
            f"A0{i}",
            "P-014",
            moment,
            place=LocationType.COMMUNITY,
            summary=(
                "On a planned quiet morning outing the person showed early signs of distress when"
                " a bus was crowded; they chose to use the agreed quiet place and settled quickly."
            ),
            trigger=Trigger(kind=TriggerKind.ENVIRONMENTAL, detail="crowded bus"),
            support=calm(InterventionKind.DISTRACTION, later(moment, H / 6), 5),
            reviewed=D * 2,
            learning=(
                "crowding on the usual bus route",
                "keep off-peak outings; walk when the bus is full",
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
                method=NotificationMethod.PHONE,
            ),
        ),
        person_account=PersonAccount(
            given=True, method=AccountMethod.AAC, at=t("2026-02-10", "15:00")
        ),
        harm=Harm(physical=PhysicalHarm.LOW, psychological=PsychologicalHarm.LOW),
    )
    follow = [
        settled(
            f"B0{i}",
            "P-022",
            moment,
            place=LocationType.OWN_HOME,
            summary=(
                "The person was unsettled about a staff change; staff used the visual rota to"
                " explain who was coming, and the person settled with a drink and music."
            ),
            trigger=Trigger(kind=TriggerKind.ROUTINE_CHANGE, detail="staff change"),
            support=calm(InterventionKind.REASSURANCE, later(moment, H / 12), 15),
            reviewed=D * 3,
            learning=("staff change at short notice", "keep the visual rota up to date"),
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
