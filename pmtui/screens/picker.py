"""Provides the "postmortems behind this figure" dialog: a list whose enter opens one.

Every figure on the dashboard and every class in the taxonomy opens the postmortems
behind it through this dialog; it dismisses with the chosen postmortem's id (or None).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pmtui.widgets.footer import QuietFooter
from pmtui.widgets.text import literal


class PostmortemPicker(ModalScreen[str | None]):
    """Pick one of ``entries`` — (postmortem id, line to show) — to open it."""

    BINDINGS = [
        Binding("escape", "cancel", "Close", tooltip="Back without opening.", id="picker.close"),
    ]

    def __init__(
        self, title: str, entries: Sequence[tuple[str, Content | str]], note: str = ""
    ) -> None:
        super().__init__()
        self._title = title
        self._entries = list(entries)
        self._note = note

    def compose(self) -> ComposeResult:
        yield QuietFooter()
        with Vertical(classes="dialog picker"):
            yield Static(literal(self._title), classes="dialog--title")
            if not self._entries:
                yield Static(literal(self._note or "No postmortems behind this figure."))
                return
            yield OptionList(
                *(
                    Option(label if isinstance(label, Content) else literal(label), id=str(i))
                    for i, (_, label) in enumerate(self._entries)
                ),
                id="picker-list",
            )
            yield Static(
                literal(self._note or "enter opens the postmortem · esc closes"),
                classes="dialog--label",
            )

    def on_mount(self) -> None:
        if self._entries:
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._entries[int(event.option.id or 0)][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
