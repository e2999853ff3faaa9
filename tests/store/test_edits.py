"""Field-level edits: one field, one row, one transaction; versions catch the other session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pmtui.domain.errors import DocumentInvalid
from pmtui.domain.models import ActionItem, Postmortem, TimelineEntry
from pmtui.store import StaleWrite, Store, StoreError, UnknownPostmortem
from tests.store.conftest import draft_in_meeting, dump, fixed_clock, fts_ids, head

IDENT = "INC-2026-1126"


@pytest.fixture
def pm(store: Store) -> Postmortem:
    return store.create(draft_in_meeting())


@pytest.fixture
def two(db_path: Path):
    """Two sessions (two Store objects, two connections) on one file, with the draft in it."""
    a = Store.open(db_path, create=True, clock=fixed_clock)
    a.create(draft_in_meeting())
    b = Store.open(db_path, clock=fixed_clock)
    yield a, b
    b.close()
    a.close()


def without(pm: Postmortem, *paths: str) -> dict[str, Any]:
    data = pm.model_dump(mode="json")
    for path in paths:
        target = data
        *parents, last = path.split(".")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if last.isdigit():
            target.pop(int(last))
        else:
            target.pop(last)
    return data


# ---- top-level fields ---------------------------------------------------------------


def test_set_field_saves_one_field_and_bumps_the_version(store: Store, pm: Postmortem) -> None:
    new_version = store.set_field(IDENT, "title", "Zanzibar consumer froze", version=pm.version)
    assert new_version == pm.version + 1
    loaded = store.load(IDENT)
    assert loaded.title == "Zanzibar consumer froze"
    assert loaded.version == new_version
    assert loaded.revision == pm.revision + 1
    assert without(loaded, "title") == without(pm, "title")
    assert fts_ids(store, "zanzibar") == [IDENT]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("impact.duration_minutes", "90", 90),
        ("impact.duration_minutes", None, None),
        ("impact.slo_budget_consumed_minutes", 12.5, 12.5),
        ("impact.affected_users_estimate", 1400, "1400"),
        ("severity", "sev-1", "SEV-1"),
        ("date_of_postmortem", "2026-11-28", dt.date(2026, 11, 28)),
        (
            "date_of_incident",
            "2026-11-26T08:50:00+01:00",
            dt.datetime(2026, 11, 26, 7, 50, tzinfo=dt.UTC),
        ),
        ("status", "draft", "draft"),
        ("service", "mail\x1b]0;pwned\x07", "mail"),
    ],
)
def test_set_field_validates_and_normalises(
    store: Store, pm: Postmortem, field: str, value: Any, expected: Any
) -> None:
    store.set_field(IDENT, field, value, version=pm.version)
    loaded = store.load(IDENT)
    got = (
        getattr(loaded.impact, field[7:]) if field.startswith("impact.") else getattr(loaded, field)
    )
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("severity", "SEV-9", "severity:"),
        ("date_of_postmortem", "2026-02-30", "date_of_postmortem:"),
        ("impact.duration_minutes", -5, "impact.duration_minutes:"),
        ("impact.duration_minutes", "lots", "impact.duration_minutes:"),
        ("title", 750, "title:"),
        ("kind", "near-miss", "kind:"),
        ("id", "INC-2026-0001", "id:"),
        ("participants", [], "participants:"),
        ("no_such_field", "x", "no_such_field:"),
    ],
)
def test_set_field_refuses_an_invalid_value_and_changes_nothing(
    store: Store, pm: Postmortem, field: str, value: Any, path: str
) -> None:
    before = dump(store.conn)
    with pytest.raises(DocumentInvalid) as caught:
        store.set_field(IDENT, field, value, version=pm.version)
    assert caught.value.problems[0].startswith(path), caught.value.problems
    assert dump(store.conn) == before


# T12 (RELIABILITY.md)
def test_a_stale_version_raises_and_changes_nothing(store: Store, pm: Postmortem) -> None:
    store.set_field(IDENT, "title", "theirs", version=pm.version)
    before = dump(store.conn)
    with pytest.raises(StaleWrite) as caught:
        store.set_field(IDENT, "title", "mine", version=pm.version)
    assert dump(store.conn) == before
    stale = caught.value
    assert stale.theirs == {"title": "theirs"}
    assert stale.expected_version == pm.version
    assert stale.current_version == pm.version + 1
    assert not stale.deleted


def test_base_merges_an_edit_of_another_field(two) -> None:
    a, b = two
    seen = a.load(IDENT)
    b.set_field(IDENT, "facilitator", "scribe-b", version=b.load(IDENT).version)
    # A edits the title from the version it loaded; B changed another field meanwhile.
    a.set_field(IDENT, "title", "title by a", version=seen.version, base=seen.title)
    final = b.load(IDENT)
    assert (final.title, final.facilitator) == ("title by a", "scribe-b")
    assert final.version == seen.version + 2


def test_base_does_not_merge_an_edit_of_the_same_field(two) -> None:
    a, b = two
    seen = a.load(IDENT)
    b.set_field(IDENT, "title", "title by b", version=seen.version)
    with pytest.raises(StaleWrite) as caught:
        a.set_field(IDENT, "title", "title by a", version=seen.version, base=seen.title)
    assert caught.value.theirs == {"title": "title by b"}
    assert a.load(IDENT).title == "title by b"


def test_base_merge_compares_stored_forms(two) -> None:
    """A date or number base compares with the stored text/REAL, not by Python type."""
    a, b = two
    seen = a.load(IDENT)
    b.set_field(IDENT, "title", "moved on", version=seen.version)
    a.set_field(
        IDENT,
        "impact.slo_budget_consumed_minutes",
        80,
        version=seen.version,
        base=seen.impact.slo_budget_consumed_minutes,
    )
    a.set_field(
        IDENT,
        "date_of_incident",
        "2026-11-26T07:45:00Z",
        version=seen.version,
        base=seen.date_of_incident,
    )
    final = a.load(IDENT)
    assert final.impact.slo_budget_consumed_minutes == 80
    assert final.date_of_incident == dt.datetime(2026, 11, 26, 7, 45, tzinfo=dt.UTC)


def test_edits_of_an_unknown_postmortem(store: Store) -> None:
    with pytest.raises(UnknownPostmortem):
        store.set_field("INC-2026-0999", "title", "x", version=1)
    with pytest.raises(UnknownPostmortem):
        store.add_item("INC-2026-0999", "timeline", {"event": "x"})
    with pytest.raises(UnknownPostmortem):
        store.add_text("INC-2026-0999", "what_hurt", "x")


# ---- rows of the lists -------------------------------------------------------------


def test_update_timeline_entry(store: Store, pm: Postmortem) -> None:
    entry = pm.timeline[3]
    version = store.update_item(
        IDENT,
        "timeline",
        entry.row_id,
        {"context": "Broker dashboards were green"},
        version=entry.version,
    )
    assert version == entry.version + 1
    loaded = store.load(IDENT)
    assert loaded.timeline[3].context == "Broker dashboards were green"
    assert loaded.timeline[3].version == version
    assert loaded.revision == pm.revision + 1
    assert without(loaded, "timeline.3") == without(pm, "timeline.3")


def test_update_why_step_action_item_and_participant(store: Store, pm: Postmortem) -> None:
    why = pm.contributing_factors[0].whys[1]
    store.update_item(
        IDENT,
        "whys",
        why.row_id,
        {"answer": "Its retry loop had no reconnect"},
        version=why.version,
    )
    item = pm.action_items[0]
    store.update_item(
        IDENT,
        "action_items",
        item.row_id,
        {"owner": "messaging-oncall", "due": "2026-12-11", "priority": "High"},
        version=item.version,
    )
    person = pm.participants[2]
    store.update_item(
        IDENT, "participants", person.row_id, {"directly_involved": True}, version=person.version
    )
    loaded = store.load(IDENT)
    assert loaded.contributing_factors[0].whys[1].answer == "Its retry loop had no reconnect"
    assert loaded.action_items[0].owner == "messaging-oncall"
    assert loaded.action_items[0].due == dt.date(2026, 12, 11)
    assert loaded.action_items[0].priority == "high"
    assert loaded.participants[2].directly_involved is True
    assert loaded.revision == pm.revision + 3


def test_factor_deferral_is_set_and_cleared(store: Store, pm: Postmortem) -> None:
    factor = pm.contributing_factors[0]
    version = store.update_item(
        IDENT,
        "contributing_factors",
        factor.row_id,
        {
            "deferral": {
                "reason": "Broker replaced in Q1",
                "decided_by": "lead",
                "review_date": "2027-01-15",
            }
        },
        version=factor.version,
    )
    deferral = store.load(IDENT).contributing_factors[0].deferral
    assert deferral is not None and deferral.review_date == dt.date(2027, 1, 15)
    assert fts_ids(store, "replaced") == [IDENT]
    store.update_item(
        IDENT, "contributing_factors", factor.row_id, {"deferral": None}, version=version
    )
    loaded = store.load(IDENT).contributing_factors[0]
    assert loaded.deferral is None
    # The whys and links of the factor are untouched by an edit of the factor's own row.
    assert loaded.whys == factor.whys and loaded.actions == factor.actions
    assert fts_ids(store, "replaced") == []


@pytest.mark.parametrize(
    ("collection", "locate", "changes", "path"),
    [
        ("timeline", lambda pm: pm.timeline[1], {"time": "25:99"}, "timeline[1].time:"),
        ("timeline", lambda pm: pm.timeline[1], {"time": 750}, "timeline[1].time:"),
        (
            "timeline",
            lambda pm: pm.timeline[0],
            {"decision_point": "maybe"},
            "timeline[0].decision_point:",
        ),
        (
            "action_items",
            lambda pm: pm.action_items[0],
            {"due": "2026-02-30"},
            "action_items[0].due:",
        ),
        (
            "action_items",
            lambda pm: pm.action_items[0],
            {"status": "complete"},
            "action_items[0].status:",
        ),
        ("action_items", lambda pm: pm.action_items[0], {"id": ""}, "action_items[0].id:"),
        (
            "whys",
            lambda pm: pm.contributing_factors[0].whys[1],
            {"answer": 42},
            "contributing_factors[0].whys[1].answer:",
        ),
        (
            "contributing_factors",
            lambda pm: pm.contributing_factors[0],
            {"systemic_property": "bad-luck"},
            "contributing_factors[0].systemic_property:",
        ),
        (
            "contributing_factors",
            lambda pm: pm.contributing_factors[0],
            {"deferral": {"review_date": "soon"}},
            "contributing_factors[0].deferral.review_date:",
        ),
        (
            "contributing_factors",
            lambda pm: pm.contributing_factors[0],
            {"whys": []},
            "contributing_factors[0].whys:",
        ),
        ("participants", lambda pm: pm.participants[1], {"name": False}, "participants[1].name:"),
        ("timeline", lambda pm: pm.timeline[2], {"status": "complete"}, "timeline[2].status:"),
    ],
)
def test_invalid_item_values_name_their_path_and_change_nothing(
    store: Store, pm: Postmortem, collection: str, locate: Callable, changes: dict, path: str
) -> None:
    row = locate(pm)
    before = dump(store.conn)
    with pytest.raises(DocumentInvalid) as caught:
        store.update_item(IDENT, collection, row.row_id, changes, version=row.version)
    assert any(p.startswith(path) for p in caught.value.problems), caught.value.problems
    assert dump(store.conn) == before


def test_a_blank_text_value_is_saved_as_empty(store: Store, pm: Postmortem) -> None:
    item = pm.action_items[0]
    store.update_item(IDENT, "action_items", item.row_id, {"owner": None}, version=item.version)
    assert store.load(IDENT).action_items[0].owner == ""


def test_a_blank_action_item_id_never_reaches_the_table(store: Store) -> None:
    """Regression: a blank ref was stored, re-assigned on load, and broke the factor's link."""
    created = store.create(
        Postmortem.model_validate(
            {
                "id": "INC-2026-0001",
                "action_items": [{"id": "A1"}],
                "contributing_factors": [{"actions": ["A1"]}],
            }
        )
    )
    item = created.action_items[0]
    with pytest.raises(DocumentInvalid, match="needs an id"):
        store.update_item(created.id, "action_items", item.row_id, {"id": ""}, version=1)
    assert store.load(created.id).contributing_factors[0].actions == ["A1"]


