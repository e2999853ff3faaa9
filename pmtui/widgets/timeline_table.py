"""Provides TimelineTable: the timeline's entries as rows, judging words marked in them.

Each decision point takes two lines: the event, and under it the information the
person had (or the question still to ask). Columns fit the width they have.

It draws only the lines on screen (Textual's line API), so a timeline of 10,000
imported log lines opens and redraws as fast as one of ten: :meth:`TimelineTable.show`
keeps each entry's values, and a row's cells (its judging words found and marked)
are built the first time the row is on screen and again only when its entry changes.
A DataTable builds, measures and marks every row up front: seconds at that size.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pmtui.domain.models import TimelineEntry
from pmtui.widgets.line_table import PADDING, LineTable, cursor_bindings, line_strip
from pmtui.widgets.text import cell, one_line
from pmtui.widgets.timeline_judging import (
    clipped_cell,
    judging_cell,
    judging_style,
    theme_colour,
)
from pmtui.widgets.timeline_walk import DECISION_QUESTION

HEADERS = ("Time", "◆", "Event", "Source")
_LATE = re.compile(r"^timeline\[(\d+)\]\.time$")
_CELL_CACHE = 4096
"""Rows whose cells are kept: many screens' worth, never the whole of a long timeline."""


RowState = tuple[str, str, str, bool, str, bool]
"""What a row shows (time, event, source, decision point, context, time out of order):
rows with the same state have the same cells. A plain tuple, built only for the rows
drawn: three times cheaper than a NamedTuple, and most rows are never on screen."""


class _Layout(NamedTuple):
    widths: tuple[int, int, int, int]  # time, decision mark, event, source
    error: str
    warning: str
    mark: str


