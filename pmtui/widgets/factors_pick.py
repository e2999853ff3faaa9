"""Provides PickDialog: choose one of a list by its letter, the arrows and Enter, or Escape.

Compact by design: one line per choice (plus an optional muted hint), so seven
systemic properties fit at 80×24, where a column of buttons does not. Every label is
user-safe text (ids and descriptions of action items are shown literally).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pmtui.widgets.footer import QuietFooter
from pmtui.widgets.text import literal


@dataclass(frozen=True)
class Pick:
    """One choice: ``value`` returned, ``key`` its letter (or ""), ``label`` and ``hint`` shown."""

    value: str
    label: str
    key: str = ""
    hint: str = ""
    disabled: bool = False


class PickDialog(ModalScreen[str | None]):
    """Dismisses with the chosen value, or None on Escape."""

    DEFAULT_CSS = """
    PickDialog > .dialog {
        width: 72;
    }
    PickDialog OptionList, PickDialog OptionList:focus {
        height: auto;
        max-height: 16;
        border: none;
        padding: 0;
        background: $surface;
    }
    PickDialog .pick--note {
        color: $text-muted;
        margin-bottom: 1;
    }
    PickDialog .pick--footer {
        color: $text-muted;
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without choosing.", id="pick.cancel")
    ]

    def __init__(
        self,
        question: str,
        picks: Sequence[Pick],
        *,
        current: str | None = None,
        note: str = "",
    ) -> None:
        super().__init__()
        self._question = question
        self._picks = list(picks)
        self._current = current
        self._note = note
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self._question), classes="dialog--question")
            if self._note:
                yield Static(literal(self._note), classes="pick--note")
            yield OptionList(*(self._option(p) for p in self._picks), id="pick-list")
            yield Static(
                "the key beside it, or ↑↓ Enter, to choose · Esc cancel",
                classes="pick--footer",
                markup=False,
            )
        yield QuietFooter()

    def _option(self, pick: Pick) -> Option:
        key = Content.styled(f"{pick.key}  " if pick.key else "", "bold $text-accent")
        line = key.append(literal(pick.label))
        if pick.value == self._current:
            line = line.append(Content.styled("  (current)", "$text-success"))
        if pick.hint:
            line = line.append(Content.styled("\n   " + pick.hint, "$text-muted"))
        return Option(line, disabled=pick.disabled)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        enabled = [i for i, p in enumerate(self._picks) if not p.disabled]
        current = [i for i in enabled if self._picks[i].value == self._current]
        if enabled:
            options.highlighted = (current or enabled)[0]

    def on_key(self, event: events.Key) -> None:
        if self._answered:
            # Keys that arrive with the choosing one ("md" typed fast, or one terminal
            # read) reach this dialog before it is gone: a second dismiss would call
            # the caller again and pop the screen underneath (ScreenStackError).
            event.stop()
            event.prevent_default()
            return
        if not event.character:
            return
        for pick in self._picks:
            if pick.key and not pick.disabled and pick.key == event.character.lower():
                event.stop()
                self._answer(pick.value)
                return

    def action_cancel(self) -> None:
        self._answer(None)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        pick = self._picks[event.option_index]
        if not pick.disabled:
            self._answer(pick.value)

    def _answer(self, value: str | None) -> None:
        """Dismiss once, whatever arrives after."""
        if not self._answered:
            self._answered = True
            self.dismiss(value)
