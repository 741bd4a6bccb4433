"""DB001, DB002, RI001 and RI002: one deadline per restrictive episode (issue 14 section 1)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import attrs
import pytest

from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model import (
    DebriefStatus,
    Incident,
    Intervention,
    InterventionKind,
    ReviewKind,
)
from trauma_incidents.packs import load_pack_file
from trauma_incidents.rules import (
    EPISODE_GAP,
    Anchor,
    DeadlineRule,
    DebriefMatch,
    Evidence,
    FindingSeverity,
    RuleMeta,
    Status,
)
from trauma_incidents.rules._metadata import within

from .builders import (
    DAY,
    DISTRESS,
    HOUR,
    MINUTE,
    T0,
    Deadline,
    DeadlineContract,
    add,
    findings,
    incident,
    one,
    person_debrief,
    restraint,
    review,
    staff_debrief,
    stamp,
    statuses,
    support,
    when,
)

END = T0 + 10 * MINUTE
RI = incident(categories=DISTRESS, interventions=(support(), restraint()))
BASIS = ("$.interventions[1].ended_at", END)
CODES = ("DB001", "DB002", "RI001", "RI002")

#: Evidence that meets each rule, added at a time.
PROVIDE: dict[str, Callable[[Incident, datetime], Incident]] = {
    "DB001": lambda inc, t: add(inc, debriefs=(staff_debrief(t),)),
    "DB002": lambda inc, t: add(inc, debriefs=(person_debrief(t, status=DebriefStatus.DECLINED),)),
    "RI001": lambda inc, t: add(inc, reviews=(review(ReviewKind.AFTER_ACTION_REVIEW, t),)),
    "RI002": lambda inc, t: add(inc, reviews=(review(ReviewKind.SUPPORT_PLAN_REVIEW, t),)),
}
#: Each rule's span under the default options.
SPAN = {"DB001": 24 * HOUR, "DB002": 72 * HOUR, "RI001": 72 * HOUR, "RI002": 7 * DAY}

CASES = [
    Deadline(
        code="DB001",
        subject=RI,
        due=END + 24 * HOUR,
        basis=BASIS,
        provide=PROVIDE["DB001"],
        evidence_path="$.debriefs[0].at",
        obligation="A held staff debrief",
        reason="24 hours after the restrictive episode ended",
        key="1",
        longer=("48h", END + 48 * HOUR),
    ),
    Deadline(
        code="DB002",
        subject=RI,
        due=END + 72 * HOUR,
        basis=BASIS,
        provide=PROVIDE["DB002"],
        evidence_path="$.debriefs[0].at",
        obligation="A debrief offered to the person",
        reason="72 hours after the restrictive episode ended",
        key="1",
        longer=("4d", END + 4 * DAY),
    ),
    Deadline(
        code="RI001",
        subject=RI,
        due=END + 72 * HOUR,
        basis=BASIS,
        provide=PROVIDE["RI001"],
        evidence_path="$.reviews[0].completed_at",
        obligation="A post-incident or after action review",
        reason="72 hours after the restrictive episode ended",
        key="1",
        longer=("5d", END + 5 * DAY),
    ),
    Deadline(
        code="RI002",
        subject=RI,
        due=END + 7 * DAY,
        basis=BASIS,
        provide=PROVIDE["RI002"],
        evidence_path="$.reviews[0].completed_at",
        obligation="A support plan review",
        reason="7 days after the restrictive episode ended",
        key="1",
        longer=("200h", END + 200 * HOUR),
    ),
]


@pytest.fixture(params=CASES, ids=str)
def case(request: pytest.FixtureRequest) -> Deadline:
    return request.param  # type: ignore[no-any-return]


class TestDeadlines(DeadlineContract):
    """Each rule follows the deadline contract for an incident with one episode."""


def restraints(*starts: datetime) -> Incident:
    """An incident with a ten-minute restraint starting at each of *starts*."""
    ivs = tuple(restraint(started_at=s) for s in starts)
    return incident(categories=DISTRESS, interventions=ivs)


SECOND = T0 + 3 * HOUR  # more than the default gap of 1h after the first restraint's end
SECOND_END = SECOND + 10 * MINUTE


@pytest.mark.parametrize("code", CODES)
class TestEpisodes:
    def test_one_finding_per_episode(self, code: str) -> None:
        """Two restraints three hours apart are two episodes, each with its own deadline."""
        inc = restraints(T0, SECOND)

        mine = {f.key: f for f in findings(inc, T0 + 30 * DAY, code)}

        assert {"0", "1"} == set(mine)
        assert (Status.OVERDUE, END + SPAN[code]) == (mine["0"].status, mine["0"].due_at)
        assert (Status.OVERDUE, SECOND_END + SPAN[code]) == (mine["1"].status, mine["1"].due_at)
        assert (Evidence("$.interventions[1].ended_at", stamp(SECOND_END)),) == mine["1"].evidence

    def test_close_interventions_are_one_episode(self, code: str) -> None:
        """A restraint starting exactly the gap after the last one ended joins its episode."""
        later = END + HOUR
        inc = restraints(T0, later)

        found = one(inc, T0 + 30 * DAY, code)

        assert found is not None
        assert ("0", later + 10 * MINUTE + SPAN[code]) == (found.key, found.due_at)

    def test_episode_gap_changes_the_outcome(self, code: str) -> None:
        """Evidence between two restraints meets the first episode, unless the gap joins them."""
        inc = PROVIDE[code](restraints(T0, SECOND), END + HOUR)
        wide = {"episode_gap": "4h"}

        assert statuses(inc, T0 + 30 * DAY, code) == {"1": Status.OVERDUE}
        assert statuses(inc, T0 + 30 * DAY, code, wide) == {"0": Status.OVERDUE}
        assert statuses(inc, SECOND_END, code, wide) == {"0": Status.DUE}

    def test_evidence_before_the_episode_ended_does_not_count(self, code: str) -> None:
        """A debrief or review dated before the episode ended is not about it."""
        inc = PROVIDE[code](restraints(T0), END - MINUTE)

        assert statuses(inc, T0 + 30 * DAY, code) == {"0": Status.OVERDUE}

    def test_evidence_exactly_at_the_end_counts(self, code: str) -> None:
        """Evidence dated at the episode's end counts for it."""
        inc = PROVIDE[code](restraints(T0), END)

        assert not findings(inc, T0 + 30 * DAY, code)

    def test_one_piece_of_evidence_meets_several_episodes(self, code: str) -> None:
        """Evidence after both episodes ended, on time for both, meets both."""
        inc = PROVIDE[code](restraints(T0, SECOND), SECOND_END + HOUR)

        assert not findings(inc, T0 + 30 * DAY, code)

    def test_late_for_one_episode_on_time_for_another(self, code: str) -> None:
        """Evidence after the first deadline is late for the first episode only."""
        third = END + SPAN[code] + HOUR
        met = third + 20 * MINUTE
        inc = PROVIDE[code](restraints(T0, third), met)

        found = findings(inc, T0 + 30 * DAY, code)

        assert [("0", Status.LATE, met)] == [(f.key, f.status, f.satisfied_at) for f in found]

    def test_a_later_episode_never_reopens_an_earlier_one(self, code: str) -> None:
        """An overdue episode stays overdue when another restraint comes later (it was not so)."""
        later = END + SPAN[code] + DAY
        inc = restraints(T0, later)

        before = statuses(inc, later - HOUR, code)
        after = statuses(inc, later + HOUR, code)

        assert before == {"0": Status.OVERDUE}
        assert after == {"0": Status.OVERDUE, "1": Status.DUE}

    def test_an_ongoing_episode_waits(self, code: str) -> None:
        """An episode with an intervention still going on gives no finding until it ends."""
        stop = END + SPAN[code] + DAY
        long = restraint(started_at=SECOND, ended_at=stop)
        inc = incident(categories=DISTRESS, interventions=(restraint(), long))

        assert statuses(inc, stop - MINUTE, code) == {"0": Status.OVERDUE}
        assert statuses(inc, stop, code) == {"0": Status.OVERDUE, "1": Status.DUE}

    def test_key_is_the_first_intervention_in_start_order(self, code: str) -> None:
        """Keys follow start order, not array order."""
        inc = restraints(SECOND, T0)

        assert {"1", "0"} == {f.key for f in findings(inc, T0 + 30 * DAY, code)}
        assert {"1": END + SPAN[code], "0": SECOND_END + SPAN[code]} == {
            f.key: f.due_at for f in findings(inc, T0 + 30 * DAY, code)
        }


