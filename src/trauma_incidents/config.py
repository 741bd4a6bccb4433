"""
Configuration: which packs run, per-rule settings and options, and waivers.

Read from TOML or from the same structure as a dict::

    packs = ["core", "england", "plans"]
    episode_gap = "1h"
    [rules.DB001]
    within = "48h"
    severity = "high"
    [rules.LN003]
    enabled = false
    [[waivers]]
    rule = "DB002"
    incident = "INC-0042"
    reason = "Person in hospital; debrief offer planned on return"
    expires = "2026-06-01"

Options are checked against each rule's declared options when the configuration is compiled
(`trauma_incidents.RuleSet.compile`), with every problem named by its key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from attrs import evolve, field, frozen

from trauma_incidents import _calendar, _toml
from trauma_incidents.errors import ConfigError
from trauma_incidents.rules import FindingSeverity
from trauma_incidents.rules._episodes import EPISODE_GAP as _EPISODE_GAP

__all__ = ["DEFAULT_PACKS", "Config", "RuleSettings", "Waiver"]

#: The packs enabled when a configuration does not name any.
DEFAULT_PACKS = ("core", "england", "plans")
_RULE_KEYS = {"enabled", "severity"}
_TOP_KEYS = {
    "packs",
    "pack_files",
    "rules",
    "waivers",
    "strict",
    "rule_time_limit",
    "episode_gap",
}
_WAIVER_KEYS = {"rule", "incident", "finding", "reason", "expires"}


@frozen(kw_only=True)
class RuleSettings:
    """
    The configured settings of one rule; ``None`` keeps the rule's default.

    Attributes:
        enabled: Switch the rule on or off.
        severity: Override the rule's default severity.
        options: Raw option values by name, validated when compiled.
    """

    enabled: bool | None = None
    severity: FindingSeverity | None = None
    options: Mapping[str, object] = field(factory=dict)


@frozen(kw_only=True)
class Waiver:
    """
    A decision that a rule does not apply to one incident, or that one finding is accepted.

    Give ``rule`` and ``incident_id`` together, or ``finding_id`` alone. A waiver stops
    applying after ``expires``; a report lists waivers that matched nothing.
    """

    reason: str = field(repr=False)
    rule: str | None = None
    incident_id: str | None = None
    finding_id: str | None = None
    expires: datetime | None = None

    def active(self, at: datetime) -> bool:
        """Whether the waiver is in force at *at*."""
        return self.expires is None or at <= self.expires


@frozen(kw_only=True)
class Config:
    """
    What to evaluate and how.

    Attributes:
        packs: The packs to enable, by name.
        pack_files: Declarative pack files to make available (enable them by name in
            ``packs``); relative paths in a file are relative to that file's folder.
        rules: Per-rule settings, by rule code.
        waivers: Waivers to apply.
        strict: Raise `trauma_incidents.errors.RuleError` when a rule fails, instead of
            reporting it and carrying on.
        rule_time_limit: Seconds one rule may take on one incident; a rule that takes longer
            is reported as a fault (``TimeLimitExceeded``) and its findings are dropped.
            Measured after the rule returns: it cannot stop a rule that never returns.
            ``None`` (the default) measures nothing.
        episode_gap: Restrictive interventions closer than this are one episode, for every
            rule that counts per episode (``"1h"`` by default; hours or days, not working
            days). Rules receive it as their ``episode_gap`` option.
    """

    packs: tuple[str, ...] = DEFAULT_PACKS
    pack_files: tuple[str, ...] = ()
    rules: Mapping[str, RuleSettings] = field(factory=dict)
    waivers: tuple[Waiver, ...] = ()
    strict: bool = False
    rule_time_limit: float | None = None
    episode_gap: timedelta = field(default=timedelta(hours=1))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Config:
        """Read a configuration from a TOML file."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError([f"{path}: cannot read ({type(e).__name__})"]) from None
        config = cls.from_toml(text)
        folder = Path(path).parent
        return evolve(config, pack_files=tuple(str(folder / p) for p in config.pack_files))

    @classmethod
    def from_toml(cls, text: str) -> Config:
        """Read a configuration from TOML text."""
        try:
            data = _toml.loads(text)
        except ValueError as e:
            raise ConfigError([f"not valid TOML: {e}"]) from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Config:
        """Build a configuration from a mapping shaped like the TOML; raise `ConfigError`."""
        problems: list[str] = [f"{k}: unknown key" for k in sorted(set(data) - _TOP_KEYS)]
        packs = _names("packs", data.get("packs", list(DEFAULT_PACKS)), problems)
        pack_files = _names("pack_files", data.get("pack_files", []), problems)
        rules = _rules(data.get("rules", {}), problems)
        waivers = _waivers(data.get("waivers", []), problems)
        strict = data.get("strict", False)
        if not isinstance(strict, bool):
            problems.append("strict: expected true or false")
        limit = _time_limit(data.get("rule_time_limit"), problems)
        gap = _episode_gap(data.get("episode_gap", _EPISODE_GAP.default), problems)
        if problems:
            raise ConfigError(problems)
        return cls(
            packs=packs,
            pack_files=pack_files,
            rules=rules,
            waivers=waivers,
            strict=bool(strict),
            rule_time_limit=limit,
            episode_gap=gap,
        )


