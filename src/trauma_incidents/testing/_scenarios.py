"""
Golden scenarios: incidents, optional configuration, and findings expected at checkpoints.

A scenario file (YAML, or the same structure as JSON) reads::

    name: restraint followed by debriefs
    config: {rules: {DB001: {within: 12h}}}     # optional, shaped like the TOML config
    incidents:
      - {id: INC-1, ...}                        # inline, in the interchange format
      - {path: more.ndjson}                     # or a file, relative to this one
    governance:                                 # optional: records for cross-incident rules
      meetings: [{id: M-1, held_at: "2026-03-20T10:00:00Z", service_id: S-1}]
      # supervisions: [...], thematic_reviews: [...]; or {path: governance.ndjson}
    checkpoints:
      - at: "2026-03-02T22:00:00Z"
        match: exactly                          # or at_least (the default)
        findings:
          - {rule: DB001, incident: INC-1, key: null, status: overdue}
        absent:
          - {rule: DB002}

An expectation matches a finding when every field it gives is equal; a field left out
matches anything (write ``key: null`` to require no key). ``incident`` may be left out when
the scenario has one incident.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from attrs import Factory, frozen

from trauma_incidents.config import Config
from trauma_incidents.engine._ruleset import RuleSet
from trauma_incidents.errors import ConfigError, IncidentLoadError, ScenarioError
from trauma_incidents.governance._reading import read_governance
from trauma_incidents.governance._records import GovernanceRecords
from trauma_incidents.loading import load_incident, partition, read_incidents
from trauma_incidents.loading._iso8601 import parse_datetime
from trauma_incidents.model._incident import Incident
from trauma_incidents.model._validators import is_aware
from trauma_incidents.rules._findings import Finding, Status

#: Matches any value in an `Expectation`.
ANY: Any = object()
_FIELDS = ("rule", "incident", "key", "status")


@frozen
class Expectation:
    """A finding expected (or forbidden): each field left out matches anything."""

    rule: str
    incident: Any = ANY
    key: Any = ANY
    status: Any = ANY

    def matches(self, f: Finding) -> bool:
        """Whether *f* fits this expectation."""
        return (
            f.rule == self.rule
            and self.incident in (ANY, f.incident_id)
            and self.key in (ANY, f.key)
            and self.status in (ANY, f.status)
        )

    def __str__(self) -> str:
        parts = [f"{n}={getattr(self, n)!s}" for n in _FIELDS if getattr(self, n) is not ANY]
        return " ".join(parts)


@frozen
class Checkpoint:
    """The findings expected at one time."""

    at: datetime
    findings: tuple[Expectation, ...]
    absent: tuple[Expectation, ...]
    exactly: bool


@frozen
class Scenario:
    """A loaded scenario file."""

    name: str
    path: Path
    config: Config
    incidents: tuple[Incident, ...]
    checkpoints: tuple[Checkpoint, ...]
    records: GovernanceRecords = Factory(GovernanceRecords)


def describe(f: Finding) -> str:
    """One line naming a finding the way expectations do."""
    return f"rule={f.rule} incident={f.incident_id} key={f.key} status={f.status}"


@frozen
class CheckpointResult:
    """The result of one checkpoint: what was missing, unexpected or forbidden."""

    scenario: Scenario
    checkpoint: Checkpoint
    actual: tuple[Finding, ...]
    missing: tuple[Expectation, ...]
    unexpected: tuple[Finding, ...]
    forbidden: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        """Whether every expectation held."""
        return not (self.missing or self.unexpected or self.forbidden)

    def explain(self) -> str:
        """A readable diff of expected against actual findings."""
        at = self.checkpoint.at.isoformat()
        lines = [f"scenario {self.scenario.name!r} at {at}:"]
        lines += [f"  - expected, not found: {e}" for e in self.missing]
        lines += [f"  + found, not expected: {describe(f)}" for f in self.unexpected]
        lines += [f"  ! found, must be absent: {describe(f)}" for f in self.forbidden]
        lines.append("  actual findings:")
        lines += [f"    {describe(f)}" for f in self.actual] or ["    (none)"]
        return "\n".join(lines)


def run_checkpoint(
    scenario: Scenario, checkpoint: Checkpoint, ruleset: RuleSet
) -> CheckpointResult:
    """Evaluate the scenario's incidents at the checkpoint and compare."""
    actual = ruleset.evaluate(
        scenario.incidents, at=checkpoint.at, records=scenario.records
    ).findings
    missing = tuple(e for e in checkpoint.findings if not any(e.matches(f) for f in actual))
    unexpected: tuple[Finding, ...] = ()
    if checkpoint.exactly:
        unexpected = tuple(f for f in actual if not any(e.matches(f) for e in checkpoint.findings))
    forbidden = tuple(f for f in actual if any(e.matches(f) for e in checkpoint.absent))
    return CheckpointResult(scenario, checkpoint, actual, missing, unexpected, forbidden)


def read_document(path: Path) -> Any:
    """Parse a scenario file: YAML (``.yaml``/``.yml``) or JSON."""
    raw = path.read_bytes()
    if path.suffix.lower() in {".yaml", ".yml"}:
        try:
            import yaml  # noqa: PLC0415 (optional dependency)
        except ImportError:
            msg = f"{path}: YAML scenarios need PyYAML: pip install 'trauma-incidents[yaml]'"
            raise ScenarioError(msg) from None
        return yaml.safe_load(raw)
    return orjson.loads(raw)


