"""Names that moved keep working for one release, each with a deprecation warning."""

from __future__ import annotations

import importlib
import warnings

import pytest

import trauma_incidents
from trauma_incidents.errors import TraumaIncidentsDeprecationWarning

#: (old module, old name, new module, new name): every public name that moved in 0.2.
MOVED = [
    ("trauma_incidents.rules", "CompiledRule", "trauma_incidents.engine", "CompiledRule"),
    ("trauma_incidents.rules", "Pack", "trauma_incidents.packs", "Pack"),
    ("trauma_incidents.rules", "Report", "trauma_incidents.engine", "Report"),
    ("trauma_incidents.rules", "RuleFault", "trauma_incidents.engine", "RuleFault"),
    ("trauma_incidents.rules", "RuleSet", "trauma_incidents.engine", "RuleSet"),
    ("trauma_incidents.rules", "WaivedFinding", "trauma_incidents.engine", "WaivedFinding"),
    ("trauma_incidents.rules", "builtin_packs", "trauma_incidents.packs", "builtin_packs"),
    ("trauma_incidents.rules", "evaluate", "trauma_incidents.engine", "evaluate"),
    (
        "trauma_incidents.backends",
        "BackendUnavailableError",
        "trauma_incidents.errors",
        "BackendUnavailableError",
    ),
    ("trauma_incidents.testing", "ScenarioError", "trauma_incidents.errors", "ScenarioError"),
    ("trauma_incidents.loading", "RecordError", "trauma_incidents.loading", "BadRecord"),
    ("trauma_incidents.governance", "RecordError", "trauma_incidents.loading", "BadRecord"),
]


@pytest.mark.parametrize(("old", "name", "new", "new_name"), MOVED)
def test_old_name_warns_and_is_the_new_object(old: str, name: str, new: str, new_name: str) -> None:
    module = importlib.import_module(old)
    with pytest.warns(TraumaIncidentsDeprecationWarning, match=rf"{old}\.{name} is deprecated"):
        value = getattr(module, name)
    assert value is getattr(importlib.import_module(new), new_name)


@pytest.mark.parametrize(("old", "name", "new", "new_name"), MOVED)
def test_from_import_of_old_name_still_works(old: str, name: str, new: str, new_name: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        namespace: dict[str, object] = {}
        exec(f"from {old} import {name} as value", namespace)  # noqa: S102 (our own fixed text)
    assert namespace["value"] is getattr(importlib.import_module(new), new_name)
    # ``from ... import`` looks the name up twice (hasattr, then getattr); Python's default
    # filter shows a warning once per place, and each points at the importing code.
    assert caught
    assert {w.category for w in caught} == {TraumaIncidentsDeprecationWarning}
    assert {w.filename for w in caught} == {"<string>"}


def test_unknown_names_still_raise_attribute_error() -> None:
    import trauma_incidents.rules  # noqa: PLC0415

    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = trauma_incidents.rules.Nope


def test_evaluate_config_keyword_is_deprecated_and_still_works() -> None:
    from trauma_incidents.testing import T0, hours, incident, restraint  # noqa: PLC0415

    inc = incident(interventions=(restraint(),))
    with pytest.warns(TraumaIncidentsDeprecationWarning, match=r"evaluate\(rules=\.\.\.\)"):
        old = trauma_incidents.evaluate([inc], at=T0 + hours(30), config=trauma_incidents.Config())
    new = trauma_incidents.evaluate([inc], at=T0 + hours(30), rules=trauma_incidents.Config())
    assert old.findings == new.findings
    assert old.findings  # the restraint leaves obligations, so the comparison means something


def test_default_rules_are_compiled_once() -> None:
    from trauma_incidents.engine import _ruleset  # noqa: PLC0415

    _ruleset.default_ruleset.cache_clear()
    trauma_incidents.evaluate([], at=trauma_incidents.testing.T0)
    trauma_incidents.evaluate([], at=trauma_incidents.testing.T0)
    assert _ruleset.default_ruleset.cache_info().misses == 1
