"""
The monitor's snapshot: a versioned JSON document of what it holds, to restart from.

Its JSON Schema is ``data/monitor_snapshot.schema.json``; ``docs/platform.md`` describes it.
Version 1 holds the monitor's time, a fingerprint of the rules, each held incident (in the
interchange format) with its findings, faults and next change, each released incident's
findings as ids, rule codes, statuses and digests, the support plans held (absent
when none were given, so the plans rules were not running) and the outcome records held
(absent when none were given; a snapshot written before they were added restores without).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from importlib.metadata import version
from typing import Any, Final, Literal

import orjson
from attrs import frozen
from cattrs import Converter
from cattrs.gen import make_dict_unstructure_fn

from trauma_incidents.engine._cross import PLANS_PACK, CompiledCrossRule
from trauma_incidents.engine._findings_report import RuleFault
from trauma_incidents.engine._json import load_finding_hook
from trauma_incidents.engine._ruleset import CompiledRule, RuleSet
from trauma_incidents.errors import IncidentLoadError, LoadProblem, MonitorDataError
from trauma_incidents.loading._converter import make_converter
from trauma_incidents.loading._record import parse_json, render_error
from trauma_incidents.model._incident import Incident
from trauma_incidents.monitor._events import ReleasedFinding
from trauma_incidents.outcomes._records import Outcomes
from trauma_incidents.plans._records import SupportPlan
from trauma_incidents.rules._findings import Finding

FORMAT: Final = "trauma-incidents monitor snapshot"
VERSION: Final = 1


@frozen(kw_only=True)
class HeldIncident:
    """
    An incident the monitor holds, with its findings as of the snapshot's time.

    Attributes:
        incident: The incident.
        findings: Its findings (after waivers).
        faults: Rules that raised on it.
        next_change: When its findings can next change; ``None`` when only a new record
            can change them (it is held because of a fault).
    """

    incident: Incident
    findings: tuple[Finding, ...] = ()
    faults: tuple[RuleFault, ...] = ()
    next_change: datetime | None = None


@frozen(kw_only=True)
class ReleasedIncident:
    """
    An incident the monitor released: settled, and kept only as its findings' traces.

    Attributes:
        incident_id: The incident's id.
        findings: What the monitor keeps of each of its findings.
    """

    incident_id: str
    findings: tuple[ReleasedFinding, ...]


@frozen(kw_only=True)
class MonitorSnapshot:
    """
    A monitor's state (format version 1), written by `Monitor.snapshot`.

    Attributes:
        format: Always ``"trauma-incidents monitor snapshot"``.
        version: The format's version: 1.
        at: The monitor's time.
        rules: A fingerprint of the rules (library version, rules, options and waivers);
            a snapshot restores only into the same rules.
        held: The incidents the monitor holds.
        released: The incidents it released that had findings.
        support_plans: The support plan versions it holds, in the order given; ``None``
            when none were given (then the ``plans`` pack's rules do not run).
        outcomes: The outcome records it holds (the object form of an outcomes file);
            ``None`` when none were given (then LN005 asks for self-ratings).
    """

    format: Literal["trauma-incidents monitor snapshot"]
    version: Literal[1]
    at: datetime
    rules: str
    held: tuple[HeldIncident, ...] = ()
    released: tuple[ReleasedIncident, ...] = ()
    support_plans: tuple[SupportPlan, ...] | None = None
    outcomes: Outcomes | None = None


def rules_fingerprint(ruleset: RuleSet) -> str:
    """
    A digest of what the findings depend on: library version, rules, options, waivers.

    The rules are the per-incident rules and the ``plans`` pack's (which the monitor runs).
    """
    monitored: list[CompiledRule | CompiledCrossRule] = [
        *ruleset.rules,
        *(r for r in ruleset.cross if r.pack == PLANS_PACK),
    ]
    rules = [
        (r.meta, r.pack, r.severity, sorted(r.options.items()), r.effective_from, r.effective_to)
        for r in monitored
    ]
    waivers = [(w.rule, w.incident_id, w.finding_id, w.expires) for w in ruleset.waivers]
    raw = repr((version("trauma-incidents"), rules, waivers, ruleset.strict))
    return hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def write_snapshot(
    at: datetime,
    rules: str,
    held: tuple[HeldIncident, ...],
    released: tuple[ReleasedIncident, ...],
    plans: tuple[SupportPlan, ...] | None = None,
    *,
    outcomes: Outcomes | None = None,
) -> bytes:
    """A snapshot of a monitor at *at* with the rules of fingerprint *rules*, as JSON."""
    snapshot = MonitorSnapshot(
        format=FORMAT,
        version=VERSION,
        at=at,
        rules=rules,
        held=held,
        released=released,
        support_plans=plans,
        outcomes=outcomes,
    )
    return orjson.dumps(_converter().unstructure(snapshot, MonitorSnapshot))


def read_snapshot(data: bytes | str, ruleset: RuleSet) -> MonitorSnapshot:
    """
    Load a snapshot to restore with *ruleset*.

    Raises:
        MonitorDataError: It is not valid, or was taken with other rules.
    """
    snapshot = load_snapshot(data)
    if snapshot.rules != rules_fingerprint(ruleset):
        msg = "the snapshot was taken with other rules; start with Monitor.from_findings"
        raise MonitorDataError([LoadProblem("$.rules", msg)], what="snapshot")
    return snapshot


def load_snapshot(data: bytes | str | Mapping[str, Any]) -> MonitorSnapshot:
    """
    Load a snapshot that `dump_snapshot` wrote.

    Raises:
        MonitorDataError: Every problem found, each with its JSON path; a format or
            version this library does not know is one problem, reported alone.
    """
    try:
        obj = parse_json(data) if isinstance(data, bytes | str) else dict(data)
    except IncidentLoadError as e:
        raise MonitorDataError(e.problems, what="snapshot") from None
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise MonitorDataError([LoadProblem("$.format", f"expected {FORMAT!r}")], what="snapshot")
    if obj.get("version") != VERSION:
        msg = f"this library reads version {VERSION} (snapshots are not converted)"
        raise MonitorDataError([LoadProblem("$.version", msg)], what="snapshot")
    try:
        snapshot: MonitorSnapshot = _converter().structure(obj, MonitorSnapshot)
    except Exception as exc:  # noqa: BLE001 (rendered as problems, never re-raised)
        raise MonitorDataError(render_error(exc), what="snapshot") from None
    return snapshot


@cache
def _converter() -> Converter:
    """The interchange converter, with findings and their derived ids both ways."""
    converter = make_converter()
    converter.register_structure_hook(Finding, load_finding_hook(converter))
    # The format's literal hook takes strings; the version, checked first, is a number.
    converter.register_structure_hook_func(lambda t: t == Literal[1], lambda v, _: v)
    converter.register_unstructure_hook(
        Finding, make_dict_unstructure_fn(Finding, converter, _cattrs_include_init_false=True)
    )
    return converter
