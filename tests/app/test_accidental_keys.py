"""Dialogs under keys that were not meant for them (issue 6).

The go-to-step dialog gets "31" typed fast; the conflict dialog opens under someone
typing (a pause in typing saves the field) and gets their next keystrokes; the letter
pickers (systemic property, what closes the chain, priority) get two letters at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Button

from pmtui.app import PmtuiApp
from pmtui.screens.actions import ActionsScreen
from pmtui.screens.conflict import ConflictDialog
from pmtui.screens.factors import FactorsScreen
from pmtui.screens.goto import GotoStepDialog
from pmtui.store import Store
from pmtui.widgets.factors_pick import PickDialog
from pmtui.widgets.field import FieldEditor
from tests.app.conftest import reopen, screen_text
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
    make_test_app: MakeApp, sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A wait far longer than the test: a busy machine cannot arm it behind the test's back.
    monkeypatch.setattr(ConflictDialog, "ARM_SECONDS", 60.0)
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        other = await open_title_conflict(app, pilot, sample_db)
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        theirs = dialog.query_one("#theirs", Button)
        assert theirs.disabled and not dialog.armed
        waiting = dialog._arming
        await pilot.press("x")  # still typing: the wait starts again
        assert dialog._arming is not waiting
        assert theirs.disabled and not dialog.armed
        dialog.ARM_SECONDS = 0.2
        await pilot.press("x")  # the last key: quiet from here on
        for _ in range(100):  # a busy machine can run the timer late: wait, never skip it
            if not theirs.disabled:
                break
            await pilot.pause(0.05)
        assert not theirs.disabled and dialog.armed
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


# ---- the letter pickers (systemic property, what closes the chain, priority) ------------


async def test_picker_letters_typed_fast_choose_once_and_do_not_crash(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    """"m" then "c" in one read: the property is chosen once; the picker that follows stays."""
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go(app, pilot, "factors")
        assert isinstance(screen, FactorsScreen)
        await pilot.press("c")
        await pilot.pause()
        first = app.screen
        assert isinstance(first, PickDialog)
        app.post_message(events.Key("m", "m"))  # a missing tool
        app.post_message(events.Key("c", "c"))  # reaches the same picker, after its answer
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert stored(sample_db).contributing_factors[0].systemic_property == "missing-tool"
        # The next question is asked, not popped by a second answer of the first.
        assert isinstance(app.screen, PickDialog) and app.screen is not first
        assert "What change closes it?" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_priority_letters_typed_fast_save_the_first_only(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go(app, pilot, "actions")
        assert isinstance(screen, ActionsScreen)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        app.post_message(events.Key("l", "l"))  # low
        app.post_message(events.Key("h", "h"))  # high, typed on the heels of it
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert app.screen is screen
        assert stored(sample_db).action_items[0].priority == "low"


async def test_picker_enter_after_a_letter_is_not_a_second_choice(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go(app, pilot, "actions")
        await pilot.press("p")
        await pilot.pause()
        app.post_message(events.Key("l", "l"))
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Key("escape", "\x1b"))
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert app.screen is screen
        assert stored(sample_db).action_items[0].priority == "low"
