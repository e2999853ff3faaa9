"""Provides the "go to step" picker: every step with its state; a digit or Enter jumps."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pmtui.steps import STEPS, StepState
from pmtui.widgets.footer import QuietFooter
from pmtui.widgets.stepbar import MARKS, STYLES


class GotoStepDialog(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="goto.cancel", tooltip="Stay here.")]

    def __init__(self, states: dict[str, StepState], current: str) -> None:
        super().__init__()
        self._states = states
        self._current = current
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog--small"):
            yield Static("Go to step", classes="dialog--title")
            options = [Option(Content("0  Home: the list of postmortems"), id="home")]
            for number, step in enumerate(STEPS, start=1):
                state = self._states.get(step.key, StepState.DONE)
                label = Content(f"{number}  ").append(
                    Content.styled(f"{MARKS[state]} {step.title}", STYLES[state])
                )
                options.append(Option(label, id=step.key))
            yield OptionList(*options, id="goto-list")
        yield QuietFooter()

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        listing.highlighted = next(
            (i for i, o in enumerate(listing.options) if o.id == self._current), 0
        )
        listing.focus()

    def on_key(self, event: Key) -> None:
        if self._answered:
            # Keys typed after the choice ("31" typed fast) arrive before the dialog is
            # gone: a second dismiss would pop the screen underneath.
            event.stop()
            event.prevent_default()
            return
        if event.character and event.character.isdigit():
            index = int(event.character)
            event.stop()
            self._answer(
                "home" if index == 0 else STEPS[index - 1].key if index <= len(STEPS) else None
            )

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._answer(event.option.id)

    def action_cancel(self) -> None:
        self._answer(None)

    def _answer(self, step: str | None) -> None:
        """Dismiss once, whatever arrives after."""
        if not self._answered:
            self._answered = True
            self.dismiss(step)
