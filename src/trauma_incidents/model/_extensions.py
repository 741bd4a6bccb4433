"""
Vocabulary extensions in force while loading: the values the enabled packs add.

The loaders are strict by default. ``with extended(ruleset.vocabularies):`` lets them
accept, in that block (and context), the local values the enabled packs declare
(`trauma_incidents.packs.Pack.vocabularies`); declarative pack files are parsed the same way,
so their rules can name their own values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType

from trauma_incidents.model._vocabularies import Vocabulary, local_value

__all__ = ["Extensions", "extended", "extension", "extensions"]

#: Vocabulary values added by the enabled packs, by vocabulary.
Extensions = Mapping[type[Vocabulary], frozenset[str]]

_NONE: Extensions = MappingProxyType({})
_EXTENDED: ContextVar[Extensions] = ContextVar("trauma_incidents_extended", default=_NONE)


def extension(cls: type[Vocabulary], value: object) -> Vocabulary | None:
    """The local value *value* of *cls* if the extensions in force declare it, else ``None``."""
    if isinstance(value, str) and value in _EXTENDED.get().get(cls, ()):
        return local_value(cls, value)
    return None


def extensions() -> Extensions:
    """The extensions in force (none outside `extended`)."""
    return _EXTENDED.get()


@contextmanager
def extended(values: Extensions) -> Iterator[None]:
    """Accept *values* (the enabled packs' local values) while loading, in this block."""
    token = _EXTENDED.set(MappingProxyType(dict(values)))
    try:
        yield
    finally:
        _EXTENDED.reset(token)
