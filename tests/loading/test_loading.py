"""Tests for loading one incident: structural problems, domain problems, dumping."""

from __future__ import annotations

import ast
import inspect
from datetime import date, datetime, timedelta, timezone
from typing import Any

import cattrs
import orjson
import pytest

from trauma_incidents import loading
from trauma_incidents.errors import IncidentLoadError, LoadProblem
from trauma_incidents.loading import dump_incident, dumps, load_incident, make_converter
from trauma_incidents.loading._record import render_error
from trauma_incidents.model import Category, Incident, Severity

UTC = timezone.utc
SEVERITIES = '"no_harm", "low", "moderate", "severe", "death"'
TIME = "a date-time with a UTC offset (such as 2026-03-04T14:20:00+00:00)"
DUE = "a date (2026-03-04) or a date-time with a UTC offset (2026-03-04T14:20:00Z)"
UNKNOWN = "format v1 has no such field; ignore_unknown_keys=True skips unknown fields"
SECRET = "Synthetic free text that must never appear in an error"  # noqa: S105 (not a password)


def record(**changes: Any) -> dict[str, Any]:
    """A minimal valid record, with *changes* applied (``None`` removes a field)."""
    base: dict[str, Any] = {
        "id": "INC-1",
        "person_id": "P-1",
        "service_id": "S-1",
        "occurred_at": "2026-03-04T14:20:00+00:00",
        "categories": ["behavioural_distress"],
        "severity": "low",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def problems(data: Any, **options: Any) -> list[tuple[str, str]]:
    """The (path, message) of each problem loading *data* raises."""
    with pytest.raises(IncidentLoadError) as info:
        load_incident(data, **options)
    assert all(p.source is None and p.line is None for p in info.value.problems)
    return [(p.path, p.message) for p in info.value.problems]


class TestLoadIncident:
    def test_minimal_record(self) -> None:
        """A record with only the required fields loads, with defaults for the rest."""
        incident = load_incident(record())

        assert (
            Incident(
                id="INC-1",
                person_id="P-1",
                service_id="S-1",
                occurred_at=datetime(2026, 3, 4, 14, 20, tzinfo=UTC),
                categories=(Category.BEHAVIOURAL_DISTRESS,),
                severity=Severity.LOW,
            )
            == incident
        )

    @pytest.mark.parametrize("kind", [bytes, str], ids=["bytes", "str"])
    def test_json_text(self, kind: type) -> None:
        """JSON bytes and text load like the parsed object."""
        text = orjson.dumps(record())
        data = text if kind is bytes else text.decode()

        assert load_incident(record()) == load_incident(data)

    def test_mapping(self) -> None:
        """Any mapping is accepted at the top."""
        from types import MappingProxyType  # noqa: PLC0415

        assert load_incident(record()) == load_incident(MappingProxyType(record()))

    def test_z_means_utc(self) -> None:
        """``Z`` is accepted as ``+00:00``."""
        incident = load_incident(record(occurred_at="2026-03-04T14:20:00Z"))
        assert load_incident(record(occurred_at="2026-03-04T14:20Z")) == incident

        assert datetime(2026, 3, 4, 14, 20, tzinfo=UTC) == incident.occurred_at
        assert timedelta(0) == incident.occurred_at.utcoffset()

    def test_offset_and_fraction(self) -> None:
        """Offsets are kept and milliseconds are read."""
        incident = load_incident(record(occurred_at="2026-07-01T09:30:15.250+01:00"))
        tz = timezone(timedelta(hours=1))

        assert datetime(2026, 7, 1, 9, 30, 15, 250000, tzinfo=tz) == incident.occurred_at

    @pytest.mark.parametrize(
        ("due", "expected"),
        [
            ("2026-03-10", date(2026, 3, 10)),
            ("2026-03-10T17:00:00Z", datetime(2026, 3, 10, 17, tzinfo=UTC)),
            (None, None),
        ],
        ids=["date", "datetime", "null"],
    )
    def test_due(self, due: str | None, expected: date | None) -> None:
        """`Action.due` is a date or an aware date-time."""
        action = {"id": "A-1", "description": SECRET, "due": due}

        assert expected == load_incident(record(actions=[action])).actions[0].due

    def test_ignore_unknown_keys(self) -> None:
        """With ignore_unknown_keys, unknown keys at any depth are skipped."""
        data = record(colour="blue", triggers=[{"kind": "sensory", "loudness": 3}])

        incident = load_incident(data, ignore_unknown_keys=True)

        assert load_incident(record(triggers=[{"kind": "sensory"}])) == incident

    def test_ignore_unknown_keys_keeps_other_problems(self) -> None:
        """Ignoring unknown keys does not hide other problems."""
        assert [("$.severity", f"expected one of {SEVERITIES}, got a number")] == problems(
            record(colour="blue", severity=3), ignore_unknown_keys=True
        )


STRUCTURAL = [
    pytest.param(record(id=5), "$.id", "expected a string, got a number", id="type"),
    pytest.param(
        record(severity="catastrophic"),
        "$.severity",
        f"expected one of {SEVERITIES}, got a string not in that list",
        id="enum",
    ),
    pytest.param(
        record(severity=None), "$.severity", "required field missing", id="required-missing"
    ),
    pytest.param(
        record(severity=[]),
        "$.severity",
        f"expected one of {SEVERITIES}, got an array",
        id="enum-type",
    ),
    pytest.param(
        record(occurred_at="2026-03-04T14:20:00"),
        "$.occurred_at",
        f"expected {TIME}, got a date-time without a UTC offset",
        id="naive-datetime",
    ),
    pytest.param(
        record(occurred_at="04/03/2026 14:20"),
        "$.occurred_at",
        f"expected {TIME}, got a string in another format",
        id="datetime-format",
    ),
    pytest.param(
        record(occurred_at="2026-02-30T14:20:00Z"),
        "$.occurred_at",
        f"expected {TIME}, got an impossible date or time",
        id="impossible-datetime",
    ),
    pytest.param(
        record(occurred_at=1772634000),
        "$.occurred_at",
        f"expected {TIME}, got a number",
        id="epoch",
    ),
    pytest.param(
        record(categories="fall"), "$.categories", "expected an array, got a string", id="not-array"
    ),
    pytest.param(
        record(harm="none"), "$.harm", "expected an object, got a string", id="not-object"
    ),
    pytest.param(
        record(triggers=[{"kind": "sensory", "confirmed": "yes"}]),
        "$.triggers[0].confirmed",
        "expected true or false, got a string",
        id="bool",
    ),
    pytest.param(
        record(injuries=[{"who": "staff", "severity": "minor", "days_incapacitated": 1.5}]),
        "$.injuries[0].days_incapacitated",
        "expected an integer, got a number with a fraction, an exponent or too many digits",
        id="int",
    ),
    pytest.param(
        record(injuries=[{"who": "staff", "severity": "minor", "days_incapacitated": True}]),
        "$.injuries[0].days_incapacitated",
        "expected an integer, got a boolean",
        id="bool-for-int",
    ),
    pytest.param(
        record(injuries=[{"who": "staff", "severity": "minor", "days_incapacitated": -1}]),
        "$.injuries[0].days_incapacitated",
        "'days_incapacitated' must be zero or more (got -1)",
        id="validator-nested",
    ),
    pytest.param(record(id=" "), "$.id", "'id' must be a non-empty string", id="validator-top"),
    pytest.param(
        record(categories=[]),
        "$.categories",
        "'categories' must name at least one category",
        id="validator-empty-categories",
    ),
    pytest.param(
        record(actions=[{"id": "A-1", "description": SECRET, "due": "next week"}]),
        "$.actions[0].due",
        f"expected {DUE}, got a string in another format",
        id="due",
    ),
    pytest.param(
        record(actions=[{"id": "A-1", "description": SECRET, "due": "2026-02-30"}]),
        "$.actions[0].due",
        f"expected {DUE}, got an impossible date",
        id="due-impossible-date",
    ),
    pytest.param(
        record(schema_version="2"),
        "$.schema_version",
        'expected one of "1", got a string not in that list',
        id="schema-version",
    ),
    pytest.param(
        record(schema_version=1),
        "$.schema_version",
        'expected one of "1", got a number',
        id="schema-version-type",
    ),
    pytest.param(
        record(actions=[{"id": "A-1", "description": SECRET, "due": "2026/03/10"}]),
        "$.actions[0].due",
        f"expected {DUE}, got a string in another format",
        id="due-date-format",
    ),
    pytest.param(
        record(colour="blue"), "$.colour", f"unknown field 'colour' ({UNKNOWN})", id="unknown-key"
    ),
    pytest.param(
        record(
            debriefs=[
                {"audience": "staff", "status": "held", "at": "2026-03-05T10:00:00Z", "mood": 1}
            ]
        ),
        "$.debriefs[0].mood",
        f"unknown field 'mood' ({UNKNOWN})",
        id="unknown-key-nested",
    ),
    pytest.param(
        record(**{"my field": 1}),
        "$",
        f"unknown key that is not a field name, not shown ({UNKNOWN})",
        id="unknown-key-not-identifier",
    ),
    pytest.param([record()], "$", "expected an object, got an array", id="top-not-object"),
    pytest.param(
        b'{"id": "INC-1",',
        "$",
        "invalid JSON: unexpected end of data (line 1, column 16)",
        id="truncated",
    ),
]


class TestStructuralProblems:
    @pytest.mark.parametrize(("data", "path", "message"), STRUCTURAL)
    def test_one_problem(self, data: Any, path: str, message: str) -> None:
        """Each kind of problem names the path, what was expected and what was found."""
        assert [(path, message)] == problems(data)

    def test_many_problems_at_once(self) -> None:
        """Every structural problem is reported, in field order, nested ones included."""
        data = record(
            id=None,
            severity="awful",
            triggers=[{"kind": "sensory"}, {"kind": "noise"}],
            debriefs=[{"audience": "staff", "status": "held", "at": "2026-03-05T10:00:00"}],
            extra=1,
        )

        assert [
            ("$.id", "required field missing"),
            ("$.severity", f"expected one of {SEVERITIES}, got a string not in that list"),
            (
                "$.triggers[1].kind",
                (
                    'expected one of "environmental", "sensory", "communication", "unmet_need", '
                    '"physical_health", "routine_change", "interpersonal", "trauma_reminder", '
                    '"unknown", got a string not in that list'
                ),
            ),
            ("$.debriefs[0].at", f"expected {TIME}, got a date-time without a UTC offset"),
            ("$.extra", f"unknown field 'extra' ({UNKNOWN})"),
        ] == problems(data)

    def test_long_unknown_key_is_not_shown(self) -> None:
        """A key longer than any field name may be text: it is not repeated."""
        message = f"unknown key that is not a field name, not shown ({UNKNOWN})"

        assert [("$", message)] == problems(record(**{"k" * 100: 1}))

    @pytest.mark.parametrize(
        "data",
        [
            record(severity=SECRET),
            record(id=[SECRET]),
            record(summary=[SECRET]),
            record(occurred_at=SECRET),
            record(harm={"physical": SECRET, "psychological": SECRET}),
            record(actions=[{"id": "A-1", "description": 5, "due": SECRET}]),
            record(categories=[SECRET]),
            SECRET.encode(),
            orjson.dumps(record(summary=SECRET))[:-5],
        ],
        ids=lambda _: "",
    )
    def test_free_text_is_never_echoed(self, data: Any) -> None:
        """Messages describe what was found without repeating the record's text."""
        with pytest.raises(IncidentLoadError) as info:
            load_incident(data)

        assert "free text" not in str(info.value)
        assert "free text" not in repr(info.value.problems)


def times(**changes: Any) -> dict[str, Any]:
    """A valid record with times after `occurred_at` (14:20 UTC), then *changes*."""
    fields: dict[str, Any] = {
        "reported_at": "2026-03-04T15:00:00Z",
        "interventions": [
            {"kind": "reassurance", "started_at": "2026-03-04T14:21:00Z"},
            {
                "kind": "physical_restraint",
                "started_at": "2026-03-04T14:25:00Z",
                "ended_at": "2026-03-04T14:30:00Z",
            },
        ],
        "debriefs": [{"audience": "staff", "status": "held", "at": "2026-03-04T16:00:00Z"}],
        "reviews": [{"kind": "post_incident_review", "completed_at": "2026-03-05T10:00:00Z"}],
        "safeguarding": {
            "stages": [
                {
                    "stage": "concern_raised",
                    "entered_at": "2026-03-04T15:00:00Z",
                    "explanation": {"at": "2026-03-04T15:30:00Z", "method": "verbal"},
                }
            ]
        },
        "notifications": [{"recipient": "family", "sent_at": "2026-03-04T17:00:00Z"}],
        "actions": [
            {"id": "A-1", "description": SECRET},
            {"id": "A-2", "description": SECRET},
            {"id": "A-3", "description": SECRET},
        ],
    }
    return record(**{**fields, **changes})


def before(anchor: str, value: str, name: str = "occurred_at") -> str:
    return f"must not be before {name} ({anchor}), got {value}"


OCCURRED = "2026-03-04T14:20:00+00:00"
EARLY = "2026-03-04T10:00:00+00:00"


def _with(field: str, index: int, **changes: Any) -> dict[str, Any]:
    data = times()
    data[field][index] = {**data[field][index], **changes}
    return data


def _stage(**changes: Any) -> dict[str, Any]:
    data = times()
    stage = data["safeguarding"]["stages"][0]
    data["safeguarding"]["stages"][0] = {**stage, **changes}
    return data


DOMAIN = [
    pytest.param(times(reported_at=EARLY), "$.reported_at", before(OCCURRED, EARLY), id="reported"),
    pytest.param(
        _with("interventions", 1, ended_at="2026-03-04T14:24:00Z"),
        "$.interventions[1].ended_at",
        before("2026-03-04T14:25:00+00:00", "2026-03-04T14:24:00+00:00", "started_at"),
        id="intervention-ends-before-start",
    ),
    pytest.param(
        _with("debriefs", 0, at=EARLY), "$.debriefs[0].at", before(OCCURRED, EARLY), id="debrief"
    ),
    pytest.param(
        _with("debriefs", 0, at="2026-03-04T15:00:00+01:00"),
        "$.debriefs[0].at",
        before(OCCURRED, "2026-03-04T15:00:00+01:00"),
        id="debrief-compared-as-instants",
    ),
    pytest.param(
        _with("reviews", 0, completed_at=EARLY),
        "$.reviews[0].completed_at",
        before(OCCURRED, EARLY),
        id="review",
    ),
    pytest.param(
        _with("notifications", 0, sent_at=EARLY),
        "$.notifications[0].sent_at",
        before(OCCURRED, EARLY),
        id="notification",
    ),
    pytest.param(
        _stage(entered_at=EARLY, explanation=None),
        "$.safeguarding.stages[0].entered_at",
        before(OCCURRED, EARLY),
        id="safeguarding-stage",
    ),
    pytest.param(
        _stage(explanation={"at": "2026-03-04T14:50:00Z", "method": "easy_read"}),
        "$.safeguarding.stages[0].explanation.at",
        before("2026-03-04T15:00:00+00:00", "2026-03-04T14:50:00+00:00", "the stage's entered_at"),
        id="explanation-before-stage",
    ),
    pytest.param(
        _with("actions", 2, id="A-1"),
        "$.actions[2].id",
        "duplicate action id (the same as $.actions[0].id)",
        id="duplicate-action-id",
    ),
]


class TestDomainProblems:
    def test_consistent_times_load(self) -> None:
        """The base record for these tests is valid."""
        assert len(load_incident(times()).actions) == 3

    def test_equal_times_are_fine(self) -> None:
        """A time equal to its anchor is not before it."""
        data = times(reported_at=OCCURRED)
        data["debriefs"][0]["at"] = "2026-03-04T14:20:00Z"

        assert load_incident(data).debriefs[0].at == load_incident(data).occurred_at

    @pytest.mark.parametrize(("data", "path", "message"), DOMAIN)
    def test_one_problem(self, data: dict[str, Any], path: str, message: str) -> None:
        """Each domain problem points at the later field and shows both times."""
        assert [(path, message)] == problems(data)

    def test_all_domain_problems_at_once(self) -> None:
        """Domain problems are all collected, in field order."""
        data = times(reported_at=EARLY)
        data["notifications"][0]["sent_at"] = EARLY
        data["actions"][1]["id"] = "A-1"
        data["actions"][2]["id"] = "A-1"

        assert [
            ("$.reported_at", before(OCCURRED, EARLY)),
            ("$.notifications[0].sent_at", before(OCCURRED, EARLY)),
            ("$.actions[1].id", "duplicate action id (the same as $.actions[0].id)"),
            ("$.actions[2].id", "duplicate action id (the same as $.actions[0].id)"),
        ] == problems(data)

    def test_structural_problems_come_alone(self) -> None:
        """Domain checks need a structured incident, so they wait for structure to be right."""
        assert problems(times(reported_at=EARLY, severity=None)) == [
            ("$.severity", "required field missing")
        ]


class TestDump:
    def test_compact(self) -> None:
        """Fields equal to their defaults are left out; values are JSON-ready."""
        incident = load_incident(record(setting="home_care", reviews=[], summary=None))

        assert {**record(), "setting": "home_care"} == dump_incident(incident)

    def test_types(self) -> None:
        """Times are ISO strings with offsets, enums their values, tuples lists."""
        dumped = dump_incident(load_incident(times()))

        assert dumped["occurred_at"] == "2026-03-04T14:20:00+00:00"
        assert dumped["categories"] == ["behavioural_distress"]
        assert type(dumped["categories"][0]) is str
        assert dumped["interventions"][0] == {
            "kind": "reassurance",
            "started_at": "2026-03-04T14:21:00+00:00",
        }

    def test_due_kinds(self) -> None:
        """A due date dumps as a date, a due time as a date-time."""
        actions = [
            {"id": "A-1", "description": SECRET, "due": "2026-03-10"},
            {"id": "A-2", "description": SECRET, "due": "2026-03-10T17:00:00Z"},
        ]

        dumped = dump_incident(load_incident(record(actions=actions)))

        assert [a["due"] for a in dumped["actions"]] == ["2026-03-10", "2026-03-10T17:00:00+00:00"]

    def test_round_trip(self) -> None:
        """Loading what was dumped gives an equal incident."""
        incident = load_incident(times())

        assert incident == load_incident(dump_incident(incident))
        assert incident == load_incident(dumps(incident))

    def test_dumps(self) -> None:
        """`dumps` is compact JSON on one line."""
        data = dumps(load_incident(record()))

        assert orjson.dumps(record()) == data


class TestConverter:
    def test_make_converter_options(self) -> None:
        """The options reach cattrs."""
        converter = make_converter(forbid_extra_keys=False, detailed_validation=False)

        assert not converter.forbid_extra_keys
        assert not converter.detailed_validation
        assert converter.omit_if_default

    def test_configure_converter(self) -> None:
        """`configure_converter` makes any cattrs converter read the format."""
        converter = cattrs.Converter(forbid_extra_keys=True)
        loading.configure_converter(converter)

        incident = converter.structure(record(occurred_at="2026-03-04T14:20:00Z"), Incident)

        assert load_incident(record()) == incident
        with pytest.raises(cattrs.ClassValidationError):
            converter.structure(record(id=5), Incident)

    def test_fast_and_detailed_agree(self) -> None:
        """Both converters accept the same record and reject the same bad one."""
        fast = make_converter(detailed_validation=False)
        detailed = make_converter()

        assert fast.structure(times(), Incident) == detailed.structure(times(), Incident)
        with pytest.raises(ValueError, match=r"^expected a string, got a number$"):
            fast.structure(record(id=5), Incident)
        with pytest.raises(cattrs.ClassValidationError):
            detailed.structure(record(id=5), Incident)

    @pytest.mark.parametrize("size", [1, 2, 3])
    def test_arrays_of_any_length(self, size: int) -> None:
        """One item or several: the same tuple, and the problem at the bad item's index."""
        fast = make_converter(detailed_validation=False)
        good = ["behavioural_distress"] * size
        bad = [*good[:-1], 5]

        loaded = load_incident(record(categories=good)).categories
        assert (Category.BEHAVIOURAL_DISTRESS,) * size == loaded
        [(path, message)] = problems(record(categories=bad))
        assert (f"$.categories[{size - 1}]", True) == (path, message.endswith(", got a number"))
        with pytest.raises(ValueError, match=r"^expected one of .*, got a number$"):
            fast.structure(record(categories=bad), Incident)


def test_date_hook() -> None:
    """A plain date field takes a date string only."""
    converter = make_converter()

    assert date(2026, 3, 4) == converter.structure("2026-03-04", date)
    with pytest.raises(ValueError, match=r"^expected a date \(such as 2026-03-04\), got a number$"):
        converter.structure(20260304, date)


def test_unexpected_exception_is_named_not_echoed() -> None:
    """An exception no hook raises on purpose is rendered by its type only."""
    assert [LoadProblem("$.x", "invalid value (RuntimeError)")] == render_error(
        RuntimeError(SECRET), "$.x"
    )


def test_problems_are_frozen_values() -> None:
    """Problems can be compared and hashed."""
    problem = problems(record(id=5))[0]

    assert LoadProblem(*problem) == LoadProblem("$.id", "expected a string, got a number")


def test_exports() -> None:
    """`__all__` is sorted and lists the names defined here or re-exported from private modules."""
    tree = ast.parse(inspect.getsource(loading))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            ("trauma_incidents.loading._", "trauma_incidents.model._extensions")
        ):
            names |= {alias.asname or alias.name for alias in node.names}

    assert sorted(loading.__all__) == loading.__all__
    assert {n for n in names if not n.startswith("_")} == set(loading.__all__)
    assert all(hasattr(loading, name) for name in loading.__all__)


