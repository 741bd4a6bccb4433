"""
Support plans for the bundled sample's ten people (``sample_support_plans.ndjson``).

Every plan is invented. Three people's plans follow their series (``_sample_scenarios.py``):
P-014's plan learns the crowded outing's environmental trigger, P-022's authorises the seated
hold and learns the routine-change trigger, P-031's sets out how she likes to be communicated
with. Some plans are out of date (P-007's and P-036's review dates pass with no newer version;
P-036's was written without her), and one person, P-040, has no plan although restrictive
interventions are used. The other four are drawn from a seeded random generator.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from trauma_incidents.model import (
    AccountMethod,
    InterventionKind,
    LegalBasis,
    Position,
    TriggerKind,
)
from trauma_incidents.plans import (
    AuthorisedRestriction,
    KnownTrigger,
    Strategy,
    StrategyStage,
    SupportPlan,
    WarningSign,
)
from trauma_incidents.testing._synthetic_parts import UTC

_SEATED_HOLD = AuthorisedRestriction(
    kind=InterventionKind.PHYSICAL_RESTRAINT,
    legal_basis=LegalBasis.MCA_BEST_INTERESTS,
    positions=(Position.SEATED,),
    max_minutes=10,
)
_STRATEGIES = (
    Strategy(stage=StrategyStage.PRIMARY, description="A settled routine agreed with the person."),
    Strategy(stage=StrategyStage.SECONDARY, description="Offer a quiet space and time."),
    Strategy(stage=StrategyStage.REACTIVE, description="Step back and keep others safe."),
)
_SIGNS = (WarningSign(description="Pacing and a raised voice.", response="Offer a walk."),)
_SEEDED = ("P-003", "P-011", "P-018", "P-025")


def _at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def _triggers(*kinds: TriggerKind) -> tuple[KnownTrigger, ...]:
    return tuple(KnownTrigger(kind=k) for k in kinds)


def _plan(plan_id: str, person: str, start: datetime, **fields: object) -> SupportPlan:
    defaults: dict[str, object] = {
        "review_by": (start + timedelta(days=182)).date(),
        "coordinator_id": "ST-118",
        "person_involved": True,
        "involvement_method": AccountMethod.SPOKEN,
        "formulation_at": start - timedelta(days=3),
        "early_warning_signs": _SIGNS,
        "strategies": _STRATEGIES,
        "what_matters": ("Synthetic: time outdoors.",),
        "safe_engagement": ("Synthetic: a familiar member of staff.",),
        "communication": ("Synthetic: short sentences.",),
    }
    return SupportPlan(id=plan_id, person_id=person, effective_from=start, **(defaults | fields))  # type: ignore[arg-type]


def _series() -> list[SupportPlan]:
    outing = _plan(
        "SP-014-1",
        "P-014",
        _at(2025, 11, 3),
        involvement_method=AccountMethod.PICTURES,
        known_triggers=_triggers(TriggerKind.SENSORY),
    )
    quieter = (
        Strategy(stage=StrategyStage.PRIMARY, description="Plan outings for quieter times."),
        *_STRATEGIES,
    )
    return [
        outing,
        _plan(
            "SP-014-2",
            "P-014",
            _at(2026, 1, 30),
            involvement_method=AccountMethod.PICTURES,
            known_triggers=_triggers(TriggerKind.SENSORY, TriggerKind.ENVIRONMENTAL),
            strategies=quieter,
        ),
        _plan(
            "SP-022-1",
            "P-022",
            _at(2025, 12, 1),
            known_triggers=_triggers(TriggerKind.COMMUNICATION),
            authorised_restrictions=(_SEATED_HOLD,),
        ),
        _plan(
            "SP-022-2",
            "P-022",
            _at(2026, 2, 14),
            known_triggers=_triggers(TriggerKind.COMMUNICATION, TriggerKind.ROUTINE_CHANGE),
            authorised_restrictions=(_SEATED_HOLD,),
        ),
        _plan(
            "SP-031-1",
            "P-031",
            _at(2025, 10, 6),
            review_by=date(2026, 10, 6),
            involvement_method=AccountMethod.VIA_ADVOCATE,
            known_triggers=_triggers(TriggerKind.INTERPERSONAL, TriggerKind.COMMUNICATION),
            communication=("Synthetic: easy read.", "Synthetic: time to answer."),
        ),
    ]


def _out_of_date() -> list[SupportPlan]:
    return [
        _plan(
            "SP-007-1",
            "P-007",
            _at(2025, 9, 1),
            review_by=date(2026, 2, 28),
            known_triggers=_triggers(TriggerKind.ENVIRONMENTAL, TriggerKind.UNMET_NEED),
            authorised_restrictions=(_SEATED_HOLD,),
        ),
        _plan(
            "SP-036-1",
            "P-036",
            _at(2025, 8, 4),
            review_by=date(2026, 3, 31),
            person_involved=False,
            involvement_method=None,
            known_triggers=_triggers(TriggerKind.COMMUNICATION, TriggerKind.INTERPERSONAL),
            authorised_restrictions=(
                _SEATED_HOLD,
                AuthorisedRestriction(
                    kind=InterventionKind.RESTRICTIVE_ESCORT,
                    legal_basis=LegalBasis.MCA_BEST_INTERESTS,
                ),
            ),
        ),
    ]


def _seeded(rng: random.Random) -> list[SupportPlan]:
    kinds = [k for k in TriggerKind if k is not TriggerKind.UNKNOWN]
    plans = []
    for person in _SEEDED:
        start = _at(2025, rng.randint(6, 12), rng.randint(1, 28))
        plans.append(
            _plan(
                f"SP-{person[2:]}-1",
                person,
                start,
                review_by=(start + timedelta(days=rng.choice((182, 365)))).date(),
                person_involved=rng.choice((True, True, None)),
                known_triggers=_triggers(*sorted(rng.sample(kinds, 5))),
            )
        )
    return plans


def sample_plans(seed: int = 2026) -> list[SupportPlan]:
    """The sample's plans: the series' people, the out-of-date ones and four seeded ones."""
    plans = [*_series(), *_out_of_date(), *_seeded(random.Random(seed))]
    return sorted(plans, key=lambda p: (p.person_id, p.effective_from))
