"""
`TypedDict` for the dumped JSON shapes, of the kind pydantic (FastAPI) can read.

Before Python 3.12 pydantic refuses `typing.TypedDict` as a model, so response models
declared from `trauma_incidents.FindingDict` and its kin need `typing_extensions`' one.
"""

from __future__ import annotations

import sys

if sys.version_info >= (3, 12):
    from typing import TypedDict
else:
    from typing_extensions import TypedDict

__all__ = ["TypedDict"]
