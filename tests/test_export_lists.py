"""Each public module's ``__all__`` is sorted and lists exactly its public names."""

from __future__ import annotations

import ast
import importlib
import inspect

import pytest

#: Public modules whose export lists are checked; add new public modules here.
PUBLIC_MODULES = [
    "trauma_incidents.analysis",
    "trauma_incidents.governance",
    "trauma_incidents.loading",
    "trauma_incidents.rules",
    "trauma_incidents.errors",
    "trauma_incidents.model",
    "trauma_incidents.strategies",
    "trauma_incidents.testing",
]

#: Known mismatches, with the reason; the xfail is strict, so remove an entry once fixed.
KNOWN_MISMATCHES: dict[str, str] = {}


def _checked(names: list[str]) -> list[object]:
    return [
        pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_MISMATCHES[n], strict=True))
        if n in KNOWN_MISMATCHES
        else n
        for n in names
    ]


def public_names(module_name: str) -> set[str]:
    """
    Names a module defines or re-exports, read from its source.

    A public name is bound at the top level without a leading underscore, by a definition or
    assignment, or by an import from one of the library's private modules (a re-export).
    Imports from public or third-party modules are not exports.
    """
    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom) and _is_private_module(node.module or ""):
            names |= {alias.asname or alias.name for alias in node.names}
    return {n for n in names if not n.startswith("_")}


def _is_private_module(dotted: str) -> bool:
    parts = dotted.split(".")
    return parts[0] == "trauma_incidents" and any(p.startswith("_") for p in parts[1:])


#: Modules that also import helpers for their own code: only their order is checked here.
ORDER_ONLY = ["trauma_incidents", "trauma_incidents.config", "trauma_incidents.packs"]


@pytest.mark.parametrize("module_name", PUBLIC_MODULES + ORDER_ONLY)
def test_all_is_sorted(module_name: str) -> None:
    """__all__ is sorted (upper-case constants first, as ruff's RUF022 sorts)."""
    exported = list(importlib.import_module(module_name).__all__)
    assert exported == sorted(exported, key=lambda n: (not n.isupper(), n))


@pytest.mark.parametrize("module_name", _checked(PUBLIC_MODULES))
def test_all_lists_public_names(module_name: str) -> None:
    """__all__ names every public name of the module, and nothing else."""
    module = importlib.import_module(module_name)
    assert public_names(module_name) == set(module.__all__)
    assert all(hasattr(module, name) for name in module.__all__)


@pytest.mark.parametrize("module_name", ORDER_ONLY)
def test_every_exported_name_exists(module_name: str) -> None:
    """Each name in __all__ can be imported."""
    module = importlib.import_module(module_name)
    assert [n for n in module.__all__ if not hasattr(module, n)] == []
