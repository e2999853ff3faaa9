"""Provides PromptBar: a one- or two-line inline prompt that opens under a list, no modal.

The scribe types while people talk, so adding a why, a factor, a fact or one field of an
action item must not open a dialog: one key opens this bar with the cursor in the
answer, Enter saves, Escape closes. A "why" prompt has two inputs — the question
(pre-filled, editable) and the answer (focused). Problems show under the input as you
type: an error (red) blocks Enter, advice (amber) only informs.

Type-ahead is the scribe's normal speed: "answer⏎w next answer⏎" arrives in one burst
while the app is still saving. Textual delivers keys to the widget focused when they
arrive, so Enter and Escape are handled *in the input itself, in key order*: the answer
is saved (``on_submit`` is called at once, not by a message that would come after the
queued keys) and keys that reach the closed prompt are played as the screen's commands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.highlighter import Highlighter
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea
from textual.widgets.input import Selection

from pmtui.domain.lint import blame_spans
from pmtui.widgets.field import Validator
from pmtui.widgets.safe_input import SafeInput
from pmtui.widgets.text import literal


class BlameHighlighter(Highlighter):
    """Underlines the words where an answer stops at a person, as they are typed.

    ``people`` are the document's participants and facilitator: named, they are blamed
    by the common verbs too ("Bob ignored the alert"), as Review and ``pmtui check`` do.
    """

    def __init__(self, people: Sequence[str] = ()) -> None:
        self.people: tuple[str, ...] = tuple(people)

    def highlight(self, text: Text) -> None:
        for span in blame_spans(text.plain, self.people):
            text.stylize("bold underline", span.start, span.end)


class PromptInput(SafeInput):
    """An input of a PromptBar: Enter and Escape act in key order (see the module doc)."""

    async def _on_key(self, event: events.Key) -> None:
        bar = next((n for n in self.ancestors if isinstance(n, PromptBar)), None)
        if bar is None:
            await super()._on_key(event)
            return
        if not bar.is_open:
            # Typed ahead after Enter closed the prompt: a command for the screen now.
            event.stop()
            event.prevent_default()
            await bar.replay(event)
        elif event.key == "enter":
            event.stop()
            event.prevent_default()
            bar.enter()
        elif event.key == "escape":
            event.stop()
            event.prevent_default()
            bar.action_cancel()
        else:
            await super()._on_key(event)


class PromptBar(Vertical):
    """Inline prompt; posts :class:`Submitted` (valid Enter) or :class:`Cancelled`."""

    DEFAULT_CSS = """
    PromptBar {
        height: auto;
        display: none;
        border-top: hkey $primary;
        background: $boost;
    }
    PromptBar.-open {
        display: block;
    }
    PromptBar > .prompt--label {
        text-style: bold;
        color: $text-primary;
        padding: 0 1;
    }
    PromptBar > Horizontal {
        height: 1;
    }
    PromptBar .prompt--tag {
        width: 10;
        padding: 0 1;
        color: $text-muted;
        text-align: right;
    }
    PromptBar Input {
        width: 1fr;
    }
    PromptBar > .prompt--ask {
        display: none;
    }
    PromptBar.-two > .prompt--ask {
        display: block;
    }
    PromptBar > .prompt--message {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    PromptBar.-invalid > .prompt--message {
        color: $text-error;
        text-style: bold;
    }
    PromptBar.-advice > .prompt--message {
        color: $text-warning;
        text-style: bold;
    }
    PromptBar.-advice.-severe > .prompt--message {
        color: $text-error;
    }
    """

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Close",
            tooltip="Close the prompt without saving.",
            id="prompt.cancel",
        ),
    ]

    @dataclass
    class Submitted(Message):
        """Enter with a valid answer; ``question`` is set for a two-input prompt."""

        bar: PromptBar
        purpose: str
        value: str
        question: str | None
        context: Any

        @property
        def control(self) -> PromptBar:
            return self.bar

    @dataclass
    class Cancelled(Message):
        bar: PromptBar
        purpose: str

        @property
        def control(self) -> PromptBar:
            return self.bar

    def __init__(
        self,
        *,
        on_submit: Callable[[PromptBar.Submitted], None] | None = None,
        highlight_blame: bool = False,
        id: str | None = None,
    ) -> None:
        """``on_submit`` receives each valid answer at once; without it, a message is posted."""
        super().__init__(id=id)
        self._on_submit = on_submit
        self._blame = BlameHighlighter() if highlight_blame else None
        self.purpose = ""
        self.label = ""
        self.context: Any = None
        self.keep_open = False
        self._opened: tuple[str, str] = ("", "")
        """The answer and question as opened: anything else is typed and not yet saved."""
        self._validate: Validator | None = None
        self._advise: Validator | None = None
        self._hint = ""
        self._return_to: Widget | None = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="prompt--label", markup=False)
        with Horizontal(classes="prompt--ask"):
            yield Static("question", classes="prompt--tag", markup=False)
            yield PromptInput(classes="prompt--question", compact=True, select_on_focus=False)
        with Horizontal(classes="prompt--say"):
            yield Static("", classes="prompt--tag prompt--answer-tag", markup=False)
            yield PromptInput(
                classes="prompt--answer",
                compact=True,
                select_on_focus=False,
                highlighter=self._blame,
            )
        yield Static("", classes="prompt--message", markup=False)

    @property
    def question_input(self) -> Input:
        return self.query_one(".prompt--question", Input)

    @property
    def answer_input(self) -> Input:
        return self.query_one(".prompt--answer", Input)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    @property
    def blame_people(self) -> tuple[str, ...]:
        """The names the blame highlight treats as people (see :class:`BlameHighlighter`)."""
        return self._blame.people if self._blame is not None else ()

    @blame_people.setter
    def blame_people(self, people: Sequence[str]) -> None:
        if self._blame is not None and tuple(people) != self._blame.people:
            self._blame.people = tuple(people)
            if self.is_mounted:
                self.answer_input.refresh()

    def open(
        self,
        purpose: str,
        label: str,
        value: str = "",
        *,
        question: str | None = None,
        placeholder: str = "",
        hint: str = "Enter saves · Esc closes",
        tag: str = "",
        validate: Validator | None = None,
        advise: Validator | None = None,
        severe: bool = False,
        context: Any = None,
        keep_open: bool = False,
        replace: bool = False,
    ) -> None:
        """Show the prompt with the cursor in the answer (the question is pre-filled).

        ``validate`` problems block Enter; ``advise`` only informs — in amber, or in red
        with ``severe`` (what a gate will refuse later, but the room may still record now).
        """
        self.purpose = purpose
        self.label = label
        self.context = context
        self.keep_open = keep_open
        self._opened = (value, question or "")
        focused = self.screen.focused
        if focused is not None and self not in focused.ancestors_with_self:
            self._return_to = focused
        self._validate = validate
        self._advise = advise
        self._hint = hint
        self.set_class(severe, "-severe")
        self.query_one(".prompt--label", Static).update(literal(label))
        self.query_one(".prompt--answer-tag", Static).update(
            literal(tag or ("answer" if question is not None else ""))
        )
        self.query_one(".prompt--answer-tag").display = bool(tag or question is not None)
        self.set_class(question is not None, "-two")
        with self.question_input.prevent(Input.Changed):
            self.question_input.value = question or ""
        answer = self.answer_input
        answer.placeholder = placeholder
        with answer.prevent(Input.Changed):
            answer.value = value
        # ``replace``: like a spreadsheet cell, typing replaces the value (arrows edit it).
        answer.selection = Selection(0, len(value)) if replace else Selection.cursor(len(value))
        self.add_class("-open")
        self._check(value, quiet=True)
        # Focus now, not after a refresh: a scribe types straight after the key that
        # opened the prompt, and keys queued meanwhile must land here, not on the list.
        self.screen.set_focus(answer)

    def close(self) -> None:
        """Hide the prompt and give the focus back (at once) to where it came from."""
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors_with_self:
            back = self._return_to
            self.screen.set_focus(back if back is not None and back.is_attached else None)
        self.remove_class("-open", "-invalid", "-advice")
        self.purpose = ""
        self.context = None

    def action_cancel(self) -> None:
        purpose = self.purpose
        self.close()
        self.post_message(self.Cancelled(self, purpose))

    def _check(self, text: str, *, quiet: bool = False) -> bool:
        """Show the problem or advice for ``text``; ``quiet`` keeps an empty prompt calm."""
        problem = self._validate(text) if self._validate else None
        advice = None if problem else (self._advise(text) if self._advise else None)
        valid = problem is None
        if quiet and not text:
            # A freshly opened or just-saved prompt is not yet wrong: show the hint.
            problem = advice = None
        self.set_class(problem is not None, "-invalid")
        self.set_class(advice is not None, "-advice")
        shown = problem or advice or self._hint
        self.query_one(".prompt--message", Static).update(literal(shown))
        return valid

    @on(Input.Changed, ".prompt--answer")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._check(event.value)

    @on(Input.Changed, ".prompt--question")
    def _question_changed(self, event: Input.Changed) -> None:
        event.stop()

    @on(Input.Submitted, ".prompt--question")
    def _question_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.set_focus(self.answer_input)

    @on(Input.Submitted, ".prompt--answer")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def collect(self) -> PromptBar.Submitted | None:
        """The answer as a message when it is valid (not posted); the prompt closes or,
        with ``keep_open``, empties for the next one. None when the answer is refused."""
        value = self.answer_input.value
        if not self._check(value):
            return None
        question = self.question_input.value if self.has_class("-two") else None
        message = self.Submitted(self, self.purpose, value, question, self.context)
        if self.keep_open:
            with self.answer_input.prevent(Input.Changed):
                self.answer_input.value = ""
            self._opened = ("", self.question_input.value)
            self._check("", quiet=True)
        else:
            self.close()
        return message

    def submit(self) -> bool:
        """Deliver the answer when it is valid; True when delivered."""
        message = self.collect()
        if message is not None:
            if self._on_submit is not None:
                self._on_submit(message)
            else:
                self.post_message(message)
        return message is not None

    @property
    def dirty(self) -> bool:
        """True when the open prompt holds text that differs from what it opened with."""
        if not self.is_open:
            return False
        if self.answer_input.value != self._opened[0]:
            return True
        return self.has_class("-two") and self.question_input.value != self._opened[1]

    def flush(self) -> str | None:
        """Deliver what is typed, as Enter would (before the app quits).

        Returns the problem when the typed text cannot be delivered (it stays in the
        prompt, with the problem shown under it); None when it was delivered or nothing
        was typed.
        """
        if not self.dirty or self.submit():
            return None
        value = self.answer_input.value
        return (self._validate(value) if self._validate else None) or "not saved"

    def enter(self) -> None:
        """Enter: from the question go to the answer; from the answer, submit it."""
        if self.question_input.has_focus:
            self.screen.set_focus(self.answer_input)
        else:
            self.submit()

    async def replay(self, event: events.Key) -> None:
        """Play a key that reached the closed prompt as the screen would have taken it."""
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors_with_self:
            return  # nowhere else to send it
        active = self.screen.active_bindings.get(event.key)
        if active is not None and active.enabled:
            await self.app.run_action(active.binding.action, active.node)
        elif focused is not None:
            focused.post_message(events.Key(event.key, event.character))


def focused_prompt(screen: Screen[Any]) -> PromptBar | None:
    """The open prompt the focus is in, if any."""
    focused = screen.focused
    if focused is None:
        return None
    bar = next((n for n in focused.ancestors_with_self if isinstance(n, PromptBar)), None)
    return bar if bar is not None and bar.is_open else None


def typing(screen: Screen[Any]) -> bool:
    """True while a text field has the focus: letter keys are text then, not commands."""
    return isinstance(screen.focused, Input | TextArea)


def required(what: str) -> Validator:
    """A validator refusing blank text with "type <what> (or Esc to close)"."""

    def validate(text: str) -> str | None:
        return None if text.strip() else f"type {what} (or Esc to close)"

    return validate


def first_problem(*checks: Validator) -> Validator:
    """The first problem any of ``checks`` reports."""

    def validate(text: str) -> str | None:
        return next((p for p in (check(text) for check in checks) if p), None)

    return validate
