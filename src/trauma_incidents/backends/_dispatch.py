"""Choosing a backend: the Python engine behind the `Engine` interface, and dispatch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, final

from trauma_incidents.backends._common import BACKENDS, BackendReport, Engine, with_backends
from trauma_incidents.engine._findings_report import RuleFault
from trauma_incidents.engine._ruleset import IncidentCheck, RuleSet
from trauma_incidents.errors import InvalidArgument
from trauma_incidents.governance._records import GovernanceRecords
from trauma_incidents.model._incident import Incident
from trauma_incidents.plans._records import SupportPlans
from trauma_incidents.rules._context import Context
from trauma_incidents.rules._findings import Finding

if TYPE_CHECKING:  # outcome records are imported when given
    from trauma_incidents.outcomes._records import Outcomes


@final
class PythonEngine:
    """The pure-Python engine (`RuleSet.evaluate`) behind the `Engine` interface."""

    name = "python"

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        codes = [r.meta.code for r in ruleset.rules] + [r.meta.code for r in ruleset.cross]
        self.backends: Mapping[str, str] = MappingProxyType(dict.fromkeys(codes, "python"))

    def evaluate(
        self,
        incidents: Iterable[Incident],
        *,
        at: datetime,
        records: GovernanceRecords | None = None,
        plans: SupportPlans | None = None,
        outcomes: Outcomes | None = None,
    ) -> BackendReport:
        """Evaluate *incidents* as of *at* with `RuleSet.evaluate`."""
        report = self.ruleset.evaluate(
            incidents, at=at, records=records, plans=plans, outcomes=outcomes
        )
        return with_backends(report, self.backends)

    def check(
        self, incident: Incident, at: datetime, context: Context | None = None
    ) -> tuple[list[Finding], list[RuleFault]]:
        """Every finding about one incident as of *at*, before waivers (`RuleSet.check`)."""
        return self.ruleset.check(incident, at, context)

    def checker(self, context: Context | None) -> IncidentCheck:
        """`check` with *context* bound once (`RuleSet.checker`)."""
        return self.ruleset.checker(context)

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> PythonEngine:
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.close()


def make_engine(ruleset: RuleSet, backend: str = "python") -> Engine:
    """
    An engine for *ruleset* on *backend* (``"python"`` or ``"durable"``).

    Raises:
        InvalidArgument: *backend* is not a known backend.
        BackendUnavailableError: the backend cannot run on this Python (durable_rules on
            3.13+, or the ``durable`` extra not installed).
    """
    if backend == "python":
        return PythonEngine(ruleset)
    if backend == "durable":
        from trauma_incidents.backends._durable import DurableEngine  # noqa: PLC0415

        return DurableEngine(ruleset)
    msg = f"backend must be one of {', '.join(BACKENDS)} (got backend={backend!r})"
    raise InvalidArgument(msg)


def evaluate_ruleset_first(
    ruleset: RuleSet,
    incidents: Iterable[Incident],
    *,
    at: datetime,
    backend: str = "python",
    records: GovernanceRecords | None = None,
) -> BackendReport:
    """The old ``backends.evaluate``, kept for one release; see `trauma_incidents.evaluate`."""
    engine = make_engine(ruleset, backend)
    try:
        return engine.evaluate(incidents, at=at, records=records)
    finally:
        engine.close()
