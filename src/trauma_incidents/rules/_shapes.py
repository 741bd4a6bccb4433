"""
The shapes rules are declared on, and the `Verdict` every rule returns.

A rule compiles once per configuration into a function ``(incident, at) -> verdicts``; the
engine turns verdicts into findings, so every finding gets its id, severity and sources the
same way.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol, cast, runtime_checkable

from attrs import frozen

from trauma_incidents._calendar import Duration, when_text
from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model._incident import AnchorPoint, Incident
from trauma_incidents.rules._context import Context
from trauma_incidents.rules._episodes import EPISODE_GAP, ended
from trauma_incidents.rules._findings import Evidence, Finding, FindingSeverity, Status
from trauma_incidents.rules._metadata import RuleMeta
from trauma_incidents.rules._selectors import (
    Anchor,
    Candidate,
    EvidenceMatch,
    Indexed,
    When,
    condition,
    earliest_indexed,
    evidence_path,
    gate_of,
)


@frozen(kw_only=True)
class Verdict:
    """
    What a rule concluded about one part of an incident; the engine makes it a `Finding`.

    Attributes:
        key: Which part (a stage, an action id, an index), or ``None`` for the whole incident.
        status: See `Status`.
        message: Plain English, never free text from the record.
        due_at: The deadline, if there is one.
        satisfied_at: When it was met, for ``late``.
        evidence: The paths and values the decision used.
    """

    key: str | None
    status: Status
    message: str
    due_at: datetime | None = None
    satisfied_at: datetime | None = None
    evidence: tuple[Evidence, ...] = ()


def finding_from(
    verdict: Verdict, *, rule: RuleMeta, severity: FindingSeverity, incident_id: str
) -> Finding:
    """The finding a *verdict* of *rule* becomes: the rule's code, severity and sources."""
    return Finding(
        rule=rule.code,
        incident_id=incident_id,
        key=verdict.key,
        status=verdict.status,
        severity=severity,
        message=verdict.message,
        due_at=verdict.due_at,
        satisfied_at=verdict.satisfied_at,
        evidence=verdict.evidence,
        sources=rule.sources,
    )


#: A compiled rule: every verdict about one incident as of a time.
Check = Callable[[Incident, datetime], Iterable[Verdict]]


@runtime_checkable
class Rule(Protocol):
    """
    What the engine needs of a rule: its metadata, and a compile step.

    `compile` receives the rule's options, already validated against `RuleMeta.options`
    and parsed (durations as `Duration`), and returns the `Check` run for each incident.
    """

    @property
    def meta(self) -> RuleMeta:
        """The rule's metadata."""
        ...

    def compile(self, options: Mapping[str, Any]) -> Check:
        """Bind *options* once and return the per-incident check."""
        ...


def stamp(t: datetime) -> str:
    """A time for evidence: ISO 8601 with its offset."""
    return t.isoformat()


def deadline_verdict(
    *,
    key: str | None,
    obligation: str,
    due: datetime,
    basis: AnchorPoint,
    reason: str,
    found: Candidate | None,
    at: datetime,
) -> Verdict | None:
    """
    Judge one deadline: ``None`` when met on time, else a due, overdue or late verdict.

    The deadline is inclusive: evidence exactly at it is on time, and at exactly the deadline
    an open obligation is still due. Evidence without a time counts as on time.

    Args:
        key: The verdict's key.
        obligation: What is owed, in words: ``"A held staff debrief"``.
        due: The deadline.
        basis: The time and path the deadline was computed from (recorded as evidence).
        reason: Why the deadline is there, in words: ``"24 hours after the incident"``.
        found: The earliest evidence recorded by *at*, if any.
        at: The time of evaluation.
    """
    if found is None:
        return open_verdict(
            key=key, obligation=obligation, due=due, basis=basis, reason=reason, overdue=at > due
        )
    if in_time(found.at, due):
        return None
    met = (cast("datetime", found.at), found.path)  # untimed evidence is always in time
    return late_verdict(
        key=key, obligation=obligation, due=due, basis=basis, reason=reason, met=met
    )


def in_time(met_at: datetime | None, due: datetime) -> bool:
    """Whether evidence recorded at *met_at* meets *due* (untimed evidence always does)."""
    return met_at is None or met_at <= due


def late_verdict(
    *,
    key: str | None,
    obligation: str,
    due: datetime,
    basis: AnchorPoint,
    reason: str,
    met: tuple[datetime, str],
) -> Verdict:
    """
    The ``late`` verdict on a deadline: the obligation was *met* (time and path) after *due*.

    Both engines build it here, so the Python shapes and the Rete backend say the same.
    Arguments are as for `deadline_verdict`.
    """
    met_at, path = met
    return Verdict(
        key=key,
        status=Status.LATE,
        message=(
            f"{obligation} was recorded at {when_text(met_at)},"
            f" after the deadline of {when_text(due)} ({reason})."
        ),
        due_at=due,
        satisfied_at=met_at,
        evidence=(Evidence(basis.path, stamp(basis.at)), Evidence(path, stamp(met_at))),
    )


