"""Pilot tests of the Action items step: the form, inline edits, problems in colour, done."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Select

from pmtui.app import PmtuiApp
from pmtui.domain.models import Postmortem
from pmtui.screens.actions import ActionsScreen
from pmtui.screens.dialogs import ConfirmDialog, FormDialog
from pmtui.widgets.factors_pick import PickDialog
from pmtui.widgets.field import FieldEditor
from tests.app.conftest import NOW, reopen, screen_text

DRAFT = "INC-2026-1126"
DONE = "INC-2026-0114"  # the article's completed postmortem
HOSTILE = ["[/]", "[/", "[bold]x", "[@click=app.quit]q[/]"]

MakeApp = Callable[..., PmtuiApp]


def stored(path: Path, ident: str = DRAFT) -> Postmortem:
    store = reopen(path)
    try:
        return store.load(ident)
    finally:
        store.close()


async def open_actions(app: PmtuiApp, pilot: Any) -> ActionsScreen:
    await pilot.pause()
    app.go("actions")
    await pilot.pause()
    assert isinstance(app.screen, ActionsScreen)
    return app.screen


def editor(app: PmtuiApp, name: str) -> FieldEditor:
    return app.screen.query_one(f"#form-{name}", FieldEditor)


def shows(cell: str, text: str) -> bool:
    """The cell is ``text``, or its start cut with an ellipsis to fit the column."""
    return cell == text or (cell.endswith("…") and text.startswith(cell[:-1]))


def cell_style(screen: ActionsScreen, row: int, column: str) -> str:
    text = screen.table.get_cell_at((row, screen.table.get_column_index(column)))
    return str(text.style)


async def test_a_group_owner_is_flagged_and_refused_by_the_gate(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_actions(app, pilot)
        error = app.get_css_variables()["text-error"]
        assert error in cell_style(screen, 0, "owner")  # A1's owner is "messaging team"
        detail = screen_text(app)
        assert '✗ owner: "messaging team" is a group' in detail
        assert '! description: "investigate"' in detail  # vague: advice, not a gate
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        owner = editor(app, "owner")
        assert owner.has_class("-invalid")  # shown as an error while the form is open
        owner.input.value = "alice and bob"
        await pilot.pause()
        assert "more than one owner" in screen_text(app)
        owner.input.value = "messaging team"
        await pilot.press("ctrl+s")  # recorded as the room said it ...
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
        assert any(f.code == "G-OWNER-ONE" for f in app.session.blocking)  # type: ignore[union-attr]
    assert stored(sample_db).action_items[0].owner == "messaging team"


async def test_add_through_the_form_with_advice_as_you_type(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_actions(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        description = editor(app, "description")
        description.input.value = "improve monitoring"
        await pilot.pause()
        assert description.has_class("-advice")
        assert "improve monitoring" in screen_text(app)
        description.input.value = "Alert when consumer ack rate is 0 for 2 minutes"
        editor(app, "owner").input.value = "messaging-oncall"
        editor(app, "due").input.value = "2026-02-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)  # an impossible date blocks Save
        assert "not a calendar date" in screen_text(app)
        editor(app, "due").input.value = "2026-12-10"
        editor(app, "ticket").input.value = "MSG-40"
        app.screen.query_one("#form-priority", Select).value = "critical"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
        assert screen.table.cursor_row == 1
        assert "✓ ready" in screen_text(app)
    item = stored(sample_db).action_items[1]
    assert (item.id, item.owner, str(item.due), item.ticket, item.priority) == (
        "A2",
        "messaging-oncall",
        "2026-12-10",
        "MSG-40",
        "critical",
    )


async def test_inline_edits_done_and_link(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_actions(app, pilot)
        await pilot.press("o")
        box = screen.prompt.answer_input
        assert box.has_focus and box.value == "messaging team"
        assert box.selected_text == "messaging team"  # typing replaces it
        box.value = "messaging-team-lead"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("u")
        box.value = "2026-13-01"
        await pilot.press("enter")  # refused: stays open with the problem
        assert screen.prompt.is_open and "2026-13-01" in screen_text(app)
        box.value = "2026-12-20"
        await pilot.press("enter", "t")
        box.value = "MSG-39"
        await pilot.press("enter", "p")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        item = stored(sample_db).action_items[0]
        assert (item.owner, str(item.due), item.ticket, item.priority) == (
            "messaging-team-lead",
            "2026-12-20",
            "MSG-39",
            "medium",
        )
        assert (item.status, item.completed_on) == ("done", NOW.date())
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        await pilot.press("1")
        await pilot.pause()
        assert "changes F1" in screen_text(app)
        await pilot.press("x")  # x again reopens
        await pilot.pause()
    item = stored(sample_db).action_items[0]
    assert (item.status, item.completed_on) == ("open", None)
    assert stored(sample_db).contributing_factors[0].actions == ["A1"]


async def test_keys_typed_ahead_reach_the_prompt_then_the_table(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_actions(app, pilot)
        # Typing replaces the owner; "a", "d", "x", "t" in it are text; the "x" after Enter
        # marks the item done.
        for char in "odax-t\nx":
            name = {"\n": "enter"}.get(char, char)
            app.post_message(events.Key(name, char if char.isprintable() else None))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
    item = stored(sample_db).action_items[0]
    assert (item.owner, item.status) == ("dax-t", "done")


async def test_delete_warns_when_a_factor_links_the_item(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.session
        assert session is not None
        session.link_action(session.doc.contributing_factors[0], "A1")
        await open_actions(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "It closes F1: that chain opens again." in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
    doc = stored(sample_db)
    assert doc.action_items == [] and doc.contributing_factors[0].actions == []


async def test_a_complete_postmortem_only_takes_progress(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    before = stored(sample_db, DONE).action_items[0]
    assert stored(sample_db, DONE).status in ("complete", "published")
    app = make_test_app(open_id=DONE)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_actions(app, pilot)
        assert "only progress can change" in screen_text(app)
        assert screen.check_action("quick", ("owner",)) is None
        assert screen.check_action("quick", ("ticket",)) is True
        await pilot.press("o")  # disabled: nothing opens
        assert not screen.prompt.is_open
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert not app.screen.query("#form-owner")  # only ticket, status, completed on
        await pilot.press("escape", "x")
        await pilot.pause()
        await pilot.press("t")
        screen.prompt.answer_input.value = "PLAT-999"
        await pilot.press("enter")
        await pilot.pause()
    after = stored(sample_db, DONE).action_items[0]
    assert after.status != before.status and after.ticket == "PLAT-999"
    assert after.owner == before.owner


# T18 (RELIABILITY.md)
async def test_user_text_is_shown_literally(make_test_app: MakeApp) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(130, 40)) as pilot:
        session = app.session
        assert session is not None
        for text in HOSTILE:
            session.add_item(
                "action_items",
                {"description": f"d{text}", "owner": f"o{text}", "ticket": f"t{text}"},
            )
        screen = await open_actions(app, pilot)
        for row, text in enumerate(HOSTILE, start=1):
            cells = [c.plain for c in screen.table.get_row_at(row)]
            assert shows(cells[1], f"d{text}") and shows(cells[4], f"t{text}")
            assert shows(cells[2], f"o{text}")
            screen.table.move_cursor(row=row)
            await pilot.pause()
            assert f"d{text}" in screen_text(app)
        await pilot.press("o")
        assert screen.prompt.answer_input.value == "o[@click=app.quit]q[/]"
        await pilot.press("escape", "d")
        await pilot.pause()
        assert "d[@click=app.quit]q[/]" in screen_text(app)
        await pilot.press("n")
        await pilot.click("#actions-table")
        await pilot.pause()
        assert app.is_running


@pytest.mark.parametrize("size", [(80, 24), (60, 16), (100, 30), (140, 40)])
async def test_table_fits_the_terminal(make_test_app: MakeApp, size: tuple[int, int]) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=size) as pilot:
        screen = await open_actions(app, pilot)
        assert screen.table.region.height >= 3
        assert screen.table.virtual_size.width <= screen.table.region.width
        await pilot.press("e")
        await pilot.pause()
        if size[1] >= 24:
            assert app.screen.query_one("#save").region.bottom <= size[1]
        await pilot.press("escape")
        await pilot.resize_terminal(20, 5)
        await pilot.pause()
        assert app.is_running
