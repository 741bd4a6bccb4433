"""Running scenario files without pytest, and their JUnit XML report."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

from attrs import frozen

from trauma_incidents.engine._ruleset import RuleSet
from trauma_incidents.errors import ConfigError, PackError, ScenarioError
from trauma_incidents.testing._scenarios import (
    CheckpointResult,
    check_rules,
    known_rules,
    load_scenario,
    run_checkpoint,
)

#: Name endings of scenario files (the same as the pytest plugin collects).
SUFFIXES = (".scenario.yaml", ".scenario.yml", ".scenario.json")


@frozen
class Case:
    """One checkpoint's result, or a file that could not be run."""

    file: str
    name: str
    seconds: float
    scenario: str = ""
    rules: tuple[str, ...] = ()
    result: CheckpointResult | None = None
    error: str | None = None

    @property
    def passed(self) -> bool:
        """Whether the checkpoint held."""
        return self.result is not None and self.result.passed


def scenario_files(paths: Iterable[str]) -> Iterator[Path]:
    """Scenario files among *paths*, searching folders recursively, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.name.endswith(SUFFIXES))
        else:
            yield path


def run_files(paths: Iterable[str]) -> Iterator[Case]:
    """Run every checkpoint of every scenario file."""
    for path in scenario_files(paths):
        try:
            scenario = load_scenario(path)
            ruleset = RuleSet.compile(scenario.config)
        except (ScenarioError, ConfigError, PackError) as e:
            yield Case(str(path), path.name, 0.0, error=str(e))
            continue
        try:
            check_rules(scenario, ruleset)
        except ScenarioError as e:
            yield Case(str(path), path.name, 0.0, scenario.name, error=str(e))
            continue
        codes = tuple(sorted(known_rules(ruleset)))
        for checkpoint in scenario.checkpoints:
            began = time.perf_counter()
            result = run_checkpoint(scenario, checkpoint, ruleset)
            name = f"{scenario.name}@{checkpoint.id}"
            took = time.perf_counter() - began
            yield Case(str(path), name, took, scenario.name, codes, result=result)


def junit_xml(cases: list[Case]) -> bytes:
    """
    The cases as a JUnit XML document: one suite per file, one case per checkpoint.

    Each case's ``classname`` is its scenario's name; suites and the document carry the
    totals (tests, failures, errors) and the time taken.
    """
    root = ET.Element("testsuites", name="trauma-incidents scenarios")
    suites: dict[str, ET.Element] = {}
    for case in cases:
        suite = suites.get(case.file)
        if suite is None:
            suite = suites[case.file] = ET.SubElement(root, "testsuite", name=case.file)
        element = ET.SubElement(
            suite,
            "testcase",
            classname=case.scenario or case.file,
            name=case.name,
            time=f"{case.seconds:.6f}",
        )
        if case.result is None:  # a case has a result, else an error
            ET.SubElement(element, "error", message="scenario could not be run").text = case.error
        elif not case.result.passed:
            failure = ET.SubElement(element, "failure", message="findings differ")
            failure.text = case.result.explain()
    for element in (*suites.values(), root):
        tests = element.findall(".//testcase")
        element.set("tests", str(len(tests)))
        element.set("failures", str(sum(1 for t in tests if t.find("failure") is not None)))
        element.set("errors", str(sum(1 for t in tests if t.find("error") is not None)))
        element.set("time", f"{sum(float(t.get('time', '0')) for t in tests):.6f}")
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document
