"""
Privacy: free text from a record never leaves the library except in the record itself.

A canary (a marker string found nowhere else) is put into every text field of incidents
that is not an identifier or a vocabulary value: narratives, reasons, descriptions, roles,
references. The tests then look for it everywhere the library writes: findings and their
messages and evidence, reports and faults, log records, exception text (for invalid records
that contain it too), the ``repr`` of every model object, and every output of the command
line (``check`` in each format, ``demo`` and ``report``).

Which fields are text is read from the attrs classes themselves, and checked against the
lists below, so that a new text field fails here until it is classified.

All data is synthetic.
"""

from __future__ import annotations

import logging
import types
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import attrs
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trauma_incidents import governance, model, plans
from trauma_incidents.cli import _demo, main
from trauma_incidents.config import Config, Waiver
from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import IncidentLoadError
from trauma_incidents.loading import (
    BadRecord,
    dump_incident,
    dumps,
    load_incident,
    read_incidents,
)
from trauma_incidents.model import Incident
from trauma_incidents.strategies import incidents

MARKER = "ZQX-canary-41f7"
#: Text put into each text field: the marker beside words the language rules look for.
TEXT = f"{MARKER} the service user kicked off and refused {MARKER}"
AT = "2026-06-01T09:00:00+00:00"

#: Strings that identify (pseudonymously) and may be shown: ids and references to people.
ID_FIELDS = {
    "Action.id",
    "Action.owner_id",
    "Debrief.facilitator_id",
    "Debrief.participant_ids",
    "Incident.id",
    "Incident.person_id",
    "Incident.service_id",
    "GovernanceRecord.id",
    "IncidentReviewMeeting.id",
    "IncidentReviewMeeting.incidents_discussed",
    "IncidentReviewMeeting.service_id",
    "Intervention.staff_ids",
    "PersonInvolved.ref",
    "SupervisionSession.id",
    "SupervisionSession.incidents_reflected_on",
    "SupervisionSession.staff_id",
    "SupportPlan.coordinator_id",
    "SupportPlan.id",
    "SupportPlan.person_id",
    "ThematicReview.id",
    "ThematicReview.scope_id",
}
#: Free text in the format (docs/format.md): it may hold special-category data.
FREE_TEXT = {
    "Action.description",
    "EarlyWarningSign.description",
    "Effectiveness.evidence",
    "Incident.location",
    "Incident.summary",
    "KnownTrigger.detail",
    "Strategy.description",
    "SupportPlan.communication",
    "SupportPlan.safe_engagement",
    "SupportPlan.what_matters",
    "IncidentReviewMeeting.actions_agreed",
    "IncidentReviewMeeting.themes",
    "Intervention.reason",
    "Review.changes",
    "Review.root_causes",
    "ThematicReview.changes",
    "ThematicReview.findings",
    "Trigger.detail",
    "WarningSign.description",
    "WarningSign.response",
}
#: Other text: a role, who explained, outside references. Not ids, so never shown either.
OTHER_TEXT = {
    "Explanation.by",
    "Notification.reference",
    "Observation.by_role",
    "Safeguarding.reference",
}
TEXT_FIELDS = FREE_TEXT | OTHER_TEXT
#: The support plan classes' field prefixes (plans are records beside incidents).
PLAN_CLASSES = ("KnownTrigger.", "Strategy.", "SupportPlan.", "WarningSign.")

MODEL_CLASSES = sorted(
    {
        cls
        for module in (model, governance, plans)
        for cls in vars(module).values()
        if isinstance(cls, type) and attrs.has(cls) and cls is not BadRecord
    },
    key=lambda cls: cls.__name__,
)


def _is_text(tp: Any) -> bool:
    """Whether *tp* is ``str``, ``str | None`` or ``tuple[str, ...]``."""
    if tp is str:
        return True
    if get_origin(tp) in (Union, types.UnionType):
        return set(get_args(tp)) == {str, type(None)}
    return get_origin(tp) is tuple and get_args(tp) == (str, ...)


def _text_fields(cls: type) -> Iterator[attrs.Attribute[Any]]:
    attrs.resolve_types(cls)
    return (f for f in attrs.fields(cls) if _is_text(f.type))


ALL_TEXT_FIELDS = {
    f"{cls.__name__}.{f.name}": f for cls in MODEL_CLASSES for f in _text_fields(cls)
}


def test_every_text_field_is_classified() -> None:
    """Each `str` field of the model is an id, free text or other text; a new one must join."""
    assert set(ALL_TEXT_FIELDS) == ID_FIELDS | TEXT_FIELDS
    assert not ID_FIELDS & TEXT_FIELDS


# --- reprs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TEXT_FIELDS))
def test_text_fields_are_left_out_of_repr(name: str) -> None:
    """Every text field is declared with repr=False."""
    assert ALL_TEXT_FIELDS[name].repr is False


# --- putting the canary in ------------------------------------------------------------------


