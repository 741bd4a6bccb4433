"""
Control characters: those no identifier holds, and none of our outputs writes raw.

A control character in an id could clear a terminal, set its title, forge a table row or
turn text backwards (bidi overrides), and Python 3.10's `csv` refuses NUL. The format refuses
them in identifiers; text written for people or spreadsheets escapes any that reach it.
"""

from __future__ import annotations

import re

#: C0 and C1 controls, DEL, the line and paragraph separators, the bidi embeddings, overrides
#: and isolates, and lone surrogates (text that cannot be encoded as UTF-8), as the inside of
#: a regular expression's character class (escaped, so that it is also a JSON Schema's).
CONTROL_CLASS = r"\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
CONTROL = re.compile(f"[{CONTROL_CLASS}]")


def printable(text: str) -> str:
    r"""
    *text* with each control character escaped as Python writes it (``\x1b``, ``\u202e``).

    >>> printable("INC-1\x1b[2J")
    'INC-1\\x1b[2J'
    """
    return CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    return match[0].encode("unicode_escape", "backslashreplace").decode("ascii")
