"""Values that cannot be wrong: the model refuses them however it is built, with every problem."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trauma_incidents.engine import RuleSet
from trauma_incidents.errors import (
    InvalidArgument,
    InvalidIncidentError,
    InvalidValueError,
)
from trauma_incidents.loading import read_incidents
from trauma_incidents.model import Category, Debrief, Incident, Severity
from trauma_incidents.strategies import incidents
from trauma_incidents.testing import T0, action, days, hours, incident

PRIVATE = "the person said something private"


class TestBuiltInCode:
    def test_a_severity_outside_the_vocabulary(self) -> None:
        """``attrs.evolve`` checks the value: a clear error naming the field, not a KeyError."""
        with pytest.raises(InvalidValueError, match="'severity' must be one of") as caught:
            attrs.evolve(incident(), severity="catastrophic")  # type: ignore[arg-type]

        assert caught.value.field == "severity"

    def test_a_list_for_a_tuple(self) -> None:
        """A list would make the incident unhashable: it is refused."""
        with pytest.raises(InvalidValueError, match="'categories' must be a tuple of Category"):
            attrs.evolve(incident(), categories=[Category.FALL])  # type: ignore[arg-type]

    def test_wrong_item_types_in_a_part(self) -> None:
        """Parts check their fields too."""
        with pytest.raises(InvalidValueError, match="'audience'"):
            Debrief(audience="staff", status="held", at=T0)  # type: ignore[arg-type]

    def test_a_due_date_is_a_date_or_a_time(self) -> None:
        """An action's due is a date or an aware datetime; text is refused."""
        assert attrs.evolve(action(), due=T0).due == T0
        with pytest.raises(InvalidValueError, match="'due' must be a date or None"):
            attrs.evolve(action(), due="tomorrow")  # type: ignore[arg-type]

    def test_a_report_before_the_incident(self) -> None:
        """The cross-field checks run in the model, with the loader's paths and messages."""
        with pytest.raises(InvalidIncidentError) as caught:
            attrs.evolve(incident(), reported_at=T0 - hours(1))

        assert [p.path for p in caught.value.problems] == ["$.reported_at"]
        assert "must not be before occurred_at" in str(caught.value)

    @given(incidents(around=T0), st.sampled_from(["low", 1, None, [], "catastrophic"]))
    def test_any_non_member_is_refused(self, valid: Incident, value: object) -> None:
        """Only `Severity` members are severities."""
        with pytest.raises(InvalidValueError):
            attrs.evolve(valid, severity=value)  # type: ignore[arg-type]
        assert attrs.evolve(valid, severity=Severity.LOW).severity is Severity.LOW


def test_check_refuses_a_naive_time() -> None:
    """`RuleSet.check` takes the same times as `evaluate`."""
    naive = (T0 + days(1)).replace(tzinfo=None)

    with pytest.raises(InvalidArgument, match="UTC offset"):
        RuleSet.compile().check(incident(), naive)


class TestReadIncidentsWithText:
    def test_json_text_is_refused_without_echoing_it(self) -> None:
        """A record passed as a str is not opened as a path, and not quoted."""
        text = f'{{"id": "INC-1", "summary": "{PRIVATE}"}}'

        with pytest.raises(InvalidArgument, match="pass its bytes") as caught:
            list(read_incidents(text))

        assert PRIVATE not in str(caught.value)

    def test_a_str_that_is_not_a_path_is_not_quoted(self) -> None:
        """The OSError keeps its type and reason, but not the str."""
        with pytest.raises(FileNotFoundError) as caught:
            list(read_incidents(PRIVATE))

        assert PRIVATE not in str(caught.value)
        assert caught.value.filename is None