class TimelineTable(LineTable):
    """The entries in stored order, one row each; call :meth:`show` after every save."""

    BINDINGS: ClassVar[list[BindingType]] = cursor_bindings(
        "timeline.table", "entry", "entries", ("Edit", "Edit the selected entry.")
    )

    @dataclass
    class RowSelected(Message):
        """Enter, or a click on the selected row: the entry at ``index`` is chosen."""

        index: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: list[TimelineEntry] = []
        self._late: set[int] = set()
        self._heights: list[int] = []
        self._tops: list[int] = [0]  # the first line of each row; the last is the total
        self._layout: _Layout | None = None
        self._cells: LRUCache[tuple[RowState, _Layout], list[list[Text]]] = LRUCache(_CELL_CACHE)
        self._strips: LRUCache[tuple[Any, ...], Strip] = LRUCache(1024)
        self._source_widths: dict[str, int] = {}

    # ---- the rows --------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._entries)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    def show(self, entries: Sequence[TimelineEntry], problems: Collection[str], width: int) -> None:
        """Draw ``entries``; ``problems`` are the paths with a gate (drawn in the error colour).

        Costs one pass over the entries' values; only the rows on screen are drawn.
        """
        self._late = {int(m.group(1)) for p in problems if (m := _LATE.match(p))}
        self._entries = list(entries)
        heights = [2 if e.decision_point else 1 for e in self._entries]
        layout = _Layout(
            self._widths(width),
            theme_colour(self.app, "error"),
            theme_colour(self.app, "warning"),
            judging_style(self.app),
        )
        reshaped = heights != self._heights or layout.widths != getattr(
            self._layout, "widths", None
        )
        if heights != self._heights:
            self._heights = heights
            self._tops = [0, *accumulate(heights)]
        self._layout = layout
        self._set_virtual_size(Size(self._table_width(), self._tops[-1] + 1))
        self._cursor = max(0, min(self._cursor, len(self._entries) - 1))
        if self._hover is not None and self._hover >= len(self._entries):
            self._hover = None
        if reshaped:  # rows added, removed, grown (a decision point) or resized
            self._scroll_cursor_into_view()
        self.refresh()

    def _set_virtual_size(self, size: Size) -> None:
        """Set the scrollable size; a long table that only grows or shrinks by a line or
        two (a decision point marked) is not laid out again.

        Assigning ``virtual_size`` lays the whole screen out, and the scrollbar it moves
        is drawn a frame later. When the scrollbars stay as they are (the same width, and
        taller than its window before and after), updating them is enough: what Textual
        itself does for a size change without layout (Widget._size_updated).
        """
        old = self.virtual_size
        window = self.scrollable_content_region.size
        keeps_scrollbars = (
            size.width == old.width
            and min(size.height, old.height) > window.height > 0
            and self.show_vertical_scrollbar
        )
        if size == old or not keeps_scrollbars:
            self.virtual_size = size
            return
        self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_update(size)

    def _widths(self, width: int) -> tuple[int, int, int, int]:
        """Widths of the time, decision, event and source columns for ``width`` cells."""
        # Each column has one cell of padding either side; keep 2 for a scrollbar.
        room = width - 2 - 4 * 2 * PADDING - 1
        time = max(5, max((len(e.time) for e in self._entries), default=0))
        source = min(
            max(6, max(map(self._source_width, {e.source for e in self._entries}), default=0)), 20
        )
        return time, 1, max(room - time - source, 12), source

    def _source_width(self, source: str) -> int:
        known = self._source_widths.get(source)
        if known is None:
            if len(self._source_widths) > _CELL_CACHE:
                self._source_widths.clear()
            known = self._source_widths[source] = len(one_line(source))
        return known

    def _table_width(self) -> int:
        assert self._layout is not None
        return sum(w + 2 * PADDING for w in self._layout.widths)

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of row ``index``: time, decision mark, event (and what was known), source."""
        first, *more = self._row_cells(index)
        event = Text("\n").join([first[2], *(line[2] for line in more)])
        return [first[0], first[1], event, first[3]]

    def _state(self, index: int) -> RowState:
        e = self._entries[index]
        return (e.time, e.event, e.source, e.decision_point, e.context, index in self._late)

    def _row_cells(self, index: int) -> list[list[Text]]:
        """Row ``index`` as lines of cells, built when the row is first drawn or changed."""
        assert self._layout is not None
        key = (self._state(index), self._layout)
        cells = self._cells.get(key)
        if cells is None:
            cells = _cells(*key)
            self._cells.set(key, cells)
        return cells

    # ---- the cursor ------------------------------------------------------------------

    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        """Put the cursor on row ``row`` (kept within the rows) and, by default, in view."""
        self._cursor = max(0, min(row, len(self._entries) - 1))
        if scroll:
            self._scroll_cursor_into_view()
        self.refresh()

    def _scroll_cursor_into_view(self) -> None:
        if not self._entries:
            return
        if not self.size.height:  # not laid out yet: once it is
            self.call_after_refresh(self._scroll_cursor_into_view)
            return
        top = self._tops[self._cursor] + 1  # below the header line
        region = Region(int(self.scroll_x), top, 1, self._heights[self._cursor])
        self.scroll_to_region(
            region, animate=False, spacing=Spacing(top=1), force=True, immediate=True
        )

    def _row_at_line(self, line: int) -> int | None:
        """The row drawn on body line ``line`` (0 is the first line under the header)."""
        if not 0 <= line < self._tops[-1]:
            return None
        return bisect_right(self._tops, line) - 1

    def action_page(self, direction: int) -> None:
        self._set_hover(None)
        if not self._entries:
            return
        page = max(1, self.scrollable_content_region.height - 1)
        line = self._tops[self._cursor] + direction * page
        row = self._row_at_line(max(0, min(line, self._tops[-1] - 1)))
        self.scroll_relative(y=direction * page, animate=False, force=True, immediate=True)
        self.move_cursor(row=self._cursor if row is None else row)

    def action_select(self) -> None:
        if self._entries:
            self.post_message(self.RowSelected(self._cursor))

    # ---- drawing ---------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        base = self.rich_style
        if self._layout is None:
            return Strip.blank(width, base)
        full = max(width + scroll_x, self._table_width())
        if y == 0:
            strip = self._header_strip(base, full)
        else:
            row = self._row_at_line(scroll_y + y - 1)
            if row is None:
                return Strip.blank(width, base)
            strip = self._row_strip(row, scroll_y + y - 1 - self._tops[row], base, full)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _header_strip(self, base: Style, full: int) -> Strip:
        style = self._header_style(base)
        assert self._layout is not None
        key = ("header", self._layout, style, full)
        strip = self._strips.get(key)
        if strip is None:
            cells = [Text(h, no_wrap=True, end="") for h in HEADERS]
            strip = self._strip(cells, style, Style(), full)
            self._strips.set(key, strip)
        return strip

    def _strip(self, cells: list[Text], style: Style, post: Style, full: int) -> Strip:
        assert self._layout is not None
        return line_strip(self.app.console, cells, self._layout.widths, style, post, full)

    def _row_strip(self, row: int, line: int, base: Style, full: int) -> Strip:
        style, post = self._row_styles(row, base)
        key = (self._state(row), line, self._layout, style, post, full)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strip(self._row_cells(row)[line], style, post, full)
            self._strips.set(key, strip)
        return strip


def _cells(state: RowState, layout: _Layout) -> list[list[Text]]:
    """The lines of one row's cells: the entry, then (at a decision point) what was known."""
    time, event_text, source, decision, context, late = state
    _, _, event_w, source_w = layout.widths
    error, warning, mark = layout.error, layout.warning, layout.mark
    event = (
        judging_cell(event_text, event_w, mark) if event_text else cell("(what happened?)", error)
    )
    time_style = f"bold {error}" if late else "bold"
    first = [
        cell(time or "--:--", time_style if time else error),
        cell("◆" if decision else "", f"bold {warning}"),
        event,
        clipped_cell(source, source_w) if source else cell("(source?)", error),
    ]
    if not decision:
        return [first]
    if context.strip():
        second = Text("↳ knew: ", style="dim italic").append_text(
            judging_cell(context, event_w - 8, mark, "italic")
        )
    else:
        second = judging_cell(f"↳ ask: {DECISION_QUESTION}", event_w, mark, f"italic {warning}")
    return [first, [cell(""), cell(""), second, cell("")]]
