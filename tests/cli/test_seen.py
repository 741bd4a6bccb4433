"""The incident ids of a check run: exact whether in memory or spilled to a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents.cli import _seen
from trauma_incidents.cli._seen import SeenIds

IDS = st.lists(st.sampled_from([f"INC-{n}" for n in range(12)]) | st.text(max_size=8))


@given(ids=IDS, budget=st.integers(min_value=0, max_value=2_000))
def test_add_says_whether_an_id_is_new_whatever_the_budget(ids: list[str], budget: int) -> None:
    seen = SeenIds(budget)
    try:
        said = [seen.add(i) for i in ids]
    finally:
        seen.close()
    assert said == [i not in ids[:n] for n, i in enumerate(ids)]


def test_ids_past_the_budget_go_to_the_database() -> None:
    seen = SeenIds(budget=0)
    try:
        assert seen.add("INC-1")  # kept in memory; the budget is now spent
        assert seen._db is not None
        assert seen.add("INC-2")
        assert not seen.add("INC-2")  # found in the database
        assert not seen.add("INC-1")  # found in memory
        assert seen._memory == {"INC-1"}
    finally:
        seen.close()
    assert seen._db is None


def test_without_a_database_the_ids_stay_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_seen, "_database", lambda: None)
    seen = SeenIds(budget=0)
    assert [seen.add(i) for i in ["a", "b", "a", "b", "c"]] == [True, True, False, False, True]
    assert seen._memory == {"a", "b", "c"}


def test_a_database_that_fails_hands_its_ids_back_to_memory() -> None:
    seen = SeenIds(budget=0)
    assert seen.add("a")
    assert seen.add("b")  # in the database
    db = seen._db
    assert db is not None
    db.execute(  # the next insert fails, as on a full disk
        "CREATE TRIGGER full BEFORE INSERT ON seen BEGIN SELECT RAISE(FAIL, 'full'); END"
    )
    assert not seen.add("b")  # the failed insert: "b" came back from the database
    assert seen.add("c")
    assert (seen._db, seen._memory) == (None, {"a", "b", "c"})