def open_verdict(
    *,
    key: str | None,
    obligation: str,
    due: datetime,
    basis: AnchorPoint,
    reason: str,
    overdue: bool,
) -> Verdict:
    """
    The ``due`` or (when *overdue*) ``overdue`` verdict on a deadline with nothing recorded.

    Both engines build it here, so the Python shapes and the Rete backend say the same.
    Arguments are as for `deadline_verdict`.
    """
    if overdue:
        status = Status.OVERDUE
        msg = f"{obligation} was due by {when_text(due)} ({reason}) and is not recorded."
    else:
        status, msg = Status.DUE, f"{obligation} is due by {when_text(due)} ({reason})."
    return Verdict(
        key=key,
        status=status,
        message=msg,
        due_at=due,
        evidence=(Evidence(basis.path, stamp(basis.at)),),
    )


def span_after(within: Duration, anchor_words: str) -> str:
    """The reason for a deadline in words: ``"24 hours after the incident"``."""
    return f"{within.describe()} after {anchor_words}"


@frozen(kw_only=True)
class DeadlineRule:
    """
    The deadline shape: when a condition holds, evidence is due within a span of an anchor.

    Attributes:
        meta: The rule's metadata; its options must include ``within`` (and `EPISODE_GAP`
            for the anchor `Anchor.RI_EPISODE_END`).
        when: The rule applies when any of these holds (always, if empty).
        anchor: What the deadline counts from; `Anchor.RI_EPISODE_END` gives one deadline
            per restrictive episode, keyed by the episode's key.
        evidence: What meets the obligation; the earliest match recorded by the time counts.
        obligation: The obligation in words, for messages: ``"A held staff debrief"``.
        note: Said after the reason in messages, such as what the deadline stands for:
            ``'a benchmark for "without delay"'``.
    """

    meta: RuleMeta
    when: tuple[When, ...]
    anchor: Anchor
    evidence: EvidenceMatch
    obligation: str
    note: str = ""

    def reason(self, within: Duration) -> str:
        """Why the deadline is there, in words, as messages give it in brackets."""
        reason = span_after(within, self.anchor.describe())
        return f"{reason}: {self.note}" if self.note else reason

    def __attrs_post_init__(self) -> None:
        names = {o.name for o in self.meta.options}
        if self.anchor is Anchor.RI_EPISODE_END and EPISODE_GAP.name not in names:
            msg = f"{self.meta.code}: a deadline per restrictive episode declares EPISODE_GAP"
            raise InvalidArgument(msg)

    @property
    def gate(self) -> frozenset[str]:
        """Tags an incident needs one of for this rule to apply (see `Incident.tags`)."""
        return self.anchor.gate() or gate_of(self.when)

    def starts(
        self, incident: Incident, at: datetime, gap: timedelta
    ) -> list[tuple[str | None, AnchorPoint, datetime | None]]:
        """
        The deadlines the anchor has started by *at*, whether or not the rule applies.

        Each is its key, the anchor it counts from, and the time evidence must be dated at or
        after to count (``None``: any time). *gap* is the episode gap, for
        `Anchor.RI_EPISODE_END`.
        """
        if self.anchor is Anchor.RI_EPISODE_END:
            return [(key, end, end.at) for key, end in ended(incident, at, gap)]
        start = self.anchor.resolve(incident, at)
        return [] if start is None else [(None, start, None)]

    def compile(self, options: Mapping[str, Any]) -> Check:
        """Bind ``within`` (and ``episode_gap``, per episode) and return the check."""
        if self.anchor is Anchor.RI_EPISODE_END:
            return self._per_episode(options["within"], options["episode_gap"])
        within: Duration = options["within"]
        match, obligation = self.evidence, self.obligation
        applies, resolve = condition(self.when), self.anchor.resolver
        reason = self.reason(within)

        def check(incident: Incident, at: datetime) -> Iterable[Verdict]:
            if applies is not None and not applies(incident, at):
                return ()
            start = resolve(incident, at)
            if start is None:
                return ()
            due = within.after(start.at)
            hit = earliest_indexed(match, incident, at)
            if hit is not None and in_time(hit[0], due):
                return ()  # met in time, the usual answer: no path written
            verdict = deadline_verdict(
                key=None,
                obligation=obligation,
                due=due,
                basis=start,
                reason=reason,
                found=_cited(match, hit),
                at=at,
            )
            return () if verdict is None else (verdict,)

        return check

    def _per_episode(self, within: Duration, gap: timedelta) -> Check:
        """
        The check for `Anchor.RI_EPISODE_END`: one deadline per restrictive episode.

        Each episode's deadline counts from its end, only evidence dated at or after that end
        meets it, and an episode still going on waits. The key is the episode's key.
        """
        match, obligation = self.evidence, self.obligation
        applies = condition(self.when)
        reason = self.reason(within)

        def check(incident: Incident, at: datetime) -> Iterable[Verdict]:
            if applies is not None and not applies(incident, at):
                return ()
            verdicts = []
            for key, end in ended(incident, at, gap):
                due = within.after(end.at)
                hit = earliest_indexed(match, incident, at, since=end.at)
                if hit is not None and in_time(hit[0], due):
                    continue
                verdict = deadline_verdict(
                    key=key,
                    obligation=obligation,
                    due=due,
                    basis=end,
                    reason=reason,
                    found=_cited(match, hit),
                    at=at,
                )
                if verdict is not None:
                    verdicts.append(verdict)
            return verdicts

        return check


