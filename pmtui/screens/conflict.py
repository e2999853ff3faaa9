"""Provides the conflict dialog: another terminal saved the same thing first.

It shows theirs (what is stored now) beside mine (what this terminal tried to save) and
lets the user keep mine, take theirs, or copy mine to the clipboard and take theirs.
When the other terminal deleted the item, "keep mine" restores it. Nothing is lost
silently either way.
"""

from __future__ import annotations

from typing import Any, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from pmtui.session import Conflict
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


class ConflictDialog(ModalScreen[Choice]):
    BINDINGS = [
        Binding("k", "choose('mine')", "Keep mine", id="conflict.mine",
                tooltip="Save my version on top of theirs (or restore the deleted item)."),
        Binding("t,escape", "choose('theirs')", "Take theirs", id="conflict.theirs",
                tooltip="Keep what the other terminal saved; mine is dropped."),
        Binding("c", "choose('copy')", "Copy mine", id="conflict.copy",
                tooltip="Copy my version to the clipboard, then keep theirs."),
    ]

    def __init__(self, conflict: Conflict) -> None:
        super().__init__()
        self.conflict = conflict

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
                yield Button("Take theirs  t", id="theirs")
                yield Button("Copy mine  c", id="copy")

    def on_mount(self) -> None:
        self.query_one("#theirs", Button).focus()

    def action_choose(self, choice: Choice) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)  # type: ignore[arg-type]
