"""Provides ReviewFindings: every gate and advisory with its state and step; Enter jumps to it.

Gates first (they cannot be waived), then open advisories, then waived ones with their
reason. Each entry is two lines — state, code and step, then where and the message — so long
messages wrap instead of being cut off on a projector.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pmtui.domain.findings import Finding
from pmtui.steps import STEP_BY_KEY, step_for_path
from pmtui.widgets.text import literal


def ordered(findings: Sequence[Finding]) -> list[Finding]:
    """Gates, then unwaived advisories, then waived advisories (stable within each)."""

    def rank(finding: Finding) -> int:
        if finding.level == "gate":
            return 0
        return 2 if finding.waiver is not None else 1

    return sorted(findings, key=rank)


def entry(finding: Finding) -> Content:
    """``✗ gate G-CODE · Step`` over ``path: message`` (and the waiver's reason)."""
    if finding.level == "gate":
        mark, style, state = "✗", "bold $text-error", "gate"
    elif finding.waiver is not None:
        mark, style, state = "~", "$text-muted", "waived"
    else:
        mark, style, state = "!", "bold $text-warning", "advisory"
    step = STEP_BY_KEY[step_for_path(finding.path)].title
    head = Content.styled(f"{mark} {state} {finding.code}", style).append(
        Content.styled(f" · {step}", "$text-muted")
    )
    where = Content.styled(f"{finding.path}: ", "$text-muted") if finding.path else Content("")
    lines = [head, where.append(literal(finding.message))]
    if finding.waiver is not None:
        who = f" ({finding.waiver.waived_by})" if finding.waiver.waived_by else ""
        lines.append(
            Content.styled("waived: ", "italic $text-muted").append(
                literal(finding.waiver.reason + who)
            )
        )
    return Content("\n").join(lines)


class ReviewFindings(OptionList):
    DEFAULT_CSS = """
    ReviewFindings, ReviewFindings:focus {
        height: 1fr;
        border: none;
        padding: 0;
    }
    """

    @dataclass
    class Jump(Message):
        finding: Finding

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.findings: list[Finding] = []

    def show(self, findings: Sequence[Finding]) -> None:
        """Show ``findings`` in review order, keeping the cursor on the same finding."""
        keep = self.selected.key if self.selected else None
        index = self.highlighted
        self.findings = ordered(findings)
        self.clear_options()
        self.add_options(Option(entry(f)) for f in self.findings)
        if not self.findings:
            return
        same = next((i for i, f in enumerate(self.findings) if f.key == keep), None)
        self.highlighted = same if same is not None else min(index or 0, len(self.findings) - 1)

    @property
    def selected(self) -> Finding | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.findings):
            return None
        return self.findings[index]

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.findings):
            self.post_message(self.Jump(self.findings[event.option_index]))
