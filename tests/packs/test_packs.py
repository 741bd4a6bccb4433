"""Packs: metadata checks, declarative files, discovery, effective dating."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import attrs
import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from trauma_incidents import packs as packs_module
from trauma_incidents.cli._catalogue import (
    Entry,
    catalogue,
    explain_text,
    rule_dict,
    rule_markdown,
    rules_table,
)
from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import ConfigError, PackError, PackLoadError
from trauma_incidents.model import (
    Category,
    Incident,
    Intervention,
    InterventionKind,
    Notification,
    Recipient,
    Severity,
)
from trauma_incidents.packs import (
    Pack,
    builtin_packs,
    discover_packs,
    load_entry_point,
    load_pack_file,
)
from trauma_incidents.rules import (
    Anchor,
    Change,
    DeadlineRule,
    FindingSeverity,
    NotificationMatch,
    OptionSpec,
    RuleMeta,
    Status,
    Verdict,
    When,
    cross_rule,
)

UTC = timezone.utc
DURATION = 'expected a duration such as "24h", "7d" or "2wd"'
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

PACK_TOML = """\
[pack]
name = "la-example"
version = "1.0.0"
description = "Example local authority pack"
prefixes = ["LA"]

[[rules]]
code = "LA001"
shape = "deadline"
name = "commissioner-told-of-restraint"
summary = "A restraint not notified to the commissioner within 24 hours."
rationale = "The local contract asks for it."
example = "Restraint ended 10:00; no commissioner notification by 10:00 next day."
severity = "high"
sources = ["local policy"]
within = "24h"
anchor = "restrictive_intervention_end"
obligation = "A notification to the commissioner"
[rules.when]
restrictive = true
[rules.evidence]
kind = "notification"
recipients = ["commissioner"]

[[rules]]
code = "LA002"
shape = "concern"
name = "seclusion-used"
summary = "Seclusion was used."
rationale = "Seclusion is not used outside the Mental Health Act."
example = "interventions[0] is seclusion: concern."
severity = "critical"
sources = ["PPC-NO-SECLUSION-NON-MHA"]
message = "Seclusion was used."
[rules.items]
collection = "interventions"
where = { kind = ["seclusion"] }

