"""The dashboard's SQL figures equal the rules module's; recurrence finds INC-2025-0804."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.generate import documents
from pmtui.domain.budget import service_budget
from pmtui.domain.metrics import practice_metrics
from pmtui.domain.models import Postmortem
from pmtui.domain.rules import check
from pmtui.sample import build_sample_database
from pmtui.store import Store

NOW = dt.datetime(2026, 11, 29, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("kb") / "sample.db"
    build_sample_database(path)
    with Store.open(path, clock=lambda: NOW) as store:
        yield store


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """300 generated postmortems over eight years: every quarter has history."""
    path: Path = tmp_path_factory.mktemp("gen") / "gen.db"
    with Store.open(path, create=True, clock=lambda: NOW) as store:
        docs = documents(300, seed=7)

        def unit() -> None:
            for pm in docs:
                store._insert_document(pm, version=1, revision=1)

        store.write(unit)
        yield store


@pytest.mark.parametrize("quarters", [1, 4, 8, 40])
@pytest.mark.parametrize("which", ["sample", "generated"])
def test_dashboard_metrics_equal_the_rules(
    which: str, quarters: int, request: pytest.FixtureRequest
) -> None:
    store: Store = request.getfixturevalue(which)
    for now in (NOW, dt.datetime(2026, 2, 25, 12, 0, tzinfo=dt.UTC)):
        board = store.dashboard(now, quarters)
        expected = practice_metrics(store.load_many(store.ids()), now, since=board.since)
        assert board.metrics.to_dict() == expected.to_dict()
        assert board.metrics.overdue == expected.overdue
        assert board.metrics.recurring == expected.recurring


@pytest.mark.parametrize("which", ["sample", "generated"])
def test_quarter_trend_equals_the_rules_per_quarter(
    which: str, request: pytest.FixtureRequest
) -> None:
    store: Store = request.getfixturevalue(which)
    board = store.dashboard(NOW, 8)
    everything = store.load_many(store.ids())
    recurring = practice_metrics(everything, NOW, since=board.since).recurring
    for trend in board.quarters:
        start = dt.date.fromisoformat(trend.quarter[:4] + "-01-01").replace(
            month=(int(trend.quarter[-1]) - 1) * 3 + 1
        )
        in_quarter = [
            pm
            for pm in everything
            if pm.incident_day is not None
            and start <= pm.incident_day
            and f"{pm.incident_day.year}-Q{(pm.incident_day.month - 1) // 3 + 1}" == trend.quarter
        ]
        metrics = practice_metrics(in_quarter, NOW)
        assert trend.median_hours == metrics.median_hours_to_publish, trend.quarter
        assert trend.actions_judged == metrics.actions.judged
        assert trend.actions_completed == metrics.actions.completed
        assert len(trend.near_misses) == metrics.near_misses
        assert len(trend.incidents) == metrics.postmortems
        assert trend.recurring == tuple(r for r in recurring if r.quarter == trend.quarter)


@pytest.mark.parametrize("which", ["sample", "generated"])
def test_budgets_equal_service_budget(which: str, request: pytest.FixtureRequest) -> None:
    store: Store = request.getfixturevalue(which)
    everything = store.load_many(store.ids())
    for as_of in (NOW, dt.datetime(2026, 2, 26, 23, 59, tzinfo=dt.UTC)):
        for service, budget in zip(store.services(), store.budgets(as_of), strict=True):
            assert budget.to_dict() == service_budget(service, everything, as_of).to_dict()


def test_sample_dashboard_figures(sample: Store) -> None:
    board = sample.dashboard(NOW)
    budgets = {b.service: b for b in board.budgets}
    assert budgets["notifications"].exhausted
    assert budgets["notifications"].consumed_minutes == 72
    assert not budgets["payments"].exhausted
    assert budgets["payments"].budget_minutes == 129.6
    assert board.metrics.near_misses == 1
    assert board.near_miss_ids == ("NM-2026-0003",)
    owners = dict(board.past_due_by_owner())
    assert [i.postmortem_id for i in owners["sre-manager"]] == ["INC-2026-0114"]
    assert [q.quarter for q in board.quarters][-1] == "2026-Q4"


def test_past_due_items_are_open_and_past_their_day(generated: Store) -> None:
    board = generated.dashboard(NOW)
    everything = {pm.id: pm for pm in generated.load_many(generated.ids())}
    expected = sorted(
        (item.due, pm.id, item.id)
        for pm in everything.values()
        for item in pm.action_items
        if item.status != "done" and item.due is not None and item.due < NOW.date()
    )
    assert sorted((i.due, i.postmortem_id, i.ref) for i in board.past_due) == expected


def test_recurrence_finds_the_undone_ci_coverage_item(sample: Store) -> None:
    """A new n+1-query postmortem meets INC-2025-0804 and its never-done "improve CI coverage"."""
    pm = Postmortem.model_validate(
        {
            "id": "INC-2026-1201",
            "title": "Order list slow again",
            "service": "orders",
            "team": "commerce",
            "severity": "SEV-3",
            "date_of_incident": "2026-11-28T09:00:00Z",
            "failure_classes": ["n+1-query"],
        }
    )
    past = sample.past_postmortems(pm)
    assert "INC-2025-0804" in [p.id for p in past]
    old = next(p for p in past if p.id == "INC-2025-0804")
    undone = [i.description for i in old.action_items if i.status != "done"]
    assert undone == ["improve CI coverage"]
    hits = sample.search(failure_classes=pm.failure_classes, exclude=[pm.id])
    assert "INC-2025-0804" in [h.id for h in hits]
    findings = check(pm, sample.context_for(pm, NOW))
    recurrence = [f for f in findings if f.code == "A-RECURRENCE"]
    assert any(
        "INC-2025-0804" in f.message and "improve CI coverage" in f.message for f in recurrence
    )


def test_review_report_from_the_store(sample: Store) -> None:
    report = sample.review_report(dt.date(2026, 1, 1), dt.date(2026, 12, 31), NOW)
    slugs = [c.slug for c in report.classes]
    assert "certificate-expiry" in slugs and "n+1-query" in slugs
    cert = next(c for c in report.classes if c.slug == "certificate-expiry")
    assert cert.teams == ("identity",)
    assert cert.not_yet_met == ("discovery", "messaging", "payments")
    # payments met n+1-query in 2025 already, so it is not "not yet met" for it.
    n1 = next(c for c in report.classes if c.slug == "n+1-query")
    assert "payments" not in n1.not_yet_met
    assert report.near_misses == 1
