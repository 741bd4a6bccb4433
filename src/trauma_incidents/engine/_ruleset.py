"""
The engine: compile packs and configuration once into a `RuleSet`, then evaluate incidents.

Evaluation is pure: it never reads the clock, keeps no global state, and gives the same
findings in the same order for the same input. A rule that raises, returns something other
than verdicts or (with ``rule_time_limit``) takes too long is isolated and reported; the time
limit is the one thing that reads a clock, so only a run with a limit set can differ.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, cast, final

from attrs import evolve, field, frozen

from trauma_incidents._calendar import london_day
from trauma_incidents.config import Config, RuleSettings, Waiver
from trauma_incidents.engine._compiled import Dated, reduced
from trauma_incidents.engine._context import context_of
from trauma_incidents.engine._cross import CompiledCrossRule, run_cross, runnable
from trauma_incidents.engine._findings_report import Report, RuleFault, WaivedFinding
from trauma_incidents.engine._guard import run_timed, verdicts_of
from trauma_incidents.errors import (
    ConfigError,
    InvalidArgument,
    PackError,
    RuleError,
    TraumaIncidentsDeprecationWarning,
)
from trauma_incidents.governance._records import GovernanceRecords
from trauma_incidents.model._incident import Incident
from trauma_incidents.model._validators import YEARS, in_years, is_aware
from trauma_incidents.model._vocabularies import Vocabulary
from trauma_incidents.packs import available_packs
from trauma_incidents.packs._pack import Pack, builtin_packs
from trauma_incidents.plans._records import SupportPlans
from trauma_incidents.rules._context import Context
from trauma_incidents.rules._cross import CrossRule
from trauma_incidents.rules._findings import Finding, FindingSeverity
from trauma_incidents.rules._metadata import RuleMeta
from trauma_incidents.rules._shapes import Check, FunctionRule, Rule, Verdict, finding_from

if TYPE_CHECKING:  # outcome records are imported when given
    from trauma_incidents.outcomes._records import Outcomes


@frozen(kw_only=True)
class CompiledRule(Dated):
    """
    A rule with its configuration resolved: ready to run.

    Attributes:
        meta: The rule's metadata.
        rule: The rule as declared (what `check` was compiled from).
        pack: The name of the pack it came from.
        severity: The configured severity.
        options: The parsed options.
        check: The compiled check.
        gate: Tags (`Incident.tags`) of which an incident needs one for the rule to apply;
            empty means every incident. An optimisation: it never changes a finding.
        effective_from: First day (Europe/London) of incidents it judges, from pack and rule.
        effective_to: Last day of incidents it judges.
        trusted: The rule ships with the library, whose tests hold its verdicts well formed,
            so the engine skips `verdicts_of`'s checks for it (a third-party rule keeps them).
    """

    meta: RuleMeta
    rule: Rule
    pack: str
    severity: FindingSeverity
    options: Mapping[str, Any]
    check: Check
    gate: frozenset[str] = frozenset()
    effective_from: date | None = None
    effective_to: date | None = None
    trusted: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the declaration and options; compile again on loading (checks are closures)."""
        return reduced(self, _PICKLED, _recompile)


_MAX_PLANS = 4096
#: What a rule with nothing to say returns, accepted without calling `verdicts_of`.
_EMPTY_OK = (tuple, list)
_PICKLED = (
    "meta",
    "rule",
    "pack",
    "severity",
    "options",
    "gate",
    "effective_from",
    "effective_to",
    "trusted",
)


def _recompile(fields: dict[str, Any]) -> CompiledRule:
    return CompiledRule(check=fields["rule"].compile(fields["options"]), **fields)