[[rules]]
code = "LA003"
shape = "required"
name = "restraint-staff-named"
summary = "A restrictive intervention without staff or reason."
rationale = "Records name who was involved and why."
example = "interventions[0] has no staff_ids: missing."
severity = "low"
sources = ["UOF-RECORD-S6"]
fields = ["staff_ids", "reason"]
what = "The restraint record"
[rules.items]
collection = "interventions"
where = { restrictive = [true] }
"""


def seclusion_incident(**overrides: object) -> Incident:
    fields: dict[str, object] = {
        "id": "INC-1",
        "person_id": "P-1",
        "service_id": "SVC-1",
        "occurred_at": T0,
        "categories": (Category.BEHAVIOURAL_DISTRESS,),
        "severity": Severity.LOW,
        "interventions": (
            Intervention(
                kind=InterventionKind.SECLUSION, started_at=T0, ended_at=T0 + timedelta(minutes=20)
            ),
        ),
    }
    fields.update(overrides)
    return Incident(**fields)  # type: ignore[arg-type]


def write(tmp_path: Path, text: str, name: str = "pack.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def meta(code: str = "LA009", **overrides: object) -> RuleMeta:
    fields: dict[str, object] = {
        "code": code,
        "name": "commissioner-told",
        "summary": "s",
        "rationale": "r",
        "example": "e",
        "severity": FindingSeverity.LOW,
        "sources": ("local policy",),
        "options": (OptionSpec("within", "duration", "24h", "h"),),
    }
    fields.update(overrides)
    return RuleMeta(**fields)  # type: ignore[arg-type]


def notify_rule(code: str = "LA009", /, **meta_overrides: object) -> DeadlineRule:
    return DeadlineRule(
        meta=meta(code, **meta_overrides),
        when=(When(restrictive=True),),
        anchor=Anchor.RI_END,
        evidence=NotificationMatch(recipients=frozenset({Recipient.COMMISSIONER})),
        obligation="A notification to the commissioner",
    )


class TestDeclarativeFile:
    def test_loads_all_three_shapes(self, tmp_path: Path) -> None:
        pack = load_pack_file(write(tmp_path, PACK_TOML))
        assert (pack.name, pack.version, pack.prefixes) == ("la-example", "1.0.0", ("LA",))
        assert [r.meta.code for r in pack.rules] == ["LA001", "LA002", "LA003"]

    def test_a_rule_says_how_its_meaning_changed(self, tmp_path: Path) -> None:
        text = PACK_TOML.replace(
            'within = "24h"\n',
            'within = "24h"\nadded_in = "1.0"\n'
            'changes = [{version = "1.1", text = "Counts from the end."}]\n',
            1,
        )
        pack = load_pack_file(write(tmp_path, text))
        assert pack.rules[0].meta.changes == (Change("1.1", "Counts from the end."),)
        entry = Entry(pack.name, pack.rules[0].meta)
        assert rule_dict(entry)["changes"] == [{"version": "1.1", "text": "Counts from the end."}]
        assert "- **Added in 1.0.**\n- **Changed in 1.1:** Counts from the end." in rule_markdown(
            entry
        )
        assert rule_dict(entry)["added_in"] == "1.0"
        assert "Changed in 1.1:\n  Counts from the end." in explain_text(entry)

    def test_a_bad_change_names_its_key(self, tmp_path: Path) -> None:
        text = PACK_TOML.replace(
            'within = "24h"\n', 'within = "24h"\nchanges = [{version = "1.1", txt = "x"}]\n', 1
        )
        with pytest.raises(PackError) as raised:
            load_pack_file(write(tmp_path, text))
        problems = str(raised.value)
        assert "rules[0].changes[0].text: expected a non-empty string" in problems
        assert "rules[0].changes[0].txt: unknown key" in problems

    def test_rules_evaluate_like_built_in_ones(self, tmp_path: Path) -> None:
        config = Config(packs=("la-example",), pack_files=(str(write(tmp_path, PACK_TOML)),))
        report = RuleSet.compile(config).evaluate([seclusion_incident()], at=T0 + timedelta(days=2))
        got = [(f.rule, f.key, f.status) for f in report.findings]
        assert got == [
            ("LA001", None, Status.OVERDUE),
            ("LA002", "0", Status.CONCERN),
            ("LA003", "0", Status.MISSING),
        ]
        assert report.findings[2].message == "The restraint record lacks: staff_ids, reason."

    def test_evidence_satisfies_the_deadline(self, tmp_path: Path) -> None:
        config = Config(packs=("la-example",), pack_files=(str(write(tmp_path, PACK_TOML)),))
        sent = Notification(recipient=Recipient.COMMISSIONER, sent_at=T0 + timedelta(hours=3))
        report = RuleSet.compile(config).evaluate(
            [seclusion_incident(notifications=(sent,))], at=T0 + timedelta(days=2)
        )
        assert "LA001" not in {f.rule for f in report.findings}

    def test_config_file_resolves_pack_files_beside_it(self, tmp_path: Path) -> None:
        write(tmp_path, PACK_TOML, "local.toml")
        cfg = write(tmp_path, 'packs = ["la-example"]\npack_files = ["local.toml"]\n', "c.toml")
        ruleset = RuleSet.compile(Config.from_file(cfg))
        assert [r.meta.code for r in ruleset.rules] == ["LA001", "LA002", "LA003"]
        assert {r.pack for r in ruleset.rules} == {"la-example"}

    def test_every_problem_is_named_with_its_key_and_line(self, tmp_path: Path) -> None:
        text = PACK_TOML.replace('severity = "high"', 'severity = "urgent"').replace(
            'recipients = ["commissioner"]', 'recipients = ["commissioner", "mi5"]'
        )
        text = text.replace('within = "24h"', 'within = "24 hours"').replace(
            'collection = "interventions"\nwhere = { kind', 'collection = "visits"\nwhere = { kind'
        )
        with pytest.raises(PackError) as info:
            load_pack_file(write(tmp_path, text))
        assert info.value.problems == (
            "line 16: rules[0].within: '24 hours': " + DURATION,
            (
                "line 23: rules[0].evidence.recipients[1]: 'mi5' is not one of cqc,"
                " local_authority, police, commissioner, hse, family, person, next_of_kin,"
                " representative, advocate, gp, social_worker, ciw, care_inspectorate, rqia"
            ),
            "line 14: rules[0].severity: 'urgent' is not one of info, low, medium, high, critical",
            (
                "line 36: rules[1].items.collection: 'visits' is not one of interventions,"
                " debriefs, reviews, injuries, notifications, actions"
            ),
        )

    def test_a_misspelt_key_or_value_is_met_with_the_nearest_valid_one(
        self, tmp_path: Path
    ) -> None:
        text = PACK_TOML.replace('recipients = ["commissioner"]', 'recipients = ["comissioner"]')
        text = text.replace('within = "24h"', 'whithin = "24h"')
        with pytest.raises(PackError) as info:
            load_pack_file(write(tmp_path, text))
        assert info.value.problems[:3] == (
            "line 16: rules[0].whithin: unknown key; did you mean 'within'?",
            'line 7: rules[0].within: missing: expected a duration such as "24h", "7d" or "2wd"',
            (
                "line 23: rules[0].evidence.recipients[0]: 'comissioner' is not one of cqc,"
                " local_authority, police, commissioner, hse, family, person, next_of_kin,"
                " representative, advocate, gp, social_worker, ciw, care_inspectorate, rqia;"
                " did you mean 'commissioner'?"
            ),
        )

    def test_yaml_problems_name_the_line_of_the_key(self, tmp_path: Path) -> None:
        pytest.importorskip("yaml")
        data = tomllib.loads(PACK_TOML)
        data["rules"][1]["items"]["where"] = {"kind": ["seclusoin"]}
        path = tmp_path / "pack.json"
        path.write_text(json.dumps(data, indent=1))
        yaml_path = tmp_path / "pack.yaml"
        import yaml  # noqa: PLC0415 (optional)

        yaml_path.write_text(yaml.safe_dump(data, sort_keys=False))
        with pytest.raises(PackError) as info:
            load_pack_file(yaml_path)
        (problem,) = info.value.problems
        line = int(problem.split(":")[0].removeprefix("line "))
        assert "seclusoin" in yaml_path.read_text().splitlines()[line - 1]
        assert problem.endswith("did you mean 'seclusion'?")

    def test_a_code_of_another_available_pack_is_named_with_that_pack(self, tmp_path: Path) -> None:
        text = PACK_TOML.replace('code = "LA002"', 'code = "DB001"').replace(
            'prefixes = ["LA"]', 'prefixes = ["LA", "DB"]'
        )
        with pytest.raises(PackError) as info:
            discover_packs(files=[write(tmp_path, text)])
        assert info.value.problems == (
            "line 26: rules[1].code: DB001 is a rule of the pack 'core'",
        )

    @pytest.mark.parametrize(
        ("what", "field"),
        [("the legal basis", "legal_basis"), ("Staff IDs", "staff_ids"), ("The reason", "reason")],
    )
    def test_what_must_name_the_item_not_its_field(
        self, tmp_path: Path, what: str, field: str
    ) -> None:
        text = PACK_TOML.replace('what = "The restraint record"', f'what = "{what}"')
        text = text.replace('"staff_ids", "reason"', f'"staff_ids", "reason", "{field}"')
        with pytest.raises(PackError) as info:
            load_pack_file(write(tmp_path, text))
        (problem,) = info.value.problems
        assert problem.startswith("line 49: rules[2].what: names the field")

    def test_metadata_is_checked(self, tmp_path: Path) -> None:
        text = PACK_TOML.replace('code = "LA002"', 'code = "XA002"').replace(
            'name = "seclusion-used"', 'name = "Seclusion Used"'
        )
        with pytest.raises(PackError) as info:
            load_pack_file(write(tmp_path, text))
        assert info.value.problems == (
            "line 26: rules[1]: code must start with one of the pack's prefixes ['LA']",
            "line 28: rules[1]: name 'Seclusion Used' must be kebab-case, like staff-debrief",
        )

    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            pytest.param(
                PACK_TOML.replace(
                    'message = "Seclusion was used."', 'message = "x"\nrun = "rm -rf /"'
                ),
                "line 35: rules[1].run: unknown key",
                id="unknown-key",
            ),
            pytest.param(
                PACK_TOML.replace(
                    'obligation = "A notification to the commissioner"',
                    "obligation = \"__import__('os').system('touch /tmp/pwned')\"",
                ).replace('within = "24h"', 'within = "999999999999h"'),
                "line 16: rules[0].within: '999999999999h': expected a duration such as"
                ' "24h", "7d" or "2wd"',
                id="code-like-text-and-huge-number",
            ),
            pytest.param(
                PACK_TOML.replace('shape = "concern"', 'shape = "python"'),
                "line 27: rules[1].shape: 'python' is not one of deadline, required, concern",
                id="unknown-shape",
            ),
        ],
    )
    def test_hostile_files_are_rejected_and_run_nothing(
        self, tmp_path: Path, text: str, problem: str
    ) -> None:
        with pytest.raises(PackError) as info:
            load_pack_file(write(tmp_path, text))
        assert problem in info.value.problems
        assert not Path("/tmp/pwned").exists()  # noqa: S108

    def test_code_like_text_is_kept_as_inert_text(self, tmp_path: Path) -> None:
        text = PACK_TOML.replace(
            'message = "Seclusion was used."', "message = \"{__import__('os').getcwd()}\""
        )
        config = Config(packs=("la-example",), pack_files=(str(write(tmp_path, text)),))
        report = RuleSet.compile(config).evaluate([seclusion_incident()], at=T0 + timedelta(days=2))
        assert report.findings[1].message == "{__import__('os').getcwd()}"

    def test_deep_nesting_is_a_clean_error(self, tmp_path: Path) -> None:
        deep = "[pack]\nname = " + "[" * 5000 + "]" * 5000 + "\n"
        with pytest.raises(PackError, match="cannot be read as a pack"):
            load_pack_file(write(tmp_path, deep))

    def test_huge_file_is_refused_unread(self, tmp_path: Path) -> None:
        path = write(tmp_path, "# " + "x" * packs_module.MAX_PACK_FILE_BYTES)
        with pytest.raises(PackError, match="larger than 1000000 bytes"):
            load_pack_file(path)

    def test_size_limit_holds_for_special_files(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A symlink to a file whose size is not known ahead (``/proc``, ``/dev/zero``)."""
        monkeypatch.setattr(packs_module, "MAX_PACK_FILE_BYTES", 100)
        link = tmp_path / "pack.toml"
        link.symlink_to("/proc/self/status")  # st_size 0, more than 100 bytes
        with pytest.raises(PackError, match="larger than 100 bytes"):
            load_pack_file(link)

    def test_dev_zero_is_refused(self, tmp_path: Path) -> None:
        link = tmp_path / "pack.toml"
        link.symlink_to("/dev/zero")
        with pytest.raises(PackError, match="larger than 1000000 bytes"):
            load_pack_file(link)

    def test_yaml_alias_expansion_is_bounded(self, tmp_path: Path) -> None:
        """A "billion laughs": nine levels of ten aliases each."""
        pytest.importorskip("yaml")
        lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
        lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
        lines.append("pack: {name: p, version: '1', description: d, prefixes: *a8}")
        with pytest.raises(PackError, match="more than 100000 values once YAML aliases"):
            load_pack_file(write(tmp_path, "\n".join(lines), "p.yaml"))

    def test_yaml_and_json_forms(self, tmp_path: Path) -> None:
        data = tomllib.loads(PACK_TOML)
        assert load_pack_file(write(tmp_path, json.dumps(data), "p.json")).name == "la-example"
        yaml = pytest.importorskip("yaml")
        assert load_pack_file(write(tmp_path, yaml.safe_dump(data), "p.yaml")).name == "la-example"

    def test_unknown_suffix(self, tmp_path: Path) -> None:
        with pytest.raises(PackError, match=r"must end in \.toml, \.json, \.yaml or \.yml"):
            load_pack_file(write(tmp_path, PACK_TOML, "pack.txt"))


