"""
Golden scenarios: incidents, optional configuration, and findings expected at checkpoints.

A scenario file (YAML, or the same structure as JSON) reads::

    name: restraint followed by debriefs
    config: {rules: {DB001: {within: 12h}}}     # optional: shaped like the TOML config,
                                                # or a path to a config file (config.toml)
    incidents:
      - {id: INC-1, ...}                        # inline, in the interchange format
      - {path: more.ndjson}                     # or a file, relative to this one
    governance:                                 # optional: records for cross-incident rules
      meetings: [{id: M-1, held_at: "2026-03-20T10:00:00Z", service_id: S-1}]
      # supervisions: [...], thematic_reviews: [...]; or {path: governance.ndjson}
    plans:                                      # optional: support plans (the plans pack
      - {id: SP-1, person_id: P-1, ...}         # runs only when given); inline, or
                                                # {path: plans.ndjson}
    outcomes:                                   # optional: outcome records (LN005 then
      activities: [{id: ACT-1, ...}]            # weighs what they show); the object form
      wellbeing_checks: [{id: WC-1, ...}]       # of an outcomes file, or
                                                # {path: outcomes.ndjson}
    checkpoints:
      - at: "2026-03-02T22:00:00Z"
        name: the night after                   # optional; ids must be unique
        match: exactly                          # or at_least (the default)
        findings:
          - {rule: DB001, incident: INC-1, key: null, status: overdue, severity: high,
             due_at: "2026-03-02T21:00:00Z"}
          - {rule: DB002, waived: true}         # set aside by a waiver
        absent:
          - {rule: DB003}
        met:
          - {rule: RI001}                       # applied, and satisfied on time

An expectation matches a finding when every field it gives is equal; a field left out
matches anything (write ``key: null`` to require no key). ``incident`` may be left out when
the scenario has one incident. A rule no enabled pack has, or an incident the scenario does
not hold, is an error: an expectation cannot pass by naming nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import orjson
from attrs import Factory, field, frozen

from trauma_incidents.config import Config
from trauma_incidents.engine._findings_report import Report
from trauma_incidents.engine._ruleset import RuleSet
from trauma_incidents.errors import ConfigError, IncidentLoadError, PackError, ScenarioError
from trauma_incidents.governance._reading import read_governance
from trauma_incidents.governance._records import GovernanceRecords
from trauma_incidents.loading import load_incident, partition, read_incidents
from trauma_incidents.loading._iso8601 import parse_datetime
from trauma_incidents.model._extensions import Extensions, extended
from trauma_incidents.model._incident import Incident
from trauma_incidents.model._validators import is_aware
from trauma_incidents.outcomes._reading import read_outcomes
from trauma_incidents.outcomes._records import Outcomes
from trauma_incidents.plans._reading import read_support_plans
from trauma_incidents.plans._records import SupportPlans
from trauma_incidents.rules._findings import Finding, FindingSeverity, Status


class _Any:
    """The placeholder that matches any value; it prints as ``<any>``."""

    def __repr__(self) -> str:
        return "<any>"

    def __reduce__(self) -> str:
        return "ANY"


#: Matches any value in an `Expectation`.
ANY: Any = _Any()
_FIELDS = ("rule", "incident", "key", "status", "severity", "due_at", "waived")
_TIME = "expected a time with an offset, like 2026-03-02T10:00Z"


@frozen
class Expectation:
    """
    A finding expected (or forbidden): each field left out matches anything.

    ``waived=True`` matches only findings a waiver set aside; otherwise only findings
    in force are matched. ``where`` is the expectation's place in its file, for errors.
    """

    rule: str
    incident: Any = ANY
    key: Any = ANY
    status: Any = ANY
    severity: Any = ANY
    due_at: Any = ANY
    waived: Any = ANY
    where: str = field(default="", eq=False, repr=False)

    def matches(self, f: Finding, *, waived: bool = False) -> bool:
        """Whether *f* (set aside by a waiver when *waived*) fits this expectation."""
        return (
            f.rule == self.rule
            and self.waived in (ANY, waived)
            and (waived is False or self.waived is True)
            and self.incident in (ANY, f.incident_id)
            and self.key in (ANY, f.key)
            and self.status in (ANY, f.status)
            and self.severity in (ANY, f.severity)
            and self.due_at in (ANY, f.due_at)
        )

    def closeness(self, f: Finding) -> int:
        """How many of the given fields *f* shares (for pairing with the nearest finding)."""
        return sum(
            getattr(self, n) in (ANY, v)
            for n, v in (
                ("key", f.key), ("status", f.status), ("severity", f.severity),
                ("due_at", f.due_at),
            )
        )  # fmt: skip

    def __str__(self) -> str:
        parts = [f"{n}={_text(getattr(self, n))}" for n in _FIELDS if getattr(self, n) is not ANY]
        return " ".join(parts)


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


@frozen
class Checkpoint:
    """The findings expected at one time; ``name`` is its id (the time when unnamed)."""

    at: datetime
    findings: tuple[Expectation, ...]
    absent: tuple[Expectation, ...]
    exactly: bool
    met: tuple[Expectation, ...] = ()
    name: str = ""

    @property
    def id(self) -> str:
        """The checkpoint's id: its name, or its time."""
        return self.name or self.at.isoformat()


