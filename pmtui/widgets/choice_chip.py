"""Provides ChoiceChip: a one-line filter that cycles through a few values.

Home filters by status and severity. A Select is five widgets with a drop-down overlay;
this is one line ("any status ▸"): space or → moves to the next value, ← to the
previous, backspace back to "any". Styling a dozen fewer widgets is a visible part of
how fast the list of postmortems paints.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class ChoiceChip(Widget, can_focus=True):
    """One of ``choices``, or None ("any"); posts :class:`ChoiceChip.Changed`."""

    DEFAULT_CSS = """
    ChoiceChip {
        width: auto;
        height: 1;
        padding: 0 1;
        margin: 0 0 0 1;
        background: $boost;
        color: $foreground;
        &:focus {
            background: $accent;
            color: $text-accent;
            text-style: bold;
        }
    }
    """

    BINDINGS = [
        Binding("space,right", "step(1)", "Next", show=False, id="chip.next"),
        Binding("left", "step(-1)", "Previous", show=False, id="chip.previous"),
        Binding("backspace,delete", "clear", "Any", show=False, id="chip.any"),
    ]

    value: reactive[str | None] = reactive(None, init=False)

    class Changed(Message):
        def __init__(self, chip: ChoiceChip, value: str | None) -> None:
            super().__init__()
            self.chip = chip
            self.value = value

        @property
        def control(self) -> ChoiceChip:
            return self.chip

    def __init__(self, any_label: str, choices: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.any_label = any_label
        self.choices = tuple(choices)
        self.tooltip = f"{any_label}: space or → for the next, ← the previous, backspace for any"

    def render(self) -> Content:
        return Content(f"{self.value or self.any_label} ▸")

    def action_step(self, offset: int) -> None:
        values: list[str | None] = [None, *self.choices]
        self.value = values[(values.index(self.value) + offset) % len(values)]

    def action_clear(self) -> None:
        self.value = None

    def clear(self) -> None:
        self.value = None

    def watch_value(self, value: str | None) -> None:
        self.post_message(self.Changed(self, value))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        self.action_step(1)
