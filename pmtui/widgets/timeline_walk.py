"""Provides TimelineWalk: the timeline told one entry at a time, as the meeting walks it.

One entry is shown large, its neighbours dimmed, under the question "What happened
next?". At a decision point the question becomes "What information did you have at
that moment?" and the answer is typed right there; it is the entry's ``context``. The
widget never saves: it posts messages and the screen saves them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from pmtui.domain.lint import judging_spans
from pmtui.domain.models import TimelineEntry
from pmtui.widgets.safe_input import SafeInput
from pmtui.widgets.text import highlighted, literal, one_line, template
from pmtui.widgets.timeline_judging import (
    JudgingHighlighter,
    judging_advice,
    judging_summary,
)

NEXT_QUESTION = "What happened next?"
DECISION_QUESTION = "What information did you have at that moment?"
IDLE_SAVE_SECONDS = 1.0
_MARK = "$text-warning bold underline"


def _question(question: str, keys: str) -> Content:
    return template("[b]$q[/b]  [$text-muted]$k[/]", q=question, k=keys)


def _neighbour(entry: TimelineEntry | None, arrow: str) -> Content:
    if entry is None:
        return literal("")
    mark = " ◆" if entry.decision_point else ""
    return literal(f"{arrow} {entry.time or '--:--'}{mark}  {one_line(entry.event, 200)}")


class TimelineWalk(VerticalScroll, can_focus=True):
    """Walks ``entries`` one at a time; posts what the room says for the screen to save.

    It scrolls (keeping the focused answer field in view) when the terminal is short.
    """

    DEFAULT_CSS = """
    TimelineWalk {
        height: 1fr;
        padding: 0 1;
    }
    TimelineWalk .walk--neighbour { color: $text-muted; text-style: dim; height: 1; }
    TimelineWalk #walk-entry {
        height: auto;
        border: round $primary;
        border-title-color: $text-muted;
        border-subtitle-color: $text-muted;
        padding: 0 1;
    }
    TimelineWalk #walk-entry.-decision { border: heavy $warning; }
    TimelineWalk #walk-time { text-style: bold; color: $text-accent; }
    TimelineWalk #walk-event { text-style: bold; color: $text; }
    TimelineWalk #walk-source { color: $text-muted; }
    TimelineWalk #walk-event-advice { color: $text-warning; }
    TimelineWalk #walk-question { color: $text-accent; }
    TimelineWalk #walk-context { background: $boost; display: none; }
    TimelineWalk #walk-context:focus { background: $surface-lighten-2; }
    TimelineWalk.-decision #walk-context { display: block; }
    TimelineWalk #walk-context-full { color: $text-muted; height: auto; padding: 0 1; }
    TimelineWalk #walk-advice { color: $text-warning; height: auto; }
    TimelineWalk.-empty #walk-entry, TimelineWalk.-empty .walk--neighbour { display: none; }
    """

    BINDINGS = [
        Binding(
            "right,down,enter", "next", "Next", tooltip="The next entry.", id="timeline.walk.next"
        ),
        Binding(
            "left,up",
            "previous",
            "Previous",
            tooltip="The previous entry.",
            id="timeline.walk.previous",
        ),
        Binding(
            "a",
            "append",
            "Add next event",
            tooltip="Capture what happened next, right after this entry.",
            id="timeline.walk.append",
        ),
        Binding(
            "escape",
            "leave",
            "Leave walk",
            tooltip="Back to the table, with the cursor on this entry.",
            id="timeline.walk.leave",
        ),
    ]

    @dataclass
    class ContextEntered(Message):
        """The answer to "What information did you have at that moment?" for ``entry``."""

        index: int
        entry: TimelineEntry
        text: str

    @dataclass
    class AppendRequested(Message):
        """Add a new entry right after ``index`` (-1: at the start of an empty timeline)."""

        index: int

    @dataclass
    class Left(Message):
        """Walk mode ended on entry ``index``."""

        index: int

    def __init__(self, highlight_style: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._highlighter = JudgingHighlighter(highlight_style)
        self.entries: list[TimelineEntry] = []
        self.index = 0
        self._committed = ""
        self._idle: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="walk-previous", classes="walk--neighbour", markup=False)
        with Vertical(id="walk-entry"):
            yield Static("", id="walk-time", markup=False)
            yield Static("", id="walk-event", markup=False)
            yield Static("", id="walk-event-advice", markup=False)
            yield Static("", id="walk-source", markup=False)
        yield Static("", id="walk-next", classes="walk--neighbour", markup=False)
        yield Static("", id="walk-question", markup=False)
        yield SafeInput(
            id="walk-context",
            placeholder="What they knew, saw or were told then; enter saves and moves on",
            highlighter=self._highlighter,
            compact=True,
            select_on_focus=False,
        )
        # The whole answer, wrapped, once it is wider than the field: the room reads it.
        yield Static("", id="walk-context-full", markup=False)
        yield Static("", id="walk-advice", markup=False)

    @property
    def context_input(self) -> Input:
        return self.query_one("#walk-context", Input)

    @property
    def current(self) -> TimelineEntry | None:
        return self.entries[self.index] if 0 <= self.index < len(self.entries) else None

    # ---- showing ---------------------------------------------------------------------

    def show(self, entries: Sequence[TimelineEntry], index: int | None = None) -> None:
        """Show ``entries`` (freshly saved) at ``index`` (default: where the walk is)."""
        moved = index is not None and index != self.index
        self.entries = list(entries)
        if index is not None:
            self.index = index
        self.index = max(0, min(self.index, len(self.entries) - 1))
        self._render_entry(keep_typing=not moved)

    def _render_entry(self, keep_typing: bool = False) -> None:
        entry = self.current
        self.set_class(entry is None, "-empty")
        decision = entry is not None and entry.decision_point
        self.set_class(decision, "-decision")
        box = self.query_one("#walk-entry")
        box.set_class(decision, "-decision")
        question = self.query_one("#walk-question", Static)
        if entry is None:
            self._advise(None)
            question.update(_question("No entries yet. What happened first?", "a add it"))
            return
        total = len(self.entries)
        box.border_title = f"entry {self.index + 1} of {total}"
        box.border_subtitle = "esc leave walk"
        before = self.entries[self.index - 1] if self.index > 0 else None
        after = self.entries[self.index + 1] if self.index + 1 < total else None
        self.query_one("#walk-previous", Static).update(
            _neighbour(before, "↑") if before else literal("↑ (the first entry)")
        )
        self.query_one("#walk-next", Static).update(
            _neighbour(after, "↓") if after else literal("↓ (the last entry so far)")
        )
        mark = "  ◆ decision point" if decision else ""
        self.query_one("#walk-time", Static).update(
            template("$time[$text-warning]$mark[/]", time=entry.time or "(no time)", mark=mark)
        )
        event = entry.event or "(no event)"
        self.query_one("#walk-event", Static).update(
            highlighted(event, [(s.start, s.end) for s in judging_spans(event)], _MARK)
        )
        advice = judging_summary(entry.event)
        advice_widget = self.query_one("#walk-event-advice", Static)
        advice_widget.update(literal(advice or ""))
        advice_widget.display = bool(advice)
        self.query_one("#walk-source", Static).update(
            literal(f"source: {entry.source}" if entry.source else "source: (none yet)")
        )
        self.call_after_refresh(self._keep_in_view)
        if decision:
            question.update(
                _question(DECISION_QUESTION, "↑↓ previous/next · tab, then a adds the next")
            )
            self._show_context(entry, keep_typing)
        else:
            question.update(_question(NEXT_QUESTION, "→ next · a add it" if after else "a add it"))
            self._advise(None)
            if self.context_input.has_focus:
                self.focus()

    def _keep_in_view(self) -> None:
        """In a short terminal, the answer field (or else the entry) is what must show."""
        entry = self.current
        if entry is not None and entry.decision_point:
            self.scroll_to_widget(self.context_input, animate=False, immediate=True)
        else:
            self.scroll_home(animate=False, immediate=True)

    def _show_context(self, entry: TimelineEntry, keep_typing: bool) -> None:
        field = self.context_input
        typing = keep_typing and field.value != self._committed
        self._committed = entry.context
        if not typing and field.value != entry.context:
            with field.prevent(Input.Changed):
                field.value = entry.context
        self._advise(field.value)
        if self.display and self.has_focus:
            field.focus()

    def _advise(self, text: str | None) -> None:
        """Echo the answer when it is too wide, and the judging words' suggestion."""
        advice = judging_advice(text) if text else None
        widget = self.query_one("#walk-advice", Static)
        widget.update(literal(advice or ""))
        widget.display = bool(advice)
        full = self.query_one("#walk-context-full", Static)
        room = self.context_input.size.width or (self.size.width - 2)
        wide = bool(text) and len(text or "") >= room - 1
        full.update(literal(text or "") if wide else literal(""))
        full.display = wide

    # ---- the context answer ----------------------------------------------------------

    def _commit(self) -> None:
        """Post the context typed for the current entry, if it changed."""
        if self._idle is not None:
            self._idle.stop()
            self._idle = None
        entry = self.current
        if entry is None or not entry.decision_point:
            return
        text = self.context_input.value
        if text != self._committed:
            self._committed = text
            self.post_message(self.ContextEntered(self.index, entry, text))

    @on(Input.Changed, "#walk-context")
    def _context_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._advise(event.value)
        if self._idle is not None:
            self._idle.stop()
        # A pause in typing saves too: a crash mid-sentence loses at most a second.
        self._idle = self.set_timer(IDLE_SAVE_SECONDS, self._commit)

    @on(Input.Submitted, "#walk-context")
    def _context_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_next()

    @on(Input.Blurred, "#walk-context")
    def _context_blurred(self) -> None:
        self._commit()

    # ---- moving ----------------------------------------------------------------------

    def _go(self, index: int) -> None:
        self._commit()
        had_focus = self.has_focus_within
        self.index = max(0, min(index, len(self.entries) - 1))
        self._render_entry()
        if had_focus:
            self._take_focus()

    def start(self, entries: Sequence[TimelineEntry], index: int) -> None:
        """Begin walking at ``index`` and take the focus."""
        if self._idle is not None:
            self._idle.stop()
            self._idle = None
        self.entries = list(entries)
        self.index = max(0, min(index, len(self.entries) - 1))
        self._committed = self.current.context if self.current else ""
        with self.context_input.prevent(Input.Changed):
            self.context_input.value = self._committed
        self._render_entry()
        self._take_focus()

    def _take_focus(self) -> None:
        """The answer field at a decision point (unless read only), else the walk itself."""
        entry = self.current
        if entry is not None and entry.decision_point and not self.context_input.disabled:
            self.context_input.focus()
        else:
            self.focus()

    def action_next(self) -> None:
        self._go(self.index + 1)

    def action_previous(self) -> None:
        self._go(self.index - 1)

    def action_append(self) -> None:
        self._commit()
        self.post_message(self.AppendRequested(self.index if self.entries else -1))

    def action_leave(self) -> None:
        self._commit()
        self.post_message(self.Left(self.index))
