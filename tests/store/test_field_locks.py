"""Field-level locks: with a base, a save is refused when the field moved on."""

from __future__ import annotations

import pytest

from pmtui.domain.models import Postmortem
from pmtui.store import StaleWrite, Store


@pytest.fixture
def store() -> Store:
    store = Store.open(None)
    store.create(
        Postmortem.model_validate(
            {
                "id": "INC-2026-0001",
                "title": "before",
                "timeline": [{"time": "10:00", "event": "deploy", "source": "log"}],
                "what_helped": ["rollback"],
            }
        )
    )
    return store


def test_base_catches_a_change_the_version_cannot_see(store: Store) -> None:
    # Terminal A loaded the document, and its view was refreshed after B saved the title:
    # A's version is current, but the text A started typing over was B's old title.
    store.set_field("INC-2026-0001", "title", "theirs", version=1)
    current = store.load("INC-2026-0001").version
    with pytest.raises(StaleWrite) as caught:
        store.set_field("INC-2026-0001", "title", "mine", version=current, base="before")
    assert caught.value.theirs == {"title": "theirs"}
    assert store.load("INC-2026-0001").title == "theirs"


def test_base_lets_an_edit_of_another_field_through(store: Store) -> None:
    store.set_field("INC-2026-0001", "facilitator", "sam", version=1)
    store.set_field("INC-2026-0001", "title", "mine", version=1, base="before")
    pm = store.load("INC-2026-0001")
    assert (pm.title, pm.facilitator) == ("mine", "sam")


def test_base_is_compared_as_the_field_type(store: Store) -> None:
    store.set_field("INC-2026-0001", "date_of_incident", "2026-01-14T14:32:00Z", version=1)
    pm = store.load("INC-2026-0001")
    # The editor shows "2026-01-14T14:32Z"; the same instant, written differently.
    store.set_field(
        "INC-2026-0001",
        "date_of_incident",
        "2026-01-14T15:00:00Z",
        version=pm.version,
        base="2026-01-14T14:32Z",
    )
    assert store.load("INC-2026-0001").date_of_incident.hour == 15


def test_row_base_refuses_when_the_field_moved_on(store: Store) -> None:
    entry = store.load("INC-2026-0001").timeline[0]
    store.update_item(
        "INC-2026-0001", "timeline", entry.row_id, {"event": "theirs"}, version=entry.version
    )
    fresh = store.load("INC-2026-0001").timeline[0]
    with pytest.raises(StaleWrite) as caught:
        store.update_item(
            "INC-2026-0001",
            "timeline",
            entry.row_id,
            {"event": "mine"},
            version=fresh.version,
            base={"event": "deploy"},
        )
    assert caught.value.theirs["event"] == "theirs"


def test_text_base_refuses_when_the_fact_moved_on(store: Store) -> None:
    pm = store.load("INC-2026-0001")
    row_id, version = pm.list_row("what_helped", 0)
    store.update_text("INC-2026-0001", "what_helped", row_id, "theirs", version=version)
    with pytest.raises(StaleWrite):
        store.update_text(
            "INC-2026-0001", "what_helped", row_id, "mine", version=version + 1, base="rollback"
        )
