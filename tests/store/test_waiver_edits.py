"""Waivers follow their item when the store inserts, moves or deletes list items."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmtui.domain.findings import retarget_waivers
from pmtui.domain.models import Postmortem
from pmtui.store import StaleWrite, Store
from tests.domain.article import completed_dict
from tests.store.conftest import fixed_clock

IDENT = "INC-2026-0114"
VAGUE = ["improve alerting", "Add sqlfluff to CI", "investigate pool sizing", "better dashboards"]


def document(waivers: list[dict[str, Any]] = ()) -> Postmortem:
    """The article's postmortem in its meeting, with four action items, three vague."""
    data = completed_dict() | {"status": "in-meeting", "waivers": list(waivers)}
    data["action_items"] = [
        data["action_items"][i % 4] | {"description": what, "id": f"A{i + 1}"}
        for i, what in enumerate(VAGUE)
    ]
    data["timeline"][1]["event"] = "Alert finally fires"
    data["timeline"][3]["event"] = "Deploy obviously identified as likely cause"
    return Postmortem.model_validate(data)


def waive(path: str, code: str = "A-ACTION-VAGUE") -> dict[str, Any]:
    return {"code": code, "path": path, "reason": f"waived at {path}"}


def vague(store: Store) -> list[tuple[str, bool]]:
    """Each vague action item's description and whether its advisory is waived."""
    pm = store.load(IDENT)
    return [
        (pm.action_items[int(f.path.split("[")[1].split("]")[0])].description, f.waived)
        for f in store.findings(IDENT)
        if f.code == "A-ACTION-VAGUE"
    ]


def item(store: Store, description: str) -> Any:
    return next(i for i in store.load(IDENT).action_items if i.description == description)


def paths(store: Store) -> list[str]:
    return [w.path for w in store.load(IDENT).waivers]


def test_deleting_a_waived_item_deletes_its_waiver(store: Store) -> None:
    store.create(document([waive("action_items[0].description")]))
    gone = item(store, "improve alerting")
    store.delete_item(IDENT, "action_items", gone.row_id, version=gone.version)
    # Before: the waiver stayed at [0] and silently covered "Add sqlfluff"'s successor.
    assert paths(store) == []
    assert vague(store) == [("investigate pool sizing", False), ("better dashboards", False)]


def test_a_waiver_follows_its_item_when_an_earlier_one_is_deleted(store: Store) -> None:
    store.create(document([waive("action_items[2].description")]))
    first = item(store, "improve alerting")
    store.delete_item(IDENT, "action_items", first.row_id, version=first.version)
    assert paths(store) == ["action_items[1].description"]
    assert vague(store) == [("investigate pool sizing", True), ("better dashboards", False)]


def test_a_waiver_follows_its_item_when_it_moves(store: Store) -> None:
    store.create(document([waive("action_items[0].description")]))
    moved = item(store, "improve alerting")
    store.move_item(IDENT, "action_items", moved.row_id, 3)
    assert paths(store) == ["action_items[3].description"]
    assert vague(store) == [
        ("investigate pool sizing", False),
        ("better dashboards", False),
        ("improve alerting", True),
    ]


def test_a_waiver_follows_its_item_when_one_is_inserted_before_it(store: Store) -> None:
    store.create(document([waive("action_items[3].description")]))
    store.add_item(IDENT, "action_items", {"description": "look into retries"}, index=0)
    assert paths(store) == ["action_items[4].description"]
    assert ("better dashboards", True) in vague(store)
    assert ("look into retries", False) in vague(store)


def test_a_waiver_beyond_the_list_never_lands_on_a_new_item(store: Store) -> None:
    # A waiver left pointing past the end (by an older pmtui) must not cover a new item.
    store.create(document([waive("action_items[4].description")]))
    store.add_item(IDENT, "action_items", {"description": "look into retries"})
    assert paths(store) == ["action_items[5].description"]
    assert ("look into retries", False) in vague(store)


def test_timeline_and_why_waivers_follow_their_rows(store: Store) -> None:
    waivers = [
        waive("timeline[3].event#obviously", "A-TIMELINE-JUDGING"),
        waive("contributing_factors[1].whys[0].answer", "A-BLAME"),
        waive("timeline[1].event#finally", "A-TIMELINE-JUDGING"),
    ]
    pm = store.create(document(waivers))
    store.delete_item(IDENT, "timeline", pm.timeline[1].row_id, version=pm.timeline[1].version)
    assert paths(store) == ["timeline[2].event#obviously", "contributing_factors[1].whys[0].answer"]
    factor = store.load(IDENT).contributing_factors[1]
    store.add_item(
        IDENT,
        "whys",
        {"question": "Why?", "answer": "No check"},
        index=0,
        parent_row_id=factor.row_id,
    )
    assert paths(store)[1] == "contributing_factors[1].whys[1].answer"
    store.move_item(IDENT, "contributing_factors", factor.row_id, 0)
    assert paths(store)[1] == "contributing_factors[0].whys[1].answer"
    factor = store.load(IDENT).contributing_factors[0]
    store.delete_item(IDENT, "contributing_factors", factor.row_id, version=factor.version)
    assert paths(store) == ["timeline[2].event#obviously"]
    judged = [
        (f.subject, f.waived) for f in store.findings(IDENT) if f.code == "A-TIMELINE-JUDGING"
    ]
    assert judged == [("obviously", True)]


