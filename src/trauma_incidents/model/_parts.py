"""
The parts of an incident record: one frozen attrs class per JSON object in the format.

Free-text fields (narratives, descriptions, reasons) are left out of reprs, so a stray
``print`` or log line never carries special-category data.
"""

from __future__ import annotations

from datetime import date, datetime

from attrs import field, frozen

from trauma_incidents.model._validators import (
    aware,
    identifier,
    identifiers,
    non_negative,
    optional_aware,
    optional_due,
    optional_identifier,
    typed,
)
from trauma_incidents.model._vocabularies import (
    RESTRICTIVE_KINDS,
    AccountMethod,
    AdvocateKind,
    Audience,
    Capacity,
    DebriefStatus,
    ExplanationMethod,
    InjuredParty,
    InjurySeverity,
    InterventionKind,
    InvolvedRole,
    LegalBasis,
    NotificationConsent,
    NotificationMethod,
    Outcome,
    PhysicalHarm,
    Position,
    PsychologicalHarm,
    Recipient,
    RelevantPerson,
    ReviewKind,
    SafeguardingConsent,
    Stage,
    Topic,
    TriggerKind,
)


@frozen(kw_only=True)
@typed
class Trigger:
    """Something that appears to have led to the distress (NG10-TRIGGERS-EWS, NG11-FUNCTION)."""

    kind: TriggerKind
    detail: str | None = field(default=None, repr=False)
    confirmed: bool = False


@frozen(kw_only=True)
@typed
class EarlyWarningSign:
    """A sign, noticed or missed, that distress was building."""

    description: str = field(repr=False)
    noticed_at: datetime | None = field(default=None, validator=optional_aware)
    acted_on: bool = False


@frozen(kw_only=True)
@typed
class Observation:
    """Physical monitoring during or after restraint or rapid tranquillisation."""

    at: datetime = field(validator=aware)
    airway_breathing_ok: bool | None = None
    conscious: bool | None = None
    by_role: str | None = field(default=None, repr=False)


@frozen(kw_only=True)
@typed
class Intervention:
    """
    What staff did in response, restrictive or not.

    ``restrictive`` is ``None`` unless the record says so; `is_restrictive` applies the
    default derived from the kind.
    """

    kind: InterventionKind
    started_at: datetime | None = field(default=None, validator=optional_aware)
    ended_at: datetime | None = field(default=None, validator=optional_aware)
    restrictive: bool | None = None
    reason: str | None = field(default=None, repr=False)
    position: Position | None = None
    staff_ids: tuple[str, ...] = field(default=(), validator=identifiers)
    in_support_plan: bool | None = None
    legal_basis: LegalBasis | None = None
    capacity: Capacity | None = None
    observations: tuple[Observation, ...] = ()

    @property
    def is_restrictive(self) -> bool:
        """Whether this intervention restricts the person: as recorded, else by its kind."""
        if self.restrictive is not None:
            return self.restrictive
        return self.kind in RESTRICTIVE_KINDS


@frozen(kw_only=True)
@typed
class Injury:
    """An injury to the person, a member of staff or someone else."""

    who: InjuredParty
    severity: InjurySeverity
    medical_treatment: bool = False
    days_incapacitated: int | None = field(default=None, validator=non_negative)
    specified_injury: bool = False
    hospital: bool | None = None
    """Whether the injured person was taken directly to hospital for treatment (RIDDOR-HSC)."""
    work_related: bool | None = None
    """Whether it arose out of or in connection with work (RIDDOR-HSC); ``None``: not decided."""


@frozen(kw_only=True)
@typed
class Debrief:
    """A debrief offered, held, declined or deferred, with staff, the person or others."""

    audience: Audience
    status: DebriefStatus
    at: datetime = field(validator=aware)
    reoffer_by: datetime | None = field(default=None, validator=optional_aware)
    topics: tuple[Topic, ...] = ()
    facilitator_id: str | None = field(default=None, validator=optional_identifier)
    participant_ids: tuple[str, ...] = field(default=(), validator=identifiers)


