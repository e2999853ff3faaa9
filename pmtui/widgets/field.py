"""Provides FieldEditor: a labelled input that validates as you type and commits when confirmed.

A value is *committed* (and the screen saves it) when the user presses Enter, leaves
the field, or pauses typing for a moment with a valid value — so a crash mid-meeting
loses at most the last keystrokes. Invalid text is never committed; the message under
the field says what is wrong, and the text stays where it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.highlighter import Highlighter
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import Suggester
from textual.timer import Timer
from textual.widgets import Input, Label, Static

from pmtui.widgets import redraw
from pmtui.widgets.safe_input import SafeInput
from pmtui.widgets.text import literal

Validator = Callable[[str], str | None]
"""Returns a one-line problem, or None when the text is acceptable."""

IDLE_COMMIT_SECONDS = 1.0


class FieldEditor(Vertical):
    DEFAULT_CSS = """
    FieldEditor {
        height: auto;
        width: 1fr;
        margin: 0 1 0 0;
    }
    FieldEditor > Label {
        color: $text-muted;
        padding: 0 1;
    }
    FieldEditor > Input {
        width: 1fr;
        background: $boost;
    }
    FieldEditor > Input:focus {
        background: $surface-lighten-2;
    }
    FieldEditor > .field--message {
        height: auto;
        padding: 0 1;
        display: none;
    }
    FieldEditor.-invalid > .field--message {
        display: block;
        color: $text-error;
    }
    FieldEditor.-advice > .field--message {
        display: block;
        color: $text-warning;
    }
    FieldEditor.-invalid > Input {
        background: $error 30%;
    }
    """

    @dataclass
    class Committed(Message):
        """A confirmed, valid value the screen should save."""

        editor: FieldEditor
        field: str
        value: str
        base: str | None = None
        """The saved value the user started typing over: what the save must still find."""

        @property
        def control(self) -> FieldEditor:
            return self.editor

    def __init__(
        self,
        field: str,
        label: str,
        value: str = "",
        *,
        placeholder: str = "",
        validate: Validator | None = None,
        advise: Validator | None = None,
        highlighter: Highlighter | None = None,
        suggester: Suggester | None = None,
        tooltip: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id or f"field-{field.replace('.', '-')}")
        self.field = field
        self._label = label
        self._initial = value
        self._placeholder = placeholder
        self._validate = validate
        self._advise = advise
        self._highlighter = highlighter
        self._suggester = suggester
        self._tooltip = tooltip
        self.committed_value = value
        self._started_from: str | None = None
        self._idle: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Label(literal(self._label))
        field_input = SafeInput(
            self._initial,
            placeholder=self._placeholder,
            highlighter=self._highlighter,
            suggester=self._suggester,
            select_on_focus=False,
            compact=True,
        )
        if self._tooltip:
            field_input.tooltip = self._tooltip
        yield field_input
        yield Static("", classes="field--message", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    def set_value(self, value: str) -> None:
        """Show a saved value (from the store or another terminal) without committing it.

        Text the user is still typing (not yet committed) is kept where it is.
        """
        typing = self.dirty
        if typing and self._started_from is None:
            self._started_from = self.committed_value
        self.committed_value = value
        if not typing:
            self._started_from = None
        if not typing and self.input.value != value:
            with self.input.prevent(Input.Changed):
                self.input.value = value
        self._check(self.input.value)

    @property
    def dirty(self) -> bool:
        return self.input.value != self.committed_value

    def show_problem(self, problem: str | None) -> None:
        self._show_message(problem)
        self.set_class(bool(problem), "-invalid")

    def _show_message(self, message: str | None) -> None:
        # Unchanged on most redraws (a step switch, the other terminal's save elsewhere).
        redraw.update(self.query_one(".field--message", Static), literal(message or ""))

    def _check(self, text: str) -> bool:
        problem = self._validate(text) if self._validate else None
        advice = self._advise(text) if problem is None and self._advise else None
        self._show_message(problem or advice)
        self.set_class(bool(problem), "-invalid")
        self.set_class(bool(advice), "-advice")
        return problem is None

    def _commit(self) -> None:
        if self._idle is not None:
            self._idle.stop()
            self._idle = None
        text = self.input.value
        if text != self.committed_value and self._check(text):
            base = self.committed_value if self._started_from is None else self._started_from
            self.committed_value = text
            self._started_from = None
            self.post_message(self.Committed(self, self.field, text, base))

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._started_from is None:
            self._started_from = self.committed_value
        self._check(event.value)
        if self._idle is not None:
            self._idle.stop()
        self._idle = self.set_timer(IDLE_COMMIT_SECONDS, self._commit)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._commit()

    @on(Input.Blurred)
    def _blurred(self, event: Input.Blurred) -> None:
        self._commit()

    def flush(self) -> None:
        """Commit now whatever valid text is pending (before leaving the screen or quitting)."""
        self._commit()

    def unsaved(self) -> tuple[str, str] | None:
        """After :meth:`flush`: (label, problem) when typed text stays unsaved (it is invalid)."""
        if not self.dirty:
            return None
        problem = self._validate(self.value) if self._validate else None
        return self._label, problem or "not saved"
