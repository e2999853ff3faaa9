"""A field's cursor blinks after a key, then holds still: a meeting idles for minutes."""

from __future__ import annotations

from textual.app import App, ComposeResult

from pmtui.widgets.safe_input import STEADY_AFTER_S, SafeInput


class OneField(App[None]):
    def compose(self) -> ComposeResult:
        yield SafeInput(id="field")


async def test_the_cursor_stops_blinking_when_nobody_types_and_blinks_again_on_a_key() -> None:
    app = OneField()
    async with app.run_test() as pilot:
        field = app.query_one(SafeInput)
        field.focus()
        await pilot.pause()
        assert field.cursor_blink and field._steady is not None  # blinking, and timed
        assert field._steady._interval == STEADY_AFTER_S
        field._hold_still()  # what the timer calls when the time is up
        assert not field.cursor_blink and field._cursor_visible  # held still, shown
        await pilot.press("x")
        assert field.cursor_blink and field.value == "x"  # a key: blinking again
        field._hold_still()
        await pilot.click(SafeInput)
        assert field.cursor_blink  # and on a click


async def test_a_cursor_turned_off_on_purpose_stays_off() -> None:
    app = OneField()
    async with app.run_test() as pilot:
        field = app.query_one(SafeInput)
        field.cursor_blink = False  # as screenshots and snapshot tests do
        field.focus()
        await pilot.press("x")
        assert not field.cursor_blink
        field._hold_still()
        await pilot.press("y")
        assert not field.cursor_blink and field.value == "xy"
