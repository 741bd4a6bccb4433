"""
Closed vocabularies of the interchange format, one enum per JSON field.

Every member's value is the exact string used in JSON; see ``docs/format.md``.

Local practice may extend a few of them (`EXTENDABLE`) through packs: such a *local value*
is an instance of the enum that is not one of its members (``list(Stage)`` does not hold
it), made by `local_value`. The loader accepts one only inside
`trauma_incidents.loading.extended`, with the values the enabled packs declare; everywhere
else the vocabularies stay closed.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class Vocabulary(str, Enum):
    """Base for the format's enums: a member is equal to its JSON string."""

    def __str__(self) -> str:
        return str(self.value)

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        """Pickle a member by value, and a local value as one (for worker processes)."""
        cls = type(self)
        if self._name_ in cls.__members__:
            return cls, (self._value_,)
        return local_value, (cls, self._value_)


_LOCAL: dict[tuple[type[Vocabulary], str], Vocabulary] = {}


def local_value(cls: type[Vocabulary], value: str) -> Vocabulary:
    """
    The local value *value* of *cls*: an instance that is not a member, one per value.

    It equals its string, like members, and prints as ``<Stage.ADULT_PROTECTION: ...>``.
    """
    key = (cls, value)
    found = _LOCAL.get(key)
    if found is None:
        found = str.__new__(cls, value)
        found._value_ = value
        found._name_ = value.upper()
        found.__objclass__ = cls  # type: ignore[attr-defined]
        found = _LOCAL.setdefault(key, found)
    return found


class Setting(Vocabulary):
    """The kind of service where the incident happened."""

    SUPPORTED_LIVING = "supported_living"
    RESIDENTIAL_CARE = "residential_care"
    NURSING_CARE = "nursing_care"
    HOME_CARE = "home_care"
    DAY_SERVICE = "day_service"
    COMMUNITY = "community"
    EXTRA_CARE_HOUSING = "extra_care_housing"
    SHARED_LIVES = "shared_lives"
    RESPITE = "respite"
    OTHER = "other"


class Category(Vocabulary):
    """What kind of incident this was; an incident has one or more."""

    BEHAVIOURAL_DISTRESS = "behavioural_distress"
    VERBAL_AGGRESSION = "verbal_aggression"
    PHYSICAL_AGGRESSION = "physical_aggression"
    SELF_HARM = "self_harm"
    SAFEGUARDING_CONCERN = "safeguarding_concern"
    ABUSE_ALLEGATION = "abuse_allegation"
    INJURY = "injury"
    FALL = "fall"
    MEDICATION = "medication"
    MISSING_PERSON = "missing_person"
    PROPERTY_DAMAGE = "property_damage"
    POLICE_INVOLVEMENT = "police_involvement"
    DEATH = "death"
    OTHER = "other"


class Severity(Vocabulary):
    """The incident's overall severity (the harm it caused)."""

    NO_HARM = "no_harm"
    LOW = "low"
    MODERATE = "moderate"
    SEVERE = "severe"
    DEATH = "death"


class TriggerKind(Vocabulary):
    """What appears to have led to the distress."""

    ENVIRONMENTAL = "environmental"
    SENSORY = "sensory"
    COMMUNICATION = "communication"
    UNMET_NEED = "unmet_need"
    PHYSICAL_HEALTH = "physical_health"
    ROUTINE_CHANGE = "routine_change"
    INTERPERSONAL = "interpersonal"
    TRAUMA_REMINDER = "trauma_reminder"
    UNKNOWN = "unknown"


class InterventionKind(Vocabulary):
    """How staff responded; see `RESTRICTIVE_KINDS` for the restrictive ones."""

    VERBAL_DEESCALATION = "verbal_deescalation"
    DISTRACTION = "distraction"
    ENVIRONMENTAL_ADJUSTMENT = "environmental_adjustment"
    REASSURANCE = "reassurance"
    PHYSICAL_RESTRAINT = "physical_restraint"
    MECHANICAL_RESTRAINT = "mechanical_restraint"
    CHEMICAL_RESTRAINT = "chemical_restraint"
    RAPID_TRANQUILLISATION = "rapid_tranquillisation"
    SECLUSION = "seclusion"
    SEGREGATION = "segregation"
    RESTRICTIVE_ESCORT = "restrictive_escort"
    OTHER = "other"


