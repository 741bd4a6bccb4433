"""The monitor with its backend in a child process: same events; a crash spares the host."""

from __future__ import annotations

import gc
import signal
import sys
import textwrap
from datetime import datetime
from importlib.resources import files
from pathlib import Path

import pytest

from trauma_incidents import Incident, read_incidents
from trauma_incidents.backends.durable import available
from trauma_incidents.config import Config
from trauma_incidents.engine import RuleFault, RuleSet
from trauma_incidents.errors import (
    BackendCrashedError,
    InvalidArgument,
)
from trauma_incidents.monitor import Event, Monitor
from trauma_incidents.packs import Pack, builtin_packs
from trauma_incidents.rules import FindingSeverity, RuleMeta, Verdict, rule
from trauma_incidents.testing import T0, days, hours, incident, restraint

BACKENDS = [
    "python",
    pytest.param(
        "durable",
        marks=pytest.mark.skipif(not available(), reason="durable-rules cannot be imported here"),
    ),
]
SAMPLE = str(files("trauma_incidents") / "data" / "sample_incidents.ndjson")
START = datetime.fromisoformat("2026-03-01T00:00:00+00:00")

#: A pack whose rule ends its process (as a crash in native code would) on one incident.
CRASHING = """
import os
from trauma_incidents.packs import Pack
from trauma_incidents.rules import FindingSeverity, RuleMeta, rule

META = RuleMeta(
    code="XC001", name="test-crash", summary="A test rule.", rationale="Ends its process.",
    example="None.", severity=FindingSeverity.LOW, sources=("local policy",),
)

@rule(META)
def crash(incident, at, options):
    if incident.id == "INC-CRASH":
        os.abort()
    return ()

PACK = Pack(name="crash", version="1.0.0", description="Test.", prefixes=("XC",), rules=(crash,))
"""


def _monitor_events(ruleset: RuleSet, backend: str, *, isolate: bool) -> list[Event]:
    events: list[Event] = []
    incidents = [r for r in read_incidents(SAMPLE) if isinstance(r, Incident)]
    with Monitor(
        ruleset, at=START, backend=backend, on_event=events.append, isolate=isolate
    ) as monitor:
        for inc in incidents:
            monitor.upsert(inc)
        monitor.advance(START + days(60))
    return events


@pytest.mark.parametrize("backend", BACKENDS)
def test_isolated_monitor_emits_the_same_events(backend: str) -> None:
    """On the bundled sample, the isolated monitor's events are the in-process ones."""
    ruleset = RuleSet.compile()

    isolated = _monitor_events(ruleset, backend, isolate=True)

    assert isolated == _monitor_events(ruleset, backend, isolate=False)
    assert len(isolated) > 20


@pytest.fixture
def crashing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Pack:
    """The crashing pack, importable here and in the child (which gets this sys.path)."""
    (tmp_path / "crashing_pack.py").write_text(textwrap.dedent(CRASHING))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "crashing_pack", raising=False)
    from crashing_pack import PACK  # type: ignore[import-not-found]  # noqa: PLC0415

    assert isinstance(PACK, Pack)
    return PACK


def _ruleset(pack: Pack, *, strict: bool = False) -> RuleSet:
    config = Config(packs=("core", "crash"), strict=strict)
    return RuleSet.compile(config, packs={**builtin_packs(), "crash": pack})


def test_a_crash_is_a_fault_and_the_next_incident_runs(
    crashing: Pack, capfd: pytest.CaptureFixture[str]
) -> None:
    """The child's crash faults that incident's rules; a fresh child checks the next one."""
    ruleset = _ruleset(crashing)
    crash = incident(id="INC-CRASH", interventions=(restraint(),))
    fine = incident(id="INC-FINE", interventions=(restraint(),))

    with Monitor(ruleset, at=T0 + hours(1), isolate=True) as monitor:
        assert monitor.upsert(crash).events == ()
        events = monitor.upsert(fine).events

        codes = [r.meta.code for r in ruleset.rules]
        crashed = {RuleFault(c, "INC-CRASH", "BackendCrashedError") for c in codes}
        assert set(monitor.faults) == crashed
        assert {e.finding_id for e in events} == {
            f.id for f in ruleset.evaluate([fine], at=T0 + hours(1)).findings
        }
    assert "Fatal Python error: Aborted" in capfd.readouterr().err
    gc.collect()  # the dead child's pipes were closed: nothing is left to warn here


def test_a_crash_in_strict_mode_raises(crashing: Pack) -> None:
    """Strict mode raises BackendCrashedError, naming the incident and the signal."""
    crash = incident(id="INC-CRASH")

    with (
        Monitor(_ruleset(crashing, strict=True), at=T0, isolate=True) as monitor,
        pytest.raises(BackendCrashedError, match="INC-CRASH") as e,
    ):
        monitor.upsert(crash)

    assert e.value.exitcode == -signal.SIGABRT
    assert e.value.incident_id == "INC-CRASH"


def test_errors_in_the_child_are_raised_here() -> None:
    """An unknown backend (found in the child) raises InvalidArgument here."""
    with pytest.raises(InvalidArgument, match="python, durable"):
        Monitor(RuleSet.compile(), at=T0, backend="rete", isolate=True)


def test_a_rule_set_that_does_not_pickle_is_refused() -> None:
    """Rules defined in a function cannot reach the child: said at once."""
    meta = RuleMeta(
        code="XL001",
        name="test-local",
        summary="A test rule.",
        rationale="Defined in a function.",
        example="None.",
        severity=FindingSeverity.LOW,
        sources=("local policy",),
    )

    @rule(meta)
    def local(_incident: Incident, _at: datetime, _options: object) -> tuple[Verdict, ...]:
        return ()

    pack = Pack(name="local", version="1.0.0", description="T.", prefixes=("XL",), rules=(local,))
    ruleset = RuleSet.compile(Config(packs=("local",)), packs={"local": pack})

    with pytest.raises(InvalidArgument, match="pickles"):
        Monitor(ruleset, at=T0, isolate=True)


def test_a_closed_isolated_monitor_refuses() -> None:
    """After close, the child is gone and checking says so."""
    monitor = Monitor(RuleSet.compile(), at=T0, isolate=True)
    monitor.close()

    with pytest.raises(InvalidArgument, match="closed"):
        monitor.upsert(incident())
