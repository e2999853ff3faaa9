"""Pilot tests of the Past incidents step: search, tags, links, and the never-completed items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from pmtui.app import PmtuiApp
from pmtui.domain.models import ActionItem, Postmortem
from pmtui.screens.dialogs import ChoiceDialog, FormDialog
from pmtui.screens.past import PastIncidentsScreen
from pmtui.widgets.field import FieldEditor
from pmtui.widgets.past_detail import PastDetailDialog
from pmtui.widgets.past_results import undone_line
from tests.app.conftest import NOW, reopen, screen_text

DRAFT = "INC-2026-1126"
ARTICLE = "INC-2026-0114"
OLD = "INC-2025-0804"
NEW = "INC-2026-1201"
HOSTILE = ["[/]", "[/", "[bold]x", "[@click=app.quit]q[/]"]

MakeApp = Callable[..., PmtuiApp]


def static_text(app: PmtuiApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def new_postmortem(app: PmtuiApp, ident: str = NEW, **changes: object) -> None:
    """A fresh postmortem with no failure class and no past search yet."""
    data = {
        "id": ident,
        "severity": "SEV-3",
        "title": "Checkout slow after the ORM bump",
        "service": "checkout",
        "team": "checkout",
        "date_of_incident": dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC),
        "status": "in-meeting",
    }
    app.store.create(Postmortem.model_validate({**data, **changes}))


async def open_past(app: PmtuiApp, pilot: object, ident: str) -> PastIncidentsScreen:
    assert app.open_postmortem(ident, "past")
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, PastIncidentsScreen)
    return screen


async def search(pilot: object, screen: PastIncidentsScreen, words: str) -> None:
    screen.search_input.value = words
    screen.search_input.focus()
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


def hit_ids(screen: PastIncidentsScreen) -> list[str]:
    return [hit.id for hit in screen.results.hits]


def select(screen: PastIncidentsScreen, ident: str) -> None:
    screen.results.move_cursor(row=hit_ids(screen).index(ident))


async def test_opening_the_draft_lists_past_postmortems_at_once(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_past(app, pilot, DRAFT)
        ids = hit_ids(screen)
        assert ids and DRAFT not in ids
        assert OLD in ids
        # Nothing else shares broker-failover or notifications, and the screen says so.
        assert "None shares broker-failover or the notifications service" in static_text(
            app, "#past-status"
        )


async def test_opening_lists_those_sharing_a_class_or_the_service(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        new_postmortem(app, service="payments", failure_classes=["n+1-query"])
        screen = await open_past(app, pilot, NEW)
        # Same class (0804, 0114) or same service (0219); not the search or auth incidents.
        assert set(hit_ids(screen)) == {OLD, ARTICLE, "INC-2026-0219"}
        await pilot.press("s")
        assert set(hit_ids(screen)) == {OLD, ARTICLE}
        await pilot.press("f")
        assert len(hit_ids(screen)) == 7  # no filter: every other postmortem


async def test_searching_words_finds_the_article_incident(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        new_postmortem(app, service="payments", failure_classes=["n+1-query"])
        screen = await open_past(app, pilot, NEW)
        await search(pilot, screen, "certificate")
        assert hit_ids(screen) == []  # still filtered by class and service
        assert "Press f or s to widen" in static_text(app, "#past-status")
        await search(pilot, screen, "conservative threshold")
        assert hit_ids(screen) == [ARTICLE]  # a payments incident
        screen.results.focus()
        await pilot.press("f", "s")
        assert hit_ids(screen) == [ARTICLE]
        hit = screen.results.hits[0]
        assert hit.spans  # the matched words are highlighted in the snippet
        assert "Match:" in static_text(app, "#past-detail")
        assert app.screen.focused is screen.results


async def test_words_search_everything_when_nothing_shares_the_scope(
    make_test_app: MakeApp,
) -> None:
    """The screen announced it shows every postmortem; typed words search those, too."""
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_past(app, pilot, DRAFT)
        assert "showing all 6 instead" in static_text(app, "#past-status")
        await search(pilot, screen, "conservative threshold")
        assert hit_ids(screen) == [ARTICLE]
        status = static_text(app, "#past-status")
        assert (
            "None shares broker-failover or the notifications service — searching all instead:"
            ' 1 matches "conservative threshold"' in status
        )
        await search(pilot, screen, "nothing-like-this-anywhere")
        assert hit_ids(screen) == []
        assert 'none matches "nothing-like-this-anywhere"' in static_text(app, "#past-status")
        await search(pilot, screen, "")
        assert len(hit_ids(screen)) == 6


async def test_slash_focuses_search_and_escape_returns(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_past(app, pilot, DRAFT)
        await pilot.press("slash")
        assert app.screen.focused is screen.search_input
        await pilot.press("f")  # a letter in the box is text, not a command
        assert screen.search_input.value == "f"
        await pilot.press("escape")
        assert app.screen.focused is screen.results


async def test_a_new_n_plus_one_postmortem_surfaces_improve_ci_coverage(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        new_postmortem(app)
        screen = await open_past(app, pilot, NEW)
        await pilot.press("t")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert "n+1-query" in screen_text(app)  # the classes in use are offered
        dialog.query_one("#form-slug", FieldEditor).input.value = "n+1-query"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert app.session is not None and app.session.doc.failure_classes == ["n+1-query"]
        assert set(hit_ids(screen)) == {ARTICLE, OLD}  # the two n+1-query incidents
        select(screen, OLD)
        await pilot.pause()
        detail = static_text(app, "#past-detail")
        assert "Never completed (1)" in detail
        assert "✗ A1 improve CI coverage — no owner · no due date" in detail
        # The recurrence advisory now points at the failure class.
        codes = [f.code for f in app.session.findings]
        assert "A-RECURRENCE" in codes
    store = reopen(sample_db)
    try:
        assert store.load(NEW).failure_classes == ["n+1-query"]
    finally:
        store.close()


def test_never_completed_items_are_in_the_error_colour() -> None:
    line = undone_line(ActionItem(description="improve CI coverage", id="A1"))
    assert line.plain == "✗ A1 improve CI coverage — no owner · no due date · no ticket · open"
    assert any("$text-error" in str(span.style) for span in line.spans)


async def test_the_first_search_run_is_recorded_and_a_later_visit_changes_nothing(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        new_postmortem(app)
        assert app.store.load(NEW).past_incidents_searched_at is None
        await open_past(app, pilot, NEW)
        assert "G-PAST-SEARCH" not in [f.code for f in app.session.findings]  # type: ignore[union-attr]
        recorded = app.store.load(NEW)
        assert recorded.past_incidents_searched_at == NOW
        app.store.clock = lambda: NOW + dt.timedelta(hours=1)  # type: ignore[method-assign]
        app.go("norms")
        await pilot.pause()
        app.go("past")  # passing through again, an hour later
        await pilot.pause()
        app.screen.query_one("#past-search", Input).value = "broker"
        await pilot.press("enter")
        await pilot.pause()
    store = reopen(sample_db)
    try:
        again = store.load(NEW)
        assert again.past_incidents_searched_at == NOW
        assert again.version == recorded.version  # the visit and the search saved nothing
    finally:
        store.close()


async def test_link_and_unlink_land_in_the_store(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_past(app, pilot, DRAFT)
        select(screen, OLD)
        await pilot.press("l")
        store = reopen(sample_db)
        assert store.load(DRAFT).related_incidents == [OLD]
        store.close()
        row = hit_ids(screen).index(OLD)
        assert screen.results.get_row_at(row)[0].plain == "✓"
        assert "Related: INC-2025-0804" in static_text(app, "#past-linked")
        await pilot.press("u")
        store = reopen(sample_db)
        assert store.load(DRAFT).related_incidents == []
        store.close()
        assert screen.results.get_row_at(row)[0].plain == ""


async def test_enter_shows_the_details_and_l_there_links(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_past(app, pilot, DRAFT)
        select(screen, OLD)
        await pilot.press("enter")
        assert isinstance(app.screen, PastDetailDialog)
        text = screen_text(app)
        assert "improve CI coverage" in text and "Paginate the order history" in text
        await pilot.press("l")
        assert app.screen is screen
        assert app.session is not None and app.session.doc.related_incidents == [OLD]


async def test_removing_a_failure_class(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_past(app, pilot, DRAFT)
        await pilot.press("r")
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("1")
        await pilot.pause()
    store = reopen(sample_db)
    try:
        assert store.load(DRAFT).failure_classes == []
    finally:
        store.close()


# T27 (RELIABILITY.md)
@pytest.mark.parametrize(
    "query", ['"', "AND(", "c++", "[/]", "", "   ", "[bold]x", "a:b", "*", "NOT", "x\x00y", '"a']
)
async def test_hostile_queries_never_crash(make_test_app: MakeApp, query: str) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_past(app, pilot, DRAFT)
        await pilot.press("f", "s")
        await search(pilot, screen, query)
        assert app.is_running
        assert isinstance(screen.results.hits, list)
        if not query.strip(' \x00"*'):
            assert len(screen.results.hits) == 6  # nothing to match means: show all


async def test_typing_schedules_the_search_and_enter_runs_it(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_past(app, pilot, DRAFT)
        await pilot.press("f", "s", "slash")
        await pilot.press(*"pagin")
        assert screen._pending is not None  # runs after a pause in typing
        await pilot.press("enter")
        assert screen._pending is None
        assert hit_ids(screen) == [OLD]
        assert app.screen.focused is screen.results


# T18 (RELIABILITY.md)
async def test_user_text_is_shown_literally(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        hostile_id = "INC-2026-1130"
        new_postmortem(
            app,
            hostile_id,
            title=" ".join(HOSTILE),
            service=HOSTILE[3],
            failure_classes=["n+1-query"],
            action_items=[{"description": f"{h} never done", "owner": h} for h in HOSTILE],
            contributing_factors=[{"description": h} for h in HOSTILE],
            date_of_incident=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        )
        new_postmortem(app, failure_classes=["n+1-query"], title=" ".join(HOSTILE))
        screen = await open_past(app, pilot, NEW)
        select(screen, hostile_id)
        await pilot.pause()
        detail = static_text(app, "#past-detail")
        assert HOSTILE[3] in detail  # the service
        for text in HOSTILE[:3]:  # three items shown, then "… and 1 more"
            assert f"{text} never done" in detail
        row = screen.results.get_row_at(hit_ids(screen).index(hostile_id))
        assert row[-1].plain.startswith("[/] [/ [bold]x")
        # Enter: every item and factor, literally; clicking them does nothing.
        await pilot.press("enter")
        assert isinstance(app.screen, PastDetailDialog)
        text = screen_text(app)
        for hostile in HOSTILE:
            assert f"{hostile} never done" in text
            assert f". {hostile}" in text  # "1. [/]" — the factors
        await pilot.click("#past-detail-text")
        assert app.is_running
        await pilot.press("escape")
        # A hostile query is shown as typed.
        await search(pilot, screen, "[@click=app.quit]q[/]")
        assert '"[@click=app.quit]q[/]"' in static_text(app, "#past-status")
        assert app.is_running
