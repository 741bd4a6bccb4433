"""
The language rule LG001.

This is the one module where the discouraged terms are written out: the rule's tests need them.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents.packs._builtin.language import (
    _FORM_LIST,
    _REGEX,
    FORMS,
    TERMS,
    discouraged_terms,
)
from trauma_incidents.rules import Evidence, FindingSeverity, Status

from .builders import DAY, HOUR, T0, findings, incident

LATER = T0 + DAY


def _terms(summary: str | None) -> list[str | None]:
    return [f.key for f in findings(incident(summary=summary), LATER, "LG001")]


@pytest.mark.parametrize(
    ("summary", "term"),
    [
        ("Staff described it as attention seeking.", "attention seeking"),
        ("Noted as Attention-Seeking in handover.", "attention seeking"),
        ("Recorded as manipulative.", "manipulative"),
        ("Described as non-compliant with the plan.", "non-compliant"),
        ("Described as non compliant with the plan.", "non-compliant"),
        ("NON-COMPLIANT noted.", "non-compliant"),
        ("She refused her lunch.", "refused"),
        ("A history of challenging behaviour.", "challenging behaviour"),
        ("Several challenging-behaviours logged.", "challenging behaviour"),
        ("He kicked off in the lounge.", "kicked off"),
        ("He kicked-off in the lounge.", "kicked off"),
        ("A tantrum at tea time.", "tantrum"),
        ("Tantrums at tea time.", "tantrum"),
        ("The person absconded.", "absconded"),
        ("Became aggressive.", "aggressive"),
        ("Described as demanding.", "demanding"),
        ("Described as needy.", "needy"),
        ("The service user was upset.", "service user"),
        ("Other service users were moved.", "service user"),
        ("SERVICE-USERS were moved.", "service user"),
        ("The placement was reviewed.", "placement"),
        ("Two placements were reviewed.", "placement"),
        ("Described as non-verbal.", "non-verbal"),
        ("Described as non verbal.", "non-verbal"),
        ("Described as Non-Verbal.", "non-verbal"),
        ("Worried he had committed suicide.", "committed suicide"),
        ("(refused).", "refused"),
        ("She refuses her tea.", "refused"),
        ("Refusing to get up.", "refused"),
        ("Tends to refuse help.", "refused"),
        ("He kicks off at meals.", "kicked off"),
        ("Kicking off in the garden.", "kicked off"),
        ("He may kick off.", "kicked off"),
        ("Kicking-off noted.", "kicked off"),
        ("Absconds from the garden.", "absconded"),
        ("Absconding at night.", "absconded"),
        ("Likely to abscond.", "absconded"),
        ("Recorded as noncompliant.", "non-compliant"),
        ("Non-compliance with the plan.", "non-compliant"),
        ("Non compliance with the plan.", "non-compliant"),
        ("Noncompliance with the plan.", "non-compliant"),
        ("He lashed out.", "lashed out"),
        ("He lashes out when rushed.", "lashed out"),
        ("Lashing-out noted.", "lashed out"),
        ("May lash out.", "lashed out"),
        ("Uncooperative with staff.", "uncooperative"),
        ("Wandering in the corridor.", "wandering"),
        ("Wandered off after tea.", "wandering"),
        ("He wanders at night.", "wandering"),
    ],
)
def test_each_term_is_found(summary: str, term: str) -> None:
    """Each term is found whatever its case, hyphen or space, plain plural and word form."""
    assert [term] == _terms(summary)


@pytest.mark.parametrize(
    "summary",
    [
        pytest.param("Her placemental notes were read.", id="placemental"),
        pytest.param("Nothing unmanipulative was seen.", id="prefix"),
        pytest.param("He moved aggressively.", id="suffix"),
        pytest.param("Neediness was not recorded.", id="neediness"),
        pytest.param("Recorded as noncompliantly.", id="noncompliantly"),
        pytest.param("It was a meltdown; they call it that themselves.", id="meltdown"),
        pytest.param("NICE's term is behaviour that challenges.", id="behaviour-that-challenges"),
        pytest.param("Behaviours that challenge were described.", id="behaviours-that-challenge"),
        pytest.param("He kicked the ball off the pitch.", id="kicked-apart"),
        pytest.param("The wanderer returned.", id="wanderer"),
        pytest.param("The service_user field.", id="underscore"),
        pytest.param("He kicked offside.", id="offside"),
        pytest.param("The person chose not to eat and asked for reassurance.", id="neutral"),
        pytest.param("", id="empty"),
        pytest.param(None, id="none"),
    ],
)
def test_no_partial_word_matches(summary: str | None) -> None:
    """Only whole words match; a neutral, empty or absent summary has no finding."""
    assert not _terms(summary)


def test_each_distinct_term_once_in_order_of_first_use() -> None:
    """A term used again (or in the plural) is one finding; findings follow first use."""
    summary = "Needy, then refused; the tantrum ended. Refused again. Tantrums later. NEEDY."

    assert _terms(summary) == ["needy", "refused", "tantrum"]


def test_forms_count_as_their_term() -> None:
    """Forms of one term are one finding, keyed by the listed term, in order of first use."""
    summary = "Refusing food, kicking off, then refused again and kicks off."

    assert _terms(summary) == ["refused", "kicked off"]


@pytest.mark.parametrize(
    ("summary", "message", "value"),
    [
        pytest.param(
            "He was refusing lunch.",
            'The summary uses "refusing" (a form of "refused");'
            " consider: declined / chose not to (record why).",
            "refusing",
            id="same-alternative",
        ),
        pytest.param(
            "Kicking off again.",
            'The summary uses "kicking off" (a form of "kicked off");'
            " consider: became distressed; describe what happened.",
            "kicking off",
            id="own-alternative",
        ),
        pytest.param(
            "Noted as noncompliant.",
            'The summary uses "noncompliant" (a form of "non-compliant");'
            " consider: did not follow the plan; record why.",
            "noncompliant",
            id="non-compliance",
        ),
        pytest.param(
            "Uncooperative at breakfast.",
            'The summary uses "uncooperative";'
            " consider: describe what was asked and what the person did or said.",
            "uncooperative",
            id="new-term",
        ),
    ],
)
def test_a_form_names_itself_and_its_term(summary: str, message: str, value: str) -> None:
    """The message names the form found (never the text around it) and an alternative."""
    [found] = findings(incident(summary=summary), LATER, "LG001")

    assert (message, (Evidence("$.summary", value),)) == (found.message, found.evidence)


def test_finding() -> None:
    """The finding names the term and an alternative, never the surrounding text."""
    found = findings(incident(summary="Tom, a service user, became upset."), LATER, "LG001")

    assert len(found) == 1
    f = found[0]
    assert (
        f.status,
        f.severity,
        f.key,
        f.due_at,
    ) == (Status.CONCERN, FindingSeverity.INFO, "service user", None)
    assert f.message == (
        'The summary uses "service user"; consider: the person\'s name / person we support.'
    )
    assert (Evidence("$.summary", "service user"),) == f.evidence
    assert "Tom" not in f.message


def test_severity_and_enabled_options() -> None:
    """LG001 has no options of its own; severity and enabled apply."""
    inc = incident(summary="Described as needy.")

    [found] = findings(inc, LATER, "LG001", {"rules": {"LG001": {"severity": "low"}}})

    assert found.severity == FindingSeverity.LOW
    assert not findings(inc, LATER, "LG001", {"rules": {"LG001": {"enabled": False}}})


def test_incident_after_at_is_not_judged() -> None:
    """The summary of an incident that has not happened yet is not judged."""
    assert not findings(incident(summary="Described as needy."), T0 - HOUR, "LG001")


_PIECES = st.sampled_from(
    [
        *TERMS,
        *FORMS,
        "KICKED OFF",
        "Service-Users",
        "offered",
        "the service",
        "\u017f",
        "\u212a",
    ]
)


@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=8).map(" ".join))
def test_the_keyword_screen_never_hides_a_term(text: str) -> None:
    """The cheap screen before the expression gives exactly the expression's answer."""
    expected: dict[str, str] = {}
    for m in _REGEX.finditer(text):
        form = _FORM_LIST[int(str(m.lastgroup)[1:])]
        expected.setdefault(FORMS[form][0] if form in FORMS else form, form)
    assert discouraged_terms(text) == expected


def test_non_ascii_case_variants_are_found() -> None:
    """Case-insensitive matching also knows the long s and the Kelvin sign."""
    assert discouraged_terms("\u212aicked off") == {"kicked off": "kicked off"}
    assert discouraged_terms("refu\u017fed") == {"refused": "refused"}
    assert discouraged_terms("\u212aicking off") == {"kicked off": "kicking off"}
