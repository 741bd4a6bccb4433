"""
Cross-incident rules: rules over a whole batch of incidents and the records beside them.

A per-incident rule (`trauma_incidents.rules.Rule`) sees one incident. A cross rule sees every
incident known by the evaluation time and the `Context` (governance records, support plans),
and returns verdicts each
attached to one incident: ``(incident_id, verdict)``. The engine runs cross rules after the
per-incident rules and turns their verdicts into findings the same way (ids, severity,
sources, waivers), so a report cannot tell the two apart.

The two protocols differ by their compile method's name (`CrossRule.compile_batch`), so the
engine, ``isinstance`` and type checkers can tell them apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from attrs import frozen

from trauma_incidents.model._incident import Incident
from trauma_incidents.rules._context import Context
from trauma_incidents.rules._metadata import RuleMeta
from trauma_incidents.rules._shapes import Verdict, _lookup

__all__ = [
    "BATCH",
    "CrossCheck",
    "CrossFunction",
    "CrossFunctionRule",
    "CrossRule",
    "cross_rule",
]

#: The incident id a fault of a cross rule names: the rule failed on the whole batch.
BATCH = "*"

#: A compiled cross rule: verdicts over the batch, each with the id of the incident it is about.
CrossCheck = Callable[[Sequence[Incident], Context, datetime], Iterable[tuple[str, Verdict]]]
#: A cross rule written as Python: the batch, the context, the time and the parsed options.
CrossFunction = Callable[
    [Sequence[Incident], Context, datetime, Mapping[str, Any]],
    Iterable[tuple[str, Verdict]],
]


@runtime_checkable
class CrossRule(Protocol):
    """
    What the engine needs of a cross-incident rule: its metadata, and a compile step.

    `compile_batch` receives the parsed options and returns the `CrossCheck`, which is given
    only the incidents known by the time (occurred and reported by then) and must ignore
    records dated after it.
    """

    @property
    def meta(self) -> RuleMeta:
        """The rule's metadata."""
        ...

    def compile_batch(self, options: Mapping[str, Any]) -> CrossCheck:
        """Bind *options* once and return the check over a batch."""
        ...


@frozen
class CrossFunctionRule:
    """A cross rule written as a Python function (see `cross_rule`)."""

    meta: RuleMeta
    function: CrossFunction

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by name when bound under its function's name, as `cross_rule` leaves it."""
        module, name = self.function.__module__, self.function.__qualname__
        if _lookup(module, name) is self:
            return (_lookup, (module, name))
        return (CrossFunctionRule, (self.meta, self.function))

    def compile_batch(self, options: Mapping[str, Any]) -> CrossCheck:
        """Bind *options* and return the check."""
        function, frozen_options = self.function, dict(options)

        def check(
            incidents: Sequence[Incident], context: Context, at: datetime
        ) -> Iterable[tuple[str, Verdict]]:
            return function(incidents, context, at, frozen_options)

        return check


def cross_rule(meta: RuleMeta) -> Callable[[CrossFunction], CrossFunctionRule]:
    """
    Declare a cross-incident rule: ``@cross_rule(RuleMeta(...))`` over a function.

    The function takes ``(incidents, context, at, options)``: the incidents known by *at*,
    the `Context` (``context.records``, ``context.plans``), the time and the parsed options.
    """

    def wrap(function: CrossFunction) -> CrossFunctionRule:
        return CrossFunctionRule(meta, function)

    return wrap
