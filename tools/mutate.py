# ruff: noqa: INP001 (a script, not a package)
"""
A small mutation-testing runner for the rules and the engine (``docs/reliability.md``).

It applies one change at a time to a module (a comparison, an arithmetic or boolean
operator, a ``not``, a boolean or integer constant), runs the fast rule tests, and counts
the change as *killed* when a test fails (or runs past the time-out) and as *surviving* when
every test passes. The score is killed / all.

It works on copies of the committed tree (``git archive``, one per job), never on the
working tree, so it is safe while others edit. Tests that already fail on the unmutated
copy are deselected first, and reported. Python bytecode is never written, so a mutated
module cannot be shadowed by a stale ``.pyc``.

Usage::

    python tools/mutate.py                      # every mutant, 2 jobs
    python tools/mutate.py --sample 300 --seed 1
    python tools/mutate.py --list               # the mutants, without running them
    python tools/mutate.py src/trauma_incidents/_calendar.py --json out.json

mutmut 3.8.1 was tried first (configured through ``setup.cfg`` in a copy of the tree): with
this project's ``src`` layout, editable install and ``--import-mode=importlib`` it reported
that no test covered any mutant, so it could not be used as it stands.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from queue import Queue
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGETS = (
    "src/trauma_incidents/engine/_ruleset.py",
    "src/trauma_incidents/engine/_guard.py",
    "src/trauma_incidents/rules/_shapes.py",
    "src/trauma_incidents/rules/_selectors.py",
    "src/trauma_incidents/rules/_items.py",
    "src/trauma_incidents/_calendar.py",
    "src/trauma_incidents/packs/_builtin/*.py",
)
TESTS = (
    "tests/rules",
    "tests/engine/test_engine.py",
    "tests/engine/test_fault_isolation.py",
    "tests/engine/test_gates.py",
    "tests/governance/test_governance.py",
    "tests/engine/test_pickling.py",
    "tests/rules/test_rule_boundaries.py",
)

_SWAPS: dict[type[Any], type[Any]] = {  # operator node types: what each becomes
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.FloorDiv,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.FloorDiv,
    ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr,
    ast.And: ast.Or,
    ast.Or: ast.And,
}


@dataclass(frozen=True)
class Mutant:
    """One change to one module: where, what it was and what it became."""

    path: str
    line: int
    before: str
    after: str
    index: int  # which mutable site of the module, in walk order

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.before}  ->  {self.after}"


def _skipped(tree: ast.Module) -> set[int]:
    """
    Ids of nodes not to mutate: declarations rather than logic.

    Annotations, ``__all__``, decorators (``@frozen(kw_only=True)``, ``@lru_cache(maxsize=...)``)
    and the options of attrs ``field(...)`` (``init=False``, ``repr=False``): changing those
    changes how a class is declared, which the type checker and the API tests guard, not what
    a rule concludes.
    """
    skip: set[int] = set()
    for node in ast.walk(tree):
        parts: list[ast.AST | None] = []
        if isinstance(node, ast.arg | ast.AnnAssign):
            parts.append(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            parts.append(node.returns)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            parts.extend(node.decorator_list)
        if isinstance(node, ast.Call) and _called(node) == "field":
            parts.extend(k.value for k in node.keywords)
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            parts.append(node)
        skip |= {id(n) for part in parts if part is not None for n in ast.walk(part)}
    return skip


def _called(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _sites(tree: ast.Module) -> Iterator[tuple[ast.AST, str]]:
    """Each mutable node and the kind of change, in a stable order."""
    skip = _skipped(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Compare):
            yield from ((node, f"cmp{i}") for i, op in enumerate(node.ops) if type(op) in _SWAPS)
        elif isinstance(node, ast.BinOp | ast.AugAssign | ast.BoolOp) and type(node.op) in _SWAPS:
            yield node, "op"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
            yield node, "drop"
        elif isinstance(node, ast.Constant) and type(node.value) in (bool, int):
            yield node, "const"


def _apply(node: ast.AST, kind: str) -> ast.AST:
    """The mutated copy of *node*."""
    new = copy.deepcopy(node)
    if kind.startswith("cmp") and isinstance(new, ast.Compare):
        i = int(kind[3:])
        new.ops[i] = _SWAPS[type(new.ops[i])]()
    elif kind == "op" and isinstance(new, ast.BinOp | ast.AugAssign | ast.BoolOp):
        new.op = _SWAPS[type(new.op)]()
    elif kind == "drop" and isinstance(new, ast.UnaryOp):
        operand: ast.AST = new.operand
        return operand
    elif isinstance(new, ast.Constant) and isinstance(new.value, bool):
        new.value = not new.value
    elif isinstance(new, ast.Constant) and isinstance(new.value, int):
        new.value += 1
    return new


class _Replace(ast.NodeTransformer):
    def __init__(self, target: ast.AST, replacement: ast.AST) -> None:
        self.target, self.replacement = target, replacement

    def visit(self, node: ast.AST) -> ast.AST:
        if node is self.target:
            return self.replacement
        visited: ast.AST = super().visit(node)
        return visited


def mutants_of(root: Path, path: str) -> Iterator[tuple[Mutant, str]]:
    """Every mutant of the module at *path* (relative to *root*), with its mutated source."""
    source = (root / path).read_text(encoding="utf-8")
    for index, (node, kind) in enumerate(_sites(ast.parse(source))):
        tree = ast.parse(source)  # a fresh tree per mutant; walk order is the same
        target = next(n for i, (n, _) in enumerate(_sites(tree)) if i == index)
        replacement = _apply(target, kind)
        mutated = ast.unparse(_Replace(target, replacement).visit(tree))
        line = getattr(node, "lineno", 0)
        before, after = ast.unparse(node), ast.unparse(replacement)
        yield Mutant(path, line, _short(before), _short(after), index), mutated


def _short(text: str, limit: int = 70) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _targets(root: Path, patterns: Sequence[str]) -> list[str]:
    found = {str(p.relative_to(root)) for pat in patterns for p in root.glob(pat)}
    return sorted(p for p in found if not p.endswith("__init__.py"))


def _copy_tree(ref: str, into: Path) -> None:
    into.mkdir(parents=True)
    archive = subprocess.run(  # noqa: S603 (fixed arguments)
        ["git", "-C", str(ROOT), "archive", ref],  # noqa: S607 (git from PATH, as developers run it)
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)  # noqa: S603, S607


def _pytest(tree: Path, tests: Sequence[str], deselect: Sequence[str], timeout: float) -> str:
    """Run the tests in *tree*: ``"passed"``, ``"failed"`` or ``"timeout"``."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    args = [sys.executable, "-m", "pytest", *tests, "-x", "-q", "-p", "no:cacheprovider"]
    args += [f"--deselect={d}" for d in deselect]
    try:
        done = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            args, cwd=tree, env=env, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return "timeout"
    return "passed" if done.returncode == 0 else "failed"


