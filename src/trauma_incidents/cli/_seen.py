"""
The incident ids a ``check`` run has seen, so that a repeated one is reported: in bounded memory.

Up to a budget of bytes the ids are a set in memory; past it, the later ones go to a table
of a temporary SQLite database on disk (private to the run, removed when it ends), whose
page cache is bounded. So a run of 1,000,000 incidents holds no more ids in memory than a
run of 100,000, and the check stays exact.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

__all__ = ["BUDGET", "SeenIds"]

#: The bytes of ids (with the set's own cost of each) kept in memory before the rest spill.
BUDGET = 8 * 2**20

#: What a set spends on each member besides the string (its slot, at the usual fill).
_SLOT = 32


class SeenIds:
    """
    The incident ids seen so far in a run: `add` says whether an id is new.

    `close` it at the end of the run: that removes the database, if one was made.
    """

    def __init__(self, budget: int = BUDGET) -> None:
        """Keep ids in memory up to *budget* bytes, then in a temporary database."""
        self._memory: set[str] = set()
        self._left = budget
        self._db: sqlite3.Connection | None = None

    def add(self, incident_id: str) -> bool:
        """Note *incident_id*: ``True`` if it is new to the run, ``False`` if seen before."""
        if incident_id in self._memory:
            return False
        if self._db is None:
            self._memory.add(incident_id)
            self._left -= sys.getsizeof(incident_id) + _SLOT
            if self._left < 0:
                self._db = _database()
                self._left = sys.maxsize  # no second database, even if this one failed
            return True
        try:
            cursor = self._db.execute("INSERT OR IGNORE INTO seen VALUES (?)", (incident_id,))
        except self._db.Error:  # the disk is full, say: back to memory, the check stays exact
            self._memory.update(row[0] for row in self._db.execute("SELECT id FROM seen"))
            self.close()
            return self.add(incident_id)
        return cursor.rowcount == 1

    def close(self) -> None:
        """Remove the database, if one was made."""
        if self._db is not None:
            self._db.close()
            self._db = None


def _database() -> sqlite3.Connection | None:
    """
    A private temporary database on disk with an empty table of ids (one transaction).

    ``None`` when it cannot be made (no writable temporary folder): the ids stay in memory.
    """
    import sqlite3  # noqa: PLC0415 (only a run past the budget needs it)

    try:
        db = sqlite3.connect("")  # "": a private temporary database on disk, gone on close
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("CREATE TABLE seen (id TEXT PRIMARY KEY) WITHOUT ROWID")
    except sqlite3.Error:
        return None
    return db
