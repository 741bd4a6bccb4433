"""
Loading and dumping incidents in the JSON interchange format v1 (``docs/format.md``).

`load_incident` loads one record and raises `IncidentLoadError` listing every problem, each
with its JSON path; `read_incidents` reads a whole JSON array or NDJSON file, yielding a
`BadRecord` for each bad record and carrying on. `dump_incident` and `dumps` write the
compact form (fields equal to their defaults are left out), which loads back to an equal
incident. `incident_schema` gives the JSON Schema of the format.

The vocabularies are closed: a value the format does not define is an error. Inside
``with extended(ruleset.vocabularies):`` the loaders also accept the values the enabled
packs add (see ``docs/packs.md``); outside it they stay strict.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import orjson
from cattrs.preconf.orjson import OrjsonConverter

from trauma_incidents.errors import _moved
from trauma_incidents.loading import _record
from trauma_incidents.loading._batch import BadRecord, Source, partition, read_incidents
from trauma_incidents.loading._converter import configure_converter, make_converter
from trauma_incidents.loading._schema import incident_schema
from trauma_incidents.model import Incident
from trauma_incidents.model._extensions import extended

__all__ = [
    "BadRecord",
    "Source",
    "configure_converter",
    "dump_incident",
    "dumps",
    "extended",
    "incident_schema",
    "load_incident",
    "make_converter",
    "partition",
    "read_incidents",
]


def load_incident(
    data: bytes | bytearray | str | Mapping[str, Any], *, ignore_unknown_keys: bool = False
) -> Incident:
    """
    Load one incident from JSON text or from an already parsed JSON object.

    Args:
        data: The JSON document (bytes or text), or the object parsed from it.
        ignore_unknown_keys: Skip keys the format does not define instead of reporting them.

    Raises:
        IncidentLoadError: With every problem found: invalid JSON, wrong types or values,
            missing or unknown fields, and times or ids that do not fit together.
    """
    obj = _record.parse_json(data) if isinstance(data, bytes | bytearray | str) else data
    if isinstance(obj, Mapping) and not isinstance(obj, dict):
        obj = dict(obj)
    return _record.load_record(obj, ignore_unknown_keys=ignore_unknown_keys)


def dump_incident(incident: Incident) -> dict[str, Any]:
    """
    Return *incident* as a JSON-ready dict in the compact form.

    Fields equal to their defaults are left out; times are ISO 8601 strings, enums their
    values and tuples lists, so ``load_incident(dump_incident(x)) == x``.
    """
    result: dict[str, Any] = _converter().unstructure(incident, Incident)
    return result


def dumps(incident: Incident) -> bytes:
    """Return *incident* as compact JSON (UTF-8, one line), as in an NDJSON file."""
    return orjson.dumps(dump_incident(incident))


@cache
def _converter() -> OrjsonConverter:
    return make_converter()


def __getattr__(name: str) -> Any:
    return _moved(__name__, name, {"RecordError": "trauma_incidents.loading:BadRecord"})
