"""
Strategies follow a configuration: complete incidents meet every rule, gaps break exactly one.

Every rule of the default packs must have an entry in the strategies' rulebook: a new rule
without one fails `test_every_default_rule_has_an_entry` and the gap property below.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from trauma_incidents import strategies
from trauma_incidents.config import Config
from trauma_incidents.engine import RuleSet, evaluate
from trauma_incidents.errors import InvalidArgument
from trauma_incidents.model import Audience, DebriefStatus, Incident
from trauma_incidents.strategies._internal._rulebook import RULEBOOK

#: After every deadline of an incident drawn without `around` (within a year of EPOCH).
AT = datetime(2028, 6, 1, tzinfo=timezone.utc)
DEFAULT = RuleSet.compile()
CODES = sorted(r.meta.code for r in DEFAULT.rules)
#: A policy tighter than the defaults everywhere it has a deadline, with other topics.
STRICT = Config.from_dict(
    {
        "rules": {
            "DB001": {"within": "12h"},
            "DB002": {"within": "24h"},
            "DB004": {"topics": ["timeline", "what_helped", "support_plan"]},
            "DB005": {"within": "6h"},
            "RI001": {"within": "24h"},
            "RI002": {"within": "3d"},
            "SG001": {"within": "1wd"},
            "SG002": {"within": "1wd"},
            "SG003": {"within": "4h"},
            "LN002": {"within": "2d"},
            "LN005": {"within": "7d"},
            "NT001": {"within": "6h"},
            "NT002": {"decide_within": "2wd", "within": "3wd", "written_within": "1wd"},
            "RI007": {"max_minutes": 3},
            "NT003": {"within": "3d", "incapacitated_within": "5d", "incapacity_days": 3},
        }
    }
)
STRICT_RULES = RuleSet.compile(STRICT)
#: Deadlines shorter than the time a restriction or a report may take.
TINY = RuleSet.compile(
    Config.from_dict(
        {
            "rules": {
                code: {"within": "1h"}
                for code in ("DB001", "DB002", "DB005", "RI001", "RI002", "SG003", "NT001")
            }
        }
    )
)


def _rules(incident: Incident, ruleset: RuleSet = DEFAULT) -> Counter[str]:
    report = evaluate([incident], at=AT, rules=ruleset)
    assert report.faults == ()
    return Counter(f.rule for f in report.findings)


def test_every_default_rule_has_an_entry() -> None:
    """The rulebook covers every rule of the default packs (a new rule needs an entry)."""
    assert sorted(set(CODES) - set(RULEBOOK)) == []


@given(st.data())
def test_no_gaps_no_findings(data: st.DataObject) -> None:
    """``gaps=set()`` meets every default rule."""
    incident = data.draw(strategies.incidents(gaps=set()))
    assert _rules(incident) == Counter()


@pytest.mark.parametrize("code", CODES)
@settings(max_examples=30)
@given(data=st.data())
def test_one_gap_one_rule(code: str, data: st.DataObject) -> None:
    """``gaps={code}`` gives that rule's findings and no other rule's."""
    incident = data.draw(strategies.incidents(gaps={code}))
    assert set(_rules(incident)) == {code}


@given(st.data(), st.sampled_from(CODES), st.sampled_from(CODES))
def test_two_gaps_two_rules(data: st.DataObject, first: str, second: str) -> None:
    """Two gaps that can hold together give exactly those two rules' findings."""
    try:
        chosen = strategies.incidents(gaps={first, second})
        chosen.validate()
    except InvalidArgument:
        assume(False)  # the two need incidents that cannot be one (say, LN002 and RI001)
    assert set(_rules(data.draw(chosen))) == {first, second}


@pytest.mark.parametrize("ruleset", [STRICT_RULES, TINY], ids=["strict", "tiny"])
@given(data=st.data())
def test_configured_deadlines_are_met(ruleset: RuleSet, data: st.DataObject) -> None:
    """A complete incident under a strict configuration meets its deadlines and topics."""
    incident = data.draw(strategies.incidents(config=ruleset, gaps=set()))
    assert _rules(incident, ruleset) == Counter()


@pytest.mark.parametrize("code", ["DB001", "DB004", "DB005", "NT003", "SG001", "LN005"])
@settings(max_examples=20)
@given(data=st.data())
def test_configured_gap(code: str, data: st.DataObject) -> None:
    """Under a strict configuration a gap still breaks only its own rule."""
    incident = data.draw(strategies.incidents(config=STRICT_RULES, gaps={code}))
    assert set(_rules(incident, STRICT_RULES)) == {code}


@settings(max_examples=30)
@given(strategies.incidents(config=STRICT, gaps=set(), restrictive=True))
def test_twelve_hour_staff_debrief(incident: Incident) -> None:
    """A 12-hour staff debrief policy: the held staff debrief is within 12 hours of the end."""
    anchor = incident.ri_anchor(AT)
    assert anchor is not None
    held = [
        d.at
        for d in incident.debriefs
        if d.audience is Audience.STAFF and d.status is DebriefStatus.HELD
    ]
    assert held
    assert any(0 <= (t - anchor.at).total_seconds() <= 12 * 3600 for t in held)


@given(strategies.incidents(complete=False))
def test_incomplete_breaks_only_rules_the_rulebook_knows(incident: Incident) -> None:
    """``complete=False`` breaks one to three rules, all of them rulebook entries."""
    found = set(_rules(incident))
    assert 1 <= len(found) <= 3
    assert found <= set(RULEBOOK)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"gaps": {"XX001"}}, "'XX001' is not a rule the strategies can break"),
        ({"gaps": {"LN002", "RI001"}}, "gap RI001 needs restrictive=True"),
        ({"gaps": {"RI001"}, "restrictive": False}, "gap RI001 needs restrictive=True"),
        ({"gaps": {"DB001"}, "complete": True}, "not both"),
        ({"gaps": "DB001"}, "not a string"),
        (
            {
                "gaps": {"DB001"},
                "config": Config.from_dict({"rules": {"DB001": {"enabled": False}}}),
            },
            "DB001 is not enabled in the configuration",
        ),
        ({"config": "core"}, "config="),
    ],
)
def test_bad_gaps(kwargs: dict[str, object], message: str) -> None:
    """Gaps the strategies cannot draw are refused with the reason."""
    with pytest.raises(InvalidArgument, match=message):
        strategies.incidents(**kwargs).validate()  # type: ignore[arg-type]