def canary(obj: Any, *, only: set[str] = TEXT_FIELDS) -> Any:
    """*obj* with every text field in *only*, set or not, holding `TEXT`, at any depth."""
    if isinstance(obj, tuple):
        return tuple(canary(item, only=only) for item in obj)
    if not attrs.has(type(obj)):
        return obj
    cls = type(obj)
    changes = {}
    for f in attrs.fields(cls):
        if not f.init:
            continue
        value = getattr(obj, f.name)
        if f"{cls.__name__}.{f.name}" in only:
            changes[f.name] = (TEXT, TEXT) if _is_tuple(f.type) else TEXT
        else:
            changes[f.name] = canary(value, only=only)
    return attrs.evolve(obj, **changes)


def _is_tuple(tp: Any) -> bool:
    return get_origin(tp) is tuple


def sample_incidents() -> list[Incident]:
    """The bundled synthetic sample, each incident with the canary in every text field."""
    data = (Path(_demo.__file__).parent.parent / "data" / _demo.SAMPLE).read_bytes()
    return [canary(r) for r in read_incidents(data) if isinstance(r, Incident)]


SAMPLE = sample_incidents()


def test_the_canary_reaches_every_text_field() -> None:
    """The marked sample holds the marker in each text field of the incident format."""
    marked = {p for incident in SAMPLE for p in _marked_paths(incident)}
    beside = ("IncidentReviewMeeting.", "ThematicReview.", *PLAN_CLASSES)
    assert marked == {n for n in TEXT_FIELDS if not n.startswith(beside)}


def _marked_paths(obj: Any) -> Iterator[str]:
    """``Class.field`` for every field of *obj* (at any depth) that holds the marker."""
    if isinstance(obj, tuple):
        for item in obj:
            yield from _marked_paths(item)
    elif attrs.has(type(obj)):
        for f in attrs.fields(type(obj)):
            value = getattr(obj, f.name)
            if value in (TEXT, (TEXT, TEXT)):
                yield f"{type(obj).__name__}.{f.name}"
            else:
                yield from _marked_paths(value)


def _assert_clean(*texts: str) -> None:
    for text in texts:
        assert MARKER not in text


# --- the library ----------------------------------------------------------------------------


def _times(incident: Incident) -> list[datetime]:
    """Times that give due, overdue and late findings."""
    start = incident.awareness_at
    return [start + timedelta(hours=2), start + timedelta(days=3), start + timedelta(days=400)]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(incident=incidents().map(canary), when=st.sampled_from([0, 1, 2]))
def test_findings_reports_and_logs_hold_no_free_text(
    incident: Incident, when: int, caplog: pytest.LogCaptureFixture
) -> None:
    """Findings (messages, keys, evidence), faults and log records never hold the marker."""
    caplog.set_level(logging.DEBUG)
    report = RuleSet.compile().evaluate([incident], at=_times(incident)[when])
    _assert_clean(repr(report), str(report.findings))
    for finding in report.findings:
        _assert_clean(finding.message, repr(finding.evidence), str(finding.key))
    _assert_clean(caplog.text, *(repr(r.args) for r in caplog.records))


def test_the_sample_gives_findings_and_none_holds_free_text() -> None:
    """The marked sample is flagged (language rules included) without repeating its text."""
    rules = RuleSet.compile()
    report = rules.evaluate(SAMPLE, at=datetime.fromisoformat(AT))
    assert {"LG001"} <= {f.rule for f in report.findings}
    _assert_clean(repr(report))


@given(incidents().map(lambda i: canary(i, only=FREE_TEXT)))
def test_model_reprs_hold_no_free_text(incident: Incident) -> None:
    """The repr of an incident, and of every part of it, leaves out its free text."""
    _assert_clean(repr(incident), str(incident))
    for value in _parts(incident):
        _assert_clean(repr(value))


def _parts(obj: Any) -> Iterator[object]:
    if isinstance(obj, tuple):
        for item in obj:
            yield from _parts(item)
    elif attrs.has(type(obj)):
        yield obj
        for f in attrs.fields(type(obj)):
            yield from _parts(getattr(obj, f.name))


def test_waiver_repr_holds_no_reason() -> None:
    """A waiver's reason may describe the person: it is not in its repr."""
    waiver = Waiver(reason=TEXT, rule="DB001", incident_id="INC-1")
    _assert_clean(repr(waiver), repr(Config(waivers=(waiver,))))


# --- exceptions for invalid records ---------------------------------------------------------