class TestPythonPacks:
    def test_a_rule_without_sources_is_refused(self) -> None:
        with pytest.raises(
            PackError,
            match=r'LA009: sources must name at least one requirement ID, or "local policy"',
        ):
            Pack(
                name="la",
                version="1",
                description="d",
                rules=(notify_rule(sources=()),),
                prefixes=("LA",),
            )

    def test_a_deadline_rule_needs_within(self) -> None:
        with pytest.raises(PackError, match="LA009: a deadline rule needs a 'within' option"):
            Pack(name="la", version="1", description="d", rules=(notify_rule(options=()),))

    def test_duplicate_codes_in_one_pack(self) -> None:
        with pytest.raises(PackError, match="rule code LA009 is declared more than once"):
            Pack(name="la", version="1", description="d", rules=(notify_rule(), notify_rule()))

    def test_two_packs_claiming_one_code_are_named(self) -> None:
        a = Pack(name="la-a", version="1", description="d", rules=(notify_rule(),))
        b = Pack(name="la-b", version="1", description="d", rules=(notify_rule(),))
        with pytest.raises(
            PackError, match="rule LA009 is declared by two packs: 'la-a' and 'la-b'"
        ):
            RuleSet.compile(Config(packs=("la-a", "la-b")), packs={"la-a": a, "la-b": b})

    def test_unknown_pack_is_a_config_error(self) -> None:
        with pytest.raises(ConfigError, match="packs: unknown pack 'nope'"):
            RuleSet.compile(Config(packs=("core", "nope")))


