"""Pilot tests of the What helped / What hurt step: facts typed in a row, edited, deleted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events

from pmtui.app import PmtuiApp
from pmtui.screens.dialogs import ConfirmDialog
from pmtui.screens.lessons import LessonsScreen
from tests.app.conftest import reopen, screen_text

DRAFT = "INC-2026-1126"
HOSTILE = ["[/]", "[/", "[bold]x", "[@click=app.quit]q[/]"]

MakeApp = Callable[..., PmtuiApp]


def stored(path: Path) -> tuple[list[str], list[str]]:
    store = reopen(path)
    try:
        doc = store.load(DRAFT)
        return doc.what_helped, doc.what_hurt
    finally:
        store.close()


async def open_lessons(app: PmtuiApp, pilot: Any) -> LessonsScreen:
    await pilot.pause()
    app.go("lessons")
    await pilot.pause()
    assert isinstance(app.screen, LessonsScreen)
    return app.screen


async def test_add_keeps_the_input_open_for_the_next_fact(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lessons(app, pilot)
        await pilot.press("right", "a")  # what hurt
        prompt = screen._prompt("what_hurt")
        assert prompt.is_open and prompt.answer_input.has_focus
        for fact in ("The queue-depth alert fired 44 minutes late", "No consumer dashboard"):
            prompt.answer_input.value = fact
            await pilot.press("enter")
            await pilot.pause()
            assert prompt.is_open and prompt.answer_input.value == ""
        await pilot.press("enter")  # an empty fact is refused, not saved
        await pilot.press("escape")
        await pilot.pause()
        assert not prompt.is_open and screen._list("what_hurt").has_focus
        await pilot.press("left", "a")
        screen._prompt("what_helped").answer_input.value = "The on-call knew the broker"
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert "No consumer dashboard" in screen_text(app)
    helped, hurt = stored(sample_db)
    assert hurt == ["The queue-depth alert fired 44 minutes late", "No consumer dashboard"]
    assert helped == [
        "Restarting the consumer drained the queue in 4 minutes",
        "The on-call knew the broker",
    ]


async def test_facts_typed_ahead_all_land_in_the_list(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lessons(app, pilot)
        screen.action_focus_list(1)
        await pilot.pause()
        # One burst, as from a fast typist: "d" and "e" are commands only outside the input.
        for char in "adashboards lied\nalert was late\n\x1be":
            name = {" ": "space", "\n": "enter", "\x1b": "escape"}.get(char, char)
            app.post_message(events.Key(name, char if char.isprintable() else None))
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        assert screen._prompt("what_hurt").answer_input.value == "alert was late"  # e edits
    assert stored(sample_db)[1] == ["dashboards lied", "alert was late"]


async def test_edit_and_delete_a_fact(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lessons(app, pilot)
        app.session.add_text("what_helped", "Second fact")  # type: ignore[union-attr]
        screen.refresh_body()
        screen.action_focus_list(0)
        await pilot.press("e")
        prompt = screen._prompt("what_helped")
        assert prompt.answer_input.value.startswith("Restarting the consumer")
        prompt.answer_input.value = "Restarting the consumer drained the queue"
        await pilot.press("enter")
        await pilot.pause()
        assert not prompt.is_open
        await pilot.press("down", "d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
    assert stored(sample_db)[0] == ["Restarting the consumer drained the queue"]


@pytest.mark.parametrize("size", [(80, 24), (60, 16), (120, 40)])
async def test_lists_fit_and_stack_when_narrow(
    make_test_app: MakeApp, size: tuple[int, int]
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=size) as pilot:
        screen = await open_lessons(app, pilot)
        helped, hurt = screen._list("what_helped"), screen._list("what_hurt")
        assert helped.region.right <= size[0] and hurt.region.right <= size[0]
        stacked = hurt.region.y > helped.region.y
        assert stacked == (size[0] < 76)
        assert "(nothing yet: press a to add)" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        box = screen._prompt("what_helped").answer_input
        assert box.region.height == 1 and box.region.bottom <= size[1]
        await pilot.press("escape")
        await pilot.resize_terminal(20, 5)
        await pilot.pause()
        assert app.is_running


# T18 (RELIABILITY.md)
async def test_user_text_is_shown_literally(make_test_app: MakeApp) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        session = app.session
        assert session is not None
        for text in HOSTILE:
            session.add_text("what_helped", f"h{text}")
            session.add_text("what_hurt", f"u{text}")
        screen = await open_lessons(app, pilot)
        shown = screen_text(app)
        for text in HOSTILE:
            assert f"h{text}" in shown and f"u{text}" in shown
        screen.action_focus_list(1)
        screen._list("what_hurt").highlighted = 3
        await pilot.press("e")
        assert screen._prompt("what_hurt").answer_input.value == "u[@click=app.quit]q[/]"
        await pilot.press("escape", "d")
        await pilot.pause()
        assert "u[@click=app.quit]q[/]" in screen_text(app)
        await pilot.press("n")
        await pilot.click("#list-what_hurt")
        await pilot.pause()
        assert app.is_running
