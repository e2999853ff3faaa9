"""Provides LineTable: rows under a header line, drawn with Textual's line API.

Only the lines on screen are drawn, so a table of 10,000 rows opens and redraws as fast
as one of ten. This is what :class:`~pmtui.widgets.row_table.RowTable` (Home's list) and
:class:`~pmtui.widgets.timeline_table.TimelineTable` share: the look, a row cursor and a
hover row, the mouse, and :func:`line_strip`, which draws one line of cells. Each says
how many rows it has, which row a line shows, and draws its own lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.scroll_view import ScrollView
from textual.strip import Strip

PADDING = 1
"""Blank cells either side of each column's content (as a DataTable draws them)."""


def cursor_bindings(id_prefix: str, row: str, rows: str, select: tuple[str, str]) -> list[Binding]:
    """The keys of a table of ``rows`` (one ``row``): arrows, pages, first, last, and Enter
    doing ``select`` (its description, its tooltip). Shown in the keys panel, not the footer."""

    def key(keys: str, action: str, description: str, tooltip: str, verb: str) -> Binding:
        return Binding(
            keys, action, description, show=False, tooltip=tooltip, id=f"{id_prefix}.{verb}"
        )

    return [
        key("up", "cursor(-1)", "Up", f"The {row} above.", "up"),
        key("down", "cursor(1)", "Down", f"The {row} below.", "down"),
        key("pageup", "page(-1)", "Page up", f"One screen of {rows} up.", "page_up"),
        key("pagedown", "page(1)", "Page down", f"One screen of {rows} down.", "page_down"),
        key("home,ctrl+home", "first", "First", f"The first {row}.", "first"),
        key("end,ctrl+end", "last", "Last", f"The last {row}.", "last"),
        key("enter", "select", *select, "select"),
    ]


class LineTable(ScrollView, can_focus=True):
    """A header line, then rows; the cursor and the hover are whole rows."""

    DEFAULT_CSS = """
    LineTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        min-height: 3;
        &:focus {
            background-tint: $foreground 5%;
            & > .line-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .line-table--header {
                background-tint: $foreground 5%;
            }
        }
        & > .line-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .line-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .line-table--odd {
            background: $surface-lighten-1;
        }
        & > .line-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .line-table--hover {
            background: $block-hover-background;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-table--header",
        "line-table--odd",
        "line-table--cursor",
        "line-table--hover",
    }
    ZEBRA: ClassVar[bool] = False
    """Odd rows in the ``line-table--odd`` style."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._cursor = 0
        self._hover: int | None = None

    # ---- what a subclass says ------------------------------------------------------------

    @property
    def row_count(self) -> int:
        raise NotImplementedError

    def _row_at_line(self, line: int) -> int | None:
        """The row drawn on body line ``line`` (0 is the first line under the header)."""
        raise NotImplementedError

    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        raise NotImplementedError

    def action_select(self) -> None:
        raise NotImplementedError

    # ---- the cursor and the mouse ----------------------------------------------------------

    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return None
        return self._row_at_line(int(self.scroll_y) + offset.y - 1)

    def action_cursor(self, offset: int) -> None:
        self._set_hover(None)
        self.move_cursor(row=self._cursor + offset)

    def action_first(self) -> None:
        self._set_hover(None)
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self._set_hover(None)
        self.move_cursor(row=self.row_count - 1)

    def on_click(self, event: events.Click) -> None:
        row = self._row_at(event)
        if row is None:
            return
        event.stop()
        if row == self._cursor:
            self.action_select()
        else:
            self.move_cursor(row=row)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._row_at(event))

    def on_leave(self, _: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, row: int | None) -> None:
        if row != self._hover:
            self._hover = row
            self.refresh()

    # ---- styles ----------------------------------------------------------------------------

    def _header_style(self, base: Style) -> Style:
        return base + self.get_component_rich_style("line-table--header")

    def _row_styles(self, row: int, base: Style) -> tuple[Style, Style]:
        """(the row's style, the colours that win over its cells' own: the cursor's)."""
        component = Style()
        if self.ZEBRA and row % 2:
            component += self.get_component_rich_style("line-table--odd")
        if row == self._hover:
            component += self.get_component_rich_style("line-table--hover")
        if row == self._cursor:
            component += self.get_component_rich_style("line-table--cursor")
        # As a DataTable does by default, the cursor's colours win over the cells' own.
        return base + component, Style(color=component.color, bgcolor=component.bgcolor)


def line_strip(
    console: Console,
    cells: Sequence[Text],
    widths: Sequence[int],
    style: Style,
    post: Style,
    full: int,
) -> Strip:
    """One table line: each cell fitted to its column's width and padded, in ``style``
    (``post`` last, so a cursor's colours win over the cells' own, as in a DataTable)."""
    pad = Segment(" " * PADDING)
    segments: list[Segment] = []
    for text, width in zip(cells, widths, strict=False):
        fitted = text.copy()
        fitted.end = ""
        fitted.no_wrap = True
        fitted.truncate(width, overflow="ellipsis", pad=True)
        segments.append(pad)
        # Text.render leaves out the Text's own style when it has no spans.
        segments.extend(
            Segment.apply_style(fitted.render(console), console.get_style(fitted.style))
        )
        segments.append(pad)
    styled = Segment.apply_style(segments, style, post)
    return Strip(styled).extend_cell_length(full, style + post).simplify()