def _leaves(doc: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value in *doc*, containers included."""
    yield path
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield from _leaves(value, (*path, index))


def _replaced(doc: Any, path: tuple[Any, ...], value: object) -> Any:
    if not path:
        return value
    copy = orjson.loads(orjson.dumps(doc))
    node = copy
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return copy


@given(incidents().map(canary), st.data())
def test_load_errors_hold_no_free_text(incident: Incident, data: st.DataObject) -> None:
    """A marked record made invalid anywhere (one value set to the text) never echoes it."""
    doc = dump_incident(incident)
    path = data.draw(st.sampled_from(list(_leaves(doc))), label="path")
    bad = _replaced(doc, path, data.draw(st.sampled_from([TEXT, 5, [TEXT], {"kind": TEXT}])))
    try:
        load_incident(bad)
    except IncidentLoadError as exc:
        _assert_clean(str(exc), repr(exc), repr(exc.problems))
    (result,) = read_incidents(orjson.dumps(bad))
    if isinstance(result, BadRecord):
        _assert_clean(str(result), repr(result))


@pytest.mark.parametrize(
    "extra",
    [
        {"severity": TEXT},
        {"occurred_at": TEXT},
        {"categories": [TEXT]},
        {"summary": [TEXT]},
        {"triggers": [{"kind": TEXT, "detail": TEXT}]},
        {"actions": [{"id": "A-1", "description": TEXT, "due": TEXT}]},
        {"id": ""},
    ],
    ids=["enum", "time", "enum-in-list", "text-in-list", "nested", "due", "blank-id"],
)
def test_each_kind_of_problem_holds_no_free_text(extra: dict[str, Any]) -> None:
    """Wrong enums, times, types, nesting and blank ids are described without the value."""
    doc = {**dump_incident(SAMPLE[0]), **extra}
    with pytest.raises(IncidentLoadError) as info:
        load_incident(doc)
    _assert_clean(str(info.value), repr(info.value))
    (text_error,) = read_incidents(orjson.dumps(doc))
    assert isinstance(text_error, BadRecord)
    _assert_clean(str(text_error), repr(text_error))


def test_an_unknown_key_of_free_text_is_not_echoed() -> None:
    """A key that is not a field name (text pasted as a key) is not repeated in the error."""
    doc = {**dump_incident(SAMPLE[0]), MARKER: "x"}
    with pytest.raises(IncidentLoadError) as info:
        load_incident(doc)
    _assert_clean(str(info.value))


def test_an_unknown_field_name_is_named() -> None:
    """A misspelt field name is still named, to help fix it."""
    with pytest.raises(IncidentLoadError) as info:
        load_incident({**dump_incident(SAMPLE[0]), "sumary": "x"})
    assert "unknown field 'sumary'" in str(info.value)


# --- the command line -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def marked_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """An NDJSON file of the marked sample plus invalid marked records, and a configuration."""
    folder = tmp_path_factory.mktemp("privacy")
    invalid = [
        {**dump_incident(SAMPLE[0]), "severity": TEXT},
        {**dump_incident(SAMPLE[1]), "summary": [TEXT], "reported_at": TEXT},
    ]
    lines = [dumps(i) for i in SAMPLE] + [orjson.dumps(d) for d in invalid]
    lines.append(b'{"id": "INC-X", "summary": "' + TEXT.encode() + b'"')  # cut off
    data = folder / "marked.ndjson"
    data.write_bytes(b"\n".join(lines) + b"\n")
    config = folder / "config.toml"
    config.write_text(
        f'[[waivers]]\nrule = "DB001"\nincident = "INC-002"\nreason = "{TEXT}"\n'
        f'[[waivers]]\nrule = "DB002"\nincident = "NO-SUCH"\nreason = "{TEXT}"\n',
        encoding="utf-8",
    )
    return data, config


@pytest.mark.parametrize(
    "options",
    [
        ["--format", "table"],
        ["--format", "json"],
        ["--format", "ndjson"],
        ["--format", "csv"],
        ["--format", "ndjson", "--jobs", "2"],
    ],
    ids=["table", "json", "ndjson", "csv", "ndjson-jobs"],
)
def test_check_output_holds_no_free_text(
    marked_files: tuple[Path, Path],
    options: list[str],
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """`check` writes findings, errors and waivers in every format without the marker."""
    caplog.set_level(logging.DEBUG)
    data, config = marked_files
    argv = ["check", str(data), "--config", str(config), "--at", AT, "--fail-on", "never"]

    code = main([*argv, *options])

    captured = capsys.readouterr()
    assert code == 2  # the invalid records
    assert "INC-002" in captured.out  # findings were written
    _assert_clean(captured.out, captured.err, caplog.text)


def test_report_holds_no_free_text(
    marked_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The evidence report (Markdown) shows figures and pseudonyms, never the marker."""
    data, _ = marked_files
    argv = ["report", str(data), "--from", "2026-01-01", "--to", "2026-04-30"]

    main([*argv, "--format", "markdown", "--key", "synthetic-test-key"])

    captured = capsys.readouterr()
    assert "Headline figures" in captured.out
    _assert_clean(captured.out, captured.err)


def test_demo_holds_no_free_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`demo` over marked sample data explains its findings without the marker."""
    marked = b"\n".join(dumps(i) for i in SAMPLE)

    def read_marked(_data: bytes, **kwargs: Any) -> Iterator[Incident | BadRecord]:
        return read_incidents(marked, **kwargs)

    monkeypatch.setattr(_demo, "read_incidents", read_marked)
    assert main(["demo"]) == 0
    captured = capsys.readouterr()
    assert "overdue" in captured.out
    _assert_clean(captured.out, captured.err)