def _cited(match: EvidenceMatch, hit: Indexed | None) -> Candidate | None:
    """The evidence *hit* (time and index) as a `Candidate` with its path, or ``None``."""
    return None if hit is None else Candidate(hit[0], evidence_path(match, hit[1]))


def _lookup(module: str, qualname: str) -> object:
    """The object bound at *qualname* in *module*, or ``None``."""
    target: object = sys.modules.get(module) or importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part, None)
    return target


#: The signature of a rule written as a Python function.
RuleFunction = Callable[[Incident, datetime, Mapping[str, Any]], Iterable[Verdict]]
#: The signature of one that reads the `Context` too (``@rule(..., context=True)``).
ContextRuleFunction = Callable[[Incident, datetime, Mapping[str, Any], Context], Iterable[Verdict]]
_NO_CONTEXT = Context()


@frozen
class FunctionRule:
    """
    A rule written as Python, for what the declarative shapes cannot express.

    The function receives the incident, the time and the parsed options, and returns
    verdicts. It must not read the clock or any global state, and its verdicts may change
    with the time only when the time reaches one recorded in the incident or a verdict's
    ``due_at`` (the monitor re-checks an incident only then). ``gate`` optionally names
    tags (`Incident.tags`) of which an incident needs one for the rule to apply; the engine
    then skips other incidents without calling the function. With ``context`` the function
    also receives the evaluation's `Context` (the records beside the incidents) as a fourth
    argument; the engine binds it once per evaluation (`bind`), so rules that do not read it
    cost nothing extra.
    """

    meta: RuleMeta
    function: RuleFunction | ContextRuleFunction
    gate: frozenset[str] = frozenset()
    context: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        """
        Pickle by name when the rule is bound under its function's name (as `rule` leaves it).

        The decorator rebinds the function's name to this rule, so pickle cannot find the
        function itself by name; the rule is found instead.
        """
        module, name = self.function.__module__, self.function.__qualname__
        if _lookup(module, name) is self:
            return (_lookup, (module, name))
        return (FunctionRule, (self.meta, self.function, self.gate, self.context))

    def compile(self, options: Mapping[str, Any]) -> Check:
        """Bind *options* and return the check (one reading the context sees an empty one)."""
        if self.context:
            return self.bind(options, _NO_CONTEXT)
        function = cast("RuleFunction", self.function)
        frozen_options = dict(options)

        def check(incident: Incident, at: datetime) -> Iterable[Verdict]:
            return function(incident, at, frozen_options)

        return check

    def bind(self, options: Mapping[str, Any], context: Context) -> Check:
        """Bind *options* and *context*, for a rule declared with ``context=True``."""
        function = cast("ContextRuleFunction", self.function)
        frozen_options = dict(options)

        def check(incident: Incident, at: datetime) -> Iterable[Verdict]:
            return function(incident, at, frozen_options, context)

        return check


def rule(
    meta: RuleMeta, *, gate: Iterable[str] = (), context: bool = False
) -> Callable[[Callable[..., Iterable[Verdict]]], FunctionRule]:
    """
    Declare a Python rule: ``@rule(RuleMeta(...), gate=["restrictive"])`` over a function.

    The function takes ``(incident, at, options)``; with ``context=True`` it takes
    ``(incident, at, options, context)``, the `Context` of the evaluation.
    """

    def wrap(function: Callable[..., Iterable[Verdict]]) -> FunctionRule:
        return FunctionRule(meta, function, frozenset(gate), context)

    return wrap
