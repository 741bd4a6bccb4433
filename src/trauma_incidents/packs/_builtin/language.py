"""Core rule on the words used in incident summaries (LG001)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, cast

from trauma_incidents.model._incident import Incident
from trauma_incidents.rules._findings import Evidence, FindingSeverity, Status
from trauma_incidents.rules._metadata import Change, RuleMeta
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
    "lashed out": "describe the action and what preceded it",
    "uncooperative": "describe what was asked and what the person did or said",
    "wandering": "walking (with purpose); describe where and why, if known",
}

_DISTRESSED = "became distressed; describe what happened"
_NOT_FOLLOWED = "did not follow the plan; record why"

#: Other word forms of the terms: each form, the listed term it counts as (the finding's key),
#: and its own suggested alternative where the requirements' table gives one.
FORMS: dict[str, tuple[str, str | None]] = {
    "refuse": ("refused", None),
    "refuses": ("refused", None),
    "refusing": ("refused", None),
    "kick off": ("kicked off", _DISTRESSED),
    "kicks off": ("kicked off", _DISTRESSED),
    "kicking off": ("kicked off", _DISTRESSED),
    "abscond": ("absconded", None),
    "absconds": ("absconded", None),
    "absconding": ("absconded", None),
    "noncompliant": ("non-compliant", _NOT_FOLLOWED),
    "non-compliance": ("non-compliant", _NOT_FOLLOWED),
    "noncompliance": ("non-compliant", _NOT_FOLLOWED),
    "lash out": ("lashed out", None),
    "lashes out": ("lashed out", None),
    "lashing out": ("lashed out", None),
    "wandered": ("wandering", None),
    "wanders": ("wandering", None),
}


def _pattern(form: str) -> str:
    words = re.split(r"[ -]", form)
    return r"[ \-]".join(re.escape(w) for w in words) + "s?"


#: Every form the expression finds (each term is a form of itself), in group order.
_FORM_LIST = [*TERMS, *FORMS]
_REGEX = re.compile(
    r"\b(?:" + "|".join(f"(?P<f{i}>{_pattern(f)})" for i, f in enumerate(_FORM_LIST)) + r")\b",
    re.IGNORECASE,
)


#: Words too common in care records to say much on their own.
_COMMON = frozenset({"non", "off", "out", "service", "behaviour"})


def _keywords() -> tuple[str, ...]:
    """One telling word of each form (its longest uncommon one), less those holding another."""
    words = {
        max((w for w in re.split(r"[ -]", f) if w not in _COMMON), key=len) for f in _FORM_LIST
    }
    return tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))


#: ASCII text containing none of these, in any case, cannot contain a form, and needs no
#: regular expression.
_KEYWORDS = _keywords()


def _has_keyword(lower: str) -> bool:
    """Whether lower-case *lower* contains one of `_KEYWORDS`."""
    for word in _KEYWORDS:  # noqa: SIM110 (a loop: `any` over a generator is a third slower)
        if word in lower:
            return True
    return False


def discouraged_terms(text: str) -> dict[str, str]:
    """Each distinct discouraged term in *text*, in order of first use, with its first form."""
    # Only for ASCII is lower() exact: the expression also matches a long s for "s".
    if text.isascii() and not _has_keyword(text.lower()):
        return {}
    found: dict[str, str] = {}
    for m in _REGEX.finditer(text):
        # Every alternative of _REGEX is a named group, so a match always has a last group.
        form = _FORM_LIST[int(cast("str", m.lastgroup)[1:])]
        found.setdefault(FORMS[form][0] if form in FORMS else form, form)
    return found


def _message(term: str, form: str) -> str:
    if form == term:
        return f'The summary uses "{term}"; consider: {TERMS[term]}.'
    alternative = FORMS[form][1] or TERMS[term]
    return f'The summary uses "{form}" (a form of "{term}"); consider: {alternative}.'


@rule(
    RuleMeta(
        code="LG001",
        name="discouraged-language",
        summary=(
            "A summary that uses a discouraged term or a word form of one (one finding per"
            " distinct term, keyed by the term, with a suggested alternative; the surrounding"
            " text is never repeated)."
        ),
        rationale=(
            "Words shape how a person is seen: labels such as these frame distress as misconduct"
            " and follow the person through their records. Describe what happened and what the"
            " person may have been communicating."
        ),
        example='A summary saying "the service user kicked off": two findings, one per term.',
        severity=FindingSeverity.INFO,
        sources=("LANG-DIMENSIONS", "LANG-CLINICAL", "LANG-UK-OTHER", "OHID-TIP-2022"),
        changes=(
            Change(
                "2.0",
                "Also finds word forms (refusing, kicks off, absconding, non-compliance,"
                " noncompliant, ...) under the listed term's key, and the new terms"
                ' "lashed out", "uncooperative" and "wandering"; the evidence value is the'
                ' form found. "meltdown" and "behaviour that challenges" are not flagged.',
            ),
        ),
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
            message=_message(term, form),
            evidence=(Evidence("$.summary", form),),
        )
        for term, form in discouraged_terms(incident.summary).items()
    ]


RULES = (LG001,)