@frozen
class Scenario:
    """A loaded scenario file."""

    name: str
    path: Path
    config: Config
    incidents: tuple[Incident, ...]
    checkpoints: tuple[Checkpoint, ...]
    records: GovernanceRecords = Factory(GovernanceRecords)
    plans: SupportPlans | None = None
    outcomes: Outcomes | None = None


def describe(f: Finding) -> str:
    """One line naming a finding the way expectations do."""
    due = f" due_at={f.due_at.isoformat()}" if f.due_at is not None else ""
    return (
        f"rule={f.rule} incident={f.incident_id} key={f.key} status={f.status}"
        f" severity={f.severity}{due}"
    )


def diff_lines(
    missing: tuple[Expectation, ...], actual: tuple[Finding, ...], *, everything: bool = True
) -> list[str]:
    """Each missing expectation with the nearest actual finding (same rule and incident)."""
    lines = []
    for e in missing:
        lines.append(f"  - expected, not found: {e}")
        near = [f for f in actual if f.rule == e.rule and e.incident in (ANY, f.incident_id)]
        if near:
            best = max(near, key=e.closeness)
            lines.append(f"      nearest: {describe(best)}")
        elif everything:
            lines.append(f"      no finding of {e.rule} for that incident")
    return lines


@frozen
class CheckpointResult:
    """The result of one checkpoint: what was missing, unexpected or forbidden."""

    scenario: Scenario
    checkpoint: Checkpoint
    actual: tuple[Finding, ...]
    missing: tuple[Expectation, ...]
    unexpected: tuple[Finding, ...]
    forbidden: tuple[Finding, ...]
    unmet: tuple[tuple[Expectation, str], ...] = ()

    @property
    def passed(self) -> bool:
        """Whether every expectation held."""
        return not (self.missing or self.unexpected or self.forbidden or self.unmet)

    def explain(self) -> str:
        """A readable diff: each expectation not found with its nearest actual finding."""
        at = self.checkpoint.at.isoformat()
        named = f" ({self.checkpoint.name})" if self.checkpoint.name else ""
        lines = [f"scenario {self.scenario.name!r} at {at}{named}:"]
        lines += diff_lines(self.missing, self.actual)
        lines += [f"  + found, not expected: {describe(f)}" for f in self.unexpected]
        lines += [f"  ! found, must be absent: {describe(f)}" for f in self.forbidden]
        lines += [f"  - expected met, but {why}: {e}" for e, why in self.unmet]
        if not self.actual:
            lines.append("  (no findings at all)")
        return "\n".join(lines)


def known_rules(ruleset: RuleSet) -> set[str]:
    """The codes of every rule *ruleset* runs, per-incident and cross-incident."""
    return {r.meta.code for r in ruleset.rules} | {r.meta.code for r in ruleset.cross}


def check_rules(scenario: Scenario, ruleset: RuleSet) -> None:
    """
    Refuse an expectation naming a rule that no enabled pack has.

    Raises:
        ScenarioError: Naming the expectation and the nearest known code.
    """
    known = known_rules(ruleset)
    for c in scenario.checkpoints:
        for e in (*c.findings, *c.absent, *c.met):
            if e.rule not in known:
                near = difflib.get_close_matches(e.rule, sorted(known), n=1)
                hint = f"; did you mean {near[0]}?" if near else ""
                what = f"no enabled pack has a rule {e.rule}{hint}"
                raise _fail(scenario.path, f"{e.where}.rule", what)


