"""
Rule packs: the built-in ones, installed ones (entry points) and declarative files.

An installed distribution offers packs through the ``trauma_incidents.packs`` entry point
group; each entry point names a `Pack`, or a function without arguments that returns one.
Discovery is three small steps: find the entry points, load each, check it. A declarative
pack file (TOML; YAML with the ``yaml`` extra; JSON) is data only and never runs code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
from attrs import frozen

from trauma_incidents import _toml
from trauma_incidents.errors import PackError, PackLoadError
from trauma_incidents.packs._pack import Pack, builtin_packs

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

__all__ = [
    "ENTRY_POINT_GROUP",
    "MAX_PACK_FILE_BYTES",
    "MAX_YAML_VALUES",
    "Available",
    "Pack",
    "available_packs",
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
    # importlib.metadata costs more to import (email, zipfile) than the search: on first use
    from importlib.metadata import entry_points  # noqa: PLC0415

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
        raise PackLoadError(_display_name(ep), e, entry_point=ep.name) from e
    if not isinstance(pack, Pack):
        err = TypeError(f"expected a Pack, got {type(pack).__name__}")
        reason = f"{err}"
        raise PackLoadError(_display_name(ep), err, entry_point=ep.name, reason=reason)
    return pack


def _parse(path: Path, raw: bytes) -> object:
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return _toml.loads(raw.decode("utf-8"))
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


_SEGMENT = re.compile(r"([A-Za-z_][\w-]*)|\[(\d+)\]")
_META_WORD = re.compile(r"^(code|name|sources|option|a deadline rule)\b")


def _steps(problem: str) -> list[str | int]:
    """The key path a problem names: ``rules[1].when.restrictive`` gives rules, 1, when, ..."""
    where, _, what = problem.partition(": ")
    steps: list[str | int] = [
        name or int(index) for name, index in _SEGMENT.findall(where) if name or index
    ]
    meta = _META_WORD.match(what)
    if len(steps) == 2 and steps[0] == "rules" and meta:  # noqa: PLR2004 (rules[i]: about a key)
        word = meta.group(1)
        steps.append("within" if word == "a deadline rule" else word)
    return steps


def _toml_line(raw: bytes, steps: list[str | int]) -> int | None:
    """The line of the key *steps* lead to in a TOML pack, searching in file order."""
    lines = raw.decode("utf-8", "replace").splitlines()
    if not steps or steps[0] not in {"rules", "pack"}:
        return None
    header = "[[rules]]" if steps[0] == "rules" else "[pack]"
    starts = [n for n, line in enumerate(lines) if line.strip() == header]
    nth = steps[1] if steps[0] == "rules" and len(steps) > 1 else 0
    if not isinstance(nth, int) or nth >= len(starts):
        return None
    at, end = starts[nth], len(lines)
    if steps[0] == "rules" and nth + 1 < len(starts):
        end = starts[nth + 1]
    for step in steps[2 if steps[0] == "rules" else 1 :]:
        if isinstance(step, int):
            continue
        key = re.compile(rf"(^|[\s{{,.\[]){re.escape(step)}(\s*=|\]|\.)")
        found = next((n for n in range(at, end) if key.search(lines[n].split("#")[0])), None)
        if found is None:
            break
        at = found
    return at + 1


def _yaml_line(raw: bytes, steps: list[str | int]) -> int | None:
    """The line of the key *steps* lead to in a YAML pack."""
    import yaml  # noqa: PLC0415 (optional dependency, present when the file was parsed)

    node = yaml.compose(raw)
    line = None
    for step in steps:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            pair = next(((k, v) for k, v in node.value if k.value == step), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                break
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _with_line(problem: str, raw: bytes, suffix: str) -> str:
    """*problem* prefixed by the line of the key it names, where that can be found."""
    steps = _steps(problem)
    if suffix == ".toml":
        line = _toml_line(raw, steps)
    elif suffix in {".yaml", ".yml"}:
        line = _yaml_line(raw, steps)
    else:
        line = None
    return problem if line is None else f"line {line}: {problem}"


def load_pack_file(
    path: str | os.PathLike[str], *, others: Mapping[str, str] | None = None
) -> Pack:
    """
    Read and check a declarative pack; raise `PackError` listing every problem.

    Each problem names its key and, for TOML and YAML files, the line of that key; a bad
    value that is not free text is echoed with the nearest valid one.

    Args:
        path: The pack file.
        others: Rule codes of the other packs available, with their pack's name: a rule in
            the file using one of them is a problem (`available_packs` passes them).
    """
    path = Path(path)
    raw = _read(path)
    try:
        data = _parse(path, raw)
    except PackError:
        raise
    except (ValueError, RecursionError) as e:
        msg = f"{path}: cannot be read as a pack ({type(e).__name__}: {e})"
        raise PackError(msg) from None
    from trauma_incidents.packs import _declarative  # noqa: PLC0415 (only for pack files)

    pack, problems = _declarative.pack_from_data(data)
    problems += _taken(data, others or {})
    if pack is None or problems:
        msg = f"{path}: invalid pack"
        suffix = path.suffix.lower()
        raise PackError(msg, [_with_line(p, raw, suffix) for p in problems])
    return pack


def _taken(data: object, others: Mapping[str, str]) -> list[str]:
    """A problem for each rule in *data* whose code another available pack declares."""
    rules = data.get("rules") if isinstance(data, Mapping) else None
    return [
        f"rules[{i}].code: {r['code']} is a rule of the pack {others[r['code']]!r}"
        for i, r in enumerate(rules if isinstance(rules, list) else [])
        if isinstance(r, Mapping) and isinstance(r.get("code"), str) and r["code"] in others
    ]


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


@frozen
class Available:
    """
    The packs that can be enabled, and the installed ones that failed to load.

    Attributes:
        packs: Built-in, installed and file packs, by name.
        broken: Installed packs whose entry point failed, by entry point name. A broken
            pack is an error only when enabled (`require`) or listed.
    """

    packs: dict[str, Pack]
    broken: dict[str, PackLoadError]

    def require(self, names: Iterable[str]) -> None:
        """
        Raise the load error of the first of *names* that is a broken pack.

        Raises:
            PackLoadError: One of *names* names a pack that failed to load.
        """
        for name in names:
            if name in self.broken and name not in self.packs:
                raise self.broken[name]


def available_packs(*, files: Iterable[str | os.PathLike[str]] = ()) -> Available:
    """
    Every pack available: built-in, installed, and from *files*; and the broken ones.

    Raises:
        PackError: A file is invalid, or two packs share a name.
    """
    found: dict[str, tuple[Pack, str]] = {n: (p, "built in") for n, p in builtin_packs().items()}
    candidates: list[tuple[Pack, str]] = []
    broken: dict[str, PackLoadError] = {}
    for ep in find_entry_points():
        try:
            candidates.append((load_entry_point(ep), _display_name(ep)))
        except PackLoadError as e:  # noqa: PERF203 (one broken pack must not hide the rest)
            broken[ep.name] = e
    codes = {r.meta.code: p.name for p, _ in [*found.values(), *candidates] for r in p.rules}
    candidates += [(load_pack_file(f, others=codes), str(f)) for f in files]
    for pack, origin in candidates:
        if pack.name in found:
            _, other = found[pack.name]
            msg = f"two packs are named {pack.name!r}: {other} and {origin}"
            raise PackError(msg)
        found[pack.name] = (pack, origin)
    return Available({name: pack for name, (pack, _) in found.items()}, broken)


def discover_packs(*, files: Iterable[str | os.PathLike[str]] = ()) -> dict[str, Pack]:
    """
    Every pack that loads: built-in, installed, and from *files*, by name.

    Installed packs that fail to load are left out (see `available_packs`).

    Raises:
        PackError: A file is invalid, or two packs share a name.
    """
    return available_packs(files=files).packs
