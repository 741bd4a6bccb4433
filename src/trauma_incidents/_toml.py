"""TOML text read on first use: the parser costs startup time that most runs do not need."""

from __future__ import annotations

import sys
from typing import Any


def loads(text: str) -> dict[str, Any]:
    """
    Parse TOML *text*.

    Raises:
        ValueError: It is not valid TOML (tomllib's ``TOMLDecodeError``, with its position).
    """
    if sys.version_info >= (3, 11):
        import tomllib  # noqa: PLC0415 (lazy)
    else:  # pragma: no cover (Python 3.10 only)
        import tomli as tomllib  # noqa: PLC0415 (lazy)
    return tomllib.loads(text)
