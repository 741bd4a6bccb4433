"""Restrictive episodes: grouping, keys, what is recorded by a time, and what is still going on."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import ConfigError
from trauma_incidents.model import Category, Incident
from trauma_incidents.packs import Pack
from trauma_incidents.rules import FindingSeverity, RuleMeta, Verdict, rule
from trauma_incidents.rules._episodes import EPISODE_GAP, Episode, restrictive_episodes

from .builders import HOUR, MINUTE, T0, incident, restraint, support

GAP = HOUR
LATER = T0 + 30 * 24 * HOUR


def with_restraints(*restraints: Any) -> Incident:
    return incident(categories=(Category.BEHAVIOURAL_DISTRESS,), interventions=restraints)


def test_an_incident_without_restriction_has_no_episode() -> None:
    assert restrictive_episodes(incident(interventions=(support(),)), LATER, GAP) == ()


def test_close_interventions_are_one_episode_ending_at_the_latest_end() -> None:
    first = restraint(started_at=T0, ended_at=T0 + 10 * MINUTE)
    second = restraint(started_at=T0 + 70 * MINUTE, ended_at=T0 + 75 * MINUTE)
    (episode,) = restrictive_episodes(with_restraints(first, second), LATER, GAP)
    assert episode == Episode(T0, T0 + 75 * MINUTE, "0", (0, 1), ongoing=False)


def test_an_intervention_after_the_gap_opens_a_new_episode_keyed_by_its_index() -> None:
    first = restraint(started_at=T0, ended_at=T0 + 10 * MINUTE)
    second = restraint(started_at=T0 + 71 * MINUTE, ended_at=T0 + 75 * MINUTE)
    episodes = restrictive_episodes(with_restraints(first, second), LATER, GAP)
    assert [(e.key, e.indices, e.end) for e in episodes] == [
        ("0", (0,), T0 + 10 * MINUTE),
        ("1", (1,), T0 + 75 * MINUTE),
    ]


def test_episodes_follow_start_order_not_array_order() -> None:
    late = restraint(started_at=T0 + 5 * HOUR, ended_at=T0 + 5 * HOUR + MINUTE)
    early = restraint(started_at=T0, ended_at=T0 + MINUTE)
    episodes = restrictive_episodes(with_restraints(late, support(), early), LATER, GAP)
    assert [e.key for e in episodes] == ["2", "0"]


def test_missing_times_fall_back_to_the_other_end_then_the_incident() -> None:
    ended_only = restraint(started_at=None, ended_at=T0 + 3 * HOUR)
    undated = restraint(started_at=None, ended_at=None)
    episodes = restrictive_episodes(with_restraints(ended_only, undated), LATER, GAP)
    assert [(e.start, e.end, e.key) for e in episodes] == [
        (T0, T0, "1"),
        (T0 + 3 * HOUR, T0 + 3 * HOUR, "0"),
    ]


def test_only_interventions_started_by_the_time_count() -> None:
    first = restraint(started_at=T0, ended_at=T0 + MINUTE)
    future = restraint(started_at=T0 + 5 * HOUR, ended_at=T0 + 6 * HOUR)
    episodes = restrictive_episodes(with_restraints(first, future), T0 + 2 * HOUR, GAP)
    assert [e.key for e in episodes] == ["0"]


def test_an_intervention_still_going_on_makes_its_episode_ongoing_and_keeps_its_end() -> None:
    long = restraint(started_at=T0, ended_at=T0 + 3 * HOUR)
    joins = restraint(started_at=T0 + 150 * MINUTE, ended_at=T0 + 160 * MINUTE)
    (episode,) = restrictive_episodes(with_restraints(long, joins), T0 + 155 * MINUTE, GAP)
    assert episode.ongoing
    assert episode.end == T0 + 3 * HOUR
    (done,) = restrictive_episodes(with_restraints(long, joins), T0 + 3 * HOUR, GAP)
    assert not done.ongoing


@given(
    offsets=st.lists(st.integers(0, 600), min_size=1, max_size=6),
    lengths=st.lists(st.integers(0, 120), min_size=6, max_size=6),
    gap_minutes=st.integers(0, 180),
    extra=st.integers(1, 600),
)
def test_an_intervention_beyond_the_gap_never_changes_earlier_episodes(
    offsets: list[int], lengths: list[int], gap_minutes: int, extra: int
) -> None:
    """Appending one that starts more than the gap after every episode's end keeps them all."""
    gap = timedelta(minutes=gap_minutes)
    restraints = [
        restraint(started_at=T0 + o * MINUTE, ended_at=T0 + (o + n) * MINUTE)
        for o, n in zip(offsets, lengths, strict=False)
    ]
    before = restrictive_episodes(with_restraints(*restraints), LATER, gap)
    start = max(e.end for e in before) + gap + extra * MINUTE
    after = restrictive_episodes(
        with_restraints(*restraints, restraint(started_at=start, ended_at=start)), LATER, gap
    )
    assert after[:-1] == before
    assert after[-1].indices == (len(restraints),)


def _gap_rule(seen: list[timedelta]) -> Pack:
    meta = RuleMeta(
        code="XE001",
        name="episode-gap-probe",
        summary="Test.",
        rationale="Test.",
        example="Test.",
        severity=FindingSeverity.INFO,
        sources=("local policy",),
        options=(EPISODE_GAP,),
    )

    @rule(meta)
    def probe(_incident: Incident, _at: datetime, options: Any) -> list[Verdict]:
        seen.append(options["episode_gap"])
        return []

    return Pack(name="probe", version="1", description="T.", prefixes=("XE",), rules=(probe,))


@pytest.mark.parametrize(
    ("config", "expected"),
    [({}, timedelta(hours=1)), ({"episode_gap": "2d"}, timedelta(days=2))],
)
def test_rules_that_declare_the_gap_receive_the_top_level_setting(
    config: dict[str, Any], expected: timedelta
) -> None:
    seen: list[timedelta] = []
    ruleset = RuleSet.compile(
        Config.from_dict(config | {"packs": ["probe"]}), packs={"probe": _gap_rule(seen)}
    )
    ruleset.check(incident(), LATER)
    assert seen == [expected]


def test_the_gap_cannot_be_set_for_one_rule() -> None:
    config = Config.from_dict({"packs": ["probe"], "rules": {"XE001": {"episode_gap": "2h"}}})
    with pytest.raises(ConfigError) as raised:
        RuleSet.compile(config, packs={"probe": _gap_rule([])})
    assert raised.value.problems == (
        (
            "rules.XE001.episode_gap: set episode_gap at the top level of the configuration;"
            " it is shared by every rule that uses it"
        ),
    )


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (
            "2wd",
            (
                'episode_gap: expected hours or days such as "1h" or "2d" (working days do'
                " not apply here), got '2wd'"
            ),
        ),
        ("soon", 'episode_gap: expected hours or days such as "1h" or "2d", got \'soon\''),
        (3, 'episode_gap: expected hours or days such as "1h" or "2d", got 3'),
    ],
)
def test_a_bad_gap_is_a_configuration_error(raw: object, problem: str) -> None:
    with pytest.raises(ConfigError) as raised:
        Config.from_dict({"episode_gap": raw})
    assert raised.value.problems == (problem,)
