"""The failure-class taxonomy: describe, suggest, rename and merge across every postmortem."""

from __future__ import annotations

import pytest

from pmtui.domain.errors import DocumentInvalid
from pmtui.domain.models import Postmortem
from pmtui.store import Store, UnknownFailureClass
from pmtui.store.taxonomy import NothingChanged
from tests.store.conftest import fts_ids


def _create(store: Store, ident: str, classes: list[str], status: str = "draft") -> None:
    store.create(
        Postmortem.model_validate(
            {
                "id": ident,
                "title": f"Incident {ident}",
                "service": "orders",
                "team": "commerce",
                "date_of_incident": "2026-02-01T10:00:00Z",
                "failure_classes": classes,
                "status": status,
            }
        )
    )


@pytest.fixture
def tagged(store: Store) -> Store:
    _create(store, "INC-2026-0001", ["n-plus-one"])
    _create(store, "INC-2026-0002", ["n+1-query", "cache-stampede"])
    _create(store, "INC-2026-0003", ["cache-stampede", "n-plus-one", "n+1-query"])
    _create(store, "INC-2026-0004", ["config-drift"])
    return store


def classes_of(store: Store, ident: str) -> list[str]:
    return store.load(ident).failure_classes


def test_list_with_counts_and_descriptions(tagged: Store) -> None:
    tagged.describe_class("n+1-query", "  One query per row\nof a list  ")
    listed = {c.slug: (c.count, c.description) for c in tagged.failure_classes()}
    assert listed["n+1-query"] == (2, "One query per row of a list")
    assert listed["cache-stampede"] == (2, "")
    assert listed["config-drift"] == (1, "")


def test_description_is_one_bounded_line(tagged: Store) -> None:
    with pytest.raises(DocumentInvalid, match="at most"):
        tagged.describe_class("config-drift", "x" * 500)
    with pytest.raises(DocumentInvalid):
        tagged.describe_class("Not A Slug!", "text")


def test_suggestions_offer_the_existing_name(tagged: Store) -> None:
    assert [c.slug for c in tagged.suggest_classes("n")][:2] == ["n+1-query", "n-plus-one"]
    assert [c.slug for c in tagged.suggest_classes("cache")] == ["cache-stampede"]
    assert "n+1-query" in [c.slug for c in tagged.suggest_classes("n-plus-one-query")]
    assert [c.slug for c in tagged.suggest_classes("stampede")] == ["cache-stampede"]
    assert tagged.similar_classes("n-plus-one") == ["n+1-query"]
    for hostile in ("", '"', "[/]", "\x00", "%", "_"):
        assert isinstance(tagged.suggest_classes(hostile), list)


def test_merge_updates_every_postmortem_in_one_step(tagged: Store) -> None:
    revisions = tagged.revisions()
    changed = tagged.merge_classes(["n-plus-one"], "n+1-query")
    assert changed == 2
    assert classes_of(tagged, "INC-2026-0001") == ["n+1-query"]
    # Tagged with both: kept once, at the earlier of the two places.
    assert classes_of(tagged, "INC-2026-0003") == ["cache-stampede", "n+1-query"]
    assert classes_of(tagged, "INC-2026-0002") == ["n+1-query", "cache-stampede"]
    assert "n-plus-one" not in [c.slug for c in tagged.failure_classes()]
    after = tagged.revisions()
    assert after["INC-2026-0001"] > revisions["INC-2026-0001"]
    assert after["INC-2026-0004"] == revisions["INC-2026-0004"]
    # The full-text rows follow: the old words are gone, the new slug is found.
    assert fts_ids(tagged, '"plus"') == []
    assert {h.id for h in tagged.search("n+1-query")} == {
        "INC-2026-0001",
        "INC-2026-0002",
        "INC-2026-0003",
    }
    assert [h.id for h in tagged.search(failure_classes=["n+1-query"])] == [
        "INC-2026-0003",
        "INC-2026-0002",
        "INC-2026-0001",
    ]


