"""Pilot tests of the dialogs as a person types into them: Enter, the footer, pre-filled
values, and keys typed while a dialog opens."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from pmtui.app import PmtuiApp
from pmtui.screens.conflict import ConflictDialog
from pmtui.screens.dialogs import ChoiceDialog, ConfirmDialog, FormDialog, FormField
from pmtui.screens.goto import GotoStepDialog
from pmtui.screens.picker import PostmortemPicker
from pmtui.session import Conflict, Edit
from pmtui.store import Store
from pmtui.store.errors import StaleWrite
from pmtui.widgets.factors_pick import Pick, PickDialog
from pmtui.widgets.field import FieldEditor
from pmtui.widgets.past_detail import PastDetailDialog
from pmtui.widgets.review_export import ExportDialog
from tests.app.conftest import reopen, screen_text

DRAFT = "INC-2026-1126"

MakeApp = Callable[..., PmtuiApp]


def editor(app: PmtuiApp, name: str) -> FieldEditor:
    return app.screen.query_one(f"#form-{name}", FieldEditor)


def footer_line(app: PmtuiApp) -> str:
    return screen_text(app).rstrip("\n").splitlines()[-1]


def stored(path: Path) -> Any:
    store = reopen(path)
    try:
        return store.load(DRAFT)
    finally:
        store.close()


async def open_step(app: PmtuiApp, pilot: Any, step: str) -> Screen[Any]:
    assert app.open_postmortem(DRAFT, step)
    await pilot.pause()
    return app.screen


# ---- Enter ----------------------------------------------------------------------------


async def test_enter_saves_a_one_field_dialog(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(app, pilot, "past")
        await pilot.press("t")
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"queue-consumer-stuck", "enter")
        await pilot.pause()
        assert app.screen is screen
    assert "queue-consumer-stuck" in stored(sample_db).failure_classes


async def test_enter_in_a_one_field_dialog_shows_what_is_wrong(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("i")  # Import YAML: one field, a path that must exist
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        await pilot.press(*"no-such-dir", "enter")
        await pilot.pause()
        assert app.screen is dialog  # refused: the dialog stays, saying why
        problems = dialog.query_one(".dialog--problems", Static)
        assert "File or directory: no such file or directory" in str(problems.render())


async def test_enter_moves_to_the_next_field_and_saves_in_the_last(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(app, pilot, "review")
        listing = screen.findings_list  # type: ignore[attr-defined]
        finding = next(f for f in listing.findings if f.code == "A-ACTION-VAGUE")
        listing.highlighted = listing.index_of(finding)
        await pilot.press("w")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.focused is editor(app, "reason").input
        await pilot.press(*"A2 replaces it", "enter")
        assert app.screen is dialog  # not saved yet: on to the next field
        assert dialog.focused is editor(app, "by").input
        await pilot.press(*"messaging-team-lead", "enter")  # replaces the facilitator
        await pilot.pause()
        assert app.screen is screen
    waivers = stored(sample_db).waivers
    assert [(w.code, w.reason, w.waived_by) for w in waivers] == [
        ("A-ACTION-VAGUE", "A2 replaces it", "messaging-team-lead")
    ]


async def test_enter_keeps_its_own_meaning_outside_one_line_fields(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 30)) as pilot:
        await open_step(app, pilot, "timeline")
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        await pilot.press(*"15:05", "enter")
        assert dialog.focused is editor(app, "event").input
        await pilot.press(*"Consumer restarted", "enter", *"chat", "enter")
        checkbox = dialog.query_one("#form-decision_point", Checkbox)
        assert dialog.focused is checkbox
        # Off and on differ by more than colour (a projector, a colour-blind reader).
        assert checkbox.render().plain.startswith("▐ ▌")
        await pilot.press("enter")  # a checkbox toggles
        assert checkbox.value is True and app.screen is dialog
        assert checkbox.render().plain.startswith("▐X▌")
        await pilot.press("tab")
        area = dialog.query_one("#form-context", TextArea)
        assert dialog.focused is area
        await pilot.press(*"the alert", "enter", *"only")  # a multi-line field breaks the line
        assert area.text == "the alert\nonly"
        assert app.screen is dialog
        await pilot.press("ctrl+s")  # Ctrl+S still saves from anywhere
        await pilot.pause()
        assert not isinstance(app.screen, FormDialog)
    entry = next(e for e in stored(sample_db).timeline if e.event == "Consumer restarted")
    assert (entry.time, entry.source, entry.decision_point, entry.context) == (
        "15:05",
        "chat",
        True,
        "the alert\nonly",
    )


async def test_enter_on_a_choice_opens_it(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.press(*"Queue stuck", "enter")  # Title, then on to Severity
        select = app.screen.query_one("#form-severity", Select)
        assert app.screen.focused is select
        await pilot.press("enter")
        await pilot.pause()
        assert select.expanded


# ---- the footer -----------------------------------------------------------------------


async def test_the_new_form_shows_its_own_keys(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "n New" in footer_line(app)  # the list's keys, under the list
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        footer = footer_line(app)
        assert "^s Save" in footer and "esc Cancel" in footer
        assert "New" not in footer and "Import" not in footer


def _conflict() -> Conflict:
    stale = StaleWrite("timeline[0]", 1, 2, {"event": "theirs"})
    return Conflict(stale, Edit("The first entry", {"event": "mine"}, lambda: None))


DIALOGS: dict[str, tuple[Callable[[Store], Screen[Any]], list[str]]] = {
    "form": (lambda s: FormDialog("Form", [FormField("a", "A")]), ["^s Save", "esc Cancel"]),
    "confirm": (lambda s: ConfirmDialog("Sure?"), ["y Yes", "n No"]),
    "choice": (lambda s: ChoiceDialog("Which?", [("a", "Apple")]), ["esc Cancel"]),
    "goto": (lambda s: GotoStepDialog({}, "setup"), ["esc Cancel"]),
    "picker": (lambda s: PostmortemPicker("Behind it", [(DRAFT, DRAFT)]), ["esc Close"]),
    "pick": (lambda s: PickDialog("Which?", [Pick("a", "Apple", "a")]), ["esc Cancel"]),
    "past": (
        lambda s: PastDetailDialog(s.load(DRAFT), linked=False),
        ["esc Close", "l Link as related"],
    ),
    "conflict": (lambda s: ConflictDialog(_conflict()), ["k Keep mine", "t Take theirs"]),
    "export": (lambda s: ExportDialog(DRAFT), ["^s Save", "esc Cancel"]),
}


@pytest.mark.parametrize("name", list(DIALOGS))
async def test_every_dialog_shows_its_own_keys(make_test_app: MakeApp, name: str) -> None:
    build, keys = DIALOGS[name]
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(build(app.store))
        await pilot.pause()
        footer = footer_line(app)
        for key in keys:
            assert key in footer, footer
        assert "n New" not in footer and "i Import" not in footer, footer


# ---- pre-filled values ----------------------------------------------------------------


async def test_the_new_form_starts_in_the_title(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        proposed = editor(app, "id").value
        assert proposed.startswith("INC-2026-")
        assert app.screen.focused is editor(app, "title").input
        await pilot.press(*"Queue stuck")
        assert editor(app, "title").value == "Queue stuck"
        assert editor(app, "id").value == proposed


async def test_typing_replaces_a_pre_filled_value(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(app, pilot, "timeline")
        await pilot.press("a")
        time = editor(app, "time")
        assert time.value  # the previous entry's time, proposed
        await pilot.press(*"15:05")
        assert time.value == "15:05"
        assert not time.has_class("-invalid")


async def test_a_pre_filled_value_is_replaced_when_tabbed_into(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.press("shift+tab")  # back from the title to the proposed id
        assert app.screen.focused is editor(app, "id").input
        await pilot.press(*"INC-2026-0999")
        assert editor(app, "id").value == "INC-2026-0999"


async def test_a_renamed_export_path_leaves_the_cursor_at_its_end(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(app, pilot, "review")
        await pilot.press("x")
        path = editor(app, "path").input
        path.cursor_position = 4
        app.screen.query_one("#form-format", Select).value = "jira"
        await pilot.pause()
        assert path.value.endswith(".jira.csv")
        assert path.cursor_position == len(path.value)
        await pilot.press("tab")  # into the path: selected, so typing replaces it
        await pilot.press(*"out.csv")
        assert path.value == "out.csv"


# ---- keys typed while a dialog opens --------------------------------------------------


def _type_while_opening(app: PmtuiApp, text: str) -> None:
    """Keys typed after the dialog was pushed, before it had mounted its fields: the app
    forwards a key to the screen itself when nothing has the focus (``App.on_event``), and
    a forwarded key is not routed again. Done here as the app does it, before the dialog
    mounts, so the keys wait in its queue."""
    dialog = app.screen
    assert not dialog.is_mounted and dialog.focused is None
    for char in text:
        dialog._forward_event(events.Key(char, char))


async def test_keys_typed_while_the_dialog_opens_land_in_its_first_field(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(app, pilot, "setup")
        screen.action_add_participant()  # type: ignore[attr-defined]  # as the key does
        _type_while_opening(app, "zed")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert editor(app, "name").value == "zed"
        await pilot.press(*"-2")  # and what comes after goes after them
        assert editor(app, "name").value == "zed-2"


async def test_keys_typed_while_the_new_form_opens_go_to_the_title(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_new()  # type: ignore[attr-defined]
        _type_while_opening(app, "Queue")
        await pilot.pause()
        await pilot.press(*" stuck")
        assert editor(app, "title").value == "Queue stuck"
        assert editor(app, "id").value.startswith("INC-2026-")
        assert isinstance(app.screen.focused, Input)
