"""Core rule on the words used in incident summaries (LG001)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, cast

from trauma_incidents.model._incident import Incident
from trauma_incidents.rules._findings import Evidence, FindingSeverity, Status
from trauma_incidents.rules._metadata import RuleMeta
from trauma_incidents.rules._shapes import Verdict, rule

#: Discouraged terms and the suggested alternative for each (LANG-* in the requirements).
TERMS: dict[str, str] = {
    "attention seeking": "seeking connection or reassurance; describe the behaviour",
    "manipulative": "trying to get a need met (describe it)",
    "non-compliant": "declined / chose not to (record why)",
    "refused": "declined / chose not to (record why)",
    "challenging behaviour": "behaviour of distress; describe what happened",
    "kicked off": "behaviour of distress; describe what happened",
    "tantrum": "behaviour of distress; describe what happened",
    "absconded": "left without support / whereabouts unknown",
    "aggressive": "describe the action",
    "demanding": "made repeated requests",
    "needy": "sought reassurance",
    "service user": "the person's name / person we support",
    "placement": "the person's name / person we support",
    "non-verbal": "communicates without words",
    "committed suicide": "died by suicide",
}


def _pattern(term: str) -> str:
    words = re.split(r"[ -]", term)
    return r"[ \-]".join(re.escape(w) for w in words) + "s?"


_TERM_LIST = list(TERMS)
_REGEX = re.compile(
    r"\b(?:" + "|".join(f"(?P<t{i}>{_pattern(t)})" for i, t in enumerate(_TERM_LIST)) + r")\b",
    re.IGNORECASE,
)


#: Words too common in care records to say much on their own.
_COMMON = frozenset({"non", "off", "service", "behaviour"})
#: One telling word of each term (its longest uncommon one): ASCII text containing none of
#: them, in any case, cannot contain a term, and needs no regular expression.
_KEYWORDS = tuple(
    sorted({max((w for w in re.split(r"[ -]", t) if w not in _COMMON), key=len) for t in TERMS})
)


def discouraged_terms(text: str) -> list[str]:
    """The distinct discouraged terms in *text*, in order of first use."""
    # Only for ASCII is lower() exact: the expression also matches a long s for "s".
    if text.isascii():
        lower = text.lower()
        if not any(word in lower for word in _KEYWORDS):
            return []
    found: dict[str, None] = {}
    for m in _REGEX.finditer(text):
        # Every alternative of _REGEX is a named group, so a match always has a last group.
        group = cast("str", m.lastgroup)
        found.setdefault(_TERM_LIST[int(group[1:])], None)
    return list(found)


@rule(
    RuleMeta(
        code="LG001",
        name="discouraged-language",
        summary=(
            "A summary that uses a discouraged term (one finding per distinct term, keyed by the"
            " term, with a suggested alternative; the surrounding text is never repeated)."
        ),
        rationale=(
            "Words shape how a person is seen: labels such as these frame distress as misconduct"
            " and follow the person through their records. Describe what happened and what the"
            " person may have been communicating."
        ),
        example='A summary saying "the service user kicked off": two findings, one per term.',
        severity=FindingSeverity.INFO,
        sources=("LANG-DIMENSIONS", "LANG-CLINICAL", "LANG-UK-OTHER", "OHID-TIP-2022"),
    ),
    gate=["summary"],
)
def LG001(incident: Incident, _at: datetime, _options: Mapping[str, Any]) -> Iterable[Verdict]:  # noqa: N802
    """Flag each distinct discouraged term in the summary."""
    if not incident.summary:
        return ()
    return [
        Verdict(
            key=term,
            status=Status.CONCERN,
            message=f'The summary uses "{term}"; consider: {TERMS[term]}.',
            evidence=(Evidence("$.summary", term),),
        )
        for term in discouraged_terms(incident.summary)
    ]


RULES = (LG001,)
