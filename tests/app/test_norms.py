"""Pilot tests of the Norms step: reading the statement opens the meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from pmtui.app import PmtuiApp
from pmtui.domain.models import Postmortem
from pmtui.screens.norms import NormsScreen
from tests.app.conftest import NOW, reopen, screen_text

DRAFT = "INC-2026-1126"  # a draft of the sample; its meeting date is 2026-11-27

MakeApp = Callable[..., PmtuiApp]


def stored(path: Path) -> Postmortem:
    with reopen(path) as store:
        return store.load(DRAFT)


def without_meeting_date(path: Path) -> None:
    store = reopen(path)
    try:
        version = store.load(DRAFT).version
        store.set_field(DRAFT, "date_of_postmortem", None, version=version)
    finally:
        store.close()


async def read_norms(app: PmtuiApp) -> str:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.go("norms")
        await pilot.pause()
        assert isinstance(app.screen, NormsScreen)
        await pilot.press("r")
        await pilot.pause()
        return screen_text(app)


async def test_reading_the_norms_dates_a_meeting_left_undated(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    without_meeting_date(sample_db)
    text = await read_norms(make_test_app(open_id=DRAFT))
    pm = stored(sample_db)
    assert (pm.norms_read_at, pm.status) == (NOW, "in-meeting")
    assert pm.date_of_postmortem == NOW.date()
    assert "Meeting date: 2026-11-29." in text


async def test_reading_the_norms_keeps_the_meeting_date_setup_gave(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    text = await read_norms(make_test_app(open_id=DRAFT))
    pm = stored(sample_db)
    assert pm.norms_read_at == NOW
    assert pm.date_of_postmortem == dt.date(2026, 11, 27)
    assert "Meeting date: 2026-11-27." in text