def test_renaming_an_action_item_keeps_its_links(store: Store, pm: Postmortem) -> None:
    item = pm.action_items[0]
    store.link_action(IDENT, pm.contributing_factors[0].row_id, "A1")
    store.update_item(IDENT, "action_items", item.row_id, {"id": "RECONNECT"}, version=1)
    loaded = store.load(IDENT)
    assert loaded.action_items[0].id == "RECONNECT"
    assert loaded.contributing_factors[0].actions == ["RECONNECT"]


def test_an_action_item_id_cannot_be_taken_twice(store: Store, pm: Postmortem) -> None:
    second = store.add_item(IDENT, "action_items", {"description": "second"})
    assert second.id == "A2"
    with pytest.raises(DocumentInvalid, match="already used"):
        store.update_item(IDENT, "action_items", second.row_id, {"id": "A1"}, version=1)
    with pytest.raises(DocumentInvalid, match="already used"):
        store.add_item(IDENT, "action_items", {"id": "A1", "description": "third"})


def test_update_item_stale_and_base_merge(two) -> None:
    a, b = two
    entry = a.load(IDENT).timeline[2]
    # B changes another field of the same row: A's edit with a base merges.
    b.update_item(IDENT, "timeline", entry.row_id, {"source": "pager"}, version=entry.version)
    a.update_item(
        IDENT,
        "timeline",
        entry.row_id,
        {"event": "Queue alert at 50k"},
        version=entry.version,
        base={"event": entry.event},
    )
    merged = a.load(IDENT).timeline[2]
    assert (merged.event, merged.source) == ("Queue alert at 50k", "pager")
    assert merged.version == entry.version + 2
    # B changes the field A edits: A's save is refused, with B's row to show.
    b.update_item(IDENT, "timeline", entry.row_id, {"event": "by b"}, version=merged.version)
    before = dump(a.conn)
    with pytest.raises(StaleWrite) as caught:
        a.update_item(
            IDENT,
            "timeline",
            entry.row_id,
            {"event": "by a"},
            version=merged.version,
            base={"event": merged.event},
        )
    assert caught.value.theirs is not None and caught.value.theirs["event"] == "by b"
    assert "timeline[2]" in caught.value.what
    # Without a base, any later version is a conflict.
    with pytest.raises(StaleWrite):
        a.update_item(IDENT, "timeline", entry.row_id, {"context": "c"}, version=merged.version)
    assert dump(a.conn) == before


