"""The example pack loads through its entry point and its rules are well formed."""

from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet
from trauma_incidents.packs import discover_packs


def test_the_pack_is_discovered_with_all_its_rules() -> None:
    pack = discover_packs()["la-example"]
    assert [r.meta.code for r in pack.rules] == ["LA001", "LA002", "LA003"]


def test_its_threshold_option_is_configurable() -> None:
    config = Config.from_dict({"packs": ["la-example"], "rules": {"LA003": {"threshold": 5}}})
    assert RuleSet.compile(config).rules[2].options["threshold"] == 5
