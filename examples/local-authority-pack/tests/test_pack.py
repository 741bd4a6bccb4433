"""The example pack loads through its entry point and its rules are well formed."""

from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet
from trauma_incidents.model import Recipient
from trauma_incidents.packs import discover_packs


def test_the_pack_is_discovered_with_all_its_rules() -> None:
    pack = discover_packs()["la-example"]
    assert [r.meta.code for r in pack.rules] == ["LA001", "LA002", "LA003", "LA004"]


def test_its_cross_incident_rule_runs_over_the_batch() -> None:
    ruleset = RuleSet.compile(Config(packs=("la-example",)))
    assert [r.meta.code for r in ruleset.cross] == ["LA004"]


def test_it_adds_a_recipient_only_while_enabled() -> None:
    enabled = RuleSet.compile(Config(packs=("core", "la-example")))
    assert enabled.vocabularies == {Recipient: frozenset({"safeguarding_hub"})}
    assert RuleSet.compile(Config(packs=("core",))).vocabularies == {}


def test_its_threshold_option_is_configurable() -> None:
    config = Config.from_dict({"packs": ["la-example"], "rules": {"LA003": {"threshold": 5}}})
    assert RuleSet.compile(config).rules[2].options["threshold"] == 5
