"""
An example local authority pack: two declarative rules and one rule written in Python.

Installed, it offers the pack ``la-example`` through the ``trauma_incidents.packs`` entry
point; enable it with ``packs = ["core", "england", "la-example"]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from importlib.resources import as_file, files
from typing import Any

from trauma_incidents.model import Incident, Recipient
from trauma_incidents.packs import Pack, load_pack_file
from trauma_incidents.rules import (
    Evidence,
    FindingSeverity,
    OptionSpec,
    RuleMeta,
    Status,
    Verdict,
    rule,
)

__all__ = ["LA003", "make_pack"]


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


def make_pack() -> Pack:
    """The ``la-example`` pack: the declarative rules from rules.toml, plus LA003."""
    with as_file(files(__name__) / "rules.toml") as path:
        declared = load_pack_file(path)
    return declared.with_rules(*declared.rules, LA003)