def test_merge_is_one_transaction(tagged: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure on the second postmortem leaves the first untouched too."""
    before = {i: classes_of(tagged, i) for i in tagged.ids()}
    calls = []
    original = tagged._touch

    def failing_touch(ident: str) -> None:
        calls.append(ident)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        original(ident)

    monkeypatch.setattr(tagged, "_touch", failing_touch)
    with pytest.raises(RuntimeError):
        tagged.merge_classes(["n-plus-one"], "n+1-query")
    monkeypatch.undo()
    assert {i: classes_of(tagged, i) for i in tagged.ids()} == before
    assert "n-plus-one" in [c.slug for c in tagged.failure_classes()]
    assert fts_ids(tagged, '"plus"') == ["INC-2026-0001", "INC-2026-0003"]


def test_rename_reaches_complete_and_published_postmortems(store: Store) -> None:
    _create(store, "INC-2026-0001", ["cert-expiry"])
    store.conn.execute("UPDATE postmortems SET status = 'published'")
    assert store.rename_class("cert-expiry", "Certificate Expiry") == 1
    assert classes_of(store, "INC-2026-0001") == ["certificate-expiry"]
    assert store.load("INC-2026-0001").status == "published"


def test_rename_refuses_a_taken_name_and_an_unknown_class(tagged: Store) -> None:
    with pytest.raises(DocumentInvalid, match="merge"):
        tagged.rename_class("n-plus-one", "n+1-query")
    with pytest.raises(UnknownFailureClass):
        tagged.rename_class("no-such-class", "whatever")
    with pytest.raises(UnknownFailureClass):
        tagged.merge_classes(["no-such-class"], "n+1-query")


def test_a_rename_or_merge_that_changes_nothing_says_so(tagged: Store) -> None:
    """The new name written as a slug is the old one: no postmortem is touched, and the
    caller hears that nothing changed rather than "renamed on 0 postmortems"."""
    revisions = tagged.revisions()
    for same in ("config-drift", "Config Drift", "  CONFIG drift "):
        with pytest.raises(NothingChanged, match=r"^already named config-drift; nothing changed$"):
            tagged.rename_class("config-drift", same)
    with pytest.raises(NothingChanged, match="cannot merge config-drift into itself"):
        tagged.merge_classes(["config-drift"], "Config Drift")
    assert tagged.revisions() == revisions
    assert classes_of(tagged, "INC-2026-0004") == ["config-drift"]
    # An unknown class is unknown, whatever it would be renamed or merged to.
    with pytest.raises(UnknownFailureClass, match='no failure class "no-such-class"'):
        tagged.rename_class("no-such-class", "No Such Class")
    with pytest.raises(UnknownFailureClass):
        tagged.merge_classes(["no-such-class"], "no-such-class")
    assert tagged.merge_classes([], "config-drift") == 0


def test_a_described_class_with_no_postmortem_can_be_renamed(tagged: Store) -> None:
    tagged.describe_class("disk-full", "A volume runs out of space")
    assert tagged.rename_class("disk-full", "volume-full") == 0
    assert tagged.failure_class("volume-full").description == "A volume runs out of space"  # type: ignore[union-attr]
    assert tagged.failure_class("disk-full") is None


def test_merge_keeps_the_target_description_or_takes_the_source(tagged: Store) -> None:
    tagged.describe_class("n-plus-one", "Queries in a loop")
    tagged.merge_classes(["n-plus-one"], "n+1-query")
    assert tagged.failure_class("n+1-query").description == "Queries in a loop"  # type: ignore[union-attr]
    tagged.describe_class("config-drift", "Drift")
    tagged.describe_class("cache-stampede", "Stampede")
    tagged.merge_classes(["config-drift"], "cache-stampede")
    assert tagged.failure_class("cache-stampede").description == "Stampede"  # type: ignore[union-attr]
