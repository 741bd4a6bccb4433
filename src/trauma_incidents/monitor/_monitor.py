"""The live monitor: incidents held, re-checked when their findings can change, events out."""

from __future__ import annotations

import faulthandler
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from types import TracebackType
from typing import final

from attrs import frozen

from trauma_incidents.backends import Engine, PythonEngine, make_engine
from trauma_incidents.engine._context import context_of
from trauma_incidents.engine._cross import PLANS_PACK, run_cross
from trauma_incidents.engine._findings_report import RuleFault
from trauma_incidents.engine._ruleset import RuleSet, apply_waivers, check_time
from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model._incident import Incident
from trauma_incidents.monitor._events import (
    Event,
    EventKind,
    ReleasedFinding,
    Upserted,
    changes,
    gone,
    trace,
)
from trauma_incidents.monitor._index import Schedule, next_change, recorded_times
from trauma_incidents.monitor._isolated import IsolatedChecker
from trauma_incidents.monitor._snapshot import (
    HeldIncident,
    ReleasedIncident,
    read_snapshot,
    rules_fingerprint,
    write_snapshot,
)
from trauma_incidents.outcomes._records import OutcomeRecord, Outcomes
from trauma_incidents.plans._records import SupportPlan, SupportPlans
from trauma_incidents.rules._context import Context
from trauma_incidents.rules._cross import BATCH
from trauma_incidents.rules._findings import Finding


@frozen
class _Held:
    """A held incident: the record, its recorded times (``None``: not yet worked out), findings."""

    incident: Incident
    times: tuple[datetime, ...] | None
    findings: Mapping[str, Finding]
    faults: tuple[RuleFault, ...]


@frozen
class _PersonRun:
    """
    One person's run, once per step: the plans rules' findings and faults, turning times.

    ``context`` is what the rules that read it (LN005) see for the person's incidents, when
    outcome records are held; else ``None``.
    """

    findings: tuple[Finding, ...]
    faults: tuple[RuleFault, ...]
    times: tuple[datetime, ...]
    context: Context | None = None


@frozen
class _Outcome:
    """One incident evaluated, not yet committed: held again (with its next change) or not."""

    held: _Held
    when: datetime | None
    release: bool