def test_editing_a_row_the_other_session_deleted(two) -> None:
    """T17 at the store level: a clear StaleWrite with deleted=True, never a crash on None."""
    a, b = two
    seen = a.load(IDENT)
    step = seen.contributing_factors[0].whys[0]
    b.delete_item(IDENT, "whys", step.row_id, version=step.version)
    with pytest.raises(StaleWrite) as caught:
        a.update_item(IDENT, "whys", step.row_id, {"answer": "mine"}, version=step.version)
    assert caught.value.deleted and caught.value.theirs is None
    assert "deleted" in str(caught.value)
    # Deleting it again is not an error.
    a.delete_item(IDENT, "whys", step.row_id, version=step.version)
    a.delete_item(IDENT, "whys", step.row_id, version=None)
    item = seen.timeline[0]
    b.delete_item(IDENT, "timeline", item.row_id, version=None)
    with pytest.raises(StaleWrite) as caught:
        a.move_item(IDENT, "timeline", item.row_id, 3)
    assert caught.value.deleted


def test_a_row_of_another_postmortem_cannot_be_edited_through_this_one(
    store: Store, pm: Postmortem
) -> None:
    other = store.create(Postmortem.model_validate({"id": "INC-2026-0001", "timeline": [{}]}))
    entry = other.timeline[0]
    before = dump(store.conn)
    with pytest.raises(StaleWrite):
        store.update_item(IDENT, "timeline", entry.row_id, {"event": "x"}, version=1)
    store.delete_item(IDENT, "timeline", entry.row_id, version=None)
    assert dump(store.conn) == before


