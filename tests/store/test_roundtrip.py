"""Whole documents in and out of the store: what goes in comes back, to the last character."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pmtui.domain.errors import DocumentInvalid
from pmtui.domain.models import Deferral, Postmortem
from pmtui.store import DuplicatePostmortem, Store, UnknownPostmortem
from tests.store.conftest import draft_in_meeting, fixed_clock, fts_ids, head, search_slowdown
from tests.strategies import HOSTILE, postmortems


def as_json(pm: Postmortem) -> str:
    """The document as JSON text: unlike ==, this tells 23 from 23.0 and [] from None."""
    return json.dumps(pm.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)


def _unique(values: list[str]) -> bool:
    return len(values) == len(set(values))


def storable(pm: Postmortem) -> bool:
    """No repeated failure class, related id or factor link: see test_repeated_*."""
    return (
        _unique(pm.failure_classes)
        and _unique(pm.related_incidents)
        and all(_unique(f.actions) for f in pm.contributing_factors)
    )


def _with_status(pm: Postmortem, status: str) -> Postmortem:
    return Postmortem.model_validate(pm.model_dump() | {"status": status})


open_documents = st.tuples(postmortems(), st.sampled_from(["draft", "in-meeting"])).map(
    lambda pair: _with_status(*pair)
)

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@PROPERTY
@given(open_documents)
def test_create_then_load_gives_the_same_document(pm: Postmortem) -> None:
    if not storable(pm):
        pm = Postmortem.model_validate(
            pm.model_dump()
            | {
                "failure_classes": list(dict.fromkeys(pm.failure_classes)),
                "related_incidents": list(dict.fromkeys(pm.related_incidents)),
                "contributing_factors": [
                    f.model_dump() | {"actions": list(dict.fromkeys(f.actions))}
                    for f in pm.contributing_factors
                ],
            }
        )
    with Store.open(None, clock=fixed_clock) as store:
        stored = store.create(pm)
        loaded = store.load(pm.id)
        assert loaded == pm
        assert stored == pm
        assert loaded.model_dump(mode="json") == pm.model_dump(mode="json")
        assert as_json(loaded) == as_json(pm) or _whole_floats(pm)
        # Everything that was bound came back with a row and a version.
        assert loaded.version == 1 and loaded.revision == 1
        assert all(t.row_id is not None and t.version == 1 for t in loaded.timeline)
        assert all(w.row_id is not None for f in loaded.contributing_factors for w in f.whys)
        assert [loaded.list_row("what_hurt", i) is not None for i in range(len(pm.what_hurt))] == [
            True
        ] * len(pm.what_hurt)


def _whole_floats(pm: Postmortem) -> bool:
    """A float budget such as 23.0 is stored as REAL and read back as the int 23 (see below)."""
    budget = pm.impact.slo_budget_consumed_minutes
    return isinstance(budget, float) and budget.is_integer()


@PROPERTY
@given(postmortems(), st.data())
def test_replace_round_trips_and_bumps_the_version(pm: Postmortem, data: st.DataObject) -> None:
    first = _with_status(pm, "in-meeting")
    second = _with_status(data.draw(postmortems()), "draft")
    second = Postmortem.model_validate(second.model_dump() | {"id": first.id, "kind": first.kind})
    assume(storable(first) and storable(second))
    with Store.open(None, clock=fixed_clock) as store:
        store.create(first)
        before = head(store, first.id)
        replaced = store.replace(second)
        assert replaced == second
        assert store.load(first.id).model_dump(mode="json") == second.model_dump(mode="json")
        after = head(store, first.id)
        assert after["version"] == before["version"] + 1
        assert after["revision"] == before["revision"] + 1
        assert after["created_at"] == before["created_at"]
        # No rows of the first version are left behind.
        assert store.conn.execute("SELECT count(*) FROM timeline_entries").fetchone()[0] == len(
            second.timeline
        )
        assert store.conn.execute("SELECT count(*) FROM why_steps").fetchone()[0] == sum(
            len(f.whys) for f in second.contributing_factors
        )


# T26 (RELIABILITY.md)
@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_survives_every_text_column(store: Store, hostile: str) -> None:
    pm = Postmortem.model_validate(
        {
            "id": "INC-2026-0001",
            "title": hostile,
            "facilitator": hostile,
            "participants": [{"name": hostile, "role": hostile}],
            "timeline": [{"event": hostile, "source": hostile, "context": hostile}],
            "impact": {"error_rate_peak": hostile, "affected_users_estimate": hostile},
            "contributing_factors": [
                {
                    "description": hostile,
                    "whys": [{"question": hostile, "answer": hostile}],
                    "deferral": {"reason": hostile, "decided_by": hostile},
                }
            ],
            "what_helped": [hostile],
            "what_hurt": [hostile, hostile],
            "action_items": [{"description": hostile, "owner": hostile, "ticket": hostile}],
            "service": hostile,
            "team": hostile,
            "waivers": [{"code": hostile, "path": hostile, "reason": hostile + "r"}],
        }
    )
    store.create(pm)
    assert as_json(store.load(pm.id)) == as_json(pm)


def test_deferral_none_and_empty_deferral_are_kept_apart(store: Store) -> None:
    pm = Postmortem.model_validate(
        {
            "id": "INC-2026-0002",
            "contributing_factors": [
                {"description": "no deferral"},
                {"description": "empty deferral", "deferral": {}},
                {
                    "description": "full deferral",
                    "deferral": {"reason": "r", "decided_by": "d", "review_date": "2026-07-01"},
                },
            ],
        }
    )
    loaded = store.create(pm)
    deferrals = [f.deferral for f in loaded.contributing_factors]
    assert deferrals[0] is None
    assert deferrals[1] == Deferral()
    assert deferrals[2] is not None and deferrals[2].review_date.isoformat() == "2026-07-01"
    assert as_json(loaded) == as_json(pm)


@pytest.mark.parametrize(
    ("written", "read", "kind"),
    [(23, 23, int), (0, 0, int), (22.5, 22.5, float), (0.25, 0.25, float), (None, None, None)],
)
def test_budget_minutes_keep_int_or_float(store: Store, written, read, kind) -> None:
    pm = Postmortem.model_validate(
        {"id": "INC-2026-0003", "impact": {"slo_budget_consumed_minutes": written}}
    )
    budget = store.create(pm).impact.slo_budget_consumed_minutes
    assert budget == read
    assert type(budget) is (kind or type(None))


def test_a_whole_float_budget_comes_back_as_int(store: Store) -> None:
    """Known and accepted: the REAL column cannot tell 23.0 from 23; the value is equal."""
    pm = Postmortem.model_validate(
        {"id": "INC-2026-0004", "impact": {"slo_budget_consumed_minutes": 23.0}}
    )
    budget = store.create(pm).impact.slo_budget_consumed_minutes
    assert budget == 23 and type(budget) is int


def test_sample_documents_round_trip(store: Store) -> None:
    for pm in (search_slowdown(), draft_in_meeting()):
        assert as_json(store.create(pm)) == as_json(pm)


def test_create_refuses_an_existing_id_and_changes_nothing(store: Store) -> None:
    pm = draft_in_meeting()
    store.create(pm)
    before = head(store, pm.id)
    with pytest.raises(DuplicatePostmortem):
        store.create(Postmortem(id=pm.id, title="other"))
    assert head(store, pm.id) == before
    assert store.load(pm.id) == pm


def test_replace_of_an_unknown_id_creates_it(store: Store) -> None:
    pm = draft_in_meeting()
    assert store.replace(pm) == pm
    assert head(store, pm.id)["version"] == 1


def test_delete_removes_every_row_and_the_search_row(store: Store) -> None:
    pm = draft_in_meeting()
    store.create(pm)
    assert fts_ids(store, "failover") == [pm.id]
    store.delete(pm.id)
    assert not store.exists(pm.id)
    for table in (
        "participants",
        "timeline_entries",
        "contributing_factors",
        "why_steps",
        "action_items",
        "factor_action_items",
        "observations",
        "postmortem_failure_classes",
        "search_text",
    ):
        assert store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    assert fts_ids(store, "failover") == []
    with pytest.raises(UnknownPostmortem):
        store.delete(pm.id)
    with pytest.raises(UnknownPostmortem):
        store.load(pm.id)


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"failure_classes": ["db-lock", "db-lock"]}, "failure_classes[1]"),
        ({"related_incidents": ["INC-2026-0009", "INC-2026-0009"]}, "related_incidents[1]"),
        (
            {
                "action_items": [{"id": "A1"}],
                "contributing_factors": [{"actions": ["A1", "A1"]}],
            },
            "contributing_factors[0].actions[1]",
        ),
    ],
)
def test_repeated_entries_are_refused_with_their_path(store: Store, data, path) -> None:
    """A document the model accepts must not fail with a raw UNIQUE constraint message."""
    pm = Postmortem.model_validate({"id": "INC-2026-0005"} | data)
    with pytest.raises(DocumentInvalid) as caught:
        store.create(pm)
    assert any(p.startswith(path + ":") for p in caught.value.problems), caught.value.problems
    assert not store.exists(pm.id)
