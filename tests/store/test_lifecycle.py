"""The one door: nothing but complete() (and an earned status through admit) makes a
postmortem complete — not a field save, not a row edit, not create, replace or import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pmtui.domain.errors import DocumentInvalid
from pmtui.domain.findings import blocking
from pmtui.domain.models import Postmortem
from pmtui.domain.rules import CheckContext, check
from pmtui.export.yaml_io import dump_postmortem_yaml
from pmtui.store import (
    CompletionRefused,
    DatabaseBusy,
    DocumentLocked,
    Store,
    StoreError,
)
from pmtui.transfer import ImportOutcome, import_paths
from tests.store.conftest import NOW, draft_in_meeting, dump, fixed_clock, head, search_slowdown

DRAFT = "INC-2026-1126"
PASSING = "INC-2026-0412"


def test_the_passing_sample_passes_and_the_draft_does_not() -> None:
    """The premise of the tests below, checked with the rules alone."""
    context = CheckContext(now=NOW)
    assert blocking(check(search_slowdown(), context)) == []
    assert blocking(check(draft_in_meeting(), context)) != []


@pytest.mark.parametrize("status", ["complete", "published", "Complete", " PUBLISHED "])
def test_a_field_save_cannot_complete(store: Store, status: str) -> None:
    for pm in (store.create(draft_in_meeting()), store.create(search_slowdown())):
        before = dump(store.conn)
        with pytest.raises(DocumentInvalid, match="status"):
            store.set_field(pm.id, "status", status, version=pm.version)
        assert dump(store.conn) == before
        assert store.load(pm.id).status == "in-meeting"


def test_no_row_edit_reaches_the_status(store: Store) -> None:
    pm = store.create(search_slowdown())
    item = pm.action_items[0]
    before = dump(store.conn)
    with pytest.raises(DocumentInvalid):
        store.update_item(PASSING, "action_items", item.row_id, {"status": "complete"}, version=1)
    with pytest.raises(DocumentInvalid):
        store.update_item(
            PASSING, "timeline", pm.timeline[0].row_id, {"status": "complete"}, version=1
        )
    with pytest.raises(StoreError):
        store.update_item(PASSING, "postmortems", 1, {"status": "complete"}, version=1)
    with pytest.raises(DocumentInvalid):
        store.add_item(PASSING, "timeline", {"event": "x", "status": "complete"})
    assert dump(store.conn) == before


@pytest.mark.parametrize("status", ["complete", "published"])
@pytest.mark.parametrize("write", ["create", "replace"])
def test_a_whole_document_claiming_completion_must_earn_it(
    store: Store, status: str, write: str
) -> None:
    claimed = Postmortem.model_validate(draft_in_meeting().model_dump() | {"status": status})
    if write == "replace":
        store.create(draft_in_meeting())
    stored = getattr(store, write)(claimed)
    assert stored.status == "in-meeting"
    assert head(store, DRAFT)["status"] == "in-meeting"
    # Everything else came in as written.
    assert stored.model_dump() | {"status": status} == claimed.model_dump()


@pytest.mark.parametrize("status", ["complete", "published"])
def test_a_passing_document_keeps_the_status_it_earned(store: Store, status: str) -> None:
    stored = store.create(search_slowdown(status))
    assert stored.status == status


def test_import_cannot_complete(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    claimed = Postmortem.model_validate(draft_in_meeting().model_dump() | {"status": "complete"})
    (folder / "claimed.yaml").write_text(dump_postmortem_yaml(claimed), encoding="utf-8")
    earned = search_slowdown("complete")
    (folder / "earned.yaml").write_text(dump_postmortem_yaml(earned), encoding="utf-8")
    with Store.open(tmp_path / "pm.db", create=True, clock=fixed_clock) as store:
        results = {r.ident: r for r in import_paths(store, [folder])}
        assert results[DRAFT].outcome is ImportOutcome.CREATED
        assert results[DRAFT].demoted
        assert store.load(DRAFT).status == "in-meeting"
        assert store.load(PASSING).status == "complete"
        # Importing again with replace cannot sneak it in either.
        results = import_paths(store, [folder / "claimed.yaml"], on_existing="replace")
        assert store.load(DRAFT).status == "in-meeting"


def test_complete_refuses_while_findings_remain(store: Store) -> None:
    pm = store.create(draft_in_meeting())
    before = dump(store.conn)
    with pytest.raises(CompletionRefused) as caught:
        store.complete(DRAFT)
    refused = caught.value
    assert refused.findings
    assert [f.key for f in refused.findings] == [f.key for f in blocking(store.findings(DRAFT))]
    assert {f.code for f in refused.findings} >= {"G-CHAIN-OPEN"}
    assert str(len(refused.findings)) in str(refused)
    assert dump(store.conn) == before
    assert store.load(DRAFT).status == pm.status


def test_complete_then_publish(store: Store) -> None:
    pm = store.create(search_slowdown())
    with pytest.raises(DocumentLocked, match="complete it before publishing"):
        store.publish(PASSING)
    done = store.complete(PASSING)
    assert done.status == "complete"
    assert done.version == pm.version + 1 and done.revision == pm.revision + 1
    assert store.complete(PASSING).status == "complete"  # again: nothing to do
    when = dt.datetime(2026, 4, 17, 12, 0, tzinfo=dt.UTC)
    published = store.publish(PASSING, now=when)
    assert published.status == "published"
    assert published.date_published == when
    assert store.publish(PASSING).date_published == when  # again: the first date stays


def test_complete_checks_inside_the_write_lock(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No edit from another terminal can land between the check and the status change."""
    with Store.open(db_path, create=True, clock=fixed_clock) as a:
        a.create(search_slowdown())
        other = Store.open(db_path, timeout=0.05)
        attempts: list[BaseException | None] = []
        from pmtui.domain import rules as rules_module

        real_check = rules_module.check

        def check_then_try_an_edit(pm: Postmortem, context: CheckContext) -> list[Any]:
            try:
                other.set_field(PASSING, "title", "slipped in", version=pm.version)
                attempts.append(None)
            except DatabaseBusy as exc:
                attempts.append(exc)
            return real_check(pm, context)

        monkeypatch.setattr(rules_module, "check", check_then_try_an_edit)
        assert a.complete(PASSING).status == "complete"
        other.close()
    assert len(attempts) == 1 and isinstance(attempts[0], DatabaseBusy)


