"""First frames: a screen that says its first frame is complete is shown unmasked, and is.

PmtuiApp.switch_mode holds updates (Textual's 50 ms) only for a screen's first showing,
and not even then for a screen whose ``FIRST_FRAME_COMPLETE`` says it fills itself before
it draws. Each such screen is held to it here: the first whole frame drawn of it is the
screen it settles on. Home is checked as the app starts (tests/app/test_home.py).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pmtui.app import _SCREENS, PmtuiApp, screen_class
from tests.app.conftest import FirstWholeFrame, screen_text

MakeApp = Callable[..., PmtuiApp]

UNMASKED = sorted(
    mode
    for mode in _SCREENS
    if mode != "home" and getattr(screen_class(mode), "FIRST_FRAME_COMPLETE", False)
)


def test_the_knowledge_base_screens_are_shown_unmasked() -> None:
    assert {"dashboard", "search"} <= set(UNMASKED)


@pytest.mark.parametrize("mode", UNMASKED)
async def test_a_screen_shown_unmasked_draws_itself_whole_first(
    make_test_app: MakeApp, mode: str
) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        first = FirstWholeFrame(app, screen_class(mode))
        app.switch_mode(mode)
        await pilot.pause()
        await pilot.pause()
        settled = screen_text(app)
    assert first.text is not None, f"{mode} was never drawn whole"
    assert first.held == 0, f"a whole frame of {mode} was drawn while held, and thrown away"
    assert first.text == settled