class TestEveryProblemAtOnce:
    def test_the_issues_record(self) -> None:
        """Empty and blank ids, no categories and an early report: four problems, one error."""
        bad = record(id="", person_id=" ", categories=[], reported_at="2026-03-01T10:00:00Z")

        with pytest.raises(IncidentLoadError) as caught:
            load_incident(bad)

        assert [p.path for p in caught.value.problems] == [
            "$.id",
            "$.person_id",
            "$.categories",
            "$.reported_at",
        ]

    def test_values_types_and_nested_parts_together(self) -> None:
        """A type error, a blank id in an action and values refused by validators, together."""
        bad = record(
            id="",
            occurred_at="2026-03-02T10:00:00",  # naive
            categories=[],
            actions=[{"id": " ", "description": SECRET}],
            severity=3,
        )

        with pytest.raises(IncidentLoadError) as caught:
            load_incident(bad)

        paths = {p.path for p in caught.value.problems}
        assert paths == {"$.occurred_at", "$.severity", "$.actions[0].id", "$.id", "$.categories"}
        assert SECRET not in str(caught.value)

    def test_cross_field_problems_are_all_listed(self) -> None:
        """Every time before the incident is named by its path."""
        early = "2026-03-01T10:00:00Z"
        bad = record(
            reported_at=early,
            debriefs=[{"audience": "staff", "status": "held", "at": early}],
            notifications=[{"recipient": "cqc", "sent_at": early}],
        )

        with pytest.raises(IncidentLoadError) as caught:
            load_incident(bad)

        assert [p.path for p in caught.value.problems] == [
            "$.reported_at",
            "$.debriefs[0].at",
            "$.notifications[0].sent_at",
        ]
