"""
Markdown for the evidence report: text that cannot become markup, and tables.

Every cell and line built from data goes through `markdown_text`, so an id or a service
name is shown as it is and never read as Markdown or HTML.
"""

from __future__ import annotations

import re

from trauma_incidents._printable import printable

__all__ = ["markdown_table", "markdown_text"]


def _row(cells: list[object]) -> str:
    return "| " + " | ".join(markdown_text(str(c)) for c in cells) + " |"


#: Characters Markdown (or HTML inside it) could read as markup: each gets a backslash.
_MARKUP = re.compile(r"([\\`*_\[\]<>|~!&#])")


def markdown_text(text: str) -> str:
    r"""
    *text* as literal Markdown: control characters escaped, markup characters backslashed.

    An id (with ``--real-ids``) or a service name cannot start a link, an image, an HTML tag
    or a new table row, nor reach a terminal as an escape sequence.

    >>> markdown_text("<img src=x>|[a](b)\x1b")
    '\\<img src=x\\>\\|\\[a\\](b)\\\\x1b'
    """
    return _MARKUP.sub(r"\\\1", printable(text))


def markdown_table(head: list[str], rows: list[list[object]]) -> list[str]:
    """A Markdown table of *rows* under *head*, each cell literal text, then a blank line."""
    return [_row(list(head)), _row(["---"] * len(head)), *(_row(r) for r in rows), ""]
