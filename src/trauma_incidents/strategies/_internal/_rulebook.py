"""
How the strategies meet each rule and how they break it: one entry per rule code.

`incidents` draws the evidence of a good response for every rule of the configuration, on
time by its configured deadlines (`Policy`). A gap, named by rule code, breaks exactly that
rule: its entry here says what the incident needs for the rule to apply (`Needs`, so that
breaking it gives a finding) and, in words, how it is broken; `_evidence` does the breaking.
A rule of the default packs with no entry fails ``tests/strategies/test_rulebook.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from attrs import frozen

from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model import Category, Severity

if TYPE_CHECKING:
    from trauma_incidents._calendar import Duration
    from trauma_incidents.config import Config
    from trauma_incidents.engine import RuleSet

DISTRESS = frozenset(
    {
        Category.BEHAVIOURAL_DISTRESS,
        Category.VERBAL_AGGRESSION,
        Category.PHYSICAL_AGGRESSION,
        Category.SELF_HARM,
    }
)
SAFEGUARDING_CATEGORIES = frozenset({Category.SAFEGUARDING_CONCERN, Category.ABUSE_ALLEGATION})
CQC_CATEGORIES = frozenset(
    {
        Category.ABUSE_ALLEGATION,
        Category.SAFEGUARDING_CONCERN,
        Category.POLICE_INVOLVEMENT,
        Category.DEATH,
    }
)


@frozen
class Needs:
    """
    What an incident needs for a rule to apply; ``None`` or empty leaves it free.

    Attributes:
        restrictive: A restrictive intervention (``True``) or none (``False``).
        safeguarding: A safeguarding process, or none.
        categories: For each set, at least one of its categories.
        severities: The incident's severity is one of these.
        staff_injury: A staff injury (``True``) or none (``False``).
        reportable: The staff injury is reportable under RIDDOR (a specified injury).
    """

    restrictive: bool | None = None
    safeguarding: bool | None = None
    categories: tuple[frozenset[Category], ...] = ()
    severities: frozenset[Severity] = frozenset()
    staff_injury: bool | None = None
    reportable: bool = False

    def merge(self, other: Needs, what: str) -> Needs:
        """Both needs at once; *what* names the other's source in the error."""
        flags = {}
        for name in ("restrictive", "safeguarding", "staff_injury"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if None not in {mine, theirs} and mine != theirs:
                msg = f"{what} needs {name}={theirs}, which conflicts with the other gaps or flags"
                raise InvalidArgument(msg)
            flags[name] = theirs if mine is None else mine
        severities = self.severities or other.severities
        if self.severities and other.severities:
            severities = self.severities & other.severities
            if not severities:
                msg = f"{what} needs a severity the other gaps rule out"
                raise InvalidArgument(msg)
        return Needs(
            categories=tuple(dict.fromkeys((*self.categories, *other.categories))),
            severities=severities,
            reportable=self.reportable or other.reportable,
            **flags,
        )

    def met_by(self, shape: Any) -> bool:
        """Whether *shape* (a drawn `_shape.Shape`) meets these needs."""
        flags = (
            (self.restrictive, shape.restrictive),
            (self.safeguarding, shape.safeguarding),
            (self.staff_injury, shape.staff_injured),
        )
        return (
            all(need is None or need == has for need, has in flags)
            and all(not c.isdisjoint(shape.categories) for c in self.categories)
            and (not self.severities or shape.severity in self.severities)
            and (not self.reportable or shape.needs_hse)
        )


@frozen
class Entry:
    """How the strategies break one rule: what the incident needs, and what the gap is."""

    needs: Needs
    breaks: str


_RI = Needs(restrictive=True)
_SG = Needs(safeguarding=True)
_ANY = Needs()

#: Every rule the strategies know how to meet and break, by code.
RULEBOOK: Mapping[str, Entry] = {
    "DB001": Entry(
        Needs(restrictive=True, staff_injury=False),
        "no held staff debrief, or one after the deadline (always late when DB004 is a gap"
        " too); no staff injury, whose wellbeing debrief would meet DB001",
    ),
    "DB002": Entry(_RI, "no person debrief, or one after the deadline (late with DB003)"),
    "DB003": Entry(_ANY, "the person's only debrief is declined or deferred"),
    "DB004": Entry(_RI, "the held staff debriefs leave out one of the configured topics"),
    "DB005": Entry(
        Needs(staff_injury=True), "no held staff debrief covering wellbeing, or a late one"
    ),
    "RI001": Entry(_RI, "no post-incident or after action review, or a late one"),
    "RI002": Entry(_RI, "no support plan review, or a late one"),
    "RI003": Entry(_RI, "one restrictive intervention's record lacks one detail"),
    "RI004": Entry(_RI, "no less restrictive intervention is recorded"),
    "RI005": Entry(_RI, "one more physical restraint, in the prone position"),
    "RI006": Entry(_RI, "one more restrictive intervention, not in the support plan"),
    "RI007": Entry(_RI, "one more physical restraint, longer than the configured minutes"),
    "RI008": Entry(_RI, "one more seclusion or segregation, not under the Mental Health Act"),
    "RI009": Entry(
        _RI, "one more restrictive intervention whose legal basis contradicts the capacity"
    ),
    "RI010": Entry(_RI, "one more rapid tranquillisation with no observation"),
    "SG001": Entry(_SG, "one stage unexplained, or explained after the deadline"),
    "SG002": Entry(_SG, "desired outcomes not recorded, or recorded late"),
    "SG003": Entry(
        Needs(safeguarding=True, categories=(SAFEGUARDING_CATEGORIES,)),
        "the concern is raised after the deadline",
    ),
    "LN001": Entry(Needs(categories=(DISTRESS,)), "no trigger, or only an unknown one"),
    "LN002": Entry(
        Needs(restrictive=False, categories=(DISTRESS,)),
        "no reflective, post-incident or after action review, or a late one",
    ),
    "LN003": Entry(_ANY, "a root cause analysis that records no root causes or no changes"),
    "LN004": Entry(_ANY, "one learning action still open, or completed late, after its due time"),
    "LN005": Entry(_ANY, "one completed action never assessed, assessed late, or not effective"),
    "LG001": Entry(_ANY, "the summary uses one discouraged term"),
    "NT001": Entry(Needs(categories=(CQC_CATEGORIES,)), "no notification to CQC, or a late one"),
    "NT002": Entry(
        Needs(severities=frozenset({Severity.MODERATE, Severity.SEVERE, Severity.DEATH})),
        "no duty of candour decision, or a late one (a notifiable one is then told in time)",
    ),
    "NT003": Entry(
        Needs(staff_injury=True, reportable=True),
        "no report to HSE of a staff member's specified injury, or a late one",
    ),
}

#: How `incidents` breaks each rule it can, by code (public as ``strategies.GAPS``).
GAPS: Mapping[str, str] = MappingProxyType({code: e.breaks for code, e in RULEBOOK.items()})

#: How long after its deadline late evidence may come.
LATE_SPAN = timedelta(days=7)
_MINUTE = timedelta(minutes=1)


@frozen
class Policy:
    """
    The rules of a configuration, as the strategies plan for them.

    Attributes:
        options: The parsed options of each enabled rule, by code.
    """

    options: Mapping[str, Mapping[str, Any]]

    @classmethod
    def of(cls, config: Config | RuleSet | None) -> Policy:
        """The policy of *config* (the default packs for ``None``)."""
        from trauma_incidents.engine import RuleSet  # noqa: PLC0415 (only when planning)

        ruleset = config if isinstance(config, RuleSet) else RuleSet.compile(config)
        return cls({r.meta.code: r.options for r in ruleset.rules})

    def enabled(self, code: str) -> bool:
        """Whether the rule *code* is enabled."""
        return code in self.options

    def option(self, code: str, name: str, default: Any) -> Any:
        """The configured option *name* of *code*, or *default* when the rule is not enabled."""
        return self.options.get(code, {}).get(name, default)

    def due(
        self, code: str, anchor: datetime, default: timedelta, name: str = "within"
    ) -> datetime:
        """The deadline of *code* from *anchor*; for a rule not enabled, *default* after it."""
        span: Duration | None = self.options.get(code, {}).get(name)
        return anchor + default if span is None else span.after(anchor)

    def checked_gaps(self, gaps: Iterable[str], needs: Needs) -> tuple[frozenset[str], Needs]:
        """
        The gaps, checked, and the needs of them all together with *needs*.

        Raises:
            InvalidArgument: A gap is not a known, enabled rule, or the gaps conflict.
        """
        chosen = frozenset(gaps)
        for code in sorted(chosen):
            if not isinstance(code, str) or code not in RULEBOOK:
                msg = (
                    f"gaps: {code!r} is not a rule the strategies can break"
                    f" (known: {', '.join(sorted(RULEBOOK))})"
                )
                raise InvalidArgument(msg)
            if not self.enabled(code):
                msg = f"gaps: {code} is not enabled in the configuration"
                raise InvalidArgument(msg)
            needs = needs.merge(RULEBOOK[code].needs, f"gap {code}")
        return chosen, needs

    def possible(self, shape: Any) -> tuple[str, ...]:
        """The enabled rules an incident of *shape* can break, in code order."""
        return tuple(
            code
            for code, entry in sorted(RULEBOOK.items())
            if self.enabled(code) and entry.needs.met_by(shape)
        )


def late_from(due: datetime) -> datetime:
    """The first whole minute after *due*: where late evidence may begin."""
    return due.replace(second=0, microsecond=0) + _MINUTE
