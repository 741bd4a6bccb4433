"""The strategies import on their own, in a fresh interpreter, whatever was imported first."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "statement",
    [
        "import trauma_incidents.strategies",
        "from trauma_incidents.strategies import incidents",
        "import hypothesis; import trauma_incidents.strategies",
        "from trauma_incidents.strategies._internal._base import DAY",
    ],
)
def test_a_fresh_import_works(statement: str) -> None:
    """Importing hypothesis runs the entry-point hook, which must not find a module half made."""
    done = subprocess.run(  # noqa: S603 (fixed statements above)
        [sys.executable, "-c", statement], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