class TestEffectiveDating:
    def pack(self, **dates: date) -> Pack:
        rule = notify_rule("LA009", **dates)
        return Pack(name="la", version="1", description="d", rules=(rule,))

    @pytest.mark.parametrize(
        ("dates", "judged"),
        [
            ({}, True),
            ({"effective_from": date(2026, 3, 2)}, True),
            ({"effective_from": date(2026, 3, 3)}, False),
            ({"effective_to": date(2026, 3, 2)}, True),
            ({"effective_to": date(2026, 3, 1)}, False),
        ],
        ids=["always", "from-that-day", "from-next-day", "to-that-day", "to-day-before"],
    )
    def test_incident_is_judged_by_rules_in_force_on_its_date(
        self, dates: dict[str, date], judged: bool
    ) -> None:
        ruleset = RuleSet.compile(Config(packs=("la",)), packs={"la": self.pack(**dates)})
        report = ruleset.evaluate([seclusion_incident()], at=T0 + timedelta(days=3))
        assert bool(report.findings) is judged

    def test_pack_window_and_rule_window_intersect(self) -> None:
        pack = Pack(
            name="la", version="1", description="d",
            rules=(notify_rule(effective_from=date(2026, 1, 1)),),
            effective_to=date(2026, 3, 1),
        )  # fmt: skip
        ruleset = RuleSet.compile(Config(packs=("la",)), packs={"la": pack})
        assert (ruleset.rules[0].effective_from, ruleset.rules[0].effective_to) == (
            date(2026, 1, 1),
            date(2026, 3, 1),
        )
        assert ruleset.evaluate([seclusion_incident()], at=T0 + timedelta(days=3)).findings == ()

    def test_the_local_date_is_london(self) -> None:
        """23:30 UTC on 31 March 2026 is already 1 April in London (BST)."""
        ruleset = RuleSet.compile(
            Config(packs=("la",)), packs={"la": self.pack(effective_from=date(2026, 4, 1))}
        )
        late = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
        incident = seclusion_incident(
            occurred_at=late,
            interventions=(Intervention(kind=InterventionKind.SECLUSION, started_at=late),),
        )
        assert ruleset.evaluate([incident], at=late + timedelta(days=3)).findings != ()


