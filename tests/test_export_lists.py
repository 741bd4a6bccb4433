"""Every public module's ``__all__`` is sorted and lists exactly its public names."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil

import pytest

import trauma_incidents


def _public_modules() -> list[str]:
    """Every module of the package whose dotted path has no private part."""
    found = ["trauma_incidents"]
    for info in pkgutil.walk_packages(trauma_incidents.__path__, "trauma_incidents."):
        parts = info.name.split(".")[1:]
        if not any(p.startswith("_") for p in parts):
            found.append(info.name)
    return sorted(found)


PUBLIC_MODULES = _public_modules()


def _bindings(module_name: str) -> tuple[set[str], set[str]]:
    """
    The public names a module binds at its top level, read from its source, in two sets.

    The first holds names it defines (definitions, assignments) or re-exports from the library's
    private modules: these must be in ``__all__``. The second holds names imported from the
    library's public modules: these may be (a re-export), but need not be (a helper). Names
    imported under ``if TYPE_CHECKING:`` count: the module binds them on first use.
    """
    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    own: set[str] = set()
    from_public: set[str] = set()
    lazy = [
        n
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        for n in node.body
    ]
    for node in [*tree.body, *lazy]:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            own.add(node.name)
        elif isinstance(node, ast.Assign):
            own |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            own.add(node.target.id)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "trauma_incidents"
        ):
            names = {alias.asname or alias.name for alias in node.names}
            if _is_private_module(node.module or ""):
                own |= names
            else:
                from_public |= names
    public = {n for n in own if not n.startswith("_")}
    return public, {n for n in from_public if not n.startswith("_")}


def _is_private_module(dotted: str) -> bool:
    parts = dotted.split(".")
    return parts[0] == "trauma_incidents" and any(p.startswith("_") for p in parts[1:])


def test_the_public_modules_are_found() -> None:
    """The walk finds every layer's public face (a check on the discovery itself)."""
    assert {
        "trauma_incidents.analysis",
        "trauma_incidents.backends",
        "trauma_incidents.backends.durable",
        "trauma_incidents.cli",
        "trauma_incidents.config",
        "trauma_incidents.engine",
        "trauma_incidents.errors",
        "trauma_incidents.governance",
        "trauma_incidents.loading",
        "trauma_incidents.model",
        "trauma_incidents.monitor",
        "trauma_incidents.packs",
        "trauma_incidents.report",
        "trauma_incidents.rules",
        "trauma_incidents.strategies",
        "trauma_incidents.testing",
    } <= set(PUBLIC_MODULES)
    assert not [m for m in PUBLIC_MODULES if "_internal" in m or "_builtin" in m]


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_all_is_sorted(module_name: str) -> None:
    """__all__ is sorted (upper-case constants first, as ruff's RUF022 sorts)."""
    exported = list(importlib.import_module(module_name).__all__)
    assert exported == sorted(exported, key=lambda n: (not n.isupper(), n))


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_all_lists_public_names(module_name: str) -> None:
    """__all__ names every public name of the module, and nothing but re-exports besides."""
    module = importlib.import_module(module_name)
    own, from_public = _bindings(module_name)
    exported = set(module.__all__)
    assert own - exported == set(), "public names missing from __all__"
    assert exported - own - from_public == set(), "names in __all__ the module does not bind"
    assert [n for n in module.__all__ if not hasattr(module, n)] == []
