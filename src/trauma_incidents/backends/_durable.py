"""The durable_rules engine: compile once, post facts per incident, read the firings."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType, TracebackType
from typing import Any, final

from trauma_incidents._calendar import london_day
from trauma_incidents.backends import _host, _verdicts
from trauma_incidents.backends._common import BackendReport, with_backends
from trauma_incidents.backends._compile import DurableRule, compile_rule
from trauma_incidents.backends._facts import Batch, build
from trauma_incidents.backends._verdicts import Hit
from trauma_incidents.engine._findings_report import RuleFault
from trauma_incidents.engine._guard import run_timed, verdicts_of
from trauma_incidents.engine._ruleset import (
    CompiledRule,
    IncidentCheck,
    RuleSet,
    check_time,
    evaluate_with,
)
from trauma_incidents.errors import BackendUnavailableError, InvalidArgument, RuleError
from trauma_incidents.governance._records import GovernanceRecords
from trauma_incidents.model._incident import Incident
from trauma_incidents.outcomes._records import Outcomes
from trauma_incidents.plans._records import SupportPlans
from trauma_incidents.rules._context import Context
from trauma_incidents.rules._findings import Finding
from trauma_incidents.rules._items import RequiredDetailRule
from trauma_incidents.rules._shapes import DeadlineRule, Verdict, finding_from

_SID = "1"
_FACT_TYPES = {"inc": "inc", "ob": "ob", "ev": "ev", "item": "item"}


def available() -> bool:
    """Whether durable_rules can be imported here."""
    return _host.unavailable_reason() is None


def _sinks(needs: frozenset[str]) -> dict[str, tuple[dict[str, Any], ...]]:
    """
    Catch-all rules: every fact type posted matches a pattern, so no batch is refused.

    durable_rules refuses a batch (``MessageNotHandledException``) when one fact passes no
    pattern, and then skips the queued actions. Each catch-all pairs the fact type with a
    pattern nothing matches, so it never fires.
    """
    flags = ("miss:", "unk:")  # fields of item facts, not fact types of their own
    types = {"clock"} | {_FACT_TYPES[n.split(":")[0]] for n in needs if not n.startswith(flags)}
    return {f"sink.{t}": ({"a": {"t": t}}, {"b": {"t": "$never"}}) for t in sorted(types)}


@final
class DurableEngine:
    """
    Evaluate incidents with durable_rules for the shapes it can express, Python for the rest.

    Gives the same findings as `RuleSet.evaluate`. Rules are compiled once, into rulesets
    registered on a host of this engine's own (no process-global state, no background
    threads); `close` (or leaving a ``with`` block, or garbage collection) deletes them.
    Evaluations on one engine are serialised by a lock.

    Args:
        ruleset: The compiled rule set.
        rules_per_ruleset: How many library rules share one durable_rules ruleset (large
            rulesets have crashed durable_rules 2.0.28; small ones cost more posting).

    Raises:
        BackendUnavailableError: durable_rules cannot be imported on this Python.
    """

    name = "durable"

    def __init__(self, ruleset: RuleSet, *, rules_per_ruleset: int = 4) -> None:
        reason = _host.unavailable_reason()
        if reason is not None:
            backend = "durable"
            raise BackendUnavailableError(backend, reason)
        if (
            isinstance(rules_per_ruleset, bool)
            or not isinstance(rules_per_ruleset, int)
            or rules_per_ruleset < 1
        ):
            msg = f"rules_per_ruleset must be an int of 1 or more (got {rules_per_ruleset!r})"
            raise InvalidArgument(msg)
        self.ruleset = ruleset
        compiled = {r.meta.code: compile_rule(r) for r in ruleset.rules}
        self._durable = {c: d for c, d in compiled.items() if d is not None}
        where = {c: "python" if d is None else "durable" for c, d in compiled.items()}
        self.backends: Mapping[str, str] = MappingProxyType(
            where | {r.meta.code: "python" for r in ruleset.cross}
        )
        codes = list(self._durable)
        chunks = [codes[i : i + rules_per_ruleset] for i in range(0, len(codes), rules_per_ruleset)]
        self._chunk = {code: k for k, chunk in enumerate(chunks) for code in chunk}
        self._hits: list[Hit] = []
        self._host = _host.PrivateHost([self._definitions(c) for c in chunks], self._actions())
        self._close = weakref.finalize(self, self._host.close)
        self._lock = threading.RLock()  # one run at a time: the hits list is shared
        self._plans: dict[frozenset[str], tuple[CompiledRule, ...]] = {}

    def _definitions(self, chunk: Sequence[str]) -> dict[str, tuple[dict[str, Any], ...]]:
        rules = {d.name: d.patterns for c in chunk for d in self._durable[c].definitions}
        needs = frozenset().union(*(self._durable[c].needs for c in chunk))
        return rules | _sinks(needs)

    def _actions(self) -> dict[str, _host.Action]:
        hits = self._hits  # the actions hold the list, never the engine (no cycle)
        actions: dict[str, _host.Action] = {}
        for rule in self._durable.values():
            for d in rule.definitions:
                actions[d.name] = lambda m, d=d: hits.append((d, m))  # type: ignore[misc]
        for k in ("clock", "inc", "ob", "ev", "item"):
            actions[f"sink.{k}"] = _never
        return actions

    def close(self) -> None:
        """Delete this engine's rulesets (idempotent)."""
        self._close()

    def __enter__(self) -> DurableEngine:
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.close()

    def evaluate(
        self,
        incidents: Iterable[Incident],
        *,
        at: datetime,
        records: GovernanceRecords | None = None,
        plans: SupportPlans | None = None,
        outcomes: Outcomes | None = None,
    ) -> BackendReport:
        """
        Evaluate *incidents* as of *at* and apply waivers, like `RuleSet.evaluate`.

        Cross-incident rules run in Python over the whole batch with the governance *records*
        and the support *plans* (with ``None``, not supplied, the ``plans`` pack's rules do
        not run); so do the rules that read the context (LN005, with the *outcomes*).
        """
        check_time(at)
        if not self._close.alive:
            msg = "this DurableEngine is closed; create a new one"
            raise InvalidArgument(msg)
        report = evaluate_with(
            self.ruleset,
            self.checker,
            incidents,
            at=at,
            records=records,
            plans=plans,
            outcomes=outcomes,
            lock=self._lock,
        )
        return with_backends(report, self.backends)

    def _plan(self, incident: Incident) -> tuple[CompiledRule, ...]:
        plan = self._plans.get(incident.tags)
        if plan is None:
            tags = incident.tags
            plan = tuple(r for r in self.ruleset.rules if not r.gate or not r.gate.isdisjoint(tags))
            if len(self._plans) < 4096:  # noqa: PLR2004 (bounded memo, as the Python engine)
                self._plans[tags] = plan
        if self.ruleset.dated:
            day = london_day(incident.occurred_at)
            plan = tuple(r for r in plan if r.in_force(day))
        return plan

    def _python(self, r: CompiledRule, incident: Incident, at: datetime) -> Sequence[Verdict]:
        """Run a rule in Python, guarded exactly as `RuleSet.check` guards it."""
        limit = self.ruleset.rule_time_limit
        result = r.check(incident, at) if limit is None else run_timed(r.check, incident, at, limit)
        return verdicts_of(result)

    def check(
        self, incident: Incident, at: datetime, context: Context | None = None
    ) -> tuple[list[Finding], list[RuleFault]]:
        """Every finding about one incident as of *at*, before waivers, with *context*."""
        return self.checker(context)(incident, at)

    def checker(self, context: Context | None) -> IncidentCheck:
        """`check` with *context* bound (once) into the rules that read it, which run in Python."""
        if context is None or not self.ruleset.contextual:
            return self._check
        bound = self.ruleset.with_context(context)
        swap = {bound.rules[i].meta.code: bound.rules[i] for i in bound.contextual}
        return lambda incident, at: self._check(incident, at, swap)

    def _check(
        self, incident: Incident, at: datetime, swap: Mapping[str, CompiledRule] | None = None
    ) -> tuple[list[Finding], list[RuleFault]]:
        """`check`, with *swap*'s rules (context bound) in place of those of their codes."""
        if incident.occurred_at > at or incident.awareness_at > at:
            return [], []
        rules = self._plan(incident)
        if swap:
            rules = tuple(swap.get(r.meta.code, r) for r in rules)
        durable = [r for r in rules if r.meta.code in self._durable]
        findings: list[Finding] = []
        faults: list[RuleFault] = []
        decided = self._decide(incident, at, durable, faults) if durable else {}
        for r in rules:
            code = r.meta.code
            try:
                verdicts = decided[code] if code in self._durable else self._python(r, incident, at)
            except KeyError:
                continue  # the durable run failed; its fault is recorded
            except Exception as e:
                if self.ruleset.strict:
                    raise RuleError(code, incident.id, e) from e
                faults.append(RuleFault(code, incident.id, type(e).__name__))
                continue
            findings += [_finding(r, incident, v) for v in verdicts]
        return findings, faults

    def _decide(
        self, incident: Incident, at: datetime, rules: list[CompiledRule], faults: list[RuleFault]
    ) -> dict[str, Sequence[Verdict]]:
        by_chunk: dict[int, list[CompiledRule]] = {}
        for r in rules:
            by_chunk.setdefault(self._chunk[r.meta.code], []).append(r)
        decided: dict[str, Sequence[Verdict]] = {}
        for k, chunk in by_chunk.items():
            try:
                decided |= self._run_chunk(k, chunk, incident, at)
            except Exception as e:  # noqa: PERF203 (a failed ruleset is isolated, as rules are)
                if self.ruleset.strict:
                    raise RuleError(chunk[0].meta.code, incident.id, e) from e
                faults += [RuleFault(r.meta.code, incident.id, type(e).__name__) for r in chunk]
        return decided

    def _run_chunk(
        self, k: int, rules: list[CompiledRule], incident: Incident, at: datetime
    ) -> dict[str, Sequence[Verdict]]:
        durable = [self._durable[r.meta.code] for r in rules]
        needs = frozenset().union(*(d.needs for d in durable))
        deadlines = [
            (r.meta.code, r.rule, r.options["within"])
            for r in rules
            if isinstance(r.rule, DeadlineRule)
        ]
        batch = build(incident, at, needs, deadlines)
        for i, fact in enumerate(batch.facts):
            fact["id"], fact["sid"] = i, _SID
        hits: dict[str, list[Hit]] = {}
        with self._lock:  # threads sharing this engine take turns (check, not only evaluate)
            self._hits.clear()
            self._host.run(k, batch.facts)
            for hit in self._hits:
                definition, _ = hit
                hits.setdefault(definition.code, []).append(hit)
            self._hits.clear()
        return {
            r.meta.code: _verdicts_of(r, d, hits.get(d.code, []), batch, incident)
            for r, d in zip(rules, durable, strict=True)
        }


def _verdicts_of(
    r: CompiledRule, d: DurableRule, hits: list[Hit], batch: Batch, incident: Incident
) -> Sequence[Verdict]:
    shape = d.shape
    if isinstance(shape, DeadlineRule):
        return _verdicts.deadline(shape, r.options["within"], hits, batch, d.code)
    if isinstance(shape, RequiredDetailRule):
        return _verdicts.detail(shape, hits)
    return _verdicts.concern(shape, hits, incident)


def _finding(r: CompiledRule, incident: Incident, v: Verdict) -> Finding:
    return finding_from(v, rule=r.meta, severity=r.severity, incident_id=incident.id)


def _never(_matched: Mapping[str, Any]) -> None:
    """The catch-all rules' action; they never fire."""
