"""Search through the store: any typed text is a query, filters combine, bad syntax is caught."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmtui.domain.models import Postmortem
from pmtui.store import InvalidQuery, Store
from pmtui.store.search import fts_query, make_snippet
from tests.store.conftest import fixed_clock
from tests.strategies import HOSTILE


@pytest.fixture(scope="module")
def searchable() -> Iterator[Store]:
    store = Store.open(None, clock=fixed_clock)
    for data in (
        {
            "id": "INC-2026-0001",
            "title": "Checkout stalled by a lock on the ledger table",
            "service": "payments",
            "team": "payments",
            "severity": "SEV-1",
            "date_of_incident": "2026-03-01T10:00:00Z",
            "failure_classes": ["lock-contention"],
            "timeline": [{"event": "The c++ extension crashed on multi-agent input"}],
        },
        {
            "id": "INC-2026-0002",
            "title": "Search slow during the index rebuild",
            "service": "search",
            "team": "discovery",
            "severity": "SEV-3",
            "date_of_incident": "2026-05-01T10:00:00Z",
            "failure_classes": ["disk-io-saturation"],
            "what_hurt": ["The ledger dashboard lacked an IO panel"],
        },
        {
            "id": "NM-2026-0001",
            "title": "Canary caught a connection leak",
            "service": "search",
            "team": "discovery",
            "date_of_incident": "2026-04-01T10:00:00Z",
            "action_items": [{"description": "Add a don't-leak test", "owner": "search-dev"}],
        },
    ):
        store.create(Postmortem.model_validate(data))
    yield store
    store.close()


def found(hits: list) -> list[str]:
    return [h.id for h in hits]


def test_words_phrases_and_prefixes(searchable: Store) -> None:
    assert found(searchable.search("ledger")) == ["INC-2026-0001", "INC-2026-0002"]
    assert found(searchable.search("ledger"))[0] == "INC-2026-0001"  # title outranks body
    assert found(searchable.search('"index rebuild"')) == ["INC-2026-0002"]
    assert found(searchable.search('"rebuild index"')) == []
    assert found(searchable.search("conne")) == ["NM-2026-0001"]  # the word being typed
    assert found(searchable.search("conne ")) == []  # a finished word is whole
    assert found(searchable.search("lock contention")) == ["INC-2026-0001"]


# T27, T28 (RELIABILITY.md)
@pytest.mark.parametrize(
    "query",
    [
        'foo"',
        "AND(",
        "multi-agent",
        "a:b",
        "*",
        "c++",
        "don't",
        "NOT",
        "OR",
        "NEAR(a b)",
        "(a OR",
        "^",
        "-",
        "\x00",
        "\x1b]0;x\x07",
        '"',
        '""',
        '"""',
        "  ",
        "",
        "\t\n",
        *HOSTILE,
    ],
)
def test_no_typed_text_breaks_the_search(searchable: Store, query: str) -> None:
    hits = searchable.search(query)
    assert isinstance(hits, list)


# T27 (RELIABILITY.md)
def test_hyphenated_and_symbol_words_match_literally(searchable: Store) -> None:
    assert found(searchable.search("multi-agent")) == ["INC-2026-0001"]
    assert found(searchable.search("c++ extension")) == ["INC-2026-0001"]
    assert found(searchable.search("don't-leak")) == ["NM-2026-0001"]


# T28 (RELIABILITY.md)
def test_an_empty_query_lists_everything_newest_first(searchable: Store) -> None:
    everything = ["INC-2026-0002", "NM-2026-0001", "INC-2026-0001"]
    for query in ("", "   ", '"', "\x00", "*"):
        assert found(searchable.search(query)) == everything, repr(query)


def test_filters_combine_with_the_query(searchable: Store) -> None:
    assert found(searchable.search(services=["search"])) == ["INC-2026-0002", "NM-2026-0001"]
    assert found(searchable.search("ledger", services=["search"])) == ["INC-2026-0002"]
    assert found(searchable.search(kinds=["near-miss"])) == ["NM-2026-0001"]
    assert found(searchable.search(failure_classes=["lock-contention"])) == ["INC-2026-0001"]
    assert found(searchable.search(severities=["SEV-1", "SEV-3"], teams=["discovery"])) == [
        "INC-2026-0002"
    ]
    assert found(searchable.search(since=dt.date(2026, 4, 1), until=dt.date(2026, 4, 1))) == [
        "NM-2026-0001"
    ]
    assert found(searchable.search(exclude=["INC-2026-0002"], services=["search"])) == [
        "NM-2026-0001"
    ]
    assert found(searchable.search(limit=1)) == ["INC-2026-0002"]


