"""Provides the modal dialogs: a form for one item, a question, a confirmation.

``FormDialog`` edits one thing (a participant, a timeline entry, an action item…) from a
list of :class:`FormField` specs, validates as you type, and dismisses with the values —
or ``None`` when cancelled. Saving is the caller's job: dialogs never touch the store.

A form reads like a terminal form: Enter in a one-line field goes to the next field and,
in the last one, saves (Ctrl+S saves from anywhere; a multi-line field keeps Enter as a
new line). A pre-filled value is selected when its field gets the focus, so typing
replaces it. Keys typed while the dialog opens, before a field has the focus, are played
into the field the cursor starts in, in order, not dropped. Every dialog shows its own
keys in a footer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rich.highlighter import Highlighter
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from pmtui.widgets.field import FieldEditor, Validator
from pmtui.widgets.footer import QuietFooter
from pmtui.widgets.safe_text_area import SafeTextArea
from pmtui.widgets.text import literal
from pmtui.widgets.tick_box import TickBox

FieldKind = Literal["text", "multiline", "bool", "choice"]


@dataclass
class FormField:
    name: str
    label: str
    kind: FieldKind = "text"
    choices: Sequence[str] = ()
    placeholder: str = ""
    validate: Validator | None = None
    advise: Validator | None = None
    highlighter: Highlighter | None = None
    suggestions: Sequence[str] = field(default_factory=tuple)
    tooltip: str | None = None


FormCheck = Callable[[dict[str, Any]], list[str]]
"""Whole-form validation: returns problems (empty when the values can be saved)."""


class FormDialog(ModalScreen[dict[str, Any] | None]):
    """Edit one item; Ctrl+S (or Save, or Enter in the last field) returns the values,
    Escape cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save this item and close.", id="form.save"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving.", id="form.cancel"),
        # A priority binding: the focused Input would otherwise take Enter as its own
        # "submit". Enabled only in a one-line field (check_action), so Enter still
        # toggles a checkbox, opens a list, presses a button and breaks a line.
        Binding(
            "enter",
            "enter",
            "Next",
            show=False,
            priority=True,
            tooltip="Go to the next field; in the last one, save.",
            id="form.enter",
        ),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        values: dict[str, Any] | None = None,
        *,
        question: str = "",
        check: FormCheck | None = None,
        focus: str | None = None,
        id: str | None = None,
    ) -> None:
        """``focus``: the field the cursor starts in (the first one by default)."""
        super().__init__(id=id)
        self._title = title
        self._fields = list(fields)
        self._values = dict(values or {})
        self._question = question
        self._check = check
        self._focus = focus

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self._title), classes="dialog--title")
            if self._question:
                yield Static(literal(self._question), classes="dialog--question")
            with VerticalScroll(classes="dialog--body"):
                for spec in self._fields:
                    yield from self._compose_field(spec)
            yield Static("", classes="dialog--problems", markup=False)
            with Horizontal(classes="dialog--buttons"):
                yield Button("Save  ^s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")
        yield QuietFooter()

    def _compose_field(self, spec: FormField) -> ComposeResult:
        value = self._values.get(spec.name)
        widget_id = f"form-{spec.name}"
        if spec.kind == "bool":
            checkbox = TickBox(literal(spec.label), bool(value), id=widget_id)
            if spec.tooltip:
                checkbox.tooltip = spec.tooltip
            yield checkbox
        elif spec.kind == "choice":
            yield Label(literal(spec.label), classes="dialog--label")
            options = [(literal(choice), choice) for choice in spec.choices]
            yield Select(
                options,
                value=value if value in spec.choices else Select.NULL,
                allow_blank=True,
                prompt="(none)",
                id=widget_id,
            )
        elif spec.kind == "multiline":
            yield Label(literal(spec.label), classes="dialog--label")
            area = SafeTextArea("" if value is None else str(value), id=widget_id, soft_wrap=True)
            area.tooltip = spec.tooltip
            yield area
        else:
            yield FieldEditor(
                spec.name,
                spec.label,
                "" if value is None else str(value),
                placeholder=spec.placeholder,
                validate=spec.validate,
                advise=spec.advise,
                highlighter=spec.highlighter,
                suggester=SuggestFromList(spec.suggestions, case_sensitive=False)
                if spec.suggestions
                else None,
                tooltip=spec.tooltip,
                id=widget_id,
            )

    def on_mount(self) -> None:
        for editor in self.query(FieldEditor):
            # A pre-filled value (a proposed id, the previous entry's time) is selected
            # when its field gets the focus, so typing replaces it; arrows keep it.
            editor.input.select_on_focus = True
        for area in self.query(TextArea):
            area.move_cursor(area.document.end)  # typing goes after a pre-filled text
        names = [spec.name for spec in self._fields]
        start = names.index(self._focus) if self._focus in names else 0
        if names:
            # At once, not after a refresh: keys typed from now on go to the field.
            self.set_focus(self._focus_target(start))

    def _focus_target(self, index: int) -> Widget:
        """The widget that takes the cursor for the ``index``-th field."""
        widget = self.query_one(f"#form-{self._fields[index].name}")
        return widget.input if isinstance(widget, FieldEditor) else widget

    def _line_field(self) -> int | None:
        """The index of the one-line field the cursor is in, if it is in one."""
        focused = self.focused
        if not isinstance(focused, Input):
            return None
        editor = focused.parent
        if not isinstance(editor, FieldEditor):
            return None
        return next(
            (i for i, spec in enumerate(self._fields) if editor.id == f"form-{spec.name}"), None
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter":
            return self._line_field() is not None  # elsewhere Enter is the widget's own
        return True

    def action_enter(self) -> None:
        index = self._line_field()
        if index is None:
            return
        if index == len(self._fields) - 1:
            self.action_save()
        else:
            self.set_focus(self._focus_target(index + 1))

    def on_key(self, event: events.Key) -> None:
        # A printable key reaches the dialog itself only when it was sent here before any
        # field had the focus — typed while the dialog opened (a text field keeps the
        # keys it is sent). Play it into the field, after the focus: in the order typed,
        # replacing a pre-filled value as any typing would.
        focused = self.focused
        if event.is_printable and isinstance(focused, (Input, TextArea)):
            event.stop()
            focused.post_message(events.Key(event.key, event.character))

    @on(FieldEditor.Committed)
    def _ignore_commit(self, event: FieldEditor.Committed) -> None:
        event.stop()  # a dialog saves everything at once, on Save

    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for spec in self._fields:
            widget = self.query_one(f"#form-{spec.name}")
            if isinstance(widget, (FieldEditor, Checkbox)):
                result[spec.name] = widget.value
            elif isinstance(widget, Select):
                result[spec.name] = None if widget.value is Select.NULL else widget.value
            elif isinstance(widget, TextArea):
                result[spec.name] = widget.text
        return result

    def problems(self) -> list[str]:
        values = self.values()
        problems = []
        for spec in self._fields:
            if spec.validate and spec.kind in ("text", "multiline"):
                problem = spec.validate(values[spec.name])
                if problem:
                    problems.append(f"{spec.label}: {problem}")
        if not problems and self._check:
            problems = self._check(values)
        return problems

    def action_save(self) -> None:
        problems = self.problems()
        if problems:
            self.query_one(".dialog--problems", Static).update(literal("\n".join(problems)))
            return
        self.dismiss(self.values())

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; Enter or y confirms, Escape or n declines."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Confirm."),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="Decline."),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self._question = question
        self._yes = yes
        self._no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog--small"):
            yield Static(literal(self._question), classes="dialog--question")
            with Horizontal(classes="dialog--buttons"):
                yield Button(f"{self._yes}  y", variant="primary", id="yes")
                yield Button(f"{self._no}  n", id="no")
        yield QuietFooter()

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of a few labelled choices (buttons with a key each); Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel", tooltip="Choose nothing.")
    ]

    def __init__(self, question: str, choices: Sequence[tuple[str, str]]) -> None:
        """``choices``: (value, label) pairs; the label's first letter is its key."""
        super().__init__()
        self._question = question
        self._choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog--small"):
            yield Static(literal(self._question), classes="dialog--question")
            with Vertical(classes="dialog--choices"):
                for value, label in self._choices:
                    yield Button(literal(label), id=f"choice-{value}")
        yield QuietFooter()

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_key(self, event: Any) -> None:
        for value, label in self._choices:
            if event.character and label[:1].lower() == event.character.lower():
                event.stop()
                self.dismiss(value)
                return

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-"))
