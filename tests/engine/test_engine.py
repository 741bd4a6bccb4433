"""The engine: as-of semantics, order, finding ids, configuration, waivers, faults, custom packs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest

from trauma_incidents.config import Config, Waiver
from trauma_incidents.engine import Report, RuleFault, RuleSet, WaivedFinding, evaluate
from trauma_incidents.errors import ConfigError, InvalidArgument, RuleError
from trauma_incidents.model import (
    Audience,
    Category,
    Debrief,
    DebriefStatus,
    Incident,
    Severity,
    Stage,
)
from trauma_incidents.packs import Pack, builtin_packs
from trauma_incidents.rules import (
    Anchor,
    DeadlineRule,
    DebriefMatch,
    Evidence,
    Finding,
    FindingSeverity,
    OptionSpec,
    RuleMeta,
    Status,
    Verdict,
    When,
    finding_id,
    rule,
)
from trauma_incidents.testing import (
    T0,
    days,
    hours,
    incident,
    restraint,
    safeguarding,
    staff_debrief,
    stage,
)

UTC = timezone.utc
#: A restraint ending at T0 + 15 minutes (the `testing` default).
END = T0 + timedelta(minutes=15)
RI = incident(interventions=(restraint(),))


def codes(findings: Iterable[Finding]) -> list[tuple[str, str, str | None]]:
    return [(f.incident_id, f.rule, f.key) for f in findings]


def of(report: Report, code: str) -> list[Finding]:
    return [f for f in report.findings if f.rule == code]


class TestAsOf:
    def test_incident_reported_after_at_yields_nothing(self) -> None:
        """An incident the service learns of after the evaluation time is not judged yet."""
        inc = attrs.evolve(RI, reported_at=T0 + days(2), severity=Severity.SEVERE)

        assert evaluate([inc], at=T0 + days(1)).findings == ()
        assert evaluate([inc], at=T0 + days(2)).findings

    def test_incident_occurred_after_at_yields_nothing(self) -> None:
        """An incident after the evaluation time yields no findings, not even language ones."""
        inc = attrs.evolve(RI, occurred_at=T0 + hours(1))

        assert evaluate([inc], at=T0).findings == ()

    def test_evidence_after_at_is_ignored(self) -> None:
        """A debrief dated after the evaluation time does not count yet."""
        inc = attrs.evolve(RI, debriefs=(staff_debrief(END + hours(2)),))

        before = of(evaluate([inc], at=END + hours(1)), "DB001")
        after = of(evaluate([inc], at=END + hours(2)), "DB001")

        assert [f.status for f in before] == [Status.DUE]
        assert after == []

    def test_ongoing_restrictive_intervention_postpones(self) -> None:
        """Rules anchored on the end of restriction wait while it goes on; others do not."""
        end = T0 + days(3)
        inc = incident(interventions=(restraint(ended_at=end),))
        anchored = {"DB001", "DB002", "RI001", "RI002"}

        during = evaluate([inc], at=end - hours(1))
        ended = evaluate([inc], at=end)

        assert set() == {f.rule for f in during.findings} & anchored
        assert {"LN001"} <= {f.rule for f in during.findings}
        assert anchored <= {f.rule for f in ended.findings}
        assert [end + hours(24)] == [f.due_at for f in of(ended, "DB001")]

    def test_later_restrictive_episode_has_its_own_deadline(self) -> None:
        """
        A restraint two days on is a new episode: the first stays overdue, the new one is due.

        Before 2.0 the RI anchor was the latest end among the interventions, so the second
        restraint turned the overdue DB001 back into due (see test_properties).
        """
        second = restraint(started_at=T0 + days(2), ended_at=T0 + days(2) + hours(1))
        inc = incident(interventions=(restraint(), second))

        before = of(evaluate([inc], at=T0 + days(1.5)), "DB001")
        after = of(evaluate([inc], at=T0 + days(3)), "DB001")

        assert [("0", Status.OVERDUE, END + hours(24))] == [
            (f.key, f.status, f.due_at) for f in before
        ]
        assert [
            ("0", Status.OVERDUE, END + hours(24)),
            ("1", Status.DUE, T0 + days(3) + hours(1)),
        ] == [(f.key, f.status, f.due_at) for f in after]

    def test_restraint_ended_exactly_at_at_is_over(self) -> None:
        """An intervention ending exactly at the evaluation time is not ongoing."""
        inc = incident(interventions=(restraint(ended_at=T0 + days(1)),))

        assert [f.status for f in of(evaluate([inc], at=T0 + days(1)), "DB001")] == [Status.DUE]


class TestOrder:
    A = incident(id="INC-A", interventions=(restraint(),), summary="All calm.")
    B = incident(
        id="INC-B",
        categories=(Category.SAFEGUARDING_CONCERN,),
        safeguarding=safeguarding(
            stage(Stage.REVIEW, T0 + days(2)),
            stage(Stage.CONCERN_RAISED, T0),
            stage(Stage.REVIEW, T0 + days(1)),
        ),
    )
    AT = T0 + days(30)

    def test_input_then_rule_then_rule_order(self) -> None:
        """Findings follow input order, then the packs' rule order, then each rule's order."""
        found = evaluate([self.B, self.A], at=self.AT).findings
        catalogue = [r.meta.code for p in ("core", "england") for r in builtin_packs()[p].rules]

        ids = [f.incident_id for f in found]
        assert ids == sorted(ids, key=["INC-B", "INC-A"].index)
        for inc_id in ("INC-A", "INC-B"):
            rules = [f.rule for f in found if f.incident_id == inc_id]
            assert rules == sorted(rules, key=catalogue.index)
        assert [f.key for f in found if f.rule == "SG001"] == [
            "concern_raised",
            "review",
            "review#2",
        ]

    def test_pack_order_follows_configuration(self) -> None:
        """Packs run in the order configuration names them."""
        inc = incident(severity=Severity.MODERATE)
        config = Config(packs=("england", "core"))

        rules = [f.rule for f in evaluate([inc], at=self.AT, rules=config).findings]

        assert rules == ["NT002", "LN001", "LN002"]

    def test_deterministic(self) -> None:
        """The same input gives identical findings in the same order."""
        ruleset = RuleSet.compile()

        first = ruleset.evaluate([self.A, self.B], at=self.AT)
        second = ruleset.evaluate([self.A, self.B], at=self.AT)
        fresh = evaluate([attrs.evolve(self.A), attrs.evolve(self.B)], at=self.AT)

        assert first == second
        assert first.findings == fresh.findings

    def test_incidents_are_independent(self) -> None:
        """Each incident's findings do not depend on the others evaluated with it."""
        together = evaluate([self.A, self.B], at=self.AT).findings
        alone = evaluate([self.B], at=self.AT).findings

        assert [f for f in together if f.incident_id == "INC-B"] == list(alone)