#: Kinds that are restrictive unless an intervention says otherwise (UOF-DEF, REG13-RESTRAINT).
RESTRICTIVE_KINDS = frozenset(
    {
        InterventionKind.PHYSICAL_RESTRAINT,
        InterventionKind.MECHANICAL_RESTRAINT,
        InterventionKind.CHEMICAL_RESTRAINT,
        InterventionKind.RAPID_TRANQUILLISATION,
        InterventionKind.SECLUSION,
        InterventionKind.SEGREGATION,
        InterventionKind.RESTRICTIVE_ESCORT,
    }
)


class Position(Vocabulary):
    """The person's body position during a physical intervention."""

    STANDING = "standing"
    SEATED = "seated"
    SUPINE = "supine"
    PRONE = "prone"
    SIDE = "side"
    KNEELING = "kneeling"
    OTHER = "other"


class LegalBasis(Vocabulary):
    """The lawful basis recorded for an intervention."""

    MCA_BEST_INTERESTS = "mca_best_interests"
    CONSENT = "consent"
    DEPRIVATION_OF_LIBERTY_AUTHORISATION = "deprivation_of_liberty_authorisation"
    MENTAL_HEALTH_ACT = "mental_health_act"
    EMERGENCY_PREVENTION_OF_HARM = "emergency_prevention_of_harm"
    OTHER = "other"
    NOT_RECORDED = "not_recorded"


class Capacity(Vocabulary):
    """The person's mental capacity for the decision, as assessed."""

    HAS = "has"
    LACKS = "lacks"
    NOT_ASSESSED = "not_assessed"


class InjuredParty(Vocabulary):
    """Who was injured."""

    PERSON = "person"
    STAFF = "staff"
    OTHER = "other"


class InjurySeverity(Vocabulary):
    """How serious an injury was."""

    MINOR = "minor"
    MODERATE = "moderate"
    SERIOUS = "serious"


class Audience(Vocabulary):
    """Who a debrief was with."""

    STAFF = "staff"
    PERSON = "person"
    FAMILY = "family"
    ADVOCATE = "advocate"


class DebriefStatus(Vocabulary):
    """
    Where a debrief stands.

    ``deferred`` means the person is not ready yet, for their wellbeing, and a later
    offer is planned: a choice respected, not a failure.
    """

    OFFERED = "offered"
    HELD = "held"
    DECLINED = "declined"
    DEFERRED = "deferred"


class Topic(Vocabulary):
    """What a debrief covered."""

    TIMELINE = "timeline"
    TRIGGERS = "triggers"
    EARLY_WARNING_SIGNS = "early_warning_signs"
    COMMUNICATION = "communication"
    WHAT_HELPED = "what_helped"
    PERSON_ACCOUNT = "person_account"
    WELLBEING = "wellbeing"
    SUPPORT_PLAN = "support_plan"


class ReviewKind(Vocabulary):
    """The kind of review that was completed."""

    REFLECTIVE_REVIEW = "reflective_review"
    POST_INCIDENT_REVIEW = "post_incident_review"
    AFTER_ACTION_REVIEW = "after_action_review"
    SUPPORT_PLAN_REVIEW = "support_plan_review"
    RISK_ASSESSMENT_REVIEW = "risk_assessment_review"
    ROOT_CAUSE_ANALYSIS = "root_cause_analysis"
    THEMATIC_REVIEW = "thematic_review"
    SWARM_HUDDLE = "swarm_huddle"
    MDT_REVIEW = "mdt_review"


class Stage(Vocabulary):
    """A stage of a safeguarding process (SG-STAGES)."""

    CONCERN_RAISED = "concern_raised"
    INITIAL_ENQUIRY = "initial_enquiry"
    SECTION_42_ENQUIRY = "section_42_enquiry"
    SAFEGUARDING_PLAN = "safeguarding_plan"
    REVIEW = "review"
    CLOSED = "closed"


class ExplanationMethod(Vocabulary):
    """How a safeguarding stage was explained to the person."""

    VERBAL = "verbal"
    EASY_READ = "easy_read"
    VISUAL = "visual"
    INTERPRETER = "interpreter"
    WITH_ADVOCATE = "with_advocate"
    WRITTEN = "written"


