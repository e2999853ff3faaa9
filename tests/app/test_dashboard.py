"""Pilot tests of the Dashboard and the Failure classes screens."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import OptionList, Static

from pmtui.app import PmtuiApp
from pmtui.domain.budget import EXHAUSTED_POLICY
from pmtui.domain.dashboard import Dashboard, PastDueItem
from pmtui.domain.metrics import practice_metrics
from pmtui.screens.dashboard import DashboardScreen, sparkline
from pmtui.screens.dialogs import ConfirmDialog, FormDialog
from pmtui.screens.picker import PostmortemPicker
from pmtui.screens.search import SearchScreen
from pmtui.screens.taxonomy import TaxonomyScreen
from pmtui.widgets.row_table import RowTable
from tests.app.conftest import NOW, reopen, screen_text

HOSTILE = ["[/]", "[/", "[bold]x", "[@click=app.quit]q[/]"]
MakeApp = Callable[..., PmtuiApp]


def row_text(table: RowTable, row: int) -> str:
    return " ".join(str(c) for c in table.get_row_at(row))


def first_column(table: RowTable) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def open_dashboard(app: PmtuiApp, pilot: Any) -> DashboardScreen:
    """``b`` on Home, as a person opens it."""
    await pilot.press("b")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


async def test_budgets_and_the_exhausted_policy(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_dashboard(app, pilot)
        budgets = screen.table("budgets")
        rows = {
            str(budgets.get_row_at(i)[0]): row_text(budgets, i) for i in range(budgets.row_count)
        }
        assert "129.6/90d" in rows["payments"]
        assert "exhausted" in rows["notifications"] and "167 %" in rows["notifications"]
        policy = screen.query_one("#dash-policy", Static)
        assert policy.has_class("-exhausted")
        assert EXHAUSTED_POLICY in str(policy.render()).replace("\n", " ")
        bar = budgets.get_row_at(list(rows).index("notifications"))[1]
        assert app.current_theme.error.lower() in str(bar.spans[0].style).lower()


async def test_a_budget_opens_the_incidents_behind_it(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_dashboard(app, pilot)
        screen.table("budgets").move_cursor(row=1)  # notifications
        await pilot.press("enter")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PostmortemPicker)
        assert "INC-2026-1126" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.session is not None and app.session.ident == "INC-2026-1126"


async def test_metrics_equal_the_rules_and_open_their_postmortems(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    store = reopen(sample_db)
    documents = store.load_many(store.ids())
    store.close()
    app = make_test_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and screen.board is not None
        expected = practice_metrics(documents, NOW, since=screen.board.since)
        assert screen.board.metrics.to_dict() == expected.to_dict()
        metrics = screen.table("metrics")
        done = next(i for i in range(metrics.row_count) if "30 d" in row_text(metrics, i))
        assert f"{expected.actions.rate:.0%}" in row_text(metrics, done)
        near = next(i for i in range(metrics.row_count) if "Near" in row_text(metrics, i))
        assert row_text(metrics, near).endswith(str(expected.near_misses))
        metrics.focus()
        metrics.move_cursor(row=near)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PostmortemPicker)
        await pilot.pause()
        labels = [str(o.prompt) for o in picker.query_one(OptionList).options]
        assert labels == ["2026-Q2  NM-2026-0003"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_past_due_items_by_owner_open_their_postmortem(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_dashboard(app, pilot)
        owners = screen.table("owners")
        names = first_column(owners)
        assert "sre-manager" in names
        owners.focus()
        owners.move_cursor(row=names.index("sre-manager"))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "INC-2026-0114 A6" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.session is not None and app.session.ident == "INC-2026-0114"


# T18 (RELIABILITY.md)
async def test_dashboard_at_80x24_and_hostile_text(make_test_app: MakeApp, sample_db: Path) -> None:
    store = reopen(sample_db)
    pm = store.load("INC-2026-1126")
    item = pm.action_items[0]
    store.update_item(
        pm.id, "action_items", item.row_id, {"owner": " ".join(HOSTILE), "due": "2026-11-01"},
        version=item.version,
    )  # fmt: skip
    store.close()
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_dashboard(app, pilot)
        owners = screen.table("owners")
        names = first_column(owners)
        assert " ".join(HOSTILE) in names
        owners.focus()
        owners.move_cursor(row=names.index(" ".join(HOSTILE)))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PostmortemPicker)
        await pilot.press("escape")
        await pilot.pause()
        text = screen_text(app)
        assert " ".join(HOSTILE) in text  # the owners table, scrolled into view, literal
        assert app.is_running


async def test_figures_are_computed_again_only_when_the_data_changes(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app()
    store = app.store
    computed: list[dt.datetime] = []
    compute = store.dashboard

    def counting(now: dt.datetime, quarters: int = 8) -> Dashboard:
        computed.append(now)
        return compute(now, quarters)

    store.dashboard = counting  # type: ignore[method-assign]
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert len(computed) == 1  # shown for the first time: Textual resumes it twice
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert len(computed) == 1  # nothing changed: the drawn figures stay
        # A commit on this connection (the other terminal's commits change data_version).
        pm = store.load("INC-2026-1126")
        item = pm.action_items[0]
        store.update_item(
            pm.id, "action_items", item.row_id, {"owner": "new-owner", "due": "2026-11-01"},
            version=item.version,
        )  # fmt: skip
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert len(computed) == 2
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        owners = screen.table("owners")
        assert "new-owner" in first_column(owners)
        await pilot.press("r")
        await pilot.pause()
        assert len(computed) == 3  # Refresh always computes


async def test_a_long_table_is_complete_in_the_first_frame_and_drawn_once_per_drawing(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app()
    store = app.store
    compute = store.dashboard
    many = [f"owner-{n:02d}-" + "x" * n for n in range(30)]

    def with_many_owners(now: dt.datetime, quarters: int = 8) -> Dashboard:
        board = compute(now, quarters)
        extra = tuple(
            PastDueItem(owner, "INC-2026-1126", "A1", "fix it", dt.date(2026, 1, 5), "open")
            for owner in many
        )
        return dataclasses.replace(board, past_due=board.past_due + extra)

    store.dashboard = with_many_owners  # type: ignore[method-assign]
    first_frame: list[tuple[int, int]] = []  # (rows, width of the owner column)
    display = app._display

    def watch(screen: object, renderable: object) -> None:
        display(screen, renderable)  # type: ignore[arg-type]
        shown = app.screen
        if renderable is not None and not first_frame and isinstance(shown, DashboardScreen):
            owners = shown.table("owners")
            first_frame.append((owners.row_count, owners.columns[0].width or 0))

    app._display = watch  # type: ignore[method-assign]
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_dashboard(app, pilot)
        owners = screen.table("owners")
        names = first_column(owners)
        assert set(many) <= set(names) and len(names) == len(set(names))
        assert first_frame == [(len(names), max(len(n) for n in names))]
        # Drawn again, twice at once: each drawing replaces the rows, none is added twice.
        screen.reload(force=True)
        screen.reload(force=True)
        await pilot.pause()
        assert first_column(owners) == names
        assert app.is_running


def test_sparkline() -> None:
    assert sparkline([0, 1, 2, None, 4]) == "▁▂▄ █"
    assert sparkline([None, None]) == "  "
    assert sparkline([0, 0]) == "▁▁"


async def test_taxonomy_merge_from_the_screen(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TaxonomyScreen)
        slugs = [c.slug for c in screen.entries]
        screen.table.move_cursor(row=slugs.index("alert-missing"))
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#form-into").input.value = "alert-threshold-too-conservative"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        store = reopen(sample_db)
        assert "alert-threshold-too-conservative" in store.load("INC-2026-0219").failure_classes
        assert "alert-missing" not in [c.slug for c in store.failure_classes()]
        store.close()
        assert "alert-missing" not in [c.slug for c in screen.entries]


async def test_taxonomy_describe_rename_and_search(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TaxonomyScreen)
        screen.table.move_cursor(row=[c.slug for c in screen.entries].index("n+1-query"))
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#form-description").input.value = " ".join(HOSTILE)  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert " ".join(HOSTILE) in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#form-slug").input.value = "n-plus-one-query"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        store = reopen(sample_db)
        assert store.load("INC-2025-0804").failure_classes == ["n-plus-one-query"]
        store.close()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        assert {h.id for h in search.hits} == {"INC-2025-0804", "INC-2026-0114"}
        assert isinstance(search.results, OptionList)