class TestEpisodeEnd:
    """The basis of an episode's deadline: its latest end, else a start, else the incident."""

    @pytest.mark.parametrize(
        ("interventions", "path", "anchor"),
        [
            pytest.param(
                (restraint(), restraint(kind=InterventionKind.SECLUSION, ended_at=T0 + 2 * HOUR)),
                "$.interventions[1].ended_at",
                T0 + 2 * HOUR,
                id="latest-end",
            ),
            pytest.param(
                (restraint(ended_at=T0 + 3 * HOUR), restraint(ended_at=T0 + HOUR)),
                "$.interventions[0].ended_at",
                T0 + 3 * HOUR,
                id="latest-end-not-last-index",
            ),
            pytest.param(
                (restraint(ended_at=None),), "$.interventions[0].started_at", T0, id="no-end"
            ),
            pytest.param(
                (restraint(started_at=None, ended_at=None),),
                "$.occurred_at",
                T0,
                id="no-times",
            ),
        ],
    )
    def test_basis(
        self, interventions: tuple[Intervention, ...], path: str, anchor: datetime
    ) -> None:
        """The deadline counts from the episode's end, and the evidence names where it is."""
        inc = incident(interventions=interventions)

        found = one(inc, T0 + 5 * DAY, "DB001")

        assert found is not None
        assert ("0", (Evidence(path, stamp(anchor)),)) == (found.key, found.evidence)
        assert anchor + 24 * HOUR == found.due_at

    def test_intervention_started_after_at_is_not_recorded(self) -> None:
        """A restrictive intervention that starts after the evaluation time does not count."""
        inc = incident(interventions=(restraint(started_at=T0 + DAY),))

        assert not findings(inc, T0 + 12 * HOUR, "DB001")

    def test_ended_exactly_at_at_is_over(self) -> None:
        """An intervention ending exactly at the evaluation time is not going on."""
        inc = incident(interventions=(restraint(ended_at=T0 + DAY),))

        assert statuses(inc, T0 + DAY, "DB001") == {"0": Status.DUE}


