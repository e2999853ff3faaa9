"""Home: the status and severity filters by keyboard, and a first paint without pydantic."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from pmtui.app import PmtuiApp
from pmtui.screens.home import PAGE_SIZE, HomeScreen
from pmtui.store import Store
from pmtui.widgets.choice_chip import ChoiceChip
from tests.app.conftest import NOW, FirstWholeFrame, screen_text

MakeApp = Callable[..., PmtuiApp]


def shown(home: HomeScreen) -> list[tuple[str, str, str]]:
    table = home.table
    return [
        (
            str(table.get_cell_at((r, 0))),
            str(table.get_cell_at((r, 1))),
            str(table.get_cell_at((r, 2))),
        )
        for r in range(table.row_count)
    ]


async def test_status_and_severity_chips_filter_the_list_by_keyboard(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    with Store.open(sample_db) as store:
        every = {s.id: s for s in store.summaries()}
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert len(shown(home)) == len(every)
        status = home.query_one("#filter-status", ChoiceChip)
        status.focus()
        await pilot.press("space", "space")  # any → draft → in-meeting
        await pilot.pause()
        assert status.value == "in-meeting"
        rows = shown(home)
        expected = {i for i, s in every.items() if s.status == "in-meeting"}
        assert {r[0] for r in rows} == expected and len(expected) >= 2
        assert all(r[2] == "in-meeting" for r in rows)

        await pilot.press("tab")  # to the severity chip
        assert app.focused is home.query_one("#filter-severity", ChoiceChip)
        await pilot.press("left")  # any → SEV-4 (the last), wrapping backwards
        await pilot.press("left")  # SEV-3
        await pilot.pause()
        rows = shown(home)
        assert {r[0] for r in rows} == {
            i for i, s in every.items() if s.status == "in-meeting" and s.severity == "SEV-3"
        }
        assert rows and all(r[1] == "SEV-3" for r in rows)

        await pilot.press("backspace")  # severity back to any
        await pilot.pause()
        assert {r[0] for r in shown(home)} == expected
        await pilot.press("escape")  # clears every filter
        await pilot.pause()
        assert status.value is None
        assert len(shown(home)) == len(every)
        assert "any status" in str(status.render())


async def test_home_first_whole_frame_is_the_home_it_settles_on(sample_db: Path) -> None:
    """The start-up benchmark stops at this frame: the rows and the footer's keys are in it,
    and nothing is drawn later that the first frame lacked (the terminal shows it first)."""
    from pmtui.store import Listing

    app = PmtuiApp(Listing.open(sample_db))  # as `pmtui` starts
    first = FirstWholeFrame(app, HomeScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        settled = screen_text(app)
    app.database.close()
    assert first.text is not None, "Home was never drawn whole"
    assert first.held == 0  # drawn, then thrown away and drawn again: the old start
    assert first.text == settled
    assert "INC-2026-" in first.text and "^q" in first.text  # rows, and the footer's keys


def test_the_list_of_postmortems_paints_without_pydantic(sample_db: Path) -> None:
    """Home is drawn from the light store; the models load when a postmortem opens."""
    code = (
        "import sys, asyncio\n"
        "from pmtui.app import PmtuiApp\n"
        "from pmtui.store import Listing\n"
        "async def main():\n"
        f"    app = PmtuiApp(Listing.open({str(sample_db)!r}))\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "        assert app.screen.table.row_count > 0\n"
        "        print('before', 'pydantic' in sys.modules)\n"
        "        app.open_postmortem('INC-2026-0114')\n"
        "        await pilot.pause()\n"
        "        print('after', 'pydantic' in sys.modules, type(app.screen).__name__)\n"
        "asyncio.run(main())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    ).stdout.split("\n")
    assert out[0] == "before False"
    assert out[1] == "after True SetupScreen"


async def test_the_list_loads_the_next_page_as_the_cursor_nears_its_end(tmp_path: Path) -> None:
    from pmtui.domain.models import Postmortem

    db = tmp_path / "many.db"
    with Store.open(db, create=True, clock=lambda: NOW) as store:
        for n in range(1, 121):
            store.create(
                Postmortem.model_validate(
                    {"id": f"INC-2026-{n:04d}", "title": f"Outage number {n}", "severity": "SEV-3"}
                )
            )
    app = PmtuiApp(Store.open(db, clock=lambda: NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        status = home.query_one("#home-status")
        assert home.table.row_count == PAGE_SIZE
        assert str(status.render()).startswith(f"{PAGE_SIZE} of 120 shown")
        await pilot.press("end")  # the last row loaded: the next page comes
        await pilot.pause()
        assert home.table.row_count == 2 * PAGE_SIZE
        await pilot.press("end", "end")
        await pilot.pause()
        assert home.table.row_count == 120
        assert str(status.render()) == "120 postmortems · enter opens one"
        assert home.selected_id() == home._rows[-1].id == "INC-2026-0001"  # ids sort last
        await pilot.press("pageup", "up")
        await pilot.pause()
        row = home.table.cursor_row
        assert 90 < row < 118  # a page up, then one more
        assert home.selected_id() == home._rows[row].id
        await pilot.press("enter")
        await pilot.pause()
        assert app.session is not None and app.session.ident == home._rows[row].id
    app.store.close()


def test_a_row_with_an_unreadable_stored_date_is_listed_without_a_deadline(
    sample_db: Path,
) -> None:
    """A file edited by hand: the list still opens; that row has no deadline to judge."""
    import sqlite3

    from pmtui.domain.severity import deadline_state
    from pmtui.store import Listing

    with sqlite3.connect(sample_db) as conn:
        conn.execute(
            "UPDATE postmortems SET date_restored = 'yesterday-ish', "
            "date_of_postmortem = '2026-02-30' WHERE id = 'INC-2026-1126'"
        )
    listing = Listing.open(sample_db)
    try:
        row = next(s for s in listing.summaries() if s.id == "INC-2026-1126")
        facts = row.deadline_facts()
        assert facts.date_restored is None and facts.date_of_postmortem is None
        assert deadline_state(facts, NOW) == "n/a"
    finally:
        listing.close()


async def test_back_from_a_meeting_the_cursor_is_on_the_postmortem_just_left(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press("down", "down", "down")
        left = home.selected_id()
        assert left is not None and home.table.cursor_row == 3
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "setup"
        home.table.move_cursor(row=0)  # Home's cursor elsewhere meanwhile
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.screen is home and home.selected_id() == left
        # Away and back without opening another: the cursor stays where it was put.
        await pilot.press("up")
        moved = home.selected_id()
        assert moved != left
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home and home.selected_id() == moved
