"""
The JSON Schema (draft 2020-12) of the interchange format, generated from the model.

The generator walks the attrs classes, their field types and validators, so the schema
cannot drift from the loader: a type or validator it does not know is an error, not a
silent gap. The shipped copies, ``data/incident.schema.json``,
``data/governance.schema.json``, ``data/support_plan.schema.json`` and
``data/outcome.schema.json``, are regenerated with::

    python -m trauma_incidents.loading._schema > src/trauma_incidents/data/incident.schema.json
    python -m trauma_incidents.loading._schema governance \
        > src/trauma_incidents/data/governance.schema.json
    python -m trauma_incidents.loading._schema support_plan \
        > src/trauma_incidents/data/support_plan.schema.json
    python -m trauma_incidents.loading._schema outcome \
        > src/trauma_incidents/data/outcome.schema.json
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from enum import Enum
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin

import attrs
import orjson

from trauma_incidents._printable import CONTROL_CLASS
from trauma_incidents.loading._converter import written_type
from trauma_incidents.loading._iso8601 import DATE_PATTERN, DATETIME_PATTERN
from trauma_incidents.model._incident import Incident

__all__ = [
    "GOVERNANCE_SCHEMA_ID",
    "OUTCOME_SCHEMA_ID",
    "SCHEMA_ID",
    "SUPPORT_PLAN_SCHEMA_ID",
    "document",
    "governance_schema",
    "incident_schema",
    "outcome_schema",
    "schema_json",
    "support_plan_schema",
    "type_schema",
]

#: The schema's ``$id``.
SCHEMA_ID = "https://github.com/trauma-incidents/trauma-incidents/blob/main/src/trauma_incidents/data/incident.schema.json"
#: The governance file schema's ``$id``.
GOVERNANCE_SCHEMA_ID = "https://github.com/trauma-incidents/trauma-incidents/blob/main/src/trauma_incidents/data/governance.schema.json"
#: The support plans file schema's ``$id``.
SUPPORT_PLAN_SCHEMA_ID = "https://github.com/trauma-incidents/trauma-incidents/blob/main/src/trauma_incidents/data/support_plan.schema.json"
#: The outcome file schema's ``$id``.
OUTCOME_SCHEMA_ID = "https://github.com/trauma-incidents/trauma-incidents/blob/main/src/trauma_incidents/data/outcome.schema.json"

_PRIMITIVES: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    NoneType: {"type": "null"},
}
_FORMATS: dict[Any, tuple[str, dict[str, Any]]] = {
    datetime: (
        "DateTime",
        {
            "description": "ISO 8601 date-time with a UTC offset (Z means +00:00).",
            "type": "string",
            "format": "date-time",
            "pattern": DATETIME_PATTERN,
        },
    ),
    date: (
        "Date",
        {
            "description": "ISO 8601 calendar date.",
            "type": "string",
            "format": "date",
            "pattern": DATE_PATTERN,
        },
    ),
}
#: An identifier holds no control character (`trauma_incidents._printable.CONTROL`). The end
#: is a look-ahead rather than ``$``, which Python's `re` also matches before a final newline.
_NO_CONTROL = f"^[^{CONTROL_CLASS}]*(?![\\s\\S])"
# Keywords each model validator adds; validators that only restate the type add nothing.
_VALIDATOR_KEYWORDS: dict[str, dict[str, Any]] = {
    "identifier": {"minLength": 1, "allOf": [{"pattern": "\\S"}, {"pattern": _NO_CONTROL}]},
    "optional_identifier": {"pattern": _NO_CONTROL},
    "identifiers": {"items": {"type": "string", "pattern": _NO_CONTROL}},
    "non_negative": {"minimum": 0},
    "scale": {"minimum": 0, "maximum": 10},
    "optional_scale": {"minimum": 0, "maximum": 10},
    "_at_least_one": {"minItems": 1},
    "aware": {},
    "optional_aware": {},
    "optional_due": {},
}


def incident_schema() -> dict[str, Any]:
    """Return the JSON Schema of one incident record, as a JSON-ready dict."""
    return document(Incident, SCHEMA_ID, "Incident (trauma-incidents interchange format v1)")


def governance_schema() -> dict[str, Any]:
    """Return the JSON Schema of a governance file in the object form, as a JSON-ready dict."""
    # Imported here: the governance package imports this module (its __init__ re-exports
    # this function), so importing it at the top makes the order of imports matter.
    from trauma_incidents.governance._records import GovernanceRecords  # noqa: PLC0415

    title = "Governance records (trauma-incidents interchange format v1)"
    return document(GovernanceRecords, GOVERNANCE_SCHEMA_ID, title)


def support_plan_schema() -> dict[str, Any]:
    """
    Return the JSON Schema of a support plans file in the object form, as a JSON-ready dict.

    An NDJSON line is one ``#/$defs/SupportPlan``.
    """
    # Imported here: the plans package imports this module for its `support_plan_schema`.
    from trauma_incidents.plans._records import SupportPlans  # noqa: PLC0415

    title = "Support plans (trauma-incidents interchange format v1)"
    return document(SupportPlans, SUPPORT_PLAN_SCHEMA_ID, title)


def outcome_schema() -> dict[str, Any]:
    """Return the JSON Schema of an outcome file in the object form, as a JSON-ready dict."""
    # Imported here: the outcomes package imports this module for its `outcome_schema`.
    from trauma_incidents.outcomes._records import Outcomes  # noqa: PLC0415

    title = "Outcome records (trauma-incidents interchange format v1)"
    return document(Outcomes, OUTCOME_SCHEMA_ID, title)


def document(cls: type, schema_id: str, title: str) -> dict[str, Any]:
    """The JSON Schema of the attrs class *cls*, with its ``$id`` and title."""
    defs: dict[str, Any] = {}
    root = _object_schema(cls, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": title,
        **root,
        "$defs": dict(sorted(defs.items())),
    }


_SCHEMAS = {
    "incident": incident_schema,
    "governance": governance_schema,
    "support_plan": support_plan_schema,
    "outcome": outcome_schema,
}


def schema_json(name: str = "incident") -> bytes:
    """
    Return a shipped schema as bytes, ending in a newline.

    *name* is ``incident``, ``governance``, ``support_plan`` or ``outcome``.
    """
    schema = _SCHEMAS[name]()
    return orjson.dumps(schema, option=orjson.OPT_INDENT_2) + b"\n"


def _object_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    attrs.resolve_types(cls)
    properties: dict[str, Any] = {}
    required = []
    for field in attrs.fields(cls):
        prop = type_schema(written_type(field), defs) | _validator_keywords(field)
        if field.default is attrs.NOTHING or not field.init:  # derived fields are written
            required.append(field.name)
        else:
            prop["default"] = (
                list(field.default) if isinstance(field.default, tuple) else field.default
            )
        properties[field.name] = prop
    return {
        "description": _summary(cls),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The schema of type *tp*; classes, enums and time formats are added to *defs*."""
    if tp in _PRIMITIVES:
        return dict(_PRIMITIVES[tp])
    named = _named_schema(tp, defs)
    if named is not None:
        return named
    origin, args = get_origin(tp), get_args(tp)
    if origin is Literal:
        return {"enum": list(args)}
    if origin is tuple and args[1:] == (Ellipsis,):
        return {"type": "array", "items": type_schema(args[0], defs)}
    if origin in (Union, UnionType):
        return {"anyOf": [type_schema(arg, defs) for arg in args]}
    msg = f"no JSON Schema for type {tp!r} (teach trauma_incidents.loading._schema about it)"
    raise TypeError(msg)


