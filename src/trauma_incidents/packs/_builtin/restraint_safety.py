"""
Core rules on restraint safety and its lawful basis (RI007-RI010), new in the core pack 2.0.

Long or airway-risk restraint, rapid tranquillisation without monitoring, seclusion outside
the Mental Health Act, and a legal basis that is absent or contradicts the capacity recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from trauma_incidents.model._incident import Incident
from trauma_incidents.model._parts import Intervention
from trauma_incidents.model._vocabularies import Capacity, InterventionKind, LegalBasis, Position
from trauma_incidents.rules._episodes import ongoing
from trauma_incidents.rules._findings import Evidence, FindingSeverity, Status
from trauma_incidents.rules._items import ConcernRule, ItemPattern, missing_verdict
from trauma_incidents.rules._metadata import OptionSpec, RuleMeta
from trauma_incidents.rules._shapes import Verdict, rule, stamp


def _span(incident: Incident, iv: Intervention) -> tuple[datetime, datetime]:
    """An intervention's start and end: each its own time, else the other, else occurred_at."""
    start = iv.started_at or iv.ended_at or incident.occurred_at
    return start, iv.ended_at or iv.started_at or incident.occurred_at


def _settled(incident: Incident, at: datetime, iv: Intervention) -> bool:
    """Whether *iv* was recorded by *at* (by its start) and is not still going on."""
    return _span(incident, iv)[0] <= at and not ongoing(iv, at)


def _times(i: int, iv: Intervention) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(f"$.interventions[{i}].{name}", None if t is None else stamp(t))
        for name, t in (("started_at", iv.started_at), ("ended_at", iv.ended_at))
    )