class TestFindingId:
    def test_id_is_derived_from_rule_incident_and_key(self) -> None:
        """A finding's id is `finding_id` of its rule, incident and key."""
        found = evaluate([RI], at=T0 + days(30)).findings

        assert found
        for f in found:
            assert finding_id(f.rule, f.incident_id, f.key) == f.id

    def test_id_is_stable_across_time_and_status(self) -> None:
        """The same obligation keeps its id as it goes from due to overdue to late."""
        due = of(evaluate([RI], at=END), "DB001")
        overdue = of(evaluate([RI], at=END + days(2)), "DB001")
        late_inc = attrs.evolve(RI, debriefs=(staff_debrief(END + days(3)),))
        late = of(evaluate([late_inc], at=END + days(4)), "DB001")

        assert [f.status for f in (*due, *overdue, *late)] == [
            Status.DUE,
            Status.OVERDUE,
            Status.LATE,
        ]
        assert len({f.id for f in (*due, *overdue, *late)}) == 1

    def test_id_is_pinned(self) -> None:
        """Ids are stable across releases: waivers by finding id depend on it."""
        assert finding_id("DB001", "INC-0001", None) == "cd03df17cfbf0f9b"
        assert finding_id("SG001", "INC-0001", "review#2") == "5007ee420ea81380"

    def test_ids_differ_by_key_rule_and_incident(self) -> None:
        """Every part of the triple changes the id."""
        ids = {
            finding_id("SG001", "INC-0001", "review"),
            finding_id("SG001", "INC-0001", "review#2"),
            finding_id("SG002", "INC-0001", "review"),
            finding_id("SG001", "INC-0002", "review"),
            finding_id("SG001", "INC-0001", None),
        }

        assert len(ids) == 5