LOCKED_EDITS: list[tuple[str, Callable[[Store, Postmortem], Any]]] = [
    ("set_field", lambda s, p: s.set_field(PASSING, "title", "x", version=p.version)),
    ("set status", lambda s, p: s.set_field(PASSING, "status", "in-meeting", version=p.version)),
    (
        "update timeline",
        lambda s, p: s.update_item(
            PASSING, "timeline", p.timeline[0].row_id, {"event": "x"}, version=1
        ),
    ),
    (
        "update why",
        lambda s, p: s.update_item(
            PASSING, "whys", p.contributing_factors[0].whys[0].row_id, {"answer": "x"}, version=1
        ),
    ),
    (
        "update action owner",
        lambda s, p: s.update_item(
            PASSING, "action_items", p.action_items[0].row_id, {"owner": "x"}, version=1
        ),
    ),
    (
        "update action status and owner",
        lambda s, p: s.update_item(
            PASSING,
            "action_items",
            p.action_items[0].row_id,
            {"status": "open", "owner": "x"},
            version=1,
        ),
    ),
    (
        "update factor deferral",
        lambda s, p: s.update_item(
            PASSING,
            "contributing_factors",
            p.contributing_factors[1].row_id,
            {"deferral": None},
            version=1,
        ),
    ),
    ("add timeline", lambda s, p: s.add_item(PASSING, "timeline", {"event": "x"})),
    ("add action", lambda s, p: s.add_item(PASSING, "action_items", {"description": "x"})),
    (
        "delete timeline",
        lambda s, p: s.delete_item(PASSING, "timeline", p.timeline[0].row_id, version=None),
    ),
    (
        "delete action",
        lambda s, p: s.delete_item(PASSING, "action_items", p.action_items[0].row_id, version=None),
    ),
    ("move", lambda s, p: s.move_item(PASSING, "timeline", p.timeline[0].row_id, 2)),
    ("add text", lambda s, p: s.add_text(PASSING, "what_hurt", "x")),
    (
        "update text",
        lambda s, p: s.update_text(
            PASSING, "what_hurt", p.list_row("what_hurt", 0)[0], "x", version=1
        ),
    ),
    (
        "delete text",
        lambda s, p: s.delete_text(PASSING, "what_hurt", p.list_row("what_hurt", 0)[0]),
    ),
    ("add class", lambda s, p: s.add_failure_class(PASSING, "new-class")),
    ("remove class", lambda s, p: s.remove_failure_class(PASSING, "batch-job-resource-contention")),
    ("add related", lambda s, p: s.add_related(PASSING, "INC-2025-0804")),
    ("remove related", lambda s, p: s.remove_related(PASSING, "INC-2025-0804")),
    ("link", lambda s, p: s.link_action(PASSING, p.contributing_factors[1].row_id, "A1")),
    ("unlink", lambda s, p: s.unlink_action(PASSING, p.contributing_factors[0].row_id, "A1")),
]


@pytest.mark.parametrize("status", ["complete", "published"])
@pytest.mark.parametrize(("name", "edit"), LOCKED_EDITS, ids=[e[0] for e in LOCKED_EDITS])
def test_a_complete_document_refuses_content_edits(
    store: Store, status: str, name: str, edit: Callable
) -> None:
    store.create(search_slowdown())
    store.complete(PASSING)
    if status == "published":
        store.publish(PASSING)
    pm = store.load(PASSING)
    before = dump(store.conn)
    with pytest.raises(DocumentLocked, match="reopen"):
        edit(store, pm)
    assert dump(store.conn) == before


def test_a_complete_document_still_tracks_action_progress(store: Store) -> None:
    store.create(search_slowdown())
    pm = store.complete(PASSING)
    item = pm.action_items[0]
    version = store.update_item(
        PASSING,
        "action_items",
        item.row_id,
        {"status": "in-progress", "completed_on": None},
        version=item.version,
    )
    version = store.update_item(
        PASSING,
        "action_items",
        item.row_id,
        {"status": "done", "completed_on": "2026-04-23", "ticket": "SRCH-52"},
        version=version,
    )
    loaded = store.load(PASSING)
    assert loaded.status == "complete"
    assert loaded.action_items[0].completed_on == dt.date(2026, 4, 23)
    assert loaded.action_items[0].ticket == "SRCH-52"
    assert loaded.revision == pm.revision + 2


def test_reopen(store: Store) -> None:
    store.create(search_slowdown())
    store.complete(PASSING)
    published = store.publish(PASSING)
    reopened = store.reopen(PASSING)
    assert reopened.status == "in-meeting"
    assert reopened.date_published == published.date_published
    store.set_field(PASSING, "title", "edited after reopening", version=reopened.version)
    assert store.reopen(PASSING).status == "in-meeting"  # reopening an open one: nothing
    assert store.complete(PASSING).title == "edited after reopening"
