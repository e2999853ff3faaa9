"""The document models: what they accept, what they refuse, and how they say it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from pmtui.domain.errors import describe_validation_error
from pmtui.domain.fields import validate_value
from pmtui.domain.models import ActionItem, Postmortem
from pmtui.domain.rules import CheckContext, check
from pmtui.domain.text import clean_text
from pmtui.domain.types import WrittenInt
from pmtui.export.yaml_io import parse_postmortem_yaml

NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def problems(data: dict) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        Postmortem.model_validate(data)
    return describe_validation_error(caught.value, Postmortem)


@pytest.mark.parametrize("written", ["SEV-1", "sev-1", "sev 1", "SEV1", " Sev_1 ", 1])
def test_severity_spellings_are_normalised(written: object) -> None:
    assert Postmortem(id="INC-2026-0001", severity=written).severity == "SEV-1"


def test_an_impossible_severity_names_the_choices() -> None:
    assert problems({"id": "INC-2026-0001", "severity": "SEV-9"}) == [
        'severity: "SEV-9" is not a severity; use one of SEV-1, SEV-2, SEV-3, SEV-4'
    ]


def test_errors_read_path_value_problem() -> None:
    data = {
        "id": "INC-2026-0001",
        "timeline": [{"time": 750, "event": "x", "source": "y"}, {"evnt": "typo"}],
        "action_items": [{}, {}, {"due": "2026-02-30"}],
    }
    assert problems(data) == [
        "timeline[0].time: 750 is not text; YAML 1.1 reads an unquoted 12:30 as the number 750; "
        'write "12:30" in quotes',
        "timeline[1].evnt: unknown field (did you mean event?)",
        'action_items[2].due: "2026-02-30" is not a calendar date',
    ]


# T36 (RELIABILITY.md)
def test_yes_no_and_number_coercions_are_refused_with_a_hint() -> None:
    found = problems({"id": "INC-2026-0001", "title": False, "facilitator": 83})
    assert found[0].startswith("title: False is not text; YAML read an unquoted yes/no")
    assert (
        found[1] == "facilitator: 83 is not text; YAML read it as a number; put the value in quotes"
    )


@pytest.mark.parametrize("number", [892, 83, 0, -5, 10**30])
def test_a_plain_number_gets_no_octal_story(number: int) -> None:
    # Nothing says this number was written with a leading zero: no "0123 becomes 83".
    (found,) = problems({"id": "INC-2026-0001", "action_items": [{"ticket": number}]})
    assert found == (
        f"action_items[0].ticket: {number} is not text; YAML read it as a number; "
        "put the value in quotes"
    )


@pytest.mark.parametrize(
    ("literal", "value", "octal"),
    [
        ("0123", 83, True),
        ("-017", -15, True),
        ("0_10", 8, True),
        ("892", 892, False),
        ("0", 0, False),
        ("0x1F", 31, False),
        ("1_000", 1000, False),
    ],
)
def test_the_octal_hint_only_for_an_octal_looking_literal(
    literal: str, value: int, octal: bool
) -> None:
    (found,) = problems(
        {"id": "INC-2026-0001", "action_items": [{"ticket": WrittenInt(value, literal)}]}
    )
    assert found.startswith(f"action_items[0].ticket: {value} is not text; ")
    assert ("octal" in found) is octal
    if octal:
        assert f"reads an unquoted {literal} as the octal number {value}" in found
        assert f'put the value in quotes ("{literal}")' in found
    else:
        assert found.endswith("YAML read it as a number; put the value in quotes")


@pytest.mark.parametrize("field", ["owner", "ticket", "description"])
def test_a_blank_text_value_reads_as_empty(field: str) -> None:
    pm = Postmortem.model_validate({"id": "INC-2026-0001", "action_items": [{field: None}]})
    assert getattr(pm.action_items[0], field) == ""


def test_blank_owner_and_ticket_in_yaml_import_and_reach_the_gates() -> None:
    text = (
        "id: INC-2026-0001\n"
        "title:\n"
        "action_items:\n"
        "  - description: Page on p99 over 800 ms for 5 minutes\n"
        "    owner:\n"
        "    ticket:\n"
        "    due:\n"
        "impact:\n"
        "  error_rate_peak:\n"
    )
    pm = parse_postmortem_yaml(text)
    item = pm.action_items[0]
    assert (item.owner, item.ticket, item.due, pm.title) == ("", "", None, "")
    assert pm.impact.error_rate_peak == ""
    found = {(f.code, f.path) for f in check(pm, CheckContext(NOW))}
    assert ("G-OWNER-ONE", "action_items[0].owner") in found
    assert ("G-ACTION-TICKET", "action_items[0].ticket") in found


# Anything YAML 1.1 can turn an unquoted scalar into, other than text or null.
coerced = (
    st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.dates()
    | st.datetimes(timezones=st.just(dt.UTC))
)


@given(coerced)
def test_text_refuses_every_coerced_scalar(value: object) -> None:
    (found,) = problems({"id": "INC-2026-0001", "action_items": [{"owner": value}]})
    assert found.startswith(f"action_items[0].owner: {value!r} is not text; ")
    assert found.endswith("put the value in quotes")


@given(st.none() | st.text())
def test_text_keeps_any_string_and_reads_null_as_empty(value: str | None) -> None:
    item = ActionItem.model_validate({"owner": value})
    assert item.owner == ("" if value is None else clean_text(value))


def test_plain_string_participants_and_factors_are_accepted() -> None:
    pm = Postmortem.model_validate(
        {"id": "INC-2026-0001", "participants": ["a"], "contributing_factors": ["b", "c"]}
    )
    assert pm.participants[0].name == "a" and not pm.participants[0].directly_involved
    assert [f.description for f in pm.contributing_factors] == ["b", "c"]


def test_action_ids_are_assigned_and_links_must_exist() -> None:
    pm = Postmortem.model_validate({"id": "INC-2026-0001", "action_items": [{"id": "A2"}, {}, {}]})
    assert [a.id for a in pm.action_items] == ["A2", "A1", "A3"]
    found = problems({"id": "INC-2026-0001", "contributing_factors": [{"actions": ["A9"]}]})
    assert found == [
        'contributing_factors[0].actions[0]: "A9" is not the id of an action item in this '
        "postmortem"
    ]


def test_kind_follows_the_id() -> None:
    assert Postmortem(id="NM-2026-0001").kind == "near-miss"
    assert (
        "needs an id starting with INC-" in problems({"id": "NM-2026-0001", "kind": "incident"})[0]
    )


def test_timestamps_are_utc_and_keep_their_instant() -> None:
    pm = Postmortem(id="INC-2026-0001", date_of_incident="2026-01-14T15:32:00+01:00")
    assert pm.date_of_incident == dt.datetime(2026, 1, 14, 14, 32, tzinfo=dt.UTC)
    assert pm.model_dump(mode="json")["date_of_incident"] == "2026-01-14T14:32:00Z"


# T20 (RELIABILITY.md)
def test_control_characters_never_reach_the_model() -> None:
    hostile = "a\x1b]0;pwned\x07b\x1b[2Jc\u202ed\x00e\r\nf\x9b31mg"
    pm = Postmortem(id="INC-2026-0001", title=hostile)
    assert pm.title == clean_text(hostile) == "abcde\nfg"


def test_one_field_validates_like_the_document() -> None:
    assert validate_value(ActionItem, "due", "2026-01-02") == dt.date(2026, 1, 2)
    with pytest.raises(Exception, match=r'action_items\[2\]\.due: "2026-02-30" is not a calendar'):
        validate_value(ActionItem, "due", "2026-02-30", "action_items[2].due")
