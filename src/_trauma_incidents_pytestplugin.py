"""
pytest plugin for trauma-incidents: golden scenario files and evaluation fixtures.

Registered under the ``pytest11`` entry point. It imports the library only when a scenario
file is collected or a fixture is used, so installing the library costs a test run nothing.

- Files named ``*.scenario.yaml``, ``*.scenario.yml`` or ``*.scenario.json`` are collected;
  each checkpoint is one test item, and a failure prints expected against actual findings.
- Fixtures: ``trauma_config`` (override it to test your configuration), ``trauma_at`` (the
  time to evaluate at: set it with ``@pytest.mark.trauma_at("2026-03-04T10:00:00Z")`` or
  override it), ``trauma_ruleset`` and ``trauma_evaluate``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from trauma_incidents.config import Config
    from trauma_incidents.engine import Report, RuleSet
    from trauma_incidents.testing._scenarios import Checkpoint, CheckpointResult, Scenario

#: Name endings of scenario files the plugin collects.
SCENARIO_SUFFIXES = (".scenario.yaml", ".scenario.yml", ".scenario.json")
#: Marker on every scenario item.
SCENARIO_MARKER = "trauma_scenario"
#: Marker setting the evaluation time for ``trauma_at``.
AT_MARKER = "trauma_at"
#: Command-line option that turns scenario collection off.
NO_SCENARIOS_OPTION = "--no-trauma-scenarios"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the plugin's option."""
    group = parser.getgroup("trauma-incidents")
    group.addoption(
        NO_SCENARIOS_OPTION,
        action="store_true",
        default=False,
        help="do not collect trauma-incidents scenario files",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the plugin's markers."""
    config.addinivalue_line("markers", f"{SCENARIO_MARKER}: a trauma-incidents scenario checkpoint")
    config.addinivalue_line(
        "markers", f"{AT_MARKER}(iso): the time trauma_evaluate evaluates at, with an offset"
    )


def pytest_collect_file(file_path: Any, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect scenario files."""
    if file_path.name.endswith(SCENARIO_SUFFIXES) and not parent.config.getoption(
        NO_SCENARIOS_OPTION
    ):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFailedError(Exception):
    """A checkpoint's findings differ from what the scenario expects."""

    def __init__(self, outcome: CheckpointResult) -> None:
        super().__init__(outcome.explain())
        self.outcome = outcome


class ScenarioFile(pytest.File):
    """A scenario file: one item per checkpoint."""

    def collect(self) -> Iterable[pytest.Item]:
        """Load the scenario and compile its configuration once."""
        from trauma_incidents.engine import RuleSet  # noqa: PLC0415 (lazy)
        from trauma_incidents.testing._scenarios import (  # noqa: PLC0415 (lazy)
            check_rules,
            load_scenario,
        )

        scenario = load_scenario(self.path)
        ruleset = RuleSet.compile(scenario.config)
        check_rules(scenario, ruleset)
        for checkpoint in scenario.checkpoints:
            item = CheckpointItem.from_parent(
                self,
                name=f"{scenario.name}@{checkpoint.id}",
                scenario=scenario,
                checkpoint=checkpoint,
                ruleset=ruleset,
            )
            item.add_marker(SCENARIO_MARKER)
            yield item


class CheckpointItem(pytest.Item):
    """One checkpoint of a scenario."""

    def __init__(
        self, *, scenario: Scenario, checkpoint: Checkpoint, ruleset: RuleSet, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.checkpoint = checkpoint
        self.ruleset = ruleset

    def runtest(self) -> None:
        """Evaluate at the checkpoint and compare."""
        from trauma_incidents.testing._scenarios import run_checkpoint  # noqa: PLC0415 (lazy)

        outcome = run_checkpoint(self.scenario, self.checkpoint, self.ruleset)
        if not outcome.passed:
            raise ScenarioFailedError(outcome)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        """Show the diff for a scenario failure; anything else as pytest would."""
        if isinstance(excinfo.value, ScenarioFailedError):
            return excinfo.value.outcome.explain()
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        """Where the item comes from."""
        return self.path, None, f"scenario {self.name}"


@pytest.fixture
def trauma_config() -> Config:
    """The configuration trauma_ruleset compiles: the defaults; override it in a conftest."""
    from trauma_incidents.config import Config  # noqa: PLC0415 (lazy)

    return Config()


@pytest.fixture
def trauma_ruleset(trauma_config: Config) -> RuleSet:
    """trauma_config compiled once for the test."""
    from trauma_incidents.engine import RuleSet  # noqa: PLC0415 (lazy)

    return RuleSet.compile(trauma_config)


@pytest.fixture
def trauma_at(request: pytest.FixtureRequest) -> datetime:
    """The time to evaluate at, from the ``trauma_at`` marker (override it to fix one time)."""
    from trauma_incidents.loading._iso8601 import parse_datetime  # noqa: PLC0415 (lazy)

    marker = request.node.get_closest_marker(AT_MARKER)
    if marker is None or not marker.args:
        example = "2026-03-04T10:00:00Z"
        msg = f"set the time with @pytest.mark.{AT_MARKER}({example!r}) or override trauma_at"
        raise pytest.UsageError(msg)
    return parse_datetime(str(marker.args[0]))


@pytest.fixture
def trauma_evaluate(
    trauma_ruleset: RuleSet, request: pytest.FixtureRequest
) -> Callable[..., Report]:
    """A function evaluating incidents with trauma_ruleset, at trauma_at unless given ``at``."""

    def evaluate(incidents: Iterable[Any], *, at: datetime | None = None) -> Report:
        when = at if at is not None else request.getfixturevalue("trauma_at")
        return trauma_ruleset.evaluate(list(incidents), at=when)

    return evaluate
