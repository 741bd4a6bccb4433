"""
What compiled rules (`CompiledRule`, `CompiledCrossRule`) share.

Both have effective dates, and both pickle as their declaration and options, compiled again on
loading, because their checks are closures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any


class Dated:
    """
    A compiled rule's effective dates: the days of the incidents it judges.

    Attributes:
        effective_from: First day (Europe/London) of incidents it judges, or ``None``.
        effective_to: Last day of incidents it judges, or ``None``.
    """

    __slots__ = ()

    effective_from: date | None
    effective_to: date | None

    def in_force(self, day: date) -> bool:
        """Whether the rule judges incidents that occurred on *day*."""
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )


def reduced(
    rule: object, fields: tuple[str, ...], recompile: Callable[[dict[str, Any]], object]
) -> tuple[Any, ...]:
    """What a compiled *rule*'s ``__reduce__`` returns: *recompile* over its *fields*."""
    return (recompile, ({f: getattr(rule, f) for f in fields},))
