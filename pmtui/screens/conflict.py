"""Provides the conflict dialog: another terminal saved the same thing first.

It shows theirs (what is stored now) beside mine (what this terminal tried to save) and
lets the user keep mine, take theirs, or copy mine to the clipboard and take theirs.
When the other terminal deleted the item, "keep mine" restores it. Nothing is lost
silently either way.

The dialog often opens under someone typing (a pause in typing saves the field), so
the typist's next keystroke must not decide for them. Nothing has the focus, so Enter
chooses nothing; Escape chooses nothing either (it says what to choose). Keep mine
(``k``) and copy mine (``c``) act at once: neither can lose mine. Take theirs, the one
choice that drops mine, is armed only once no key has come for :attr:`ARM_SECONDS`
(its button is disabled until then; every key restarts the wait), the way browsers
delay the buttons of a dialog that could appear under a keystroke.
"""

from __future__ import annotations

from typing import Any, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Static

from pmtui.session import Conflict
from pmtui.widgets.footer import QuietFooter
from pmtui.widgets.text import literal

Choice = Literal["mine", "theirs", "copy"]


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    return str(value)


def describe(values: dict[str, Any] | None, keys: list[str]) -> str:
    if values is None:
        return "(deleted)"
    shown = keys or list(values)
    return "\n".join(f"{key}: {_show(values.get(key))}" for key in shown)


HINT = "k keeps mine · c copies it, takes theirs · t takes theirs, drops mine"
WAIT = "t (take theirs, drops mine) waits until you stop typing"
ESCAPE = "Escape does not choose: press k, c or t"


class ConflictDialog(ModalScreen[Choice]):
    AUTO_FOCUS = ""  # no button under Enter: the typist's next key must not choose
    ARM_SECONDS = 1.0
    """Quiet time (no key) before "take theirs" can be chosen."""

    BINDINGS = [
        Binding(
            "k",
            "choose('mine')",
            "Keep mine",
            id="conflict.mine",
            tooltip="Save my version on top of theirs (or restore the deleted item).",
        ),
        Binding(
            "t",
            "choose('theirs')",
            "Take theirs",
            id="conflict.theirs",
            tooltip="Keep what the other terminal saved; mine is dropped.",
        ),
        Binding(
            "c",
            "choose('copy')",
            "Copy mine",
            id="conflict.copy",
            tooltip="Copy my version to the clipboard, then keep theirs.",
        ),
        Binding(
            "escape",
            "remind",
            "Choose",
            id="conflict.remind",
            show=False,
            tooltip="Escape chooses nothing: mine would be lost without a choice.",
        ),
    ]

    def __init__(self, conflict: Conflict) -> None:
        super().__init__()
        self.conflict = conflict
        self.armed = False
        self._arming: Timer | None = None
        self._chosen = False

    def compose(self) -> ComposeResult:
        conflict = self.conflict
        keys = list(conflict.edit.mine)
        deleted = conflict.deleted
        title = (
            f"{conflict.edit.label} was deleted in the other terminal"
            if deleted
            else f"{conflict.edit.label} was changed in the other terminal"
        )
        with Vertical(classes="dialog conflict"):
            yield Static(literal(title), classes="dialog--title")
            with Horizontal(classes="conflict--sides"):
                with VerticalScroll(classes="conflict--side"):
                    yield Static("Theirs (saved now)", classes="conflict--head", markup=False)
                    yield Static(literal(describe(conflict.theirs, keys)), markup=False)
                with VerticalScroll(classes="conflict--side"):
                    yield Static("Mine (not saved)", classes="conflict--head", markup=False)
                    yield Static(literal(describe(conflict.edit.mine, keys)), markup=False)
            with Horizontal(classes="dialog--buttons"):
                yield Button(
                    "Restore mine  k" if deleted else "Keep mine  k", id="mine", variant="primary"
                )
                yield Button("Take theirs  t", id="theirs", disabled=True)
                yield Button("Copy mine  c", id="copy")
            yield Static(WAIT, id="conflict-hint", classes="hint", markup=False)
        yield QuietFooter()

    def on_mount(self) -> None:
        self._arming = self.set_timer(self.ARM_SECONDS, self._arm)

    def on_key(self, event: Key) -> None:
        # Keys still coming are typing: "take theirs" waits for them to stop.
        if not self.armed and self._arming is not None:
            self._arming.stop()
            self._arming = self.set_timer(self.ARM_SECONDS, self._arm)

    def _arm(self) -> None:
        self.armed = True
        self.query_one("#theirs", Button).disabled = False
        self.query_one("#conflict-hint", Static).update(HINT)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters == ("theirs",) and not self.armed:
            return None  # shown, disabled
        return True

    def action_remind(self) -> None:
        self.query_one("#conflict-hint", Static).update(ESCAPE)

    def action_choose(self, choice: Choice) -> None:
        if choice == "theirs" and not self.armed:
            return
        self._choose(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id)  # type: ignore[arg-type]

    def _choose(self, choice: Choice) -> None:
        """Dismiss once: keys typed after the choice must not answer again."""
        if not self._chosen:
            self._chosen = True
            self.dismiss(choice)