@frozen(kw_only=True)
@typed
class Review:
    """A completed review, with its root causes and the changes it made."""

    kind: ReviewKind
    completed_at: datetime = field(validator=aware)
    root_causes: tuple[str, ...] = field(default=(), repr=False)
    changes: tuple[str, ...] = field(default=(), repr=False)


@frozen(kw_only=True)
@typed
class Explanation:
    """How and when a safeguarding stage was explained to the person (MSP, CA-6-PRINCIPLES)."""

    at: datetime = field(validator=aware)
    method: ExplanationMethod
    by: str | None = field(default=None, repr=False)


@frozen(kw_only=True)
@typed
class SafeguardingStage:
    """One stage of a safeguarding process, and its explanation to the person."""

    stage: Stage
    entered_at: datetime = field(validator=aware)
    explanation: Explanation | None = None


@frozen(kw_only=True)
@typed
class Advocate:
    """The advocate supporting the person through safeguarding (CA-S68-ADVOCATE)."""

    kind: AdvocateKind
    appointed_at: datetime | None = field(default=None, validator=optional_aware)


@frozen(kw_only=True)
@typed
class Safeguarding:
    """A safeguarding process about this incident."""

    reference: str | None = field(default=None, repr=False)
    stages: tuple[SafeguardingStage, ...] = ()
    desired_outcomes_recorded_at: datetime | None = field(default=None, validator=optional_aware)
    consent: SafeguardingConsent | None = None
    advocate: Advocate | None = None


@frozen(kw_only=True)
@typed
class Notification:
    """A notification sent to a regulator, agency, the person or their family."""

    recipient: Recipient
    sent_at: datetime = field(validator=aware)
    duty_of_candour: bool = False
    reference: str | None = field(default=None, repr=False)
    consent: NotificationConsent | None = None
    method: NotificationMethod | None = None
    apology: bool | None = None
    """Whether it included an apology (an expression of sorrow or regret, REG20-DOC)."""


@frozen(kw_only=True)
@typed
class Candour:
    """
    The decision whether the incident is a notifiable safety incident (REG20-NSI-SOCIALCARE).

    ``relevant_person`` is who the duty of candour is owed to: the person, or a
    representative when the person has died or lacks capacity.
    """

    notifiable: bool
    decided_at: datetime = field(validator=aware)
    relevant_person: RelevantPerson = RelevantPerson.PERSON


@frozen(kw_only=True)
@typed
class Effectiveness:
    """An assessment of whether a learning action worked."""

    assessed_at: datetime = field(validator=aware)
    outcome: Outcome
    evidence: str | None = field(default=None, repr=False)


@frozen(kw_only=True)
@typed
class Action:
    """
    A learning action agreed after the incident.

    ``due`` is a date (meaning the end of that day, Europe/London) or an aware datetime.
    """

    id: str = field(validator=identifier)
    description: str = field(repr=False)
    owner_id: str | None = field(default=None, validator=optional_identifier)
    due: date | datetime | None = field(default=None, validator=optional_due)
    completed_at: datetime | None = field(default=None, validator=optional_aware)
    effectiveness: Effectiveness | None = None


@frozen(kw_only=True)
@typed
class Harm:
    """Physical and psychological harm graded separately (LFPSE)."""

    physical: PhysicalHarm
    psychological: PsychologicalHarm


@frozen(kw_only=True)
@typed
class PersonAccount:
    """Whether and how the person gave their own account of what happened."""

    given: bool
    method: AccountMethod
    at: datetime | None = field(default=None, validator=optional_aware)


@frozen(kw_only=True)
@typed
class PersonInvolved:
    """Someone else involved in or affected by the incident, by pseudonymous reference."""

    ref: str = field(validator=identifier)
    role: InvolvedRole
    support_offered_at: datetime | None = field(default=None, validator=optional_aware)