def _episode_gap(raw: object, problems: list[str]) -> timedelta:
    try:
        gap: timedelta = _EPISODE_GAP.parse(raw)
    except (TypeError, ValueError) as e:
        problems.append(f"episode_gap: {e}, got {raw!r}")
        return timedelta(hours=1)
    return gap


def _time_limit(raw: object, problems: list[str]) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 < raw < float("inf"):
        problems.append(f"rule_time_limit: expected a number of seconds above 0, got {raw!r}")
        return None
    return float(raw)


def _names(key: str, raw: object, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        problems.append(f"{key}: expected a list of strings")
        return ()
    return tuple(raw)


def _rules(raw: object, problems: list[str]) -> dict[str, RuleSettings]:
    if not isinstance(raw, Mapping):
        problems.append("rules: expected a table of rule codes")
        return {}
    return {code: _rule(code, settings, problems) for code, settings in raw.items()}


def _rule(code: str, raw: object, problems: list[str]) -> RuleSettings:
    if not isinstance(raw, Mapping):
        problems.append(f"rules.{code}: expected a table")
        return RuleSettings()
    enabled = raw.get("enabled")
    if enabled is not None and not isinstance(enabled, bool):
        problems.append(f"rules.{code}.enabled: expected true or false")
        enabled = None
    severity = raw.get("severity")
    if severity is not None:
        try:
            severity = FindingSeverity(severity)
        except ValueError:
            allowed = ", ".join(s.value for s in FindingSeverity)
            problems.append(f"rules.{code}.severity: expected one of {allowed}, got {severity!r}")
            severity = None
    options = {k: v for k, v in raw.items() if k not in _RULE_KEYS}
    return RuleSettings(enabled=enabled, severity=severity, options=options)


def _waivers(raw: object, problems: list[str]) -> tuple[Waiver, ...]:
    if not isinstance(raw, list):
        problems.append("waivers: expected an array of tables")
        return ()
    waivers = []
    for i, item in enumerate(raw):
        waiver = _waiver(f"waivers[{i}]", item, problems)
        if waiver is not None:
            waivers.append(waiver)
    return tuple(waivers)


def _waiver(where: str, raw: object, problems: list[str]) -> Waiver | None:
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: expected a table")
        return None
    before = len(problems)
    problems.extend(f"{where}.{k}: unknown key" for k in sorted(set(raw) - _WAIVER_KEYS))
    text = {k: raw.get(k) for k in ("rule", "incident", "finding", "reason")}
    problems.extend(
        f"{where}.{k}: expected a string"
        for k, v in text.items()
        if v is not None and not isinstance(v, str)
    )
    if not text["reason"]:
        problems.append(f"{where}.reason: a waiver needs a reason")
    if bool(text["finding"]) == bool(text["rule"] or text["incident"]) or (
        not text["finding"] and not (text["rule"] and text["incident"])
    ):
        problems.append(f"{where}: give rule and incident together, or finding alone")
    expires = _expiry(where, raw.get("expires"), problems)
    if len(problems) > before:
        return None
    return Waiver(
        reason=str(text["reason"]),
        rule=text["rule"],
        incident_id=text["incident"],
        finding_id=text["finding"],
        expires=expires,
    )


def _expiry(where: str, raw: object, problems: list[str]) -> datetime | None:
    """An expiry date means the end of that day, Europe/London."""
    if raw is None:
        return None
    if isinstance(raw, str):
        try:
            raw = datetime.fromisoformat(raw) if "T" in raw else date.fromisoformat(raw)
        except ValueError:
            raw = None
    if isinstance(raw, datetime) and raw.tzinfo is not None:
        return raw
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return datetime.combine(raw, time(23, 59, 59, 999999), tzinfo=_calendar.LONDON)
    problems.append(f"{where}.expires: expected a date (2026-06-01) or a time with an offset")
    return None