def _events(store: Store) -> list[str]:
    return [t.event for t in store.load(IDENT).timeline]


def _positions(store: Store, table: str, parent_column: str, parent: Any) -> list[int]:
    return [
        r[0]
        for r in store.conn.execute(
            f"SELECT position FROM {table} WHERE {parent_column} = ? ORDER BY position", [parent]
        )
    ]


def test_add_item_at_an_index_renumbers(store: Store, pm: Postmortem) -> None:
    events = [t.event for t in pm.timeline]
    added = store.add_item(IDENT, "timeline", TimelineEntry(time="07:55", event="Pagoda"), index=1)
    assert added.row_id is not None and added.version == 1
    assert _events(store) == [events[0], "Pagoda", *events[1:]]
    store.add_item(IDENT, "timeline", {"event": "first"}, index=0)
    store.add_item(IDENT, "timeline", {"event": "last"})
    store.add_item(IDENT, "timeline", {"event": "way past the end"}, index=99)
    assert _events(store) == ["first", events[0], "Pagoda", *events[1:], "last", "way past the end"]
    assert _positions(store, "timeline_entries", "postmortem_id", IDENT) == list(range(9))
    assert fts_ids(store, "pagoda") == [IDENT]


def test_add_action_items_get_the_next_free_ref(store: Store, pm: Postmortem) -> None:
    a2 = store.add_item(IDENT, "action_items", {"description": "two"}, index=0)
    a3 = store.add_item(IDENT, "action_items", ActionItem(description="three"))
    custom = store.add_item(IDENT, "action_items", {"description": "named", "id": "OPS-1"})
    assert (a2.id, a3.id, custom.id) == ("A2", "A3", "OPS-1")
    store.delete_item(IDENT, "action_items", a2.row_id, version=None)
    a2_again = store.add_item(IDENT, "action_items", {"description": "again"})
    assert a2_again.id == "A2"
    assert [a.id for a in store.load(IDENT).action_items] == ["A1", "A3", "OPS-1", "A2"]