@final
class Monitor:
    """
    Findings kept current as incidents change and time passes; changes come as `Event`.

    Args:
        ruleset: The compiled rule set.
        at: The monitor's starting time (aware).
        backend: ``"python"`` or ``"durable"`` (see ``docs/backends.md``).
        on_event: Called with each event, in order, before the call that made it returns;
            if it raises, that call raises and the monitor's state is as it was before the
            call (the events it was given are given again when the call is repeated).
        isolate: Run the backend in a child process of its own, so that a crash in native
            code does not end this process (the rule set must pickle: rules at module level).
        plans: The support plans for the ``plans`` pack; ``None`` (not supplied) means its
            rules do not run until the first `upsert_plan`.
        outcomes: The outcome records LN005 weighs (see ``docs/effectiveness.md``); ``None``
            (not supplied) means LN005 asks for self-ratings, as without them, until the
            first `upsert_outcome`.

    Raises:
        BackendUnavailableError: The backend cannot run on this Python.
        InvalidArgument: ``isolate=True`` with a rule set that cannot be pickled.

    Every method, reads included, takes one lock, so threads may share a monitor; the
    callback runs on the calling thread, holding it. A crash inside durable_rules' C
    extension cannot be caught in the process it happens in; with that backend in this
    process the monitor turns on `faulthandler` (if it is off), so such a crash prints the
    Python stack before the process ends. With ``isolate=True`` only the child process
    ends: the incident being checked gets a fault (``BackendCrashedError``) for every rule,
    or strict mode raises `BackendCrashedError`, and the next check starts a new child.
    A rule or backend that raises is a fault, kept in `faults`, as in a report.

    The ``plans`` pack's rules run here too, in Python (as they do beside every backend),
    over each person's held incidents and their plans: `upsert_plan` re-checks the held
    incidents of the plan's person, and an incident's upsert or removal re-checks the person's
    other held incidents. Other cross-incident rules need a whole batch and do not run here.

    With outcome records, the rules that read the context (LN005) see, for each incident,
    what the person's held incidents and outcome records show about each learning action:
    `upsert_outcome` re-checks the held incidents of the record's person, an incident's
    upsert or removal re-checks the person's other held incidents, and an incident is
    re-checked when a learning action's window after closes. While outcome records are held
    no incident is released: each is part of its person's evidence (remove incidents that
    no longer matter; memory grows with the incidents held).
    """

    def __init__(
        self,
        ruleset: RuleSet,
        *,
        at: datetime,
        backend: str = "python",
        on_event: Callable[[Event], None] | None = None,
        isolate: bool = False,
        plans: SupportPlans | None = None,
        outcomes: Outcomes | None = None,
    ) -> None:
        check_time(at)
        self._engine: Engine | IsolatedChecker = (
            IsolatedChecker(ruleset, backend) if isolate else make_engine(ruleset, backend)
        )
        if (
            not isinstance(self._engine, (PythonEngine, IsolatedChecker))
            and not faulthandler.is_enabled()
        ):
            faulthandler.enable(file=sys.__stderr__ or sys.stderr)
        self.ruleset = ruleset
        self._now = at
        self._on_event = on_event
        self._held: dict[str, _Held] = {}
        self._released: dict[str, tuple[ReleasedFinding, ...]] = {}
        self._schedule = Schedule()
        self._fingerprint: str | None = None
        self._lock = threading.RLock()
        self._plans = plans
        self._outcomes = outcomes
        self._plan_rules = tuple(r for r in ruleset.cross if r.pack == PLANS_PACK)
        self._people: dict[str, set[str]] = {}  # person id -> ids of their held incidents

    @classmethod
    def from_findings(
        cls,
        ruleset: RuleSet,
        incidents: Iterable[Incident],
        findings: Iterable[Finding],
        *,
        at: datetime,
        backend: str = "python",
        on_event: Callable[[Event], None] | None = None,
        plans: SupportPlans | None = None,
        outcomes: Outcomes | None = None,
    ) -> Monitor:
        """
        Start from what a platform stored: the incidents to hold and every finding announced.

        Each of *incidents* is held with its stored findings and is due at *at*, so the first
        `advance` re-checks it and announces only what differs. Findings of other incidents
        are kept as released incidents' findings, so a later `upsert` or `remove` of those
        incidents withdraws them. Nothing is evaluated here. *plans* and *outcomes* are the
        support plans and outcome records held now (as the constructor takes them).
        """
        monitor = cls(
            ruleset, at=at, backend=backend, on_event=on_event, plans=plans, outcomes=outcomes
        )
        by_incident: dict[str, dict[str, Finding]] = {}
        for f in findings:
            by_incident.setdefault(f.incident_id, {})[f.id] = f
        for incident in incidents:
            stored = by_incident.pop(incident.id, {})
            monitor._hold(_Held(incident, None, stored, ()))
            monitor._schedule.set(incident.id, at)
        for incident_id, stored in by_incident.items():
            monitor._released[incident_id] = tuple(trace(f) for f in stored.values())
        return monitor

    @classmethod
    def restore(
        cls,
        data: bytes | str,
        ruleset: RuleSet,
        *,
        backend: str = "python",
        on_event: Callable[[Event], None] | None = None,
    ) -> Monitor:
        """
        A monitor in the state `snapshot` wrote, at the snapshot's time, with its records.

        Raises:
            MonitorDataError: The snapshot is not valid, or was taken with other rules (a
                library upgrade, other packs, options or waivers): start with `from_findings`.
        """
        snapshot = read_snapshot(data, ruleset)
        plans = (
            None
            if snapshot.support_plans is None
            else SupportPlans.from_records(snapshot.support_plans)
        )
        monitor = cls(
            ruleset,
            at=snapshot.at,
            backend=backend,
            on_event=on_event,
            plans=plans,
            outcomes=snapshot.outcomes,
        )
        monitor._fingerprint = snapshot.rules
        for h in snapshot.held:
            incident = h.incident
            findings = {f.id: f for f in h.findings}
            monitor._hold(_Held(incident, None, findings, h.faults))
            monitor._schedule.set(incident.id, h.next_change)
        monitor._released = {r.incident_id: r.findings for r in snapshot.released}
        return monitor

    def snapshot(self) -> bytes:
        """
        The monitor's state as a versioned JSON document, for `restore` (see docs).

        The lock is held only while the state is gathered (held incidents and findings
        are immutable), not while the document is written.
        """
        with self._lock:
            held = tuple(
                HeldIncident(
                    incident=h.incident,
                    findings=tuple(h.findings.values()),
                    faults=h.faults,
                    next_change=self._schedule.get(i),
                )
                for i, h in self._held.items()
            )
            released = tuple(
                ReleasedIncident(incident_id=i, findings=r) for i, r in self._released.items()
            )
            at = self._now
            plans = None if self._plans is None else self._plans.support_plans
            outcomes = self._outcomes
        if self._fingerprint is None:  # worked out once: it reads every rule's metadata
            self._fingerprint = rules_fingerprint(self.ruleset)
        return write_snapshot(at, self._fingerprint, held, released, plans, outcomes=outcomes)

    @property
    def now(self) -> datetime:
        """The monitor's time."""
        with self._lock:
            return self._now

    def __len__(self) -> int:
        """The number of held incidents (not released)."""
        with self._lock:
            return len(self._held)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The current findings of the held incidents."""
        with self._lock:
            return tuple(f for h in self._held.values() for f in h.findings.values())

    @property
    def faults(self) -> tuple[RuleFault, ...]:
        """Rules that raised at the latest evaluation of each held incident."""
        with self._lock:
            return tuple(f for h in self._held.values() for f in h.faults)

    def findings_for(self, incident_id: str) -> tuple[Finding, ...] | None:
        """The findings of a held incident; ``None`` when it is not held (or was released)."""
        with self._lock:
            held = self._held.get(incident_id)
            return None if held is None else tuple(held.findings.values())

    def next_change_at(self) -> datetime | None:
        """
        The earliest time at which `advance` can change anything; ``None``: no time can.

        Advancing to any earlier time re-checks nothing and returns no event.
        """
        with self._lock:
            return self._schedule.first()

    @property
    def plans(self) -> SupportPlans | None:
        """The support plans held; ``None`` until some are given (the plans rules then wait)."""
        with self._lock:
            return self._plans

    def upsert_plan(self, plan: SupportPlan, *, at: datetime | None = None) -> list[Event]:
        """
        Add a support plan version, or replace the one with its id; re-check its person.

        Every held incident of the plan's person (and of the replaced version's person, if
        another) is evaluated again, and what changed is announced. Released incidents are
        settled: upsert one again to have it re-checked. With *at*, the clock first moves
        there, as `advance` would, in the same call.
        """
        with self._lock:
            to = self._check_forward(self._now if at is None else at)
            before = self._plans.support_plans if self._plans is not None else ()
            old = next((p for p in before if p.id == plan.id), None)
            kept = tuple(p for p in before if p.id != plan.id)
            plans = SupportPlans.from_records((*kept, plan))
            people = {plan.person_id} | ({old.person_id} if old is not None else set())
            return self._with_records(to, people, "_plans", plans)

    @property
    def outcomes(self) -> Outcomes | None:
        """The outcome records held; ``None`` until some are given (LN005 then self-rated)."""
        with self._lock:
            return self._outcomes

    def upsert_outcome(self, record: OutcomeRecord, *, at: datetime | None = None) -> list[Event]:
        """
        Add an activity or wellbeing check, or replace the one of its kind with its id.

        Every held incident of the record's person (and of the replaced record's person, if
        another) is evaluated again, and what changed is announced. Released incidents are
        settled: upsert one again to have it re-checked. With *at*, the clock first moves
        there, as `advance` would, in the same call.
        """
        with self._lock:
            to = self._check_forward(self._now if at is None else at)
            before = tuple(self._outcomes or ())
            same = [r for r in before if type(r) is type(record) and r.id == record.id]
            kept = [r for r in before if not (type(r) is type(record) and r.id == record.id)]
            people = {record.person_id} | {r.person_id for r in same}
            outcomes = Outcomes.from_records([*kept, record])
            return self._with_records(to, people, "_outcomes", outcomes)

    def _with_records(
        self, to: datetime, people: set[str], name: str, records: SupportPlans | Outcomes
    ) -> list[Event]:
        """
        Hold *records* as the plans or outcomes (*name*), and re-check *people*'s incidents.

        If the callback raises, the records held before are held again, as the callback's
        contract says.
        """
        ids = [i for person in sorted(people) for i in sorted(self._people.get(person, ()))]
        previous = getattr(self, name)
        setattr(self, name, records)
        try:
            return self._step(to, None, ids)[0]
        except BaseException:
            setattr(self, name, previous)
            raise

    def upsert(self, incident: Incident, *, at: datetime | None = None) -> Upserted:
        """
        Add *incident* or replace the one with its id, and evaluate it.

        With *at*, the clock first moves there, as `advance` would, in the same call.
        """
        with self._lock:
            to = self._check_forward(self._now if at is None else at)
            events, outcomes = self._step(to, incident, self._neighbours(incident))
            findings = tuple(outcomes[incident.id].held.findings.values())
            return Upserted(events=tuple(events), findings=findings)

    def advance(self, to: datetime) -> list[Event]:
        """Move the clock to *to* (never backwards), re-check what is due, report changes."""
        with self._lock:
            return self._step(self._check_forward(to), None, ())[0]

    def remove(self, incident_id: str) -> list[Event]:
        """
        Forget an incident, held or released; each of its findings is withdrawn.

        With plans, the person's other held incidents are re-checked without it.
        """
        with self._lock:
            held = self._held.get(incident_id)
            lost: list[tuple[str, str, Finding | None]]
            if held is not None:
                lost = [(f.id, f.rule, f) for f in held.findings.values()]
            else:
                lost = [(r.id, r.rule, None) for r in self._released.get(incident_id, ())]
            events = [
                gone(
                    EventKind.WITHDRAWN,
                    at=self._now,
                    incident_id=incident_id,
                    rule=rule,
                    finding_id=i,
                    before=before,
                )
                for i, rule, before in lost
            ]
            self._deliver(events)
            if held is not None and self._by_person():
                events += self._without(held)
            self._unhold(incident_id)
            self._released.pop(incident_id, None)
            self._schedule.set(incident_id, None)
            self._schedule.prune()
            return events

    def _without(self, held: _Held) -> list[Event]:
        """
        Re-check the person's other held incidents without *held* (being removed).

        PL004 and PL007 attach to the person's latest or first incident, so they can move;
        LN005's outcome evidence counts the person's incidents.
        If the callback raises, *held* is held again, as before the call.
        """
        incident_id = held.incident.id
        when = self._schedule.get(incident_id)
        self._unhold(incident_id)
        self._schedule.set(incident_id, None)
        try:
            others = sorted(self._people.get(held.incident.person_id, ()))
            return self._step(self._now, None, others)[0]
        except BaseException:
            self._hold(held)
            self._schedule.set(incident_id, when)
            raise

    def _check_forward(self, to: datetime) -> datetime:
        check_time(to)
        if to < self._now:
            msg = f"the monitor's clock only moves forward (now {self._now.isoformat()})"
            raise InvalidArgument(msg)
        return to

    def _by_person(self) -> bool:
        """Whether rules run over each person's incidents: the plans rules, or LN005's data."""
        return (self._plans is not None and bool(self._plan_rules)) or self._weighs_outcomes()

    def _weighs_outcomes(self) -> bool:
        """Whether outcome records are held and a rule reads them (LN005)."""
        return self._outcomes is not None and bool(self.ruleset.contextual)

    def _neighbours(self, incident: Incident) -> list[str]:
        """The person's other held incidents, whose findings *incident* can change."""
        if not self._by_person():
            return []
        held = self._held.get(incident.id)
        people = {incident.person_id} | ({held.incident.person_id} if held else set())
        return [i for person in sorted(people) for i in sorted(self._people.get(person, ()))]

    def _step(
        self, to: datetime, upserted: Incident | None, also: Iterable[str]
    ) -> tuple[list[Event], dict[str, _Outcome]]:
        """Evaluate what is due by *to*, *also* and *upserted*; deliver the events; commit."""
        due = dict.fromkeys([*self._schedule.due(to), *also])
        ids = [i for i in due if upserted is None or i != upserted.id]
        people: dict[str, _PersonRun] = {}  # a person's run, once per person and step
        outcomes = {
            i: self._evaluate(self._held[i].incident, self._held[i].times, to, upserted, people)
            for i in ids
        }
        if upserted is not None:
            outcomes[upserted.id] = self._evaluate(upserted, None, to, upserted, people)
        events: list[Event] = []
        for incident_id, outcome in outcomes.items():
            held = self._held.get(incident_id)
            before = held.findings if held else self._released.get(incident_id, ())
            events += changes(incident_id, before, outcome.held.findings, to)
            if outcome.release:
                events.append(
                    gone(
                        EventKind.RELEASED,
                        at=to,
                        incident_id=incident_id,
                        rule=None,
                        finding_id=None,
                        before=None,
                    )
                )
        self._deliver(events)
        self._now = to
        for incident_id, outcome in outcomes.items():
            if outcome.release:
                self._unhold(incident_id)
                traces = tuple(trace(f) for f in outcome.held.findings.values())
                if traces:
                    self._released[incident_id] = traces
                else:
                    self._released.pop(incident_id, None)
            else:
                self._hold(outcome.held)
                self._released.pop(incident_id, None)
            self._schedule.set(incident_id, outcome.when)
        self._schedule.prune()
        return events, outcomes

    def _hold(self, held: _Held) -> None:
        """Hold *held*, indexed by its person (replacing the incident with its id)."""
        self._unhold(held.incident.id)
        self._held[held.incident.id] = held
        self._people.setdefault(held.incident.person_id, set()).add(held.incident.id)

    def _unhold(self, incident_id: str) -> None:
        held = self._held.pop(incident_id, None)
        if held is not None:
            ids = self._people[held.incident.person_id]
            ids.discard(incident_id)
            if not ids:
                del self._people[held.incident.person_id]

    def _evaluate(
        self,
        incident: Incident,
        times: tuple[datetime, ...] | None,
        at: datetime,
        upserted: Incident | None,
        people: dict[str, _PersonRun],
    ) -> _Outcome:
        run = None
        if self._by_person():
            person = incident.person_id
            if person not in people:
                people[person] = self._person_run(person, incident, at, upserted)
            run = people[person]
        found, faults = self._engine.check(incident, at, None if run is None else run.context)
        times = recorded_times(incident) if times is None else times
        points = times
        if run is not None:
            found += [f for f in run.findings if f.incident_id == incident.id]
            faults += [
                RuleFault(f.rule, incident.id, f.error)
                for f in run.faults
                if f.incident_id in {incident.id, BATCH}
            ]
            points = tuple(sorted({*times, *run.times}))
        kept, waived, _ = apply_waivers(found, self.ruleset.waivers, at)
        when = next_change(points, kept, waived, at)
        held = _Held(incident, times, {f.id: f for f in kept}, tuple(faults))
        release = when is None and not faults and not self._weighs_outcomes()
        return _Outcome(held, when, release=release)

    def _person(self, person: str, upserted: Incident | None) -> dict[str, Incident]:
        """The person's held incidents by id, with *upserted* in place of the one it replaces."""
        found = {i: self._held[i].incident for i in self._people.get(person, ())}
        if upserted is not None:
            found.pop(upserted.id, None)
            if upserted.person_id == person:
                found[upserted.id] = upserted
        return found

    def _person_run(
        self, person: str, incident: Incident, at: datetime, upserted: Incident | None
    ) -> _PersonRun:
        """
        *person*'s incidents (held ones, *upserted* and *incident*) with their records.

        The ``plans`` rules run over them, and with outcome records the context of the
        rules that read it is built from them. Also the times at which the findings can
        turn besides each incident's own: the person's plan versions' times, the incidents'
        occurrence and awareness, and with outcome records the close of each learning
        action's window after.
        """
        found = self._person(person, upserted) | {incident.id: incident}
        batch = sorted(found.values(), key=lambda i: (i.occurred_at, i.id))
        findings: list[Finding] = []
        faults: list[RuleFault] = []
        if self._plans is not None and self._plan_rules:
            findings, faults = run_cross(
                self._plan_rules, batch, None, at, plans=self._plans, strict=self.ruleset.strict
            )
        versions = self._plans.versions(person) if self._plans is not None else ()
        times = [*recorded_times(versions)]
        times += [t for i in batch for t in (i.occurred_at, i.awareness_at)]
        context = None
        if self._outcomes is not None and self.ruleset.contextual:
            from trauma_incidents.analysis._effectiveness import WINDOW  # noqa: PLC0415

            mine = self._outcomes.of(person)
            context = context_of(batch, at, None, self._plans, mine, effects=True)
            times += [a.completed_at + WINDOW for i in batch for a in i.actions if a.completed_at]
        return _PersonRun(tuple(findings), tuple(faults), tuple(sorted(times)), context)

    def _deliver(self, events: list[Event]) -> None:
        if self._on_event is not None:
            for e in events:
                self._on_event(e)

    def close(self) -> None:
        """Release the backend (durable_rules rulesets) and forget every incident."""
        with self._lock:
            self._engine.close()
            self._held.clear()
            self._people.clear()
            self._released.clear()
            self._schedule = Schedule()

    def __enter__(self) -> Monitor:
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.close()
