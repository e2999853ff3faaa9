"""Provides RowTable: a table of one-line rows that draws only the lines on screen.

Home lists postmortems a page at a time. A DataTable measures every row it is given and
renders each visible cell through Rich's console on every frame: a visible part of the
time the list takes to appear on a 10,000-postmortem database. This keeps the rows' cells
(Rich ``Text``, already styled and never parsed as markup), builds a line's strip when it
is first drawn, and caches it until the row, the cursor or the width changes.

Its API is the part of DataTable's that Home and the dashboard use: columns with fixed
widths (one may take what is left), ``add_row``/``add_rows``/``clear``, the cursor,
``get_cell``/``get_cell_at``/``get_row_at`` and ``RowHighlighted``/``RowSelected``
messages carrying the cursor row and the row's key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.strip import Strip

from pmtui.widgets.line_table import PADDING, LineTable, cursor_bindings, line_strip


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int | None
    """None: the column takes the width left over (at least its label's)."""


class RowTable(LineTable):
    """One-line rows under a header line; the cursor is a whole row."""

    ZEBRA = True

    BINDINGS: ClassVar[list[BindingType]] = cursor_bindings(
        "rows", "row", "rows", ("Open", "Choose the row under the cursor.")
    )

    @dataclass
    class RowHighlighted(Message):
        """The cursor moved to ``cursor_row`` (whose key is ``row_key``)."""

        table: RowTable
        cursor_row: int
        row_key: str

        @property
        def control(self) -> RowTable:
            return self.table

    @dataclass
    class RowSelected(Message):
        """Enter, or a click on the cursor's row: the row is chosen."""

        table: RowTable
        cursor_row: int
        row_key: str

        @property
        def control(self) -> RowTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[Column] = []
        self._keys: list[str] = []
        self._rows: list[tuple[Text, ...]] = []
        self._index: dict[str, int] = {}
        self._strips: LRUCache[tuple[Any, ...], Strip] = LRUCache(512)

    # ---- columns and rows --------------------------------------------------------------

    def add_column(self, label: str, *, key: str, width: int | None = None) -> None:
        self.columns.append(Column(key, label, width))
        self._changed()

    def add_row(self, *cells: Text, key: str) -> None:
        self.add_rows([(key, cells)])

    def add_rows(self, rows: Iterable[tuple[str, Sequence[Text]]]) -> None:
        """Append rows, each ``(key, cells)``; the lines drawn so far stay cached."""
        for key, cells in rows:
            self._index[key] = len(self._rows)
            self._keys.append(key)
            self._rows.append(tuple(cells))
        self.virtual_size = Size(self.virtual_size.width, len(self._rows) + 1)
        self.refresh()

    def clear(self, *, columns: bool = False) -> None:
        """Remove every row (and with ``columns``, every column too)."""
        self._keys.clear()
        self._rows.clear()
        self._index.clear()
        if columns:
            self.columns.clear()
        self._cursor = 0
        self._hover = None
        self._changed()

    def _changed(self) -> None:
        self._strips.clear()
        self.virtual_size = Size(self._narrowest_width(), len(self._rows) + 1)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_row(self) -> int:
        return self._cursor if self._rows else -1

    def _row_at_line(self, line: int) -> int | None:
        return line if 0 <= line < len(self._rows) else None

    def get_cell(self, row_key: str, column_key: str) -> Text:
        column = next(i for i, c in enumerate(self.columns) if c.key == column_key)
        return self._rows[self._index[row_key]][column]

    def get_cell_at(self, coordinate: tuple[int, int]) -> Text:
        row, column = coordinate
        return self._rows[row][column]

    def get_row_at(self, row: int) -> tuple[Text, ...]:
        return self._rows[row]

    # ---- the cursor --------------------------------------------------------------------

    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        """Put the cursor on ``row`` (kept within the rows) and, by default, in view."""
        if not self._rows:
            return
        before = self._cursor
        self._cursor = max(0, min(row, len(self._rows) - 1))
        if scroll:
            self._scroll_cursor_into_view()
        if self._cursor != before:
            self.refresh()
            self.post_message(self.RowHighlighted(self, self._cursor, self._keys[self._cursor]))

    def _scroll_cursor_into_view(self) -> None:
        if not self.size.height:  # not laid out yet: once it is
            self.call_after_refresh(self._scroll_cursor_into_view)
            return
        region = Region(int(self.scroll_x), self._cursor + 1, 1, 1)  # under the header
        self.scroll_to_region(
            region, animate=False, spacing=Spacing(top=1), force=True, immediate=True
        )

    def action_page(self, direction: int) -> None:
        self._set_hover(None)
        page = max(1, self.scrollable_content_region.height - 1)
        self.scroll_relative(y=direction * page, animate=False, force=True, immediate=True)
        self.move_cursor(row=self._cursor + direction * page)

    def action_select(self) -> None:
        if self._rows:
            self.post_message(self.RowSelected(self, self._cursor, self._keys[self._cursor]))

    # ---- drawing -----------------------------------------------------------------------

    def _widths(self, width: int) -> list[int]:
        """Each column's content width; the flexible one takes what the others leave."""
        fixed = sum(c.width or 0 for c in self.columns) + 2 * PADDING * len(self.columns)
        return [
            c.width if c.width is not None else max(len(c.label), width - fixed)
            for c in self.columns
        ]

    def _table_width(self) -> int:
        return sum(self._widths(self._visible_width())) + 2 * PADDING * len(self.columns)

    def _narrowest_width(self) -> int:
        """The table's width with the flexible column at its label's: what scrolls.

        Wider than the widget, the table is drawn at this width; narrower, the flexible
        column fills the rest. Not depending on the widget's width, the scrollable size
        need not change (nor the screen be laid out again) when the widget resizes.
        """
        return sum(self._widths(0)) + 2 * PADDING * len(self.columns)

    def _visible_width(self) -> int:
        """The width the rows are drawn in: the widget's, less a vertical scrollbar."""
        return self.scrollable_content_region.width

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        base = self.rich_style
        if not self.columns:
            return Strip.blank(width, base)
        widths = tuple(self._widths(self._visible_width()))
        full = max(width + scroll_x, self._table_width())
        if y == 0:
            style = self._header_style(base)
            key: tuple[Any, ...] = ("header", widths, style, full)
            cells = tuple(Text(c.label, no_wrap=True, end="") for c in self.columns)
            post = Style()
        else:
            row = scroll_y + y - 1
            if not 0 <= row < len(self._rows):
                return Strip.blank(width, base)
            style, post = self._row_styles(row, base)
            key = (row, widths, style, post, full)
            cells = self._rows[row]
        strip = self._strips.get(key)
        if strip is None:
            strip = line_strip(self.app.console, cells, widths, style, post, full)
            self._strips.set(key, strip)
        return strip.crop_extend(scroll_x, scroll_x + width, base)
