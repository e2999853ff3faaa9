"""Provides the step bar: every meeting step, its state, and where you are — always visible.

It renders itself to fit the width it has: full names when they fit, otherwise only the
current step keeps its name and the others show their number and state mark: ✓ done
(its content is there and nothing is found), ! an open advisory, ✗ a gate, ○ not started.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from pmtui.steps import STEPS, StepState, with_unstarted

MARKS = {
    StepState.NOT_STARTED: "○",
    StepState.DONE: "✓",
    StepState.ADVISORY: "!",
    StepState.BLOCKED: "✗",
}
STYLES = {
    StepState.NOT_STARTED: "$text-muted",
    StepState.DONE: "$text-success",
    StepState.ADVISORY: "$text-warning",
    StepState.BLOCKED: "$text-error",
}


class StepBar(Widget):
    """One line: ``1 ✓Setup  2 ✓Norms  3 !Past …``; click a step to go there."""

    DEFAULT_CSS = """
    StepBar {
        height: 1;
        width: 1fr;
        background: $panel;
    }
    """

    current: reactive[str] = reactive("setup")
    states: reactive[dict[str, StepState]] = reactive(dict, always_update=True)

    @dataclass
    class Selected(Message):
        """The user clicked a step."""

        step: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._hit_ranges: list[tuple[int, int, str]] = []

    def validate_states(self, states: dict[str, StepState]) -> dict[str, StepState]:
        """Mark the steps the open document holds nothing of as not started.

        The screens pass ``MeetingSession.step_states()``, which knows only the findings;
        a step with no findings and no content is not done (``pmtui.steps.started``).
        """
        session = getattr(self.app, "session", None)
        doc = getattr(session, "doc", None)
        return states if doc is None else with_unstarted(states, doc)

    def _parts(self, names: str) -> list[tuple[str, str]]:
        """Each step's text and style; ``names`` is "title", "short" or "current"."""
        parts = []
        for number, step in enumerate(STEPS, start=1):
            state = self.states.get(step.key, StepState.DONE)
            if names == "title":
                name, gap = step.title, "  "
            elif names == "short" or step.key == self.current:
                name, gap = step.label, " "
            else:
                name, gap = "", " "
            parts.append((f"{gap}{number}{MARKS[state]}{name}", STYLES[state]))
        return parts

    def render(self) -> Content:
        width = self.size.width or 80
        for names in ("title", "short", "current"):
            parts = self._parts(names)
            if sum(len(text) for text, _ in parts) <= width:
                break
        content = Content("")
        self._hit_ranges = []
        offset = 0
        for step, (text, style) in zip(STEPS, parts, strict=True):
            if step.key == self.current:
                piece = Content.styled(text, f"bold reverse {style}")
            else:
                piece = Content.styled(text, style)
            content = content.append(piece)
            self._hit_ranges.append((offset, offset + len(text), step.key))
            offset += len(text)
        return content

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._hit_ranges:
            if start <= event.x < end:
                self.post_message(self.Selected(key))
                return
