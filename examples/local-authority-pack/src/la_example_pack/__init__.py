"""
An example local authority pack: declarative rules, Python rules and a local recipient.

Two rules are declared in ``rules.toml``, which also adds the recipient
``safeguarding_hub`` for local practice; LA003 is a rule and LA004 a cross-incident rule
written in Python.

Installed, it offers the pack ``la-example`` through the ``trauma_incidents.packs`` entry
point; enable it with ``packs = ["core", "england", "la-example"]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from importlib.resources import as_file, files
from typing import Any

from trauma_incidents.model import Incident, InterventionKind, Recipient
from trauma_incidents.packs import Pack, load_pack_file
from trauma_incidents.rules import (
    Context,
    Evidence,
    FindingSeverity,
    OptionSpec,
    RuleMeta,
    Status,
    Verdict,
    cross_rule,
    rule,
)

__all__ = ["LA003", "LA004", "make_pack"]


@rule(
    RuleMeta(
        code="LA003",
        name="repeated-restriction-unreported",
        summary=(
            "A person with restrictive interventions in more than a set number of incidents"
            " recorded on this incident, without the local authority told."
        ),
        rationale=(
            "The Council asks to hear about people whose support involves restriction again"
            " and again, so a multi-agency review can be offered."
        ),
        example="Three restrictive interventions in one incident, no local_authority notification.",
        severity=FindingSeverity.MEDIUM,
        sources=("local policy",),
        options=(OptionSpec("threshold", "count", 2, "More restrictive interventions than this."),),
    )
)
def LA003(incident: Incident, at: datetime, options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    """Many restrictive interventions in one incident: the local authority is told."""
    started = [
        i for i, iv in incident.restrictive_interventions
        if iv.started_at is None or iv.started_at <= at
    ]  # fmt: skip
    if len(started) <= options["threshold"]:
        return ()
    told = any(
        n.recipient is Recipient.LOCAL_AUTHORITY and n.sent_at <= at for n in incident.notifications
    )
    if told:
        return ()
    return (
        Verdict(
            key=None,
            status=Status.MISSING,
            message=f"{len(started)} restrictive interventions and the local authority not told.",
            evidence=tuple(Evidence(f"$.interventions[{i}].kind", "restrictive") for i in started),
        ),
    )


@cross_rule(
    RuleMeta(
        code="LA004",
        name="seclusion-repeated-for-a-person",
        summary="A person secluded in two or more incidents known by the time.",
        rationale=(
            "Seclusion is not used outside the Mental Health Act; when it happens again for"
            " the same person the Council convenes a multi-agency review."
        ),
        example="Seclusion for P-101 on 2 and 3 March: concern on the 3 March incident.",
        severity=FindingSeverity.HIGH,
        sources=("local policy", "PPC-NO-SECLUSION-NON-MHA"),
    )
)
def LA004(  # noqa: N802
    incidents: Sequence[Incident],
    _context: Context,
    _at: datetime,
    _options: Mapping[str, Any],
) -> Iterable[tuple[str, Verdict]]:
    """The latest incident of each person secluded in two or more incidents: a concern."""
    by_person: dict[str, list[Incident]] = {}
    for incident in incidents:
        if any(iv.kind is InterventionKind.SECLUSION for iv in incident.interventions):
            by_person.setdefault(incident.person_id, []).append(incident)
    return [
        (
            max(group, key=lambda i: i.occurred_at).id,
            Verdict(
                key=None,
                status=Status.CONCERN,
                message=f"Seclusion was used in {len(group)} incidents for this person.",
            ),
        )
        for group in by_person.values()
        if len(group) >= 2  # noqa: PLR2004 (two or more)
    ]


def make_pack() -> Pack:
    """The ``la-example`` pack: rules.toml's rules and vocabulary, plus LA003 and LA004."""
    with as_file(files(__name__) / "rules.toml") as path:
        declared = load_pack_file(path)
    return declared.with_rules(*declared.rules, LA003, LA004)
