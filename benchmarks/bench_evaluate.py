"""
Evaluation throughput over model objects (loading excluded).

    python benchmarks/bench_evaluate.py --n 100000

Generates N incidents with benchmarks/synthetic.py (seeded), loads them once, then times
(best of --repeat):

- all default rules (core, england, and plans, which runs only with support plans), on the
  first evaluation of freshly loaded incidents (which works out their derived views) and on
  re-evaluation (views cached, as when a platform re-checks the incidents it holds), then
  re-evaluation with support plans (`plans_for`: four versions for each person, knowing
  every trigger kind);
- the core pack restricted to DB001, DB002 and SG001, against the hand-written baseline in
  benchmarks/baseline.py computing the same decisions (the engine-overhead ratio).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from _results import add_option, save
from baseline import baseline
from synthetic import generate, write
from trauma_incidents import Incident, RuleSet, read_incidents
from trauma_incidents.config import Config
from trauma_incidents.model import TriggerKind
from trauma_incidents.plans import KnownTrigger, SupportPlans
from trauma_incidents.testing import support_plan

AT = datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)
THREE = ("DB001", "DB002", "SG001")


def load(n: int, seed: int) -> list[Incident]:
    """N synthetic incidents, through NDJSON and the loader."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "incidents.ndjson"
        with path.open("wb") as f:
            write(generate(n, seed), f)
        return [r for r in read_incidents(path) if isinstance(r, Incident)]


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The fastest of *repeat* runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def first_evaluation(repeat: int, ruleset: RuleSet, n: int, seed: int) -> float:
    """The fastest of *repeat* evaluations, each of incidents loaded afresh."""
    times = []
    for _ in range(repeat):
        fresh = load(n, seed)
        start = time.perf_counter()
        ruleset.evaluate(fresh, at=AT)
        times.append(time.perf_counter() - start)
    return min(times)


def plans_for(incidents: list[Incident]) -> SupportPlans:
    """Four plan versions, 90 days apart, for each person; each knows every trigger kind."""
    start = min(i.occurred_at for i in incidents)
    people = sorted({i.person_id for i in incidents})
    known = tuple(KnownTrigger(kind=k) for k in TriggerKind)
    return SupportPlans.from_records(
        support_plan(
            id=f"SP-{n}-{v}",
            person_id=p,
            effective_from=start + timedelta(days=90 * v),
            known_triggers=known,
        )
        for n, p in enumerate(people)
        for v in range(4)
    )


def three_rules() -> RuleSet:
    """The core pack with every rule but DB001, DB002 and SG001 switched off."""
    codes = [r.meta.code for r in RuleSet.compile(Config(packs=("core",))).rules]
    off = {c: {"enabled": False} for c in codes if c not in THREE}
    return RuleSet.compile(Config.from_dict({"packs": ["core"], "rules": off}))


def same_decisions(ruleset: RuleSet, incidents: list[Incident]) -> bool:
    """Whether the engine and the baseline agree on every decision."""
    ours = sorted(
        (f.rule, f.incident_id, f.key, f.status.value, f.due_at)
        for f in ruleset.evaluate(incidents, at=AT).findings
    )
    return ours == sorted(baseline(incidents, AT))


def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    add_option(parser)
    args = parser.parse_args()
    incidents = load(args.n, args.seed)
    every, three, plans = RuleSet.compile(), three_rules(), plans_for(incidents)
    assert same_decisions(three, incidents), "engine and baseline disagree"  # noqa: S101
    rows = [
        (
            "all default rules, first evaluation",
            first_evaluation(args.repeat, every, args.n, args.seed),
        ),
        (
            "all default rules, re-evaluation",
            best_of(args.repeat, lambda: every.evaluate(incidents, at=AT)),
        ),
        (
            "default rules + plans, re-evaluation",
            best_of(args.repeat, lambda: every.evaluate(incidents, at=AT, plans=plans)),
        ),
        (
            "DB001, DB002, SG001 (engine)",
            best_of(args.repeat, lambda: three.evaluate(incidents, at=AT)),
        ),
        (
            "DB001, DB002, SG001 (hand-written)",
            best_of(args.repeat, lambda: baseline(incidents, AT)),
        ),
    ]
    print(f"evaluation of {len(incidents):,} incidents at {AT.isoformat()}, best of {args.repeat}")
    print(f"{'rule set':38} {'seconds':>8} {'incidents/s':>12}")
    for name, seconds in rows:
        print(f"{name:38} {seconds:8.3f} {len(incidents) / seconds:12,.0f}")
    print(f"engine overhead (three rules): {rows[3][1] / rows[4][1]:.2f}x the hand-written time")
    rates = [len(incidents) / seconds for _, seconds in rows]
    names = ("first_rate", "again_rate", "plans_rate", "three_rate", "baseline_rate")
    figures = dict(zip(names, rates, strict=True))
    save(args.json, {"n": len(incidents), **figures, "overhead": rows[3][1] / rows[4][1]})


if __name__ == "__main__":
    main()