class TestDiscovery:
    def test_builtins_are_always_there(self) -> None:
        builtins = {"core", "england", "governance", "plans"}
        assert set(discover_packs()) >= set(builtin_packs()) == builtins

    def test_a_failing_entry_point_is_named(self) -> None:
        ep = EntryPoint(
            name="broken", value="no_such_module_xyz:PACK", group="trauma_incidents.packs"
        )
        with pytest.raises(PackLoadError) as info:
            load_entry_point(ep)
        assert info.value.display_name == "<unknown distribution>[broken]"
        assert isinstance(info.value.original, ModuleNotFoundError)

    def test_an_entry_point_may_name_a_pack_or_a_factory(self) -> None:
        ep = EntryPoint(name="core", value="trauma_incidents.packs._pack:CORE", group="g")
        assert load_entry_point(ep) is builtin_packs()["core"]
        ep = EntryPoint(name="f", value="trauma_incidents.packs._pack:builtin_packs", group="g")
        with pytest.raises(PackLoadError, match="expected a Pack, got dict"):
            load_entry_point(ep)

    def test_a_file_pack_named_like_a_builtin_is_refused(self, tmp_path: Path) -> None:
        path = write(tmp_path, PACK_TOML.replace('name = "la-example"', 'name = "core"'))
        with pytest.raises(
            PackError, match=r"two packs are named 'core': built in and .*pack.toml"
        ):
            discover_packs(files=[path])