def test_facts_and_failure_classes_move_their_waivers(store: Store) -> None:
    classes = completed_dict()["failure_classes"]
    waivers = [
        waive(f"failure_classes[{len(classes) - 1}]#INC-2025-0804/A1", "A-RECURRENCE"),
        waive("failure_classes[0]#INC-2025-0804/A1", "A-RECURRENCE"),
        waive("what_hurt[1]", "A-X"),
    ]
    pm = store.create(document(waivers))
    store.remove_failure_class(IDENT, classes[0])
    assert paths(store) == [f"failure_classes[{len(classes) - 2}]#INC-2025-0804/A1", "what_hurt[1]"]
    store.add_text(IDENT, "what_hurt", "Paging was slow", index=0)
    assert paths(store)[1] == "what_hurt[2]"
    waived_fact = pm.list_row("what_hurt", 1)
    assert waived_fact is not None
    store.delete_text(IDENT, "what_hurt", waived_fact[0])
    assert paths(store) == [f"failure_classes[{len(classes) - 2}]#INC-2025-0804/A1"]


def test_deleting_a_waiver_moves_the_ones_that_name_waivers(store: Store) -> None:
    waivers = [
        {"code": "G-OWNER-ONE", "reason": "not allowed"},
        {"code": "G-ROOT-CAUSE", "reason": "not allowed either"},
        waive("waivers[1].code", "A-WAIVER-GATE"),
        waive("waivers[0].code", "A-WAIVER-GATE"),
    ]
    pm = store.create(document(waivers))
    store.delete_item(IDENT, "waivers", pm.waivers[0].row_id, version=pm.waivers[0].version)
    assert [(w.code, w.path) for w in store.load(IDENT).waivers] == [
        ("G-ROOT-CAUSE", ""),
        ("A-WAIVER-GATE", "waivers[0].code"),
    ]


def test_a_refused_delete_changes_no_waiver(store: Store) -> None:
    store.create(document([waive("action_items[2].description")]))
    first = item(store, "improve alerting")
    with pytest.raises(StaleWrite):
        store.delete_item(IDENT, "action_items", first.row_id, version=first.version + 5)
    assert paths(store) == ["action_items[2].description"]


# Any sequence of item edits through the store leaves the same waivers as the same edits
# made to the whole document (retarget_waivers) and saved whole: the two ways agree.
edits = st.lists(
    st.one_of(
        st.tuples(st.just("delete"), st.integers(0, 9)),
        st.tuples(st.just("move"), st.integers(0, 9), st.integers(0, 5)),
        st.tuples(st.just("insert"), st.integers(0, 5)),
    ),
    max_size=5,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 4), max_size=4), edits)
def test_store_edits_agree_with_whole_document_edits(targets, steps) -> None:
    waivers = [waive(f"action_items[{i}].description") for i in targets]
    with Store.open(None, clock=fixed_clock) as store:
        store.create(document(waivers))
        expected = [w.path for w in document(waivers).waivers]
        labels = [i.description for i in store.load(IDENT).action_items]
        for number, step in enumerate(steps):
            pm = store.load(IDENT)
            items = pm.action_items
            before = list(labels)
            if step[0] == "delete" and items:
                target = items[step[1] % len(items)]
                store.delete_item(IDENT, "action_items", target.row_id, version=target.version)
                labels.remove(target.description)
            elif step[0] == "move" and items:
                target = items[step[1] % len(items)]
                store.move_item(IDENT, "action_items", target.row_id, step[2])
                labels.remove(target.description)
                labels.insert(min(step[2], len(labels)), target.description)
            elif step[0] == "insert":
                label = f"look into case {number}"
                store.add_item(IDENT, "action_items", {"description": label}, index=step[1])
                labels.insert(min(step[1], len(labels)), label)
            moved = [labels.index(x) if x in labels else None for x in before]
            whole = document(
                [{"code": "A-ACTION-VAGUE", "path": p, "reason": "r"} for p in expected]
            )
            expected = [
                w.path
                for w in retarget_waivers(
                    whole.waivers, "action_items", moved, len(labels) - len(before)
                )
            ]
            assert [i.description for i in store.load(IDENT).action_items] == labels
            assert paths(store) == expected
