"""Rule metadata and the option schemas that configuration is validated against."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from attrs import field, frozen

from trauma_incidents._calendar import Duration, Unit
from trauma_incidents.model._vocabularies import Topic
from trauma_incidents.rules._findings import FindingSeverity

#: A rule code: an upper-case prefix of 1 to 4 letters and three digits, such as ``DB001``.
CODE_PATTERN = re.compile(r"^[A-Z]{1,4}[0-9]{3}$")


def _parse_duration(raw: object) -> Duration:
    if isinstance(raw, Duration):
        return raw
    if not isinstance(raw, str):
        msg = 'expected a duration string such as "24h", "7d" or "2wd"'
        raise TypeError(msg)
    return Duration.parse(raw)


def _parse_count(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 10_000:  # noqa: PLR2004
        msg = "expected a whole number from 0 to 10000"
        raise TypeError(msg)
    return raw


def _parse_elapsed(raw: object) -> timedelta:
    """An elapsed span: hours or days, never working days (a gap between events, not a deadline)."""
    expected = 'expected hours or days such as "1h" or "2d"'
    try:
        duration = _parse_duration(raw)
    except (TypeError, ValueError):
        raise ValueError(expected) from None
    if duration.unit is Unit.WORKING_DAYS:
        msg = f"{expected} (working days do not apply here)"
        raise ValueError(msg)
    hours = duration.amount if duration.unit is Unit.HOURS else 24 * duration.amount
    return timedelta(hours=hours)


def _parse_topics(raw: object) -> frozenset[Topic]:
    allowed = ", ".join(t.value for t in Topic)
    if not isinstance(raw, list | tuple | frozenset) or not raw:
        msg = f"expected a non-empty list of topics ({allowed})"
        raise TypeError(msg)
    try:
        return frozenset(Topic(t) for t in raw)
    except ValueError:
        msg = f"expected topics from: {allowed}"
        raise ValueError(msg) from None


_PARSERS: dict[str, Callable[[object], Any]] = {
    "duration": _parse_duration,
    "count": _parse_count,
    "elapsed": _parse_elapsed,
    "topics": _parse_topics,
}


@frozen
class OptionSpec:
    """
    One configurable option of a rule.

    Attributes:
        name: The option's key in configuration, such as ``within``.
        kind: ``duration`` (arrives as a `trauma_incidents.Duration`), ``elapsed`` (hours or
            days only; arrives as a `datetime.timedelta`), ``count`` (an `int`) or ``topics``
            (a `frozenset` of `trauma_incidents.model.Topic`).
        default: The default, in its configuration form (``"24h"``).
        help: One line saying what the option changes.
    """

    name: str
    kind: str = field()
    default: object
    help: str

    @kind.validator
    def _known_kind(self, _attribute: object, value: str) -> None:
        if value not in _PARSERS:
            msg = f"unknown option kind {value!r} (expected one of {sorted(_PARSERS)})"
            raise ValueError(msg)

    def parse(self, raw: object) -> Any:
        """Validate and convert a configured value; raise `TypeError`/`ValueError` if bad."""
        return _PARSERS[self.kind](raw)


def within(
    default: str, help_text: str = "How long after the anchor the deadline falls."
) -> OptionSpec:
    """The ``within`` option every deadline rule has."""
    return OptionSpec("within", "duration", default, help_text)


@frozen
class Change:
    """
    How a rule's meaning changed in a pack version: what an adopter sees differently.

    Attributes:
        version: The pack version (``"2.0"``) the change arrived in.
        text: What changed, in a sentence or two, such as ``"One finding per episode."``.
    """

    version: str
    text: str


@frozen(kw_only=True)
class RuleMeta:
    """
    What a rule is and why it exists; rendered into ``docs/rules.md`` and ``explain CODE``.

    Attributes:
        code: Stable code, such as ``DB001``.
        name: Short kebab-case name of the pattern flagged, such as ``staff-debrief``.
        summary: What it flags (one or two sentences).
        rationale: Why it matters, citing practice and regulation.
        example: An example of an incident it flags and what the finding says.
        severity: The default severity of its findings.
        sources: IDs in ``shared/domain/requirements.md``, or ``"local policy"``.
        options: The configurable options and their defaults.
        effective_from: The first day (Europe/London) of incidents it judges, if limited.
        effective_to: The last day of incidents it judges, if limited.
        added_in: The pack version that added the rule, if after the pack's first
            (shown as "Added in" in the catalogue).
        changes: How its meaning changed, oldest first: shown as "Changed in" in the
            catalogue. A rule's meaning is a contract, so every change is listed here.
    """

    code: str = field()
    name: str
    summary: str
    rationale: str
    example: str
    severity: FindingSeverity
    sources: tuple[str, ...]
    options: tuple[OptionSpec, ...] = ()
    effective_from: date | None = None
    effective_to: date | None = None
    added_in: str | None = None
    changes: tuple[Change, ...] = ()

    @code.validator
    def _code_format(self, _attribute: object, value: str) -> None:
        if not CODE_PATTERN.match(value):
            msg = f"rule code {value!r} must be 1-4 capital letters and 3 digits, like DB001"
            raise ValueError(msg)

    def defaults(self) -> dict[str, Any]:
        """The parsed default of every option."""
        return {o.name: o.parse(o.default) for o in self.options}