def test_add_why_to_a_factor_and_a_factor_with_links(store: Store, pm: Postmortem) -> None:
    factor = pm.contributing_factors[0]
    step = store.add_item(
        IDENT,
        "whys",
        {"question": "Why no reconnect?", "answer": "Untested path"},
        parent_row_id=factor.row_id,
        index=0,
    )
    assert store.load(IDENT).contributing_factors[0].whys[0].question == "Why no reconnect?"
    assert _positions(store, "why_steps", "factor_id", factor.row_id) == [0, 1, 2]
    assert step.row_id is not None
    new_factor = store.add_item(
        IDENT,
        "contributing_factors",
        {"description": "Alert threshold too high", "actions": ["A1"], "deferral": {}},
    )
    loaded = store.load(IDENT).contributing_factors[1]
    assert loaded.actions == ["A1"] and loaded.deferral is not None
    assert new_factor.row_id is not None
    with pytest.raises(StoreError):
        store.add_item(IDENT, "contributing_factors", {"description": "x", "whys": [{}]})
    with pytest.raises(DocumentInvalid):
        store.add_item(IDENT, "contributing_factors", {"description": "x", "actions": ["A9"]})
    with pytest.raises(DocumentInvalid):
        store.add_item(IDENT, "timeline", {"time": "noon"})


def test_delete_item_with_and_without_a_version(store: Store, pm: Postmortem) -> None:
    first, second = pm.timeline[0], pm.timeline[1]
    store.update_item(IDENT, "timeline", first.row_id, {"event": "edited"}, version=1)
    before = dump(store.conn)
    with pytest.raises(StaleWrite) as caught:
        store.delete_item(IDENT, "timeline", first.row_id, version=first.version)
    assert caught.value.theirs is not None and caught.value.theirs["event"] == "edited"
    assert dump(store.conn) == before
    store.delete_item(IDENT, "timeline", first.row_id, version=None)
    store.delete_item(IDENT, "timeline", second.row_id, version=second.version)
    assert _events(store) == [t.event for t in pm.timeline[2:]]
    assert _positions(store, "timeline_entries", "postmortem_id", IDENT) == [0, 1, 2]