class TestWithRules:
    def test_adding_a_rule_keeps_every_other_field(self, tmp_path: Path) -> None:
        dated = PACK_TOML.replace(
            'prefixes = ["LA"]', 'prefixes = ["LA"]\neffective_from = 2026-04-01'
        )
        declared = load_pack_file(write(tmp_path, dated))
        extra = notify_rule("LA009")
        pack = declared.with_rules(*declared.rules, extra)
        assert pack.rules == (*declared.rules, extra)
        assert pack == declared.with_rules(*pack.rules)
        assert (pack.name, pack.version, pack.prefixes, pack.effective_from) == (
            "la-example", "1.0.0", ("LA",), date(2026, 4, 1),
        )  # fmt: skip

    def test_its_rules_are_checked(self) -> None:
        with pytest.raises(PackError, match="XA009: code must start"):
            builtin_packs()["england"].with_rules(notify_rule("XA009"))


class TestCatalogueDates:
    def pack(self) -> Pack:
        return Pack(
            name="la", version="1", description="d",
            rules=(notify_rule(effective_to=date(2026, 12, 31)), notify_rule("LA010")),
            prefixes=("LA",), effective_from=date(2026, 4, 1),
        )  # fmt: skip

    def test_json_has_pack_and_rule_dates(self) -> None:
        entries = catalogue({"la": self.pack()})
        assert [
            {k: v for k, v in rule_dict(e).items() if "effective" in k} for e in entries
        ] == [
            {"effective_from": None, "effective_to": "2026-12-31",
             "pack_effective_from": "2026-04-01", "pack_effective_to": None},
            {"effective_from": None, "effective_to": None,
             "pack_effective_from": "2026-04-01", "pack_effective_to": None},
        ]  # fmt: skip

    def test_table_explain_and_markdown_say_when_a_rule_is_in_force(self) -> None:
        first, second = catalogue({"la": self.pack()})
        assert first.in_force == "from 2026-04-01 to 2026-12-31"
        assert second.in_force == "from 2026-04-01"
        assert "from 2026-04-01 to 2026-12-31" in rules_table([first]).splitlines()[1]
        assert (
            "In force: from 2026-04-01 to 2026-12-31 (pack from 2026-04-01; rule to 2026-12-31)"
            in explain_text(first)
        )
        assert "in force from 2026-04-01." in rule_markdown(second)
        assert catalogue(builtin_packs())[0].in_force == "always"