def compile_dict(data: Mapping[str, Any]) -> RuleSet:
    return RuleSet.compile(Config.from_dict(data))


TOPICS = (
    "timeline, triggers, early_warning_signs, communication, what_helped, person_account,"
    " wellbeing, support_plan"
)


class TestConfigErrors:
    @pytest.mark.parametrize(
        ("data", "problems"),
        [
            pytest.param(
                {"rules": {"DB001": {"within": "2x"}}},
                [
                    (
                        'rules.DB001.within: expected a duration such as "24h", "7d" or "2wd",'
                        " got '2x'"
                    )
                ],
                id="bad-duration",
            ),
            pytest.param(
                {"rules": {"DB001": {"within": 48}}},
                [
                    (
                        'rules.DB001.within: expected a duration string such as "24h", "7d" or'
                        ' "2wd", got 48'
                    )
                ],
                id="duration-not-text",
            ),
            pytest.param(
                {"rules": {"SG001": {"within": "0wd"}}},
                ["rules.SG001.within: a working-day duration must be at least 1wd, got '0wd'"],
                id="zero-working-days",
            ),
            pytest.param(
                {"rules": {"DB001": {"wihtin": "48h"}}},
                ["rules.DB001.wihtin: unknown option (options: episode_gap, within)"],
                id="unknown-option",
            ),
            pytest.param(
                {"rules": {"RI005": {"within": "48h"}}},
                ["rules.RI005.within: unknown option (options: none)"],
                id="rule-without-options",
            ),
            pytest.param(
                {"rules": {"DB001": {"severity": "urgent"}}},
                [
                    (
                        "rules.DB001.severity: expected one of info, low, medium, high, critical,"
                        " got 'urgent'"
                    )
                ],
                id="bad-severity",
            ),
            pytest.param(
                {"rules": {"DB001": {"enabled": "no"}}},
                ["rules.DB001.enabled: expected true or false"],
                id="enabled-not-bool",
            ),
            pytest.param(
                {"rules": {"DB001": "48h"}},
                ["rules.DB001: expected a table"],
                id="rule-not-table",
            ),
            pytest.param(
                {"rules": {"XX001": {}}},
                ["rules.XX001: no such rule in the enabled packs"],
                id="unknown-rule",
            ),
            pytest.param(
                {"packs": ["core"], "rules": {"NT001": {"within": "1h"}}},
                ["rules.NT001: no such rule in the enabled packs"],
                id="rule-of-pack-not-enabled",
            ),
            pytest.param(
                {"packs": ["core", "wales"]},
                ["packs: unknown pack 'wales' (available: core, england, governance, plans)"],
                id="unknown-pack",
            ),
            pytest.param({"packs": "core"}, ["packs: expected a list of strings"], id="packs"),
            pytest.param({"colour": "blue"}, ["colour: unknown key"], id="unknown-key"),
            pytest.param({"strict": "yes"}, ["strict: expected true or false"], id="strict"),
            pytest.param(
                {"rules": {"DB004": {"topics": ["snacks"]}}},
                [f"rules.DB004.topics: expected topics from: {TOPICS}, got ['snacks']"],
                id="unknown-topic",
            ),
            pytest.param(
                {"rules": {"DB004": {"topics": []}}},
                [f"rules.DB004.topics: expected a non-empty list of topics ({TOPICS}), got []"],
                id="no-topics",
            ),
            pytest.param(
                {"waivers": [{"rule": "DB001", "reason": "planned"}]},
                ["waivers[0]: give rule and incident together, or finding alone"],
                id="waiver-rule-without-incident",
            ),
            pytest.param(
                {
                    "waivers": [
                        {"rule": "DB001", "incident": "INC-1", "finding": "ab", "reason": "x"}
                    ]
                },
                ["waivers[0]: give rule and incident together, or finding alone"],
                id="waiver-both",
            ),
            pytest.param(
                {"waivers": [{"finding": "ab"}]},
                ["waivers[0].reason: a waiver needs a reason"],
                id="waiver-without-reason",
            ),
            pytest.param(
                {"waivers": [{"finding": "ab", "reason": "x", "expires": "soon"}]},
                ["waivers[0].expires: expected a date (2026-06-01) or a time with an offset"],
                id="waiver-bad-expiry",
            ),
            pytest.param(
                {"waivers": [{"finding": "ab", "reason": "x", "expires": "2026-06-01T10:00"}]},
                ["waivers[0].expires: expected a date (2026-06-01) or a time with an offset"],
                id="waiver-naive-expiry",
            ),
            pytest.param(
                {"waivers": [{"finding": "ab", "reason": "x", "until": "2026-06-01"}]},
                ["waivers[0].until: unknown key"],
                id="waiver-unknown-key",
            ),
            pytest.param(
                {"waivers": {"finding": "ab"}},
                ["waivers: expected an array of tables"],
                id="waivers-not-array",
            ),
            pytest.param(
                {
                    "rules": {
                        "DB001": {"within": "2x", "wihtin": "1h"},
                        "NT003": {"incapacity_days": -1},
                    }
                },
                [
                    (
                        'rules.DB001.within: expected a duration such as "24h", "7d" or "2wd",'
                        " got '2x'"
                    ),
                    "rules.DB001.wihtin: unknown option (options: episode_gap, within)",
                    "rules.NT003.incapacity_days: expected a whole number from 0 to 10000, got -1",
                ],
                id="every-problem-at-once",
            ),
        ],
    )
    def test_problem_names_the_key(self, data: Mapping[str, Any], problems: list[str]) -> None:
        """Each problem starts with the dotted key that is wrong."""
        with pytest.raises(ConfigError) as e:
            compile_dict(data)

        assert tuple(problems) == e.value.problems
        assert str(e.value).startswith("invalid configuration:\n  ")

    def test_disabled_rule_options_are_still_checked(self) -> None:
        """Switching a rule off does not hide a mistake in its options."""
        with pytest.raises(ConfigError) as e:
            compile_dict({"rules": {"DB001": {"enabled": False, "within": "2x"}}})

        assert len(e.value.problems) == 1

    def test_from_toml_matches_from_dict(self) -> None:
        """TOML text gives the same configuration as the equivalent dict."""
        text = """
            packs = ["core"]
            strict = true
            [rules.DB001]
            within = "48h"
            severity = "critical"
            [rules.LN003]
            enabled = false
            [[waivers]]
            rule = "DB002"
            incident = "INC-0042"
            reason = "Person in hospital; debrief offer planned on return"
            expires = 2026-06-01
        """
        data = {
            "packs": ["core"],
            "strict": True,
            "rules": {
                "DB001": {"within": "48h", "severity": "critical"},
                "LN003": {"enabled": False},
            },
            "waivers": [
                {
                    "rule": "DB002",
                    "incident": "INC-0042",
                    "reason": "Person in hospital; debrief offer planned on return",
                    "expires": "2026-06-01",
                }
            ],
        }

        assert Config.from_dict(data) == Config.from_toml(text)

    def test_from_file(self, tmp_path: Path) -> None:
        """A TOML file is read; options apply once compiled."""
        path = tmp_path / "trauma-incidents.toml"
        path.write_text('[rules.DB001]\nwithin = "48h"\n', encoding="utf-8")

        ruleset = RuleSet.compile(Config.from_file(path))

        [db001] = of(ruleset.evaluate([RI], at=END), "DB001")
        assert END + hours(48) == db001.due_at

    @pytest.mark.parametrize(
        ("text", "start"),
        [("packs = [", "not valid TOML: "), ("packs = 'core'", "packs: expected")],
        ids=["syntax", "type"],
    )
    def test_bad_toml(self, text: str, start: str) -> None:
        """TOML that does not parse, or has the wrong shape, is a configuration error."""
        with pytest.raises(ConfigError) as e:
            Config.from_toml(text)

        assert e.value.problems[0].startswith(start)

    def test_unreadable_file(self, tmp_path: Path) -> None:
        """A missing file is named with the reason."""
        path = tmp_path / "missing.toml"

        with pytest.raises(ConfigError) as e:
            Config.from_file(path)

        assert (f"{path}: cannot read (FileNotFoundError)",) == e.value.problems

    def test_severity_and_disabling(self) -> None:
        """Severity overrides apply to findings; a disabled rule finds nothing."""
        ruleset = compile_dict(
            {"rules": {"DB001": {"severity": "critical"}, "DB002": {"enabled": False}}}
        )

        report = ruleset.evaluate([RI], at=END + days(5))

        assert [f.severity for f in of(report, "DB001")] == [FindingSeverity.CRITICAL]
        assert of(report, "DB002") == []