def _meta(*options: object) -> RuleMeta:
    return RuleMeta(
        code="XE002",
        name="test-episode-debrief",
        summary="A test rule.",
        rationale="Exercises the episode anchor.",
        example="None.",
        severity=FindingSeverity.LOW,
        sources=("local policy",),
        options=options,  # type: ignore[arg-type]
    )


class TestEpisodeAnchor:
    def test_a_deadline_per_episode_declares_the_gap(self) -> None:
        """Without the episode_gap option the rule could not group: it is refused at once."""
        with pytest.raises(InvalidArgument, match="XE002: a deadline per restrictive episode"):
            DeadlineRule(
                meta=_meta(within("24h")),
                when=(),
                anchor=Anchor.RI_EPISODE_END,
                evidence=DebriefMatch(audiences=frozenset()),
                obligation="A debrief",
            )
        assert DeadlineRule(
            meta=_meta(within("24h"), EPISODE_GAP),
            when=(),
            anchor=Anchor.RI_EPISODE_END,
            evidence=DebriefMatch(audiences=frozenset()),
            obligation="A debrief",
        ).gate == frozenset({"restrictive"})

    def test_the_note_follows_the_reason(self) -> None:
        """A per-episode deadline says its note after the reason, like any deadline."""
        shape = DeadlineRule(
            meta=_meta(within("24h"), EPISODE_GAP),
            when=(),
            anchor=Anchor.RI_EPISODE_END,
            evidence=DebriefMatch(audiences=frozenset()),
            obligation="A debrief",
            note="local policy",
        )
        check = shape.compile({"within": within("24h").parse("24h"), "episode_gap": HOUR})

        [verdict] = check(RI, END + HOUR)

        assert verdict.message == (
            f"A debrief is due by {when(END + DAY)}"
            " (24 hours after the restrictive episode ended: local policy)."
        )

    def test_the_episode_anchor_has_no_single_point(self) -> None:
        """`resolve` is for single-point anchors; the episode anchor says so."""
        with pytest.raises(InvalidArgument, match="one point per episode"):
            Anchor.RI_EPISODE_END.resolve(RI, T0 + DAY)


PACK = """\
[pack]
name = "episodes-example"
version = "1.0.0"
description = "Declarative rules on restrictive interventions"
prefixes = ["LE"]

[[rules]]
code = "LE001"
shape = "deadline"
name = "commissioner-told-of-each-episode"
summary = "A restrictive episode not notified to the commissioner within 24 hours."
rationale = "The local contract asks for it."
example = "Restraint ended 10:00; no commissioner notification by 10:00 next day."
severity = "high"
sources = ["local policy"]
within = "24h"
anchor = "{anchor}"
obligation = "A notification to the commissioner"
[rules.evidence]
kind = "notification"
recipients = ["commissioner"]
"""


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        pytest.param(
            "restrictive_episode_end",
            {"0": (Status.OVERDUE, END + DAY), "1": (Status.OVERDUE, SECOND_END + DAY)},
            id="per-episode",
        ),
        pytest.param(
            "restrictive_intervention_end",
            {None: (Status.OVERDUE, SECOND_END + DAY)},
            id="last-end",
        ),
    ],
)
def test_declarative_anchors(
    tmp_path: Path, anchor: str, expected: dict[str | None, tuple[Status, datetime]]
) -> None:
    """In a pack file, the episode anchor counts per episode; the RI end anchor from the last."""
    path = tmp_path / "pack.toml"
    path.write_text(PACK.format(anchor=anchor), encoding="utf-8")
    config = Config(packs=("episodes-example",), pack_files=(str(path),))
    wide = attrs.evolve(config, episode_gap=4 * HOUR)
    inc = restraints(T0, SECOND)

    report = RuleSet.compile(config).evaluate([inc], at=T0 + 30 * DAY)
    joined = RuleSet.compile(wide).evaluate([inc], at=T0 + 30 * DAY)

    assert expected == {f.key: (f.status, f.due_at) for f in report.findings}
    assert [None if anchor == "restrictive_intervention_end" else "0"] == [
        f.key for f in joined.findings
    ]
    (rule,) = load_pack_file(path).rules
    assert [o.name for o in rule.meta.options] == (
        ["within", "episode_gap"] if anchor == "restrictive_episode_end" else ["within"]
    )
