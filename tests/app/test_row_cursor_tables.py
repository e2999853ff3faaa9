"""Home and End in the row-cursor tables go to the first and the last row."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pmtui.app import PmtuiApp
from pmtui.widgets.row_cursor_table import RowCursorTable

DRAFT = "INC-2026-1126"
PUBLISHED = "INC-2026-0219"
MakeApp = Callable[..., PmtuiApp]


@pytest.mark.parametrize(
    ("ident", "mode", "table_id"),
    [
        (DRAFT, "setup", "participants"),
        (PUBLISHED, "actions", "actions-table"),
        (DRAFT, "taxonomy", "classes-table"),
    ],
)
async def test_home_and_end_move_the_cursor_to_the_first_and_last_row(
    make_test_app: MakeApp, ident: str, mode: str, table_id: str
) -> None:
    app = make_test_app(open_id=ident)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.go(mode)
        await pilot.pause()
        table = app.screen.query_one(f"#{table_id}", RowCursorTable)
        assert table.row_count >= 2
        table.focus()
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0
        assert table.scroll_x == 0
