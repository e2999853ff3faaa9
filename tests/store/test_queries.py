"""Reading across postmortems: next ids, the list with its filters, services, past incidents."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pmtui.domain.models import Postmortem, Service
from pmtui.store import Store
from tests.store.conftest import head


def make(store: Store, ident: str, **fields: Any) -> Postmortem:
    return store.create(Postmortem.model_validate({"id": ident} | fields))


# ---- next_id -------------------------------------------------------------------------


def test_next_id_in_an_empty_store_uses_the_clock_year(store: Store) -> None:
    assert store.next_id() == "INC-2026-0001"
    assert store.next_id("near-miss") == "NM-2026-0001"
    assert store.next_id(year=2031) == "INC-2031-0001"


def test_next_id_follows_the_highest_number_of_its_kind_and_year(store: Store) -> None:
    for ident in ("INC-2026-0007", "INC-2026-0412", "INC-2025-0900", "NM-2026-0003"):
        make(store, ident)
    assert store.next_id() == "INC-2026-0413"
    assert store.next_id(year=2025) == "INC-2025-0901"
    assert store.next_id("near-miss") == "NM-2026-0004"
    assert store.next_id("near-miss", 2025) == "NM-2025-0001"
    make(store, "INC-2026-123456")
    assert store.next_id() == "INC-2026-123457"


def test_next_id_is_free(store: Store) -> None:
    for _ in range(5):
        ident = store.next_id()
        assert not store.exists(ident)
        make(store, ident)
    assert store.ids() == [f"INC-2026-{n:04d}" for n in range(1, 6)]


# ---- summaries ----------------------------------------------------------------------


@pytest.fixture
def listed(store: Store) -> Store:
    make(
        store,
        "INC-2026-0001",
        title="Checkout 100% failing",
        service="payments",
        team="payments",
        severity="SEV-1",
        date_of_incident="2026-03-01T10:00:00Z",
        status="draft",
    )
    make(
        store,
        "INC-2026-0002",
        title="Search slow",
        service="search",
        team="discovery",
        severity="SEV-3",
        date_of_incident="2026-05-01T10:00:00Z",
        status="in-meeting",
    )
    make(
        store,
        "NM-2026-0001",
        title="Canary caught a leak",
        service="search",
        team="discovery",
        date_of_incident="2026-04-01T10:00:00Z",
    )
    make(
        store,
        "INC-2026-0003",
        title="Undated draft",
        service="auth",
        team="identity",
        severity="SEV-2",
    )
    make(
        store,
        "INC-2025-0009",
        title="Old payments blip",
        service="payments",
        team="Payments-Core",
        severity="SEV-4",
        date_of_incident="2025-12-31T23:59:00Z",
    )
    return store


def ids(summaries: list) -> list[str]:
    return [s.id for s in summaries]


def test_summaries_newest_incident_first_undated_last(listed: Store) -> None:
    assert ids(listed.summaries()) == [
        "INC-2026-0002",
        "NM-2026-0001",
        "INC-2026-0001",
        "INC-2025-0009",
        "INC-2026-0003",
    ]


def test_summary_fields(listed: Store) -> None:
    summary = next(s for s in listed.summaries() if s.id == "INC-2026-0001")
    assert summary.title == "Checkout 100% failing"
    assert (summary.kind, summary.severity, summary.status) == ("incident", "SEV-1", "draft")
    assert summary.date_of_incident == "2026-03-01T10:00:00Z"
    assert summary.revision == head(listed, "INC-2026-0001")["revision"]
    near_miss = next(s for s in listed.summaries() if s.id.startswith("NM-"))
    assert near_miss.kind == "near-miss" and near_miss.severity is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("payments", ["INC-2026-0001", "INC-2025-0009"]),
        ("PAYMENTS-core", ["INC-2025-0009"]),
        ("discovery", ["INC-2026-0002", "NM-2026-0001"]),
        ("nm-2026", ["NM-2026-0001"]),
        ("slow", ["INC-2026-0002"]),
        ("100%", ["INC-2026-0001"]),
        ("%", ["INC-2026-0001"]),
        ("_", []),
        ("  search  ", ["INC-2026-0002", "NM-2026-0001"]),
        ("", ["INC-2026-0002", "NM-2026-0001", "INC-2026-0001", "INC-2025-0009", "INC-2026-0003"]),
        ("nothing like it", []),
    ],
)
def test_summaries_text_filter(listed: Store, text: str, expected: list[str]) -> None:
    assert ids(listed.summaries(text=text)) == expected


def test_summaries_filters_combine(listed: Store) -> None:
    assert ids(listed.summaries(statuses=["in-meeting"])) == ["INC-2026-0002"]
    assert ids(listed.summaries(statuses=["draft"], severities=["SEV-1", "SEV-2"])) == [
        "INC-2026-0001",
        "INC-2026-0003",
    ]
    assert ids(listed.summaries(kinds=["near-miss"])) == ["NM-2026-0001"]
    assert ids(listed.summaries(kinds=["incident"], text="search")) == ["INC-2026-0002"]
    assert listed.summaries(statuses=["complete"]) == []


def test_summaries_paging(listed: Store) -> None:
    everything = ids(listed.summaries())
    pages = [ids(listed.summaries(limit=2, offset=o)) for o in (0, 2, 4)]
    assert [i for page in pages for i in page] == everything
    assert pages[2] == everything[4:]


def test_counting_listing_and_revisions(listed: Store) -> None:
    assert listed.count() == 5
    assert listed.ids() == sorted(ids(listed.summaries()))
    revisions = listed.revisions()
    assert set(revisions) == set(listed.ids())
    listed.set_field("INC-2026-0002", "title", "x", version=1)
    after = listed.revisions()
    assert {k for k in after if after[k] != revisions[k]} == {"INC-2026-0002"}
    assert [p.id for p in listed.load_many(["NM-2026-0001", "INC-2026-0001"])] == [
        "NM-2026-0001",
        "INC-2026-0001",
    ]


# ---- services ---------------------------------------------------------------------


def test_services_round_trip_and_update(store: Store) -> None:
    payments = Service(name="payments", team="payments", slo=99.9, window_days=90)
    notifications = Service(
        name="notifications", team="messaging", slo=99.95, window_days=30, counts_sev4=True
    )
    store.save_service(payments)
    store.save_service(notifications)
    assert store.services() == [notifications, payments]
    assert store.service("notifications") == notifications
    assert store.service("notifications").counts_sev4 is True  # type: ignore[union-attr]
    assert store.service("nope") is None
    changed = payments.model_copy(update={"slo": 99.5, "counts_sev4": True})
    store.save_service(changed)
    assert store.service("payments") == changed
    assert len(store.services()) == 2


def test_service_names_include_those_only_named_by_postmortems(store: Store) -> None:
    store.save_service(Service(name="payments"))
    make(store, "INC-2026-0001", service="search")
    make(store, "INC-2026-0002", service="payments")
    make(store, "INC-2026-0003")
    assert store.service_names() == ["payments", "search"]


# ---- past postmortems ---------------------------------------------------------------


@pytest.fixture
def history(store: Store) -> Store:
    make(
        store,
        "INC-2025-0001",
        service="search",
        failure_classes=["disk-io"],
        date_of_incident="2025-01-01T00:00:00Z",
    )
    make(
        store,
        "INC-2025-0002",
        service="auth",
        failure_classes=["disk-io", "other"],
        date_of_incident="2025-02-01T00:00:00Z",
    )
    make(
        store,
        "INC-2025-0003",
        service="auth",
        failure_classes=["cert-expiry"],
        date_of_incident="2025-03-01T00:00:00Z",
    )
    make(store, "INC-2026-0004", service="search")
    make(
        store,
        "INC-2027-0005",
        service="search",
        failure_classes=["disk-io"],
        date_of_incident="2027-01-01T00:00:00Z",
    )
    make(
        store,
        "INC-2026-0100",
        service="search",
        failure_classes=["disk-io"],
        date_of_incident="2026-06-01T00:00:00Z",
    )
    return store


def test_past_postmortems_share_a_class_or_the_service_and_came_before(history: Store) -> None:
    pm = history.load("INC-2026-0100")
    assert [p.id for p in history.past_postmortems(pm)] == [
        "INC-2025-0001",
        "INC-2025-0002",
        "INC-2026-0004",
    ]


def test_past_postmortems_without_a_date_take_every_match(history: Store) -> None:
    pm = Postmortem(id="INC-2026-0200", failure_classes=["cert-expiry"])
    assert [p.id for p in history.past_postmortems(pm)] == ["INC-2025-0003"]
    assert history.past_postmortems(Postmortem(id="INC-2026-0201")) == []


def test_the_check_context_carries_the_past_and_the_service(history: Store) -> None:
    history.save_service(Service(name="search", slo=99.5, window_days=30))
    pm = history.load("INC-2026-0100")
    now = dt.datetime(2026, 6, 2, tzinfo=dt.UTC)
    context = history.context_for(pm, now)
    assert context.now == now
    # The rules only read the past for recurrence: earlier postmortems that share a failure
    # class and still have undone action items, loaded light (just those items).
    expected = [
        p.id
        for p in history.past_postmortems(pm)
        if set(p.failure_classes) & set(pm.failure_classes)
        and any(item.status != "done" for item in p.action_items)
    ]
    assert [p.id for p in context.past] == expected
    for light in context.past:
        assert all(item.status != "done" for item in light.action_items)
    assert context.service is not None and context.service.slo == 99.5
