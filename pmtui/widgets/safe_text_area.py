"""Provides a TextArea that cleans pasted text before it reaches the field.

Its own module, apart from :mod:`pmtui.widgets.safe_input`: Home uses the one-line field
only, and importing Textual's TextArea is a visible part of painting it.
"""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from pmtui.domain.text import clean_text


class SafeTextArea(TextArea):
    # Textual calls the handler of every class in the MRO with the same event: this only
    # cleans the text in place, and TextArea's own handler inserts it (no super()).
    def _on_paste(self, event: events.Paste) -> None:
        event.text = clean_text(event.text)
