"""What every backend shares: the report with its backends, the error, the engine protocol."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Literal, Protocol

from attrs import field, frozen

from trauma_incidents.engine._findings_report import Report, RuleFault
from trauma_incidents.governance._records import GovernanceRecords
from trauma_incidents.model._incident import Incident
from trauma_incidents.plans._records import SupportPlans
from trauma_incidents.rules._context import Context
from trauma_incidents.rules._findings import Finding

if TYPE_CHECKING:
    from typing_extensions import Self

    from trauma_incidents.outcomes._records import Outcomes

#: The evaluation backends, by name.
BackendName = Literal["python", "durable"]
BACKENDS: tuple[BackendName, ...] = ("python", "durable")


def _frozen_map(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@frozen(kw_only=True)
class BackendReport(Report):
    """
    A `Report` that also says which backend ran each rule.

    Attributes:
        backends: Rule code to ``"python"`` or ``"durable"``, for every rule of the rule set.
    """

    backends: Mapping[str, str] = field(factory=dict, converter=_frozen_map, hash=False)


def with_backends(report: Report, backends: Mapping[str, str]) -> BackendReport:
    """*report* as a `BackendReport` naming each rule's backend."""
    return BackendReport(
        at=report.at,
        findings=report.findings,
        faults=report.faults,
        waived=report.waived,
        waivers_unused=report.waivers_unused,
        backends=backends,
    )


class Engine(Protocol):
    """What `make_engine` returns: evaluate incidents as of a time, report backends."""

    #: The backend's name: ``"python"`` or ``"durable"``.
    name: str

    def __enter__(self) -> Self:
        """Use the engine in a ``with`` block; it is closed on leaving."""
        ...

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        """Close the engine."""
        ...

    @property
    def backends(self) -> Mapping[str, str]:
        """Rule code to the backend that runs it."""
        ...

    def evaluate(
        self,
        incidents: Iterable[Incident],
        *,
        at: datetime,
        records: GovernanceRecords | None = None,
        plans: SupportPlans | None = None,
        outcomes: Outcomes | None = None,
    ) -> BackendReport:
        """Evaluate *incidents* as of *at* (with the records beside them, as `evaluate`)."""
        ...

    def check(
        self, incident: Incident, at: datetime, context: Context | None = None
    ) -> tuple[list[Finding], list[RuleFault]]:
        """Every finding about one incident as of *at*, before waivers, with *context*."""
        ...

    def checker(
        self, context: Context | None
    ) -> Callable[[Incident, datetime], tuple[list[Finding], list[RuleFault]]]:
        """`check` with *context* bound once, for checking many incidents with it."""
        ...

    def close(self) -> None:
        """Release what the engine holds."""
        ...