def _named_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any] | None:
    """A reference to the definition of a time format, an enum or a class; else ``None``."""
    if tp in _FORMATS:
        name, schema = _FORMATS[tp]
        return _ref(defs, name, lambda: dict(schema))
    if isinstance(tp, type) and issubclass(tp, Enum):
        enum_schema = {"description": _summary(tp), "enum": [m.value for m in tp]}
        return _ref(defs, tp.__name__, lambda: enum_schema)
    if isinstance(tp, type) and attrs.has(tp):
        return _ref(defs, tp.__name__, lambda: _object_schema(tp, defs))
    return None


def _ref(defs: dict[str, Any], name: str, make: Any) -> dict[str, Any]:
    if name not in defs:
        defs[name] = {}  # claimed first, so a class that refers to itself ends the walk
        defs[name] = make()
    return {"$ref": f"#/$defs/{name}"}


def _validator_keywords(field: attrs.Attribute[Any]) -> dict[str, Any]:
    if field.validator is None:
        return {}
    name = getattr(field.validator, "__name__", repr(field.validator))
    if name not in _VALIDATOR_KEYWORDS:
        msg = f"no JSON Schema keywords for validator {name!r} on field {field.name!r}"
        raise TypeError(msg)
    return dict(_VALIDATOR_KEYWORDS[name])


def _summary(obj: object) -> str:
    doc = (obj.__doc__ or "").strip()
    return doc.split("\n\n", 1)[0].replace("\n", " ").strip()


if __name__ == "__main__":  # pragma: no cover (run in a subprocess by tests/loading/test_schema.py)
    sys.stdout.buffer.write(schema_json(*sys.argv[1:2]))
