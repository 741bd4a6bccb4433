"""
Machine-readable figures of a benchmark script, for the summary `run.py` prints.

Each script prints a table for people and, given ``--json FILE``, also writes its figures
to FILE as one JSON object (names to numbers), so that nothing parses the human tables.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

Figures = dict[str, float]


def add_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--json FILE`` to a script's options."""
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")


def save(path: Path | None, figures: Figures) -> None:
    """Write *figures* to *path* as JSON, if a path was given."""
    if path is not None:
        path.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n", encoding="utf-8")