def test_deleting_a_factor_takes_its_whys_and_links(store: Store, pm: Postmortem) -> None:
    factor = pm.contributing_factors[0]
    store.link_action(IDENT, factor.row_id, "A1")
    assert store.conn.execute("SELECT count(*) FROM factor_action_items").fetchone()[0] == 1
    store.delete_item(IDENT, "contributing_factors", factor.row_id, version=factor.version)
    assert store.conn.execute("SELECT count(*) FROM why_steps").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM factor_action_items").fetchone()[0] == 0
    assert store.load(IDENT).contributing_factors == []
    assert fts_ids(store, "whys: primary") == []


def test_deleting_a_linked_action_item_unlinks_it(store: Store, pm: Postmortem) -> None:
    store.link_action(IDENT, pm.contributing_factors[0].row_id, "A1")
    store.delete_item(IDENT, "action_items", pm.action_items[0].row_id, version=None)
    loaded = store.load(IDENT)
    assert loaded.action_items == [] and loaded.contributing_factors[0].actions == []


def test_move_item(store: Store, pm: Postmortem) -> None:
    events = [t.event for t in pm.timeline]
    store.move_item(IDENT, "timeline", pm.timeline[4].row_id, 0)
    assert _events(store) == [events[4], *events[:4]]
    store.move_item(IDENT, "timeline", pm.timeline[4].row_id, 99)
    assert _events(store) == events
    store.move_item(IDENT, "timeline", pm.timeline[0].row_id, 2)
    assert _events(store) == [events[1], events[2], events[0], events[3], events[4]]
    whys = pm.contributing_factors[0].whys
    store.move_item(IDENT, "whys", whys[1].row_id, 0)
    assert [w.answer for w in store.load(IDENT).contributing_factors[0].whys] == [
        whys[1].answer,
        whys[0].answer,
    ]
    assert store.load(IDENT).revision == pm.revision + 4


def test_unknown_collections_are_refused(store: Store, pm: Postmortem) -> None:
    with pytest.raises(StoreError):
        store.update_item(IDENT, "postmortems", 1, {"status": "complete"}, version=1)
    with pytest.raises(StoreError):
        store.add_item(IDENT, "status", {"x": 1})
    with pytest.raises(StoreError):
        store.add_text(IDENT, "lessons", "x")


# ---- what helped, what hurt --------------------------------------------------------


def test_text_lists_add_update_delete(store: Store, pm: Postmortem) -> None:
    row_id, version = store.add_text(IDENT, "what_hurt", "Runbook said to wait")
    first_id, _ = store.add_text(IDENT, "what_hurt", "Alert fired 45 minutes late", index=0)
    loaded = store.load(IDENT)
    assert loaded.what_hurt == ["Alert fired 45 minutes late", "Runbook said to wait"]
    assert loaded.list_row("what_hurt", 1) == (row_id, version)
    assert loaded.what_helped == pm.what_helped
    assert fts_ids(store, "runbook") == [IDENT]

    new_version = store.update_text(IDENT, "what_hurt", row_id, "Runbook was stale", version=1)
    assert new_version == 2
    before = dump(store.conn)
    with pytest.raises(StaleWrite) as caught:
        store.update_text(IDENT, "what_hurt", row_id, "mine", version=1)
    assert caught.value.theirs == {"text": "Runbook was stale"}
    assert dump(store.conn) == before
    # With a base equal to what is stored, an old version is no conflict.
    store.update_text(
        IDENT, "what_hurt", row_id, "Runbook was old", version=1, base="Runbook was stale"
    )
    assert store.load(IDENT).what_hurt[1] == "Runbook was old"

    store.delete_text(IDENT, "what_hurt", first_id)
    assert store.load(IDENT).what_hurt == ["Runbook was old"]
    assert _positions(store, "observations", "postmortem_id", IDENT) == [0, 0]
    with pytest.raises(StaleWrite) as caught:
        store.update_text(IDENT, "what_hurt", first_id, "gone", version=1)
    assert caught.value.deleted
    # A what_helped row cannot be edited as a what_hurt one.
    helped_id, helped_version = store.load(IDENT).list_row("what_helped", 0)
    with pytest.raises(StaleWrite):
        store.update_text(IDENT, "what_hurt", helped_id, "x", version=helped_version)
    assert fts_ids(store, "runbook") == [IDENT] and fts_ids(store, "stale") == []


