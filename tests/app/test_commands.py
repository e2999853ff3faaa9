"""The command palette acts on the postmortem the user sees, names it, and the screen follows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette

from pmtui.app import PmtuiApp
from pmtui.screens.dialogs import FormDialog
from pmtui.screens.home import HomeScreen
from pmtui.screens.review import ReviewScreen
from pmtui.widgets.field import FieldEditor
from tests.app.conftest import reopen

MakeApp = Callable[..., PmtuiApp]
DRAFT = "INC-2026-1126"
NEAR_MISS = "NM-2026-0003"  # complete in the sample
ARTICLE = "INC-2026-0114"  # published in the sample


def notes(app: PmtuiApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


async def palette_hits(pilot: object, app: PmtuiApp, query: str) -> list[tuple[str, str]]:
    """Open the palette, type ``query``, and return the hits shown as (name, help)."""
    await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*query)  # type: ignore[attr-defined]
    listing = app.screen.query_one(CommandList)
    for _ in range(100):  # the providers search in a worker
        await pilot.pause()  # type: ignore[attr-defined]
        if listing.option_count:
            break
    await pilot.pause()  # type: ignore[attr-defined]
    hits = []
    for index in range(listing.option_count):
        hit = listing.get_option_at_index(index).hit  # type: ignore[attr-defined]
        hits.append((str(hit.text), str(hit.help or "")))
    return hits


async def run_first(pilot: object, app: PmtuiApp) -> None:
    """Choose the first hit and let its command run."""
    await pilot.press("down", "enter")  # type: ignore[attr-defined]
    for _ in range(5):
        await pilot.pause()  # type: ignore[attr-defined]


async def on_home_with_cursor_on(app: PmtuiApp, pilot: object, ident: str) -> HomeScreen:
    app.go("home")
    await pilot.pause()  # type: ignore[attr-defined]
    home = app.screen
    assert isinstance(home, HomeScreen)
    row = next(i for i, r in enumerate(home._rows) if r.id == ident)
    home.table.move_cursor(row=row)
    await pilot.pause()  # type: ignore[attr-defined]
    assert home.selected_id() == ident
    return home


def status_shown(home: HomeScreen, ident: str) -> str:
    return str(home.table.get_cell(ident, "status"))


async def test_reopen_on_home_acts_on_the_highlighted_row_and_home_shows_it(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        # The last postmortem opened is another one.
        assert app.open_postmortem(ARTICLE, "review")
        await pilot.pause()
        home = await on_home_with_cursor_on(app, pilot, NEAR_MISS)
        assert status_shown(home, NEAR_MISS) == "complete"
        hits = await palette_hits(pilot, app, "postmortem: reopen")
        assert hits[0] == (
            f"postmortem: reopen {NEAR_MISS}",
            f"Take {NEAR_MISS} (complete or published) back into the meeting",
        )
        await run_first(pilot, app)
        assert app.screen is home
        assert status_shown(home, NEAR_MISS) == "in-meeting"  # Home re-read its list
        assert f"Reopened: {NEAR_MISS} is back in the meeting." in notes(app)
    store = reopen(sample_db)
    assert store.load(NEAR_MISS).status == "in-meeting"
    assert store.load(ARTICLE).status == "published"  # the last-opened one is untouched
    store.close()


async def test_in_a_meeting_the_palette_acts_on_the_open_postmortem(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        assert app.open_postmortem(ARTICLE, "review")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        hits = await palette_hits(pilot, app, "postmortem: reopen")
        assert hits[0][0] == f"postmortem: reopen {ARTICLE}"
        await run_first(pilot, app)
        assert app.screen is screen
        assert "in-meeting" in str(screen.query_one("#review-status").render())
    store = reopen(sample_db)
    assert store.load(ARTICLE).status == "in-meeting"
    store.close()


async def test_complete_on_home_refused_opens_the_highlighted_one_at_review(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        assert app.open_postmortem(ARTICLE, "setup")
        await pilot.pause()
        await on_home_with_cursor_on(app, pilot, DRAFT)
        hits = await palette_hits(pilot, app, "postmortem: complete")
        assert hits[0][0] == f"postmortem: complete {DRAFT}"
        await run_first(pilot, app)
        assert app.session is not None and app.session.ident == DRAFT
        assert app.current_mode == "review"
        assert any(n.startswith("Not complete") and DRAFT in n for n in notes(app))
    store = reopen(sample_db)
    assert store.load(DRAFT).status == "in-meeting"
    store.close()


async def test_export_on_home_writes_the_highlighted_one(
    make_test_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmtui.export.formats import render

    monkeypatch.chdir(tmp_path)
    app = make_test_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        assert app.open_postmortem(ARTICLE, "setup")
        await pilot.pause()
        await on_home_with_cursor_on(app, pilot, DRAFT)
        hits = await palette_hits(pilot, app, "export: json file")
        assert hits[0] == (f"export: json file {DRAFT}", f"Write {DRAFT} as JSON to a file")
        await run_first(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#form-path", FieldEditor).input.value = "draft.json"
        await pilot.press("ctrl+s")
        await pilot.pause()
        written = (tmp_path / "draft.json").read_text(encoding="utf-8")
        assert written == render(app.store.load(DRAFT), "json")
        assert f"Exported {DRAFT}: Wrote {tmp_path / 'draft.json'}" in notes(app)


async def test_go_to_a_step_on_home_opens_the_highlighted_one(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.open_postmortem(ARTICLE, "setup")
        await pilot.pause()
        await on_home_with_cursor_on(app, pilot, DRAFT)
        hits = await palette_hits(pilot, app, "go: timeline")
        assert hits[0] == ("go: timeline", f"{DRAFT}: What happened next?")
        await run_first(pilot, app)
        assert app.session is not None and app.session.ident == DRAFT
        assert app.current_mode == "timeline"


async def test_without_a_postmortem_in_view_only_general_commands_are_offered(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        home.query_one("#filter-text").value = "no such postmortem anywhere"  # type: ignore[attr-defined]
        await pilot.pause()
        assert home.selected_id() is None
        hits = await palette_hits(pilot, app, "postmortem")
        names = [name for name, _ in hits]
        assert "postmortem: new" in names
        assert not [n for n in names if "reopen" in n or "complete" in n]
