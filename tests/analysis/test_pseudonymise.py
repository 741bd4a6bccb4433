"""Tests for keyed pseudonyms and pseudonymised incidents."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import attrs
import pytest

import trauma_incidents as ti
from trauma_incidents.analysis._pseudonyms import WITHHELD, make_key
from trauma_incidents.errors import InvalidArgument
from trauma_incidents.loading import dumps
from trauma_incidents.model import (
    Debrief,
    EarlyWarningSign,
    Effectiveness,
    Explanation,
    ExplanationMethod,
    InvolvedRole,
    Notification,
    Observation,
    Outcome,
    PersonInvolved,
    Recipient,
    ReviewKind,
    Safeguarding,
    SafeguardingStage,
    Stage,
    Trigger,
    TriggerKind,
)
from trauma_incidents.testing import T0, action, incident, restraint, review, staff_debrief

KEY = b"synthetic-key"


def test_pseudonym_is_keyed_hmac_sha256() -> None:
    """A pseudonym is the prefix and 12 hex digits of HMAC-SHA256 of kind and id under the key."""
    digest = hmac.new(KEY, b"person\x1fP-017", hashlib.sha256).hexdigest()
    assert ti.pseudonym("P-017", key=KEY) == "P~" + digest[:12]
    assert ti.pseudonym("ST-1", key=KEY, kind="staff").startswith("ST~")


def test_pseudonyms_of_different_kinds_are_not_linkable() -> None:
    """The same id as a person and as staff gives unrelated digits."""
    kinds = ["person", "staff", "incident", "reference", "other"]
    digits = {ti.pseudonym("x", key=KEY, kind=kind).split("~")[1] for kind in kinds}
    assert len(digits) == len(kinds)


def test_same_key_same_pseudonym_other_key_other() -> None:
    """The same key gives the same pseudonym in every export; another key does not."""
    assert ti.pseudonym("P-1", key="k") == ti.pseudonym("P-1", key=b"k")
    assert ti.pseudonym("P-1", key="k") != ti.pseudonym("P-1", key="other")
    assert make_key() != make_key()


@pytest.mark.parametrize(
    ("key", "kind"), [(b"", "person"), ("k", "pet")], ids=["empty-key", "kind"]
)
def test_bad_arguments(key: bytes | str, kind: str) -> None:
    """An empty key or an unknown kind is refused, naming the argument."""
    with pytest.raises(InvalidArgument):
        ti.pseudonym("P-1", key=key, kind=kind)


def full_incident() -> ti.Incident:
    stage = SafeguardingStage(
        stage=Stage.CONCERN_RAISED,
        entered_at=T0,
        explanation=Explanation(at=T0, method=ExplanationMethod.VERBAL, by="ST-9"),
    )
    done = attrs.evolve(
        action(completed_at=T0 + timedelta(days=1)),
        owner_id="ST-8",
        effectiveness=Effectiveness(
            assessed_at=T0 + timedelta(days=2),
            outcome=Outcome.EFFECTIVE,
            evidence="secret evidence",
        ),
    )
    return incident(
        summary="secret summary",
        location="secret place",
        triggers=(Trigger(kind=TriggerKind.SENSORY, detail="secret detail"),),
        early_warning_signs=(EarlyWarningSign(description="secret sign"),),
        interventions=(
            attrs.evolve(
                restraint(reason="secret reason", staff_ids=("ST-1", "ST-2")),
                observations=(Observation(at=T0, by_role="secret role"),),
            ),
        ),
        debriefs=(
            attrs.evolve(
                staff_debrief(T0 + timedelta(hours=1)),
                facilitator_id="ST-3",
                participant_ids=("ST-1",),
            ),
            Debrief(audience=staff_debrief(T0).audience, status=staff_debrief(T0).status, at=T0),
        ),
        reviews=(
            review(
                ReviewKind.POST_INCIDENT_REVIEW,
                T0 + timedelta(days=1),
                root_causes=("secret a", "secret b"),
            ),
        ),
        safeguarding=Safeguarding(
            reference="LA-REF-1",
            stages=(stage, SafeguardingStage(stage=Stage.REVIEW, entered_at=T0)),
        ),
        notifications=(Notification(recipient=Recipient.CQC, sent_at=T0, reference="CQC-REF"),),
        actions=(done, action("A-2")),
        people_involved=(PersonInvolved(ref="R-1", role=InvolvedRole.WITNESS),),
    )


def test_pseudonymise_replaces_ids_and_withholds_free_text() -> None:
    """Ids become pseudonyms; free text is dropped or withheld, keeping counts."""
    original = full_incident()
    shared = ti.pseudonymise(original, key=KEY)
    text = dumps(shared).decode()
    for secret in (
        "secret",
        "P-001",
        "ST-1",
        "ST-3",
        "ST-8",
        "ST-9",
        "LA-REF",
        "CQC-REF",
        "R-1",
        "INC-0001",
    ):
        assert secret not in text
    assert shared.person_id == ti.pseudonym("P-001", key=KEY)
    assert shared.id.startswith("IN~")
    assert shared.service_id == original.service_id
    assert (shared.summary, shared.location) == (None, None)
    assert shared.reviews[0].root_causes == (WITHHELD, WITHHELD)
    assert shared.actions[0].description == WITHHELD
    assert shared.interventions[0].observations[0].by_role is None


def test_pseudonymised_incidents_give_the_same_findings() -> None:
    """Rules see the same shape, so the same rules fire with the same statuses."""
    original = full_incident()
    at = T0 + timedelta(days=10)
    before = [(f.rule, f.status) for f in ti.evaluate([original], at=at).findings]
    after = [
        (f.rule, f.status)
        for f in ti.evaluate([ti.pseudonymise(original, key=KEY)], at=at).findings
    ]
    assert before == after