def test_text_is_validated(store: Store, pm: Postmortem) -> None:
    before = dump(store.conn)
    with pytest.raises(DocumentInvalid, match="what_helped"):
        store.add_text(IDENT, "what_helped", 12)  # type: ignore[arg-type]
    assert dump(store.conn) == before
    row_id, _ = store.add_text(IDENT, "what_helped", "ok\x1b[2J then")
    assert store.load(IDENT).what_helped[-1] == "ok then"
    assert row_id


# ---- tags, related postmortems, links ----------------------------------------------


def test_failure_classes_add_and_remove(store: Store, pm: Postmortem) -> None:
    assert store.add_failure_class(IDENT, "Consumer_Stall") == "consumer-stall"
    assert store.add_failure_class(IDENT, "consumer-stall") == "consumer-stall"  # once only
    assert store.load(IDENT).failure_classes == ["broker-failover", "consumer-stall"]
    assert fts_ids(store, "stall") == [IDENT]
    assert ("consumer-stall",) in store.conn.execute("SELECT slug FROM failure_classes")
    with pytest.raises(DocumentInvalid):
        store.add_failure_class(IDENT, "Not A Slug!")
    store.remove_failure_class(IDENT, "broker-failover")
    assert store.load(IDENT).failure_classes == ["consumer-stall"]
    store.remove_failure_class(IDENT, "never-there")
    assert store.load(IDENT).failure_classes == ["consumer-stall"]


def test_related_incidents_add_and_remove(store: Store, pm: Postmortem) -> None:
    store.add_related(IDENT, " inc-2025-0804 ")
    store.add_related(IDENT, "NM-2026-0003")
    store.add_related(IDENT, "INC-2025-0804")
    assert store.load(IDENT).related_incidents == ["INC-2025-0804", "NM-2026-0003"]
    for bad in ("INC-26-1", IDENT, "nonsense"):
        with pytest.raises(DocumentInvalid):
            store.add_related(IDENT, bad)
    store.remove_related(IDENT, "INC-2025-0804")
    assert store.load(IDENT).related_incidents == ["NM-2026-0003"]


def test_link_and_unlink_actions(store: Store, pm: Postmortem) -> None:
    factor = pm.contributing_factors[0]
    store.link_action(IDENT, factor.row_id, "A1")
    store.add_item(IDENT, "action_items", {"description": "Alert on consumer lag"})
    store.link_action(IDENT, factor.row_id, "A2")
    store.link_action(IDENT, factor.row_id, "A2")  # once only
    assert store.load(IDENT).contributing_factors[0].actions == ["A1", "A2"]
    store.unlink_action(IDENT, factor.row_id, "A1")
    assert store.load(IDENT).contributing_factors[0].actions == ["A2"]
    with pytest.raises(DocumentInvalid):
        store.link_action(IDENT, factor.row_id, "A9")
    other = store.create(
        Postmortem.model_validate(
            {"id": "INC-2026-0001", "contributing_factors": [{}], "action_items": [{}]}
        )
    )
    with pytest.raises(StaleWrite):
        store.link_action(IDENT, other.contributing_factors[0].row_id, "A1")
    assert store.load(other.id).contributing_factors[0].actions == []


# ---- every edit bumps the revision and keeps the index in step --------------------