class SafeguardingConsent(Vocabulary):
    """The person's consent to the safeguarding process."""

    GIVEN = "given"
    DECLINED = "declined"
    LACKS_CAPACITY = "lacks_capacity"
    NOT_SOUGHT_FOR_SAFETY = "not_sought_for_safety"


class AdvocateKind(Vocabulary):
    """The kind of advocate supporting the person (CA-S68-ADVOCATE)."""

    INFORMAL = "informal"
    INDEPENDENT_CARE_ACT = "independent_care_act"
    IMCA = "imca"


class Recipient(Vocabulary):
    """Who was notified."""

    CQC = "cqc"
    LOCAL_AUTHORITY = "local_authority"
    POLICE = "police"
    COMMISSIONER = "commissioner"
    HSE = "hse"
    FAMILY = "family"
    PERSON = "person"
    NEXT_OF_KIN = "next_of_kin"
    REPRESENTATIVE = "representative"
    ADVOCATE = "advocate"
    GP = "gp"
    SOCIAL_WORKER = "social_worker"
    CIW = "ciw"
    """Care Inspectorate Wales, the regulator in Wales."""
    CARE_INSPECTORATE = "care_inspectorate"
    """The Care Inspectorate, the regulator in Scotland."""
    RQIA = "rqia"
    """The Regulation and Quality Improvement Authority, the regulator in Northern Ireland."""


class NotificationMethod(Vocabulary):
    """
    How a notification was given: ``letter`` and ``email`` are written.

    The duty of candour asks for notice in person (here also by phone or video) and then
    in writing (REG20-DOC).
    """

    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"
    LETTER = "letter"
    EMAIL = "email"
    OTHER = "other"


class RelevantPerson(Vocabulary):
    """
    Who the duty of candour is owed to (REG20-DOC).

    ``representative`` when the person has died or lacks capacity for the matter.
    """

    PERSON = "person"
    REPRESENTATIVE = "representative"


class NotificationConsent(Vocabulary):
    """The person's consent to a notification being sent."""

    GIVEN = "given"
    DECLINED = "declined"
    NOT_ASKED = "not_asked"
    BEST_INTERESTS = "best_interests"
    OVERRIDDEN_FOR_SAFETY = "overridden_for_safety"


class Outcome(Vocabulary):
    """Whether a learning action achieved what it was for."""

    EFFECTIVE = "effective"
    PARTIALLY_EFFECTIVE = "partially_effective"
    NOT_EFFECTIVE = "not_effective"


class PhysicalHarm(Vocabulary):
    """Physical harm grade (LFPSE style)."""

    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    SEVERE = "severe"
    DEATH = "death"


class PsychologicalHarm(Vocabulary):
    """Psychological harm grade (LFPSE style)."""

    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    SEVERE = "severe"


class LocationType(Vocabulary):
    """Where the incident happened, as a closed category."""

    BEDROOM = "bedroom"
    LOUNGE = "lounge"
    DINING_ROOM = "dining_room"
    KITCHEN = "kitchen"
    BATHROOM = "bathroom"
    GARDEN = "garden"
    VEHICLE = "vehicle"
    COMMUNITY = "community"
    OWN_HOME = "own_home"
    DAY_CENTRE = "day_centre"
    OTHER = "other"


class AccountMethod(Vocabulary):
    """How the person gave their own account."""

    SPOKEN = "spoken"
    SIGNED = "signed"
    AAC = "aac"
    PICTURES = "pictures"
    VIA_ADVOCATE = "via_advocate"
    VIA_FAMILY = "via_family"
    OBSERVED_ONLY = "observed_only"


class InvolvedRole(Vocabulary):
    """The role of another person involved in or affected by the incident."""

    WITNESS = "witness"
    OTHER_PERSON_SUPPORTED = "other_person_supported"
    VISITOR = "visitor"
    FAMILY = "family"
    STAFF = "staff"
    POLICE = "police"


#: The vocabularies local practice may extend through packs, by the name pack files use.
EXTENDABLE: dict[str, type[Vocabulary]] = {
    "recipient": Recipient,
    "review_kind": ReviewKind,
    "stage": Stage,
    "intervention_kind": InterventionKind,
}
