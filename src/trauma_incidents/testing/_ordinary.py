"""
Seeded ordinary incidents: complete, or with one or two gaps a default rule notices.

`Ordinary` draws every choice from the `random.Random` it is given, in a fixed order, so a
seed always gives the same incidents.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from trauma_incidents.model import (
    RESTRICTIVE_KINDS,
    Action,
    Audience,
    Candour,
    Capacity,
    Category,
    Debrief,
    DebriefStatus,
    Explanation,
    ExplanationMethod,
    Incident,
    InjuredParty,
    Injury,
    InjurySeverity,
    Intervention,
    InterventionKind,
    LegalBasis,
    LocationType,
    Notification,
    NotificationMethod,
    Outcome,
    Position,
    Recipient,
    RelevantPerson,
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
from trauma_incidents.testing._synthetic_parts import (
    LEARNING,
    LONDON,
    SERVICES,
    D,
    H,
    calm,
    done,
    held,
    later,
    review,
)

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
    InterventionKind.MECHANICAL_RESTRAINT,
]
#: The categories CQC is notified of (NT001), besides deaths and serious injuries.
CQC_CATEGORIES = {
    Category.ABUSE_ALLEGATION,
    Category.SAFEGUARDING_CONCERN,
    Category.POLICE_INVOLVEMENT,
    Category.DEATH,
}
HARMFUL = {Severity.MODERATE, Severity.SEVERE, Severity.DEATH}
KNOWN_TRIGGERS = [k for k in TriggerKind if k is not TriggerKind.UNKNOWN]
STAGES = tuple(Stage)
P_SECOND_CATEGORY, P_RESTRICTIVE, P_COMPLETE, P_CONFIRMED, P_ACTION = 0.3, 0.3, 0.6, 0.5, 0.3
P_NOTIFIABLE, P_WORK_RELATED = 0.5, 0.3


class Ordinary:
    """
    Seeded ordinary incidents; each call to `next` makes one, complete or with gaps.

    *restrictive* is the share of distress incidents with a restrictive intervention, and
    *gaps* the fewest and most gaps an incomplete incident has (of those that apply to it).
    """

    def __init__(
        self,
        rng: random.Random,
        people: dict[str, str],
        start: datetime,
        days: int,
        *,
        restrictive: float = P_RESTRICTIVE,
        gaps: tuple[int, int] = (1, 2),
    ) -> None:
        self.rng, self.people, self.start, self.days = rng, people, start, days
        self.person_ids = list(people)
        self.p_restrictive, self.gaps = restrictive, gaps

    def staff(self) -> str:
        """A pseudonymous staff id."""
        return f"ST-{self.rng.randint(200, 299)}"

    def next(self, number: str, *, complete: bool | None = None) -> Incident:
        """One ordinary incident: about 60% complete, the rest with one or two gaps."""
        r = self.rng
        person = r.choice(self.person_ids)
        occurred = self.occurred()
        category, categories = self.categories()
        distress = not DISTRESS.isdisjoint(categories)
        restrictive = distress and r.random() < self.p_restrictive
        complete = r.random() < P_COMPLETE if complete is None else complete
        severity = self.severity(category)
        options = applicable_gaps(categories, severity, restrictive=restrictive)
        count = 0 if complete else min(len(options), r.randint(*self.gaps))
        gaps = set(r.sample(options, count))
        place = r.choice(list(PLACES))
        aware = later(occurred, timedelta(minutes=r.randint(0, 45)))
        ivs = self.interventions(occurred, restrictive=restrictive, distress=distress, gaps=gaps)
        base = max([aware, *(iv.ended_at or occurred for iv in ivs if iv.is_restrictive)])
        injuries = self.injuries(category)
        candour, told = self.candour(aware, severity, gaps)
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
            notifications=(
                *self.notifications(aware, categories, severity, injuries, gaps),
                *told,
            ),
            actions=self.actions(base, gaps),
            candour=candour,
        )

    def occurred(self) -> datetime:
        """A whole-minute local time in the period, between 07:00 and 22:00 UTC."""
        minutes = self.rng.randrange(self.days * 24 * 60)
        occurred = (self.start + timedelta(minutes=minutes)).replace(second=0)
        return occurred.replace(hour=7 + occurred.hour % 15).astimezone(LONDON)

    def categories(self) -> tuple[Category, list[Category]]:
        """The main category, by weight, and all of them: distress sometimes has a second."""
        r = self.rng
        category = r.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
        categories = [category]
        if category in DISTRESS and r.random() < P_SECOND_CATEGORY:
            categories.append(
                r.choice([Category.PROPERTY_DAMAGE, Category.INJURY, Category.VERBAL_AGGRESSION])
            )
        return category, categories

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
                legal_basis=None if "lawful_basis" in gaps else LegalBasis.MCA_BEST_INTERESTS,
                capacity=Capacity.LACKS,
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
        # A person seriously hurt goes to hospital; now and then the accident arose from
        # work (equipment, the environment): reportable under RIDDOR (NT003).
        hospital = who is InjuredParty.PERSON and severity is InjurySeverity.SERIOUS
        return (
            Injury(
                who=who,
                severity=severity,
                days_incapacitated=0 if who is InjuredParty.STAFF else None,
                hospital=hospital or None,
                work_related=r.random() < P_WORK_RELATED if hospital else None,
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
        """CQC and HSE notifications where the rules call for them."""
        if "notification" in gaps:
            return ()
        found = []
        serious = any(
            i.who is InjuredParty.PERSON and i.severity is InjurySeverity.SERIOUS for i in injuries
        )
        grave = severity in {Severity.SEVERE, Severity.DEATH}
        if serious or grave or not CQC_CATEGORIES.isdisjoint(categories):
            found.append(Notification(recipient=Recipient.CQC, sent_at=later(aware, H * 6)))
        if any(i.hospital and i.work_related for i in injuries):
            found.append(Notification(recipient=Recipient.HSE, sent_at=later(aware, D * 3)))
        return tuple(found)

    def candour(
        self, aware: datetime, severity: Severity, gaps: set[str]
    ) -> tuple[Candour | None, tuple[Notification, ...]]:
        """
        The duty of candour decision after moderate or worse harm (NT002), unless a gap.

        When notifiable: a call to the person (or, after a death, their family) with an
        apology the next day, then a letter.
        """
        if severity not in HARMFUL or "notification" in gaps:
            return None, ()
        r = self.rng
        died = severity is Severity.DEATH
        candour = Candour(
            notifiable=died or r.random() < P_NOTIFIABLE,
            decided_at=later(aware, D),
            relevant_person=RelevantPerson.REPRESENTATIVE if died else RelevantPerson.PERSON,
        )
        if not candour.notifiable:
            return candour, ()
        to = Recipient.FAMILY if died else Recipient.PERSON
        method = r.choice([NotificationMethod.IN_PERSON, NotificationMethod.PHONE])
        told = later(candour.decided_at, D)
        return candour, (
            Notification(
                recipient=to, sent_at=told, duty_of_candour=True, method=method, apology=True
            ),
            Notification(
                recipient=to,
                sent_at=later(told, D * 3),
                duty_of_candour=True,
                method=NotificationMethod.LETTER,
            ),
        )

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
    gaps = ["overdue_action"]
    gaps += ["trigger"] if distress or restrictive else []
    gaps += ["ri_details", "late_debrief", "person_debrief", "lawful_basis"] if restrictive else []
    gaps += ["missing_review"] if distress or restrictive else []
    gaps += (
        ["unexplained_stage"]
        if {Category.SAFEGUARDING_CONCERN, Category.ABUSE_ALLEGATION} & set(categories)
        else []
    )
    serious = severity in HARMFUL
    gaps += ["notification"] if serious or not CQC_CATEGORIES.isdisjoint(categories) else []
    return gaps
