"""First frames: a screen that says its first frame is complete is shown unmasked, and is.

PmtuiApp.switch_mode holds updates (Textual's 50 ms) only for a screen's first showing,
and not even then for a screen whose ``FIRST_FRAME_COMPLETE`` says it fills itself before
it draws. Each such screen is held to it here: the first whole frame drawn of it is the
screen it settles on. Home is checked as the app starts (tests/app/test_home.py).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual._compositor import LayoutUpdate

from pmtui.app import _SCREENS, PmtuiApp, screen_class

MakeApp = Callable[..., PmtuiApp]
DRAFT = "INC-2026-1126"

UNMASKED = sorted(
    mode
    for mode in _SCREENS
    if mode != "home" and getattr(screen_class(mode), "FIRST_FRAME_COMPLETE", False)
)


def frame_text(update: LayoutUpdate) -> str:
    return "\n".join("".join(segment.text for segment in line) for line in update.strips)


def test_the_knowledge_base_screens_are_shown_unmasked() -> None:
    assert {"dashboard", "search"} <= set(UNMASKED)


@pytest.mark.parametrize("mode", UNMASKED)
async def test_a_screen_shown_unmasked_draws_itself_whole_first(
    make_test_app: MakeApp, mode: str
) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        target = screen_class(mode)
        first: list[str] = []
        held: list[bool] = []
        display = app._display

        def keep_first(screen: object, update: object) -> None:
            display(screen, update)  # type: ignore[arg-type]
            if isinstance(update, LayoutUpdate) and isinstance(screen, target) and not first:
                if app._batch_count:
                    held.append(True)
                else:
                    first.append(frame_text(update))

        app._display = keep_first  # type: ignore[method-assign]
        app.switch_mode(mode)
        await pilot.pause()
        await pilot.pause()
        settled = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
    assert first, f"{mode} was never drawn whole"
    assert not held, f"a whole frame of {mode} was drawn while held, and thrown away"
    assert first[0] == settled