@cross_rule(
    RuleMeta(
        code="LA020", name="repeated-seclusion", summary="s", rationale="r", example="e",
        severity=FindingSeverity.HIGH, sources=("local policy",),
        options=(OptionSpec("times", "count", 2, "This many or more."),),
    )
)  # fmt: skip
def repeated_seclusion(
    incidents: Sequence[Incident], _records: object, _at: datetime, options: Mapping[str, Any]
) -> Iterable[tuple[str, Verdict]]:
    """Flag the latest incident of a person secluded *times* or more."""
    secluded = [i for i in incidents if i.interventions[0].kind is InterventionKind.SECLUSION]
    if len(secluded) < options["times"]:
        return ()
    latest = max(secluded, key=lambda i: i.occurred_at)
    return ((latest.id, Verdict(key=None, status=Status.CONCERN, message="Repeated.")),)


@cross_rule(
    RuleMeta(
        code="LA021", name="fails", summary="s", rationale="r", example="e",
        severity=FindingSeverity.LOW, sources=("local policy",),
    )
)  # fmt: skip
def failing_cross(
    _incidents: Sequence[Incident], _records: object, _at: datetime, _options: Mapping[str, Any]
) -> Iterable[tuple[str, Verdict]]:
    """Always fails."""
    raise RuntimeError(PRIVATE)


PRIVATE = "Zq8 text from a failing cross rule"


class TestCrossRulesInPacks:
    PACK = Pack(
        name="la-cross", version="1", description="d",
        rules=(repeated_seclusion, failing_cross), prefixes=("LA",),
    )  # fmt: skip

    def test_they_run_over_the_batch_and_a_failure_is_a_fault(self) -> None:
        ruleset = RuleSet.compile(Config(packs=("la-cross",)), packs={"la-cross": self.PACK})
        two = [seclusion_incident(), seclusion_incident(id="INC-2", occurred_at=T0 + timedelta(1))]
        report = ruleset.evaluate(two, at=T0 + timedelta(days=3))
        assert [(f.rule, f.incident_id, f.status) for f in report.findings] == [
            ("LA020", "INC-2", Status.CONCERN)
        ]
        assert [(f.rule, f.incident_id) for f in report.faults] == [("LA021", "*")]
        assert PRIVATE not in repr(report.faults)

    def test_their_metadata_is_checked(self) -> None:
        bad = attrs.evolve(repeated_seclusion, meta=meta("LA020", name="Not Kebab"))
        with pytest.raises(PackError, match="LA020: name 'Not Kebab' must be kebab-case"):
            Pack(name="x", version="1", description="d", rules=(bad,), prefixes=("LA",))

    def test_scenarios_exercise_them(self, tmp_path: Path) -> None:
        from trauma_incidents.testing import load_scenario, run_checkpoint  # noqa: PLC0415

        pytest.importorskip("yaml")
        path = tmp_path / "cross.scenario.yaml"
        path.write_text(CROSS_SCENARIO)
        scenario = load_scenario(path)
        ruleset = RuleSet.compile(Config(packs=("la-cross",)), packs={"la-cross": self.PACK})
        assert all(run_checkpoint(scenario, c, ruleset).passed for c in scenario.checkpoints)


CROSS_SCENARIO = """\
incidents:
  - {id: INC-1, person_id: P-1, service_id: S-1, occurred_at: "2026-03-02T10:00:00Z",
     categories: [behavioural_distress], severity: low,
     interventions: [{kind: seclusion, started_at: "2026-03-02T10:00:00Z"}]}
  - {id: INC-2, person_id: P-1, service_id: S-1, occurred_at: "2026-03-03T10:00:00Z",
     categories: [behavioural_distress], severity: low,
     interventions: [{kind: seclusion, started_at: "2026-03-03T10:00:00Z"}]}
checkpoints:
  - at: "2026-03-02T12:00:00Z"
    absent: [{rule: LA020}]
  - at: "2026-03-04T12:00:00Z"
    findings: [{rule: LA020, incident: INC-2, status: concern}]
"""