def test_snippet_spans_mark_the_matched_words(searchable: Store) -> None:
    hit = searchable.search("rebuild")[0]
    assert hit.spans
    for start, end in hit.spans:
        assert hit.snippet[start:end].lower().startswith("rebuild")
    assert "\x01" not in hit.snippet and "\x02" not in hit.snippet
    assert hit.failure_classes == ("disk-io-saturation",)


def test_a_snippet_comes_from_the_first_text_holding_a_word_in_any_case() -> None:
    texts = ["", "the lag", "Straße closed; the LEDGER lagged", "ledger again"]
    assert make_snippet(texts, [("ledger", False)]) == (texts[2], ((19, 25),))
    assert make_snippet(texts, [("stra", True)]) == (texts[2], ((0, 6),))
    assert make_snippet(texts, [("lagged", False)]) == (texts[2], ((26, 32),))
    assert make_snippet(texts, [("xyz", True)]) == ("", ())


# T30 (RELIABILITY.md)
def test_advanced_syntax_passes_through_and_bad_syntax_is_reported(searchable: Store) -> None:
    assert found(searchable.search("ledger NOT checkout", advanced=True)) == ["INC-2026-0002"]
    for bad in ("(a OR", 'foo"', "AND("):
        with pytest.raises(InvalidQuery, match="invalid search syntax"):
            searchable.search(bad, advanced=True)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text())
def test_fuzzed_queries_never_raise(searchable: Store, query: str) -> None:
    """T29 at the store level."""
    assert isinstance(searchable.search(query), list)
    assert "\x00" not in fts_query(query)


def test_a_headline_match_outranks_any_body_match() -> None:
    """A word once in a long postmortem's title or classes beats a short body repeating it.

    Column weights alone did not ensure it: bm25 sums every occurrence and divides by
    the length, and this body came first.
    """
    store = Store.open(None, clock=fixed_clock)
    try:
        long_timeline = [{"event": " ".join(f"step {i} checked the queue" for i in range(150))}]
        for data in (
            {"id": "INC-2026-0001", "title": "Ledger writes stalled", "timeline": long_timeline},
            {"id": "INC-2026-0002", "title": "Checkout slow", "what_hurt": ["ledger " * 20]},
            {
                "id": "INC-2026-0003",
                "title": "Billing down",
                "failure_classes": ["ledger-lag"],
                "timeline": long_timeline,
            },
        ):
            store.create(Postmortem.model_validate(data))
        assert found(store.search("ledger")) == ["INC-2026-0001", "INC-2026-0003", "INC-2026-0002"]
        # Within a shorter page, for a word being typed, and with a hit excluded.
        assert found(store.search("ledger", limit=1)) == ["INC-2026-0001"]
        assert found(store.search("ledg", limit=2)) == ["INC-2026-0001", "INC-2026-0003"]
        assert found(store.search("ledger", exclude=["INC-2026-0001"], limit=2)) == [
            "INC-2026-0003",
            "INC-2026-0002",
        ]
    finally:
        store.close()


def test_the_index_follows_edits(searchable: Store) -> None:
    pm = searchable.load("NM-2026-0001")
    searchable.set_field(pm.id, "title", "Canary caught a socket leak", version=pm.version)
    try:
        assert found(searchable.search("socket")) == ["NM-2026-0001"]
        assert found(searchable.search("connection")) == []
    finally:
        searchable.set_field(
            pm.id, "title", "Canary caught a connection leak", version=pm.version + 1
        )


def test_failure_class_counts(searchable: Store) -> None:
    counts = {slug: n for slug, _, n in searchable.failure_class_counts()}
    assert counts == {"lock-contention": 1, "disk-io-saturation": 1}
