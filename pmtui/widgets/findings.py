"""Provides FindingsList: what still blocks completion, one line each; Enter jumps to it.

A step lists at most :data:`SHOWN` findings, says how many there are in its top border,
and ends with a line that opens Review, where every finding is listed: nobody reads
10,000 lines under a timeline, and building them cost a second after every save on an
imported log. When a save changes only findings past the first ones, only the count is
redrawn (a changed line would measure every line again and lay the screen out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pmtui.widgets.text import literal

if TYPE_CHECKING:  # Home draws no findings: the models load with the first meeting
    from pmtui.domain.findings import Finding


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


SHOWN = 50
"""Findings listed under a step; the rest are counted, and listed in Review."""


MORE = Content.styled("… the rest are listed in Review (Enter)", "$text-muted")


def count_title(total: int) -> Content:
    return Content(f"{total:,} findings: the first {SHOWN} here")


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

    class ShowAll(Message):
        """The "… and N more" line was chosen: every finding is in Review."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._findings: list[Finding] = []
        self._total: int | None = None  # how many findings were shown or counted; None: never

    def show(self, findings: Sequence[Finding]) -> None:
        """List the first :data:`SHOWN` of ``findings``; unchanged lines are not rebuilt."""
        shown = list(findings[:SHOWN])
        capped = len(findings) > SHOWN
        if self._total is not None and shown == self._findings and capped == (self._total > SHOWN):
            if len(findings) != self._total:
                self._total = len(findings)
                self.border_title = count_title(len(findings)) if capped else None
            return
        self._findings, self._total = shown, len(findings)
        options = [Option(finding_line(f)) for f in shown]
        if capped:
            options.append(Option(MORE))
        highlighted = self.highlighted
        # Not clear_options() then add_options(): the list emptied for a moment hides its
        # scrollbar, and showing it again lays the screen out twice more.
        self.set_options(options)
        if highlighted is not None and options:
            self.highlighted = min(highlighted, len(options) - 1)
        self.border_title = count_title(len(findings)) if capped else None
        self.set_class(not options, "-empty")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._findings):
            self.post_message(self.Jump(self._findings[event.option_index]))
        elif event.option_index == len(self._findings):
            self.post_message(self.ShowAll())
