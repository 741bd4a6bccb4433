"""
Rule packs: the built-in ones, installed ones (entry points) and declarative files.

An installed distribution offers packs through the ``trauma_incidents.packs`` entry point
group; each entry point names a `Pack`, or a function without arguments that returns one.
Discovery is three small steps: find the entry points, load each, check it. A declarative
pack file (TOML; YAML with the ``yaml`` extra; JSON) is data only and never runs code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import orjson

from trauma_incidents.errors import PackError, PackLoadError
from trauma_incidents.packs import _declarative
from trauma_incidents.packs._pack import Pack, builtin_packs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover (Python 3.10 only)
    import tomli as tomllib

__all__ = [
    "ENTRY_POINT_GROUP",
    "MAX_PACK_FILE_BYTES",
    "MAX_YAML_VALUES",
    "Pack",
    "builtin_packs",
    "discover_packs",
    "find_entry_points",
    "load_entry_point",
    "load_pack_file",
]

#: The entry point group installed packs register under.
ENTRY_POINT_GROUP = "trauma_incidents.packs"
#: A declarative pack file larger than this is refused unread.
MAX_PACK_FILE_BYTES = 1_000_000


def find_entry_points() -> list[EntryPoint]:
    """The installed packs' entry points, sorted by name."""
    return sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


def _display_name(ep: EntryPoint) -> str:
    dist = ep.dist.name if ep.dist is not None else "<unknown distribution>"
    return f"{dist}[{ep.name}]"


def load_entry_point(ep: EntryPoint) -> Pack:
    """Load one entry point into a `Pack`; raise `PackLoadError` naming it."""
    try:
        obj = ep.load()
        pack = obj() if callable(obj) and not isinstance(obj, Pack) else obj
    except Exception as e:
        raise PackLoadError(_display_name(ep), e) from e
    if not isinstance(pack, Pack):
        err = TypeError(f"expected a Pack, got {type(pack).__name__}")
        raise PackLoadError(_display_name(ep), err)
    return pack


def _parse(path: Path, raw: bytes) -> object:
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return tomllib.loads(raw.decode("utf-8"))
    if suffix == ".json":
        return orjson.loads(raw)
    if suffix in {".yaml", ".yml"}:
        try:
            import yaml  # noqa: PLC0415 (optional dependency)
        except ImportError:
            msg = f"{path}: reading YAML packs needs PyYAML: pip install 'trauma-incidents[yaml]'"
            raise PackError(msg) from None
        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError as e:
            msg = f"{path}: not valid YAML ({type(e).__name__})"
            raise PackError(msg) from None
        _check_expansion(path, data)
        return data
    msg = f"{path}: a pack file must end in .toml, .json, .yaml or .yml"
    raise PackError(msg)


#: The most values (scalars, lists, mappings) a YAML pack may hold once its aliases are
#: expanded: a pack of the largest size holds far fewer, and "billion laughs" far more.
MAX_YAML_VALUES = 100_000


def _check_expansion(path: Path, data: object) -> None:
    """Refuse YAML whose aliases expand past `MAX_YAML_VALUES`, counting no further."""
    count, stack = 0, [data]
    while stack:
        value = stack.pop()
        count += 1
        if count > MAX_YAML_VALUES:
            msg = f"{path}: more than {MAX_YAML_VALUES} values once YAML aliases are expanded"
            raise PackError(msg)
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def _rule_lines(raw: bytes) -> list[int]:
    """The line of each ``[[rules]]`` header, in order (TOML only)."""
    lines = raw.decode("utf-8", "replace").splitlines()
    return [n for n, line in enumerate(lines, 1) if line.strip() == "[[rules]]"]


def _with_line(problem: str, lines: list[int]) -> str:
    if problem.startswith("rules[") and lines:
        index = int(problem[6 : problem.index("]")])
        if index < len(lines):
            return f"line {lines[index]}: {problem}"
    return problem


def load_pack_file(path: str | os.PathLike[str]) -> Pack:
    """Read and check a declarative pack; raise `PackError` listing every problem."""
    path = Path(path)
    raw = _read(path)
    try:
        data = _parse(path, raw)
    except PackError:
        raise
    except (ValueError, RecursionError) as e:
        msg = f"{path}: cannot be read as a pack ({type(e).__name__}: {e})"
        raise PackError(msg) from None
    pack, problems = _declarative.pack_from_data(data)
    if pack is None:
        lines = _rule_lines(raw) if path.suffix.lower() == ".toml" else []
        msg = f"{path}: invalid pack"
        raise PackError(msg, [_with_line(p, lines) for p in problems])
    return pack


def _read(path: Path) -> bytes:
    """The file's bytes, reading no more than the limit (a special file's size is not known)."""
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_PACK_FILE_BYTES + 1)
    except OSError as e:
        msg = f"{path}: cannot be read ({type(e).__name__})"
        raise PackError(msg) from None
    if len(raw) > MAX_PACK_FILE_BYTES:
        msg = f"{path}: larger than {MAX_PACK_FILE_BYTES} bytes"
        raise PackError(msg)
    return raw


def discover_packs(*, files: Iterable[str | os.PathLike[str]] = ()) -> dict[str, Pack]:
    """
    Every pack available: built-in, installed, and from *files*, by name.

    Raises:
        PackLoadError: An installed pack failed to load.
        PackError: A file is invalid, or two packs share a name.
    """
    found: dict[str, tuple[Pack, str]] = {n: (p, "built in") for n, p in builtin_packs().items()}
    candidates = [(load_entry_point(ep), _display_name(ep)) for ep in find_entry_points()]
    candidates += [(load_pack_file(f), str(f)) for f in files]
    for pack, origin in candidates:
        if pack.name in found:
            _, other = found[pack.name]
            msg = f"two packs are named {pack.name!r}: {other} and {origin}"
            raise PackError(msg)
        found[pack.name] = (pack, origin)
    return {name: pack for name, (pack, _) in found.items()}
