"""
Scenario coverage: which rules the scenarios exercised, and with which statuses.

Like ``opa test --coverage``: a rule is *exercised* when some checkpoint saw a finding of it,
or a ``met:`` expectation of it held. The report lists, per rule of the enabled packs,
each status seen, so a rule only ever seen ``due`` shows that its overdue branch is untested.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

from trauma_incidents.rules._findings import Status
from trauma_incidents.testing._junit import Case

#: The columns of the report: every finding status, then ``met``.
COLUMNS = (*(s.value for s in Status), "met")


@frozen
class Coverage:
    """
    What the scenarios exercised.

    Attributes:
        seen: For each rule of the enabled packs (in catalogue order), the statuses seen.
    """

    seen: dict[str, frozenset[str]]

    @property
    def percent(self) -> float:
        """The share of rules exercised at all, in percent (100 when there are no rules)."""
        if not self.seen:
            return 100.0
        return 100.0 * sum(1 for s in self.seen.values() if s) / len(self.seen)

    def table(self) -> str:
        """The report: a row per rule, a mark per status seen, and the total."""
        width = max((len(c) for c in self.seen), default=4)
        lines = ["RULE".ljust(width) + "  " + " ".join(COLUMNS)]
        for code, statuses in self.seen.items():
            marks = " ".join(("x" if c in statuses else "-").ljust(len(c)) for c in COLUMNS)
            lines.append(f"{code.ljust(width)}  {marks}".rstrip())
        done = sum(1 for s in self.seen.values() if s)
        lines.append(f"coverage: {done}/{len(self.seen)} rules exercised ({self.percent:.1f}%)")
        return "\n".join(lines) + "\n"


def coverage(cases: Iterable[Case]) -> Coverage:
    """The coverage of *cases*: every rule their scenarios enabled, with the statuses seen."""
    seen: dict[str, set[str]] = {}
    for case in cases:
        for code in case.rules:
            seen.setdefault(code, set())
        result = case.result
        if result is None:
            continue
        for f in result.actual:
            seen.setdefault(f.rule, set()).add(f.status.value)
        unmet = {e for e, _ in result.unmet}
        for e in result.checkpoint.met:
            if e not in unmet:
                seen.setdefault(e.rule, set()).add("met")
    return Coverage({code: frozenset(s) for code, s in seen.items()})
