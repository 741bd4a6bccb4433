"""Declarative rules narrow by items' fields, by "not one of", and treat unknown as absent."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import PackError
from trauma_incidents.model import (
    Audience,
    Category,
    Debrief,
    DebriefStatus,
    InjuredParty,
    Injury,
    InjurySeverity,
    LegalBasis,
    Position,
    Recipient,
    Severity,
)
from trauma_incidents.packs import load_pack_file
from trauma_incidents.rules import DeadlineRule, NotificationMatch
from trauma_incidents.testing import T0, hours, incident, notification, restraint, staff_debrief

HEAD = """\
[pack]
name = "narrow"
version = "1"
description = "d"
prefixes = ["NA"]
"""

META = """\
name = "{name}"
summary = "s"
rationale = "r"
example = "e"
severity = "high"
sources = ["local policy"]
"""

PRONE_DEBRIEF = (
    HEAD
    + """
[[rules]]
code = "NA001"
shape = "deadline"
"""
    + META.format(name="prone-restraint-debrief")
    + """\
within = "12h"
anchor = "restrictive_intervention_end"
obligation = "A staff debrief not cancelled"
[rules.when.items]
collection = "interventions"
where = { kind = ["physical_restraint"], position = ["prone", "supine"] }
[rules.evidence]
kind = "item"
collection = "debriefs"
where = { audience = ["staff"], status = { not = ["declined", "deferred"] } }

[[rules]]
code = "NA002"
shape = "required"
"""
    + META.format(name="legal-basis-recorded")
    + """\
fields = ["legal_basis"]
what = "The restraint record"
unknown_is_absent = true
[rules.items]
collection = "interventions"
where = { restrictive = [true] }

[[rules]]
code = "NA003"
shape = "concern"
"""
    + META.format(name="restraint-outside-plan")
    + """\
message = "A restrictive intervention not in the support plan."
[rules.items]
collection = "interventions"
where = { restrictive = [true], in_support_plan = { not = [true] } }
"""
)


@pytest.fixture
def ruleset(tmp_path: Path) -> RuleSet:
    path = tmp_path / "narrow.toml"
    path.write_text(PRONE_DEBRIEF)
    return RuleSet.compile(Config(packs=("narrow",), pack_files=(str(path),)))


def codes(ruleset: RuleSet, inc: object, at: datetime) -> list[tuple[str, str, str | None]]:
    report = ruleset.evaluate([inc], at=at)  # type: ignore[list-item]
    return [(f.rule, f.status.value, f.key) for f in report.findings]


class TestWhenItems:
    def test_applies_only_to_the_named_kind_and_position(self, ruleset: RuleSet) -> None:
        at = T0 + hours(20)
        prone = incident(interventions=(restraint(position=Position.PRONE),))
        seated = incident(interventions=(restraint(position=Position.SEATED),))
        assert ("NA001", "overdue", None) in codes(ruleset, prone, at)
        assert "NA001" not in [c for c, _, _ in codes(ruleset, seated, at)]


class TestItemEvidence:
    @pytest.mark.parametrize(
        ("status", "met"),
        [
            (DebriefStatus.HELD, True),
            (DebriefStatus.OFFERED, True),
            (DebriefStatus.DECLINED, False),
        ],
    )
    def test_not_one_of_excludes_those_values(
        self, ruleset: RuleSet, status: DebriefStatus, *, met: bool
    ) -> None:
        debrief = staff_debrief(T0 + hours(2), status=status)
        inc = incident(interventions=(restraint(position=Position.PRONE),), debriefs=(debrief,))
        found = [c for c, _, _ in codes(ruleset, inc, T0 + hours(20))]
        assert ("NA001" not in found) is met

    def test_the_audience_is_read_too(self, ruleset: RuleSet) -> None:
        debrief = Debrief(audience=Audience.PERSON, status=DebriefStatus.HELD, at=T0 + hours(2))
        inc = incident(interventions=(restraint(position=Position.PRONE),), debriefs=(debrief,))
        assert "NA001" in [c for c, _, _ in codes(ruleset, inc, T0 + hours(20))]


class TestUnknownIsAbsent:
    @pytest.mark.parametrize(
        ("basis", "flagged"),
        [(None, True), (LegalBasis.NOT_RECORDED, True), (LegalBasis.MCA_BEST_INTERESTS, False)],
    )
    def test_not_recorded_counts_as_absent_when_asked(
        self, ruleset: RuleSet, basis: LegalBasis | None, *, flagged: bool
    ) -> None:
        inc = incident(interventions=(restraint(legal_basis=basis),))
        assert (("NA002", "missing", "0") in codes(ruleset, inc, T0 + hours(2))) is flagged


class TestNotOneOfBooleans:
    @pytest.mark.parametrize(("plan", "flagged"), [(True, False), (False, True), (None, True)])
    def test_an_unrecorded_value_passes_not_one_of(
        self, ruleset: RuleSet, plan: bool | None, *, flagged: bool
    ) -> None:
        inc = incident(interventions=(restraint(in_support_plan=plan),))
        assert (("NA003", "concern", "0") in codes(ruleset, inc, T0 + hours(2))) is flagged


def test_a_bad_not_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(PRONE_DEBRIEF.replace('not = ["declined", "deferred"]', 'nott = ["declined"]'))
    with pytest.raises(PackError) as info:
        load_pack_file(path)
    assert any("status.nott: unknown key; did you mean 'not'?" in p for p in info.value.problems)


def test_the_durable_backend_leaves_these_rules_to_python(ruleset: RuleSet) -> None:
    from trauma_incidents.backends._compile import compile_rule  # noqa: PLC0415

    compiled = {r.meta.code: compile_rule(r) for r in ruleset.rules}
    assert compiled["NA001"] is None
    assert compiled["NA003"] is None
    assert compiled["NA002"] is not None


NOT_ONE_OF = (
    HEAD
    + """