class TestWaivers:
    A = attrs.evolve(RI, id="INC-A")
    B = attrs.evolve(RI, id="INC-B")
    AT = END + days(5)

    def run(self, *waivers: Mapping[str, Any], at: datetime | None = None) -> Any:
        return compile_dict({"waivers": list(waivers)}).evaluate([self.A, self.B], at=at or self.AT)

    def test_by_rule_and_incident(self) -> None:
        """A rule-and-incident waiver sets aside that rule's findings for that incident only."""
        report = self.run({"rule": "DB001", "incident": "INC-A", "reason": "agreed"})

        assert codes(w.finding for w in report.waived) == [("INC-A", "DB001", "0")]
        assert codes(of(report, "DB001")) == [("INC-B", "DB001", "0")]
        assert Waiver(reason="agreed", rule="DB001", incident_id="INC-A") == (
            report.waived[0].waiver
        )
        assert report.waivers_unused == ()

    def test_by_finding_id(self) -> None:
        """A finding-id waiver sets aside exactly that finding."""
        fid = finding_id("DB002", "INC-B", "0")

        report = self.run({"finding": fid, "reason": "in hospital"})

        assert [fid] == [w.finding.id for w in report.waived]
        assert fid not in {f.id for f in report.findings}
        assert isinstance(report.waived[0], WaivedFinding)

    def test_expiry_is_the_end_of_the_day_in_london(self) -> None:
        """A date expiry lasts to 23:59:59.999999 London time, then the finding returns."""
        waiver = {"rule": "DB001", "incident": "INC-A", "reason": "x", "expires": "2026-03-06"}
        last = datetime(2026, 3, 6, 23, 59, 59, 999999, tzinfo=UTC)

        active = self.run(waiver, at=last)
        expired = self.run(waiver, at=last + timedelta(microseconds=1))

        assert len(active.waived) == 1
        assert expired.waived == ()
        assert [f.incident_id for f in of(expired, "DB001")] == ["INC-A", "INC-B"]
        assert len(expired.waivers_unused) == 1

    def test_expiry_with_time(self) -> None:
        """An expiry time with an offset is exact (and inclusive)."""
        expires = "2026-03-05T12:00:00+00:00"
        waiver = {"finding": finding_id("DB001", "INC-A", "0"), "reason": "x", "expires": expires}
        noon = datetime(2026, 3, 5, 12, tzinfo=UTC)

        assert len(self.run(waiver, at=noon).waived) == 1
        assert self.run(waiver, at=noon + timedelta(seconds=1)).waived == ()

    def test_unused_waivers_are_listed(self) -> None:
        """Waivers that matched nothing are listed in configuration order."""
        used = {"rule": "DB001", "incident": "INC-A", "reason": "x"}
        unknown_incident = {"rule": "DB001", "incident": "INC-Z", "reason": "y"}
        unknown_finding = {"finding": "0000000000000000", "reason": "z"}

        report = self.run(unknown_incident, used, unknown_finding)

        assert [w.reason for w in report.waivers_unused] == ["y", "z"]

    def test_a_waiver_for_an_unknown_rule_is_a_config_error(self) -> None:
        """A waiver naming a rule the enabled packs lack is refused, not silently unused."""
        config = Config.from_dict(
            {"waivers": [{"rule": "DB999", "incident": "INC-A", "reason": "x"}]}
        )
        with pytest.raises(ConfigError) as info:
            RuleSet.compile(config)
        assert info.value.problems == (
            "waivers[0].rule: no such rule in the enabled packs (DB999)",
        )