def _later(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else max(a, b)


def _earlier(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else min(a, b)


def _resolve(
    pack: Pack,
    rule: Rule | CrossRule,
    settings: RuleSettings | None,
    shared: Mapping[str, Any],
    problems: list[str],
) -> CompiledRule | CompiledCrossRule | None:
    """
    Compile *rule* with its options: defaults, then *settings*, then *shared* (top-level) ones.

    An option set at the top level of the configuration (``episode_gap``) is shared by every
    rule that declares it, and setting it for one rule is a problem.
    """
    meta = rule.meta
    settings = settings or RuleSettings()
    options = meta.defaults()
    specs = {o.name: o for o in meta.options}
    options |= {name: value for name, value in shared.items() if name in specs}
    for name, raw in settings.options.items():
        spec = specs.get(name)
        if spec is None:
            known = ", ".join(sorted(specs)) or "none"
            problems.append(f"rules.{meta.code}.{name}: unknown option (options: {known})")
            continue
        if name in shared:
            problems.append(
                f"rules.{meta.code}.{name}: set {name} at the top level of the configuration;"
                " it is shared by every rule that uses it"
            )
            continue
        try:
            options[name] = spec.parse(raw)
        except (TypeError, ValueError) as e:
            problems.append(f"rules.{meta.code}.{name}: {e}, got {raw!r}")
    if settings.enabled is False:
        return None
    fields: dict[str, Any] = {
        "meta": meta,
        "rule": rule,
        "pack": pack.name,
        "severity": settings.severity or meta.severity,
        "options": options,
        "effective_from": _later(pack.effective_from, meta.effective_from),
        "effective_to": _earlier(pack.effective_to, meta.effective_to),
    }
    if isinstance(rule, CrossRule):
        return CompiledCrossRule(check=rule.compile_batch(options), **fields)
    return CompiledRule(
        check=rule.compile(options),
        gate=getattr(rule, "gate", frozenset()),
        trusted=id(rule) in _bundled_rules(),
        **fields,
    )


@cache
def _bundled_rules() -> frozenset[int]:
    """The identities of the rules that ship with the library."""
    return frozenset(id(r) for p in builtin_packs().values() for r in p.rules)


@final
@frozen
class RuleSet:
    """
    Packs and configuration compiled once; evaluate any number of incidents with it.

    Build with `RuleSet.compile`. Immutable and thread-safe; it pickles (rules are sent as
    their declarations and compiled again), so it can go to worker processes and clusters.
    Cross-incident rules (`cross`) run once over the whole batch, after the others.
    ``vocabularies`` holds the values the enabled packs add to the vocabularies: load
    records inside ``trauma_incidents.loading.extended(ruleset.vocabularies)`` to accept them.
    """

    rules: tuple[CompiledRule, ...]
    waivers: tuple[Waiver, ...] = ()
    strict: bool = False
    cross: tuple[CompiledCrossRule, ...] = ()
    rule_time_limit: float | None = None
    vocabularies: Mapping[type[Vocabulary], frozenset[str]] = field(factory=dict)
    dated: bool = field(init=False)
    contextual: tuple[int, ...] = field(init=False)
    _plans: dict[frozenset[str], tuple[CompiledRule, ...]] = field(
        init=False, factory=dict, eq=False, repr=False
    )

    @dated.default
    def _any_dated(self) -> bool:
        return any(r.effective_from or r.effective_to for r in self.rules)

    @contextual.default
    def _reading_context(self) -> tuple[int, ...]:
        """The positions in `rules` of the rules that read the context (``context=True``)."""
        return tuple(
            i
            for i, r in enumerate(self.rules)
            if isinstance(r.rule, FunctionRule) and r.rule.context
        )

    def with_context(self, context: Context) -> RuleSet:
        """
        This rule set with *context* bound into the rules that read it; itself if none does.

        Bind once per evaluation (as `evaluate` does): the other rules are shared as they are.
        """
        if not self.contextual:
            return self
        rules = list(self.rules)
        for i in self.contextual:
            r = rules[i]
            rule = cast("FunctionRule", r.rule)
            rules[i] = evolve(r, check=rule.bind(r.options, context))
        return evolve(self, rules=tuple(rules))

    def checker(self, context: Context | None) -> IncidentCheck:
        """`check` with *context* bound into the rules that read it (``None``: none given)."""
        return self.check if context is None else self.with_context(context).check

    def _plan(self, tags: frozenset[str]) -> tuple[CompiledRule, ...]:
        """
        The rules whose gate admits an incident with *tags*, memoised by tag set.

        Incidents share few distinct tag sets, so this turns a test per rule into one
        dictionary lookup. The memo is bounded; a race between threads at worst computes
        the same plan twice.
        """
        plan = self._plans.get(tags)
        if plan is None:
            plan = tuple(r for r in self.rules if not r.gate or not r.gate.isdisjoint(tags))
            if len(self._plans) >= _MAX_PLANS:
                self._plans.clear()
            self._plans[tags] = plan
        return plan

    @classmethod
    def compile(
        cls, config: Config | None = None, *, packs: Mapping[str, Pack] | None = None
    ) -> RuleSet:
        """
        Resolve *config* against *packs* (by default every discovered pack).

        Raises:
            ConfigError: An unknown pack, rule or option, or a bad option value.
            PackError: Two enabled packs declare the same rule code, or a pack is invalid.
            PackLoadError: An enabled installed pack failed to load.
        """
        config = config or Config()
        if packs is None:
            found = available_packs(files=config.pack_files)
            found.require(config.packs)
            available = found.packs
        else:
            available = dict(packs)
        problems = [
            f"packs: unknown pack {name!r} (available: {', '.join(sorted(available))})"
            for name in config.packs
            if name not in available
        ]
        chosen = [available[n] for n in dict.fromkeys(config.packs) if n in available]
        known = _by_code(chosen)
        problems += [
            f"rules.{code}: no such rule in the enabled packs"
            for code in config.rules
            if code not in known
        ]
        shared = {"episode_gap": config.episode_gap}
        compiled = [
            _resolve(p, r, config.rules.get(c), shared, problems) for c, (p, r) in known.items()
        ]
        problems += [
            f"waivers[{i}].rule: no such rule in the enabled packs ({w.rule})"
            for i, w in enumerate(config.waivers)
            if w.rule is not None and w.rule not in known
        ]
        if problems:
            raise ConfigError(problems)
        return cls(
            tuple(c for c in compiled if isinstance(c, CompiledRule)),
            config.waivers,
            config.strict,
            tuple(c for c in compiled if isinstance(c, CompiledCrossRule)),
            config.rule_time_limit,
            _vocabularies(chosen),
        )

    def check(
        self, incident: Incident, at: datetime, context: Context | None = None
    ) -> tuple[list[Finding], list[RuleFault]]:
        """
        Every finding about one incident as of *at*, before waivers.

        The rules that read the context (``context=True``) see *context*, or an empty one.
        To check many incidents with one context, bind it once with `checker`.

        Raises:
            InvalidArgument: *at* is not a datetime with a UTC offset.
        """
        if context is not None and self.contextual:
            return self.with_context(context).check(incident, at)
        check_time(at)
        if incident.occurred_at > at or incident.awareness_at > at:
            return [], []
        findings: list[Finding] = []
        faults: list[RuleFault] = []
        rules = self._plan(incident.tags)
        if self.dated:
            day = london_day(incident.occurred_at)
            rules = tuple(r for r in rules if r.in_force(day))
        limit = self.rule_time_limit
        for r in rules:
            try:
                result = (
                    r.check(incident, at)
                    if limit is None
                    else run_timed(r.check, incident, at, limit)
                )
                if not result and type(result) in _EMPTY_OK:
                    continue  # the usual answer, so it skips the checks of `verdicts_of`
                verdicts = cast("Iterable[Verdict]", result) if r.trusted else verdicts_of(result)
                findings += [
                    finding_from(v, rule=r.meta, severity=r.severity, incident_id=incident.id)
                    for v in verdicts
                ]
            except Exception as e:
                if self.strict:
                    raise RuleError(r.meta.code, incident.id, e) from e
                faults.append(RuleFault(r.meta.code, incident.id, type(e).__name__))
        return findings, faults

    def evaluate(
        self,
        incidents: Iterable[Incident],
        *,
        at: datetime,
        records: GovernanceRecords | None = None,
        plans: SupportPlans | None = None,
        outcomes: Outcomes | None = None,
    ) -> Report:
        """
        Evaluate *incidents* as of *at* and apply waivers.

        Cross-incident rules then run over the whole batch with the governance *records*
        (none, if ``None``) and the support *plans*; their findings follow the per-incident
        ones. With *plans* ``None`` (not supplied) the ``plans`` pack's rules do not run.
        With *outcomes* (activities and wellbeing checks) the whole batch is read before any
        incident is checked: LN005 weighs what the outcome data say about each learning
        action (see `trauma_incidents.rules.Context`).

        Raises:
            InvalidArgument: *at* is not a datetime with a UTC offset.
            MissingExtraError: *outcomes* are given and SciPy (``[analysis]``) is missing.
        """
        check_time(at)
        return evaluate_with(
            self, self.checker, incidents, at=at, records=records, plans=plans, outcomes=outcomes
        )


#: How an engine checks one incident: its findings and faults as of a time, before waivers.
IncidentCheck = Callable[[Incident, datetime], tuple[list[Finding], list[RuleFault]]]


def evaluate_with(
    ruleset: RuleSet,
    checker: Callable[[Context | None], IncidentCheck],
    incidents: Iterable[Incident],
    *,
    at: datetime,
    records: GovernanceRecords | None,
    plans: SupportPlans | None = None,
    outcomes: Outcomes | None = None,
    lock: AbstractContextManager[object] | None = None,
) -> Report:
    """
    Evaluate *incidents* with *checker*'s check, then the cross rules and waivers: the report.

    `RuleSet.evaluate` and every backend evaluate through this, so they differ only in how
    one incident is checked: *checker* gives the check with a `Context` bound (``None``
    when no rule reads it or nothing beside the incidents was given). With *outcomes* the
    whole batch is held first (the context's ``effects`` read it). The per-incident checks
    run holding *lock*, if given; the caller has checked *at*.
    """
    findings: list[Finding] = []
    faults: list[RuleFault] = []
    batch: list[Incident] = []
    cross = runnable(ruleset.cross, plans)  # none: the incidents need not be kept
    context = None
    held = outcomes is not None and bool(ruleset.contextual)  # effects read the whole batch
    if held:
        incidents = batch = list(incidents)
    if outcomes is not None or (ruleset.contextual and (records is not None or plans is not None)):
        context = context_of(batch, at, records, plans, outcomes, effects=held)
    check = checker(context)
    with lock or nullcontext():
        for incident in incidents:
            f, e = check(incident, at)
            findings += f
            faults += e
            if cross and not held:
                batch.append(incident)
    if cross:
        f, e = run_cross(
            cross, batch, records, at, plans=plans, strict=ruleset.strict, context=context
        )
        findings += f
        faults += e
    kept, waived, unused = apply_waivers(findings, ruleset.waivers, at)
    return Report(
        at=at,
        findings=tuple(kept),
        faults=tuple(faults),
        waived=tuple(waived),
        waivers_unused=tuple(unused),
    )


def _by_code(packs: list[Pack]) -> dict[str, tuple[Pack, Rule | CrossRule]]:
    known: dict[str, tuple[Pack, Rule | CrossRule]] = {}
    for pack in packs:
        for rule in pack.rules:
            code = rule.meta.code
            if code in known:
                first, _ = known[code]
                msg = f"rule {code} is declared by two packs: {first.name!r} and {pack.name!r}"
                raise PackError(msg)
            known[code] = (pack, rule)
    return known


def check_time(at: object) -> None:
    """Reject an evaluation time that is not an aware datetime in the format's years."""
    if not isinstance(at, datetime) or not is_aware(at):
        found = "a naive datetime" if isinstance(at, datetime) else type(at).__name__
        msg = f"at must be a datetime with a UTC offset (got {found})"
        raise InvalidArgument(msg)
    if not in_years(at):
        msg = f"at must be {YEARS} (got year {at.year})"
        raise InvalidArgument(msg)


def _vocabularies(packs: Iterable[Pack]) -> dict[type[Vocabulary], frozenset[str]]:
    """The values the *packs* add, merged by vocabulary."""
    out: dict[type[Vocabulary], frozenset[str]] = {}
    for p in packs:
        for cls, values in p.vocabularies.items():
            out[cls] = out.get(cls, frozenset()) | values
    return out


def apply_waivers(
    findings: list[Finding], waivers: tuple[Waiver, ...], at: datetime
) -> tuple[list[Finding], list[WaivedFinding], list[Waiver]]:
    """Split *findings* into kept and waived; also return the waivers that matched nothing."""
    active = [w for w in waivers if w.active(at)]
    if not active:
        return findings, [], list(waivers)
    by_id = {w.finding_id: w for w in active if w.finding_id}
    by_pair = {(w.rule, w.incident_id): w for w in active if w.rule}
    kept, waived, used = [], [], set()
    for f in findings:
        w = by_id.get(f.id) or by_pair.get((f.rule, f.incident_id))
        if w is None:
            kept.append(f)
        else:
            waived.append(WaivedFinding(f, w))
            used.add(id(w))
    return kept, waived, [w for w in waivers if id(w) not in used]


def evaluate(
    incidents: Iterable[Incident],
    *,
    at: datetime,
    rules: RuleSet | Config | None = None,
    records: GovernanceRecords | None = None,
    plans: SupportPlans | None = None,
    outcomes: Outcomes | None = None,
    backend: str = "python",
    config: RuleSet | Config | None = None,
) -> Report:
    """
    Evaluate *incidents* as of *at*: the one way to evaluate in a single call.

    Args:
        incidents: The incidents to evaluate.
        at: The time to evaluate at (aware).
        rules: A compiled `RuleSet`, or a `Config` to compile (every call), or ``None`` for the
            default packs (compiled once per process).
        records: The governance records cross-incident rules read.
        plans: The support plans the ``plans`` pack reads; ``None`` (not supplied) means
            its rules do not run.
        outcomes: Activities and wellbeing checks; with them LN005 accepts what they show
            about each learning action (improved: met; worsened: a concern), and the whole
            batch is read before any incident is checked. ``None``: not supplied.
        backend: ``"python"`` (the default), or ``"durable"`` for durable_rules; the report
            is then a `trauma_incidents.backends.BackendReport` naming each rule's backend.
        config: Deprecated: the old name of *rules*.

    Compile a `RuleSet` once and call its `RuleSet.evaluate` when evaluating repeatedly.

    Raises:
        InvalidArgument: *at* is naive, or *backend* is not a known backend.
        BackendUnavailableError: The backend cannot run on this Python.
        MissingExtraError: *outcomes* are given and SciPy (the ``[analysis]`` extra) is not
            installed.
    """
    if config is not None:
        warnings.warn(
            "evaluate(config=...) is deprecated: use evaluate(rules=...); it goes in 0.3",
            TraumaIncidentsDeprecationWarning,
            stacklevel=2,
        )
        rules = config if rules is None else rules
    if rules is None:
        ruleset = default_ruleset()
    else:
        ruleset = rules if isinstance(rules, RuleSet) else RuleSet.compile(rules)
    if backend == "python":
        return ruleset.evaluate(incidents, at=at, records=records, plans=plans, outcomes=outcomes)
    from trauma_incidents.backends._dispatch import make_engine  # noqa: PLC0415 (optional layer)

    with make_engine(ruleset, backend) as engine:
        return engine.evaluate(incidents, at=at, records=records, plans=plans, outcomes=outcomes)


@cache
def default_ruleset() -> RuleSet:
    """The default configuration's rule set, compiled on first use and then kept."""
    return RuleSet.compile()
