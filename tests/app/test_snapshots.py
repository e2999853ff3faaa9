"""A few snapshot tests: the Home list and two meeting steps at 80×24, pixel for pixel.

They catch a layout that silently breaks (a column pushed off screen, a footer
overflowing) that assertions on text would miss. The clock is frozen, the database is a
fresh sample, and cursor blinking does not exist in snapshots. Update the baselines
with ``pytest tests/app/test_snapshots.py --snapshot-update`` after a deliberate change,
and look at the report before committing them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pmtui.app import PmtuiApp

MakeApp = Callable[..., PmtuiApp]
DRAFT = "INC-2026-1126"


@pytest.mark.parametrize(
    ("name", "ident", "step"),
    [("home", None, None), ("factors", DRAFT, "factors"), ("review", DRAFT, "review")],
)
def test_screen_snapshot(
    snap_compare: Callable[..., bool], make_test_app: MakeApp, name: str, ident: str | None,
    step: str | None,
) -> None:
    app = make_test_app()

    async def open_step(pilot: object) -> None:
        if ident is not None and step is not None:
            app.open_postmortem(ident, step)
        await pilot.pause()  # type: ignore[attr-defined]

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_step)
