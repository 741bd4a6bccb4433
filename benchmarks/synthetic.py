"""
Seeded, deterministic synthetic incidents: the bundled sample, and any number for benchmarks.

Run ``trauma-incidents generate --n 100000 --seed 1 > x.ndjson`` for benchmark data (the
generator lives in the package, `trauma_incidents.testing.synthetic_incidents`; this script
calls it too), or ``python benchmarks/synthetic.py --sample`` to rewrite
``src/trauma_incidents/data/sample_incidents.ndjson``, the support plans of its ten people,
``sample_support_plans.ndjson`` (``_sample_plans.py``), and the outcome records of five of
them, ``sample_outcomes.ndjson`` (``_sample_outcomes.py``). Everything is invented: ids are
pseudonyms (``P-014``, ``ST-203``) and the narratives are short and generic. Records are
built as model objects and written with `trauma_incidents.loading.dumps`, so every line
loads back.

The sample holds three small series (the situations the library exists for, in
``_sample_scenarios.py``), a few hand-written incidents that show particular rules
(``_showcase.py``), and seeded ordinary ones (``_ordinary.py``):

- ``INC-A*`` (P-014): distress on a crowded outing, a reflective review, quieter outings.
- ``INC-B*`` (P-022): a physical intervention to prevent self-harm, debriefs, plan change.
- ``INC-C*`` (P-031): distress during a safeguarding enquiry, eased by explaining each stage.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import orjson

from _sample_outcomes import sample_outcomes
from _sample_plans import sample_plans
from _sample_scenarios import enquiry, outings, self_harm
from _showcase import showcase
from trauma_incidents.loading import dumps
from trauma_incidents.loading._converter import make_converter
from trauma_incidents.model import Incident
from trauma_incidents.outcomes import Activity
from trauma_incidents.testing import synthetic_incidents
from trauma_incidents.testing._ordinary import Ordinary
from trauma_incidents.testing._synthetic_parts import PEOPLE, UTC

DATA = Path(__file__).parent.parent / "src" / "trauma_incidents" / "data"
SAMPLE = DATA / "sample_incidents.ndjson"
SAMPLE_PLANS = DATA / "sample_support_plans.ndjson"
SAMPLE_OUTCOMES = DATA / "sample_outcomes.ndjson"


def build_sample(seed: int = 2026) -> list[Incident]:
    """The bundled sample: the three series, the showcase and seeded ordinary incidents."""
    rng = random.Random(seed)
    ordinary = Ordinary(rng, PEOPLE, datetime(2026, 1, 5, tzinfo=UTC), days=115)
    special = [*outings(), *self_harm(), *enquiry(), *showcase()]
    extra = [ordinary.next(f"{n:03d}") for n in range(1, 61)]
    return sorted([*special, *extra], key=lambda i: (i.occurred_at, i.id))


def generate(n: int, seed: int) -> Iterator[Incident]:
    """*n* varied incidents for benchmarks: `trauma_incidents.testing.synthetic_incidents`."""
    return synthetic_incidents(n, seed)


def write_outcomes(incidents: list[Incident], out: BinaryIO) -> int:
    """Write the sample's outcome records as NDJSON (each with its record_type); return how many."""
    converter = make_converter()
    records = sample_outcomes(incidents)
    for record in records:
        kind = "activity" if isinstance(record, Activity) else "wellbeing_check"
        out.write(orjson.dumps({"record_type": kind, **converter.unstructure(record)}) + b"\n")
    return len(records)


def write(incidents: Iterable[Incident], out: BinaryIO) -> int:
    """Write *incidents* as NDJSON to the binary file *out*; return how many."""
    count = 0
    for incident in incidents:
        out.write(dumps(incident) + b"\n")
        count += 1
    return count


def write_plans(out: BinaryIO) -> int:
    """Write the sample's support plans as NDJSON to *out*; return how many."""
    converter = make_converter()
    plans = sample_plans()
    out.writelines(orjson.dumps(converter.unstructure(plan)) + b"\n" for plan in plans)
    return len(plans)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate synthetic incidents (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="how many incidents (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, help="output file (default: standard output)")
    parser.add_argument("--sample", action="store_true", help="rewrite the bundled sample file")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    if args.sample:
        sample = build_sample()
        with SAMPLE.open("wb") as f:
            count = write(sample, f)
        with SAMPLE_PLANS.open("wb") as f:
            plans = write_plans(f)
        with SAMPLE_OUTCOMES.open("wb") as f:
            outcomes = write_outcomes(sample, f)
        target = (
            f"{SAMPLE} (and {plans} support plans to {SAMPLE_PLANS.name},"
            f" {outcomes} outcome records to {SAMPLE_OUTCOMES.name})"
        )
    elif args.out is not None:
        with args.out.open("wb") as f:
            count = write(generate(args.n, args.seed), f)
        target = str(args.out)
    else:
        count = write(generate(args.n, args.seed), sys.stdout.buffer)
        target = "<stdout>"
    print(f"{count} incidents to {target} in {time.perf_counter() - began:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
