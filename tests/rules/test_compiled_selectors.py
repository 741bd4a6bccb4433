"""
Compiled selectors decide as the declared ones do.

Rules bind `condition` (each `When` as a function of only its parts that are set) and
`ItemPattern.items` (getters made once, fields tested before times) for speed; these
properties hold them to `When.holds` and to a plain reading of the pattern.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents.model import (
    Category,
    InjuredParty,
    InjurySeverity,
    InterventionKind,
    Position,
    Severity,
)
from trauma_incidents.model._incident import Incident
from trauma_incidents.rules._items import COLLECTIONS, ItemPattern
from trauma_incidents.rules._selectors import InjuryPattern, When, condition
from trauma_incidents.strategies import EPOCH, incidents


def _subsets(values: Any) -> st.SearchStrategy[frozenset[Any]]:
    return st.frozensets(st.sampled_from(list(values)), max_size=3)


whens = st.builds(
    When,
    categories=_subsets(Category),
    severities=_subsets(Severity),
    restrictive=st.sampled_from([None, True, False]),
    injury=st.none()
    | st.builds(InjuryPattern, who=_subsets(InjuredParty), severities=_subsets(InjurySeverity)),
    items=st.none()
    | st.just(ItemPattern(collection="interventions", where={"restrictive": frozenset({True})})),
)
times = st.integers(-30, 400).map(lambda days: EPOCH + timedelta(days=days))


@given(st.lists(whens, max_size=3).map(tuple), incidents(), times)
def test_a_compiled_condition_holds_when_any_when_holds(
    when: tuple[When, ...], incident: Incident, at: datetime
) -> None:
    """`condition` is ``None`` for no condition, else true exactly when one `When` holds."""
    test = condition(when)
    if not when:
        assert test is None
    else:
        assert test is not None
        assert test(incident, at) == any(w.holds(incident, at) for w in when)


patterns = st.sampled_from(
    [
        ItemPattern(
            collection="interventions",
            where={
                "kind": frozenset({InterventionKind.PHYSICAL_RESTRAINT}),
                "position": frozenset({Position.PRONE, Position.SUPINE}),
            },
        ),
        ItemPattern(
            collection="interventions",
            where={"restrictive": frozenset({True})},
            where_not={"in_support_plan": frozenset({True})},
        ),
        ItemPattern(collection="injuries", where={"who": frozenset({InjuredParty.STAFF})}),
        ItemPattern(collection="debriefs"),
        ItemPattern(collection="notifications", where_not={"duty_of_candour": frozenset({True})}),
    ]
)


def _field(item: object, name: str) -> object:
    """A field of an item; ``restrictive`` is `Intervention.is_restrictive`."""
    return getattr(item, "is_restrictive" if name == "restrictive" else name)


def _plain_items(pattern: ItemPattern, incident: Incident, at: datetime) -> list[tuple[int, Any]]:
    """The items a pattern selects, read plainly: recorded by *at*, every condition met."""
    time_field = COLLECTIONS[pattern.collection].time_field
    found = []
    for i, item in enumerate(getattr(incident, pattern.collection)):
        t = getattr(item, time_field) if time_field else None
        if (
            (t is None or t <= at)
            and all(_field(item, k) in v for k, v in pattern.where.items())
            and all(_field(item, k) not in v for k, v in pattern.where_not.items())
        ):
            found.append((i, item))
    return found


@given(patterns, incidents(), times, st.data())
def test_pattern_items_are_the_plainly_selected_ones(
    pattern: ItemPattern, incident: Incident, at: datetime, data: st.DataObject
) -> None:
    """`ItemPattern.items` gives the items recorded by the time that meet every condition."""
    time_field = COLLECTIONS[pattern.collection].time_field
    recorded = [
        t
        for item in getattr(incident, pattern.collection)
        if time_field and (t := getattr(item, time_field)) is not None
    ]
    exact = data.draw(st.booleans())
    if recorded and exact:
        at = data.draw(st.sampled_from(recorded))  # an item recorded exactly then counts
    assert pattern.items(incident, at) == _plain_items(pattern, incident, at)