def _meta(code: str, **more: Any) -> RuleMeta:
    return RuleMeta(
        code=code,
        name=f"local-rule-{code[-1]}",
        summary="A synthetic rule for tests.",
        rationale="Tests need a rule of their own.",
        example="Any incident.",
        severity=FindingSeverity.LOW,
        sources=("local policy",),
        **more,
    )


@rule(_meta("LOC001"))
def broken(incident: Incident, _at: datetime, _options: Mapping[str, Any]) -> Iterable[Verdict]:
    """Fail on incidents whose id ends in A; flag the others."""
    if incident.id.endswith("A"):
        msg = "synthetic failure"
        raise ValueError(msg)
    return (Verdict(key=None, status=Status.CONCERN, message="Flagged."),)


FAMILY_DEBRIEF = DeadlineRule(
    meta=_meta(
        "LOC002",
        options=(OptionSpec("within", "duration", "48h", "How long after awareness."),),
    ),
    when=(When(severities=frozenset({Severity.SEVERE, Severity.DEATH})),),
    anchor=Anchor.AWARENESS,
    evidence=DebriefMatch(audiences=frozenset({Audience.FAMILY})),
    obligation="A debrief offered to the family",
)
LOCAL = Pack(
    name="local",
    version="0.1.0",
    description="Synthetic local rules.",
    rules=(broken, FAMILY_DEBRIEF),
    prefixes=("LOC",),
)


