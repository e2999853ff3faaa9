"""Provides FindingsList: what still blocks completion, one line each; Enter jumps to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pmtui.domain.findings import Finding
from pmtui.widgets.text import literal


def finding_line(finding: Finding, *, with_path: bool = True) -> Content:
    """``✗ path: message`` (gate), ``! …`` (advisory), ``~ …`` (waived) — user text literal."""
    if finding.waiver is not None:
        mark, style = "~ waived ", "$text-muted"
    elif finding.level == "gate":
        mark, style = "✗ ", "bold $text-error"
    else:
        mark, style = "! ", "bold $text-warning"
    where = f"{finding.path}: " if with_path and finding.path else ""
    return Content.styled(mark, style).append(literal(where + finding.message))


class FindingsList(OptionList):
    DEFAULT_CSS = """
    FindingsList {
        height: auto;
        max-height: 6;
        border: none;
        border-top: hkey $error 50%;
        padding: 0 1;
    }
    FindingsList.-empty {
        display: none;
    }
    """

    @dataclass
    class Jump(Message):
        finding: Finding

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._findings: list[Finding] = []
        self._shown = False

    def show(self, findings: Sequence[Finding]) -> None:
        if self._shown and list(findings) == self._findings:
            return  # as shown: rebuilding the options would lay the screen out again
        self._shown = True
        self._findings = list(findings)
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(Option(finding_line(f)) for f in self._findings)
        if highlighted is not None and self._findings:
            self.highlighted = min(highlighted, len(self._findings) - 1)
        self.set_class(not self._findings, "-empty")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._findings):
            self.post_message(self.Jump(self._findings[event.option_index]))