def run_checkpoint(
    scenario: Scenario, checkpoint: Checkpoint, ruleset: RuleSet
) -> CheckpointResult:
    """
    Evaluate the scenario's incidents at the checkpoint and compare.

    Raises:
        ScenarioError: An expectation names a rule no enabled pack has.
    """
    check_rules(scenario, ruleset)
    report = _evaluate(scenario, ruleset, checkpoint.at)
    actual = report.findings
    waived = tuple(w.finding for w in report.waived)

    def found(e: Expectation) -> bool:
        return any(e.matches(f) for f in actual) or any(e.matches(f, waived=True) for f in waived)

    missing = tuple(e for e in checkpoint.findings if not found(e))
    unexpected: tuple[Finding, ...] = ()
    if checkpoint.exactly:
        unexpected = tuple(f for f in actual if not any(e.matches(f) for e in checkpoint.findings))
    forbidden = tuple(f for f in actual if any(e.matches(f) for e in checkpoint.absent))
    forbidden += tuple(
        f for f in waived if any(e.matches(f, waived=True) for e in checkpoint.absent)
    )
    unmet = tuple(
        (e, why) for e in checkpoint.met if (why := _unmet(scenario, ruleset, checkpoint, e))
    )
    return CheckpointResult(scenario, checkpoint, actual, missing, unexpected, forbidden, unmet)


def _evaluate(scenario: Scenario, ruleset: RuleSet, at: datetime) -> Report:
    return ruleset.evaluate(
        scenario.incidents,
        at=at,
        records=scenario.records,
        plans=scenario.plans,
        outcomes=scenario.outcomes,
    )


def _unmet(scenario: Scenario, ruleset: RuleSet, checkpoint: Checkpoint, e: Expectation) -> str:
    """Why *e* is not met at the checkpoint (empty: it is met)."""
    now = [f for f in _evaluate(scenario, ruleset, checkpoint.at).findings if e.matches(f)]
    if now:
        return f"found {describe(now[0])}"
    for at in _probes(scenario, checkpoint.at):
        if any(
            e.matches(f) and f.status is Status.DUE
            for f in _evaluate(scenario, ruleset, at).findings
        ):
            return ""
    return "the rule never applied (it was never due before the checkpoint)"


def _probes(scenario: Scenario, until: datetime) -> list[datetime]:
    """Times at which a rule that applied was due: every recorded time, and just before."""
    tick = timedelta(microseconds=1)
    held = (*scenario.incidents, *(scenario.plans or ()), *(scenario.outcomes or ()))
    times = {t for i in held for t in _times(i)}
    return sorted({p for t in times for p in (t - tick, t) if p <= until})


def _times(value: object) -> Iterator[datetime]:
    if isinstance(value, datetime):
        yield value
    elif attrs.has(type(value)):
        for name in attrs.asdict(value, recurse=False):  # type: ignore[arg-type]
            yield from _times(getattr(value, name))
    elif isinstance(value, tuple):
        for v in value:
            yield from _times(v)


def read_document(path: Path) -> Any:
    """Parse a scenario file: YAML (``.yaml``/``.yml``) or JSON."""
    raw = path.read_bytes()
    if path.suffix.lower() in {".yaml", ".yml"}:
        return _yaml(path, raw)
    return orjson.loads(raw)


def _yaml(path: Path, raw: bytes) -> Any:
    """YAML with times kept as text, so unquoted and quoted times read the same."""
    try:
        import yaml  # noqa: PLC0415 (optional dependency)
    except ImportError:
        msg = f"{path}: YAML scenarios need PyYAML: pip install 'trauma-incidents[yaml]'"
        raise ScenarioError(msg) from None

    class Loader(yaml.SafeLoader):
        """The safe loader, without the timestamp type."""

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    try:
        return yaml.load(raw, Loader=Loader)  # noqa: S506 (a subclass of the safe loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        msg = f"{path}: {line}not valid YAML ({e.problem or type(e).__name__})"
        raise ScenarioError(msg) from None


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
    return _scenario(path, doc)


def _fail(path: Path, where: str, what: str) -> ScenarioError:
    return ScenarioError(f"{path}: {where}: {what}")


#: The top-level keys, each with its reader: (file, raw value) to the value `Scenario` takes.
#: A new section (plans, outcomes) is one more reader here and one more `Scenario` field.
_SECTIONS: dict[str, Callable[[Path, Any], Any]] = {}