EDITS: list[tuple[str, Callable[[Store, Postmortem, str], Any]]] = [
    ("set_field", lambda s, p, w: s.set_field(IDENT, "title", w, version=p.version)),
    (
        "set_field impact",
        lambda s, p, w: s.set_field(IDENT, "impact.error_rate_peak", w, version=p.version),
    ),
    (
        "update participant",
        lambda s, p, w: s.update_item(
            IDENT, "participants", p.participants[0].row_id, {"role": w}, version=1
        ),
    ),
    (
        "update timeline",
        lambda s, p, w: s.update_item(
            IDENT, "timeline", p.timeline[0].row_id, {"event": w}, version=1
        ),
    ),
    (
        "update factor",
        lambda s, p, w: s.update_item(
            IDENT,
            "contributing_factors",
            p.contributing_factors[0].row_id,
            {"description": w},
            version=1,
        ),
    ),
    (
        "update why",
        lambda s, p, w: s.update_item(
            IDENT, "whys", p.contributing_factors[0].whys[0].row_id, {"answer": w}, version=1
        ),
    ),
    (
        "update action",
        lambda s, p, w: s.update_item(
            IDENT, "action_items", p.action_items[0].row_id, {"ticket": w}, version=1
        ),
    ),
    ("add timeline", lambda s, p, w: s.add_item(IDENT, "timeline", {"event": w}, index=0)),
    (
        "add why",
        lambda s, p, w: s.add_item(
            IDENT, "whys", {"question": w}, parent_row_id=p.contributing_factors[0].row_id
        ),
    ),
    ("add participant", lambda s, p, w: s.add_item(IDENT, "participants", {"name": w})),
    ("add action", lambda s, p, w: s.add_item(IDENT, "action_items", {"owner": w})),
    ("add factor", lambda s, p, w: s.add_item(IDENT, "contributing_factors", {"description": w})),
    ("add text", lambda s, p, w: s.add_text(IDENT, "what_helped", w)),
    (
        "update text",
        lambda s, p, w: s.update_text(
            IDENT, "what_helped", p.list_row("what_helped", 0)[0], w, version=1
        ),
    ),
    ("add failure class", lambda s, p, w: s.add_failure_class(IDENT, w)),
]


@pytest.mark.parametrize(("name", "edit"), EDITS, ids=[e[0] for e in EDITS])
def test_every_edit_bumps_the_revision_and_the_index(
    store: Store, pm: Postmortem, name: str, edit: Callable
) -> None:
    word = "xylophonic"
    assert fts_ids(store, word) == []
    before = head(store, IDENT)
    edit(store, pm, word)
    after = head(store, IDENT)
    assert after["revision"] == before["revision"] + 1
    assert store.load(IDENT).revision == after["revision"]
    assert fts_ids(store, word) == [IDENT]
    # The index row equals a fresh rebuild: nothing stale left in it.
    indexed = store.conn.execute("SELECT * FROM search_text").fetchall()
    store.conn.execute("DELETE FROM search_text")
    from pmtui.store.search_index import reindex_all

    reindex_all(store.conn)
    assert store.conn.execute("SELECT * FROM search_text").fetchall() == indexed


REMOVALS: list[tuple[str, str, Callable[[Store, Postmortem], Any]]] = [
    (
        "delete timeline",
        "timeline: standby",
        lambda s, p: s.delete_item(IDENT, "timeline", p.timeline[0].row_id, version=None),
    ),
    (
        "delete why",
        "whys: primary",
        lambda s, p: s.delete_item(
            IDENT, "whys", p.contributing_factors[0].whys[0].row_id, version=None
        ),
    ),
    (
        "delete text",
        "lessons: minutes",
        lambda s, p: s.delete_text(IDENT, "what_helped", p.list_row("what_helped", 0)[0]),
    ),
    (
        "remove class",
        "failure_classes: broker",
        lambda s, p: s.remove_failure_class(IDENT, "broker-failover"),
    ),
    (
        "delete action",
        "action_items: investigate",
        lambda s, p: s.delete_item(IDENT, "action_items", p.action_items[0].row_id, version=None),
    ),
]


@pytest.mark.parametrize(("name", "word", "edit"), REMOVALS, ids=[r[0] for r in REMOVALS])
def test_removals_take_their_words_out_of_the_index(
    store: Store, pm: Postmortem, name: str, word: str, edit: Callable
) -> None:
    assert fts_ids(store, word) == [IDENT]
    revision = head(store, IDENT)["revision"]
    edit(store, pm)
    assert fts_ids(store, word) == []
    assert head(store, IDENT)["revision"] == revision + 1
