"""Printing a drawn incident the way a scenario file takes it, for a falsifying example."""

from __future__ import annotations

from hypothesis import currently_in_test_context, note

from trauma_incidents.loading import dumps
from trauma_incidents.model import Incident


def note_incident(incident: Incident) -> str:
    """
    Note *incident* for hypothesis's report as an ``incidents:`` entry of a scenario file.

    Call it in a property test: when the test fails, the shrunk incident is printed as one
    line of interchange JSON (which YAML reads as it is), ready to paste under
    ``incidents:`` in a ``*.scenario.yaml`` file. Returns the text (outside a test it is
    only returned).
    """
    text = "incidents:\n  - " + dumps(incident).decode()
    if currently_in_test_context():
        note(text)
    return text
