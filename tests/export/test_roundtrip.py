"""Tests that YAML and JSON exports read back as the same document (T26, T43)."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given, settings

from pmtui.domain.models import Postmortem
from pmtui.export import yaml_io
from pmtui.export.json_io import dump_postmortem_json, parse_postmortem_json
from pmtui.export.yaml_io import dump_postmortem_yaml, parse_postmortem_yaml
from tests.strategies import HOSTILE, postmortems

ARTICLE_KEYS = [
    "id",
    "severity",
    "title",
    "date_of_incident",
    "date_of_postmortem",
    "facilitator",
    "participants",
    "timeline",
    "impact",
    "contributing_factors",
    "what_helped",
    "what_hurt",
    "action_items",
]


# T26, T43 (RELIABILITY.md)
@settings(max_examples=75, deadline=None)
@given(postmortems())
def test_yaml_round_trip(pm: Postmortem) -> None:
    text = dump_postmortem_yaml(pm)
    assert parse_postmortem_yaml(text) == pm
    # T43: a plain safe_load of the export is the model's data, key for key.
    assert yaml.safe_load(text) == pm.model_dump(mode="json")


# T26, T43 (RELIABILITY.md)
@settings(max_examples=75, deadline=None)
@given(postmortems())
def test_json_round_trip(pm: Postmortem) -> None:
    text = dump_postmortem_json(pm)
    assert parse_postmortem_json(text) == pm
    assert parse_postmortem_json(text.encode("utf-8")) == pm
    assert json.loads(text) == pm.model_dump(mode="json")


def test_round_trip_of_the_rich_document(rich_pm: Postmortem) -> None:
    assert parse_postmortem_yaml(dump_postmortem_yaml(rich_pm)) == rich_pm
    assert parse_postmortem_json(dump_postmortem_json(rich_pm)) == rich_pm


# T26 (RELIABILITY.md)
@pytest.mark.parametrize("value", [*HOSTILE, "a\nb", "a\n", "a\n\n\n", " a\nb ", "a \nb"])
def test_each_hostile_string_round_trips_in_every_position(value: str) -> None:
    pm = Postmortem.model_validate(
        {
            "id": "INC-2026-0001",
            "title": value,
            "what_helped": [value, value],
            "participants": [{"name": value, "role": value}],
            "action_items": [{"description": value, "owner": value}],
        }
    )
    assert parse_postmortem_yaml(dump_postmortem_yaml(pm)) == pm
    assert parse_postmortem_json(dump_postmortem_json(pm)) == pm


def test_literal_style_never_needs_the_fallback_for_hostile_strings() -> None:
    # The double-quoted fallback hides emitter bugs; make sure | blocks are right by themselves.
    for value in [*HOSTILE, "a\nb", "a\n", "line one\n  indented\n", "x\n\ty"]:
        data = {"title": value, "list": [value, {"k": value}]}
        assert yaml.safe_load(yaml_io._emit(data, literal_blocks=True)) == data


def test_yaml_keys_follow_the_article_then_the_brief(rich_pm: Postmortem) -> None:
    data = yaml.safe_load(dump_postmortem_yaml(rich_pm))
    keys = list(data)
    assert keys[: len(ARTICLE_KEYS)] == ARTICLE_KEYS
    assert keys == list(Postmortem.model_fields)
    assert list(data["action_items"][0])[:5] == [
        "description",
        "owner",
        "due",
        "ticket",
        "priority",
    ]
    assert list(data["timeline"][0])[:3] == ["time", "event", "source"]


def test_yaml_quotes_what_yaml_11_would_coerce() -> None:
    pm = Postmortem.model_validate(
        {
            "id": "INC-2026-0001",
            "timeline": [{"time": "14:32", "event": "NO", "source": "0123"}],
            "title": "2026-01-16",
            "facilitator": "null",
            "service": "1.5",
            "team": "on",
        }
    )
    text = dump_postmortem_yaml(pm)
    for line in [
        "- time: '14:32'",
        "event: 'NO'",
        "source: '0123'",
        "title: '2026-01-16'",
        "facilitator: 'null'",
        "service: '1.5'",
        "team: 'on'",
    ]:
        assert line in text
    assert parse_postmortem_yaml(text) == pm


def test_yaml_is_readable_block_style_with_unicode() -> None:
    pm = Postmortem.model_validate(
        {
            "id": "INC-2026-0001",
            "title": "Zahlungsdienst — 503 🚨",
            "what_hurt": ["first line\nsecond line"],
        }
    )
    text = dump_postmortem_yaml(pm)
    assert "title: Zahlungsdienst — 503 🚨\n" in text
    assert "what_hurt:\n  - |-\n    first line\n    second line\n" in text
    assert "\\u" not in text


def test_long_lines_are_not_wrapped() -> None:
    words = " ".join(["word"] * 500)
    text = dump_postmortem_yaml(Postmortem(id="INC-2026-0001", title=words))
    assert f"title: {words}\n" in text


def test_yaml_dump_is_stable(rich_pm: Postmortem) -> None:
    first = dump_postmortem_yaml(rich_pm)
    again = dump_postmortem_yaml(parse_postmortem_yaml(first))
    assert first == again
    assert first.startswith("id: INC-2026-0114\nseverity: SEV-2\n")
    assert "\n\nparticipants:\n  - name: payments-team-lead\n" in first


def test_json_is_indented_utf8_in_field_order(rich_pm: Postmortem) -> None:
    text = dump_postmortem_json(rich_pm)
    assert text.startswith('{\n  "id": "INC-2026-0114",\n  "severity": "SEV-2",\n')
    assert "日本語" in text
    assert text.endswith("}\n")
    assert list(json.loads(text)) == list(Postmortem.model_fields)


def test_store_bookkeeping_is_not_exported(rich_pm: Postmortem) -> None:
    rich_pm.bind_row(42, 7)
    rich_pm.action_items[0].bind_row(9, 3)
    assert "42" not in dump_postmortem_json(rich_pm).split('"id"')[0]
    back = parse_postmortem_json(dump_postmortem_json(rich_pm))
    assert back.row_id is None
    assert back == rich_pm


def test_fallback_to_double_quotes_when_a_block_would_not_read_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # PyYAML writes a U+2028 inside a | block raw, and reads it back as a line break.
    monkeypatch.setattr(yaml_io, "_literal_ok", lambda value: True)
    pm = Postmortem(id="INC-2026-0001", title="a\u2028b\nc")
    text = dump_postmortem_yaml(pm)
    assert 'title: "a\\Lb\\nc"' in text
    assert parse_postmortem_yaml(text) == pm
