"""Provides Input and TextArea that clean pasted text before it reaches the field.

Textual passes ESC through: a pasted ``ESC]0;…`` would retitle the terminal and a pasted
OSC 52 would rewrite the clipboard as soon as the field is drawn. The model cleans text
again on save; cleaning at the paste keeps it off the screen too. A multi-line paste into
a one-line field keeps every line (joined by spaces) instead of only the first.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from pmtui.domain.text import clean_text


class SafeInput(Input):
    def _on_paste(self, event: events.Paste) -> None:
        event.text = " ".join(clean_text(event.text).replace("\t", " ").splitlines())
        super()._on_paste(event)


class SafeTextArea(TextArea):
    async def _on_paste(self, event: events.Paste) -> None:
        event.text = clean_text(event.text)
        await super()._on_paste(event)
