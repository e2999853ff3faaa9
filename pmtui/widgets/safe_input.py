"""Provides an Input that cleans pasted text before it reaches the field, and whose cursor
stops blinking when nobody types.

Textual passes ESC through: a pasted ``ESC]0;…`` would retitle the terminal and a pasted
OSC 52 would rewrite the clipboard as soon as the field is drawn. The model cleans text
again on save; cleaning at the paste keeps it off the screen too. A multi-line paste into
a one-line field keeps every line (joined by spaces) instead of only the first.

A meeting sits on one step for minutes while the room talks, and each blink redraws the
field's line of the screen: most of what pmtui spent while idle (about 1 % of a core).
As desktops do, the cursor blinks for a while after the last key, then stays shown.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.timer import Timer
from textual.widgets import Input

from pmtui.domain.text import clean_text

# Textual calls the handler of every class in the MRO, subclass first, with the same
# event: these only clean the text in place, and Input's own handler inserts it.
# (Calling super() as well would insert the paste twice.)


STEADY_AFTER_S = 10.0
"""The cursor blinks this long after the last key (or the focus), then stays shown."""

ONE_LINE_PASTE_LIMIT = 10_000
"""A one-line field keeps this much of a paste: a pasted log belongs in a multi-line field,
and a megabyte on one line would make every keystroke in it slow."""


class SafeInput(Input):
    def __init__(self, *args: Any, compact: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if compact:
            # Input sets compact through its reactive, which restyles the widget before it
            # is even mounted (2 ms on Home's first frame); mounting styles it anyway.
            self.set_reactive(Input.compact, True)
            self.set_class(True, "-textual-compact", update=False)
        self._steady: Timer | None = None
        self._steadied = False  # blinking stopped here (not by whoever set cursor_blink)

    def on_focus(self) -> None:
        self._blink_again()

    def on_key(self) -> None:
        self._blink_again()

    def on_mouse_down(self) -> None:
        self._blink_again()

    def _blink_again(self) -> None:
        """Blink from now, and stop blinking STEADY_AFTER_S from now."""
        if self._steadied:
            self._steadied = False
            self.cursor_blink = True
        if not self.cursor_blink:
            return  # turned off on purpose (screenshots, tests): left so
        if self._steady is not None:
            self._steady.stop()
        self._steady = self.set_timer(STEADY_AFTER_S, self._hold_still)

    def _hold_still(self) -> None:
        self._steady = None
        if self.cursor_blink and self.has_focus:
            self._steadied = True
            self.cursor_blink = False  # Textual then shows the cursor, steady

    def _on_paste(self, event: events.Paste) -> None:
        text = " ".join(clean_text(event.text).replace("\t", " ").splitlines())
        if len(text) > ONE_LINE_PASTE_LIMIT:
            self.notify(
                f"The paste was {len(text):,} characters; this one-line field kept the first "
                f"{ONE_LINE_PASTE_LIMIT:,}. Long logs fit in a multi-line field (a timeline "
                "entry's context).",
                title="Paste shortened",
                severity="warning",
                markup=False,
            )
            text = text[:ONE_LINE_PASTE_LIMIT]
        event.text = text