def local(config: Config) -> RuleSet:
    return RuleSet.compile(config, packs={**builtin_packs(), "local": LOCAL})


class TestFaults:
    A = attrs.evolve(RI, id="INC-A")
    B = attrs.evolve(RI, id="INC-B")

    def test_fault_is_isolated_and_reported(self) -> None:
        """A rule that raises is reported with the incident; every other finding stays."""
        ruleset = local(Config(packs=("core", "local")))

        report = ruleset.evaluate([self.A, self.B], at=END + days(5))

        assert (RuleFault("LOC001", "INC-A", "ValueError"),) == report.faults
        assert codes(of(report, "LOC001")) == [("INC-B", "LOC001", None)]
        assert [f.incident_id for f in of(report, "DB001")] == ["INC-A", "INC-B"]

    def test_fault_does_not_keep_the_message(self) -> None:
        """The fault names the exception type only (its message may quote the record)."""
        report = local(Config(packs=("local",))).evaluate([self.A], at=END)

        assert "synthetic failure" not in repr(report.faults)

    def test_strict_raises(self) -> None:
        """In strict mode the first failing rule raises `RuleError`."""
        ruleset = local(Config(packs=("core", "local"), strict=True))

        with pytest.raises(RuleError) as e:
            ruleset.evaluate([self.B, self.A], at=END)

        assert (e.value.rule, e.value.incident_id) == ("LOC001", "INC-A")
        assert isinstance(e.value.original, ValueError)
        assert str(e.value) == "rule LOC001 failed on incident 'INC-A': ValueError"


