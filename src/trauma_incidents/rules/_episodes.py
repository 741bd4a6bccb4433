"""
Restrictive episodes: an incident's restrictive interventions grouped by closeness in time.

QS101 statement 10 asks for a review every time a restrictive intervention is used
(NG11-DOC-REVIEW-EVERY-RI). Interventions that follow one another closely (within the
top-level ``episode_gap``, default one hour) are one use: one episode, one debrief, one
review. An episode's obligations count from its end, and only evidence dated at or after that
end counts for it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from trauma_incidents.model._incident import AnchorPoint, Incident
from trauma_incidents.model._parts import Intervention
from trauma_incidents.rules._metadata import OptionSpec

__all__ = [
    "EPISODE_GAP",
    "Ended",
    "Episode",
    "end_point",
    "ended",
    "ongoing",
    "restrictive_episodes",
]

#: The option a rule declares to group by episode. The engine fills it from the top-level
#: configuration key ``episode_gap``; it arrives as a `datetime.timedelta`.
EPISODE_GAP = OptionSpec(
    "episode_gap",
    "elapsed",
    "1h",
    "Restrictive interventions closer than this are one episode (set at the top level of the"
    " configuration, shared by every rule about episodes).",
)


#: An episode that is over: its key, and its end with the path of the time it comes from.
Ended = tuple[str, AnchorPoint]


class Episode(NamedTuple):
    """One use of restriction: interventions that followed one another within the gap."""

    start: datetime
    """The start of its first intervention (started_at, else ended_at, else occurred_at)."""
    end: datetime
    """The latest end of its interventions (ended_at, else started_at, else occurred_at)."""
    key: str
    """The array index of its first intervention, as a string: the key of its findings."""
    indices: tuple[int, ...]
    """The indices in `Incident.interventions` of its interventions, in start order."""
    ongoing: bool
    """Some intervention was still going on at the evaluation time: rules about it wait."""


def ongoing(intervention: Intervention, at: datetime) -> bool:
    """Whether *intervention* was still going on at *at* (its ended_at is after *at*)."""
    return intervention.ended_at is not None and intervention.ended_at > at


def restrictive_episodes(incident: Incident, at: datetime, gap: timedelta) -> tuple[Episode, ...]:
    """
    The restrictive interventions of *incident* recorded by *at*, grouped into episodes.

    An intervention is recorded by *at* when its start is at or before *at*. In start order
    (ties by array index), one joins the current episode when its start is at or before that
    episode's end plus *gap*, and otherwise opens a new one.
    """
    occurred = incident.occurred_at
    timed = sorted(
        (iv.started_at or iv.ended_at or occurred, i, iv.ended_at or iv.started_at or occurred, iv)
        for i, iv in incident.restrictive_interventions
        if (iv.started_at or iv.ended_at or occurred) <= at
    )
    episodes: list[Episode] = []
    for start, index, end, iv in timed:
        still = ongoing(iv, at)
        if episodes and start <= episodes[-1].end + gap:
            last = episodes[-1]
            episodes[-1] = Episode(
                last.start,
                max(last.end, end),
                last.key,
                (*last.indices, index),
                last.ongoing or still,
            )
        else:
            episodes.append(Episode(start, end, str(index), (index,), still))
    return tuple(episodes)


def end_point(incident: Incident, episode: Episode) -> AnchorPoint:
    """
    *episode*'s end with the JSON path of the time it comes from, for evidence.

    That is the first of its interventions, in start order, whose end is the episode's end:
    its ``ended_at``, else its ``started_at``, else the incident's ``occurred_at``.
    """
    for i in episode.indices:
        iv = incident.interventions[i]
        if iv.ended_at == episode.end:
            return AnchorPoint(episode.end, f"$.interventions[{i}].ended_at")
        if iv.ended_at is None and iv.started_at == episode.end:
            return AnchorPoint(episode.end, f"$.interventions[{i}].started_at")
    return AnchorPoint(episode.end, "$.occurred_at")


#: The last `ended` worked out: the rules about episodes run one after another on the same
#: incident, so one entry saves the work for all but the first (compared by identity).
_last: tuple[Incident | None, datetime | None, timedelta | None, tuple[Ended, ...]] = (
    None,
    None,
    None,
    (),
)


def ended(incident: Incident, at: datetime, gap: timedelta) -> tuple[Ended, ...]:
    """The key and end (with its path) of each episode of *incident* over by *at*."""
    global _last  # noqa: PLW0603 (one entry, replaced whole: safe across threads)
    last = _last
    if last[0] is incident and last[1] == at and last[2] == gap:
        return last[3]
    over = tuple(
        (episode.key, end_point(incident, episode))
        for episode in restrictive_episodes(incident, at, gap)
        if not episode.ongoing
    )
    _last = (incident, at, gap, over)
    return over