def _section(key: str) -> Callable[[Callable[[Path, Any], Any]], Callable[[Path, Any], Any]]:
    def register(reader: Callable[[Path, Any], Any]) -> Callable[[Path, Any], Any]:
        _SECTIONS[key] = reader
        return reader

    return register


def _scenario(path: Path, doc: Mapping[str, Any]) -> Scenario:
    keys = [*_SECTIONS, "name", "config", "checkpoints"]
    unknown = sorted(set(doc) - set(keys), key=str)
    if unknown:
        near = difflib.get_close_matches(str(unknown[0]), keys)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise _fail(path, str(unknown[0]), "unknown key" + hint)
    config = _config(path, doc.get("config"))
    with extended(_vocabularies(config)):
        parts = {key: reader(path, doc.get(key)) for key, reader in _SECTIONS.items()}
    incidents: tuple[Incident, ...] = parts["incidents"]
    ids = {i.id for i in incidents}
    raw_checkpoints = doc.get("checkpoints")
    if not isinstance(raw_checkpoints, list) or not raw_checkpoints:
        raise _fail(path, "checkpoints", "expected a non-empty list")
    checkpoints = tuple(
        _checkpoint(path, f"checkpoints[{i}]", c, ids) for i, c in enumerate(raw_checkpoints)
    )
    seen: dict[str, int] = {}
    for i, c in enumerate(checkpoints):
        if c.id in seen:
            what = f"the id {c.id!r} is also checkpoints[{seen[c.id]}]'s; give each a unique name"
            raise _fail(path, f"checkpoints[{i}]", what)
        seen[c.id] = i
    name = doc.get("name") or path.stem
    return Scenario(
        str(name),
        path,
        config,
        incidents,
        checkpoints,
        parts["governance"],
        parts["plans"],
        parts["outcomes"],
    )


def _vocabularies(config: Config) -> Extensions:
    """
    The values the scenario's enabled packs add to the vocabularies, for its incidents.

    None when the configuration does not compile here (packs given to `RuleSet.compile`
    by the caller): the error, if any, comes when the caller compiles it.
    """
    try:
        return RuleSet.compile(config).vocabularies
    except (ConfigError, PackError):
        return {}


def _config(path: Path, raw: object) -> Config:
    """The configuration: inline (shaped like the TOML), or a path to a TOML file."""
    try:
        if isinstance(raw, str):
            config_path = path.parent / raw
            if not config_path.is_file():
                raise _fail(path, "config", f"no such file: {raw}")
            return Config.from_file(config_path)
        if raw is not None and not isinstance(raw, Mapping):
            raise _fail(path, "config", "expected a mapping, or the path of a config file")
        return Config.from_dict(raw or {})
    except ConfigError as e:
        raise _fail(path, "config", "; ".join(e.problems)) from None


def _object_form(path: Path, key: str, raw: object, read: Callable[..., Any]) -> list[Any]:
    """
    The records of a section given inline (a file's object form) or by ``{path: ...}``.

    *read* is the records' reader (`read_governance`, `read_outcomes`); a bad record fails.
    """
    if not isinstance(raw, Mapping):
        raise _fail(path, key, "expected a mapping (the records, or a path)")
    if set(raw) == {"path"}:
        good, errors = partition(read(path.parent / str(raw["path"])))
    else:
        good, errors = partition(read(orjson.dumps(dict(raw)), source_name=key))
    if errors:
        raise _fail(path, key, str(errors[0]))
    return list(good)


@_section("governance")
def _governance(path: Path, raw: object) -> GovernanceRecords:
    """Governance records given inline (the object form) or by ``{path: ...}``."""
    if raw is None:
        return GovernanceRecords()
    return GovernanceRecords.from_records(_object_form(path, "governance", raw, read_governance))


@_section("plans")
def _plans(path: Path, raw: object) -> SupportPlans | None:
    """Support plans given inline (a list of plans) or by ``{path: ...}``; absent: ``None``."""
    if raw is None:
        return None
    if isinstance(raw, Mapping) and set(raw) == {"path"}:
        good, errors = partition(read_support_plans(path.parent / str(raw["path"])))
    elif isinstance(raw, list):
        doc = orjson.dumps({"support_plans": raw})
        good, errors = partition(read_support_plans(doc, source_name="plans"))
    else:
        raise _fail(path, "plans", "expected a list of plans, or {path: ...}")
    if errors:
        raise _fail(path, "plans", str(errors[0]))
    return SupportPlans.from_records(good)


