"""Provides RowCursorTable: a DataTable with a row cursor, where Home and End go to the
first and the last row.

Textual's DataTable scrolls sideways on Home and End (ctrl+Home/End move to the first and
last row). In a table whose cursor is a whole row, Home means the first row, as it does in
pmtui's own lists (LineTable).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class RowCursorTable(DataTable[Any]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "home", "scroll_top", "First", show=False, tooltip="The first row.", id="rows.first"
        ),
        Binding(
            "end", "scroll_bottom", "Last", show=False, tooltip="The last row.", id="rows.last"
        ),
    ]

    def __init__(self, *, id: str | None = None, zebra_stripes: bool = False) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=zebra_stripes)