def _already_failing(tree: Path, tests: Sequence[str]) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    args = [sys.executable, "-m", "pytest", *tests, "-q", "-rf", "-p", "no:cacheprovider"]
    out = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        args, cwd=tree, env=env, capture_output=True, text=True, check=False
    ).stdout
    return re.findall(r"^FAILED (\S+)", out, flags=re.MULTILINE)


@dataclass
class Result:
    """A mutant's outcome: ``killed``, ``survived`` or ``timeout`` (counted as killed)."""

    mutant: Mutant
    outcome: str


def run(
    mutants: list[tuple[Mutant, str]], trees: list[Path], tests: Sequence[str]
) -> tuple[list[Result], list[str]]:
    """Run every mutant, one per tree at a time; return the results and deselected tests."""
    deselect = _already_failing(trees[0], tests)
    start = time.perf_counter()
    if _pytest(trees[0], tests, deselect, timeout=600) != "passed":
        sys.exit("the tests fail on the unmutated tree even after deselection; fix them first")
    timeout = 3 * (time.perf_counter() - start) + 10
    free: Queue[Path] = Queue()
    for tree in trees:
        free.put(tree)

    def one(item: tuple[Mutant, str]) -> Result:
        mutant, source = item
        tree = free.get()
        target = tree / mutant.path
        original = target.read_text(encoding="utf-8")
        try:
            target.write_text(source, encoding="utf-8")
            outcome = _pytest(tree, tests, deselect, timeout)
        finally:
            target.write_text(original, encoding="utf-8")
            free.put(tree)
        return Result(mutant, "survived" if outcome == "passed" else outcome)

    with ThreadPoolExecutor(len(trees)) as pool:
        return list(pool.map(one, mutants)), deselect


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].strip())
    parser.add_argument("paths", nargs="*", help="modules to mutate (default: rules and engine)")
    parser.add_argument("--sample", type=int, help="run this many mutants, drawn at random")
    parser.add_argument("--seed", type=int, default=0, help="seed for --sample (default 0)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel test runs (default 2)")
    parser.add_argument("--ref", default="HEAD", help="the commit to mutate (default HEAD)")
    parser.add_argument("--tests", nargs="+", default=list(TESTS), help="tests to run")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--json", type=Path, help="also write every result to this file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Generate, run and report; exit 0 (the score is for people to read, not a gate)."""
    args = _parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
        trees = [Path(tmp) / f"w{j}" for j in range(1 if args.list else args.jobs)]
        for tree in trees:
            _copy_tree(args.ref, tree)
        paths = _targets(trees[0], args.paths or TARGETS)
        mutants = [m for p in paths for m in mutants_of(trees[0], p)]
        total = len(mutants)
        if args.sample is not None and args.sample < total:
            pick = random.Random(args.seed)  # noqa: S311 (sampling, not secrets)
            mutants = pick.sample(mutants, args.sample)
            mutants.sort(key=lambda m: (m[0].path, m[0].index))
        if args.list:
            sys.stdout.write("".join(f"{m}\n" for m, _ in mutants) + f"{len(mutants)} mutants\n")
            return 0
        started = time.perf_counter()
        results, deselected = run(mutants, trees, args.tests)
    survivors = [r for r in results if r.outcome == "survived"]
    killed = len(results) - len(survivors)
    for r in survivors:
        sys.stdout.write(f"survived: {r.mutant}\n")
    for test in deselected:
        sys.stdout.write(f"deselected (fails unmutated): {test}\n")
    minutes = (time.perf_counter() - started) / 60
    sys.stdout.write(
        f"{killed}/{len(results)} killed ({100 * killed / max(len(results), 1):.1f}%),"
        f" {len(results)} of {total} mutants, {minutes:.1f} min\n"
    )
    if args.json:
        rows = [{**asdict(r.mutant), "outcome": r.outcome} for r in results]
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
