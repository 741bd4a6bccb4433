"""
The JSON Schemas of the output documents, generated from their classes.

Output keeps every key, null or not, so every property is required; the fields output
leaves out (`trauma_incidents.engine._json.OMITTED`) are left out here too. The shipped
copies are regenerated with, for NAME ``finding`` and ``report``::

    python -m trauma_incidents.engine._schemas NAME > src/trauma_incidents/data/NAME.schema.json
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

import orjson

from trauma_incidents.config import Waiver
from trauma_incidents.engine._findings_report import RuleFault, WaivedFinding
from trauma_incidents.engine._json import OMITTED
from trauma_incidents.loading._batch import BadRecord
from trauma_incidents.loading._schema import type_schema
from trauma_incidents.rules._findings import Finding

__all__ = ["OUTPUT_SCHEMAS", "finding_schema", "report_schema", "schema_json"]

_BASE = "https://github.com/trauma-incidents/trauma-incidents/blob/main/src/trauma_incidents/data/"


def finding_schema() -> dict[str, Any]:
    """The JSON Schema of one finding as `dump_finding` writes it."""
    defs: dict[str, Any] = {}
    type_schema(Finding, defs)
    root = defs.pop("Finding")
    return _document("finding", "Finding (trauma-incidents)", root, defs)


def report_schema() -> dict[str, Any]:
    """The JSON Schema of a report as ``check --format json`` and `dump_report` write it."""
    defs: dict[str, Any] = {}

    def array(tp: Any) -> dict[str, Any]:
        return {"type": "array", "items": type_schema(tp, defs)}

    errors = {"anyOf": [_tagged("record", BadRecord, defs), _tagged("rule", RuleFault, defs)]}
    root = {
        "description": (
            "What one run found: findings, waived findings, records and rules in error,"
            " unused and expired waivers."
        ),
        "type": "object",
        "properties": {
            "at": type_schema(datetime, defs),
            "findings": array(Finding),
            "waived": array(WaivedFinding),
            "errors": {"type": "array", "items": errors},
            "waivers_unused": array(Waiver),
            "waivers_expired": array(Waiver),
        },
        "additionalProperties": False,
    }
    return _document("report", "Report (trauma-incidents)", root, defs)


#: The output schemas by name, as shipped in ``data/NAME.schema.json``.
OUTPUT_SCHEMAS = {"finding": finding_schema, "report": report_schema}


def schema_json(name: str) -> bytes:
    """A shipped output schema (``finding`` or ``report``) as bytes, ending in a newline."""
    return orjson.dumps(OUTPUT_SCHEMAS[name](), option=orjson.OPT_INDENT_2) + b"\n"


def _tagged(kind: str, cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    """A reference to *cls*'s object with a leading ``kind`` key fixed to *kind*."""
    type_schema(cls, defs)
    name = f"{kind.capitalize()}Error"
    obj = defs.pop(cls.__name__)
    defs[name] = obj | {"properties": {"kind": {"const": kind}, **obj["properties"]}}
    return {"$ref": f"#/$defs/{name}"}


def _document(name: str, title: str, root: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    for cls, fields in OMITTED.items():
        if cls.__name__ in defs:
            props = defs[cls.__name__]["properties"]
            for field in fields:
                del props[field]
    for schema in [root, *defs.values()]:
        if "properties" in schema:
            schema["required"] = list(schema["properties"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{_BASE}{name}.schema.json",
        "title": title,
        **root,
        "$defs": dict(sorted(defs.items())),
    }


if __name__ == "__main__":  # pragma: no cover (run in a subprocess by tests/engine)
    sys.stdout.buffer.write(schema_json(sys.argv[1]))