@_section("outcomes")
def _outcomes(path: Path, raw: object) -> Outcomes | None:
    """Outcome records given inline (the object form) or by ``{path: ...}``; absent: ``None``."""
    if raw is None:
        return None
    return Outcomes.from_records(_object_form(path, "outcomes", raw, read_outcomes))


@_section("incidents")
def _incidents(path: Path, raw: object) -> tuple[Incident, ...]:
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
    return tuple(out)


_CHECKPOINT_KEYS = ("at", "name", "match", "findings", "absent", "met")


def _checkpoint(path: Path, where: str, raw: object, ids: set[str]) -> Checkpoint:
    if not isinstance(raw, Mapping):
        raise _fail(path, where, "expected a mapping")
    unknown = sorted(set(raw) - set(_CHECKPOINT_KEYS), key=str)
    if unknown:
        raise _fail(path, f"{where}.{unknown[0]}", "unknown key")
    when = _time(raw.get("at"))
    if when is None:
        raise _fail(path, f"{where}.at", _TIME)
    name = raw.get("name", "")
    if not isinstance(name, str):
        raise _fail(path, f"{where}.name", "expected text")
    match = raw.get("match", "at_least")
    if match not in {"exactly", "at_least"}:
        raise _fail(path, f"{where}.match", "expected exactly or at_least")
    lists = {
        k: tuple(_expectations(path, f"{where}.{k}", raw.get(k, []), ids))
        for k in ("findings", "absent", "met")
    }
    return Checkpoint(
        when, lists["findings"], lists["absent"], exactly=match == "exactly",
        met=lists["met"], name=name,
    )  # fmt: skip


def _time(raw: object) -> datetime | None:
    try:
        when = raw if isinstance(raw, datetime) else parse_datetime(str(raw))
    except ValueError:
        return None
    return when if is_aware(when) else None


def _expectations(path: Path, where: str, raw: object, ids: set[str]) -> list[Expectation]:
    if not isinstance(raw, list):
        raise _fail(path, where, "expected a list")
    only = next(iter(ids)) if len(ids) == 1 else ANY
    return [_expectation(path, f"{where}[{i}]", item, ids, only) for i, item in enumerate(raw)]


def _asserted(path: Path, here: str, item: Mapping[str, Any]) -> dict[str, Any]:
    """The severity, due_at, waived and status an expectation gives, parsed."""
    kw: dict[str, Any] = {}
    for name, vocabulary in (("status", Status), ("severity", FindingSeverity)):
        if name in item:
            try:
                kw[name] = vocabulary(item[name])
            except ValueError:
                allowed = ", ".join(v.value for v in vocabulary)
                raise _fail(path, f"{here}.{name}", f"expected one of {allowed}") from None
    if "due_at" in item:
        due = None if item["due_at"] is None else _time(item["due_at"])
        if due is None and item["due_at"] is not None:
            raise _fail(path, f"{here}.due_at", _TIME + ", or null")
        kw["due_at"] = due
    if "waived" in item:
        if not isinstance(item["waived"], bool):
            raise _fail(path, f"{here}.waived", "expected true or false")
        kw["waived"] = item["waived"]
    return kw


def _expectation(path: Path, here: str, item: object, ids: set[str], only: Any) -> Expectation:
    if not isinstance(item, Mapping) or not isinstance(item.get("rule"), str):
        raise _fail(path, here, "expected a mapping with a rule code")
    unknown = sorted(set(item) - set(_FIELDS), key=str)
    if unknown:
        raise _fail(path, f"{here}.{unknown[0]}", "unknown key")
    incident = item.get("incident", only)
    if incident is not ANY and incident not in ids:
        near = difflib.get_close_matches(str(incident), sorted(ids), n=1)
        hint = f"; did you mean {near[0]}?" if near else ""
        raise _fail(path, f"{here}.incident", f"the scenario has no incident {incident}{hint}")
    kw = _asserted(path, here, item)
    key = item.get("key", ANY)
    return Expectation(
        rule=item["rule"], incident=incident,
        key=key if key is ANY or key is None else str(key), where=here, **kw,
    )  # fmt: skip
