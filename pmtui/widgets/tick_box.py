"""Provides TickBox: a checkbox whose X is there only when it is ticked.

Textual's Checkbox draws ▐X▌ either way and tells on from off by colour alone: on a
projector, or for a reader who cannot tell the two colours apart, "directly involved"
looked ticked when it was not (found holding a meeting in tmux).
"""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual reads this name
        return "X" if self.value else " "
