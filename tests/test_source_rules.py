"""Rules the library's own source keeps, checked by reading it."""

from __future__ import annotations

import ast
from pathlib import Path

import trauma_incidents

SOURCE = Path(trauma_incidents.__file__).parent


def _library_files() -> list[Path]:
    return sorted(SOURCE.rglob("*.py"))


def test_the_library_files_are_found() -> None:
    """The walk sees the layer packages (a check on the discovery itself)."""
    found = {p.relative_to(SOURCE).as_posix() for p in _library_files()}
    assert {"model/_incident.py", "cli/_jobs.py", "packs/_builtin/england.py"} <= found


def test_library_code_has_no_assert() -> None:
    """
    No ``assert`` in library code: ``python -O`` strips them, so they guard nothing.

    An impossible case is restructured away, raised as a clear error, or (when guaranteed by
    construction) narrowed with `typing.cast` and a comment saying why.
    """
    found = [
        f"{path.relative_to(SOURCE).as_posix()}:{node.lineno}"
        for path in _library_files()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assert)
    ]
    assert found == []
