"""What the monitor's tests share: rules, backends, fresh evaluations and clocks to tick at."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import cache

import pytest
from hypothesis import strategies as st

from trauma_incidents.backends.durable import available
from trauma_incidents.config import Config, Waiver
from trauma_incidents.engine import RuleSet
from trauma_incidents.model import Incident
from trauma_incidents.monitor._index import TICK, recorded_times
from trauma_incidents.rules import Finding
from trauma_incidents.strategies import incidents
from trauma_incidents.testing import T0

RULES = RuleSet.compile(Config())
BACKENDS = [
    "python",
    pytest.param(
        "durable",
        marks=pytest.mark.skipif(not available(), reason="durable-rules cannot be imported here"),
    ),
]
START = T0 - timedelta(days=8)
BATCHES = st.lists(incidents(around=T0), min_size=1, max_size=3, unique_by=lambda i: i.id)
#: Rules that often have something to say, for waivers to set aside.
WAIVABLE = ("DB001", "DB002", "RI005", "LN002", "NT001")


def fresh(batch: list[Incident], at: datetime, rules: RuleSet = RULES) -> dict[str, Finding]:
    """The findings of a fresh evaluation, by id."""
    return {f.id: f for f in rules.evaluate(batch, at=at).findings}


def turning_points(batch: list[Incident], rules: RuleSet) -> list[datetime]:
    """Every time at which, or just after which, a finding can change: and either side."""
    points = {t for i in batch for t in recorded_times(i)}
    points |= {w.expires for w in rules.waivers if w.expires is not None}
    for at in sorted(points):
        points |= {f.due_at for f in rules.evaluate(batch, at=at).findings if f.due_at}
    return sorted({p + d for p in points for d in (-TICK, timedelta(0), TICK)})


@st.composite
def rules_for(draw: st.DrawFn, batch: list[Incident]) -> RuleSet:
    """The default rules, with up to two waivers about *batch* that expire around T0."""
    waivers = draw(
        st.lists(
            st.builds(
                Waiver,
                reason=st.just("Agreed at review"),
                rule=st.sampled_from(WAIVABLE),
                incident_id=st.sampled_from([i.id for i in batch]),
                expires=st.none()
                | st.datetimes(
                    min_value=(T0 - timedelta(days=2)).replace(tzinfo=None),
                    max_value=(T0 + timedelta(days=10)).replace(tzinfo=None),
                    timezones=st.just(timezone.utc),
                ),
            ),
            max_size=2,
        )
    )
    return _with_waivers(tuple(waivers))


@cache
def _with_waivers(waivers: tuple[Waiver, ...]) -> RuleSet:
    return RuleSet.compile(Config(waivers=waivers)) if waivers else RULES


@st.composite
def clocks(draw: st.DrawFn, batch: list[Incident], rules: RuleSet) -> list[datetime]:
    """Times to advance to, in order: mostly the batch's own turning points, some between."""
    points = [p for p in turning_points(batch, rules) if p >= START]
    near = st.sampled_from(points) if points else st.nothing()
    between = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)).map(
        lambda d: START + d
    )
    return sorted(draw(st.lists(near | between, min_size=1, max_size=8)))
