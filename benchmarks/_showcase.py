"""The bundled sample's single hand-written incidents, each showing particular rules."""

from __future__ import annotations

from datetime import date

from _language_examples import DISCOURAGED_SUMMARY
from trauma_incidents.model import (
    Action,
    Audience,
    Candour,
    Capacity,
    Category,
    Debrief,
    DebriefStatus,
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
    Outcome,
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
    t,
)


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
                    hospital=True,
                    work_related=True,  # the floor was left wet after cleaning (RIDDOR)
                ),
            ),
            harm=Harm(physical=PhysicalHarm.MODERATE, psychological=PsychologicalHarm.LOW),
            candour=Candour(notifiable=True, decided_at=later(injury, D)),
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
                    method=NotificationMethod.IN_PERSON,
                    apology=True,
                ),
                Notification(
                    recipient=Recipient.PERSON,
                    sent_at=later(injury, D * 4),
                    duty_of_candour=True,
                    method=NotificationMethod.LETTER,
                ),
                Notification(recipient=Recipient.FAMILY, sent_at=later(injury, H * 2)),
                Notification(
                    recipient=Recipient.HSE, sent_at=later(injury, D * 5), reference="RIDDOR-5490"
                ),
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
            ),
            # The harm was to staff: the person was not harmed, so not notifiable to them.
            candour=Candour(notifiable=False, decided_at=later(staff_hurt, D * 2)),
        ),
        make(  # gaps: a 20-minute hold; staff debrief two days later; no person debrief offered
            "S04",
            "P-040",
            late,
            categories=(Category.PHYSICAL_AGGRESSION,),
            location_type=LocationType.KITCHEN,
            summary=DISCOURAGED_SUMMARY,
            triggers=(Trigger(kind=TriggerKind.UNMET_NEED, detail="hungry"),),
            interventions=(
                calm(InterventionKind.VERBAL_DEESCALATION, later(late, H / 12), 5),
                Intervention(
                    kind=InterventionKind.PHYSICAL_RESTRAINT,
                    started_at=later(late, H / 6),
                    ended_at=later(late, H / 2),
                    reason="to protect staff",
                    position=Position.STANDING,
                    staff_ids=("ST-241", "ST-262"),
                    in_support_plan=True,
                    legal_basis=LegalBasis.MCA_BEST_INTERESTS,
                    capacity=Capacity.LACKS,
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
        make(  # gaps: no post-incident or support plan review, action overdue, consent without
            # capacity
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
                    legal_basis=LegalBasis.CONSENT,
                    capacity=Capacity.LACKS,
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
                Notification(recipient=Recipient.CQC, sent_at=later(unexplained, H * 3)),
            ),
        ),
    ]