def load_scenario(path: str | Path) -> Scenario:
    """Load and check a scenario file; raise `ScenarioError` naming the bad key."""
    path = Path(path)
    try:
        doc = read_document(path)
    except (OSError, ValueError) as e:
        if isinstance(e, ScenarioError):
            raise
        msg = f"{path}: cannot be read ({type(e).__name__})"
        raise ScenarioError(msg) from None
    except Exception as e:  # noqa: BLE001 (a YAML parser's own errors)
        msg = f"{path}: cannot be parsed ({type(e).__name__})"
        raise ScenarioError(msg) from None
    if not isinstance(doc, Mapping):
        raise _fail(path, "$", "expected a mapping at the top")
    try:
        return _scenario(path, doc)
    except ConfigError as e:
        raise _fail(path, "config", "; ".join(e.problems)) from None


def _fail(path: Path, where: str, what: str) -> ScenarioError:
    return ScenarioError(f"{path}: {where}: {what}")


def _scenario(path: Path, doc: Mapping[str, Any]) -> Scenario:
    unknown = sorted(set(doc) - {"name", "config", "incidents", "checkpoints", "governance"})
    if unknown:
        raise _fail(path, unknown[0], "unknown key")
    config = Config.from_dict(doc.get("config") or {})
    incidents = tuple(_incidents(path, doc.get("incidents")))
    only = incidents[0].id if len(incidents) == 1 else ANY
    raw_checkpoints = doc.get("checkpoints")
    if not isinstance(raw_checkpoints, list) or not raw_checkpoints:
        raise _fail(path, "checkpoints", "expected a non-empty list")
    checkpoints = tuple(
        _checkpoint(path, f"checkpoints[{i}]", c, only) for i, c in enumerate(raw_checkpoints)
    )
    name = doc.get("name") or path.stem
    records = _governance(path, doc.get("governance"))
    return Scenario(str(name), path, config, incidents, checkpoints, records)


def _governance(path: Path, raw: object) -> GovernanceRecords:
    """Governance records given inline (the object form) or by ``{path: ...}``."""
    if raw is None:
        return GovernanceRecords()
    if not isinstance(raw, Mapping):
        raise _fail(path, "governance", "expected a mapping (the records, or a path)")
    if set(raw) == {"path"}:
        good, errors = partition(read_governance(path.parent / str(raw["path"])))
    else:
        good, errors = partition(read_governance(orjson.dumps(dict(raw)), source_name="governance"))
    if errors:
        raise _fail(path, "governance", str(errors[0]))
    return GovernanceRecords.from_records(good)


def _incidents(path: Path, raw: object) -> list[Incident]:
    if not isinstance(raw, list) or not raw:
        raise _fail(path, "incidents", "expected a non-empty list")
    out: list[Incident] = []
    for i, item in enumerate(raw):
        if isinstance(item, Mapping) and set(item) == {"path"}:
            for rec in read_incidents(path.parent / str(item["path"])):
                if not isinstance(rec, Incident):
                    raise _fail(path, f"incidents[{i}]", str(rec))
                out.append(rec)
            continue
        try:
            out.append(load_incident(item if isinstance(item, Mapping) else {}))
        except IncidentLoadError as e:
            raise _fail(path, f"incidents[{i}]", str(e)) from None
    return out


def _checkpoint(path: Path, where: str, raw: object, only: Any) -> Checkpoint:
    if not isinstance(raw, Mapping):
        raise _fail(path, where, "expected a mapping")
    unknown = sorted(set(raw) - {"at", "match", "findings", "absent"})
    if unknown:
        raise _fail(path, f"{where}.{unknown[0]}", "unknown key")
    at = raw.get("at")
    try:
        when = at if isinstance(at, datetime) else parse_datetime(str(at))
    except ValueError:
        when = None
    if when is None or not is_aware(when):
        raise _fail(path, f"{where}.at", "expected a time with an offset, like 2026-03-02T10:00Z")
    match = raw.get("match", "at_least")
    if match not in {"exactly", "at_least"}:
        raise _fail(path, f"{where}.match", "expected exactly or at_least")
    expected = tuple(_expectations(path, f"{where}.findings", raw.get("findings", []), only))
    absent = tuple(_expectations(path, f"{where}.absent", raw.get("absent", []), only))
    return Checkpoint(when, expected, absent, exactly=match == "exactly")


def _expectations(path: Path, where: str, raw: object, only: Any) -> list[Expectation]:
    if not isinstance(raw, list):
        raise _fail(path, where, "expected a list")
    out = []
    for i, item in enumerate(raw):
        here = f"{where}[{i}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("rule"), str):
            raise _fail(path, here, "expected a mapping with a rule code")
        unknown = sorted(set(item) - set(_FIELDS))
        if unknown:
            raise _fail(path, f"{here}.{unknown[0]}", "unknown key")
        status = item.get("status", ANY)
        if status is not ANY:
            try:
                status = Status(status)
            except ValueError:
                raise _fail(path, f"{here}.status", "expected a status") from None
        key = item.get("key", ANY)
        out.append(
            Expectation(
                rule=item["rule"],
                incident=item.get("incident", only),
                key=key if key is ANY or key is None else str(key),
                status=status,
            )
        )
    return out