@rule(
    RuleMeta(
        added_in="2.0",
        code="RI007",
        name="restraint-duration",
        summary=(
            "A physical restraint that lasted longer than 10 minutes (from started_at to ended_at)."
        ),
        rationale=(
            "Manual restraint is monitored during and after its use, because the airway is at"
            " risk; NICE advises against routinely holding a person for more than 10 minutes."
            " NICE NG10 was written for mental-health inpatient settings (it covers social care"
            " too): for care providers it is the best-practice template, not binding law."
        ),
        example="interventions[0] is physical_restraint from 10:00 to 10:25: concern.",
        severity=FindingSeverity.HIGH,
        sources=("NG10-RESTRAINT-MONITOR",),
        options=(
            OptionSpec(
                "max_minutes",
                "count",
                10,
                "Minutes a physical restraint may last before it is a concern.",
            ),
        ),
    ),
    gate=["interventions"],
)
def RI007(incident: Incident, at: datetime, options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    """Each physical restraint that has ended lasted no longer than ``max_minutes``."""
    limit = timedelta(minutes=options["max_minutes"])
    verdicts = []
    for i, iv in enumerate(incident.interventions):
        start, end = iv.started_at, iv.ended_at
        if iv.kind is not InterventionKind.PHYSICAL_RESTRAINT or start is None or end is None:
            continue
        if not ongoing(iv, at) and end - start > limit:
            minutes = (end - start) // timedelta(minutes=1)
            msg = (
                f"A physical restraint lasted {minutes} minutes, longer than"
                f" {options['max_minutes']}."
            )
            verdicts.append(
                Verdict(key=str(i), status=Status.CONCERN, message=msg, evidence=_times(i, iv))
            )
    return verdicts


RI008 = ConcernRule(
    meta=RuleMeta(
        added_in="2.0",
        code="RI008",
        name="seclusion-outside-mha",
        summary=(
            "A seclusion or segregation whose legal basis is not the Mental Health Act (not"
            " recorded included)."
        ),
        rationale=(
            "Positive and Proactive Care allows seclusion only for people detained under the"
            " Mental Health Act 1983; outside it, isolating a person is likely to be an unlawful"
            " deprivation of liberty, which the Mental Capacity Act's section 6 never covers."
        ),
        example=(
            "interventions[2] is seclusion with legal_basis mca_best_interests: concern, critical."
        ),
        severity=FindingSeverity.CRITICAL,
        sources=("PPC-NO-SECLUSION-NON-MHA", "MCA-S5-S6", "REG13-RESTRAINT"),
    ),
    when=(),
    pattern=ItemPattern(
        collection="interventions",
        where={"kind": frozenset({InterventionKind.SECLUSION, InterventionKind.SEGREGATION})},
        where_not={"legal_basis": frozenset({LegalBasis.MENTAL_HEALTH_ACT})},
    ),
    message=(
        "A seclusion or segregation was recorded without the Mental Health Act as its legal basis."
    ),
)

#: Legal bases that contradict the capacity recorded, and why, in words.
_CONTRADICTIONS = {
    (LegalBasis.CONSENT, Capacity.LACKS): (
        "Consent is recorded as the legal basis, but the person was assessed as lacking"
        " capacity: consent needs capacity."
    ),
    (LegalBasis.MCA_BEST_INTERESTS, Capacity.HAS): (
        "Best interests under the Mental Capacity Act is recorded as the legal basis, but the"
        " person was assessed as having capacity: that route applies only where capacity is"
        " lacking."
    ),
}


@rule(
    RuleMeta(
        added_in="2.0",
        code="RI009",
        name="lawful-basis",
        summary=(
            "A restrictive intervention with no legal basis recorded (absent or not_recorded:"
            " missing), or one that contradicts the capacity recorded (consent while lacking"
            " capacity, or MCA best interests while having it: concern)."
        ),
        rationale=(
            "Restraint is lawful only when it is necessary and proportionate and has a lawful"
            " basis. A person with capacity gives or withholds consent themselves; the Mental"
            " Capacity Act's best-interests route, and its protection for restraint, applies"
            " only to a person who lacks capacity for the matter."
        ),
        example=(
            "interventions[0] is physical_restraint with legal_basis consent and capacity"
            " lacks: concern."
        ),
        severity=FindingSeverity.HIGH,
        sources=("MCA-S5-S6", "MCA-CONSENT", "REG13-RESTRAINT"),
    ),
    gate=["restrictive"],
)
def RI009(incident: Incident, at: datetime, _options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    """Each restrictive intervention has a legal basis consistent with the capacity recorded."""
    verdicts = []
    for i, iv in incident.restrictive_interventions:
        if not _settled(incident, at, iv):
            continue
        basis = iv.legal_basis
        if basis is None or basis is LegalBasis.NOT_RECORDED:
            msg = "The restrictive intervention record lacks its legal basis."
            value = None if basis is None else basis.value
            verdicts.append(missing_verdict("interventions", i, ("legal_basis",), msg, value))
            continue
        capacity = iv.capacity
        concern = None if capacity is None else _CONTRADICTIONS.get((basis, capacity))
        if concern is not None and capacity is not None:
            evidence = (
                Evidence(f"$.interventions[{i}].legal_basis", basis.value),
                Evidence(f"$.interventions[{i}].capacity", capacity.value),
            )
            verdicts.append(
                Verdict(key=str(i), status=Status.CONCERN, message=concern, evidence=evidence)
            )
    return verdicts


_AIRWAY_RISK = frozenset({Position.PRONE, Position.SUPINE})


def _monitored(iv: Intervention) -> bool:
    """Whether NICE asks for physical monitoring after *iv*."""
    if iv.kind is InterventionKind.RAPID_TRANQUILLISATION:
        return True
    return iv.kind is InterventionKind.PHYSICAL_RESTRAINT and iv.position in _AIRWAY_RISK


@rule(
    RuleMeta(
        added_in="2.0",
        code="RI010",
        name="physical-monitoring",
        summary=(
            "A physical restraint in the prone or supine position, or a rapid tranquillisation,"
            " with no observation recorded between its start and an hour after its end. Added"
            " in 2.0."
        ),
        rationale=(
            "A person's physical health is monitored during and after manual restraint, because"
            " the airway is at risk, and after rapid tranquillisation side effects, vital signs,"
            " hydration and consciousness are checked at least every hour until there are no"
            " further concerns. NICE NG10 is the best-practice template for care providers, not"
            " binding law."
        ),
        example=(
            "interventions[1] is rapid_tranquillisation ending 10:20 with no observation by"
            " 11:20: missing."
        ),
        severity=FindingSeverity.HIGH,
        sources=("NG10-RESTRAINT-MONITOR", "NG10-RT-OBS"),
        options=(
            OptionSpec(
                "after_end",
                "duration",
                "1h",
                "How long after the intervention ends an observation still counts.",
            ),
        ),
    ),
    gate=["interventions"],
)
def RI010(incident: Incident, at: datetime, options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    """Each prone or supine restraint and each rapid tranquillisation has an observation."""
    after_end = options["after_end"]
    verdicts = []
    for i, iv in enumerate(incident.interventions):
        if not _monitored(iv) or not _settled(incident, at, iv):
            continue
        start, end = _span(incident, iv)
        last = after_end.after(end)
        if not any(start <= o.at <= last and o.at <= at for o in iv.observations):
            msg = (
                "No physical observation is recorded during the intervention or within"
                f" {after_end.describe()} after it."
            )
            verdicts.append(missing_verdict("interventions", i, ("observations",), msg))
    return verdicts


RULES = (RI007, RI008, RI009, RI010)