[[rules]]
code = "NA004"
shape = "deadline"
"""
    + META.format(name="someone-told")
    + """\
within = "24h"
anchor = "occurred"
obligation = "A notification to someone other than CQC"
[rules.when]
categories = { not = ["fall"] }
severities = { not = ["no_harm"] }
injury = { who = { not = ["staff"] } }
[rules.evidence]
kind = "notification"
recipients = { not = ["cqc"] }
"""
)


class TestNotOneOfInWhenAndEvidence:
    """``{ not = [...] }`` narrows `when` tables and deadline evidence too."""

    @pytest.fixture
    def not_ruleset(self, tmp_path: Path) -> RuleSet:
        path = tmp_path / "not.toml"
        path.write_text(NOT_ONE_OF)
        return RuleSet.compile(Config(packs=("narrow",), pack_files=(str(path),)))

    def test_the_sets_are_every_other_value(self, not_ruleset: RuleSet) -> None:
        rule = not_ruleset.rules[0].rule
        assert isinstance(rule, DeadlineRule)
        (when,) = rule.when
        assert when.categories == frozenset(Category) - {Category.FALL}
        assert when.severities == frozenset(Severity) - {Severity.NO_HARM}
        assert when.injury is not None
        assert when.injury.who == frozenset(InjuredParty) - {InjuredParty.STAFF}
        assert isinstance(rule.evidence, NotificationMatch)
        assert rule.evidence.recipients == frozenset(Recipient) - {Recipient.CQC}

    @pytest.mark.parametrize(
        ("changes", "found"),
        [
            ({}, "overdue"),
            ({"categories": (Category.FALL,)}, None),
            ({"severity": Severity.NO_HARM}, None),
            ({"injuries": (Injury(who=InjuredParty.STAFF, severity=InjurySeverity.MINOR),)}, None),
            ({"notifications": (notification(Recipient.CQC, T0 + hours(1)),)}, "overdue"),
            ({"notifications": (notification(Recipient.GP, T0 + hours(1)),)}, None),
        ],
    )
    def test_applies_and_is_met_by_other_values(
        self, not_ruleset: RuleSet, changes: dict[str, object], found: str | None
    ) -> None:
        person = Injury(who=InjuredParty.PERSON, severity=InjurySeverity.MINOR)
        base = {"injuries": (person,), **changes}
        inc = incident(**base)
        statuses = [s for c, s, _ in codes(not_ruleset, inc, T0 + hours(30)) if c == "NA004"]
        assert statuses == ([found] if found else [])

    def test_not_every_value_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "none.toml"
        everything = ", ".join(f'"{s.value}"' for s in Severity)
        path.write_text(NOT_ONE_OF.replace('not = ["no_harm"]', f"not = [{everything}]"))
        with pytest.raises(PackError) as info:
            load_pack_file(path)
        assert any("severities.not: leaves no value" in p for p in info.value.problems)