class TestCustomDeadlineRule:
    SEVERE = incident(severity=Severity.SEVERE, reported_at=T0 + hours(1))

    def test_declarative_rule_in_custom_pack(self) -> None:
        """A `DeadlineRule` in a pack passed to `RuleSet.compile` runs like a built-in one."""
        ruleset = RuleSet.compile(Config(packs=("local",)), packs={"local": LOCAL})
        due = T0 + hours(49)

        report = ruleset.evaluate([self.SEVERE], at=due + hours(1))

        assert {"LOC001", "LOC002"} == {f.rule for f in report.findings}
        [found] = of(report, "LOC002")
        assert (Status.OVERDUE, due, FindingSeverity.LOW, ("local policy",)) == (
            found.status,
            found.due_at,
            found.severity,
            found.sources,
        )
        assert (Evidence("$.reported_at", (T0 + hours(1)).isoformat()),) == found.evidence
        assert found.message.startswith("A debrief offered to the family was due by")
        assert found.message.endswith(
            "(48 hours after the service became aware of the incident) and is not recorded."
        )

    def test_options_and_evidence(self) -> None:
        """Its ``within`` is configurable, and matching evidence meets it."""
        config = Config.from_dict(
            {
                "packs": ["local"],
                "rules": {"LOC002": {"within": "3d"}, "LOC001": {"enabled": False}},
            }
        )
        ruleset = RuleSet.compile(config, packs={"local": LOCAL})
        family = Debrief(audience=Audience.FAMILY, status=DebriefStatus.OFFERED, at=T0 + hours(60))
        met = attrs.evolve(self.SEVERE, debriefs=(family,))

        [found] = ruleset.evaluate([self.SEVERE], at=T0 + hours(60)).findings

        assert (Status.DUE, T0 + hours(73)) == (found.status, found.due_at)
        assert ruleset.evaluate([met], at=T0 + days(30)).findings == ()

    def test_not_applicable(self) -> None:
        """Its condition decides whether it applies."""
        ruleset = RuleSet.compile(Config(packs=("local",)), packs={"local": LOCAL})

        report = ruleset.evaluate([incident(severity=Severity.MODERATE)], at=T0 + days(5))

        assert of(report, "LOC002") == []


class TestArguments:
    @pytest.mark.parametrize(
        ("at", "found"),
        [
            (datetime(2026, 3, 2, 10, 0), "a naive datetime"),  # noqa: DTZ001 (the point)
            ("2026-03-02T10:00:00Z", "str"),
            (None, "NoneType"),
        ],
        ids=["naive", "text", "none"],
    )
    def test_at_must_be_aware(self, at: Any, found: str) -> None:
        """The evaluation time must carry a UTC offset."""
        with pytest.raises(InvalidArgument) as e:
            evaluate([RI], at=at)

        assert f"at must be a datetime with a UTC offset (got {found})" == str(e.value)
        assert isinstance(e.value, TypeError)

    def test_config_may_be_a_ruleset(self) -> None:
        """`evaluate` accepts a compiled `RuleSet` as its configuration."""
        ruleset = compile_dict({"packs": ["england"]})

        report = evaluate([RI], at=END + days(5), rules=ruleset)

        assert report.findings == ()
        assert END + days(5) == report.at

    def test_any_offset_is_the_same_instant(self) -> None:
        """The evaluation time is an instant: its offset does not change the findings."""
        at = END + hours(30)
        elsewhere = at.astimezone(timezone(timedelta(hours=-5)))

        assert evaluate([RI], at=at).findings == evaluate([RI], at=elsewhere).findings
