"""
Keyed pseudonyms for sharing data: the same key always gives the same pseudonym.

A pseudonym is a prefix naming the kind of id (``P~`` person, ``ST~`` staff, ``IN~``
incident, ``REF~`` external reference, ``ID~`` anything else) and the first 12 hex digits of
HMAC-SHA256 of the kind and the id under the key, so pseudonyms of one id as two kinds are
not linkable. Whoever holds the key can link exports made with it;
nobody without it can reverse a pseudonym. Keep the key like a password.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable

from attrs import evolve

from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model._incident import Incident
from trauma_incidents.model._parts import (
    Action,
    Debrief,
    Intervention,
    Review,
    Safeguarding,
    SafeguardingStage,
    Trigger,
)

__all__ = ["PREFIXES", "WITHHELD", "Key", "make_key", "pseudonym", "pseudonymise"]

#: The prefix of each kind of pseudonym.
PREFIXES = {"person": "P~", "staff": "ST~", "incident": "IN~", "reference": "REF~", "other": "ID~"}
#: What replaces each piece of free text that must keep its place (a required field, a count).
WITHHELD = "[withheld]"
_DIGITS = 12

#: A pseudonymisation key: bytes, or text (encoded as UTF-8).
Key = bytes | str
_Ids = Callable[[Iterable[str], str], tuple[str, ...]]


def make_key() -> bytes:
    """A new random key (32 bytes): pseudonyms made with it link to no other export."""
    return secrets.token_bytes(32)


def _key_bytes(key: Key) -> bytes:
    raw = key.encode() if isinstance(key, str) else key
    if not isinstance(raw, bytes) or not raw:
        msg = f"key must be non-empty bytes or text (got {type(key).__name__})"
        raise InvalidArgument(msg)
    return raw


def pseudonym(value: str, *, key: Key, kind: str = "person") -> str:
    """
    The pseudonym of the id *value* under *key*: ``pseudonym("P-017", key=k) == "P~1a2b..."``.

    Raises:
        InvalidArgument: An empty key, or a *kind* not in `PREFIXES`.
    """
    if kind not in PREFIXES:
        msg = f"kind={kind!r} is not one of {sorted(PREFIXES)}"
        raise InvalidArgument(msg)
    message = f"{kind}\x1f{value}".encode()  # the kind too: P~ and ST~ of one id differ
    digest = hmac.new(_key_bytes(key), message, hashlib.sha256).hexdigest()
    return PREFIXES[kind] + digest[:_DIGITS]


def pseudonymise(incident: Incident, *, key: Key) -> Incident:
    """
    *incident* with every id replaced by its pseudonym and no free text.

    The service id is kept (it names an organisation, not a person). An observer's role
    (``by_role``) is dropped with the other text that may identify someone. ``summary`` and
    ``location`` are dropped; free text that is required or counted (a description, each root
    cause and change) is replaced by `WITHHELD`, so counts and rule findings stay the same.
    """
    k = _key_bytes(key)

    def ids(values: Iterable[str], kind: str) -> tuple[str, ...]:
        return tuple(pseudonym(v, key=k, kind=kind) for v in values)

    return evolve(
        incident,
        id=pseudonym(incident.id, key=k, kind="incident"),
        person_id=pseudonym(incident.person_id, key=k),
        location=None,
        summary=None,
        triggers=tuple(_trigger(t) for t in incident.triggers),
        early_warning_signs=tuple(
            evolve(s, description=WITHHELD) for s in incident.early_warning_signs
        ),
        interventions=tuple(_intervention(iv, ids) for iv in incident.interventions),
        debriefs=tuple(_debrief(d, ids) for d in incident.debriefs),
        reviews=tuple(_review(r) for r in incident.reviews),
        safeguarding=_safeguarding(incident.safeguarding, ids),
        notifications=tuple(
            evolve(n, reference=_one(ids, n.reference, "reference")) for n in incident.notifications
        ),
        actions=tuple(_action(a, ids) for a in incident.actions),
        people_involved=tuple(
            evolve(p, ref=ids([p.ref], "other")[0]) for p in incident.people_involved
        ),
    )


def _withheld(text: str | None) -> str | None:
    return None if text is None else WITHHELD


def _one(ids: _Ids, value: str | None, kind: str) -> str | None:
    return None if value is None else ids([value], kind)[0]


def _trigger(t: Trigger) -> Trigger:
    return evolve(t, detail=_withheld(t.detail))


def _intervention(iv: Intervention, ids: _Ids) -> Intervention:
    return evolve(
        iv,
        reason=_withheld(iv.reason),
        staff_ids=ids(iv.staff_ids, "staff"),
        observations=tuple(evolve(o, by_role=None) for o in iv.observations),
    )


def _debrief(d: Debrief, ids: _Ids) -> Debrief:
    return evolve(
        d,
        facilitator_id=_one(ids, d.facilitator_id, "staff"),
        participant_ids=ids(d.participant_ids, "other"),
    )


def _review(r: Review) -> Review:
    return evolve(
        r, root_causes=(WITHHELD,) * len(r.root_causes), changes=(WITHHELD,) * len(r.changes)
    )


def _safeguarding(sg: Safeguarding | None, ids: _Ids) -> Safeguarding | None:
    if sg is None:
        return None
    return evolve(
        sg,
        reference=_one(ids, sg.reference, "reference"),
        stages=tuple(_stage(s, ids) for s in sg.stages),
    )


def _stage(s: SafeguardingStage, ids: _Ids) -> SafeguardingStage:
    if s.explanation is None:
        return s
    return evolve(s, explanation=evolve(s.explanation, by=_one(ids, s.explanation.by, "staff")))


def _action(a: Action, ids: _Ids) -> Action:
    eff = a.effectiveness
    return evolve(
        a,
        description=WITHHELD,
        owner_id=_one(ids, a.owner_id, "staff"),
        effectiveness=None if eff is None else evolve(eff, evidence=_withheld(eff.evidence)),
    )
