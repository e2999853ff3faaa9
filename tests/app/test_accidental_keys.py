"""Dialogs under keys that were not meant for them (issue 6).

The go-to-step dialog gets "31" typed fast; the conflict dialog opens under someone
typing (a pause in typing saves the field) and gets their next keystrokes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Button

from pmtui.app import PmtuiApp
from pmtui.screens.conflict import ConflictDialog
from pmtui.screens.goto import GotoStepDialog
from pmtui.store import Store
from pmtui.widgets.field import FieldEditor
from tests.app.conftest import reopen
from tests.app.test_stale_edits import DRAFT, go, meets_conflict, stored

MakeApp = Callable[..., PmtuiApp]


# ---- the go-to-step dialog ---------------------------------------------------------------


async def test_goto_typed_fast_jumps_once_and_does_not_crash(make_test_app: MakeApp) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, pilot, "setup")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, GotoStepDialog)
        # "31" typed quickly: both keys are queued before the first is handled, as when
        # a terminal delivers them in one read. The 3 jumps; the 1 is ignored.
        app.post_message(events.Key("3", "3"))
        app.post_message(events.Key("1", "1"))
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert app.current_mode == "past"
        assert not isinstance(app.screen, GotoStepDialog)


# ---- the conflict dialog under the typist's next keystroke -------------------------------


async def open_title_conflict(app: PmtuiApp, pilot: Any, sample_db: Path) -> Store:
    await go(app, pilot, "setup")
    title = next(e for e in app.screen.query(FieldEditor) if e.field == "title")
    title.input.focus()
    title.input.value = "mine"
    other = reopen(sample_db)
    other.set_field(DRAFT, "title", "theirs", version=other.load(DRAFT).version)
    title.flush()  # what the pause in typing does
    await meets_conflict(app, pilot)
    return other


async def test_the_typists_next_keys_do_not_drop_mine(
    make_test_app: MakeApp, sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long wait, so a slow test machine cannot arm "take theirs" between two keys.
    monkeypatch.setattr(ConflictDialog, "ARM_SECONDS", 30.0)
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        other = await open_title_conflict(app, pilot, sample_db)
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        assert dialog.focused is None  # Enter presses no button
        await pilot.press("enter", "escape", "t", "h", "e", "space", "t")
        await pilot.pause()
        assert app.screen is dialog  # still asking: nothing was chosen by accident
        assert stored(sample_db).title == "theirs"
        # A deliberate choice, once the typing has stopped, still works.
        dialog._arm()  # what the quiet time does
        await pilot.press("t")
        await pilot.pause()
        assert not isinstance(app.screen, ConflictDialog)
        assert stored(sample_db).title == "theirs"
        other.close()


async def test_take_theirs_button_waits_for_the_typing_to_stop(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    wait = ConflictDialog.ARM_SECONDS
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        other = await open_title_conflict(app, pilot, sample_db)
        dialog = app.screen
        theirs = dialog.query_one("#theirs", Button)
        assert theirs.disabled
        await pilot.pause(wait / 2)
        await pilot.press("x")  # still typing: the wait starts again
        await pilot.pause(wait / 2)
        assert theirs.disabled and not dialog.armed
        await pilot.pause(wait * 0.8)
        assert not theirs.disabled
        await pilot.click("#theirs")
        await pilot.pause()
        assert not isinstance(app.screen, ConflictDialog)
        other.close()


async def test_keep_mine_and_copy_mine_act_at_once(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    """The choices that keep mine need no wait: neither can lose it."""
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        other = await open_title_conflict(app, pilot, sample_db)
        await pilot.press("k")
        await pilot.pause()
        assert not isinstance(app.screen, ConflictDialog)
        assert stored(sample_db).title == "mine"
        other.close()
