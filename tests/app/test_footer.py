"""The footer: the screen's keys on one line, whole keys only, clickable, with tooltips."""

from __future__ import annotations

from collections.abc import Callable

from pmtui.app import PmtuiApp
from pmtui.screens.dialogs import FormDialog
from pmtui.screens.home import HomeScreen
from pmtui.widgets.footer import QuietFooter
from tests.app.conftest import screen_text

DRAFT = "INC-2026-1126"
MakeApp = Callable[..., PmtuiApp]


def footer_line(app: PmtuiApp) -> str:
    return screen_text(app).splitlines()[-1]


def x_of(footer: QuietFooter, description: str) -> int:
    """A column inside the key whose description is ``description``."""
    placed = next(p for p in footer._placed if p.entry.description == description)
    return placed.start + 1


async def test_keys_that_do_not_fit_are_left_out_whole_and_the_palette_key_stays(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        wide = footer_line(app)
        assert " t Classes " in wide and " ^q Quit " in wide
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        narrow = footer_line(app)
    assert narrow.rstrip().endswith("▏^p palette")
    for description in ("New", "Near-miss", "Import", "Filter", "Search", "Dashboard"):
        assert f" {description} " in narrow
    # Classes and Quit do not fit at 80 columns: neither is there in part.
    assert "Cl" not in narrow and "Qu" not in narrow and " t " not in narrow


async def test_a_click_presses_the_key_and_hovering_shows_its_tooltip(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(QuietFooter)
        await pilot.hover(QuietFooter, offset=(x_of(footer, "New"), 0))
        assert footer.tooltip == "Create a postmortem."
        await pilot.hover(QuietFooter, offset=(x_of(footer, "Search"), 0))
        assert footer.tooltip == "Search every postmortem (the knowledge base)."
        await pilot.click(QuietFooter, offset=(x_of(footer, "New"), 0))
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)


async def test_a_key_that_cannot_act_is_dimmed_and_its_click_does_nothing(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.go("review")
        await pilot.pause()
        footer = app.screen.query_one(QuietFooter)
        publish = next(e for e in footer.entries if e.description == "Publish")
        assert not publish.enabled  # a draft cannot be published
        line = footer.render()
        start = line.plain.index(" p Publish")
        assert all(
            span.style.dim for span in line.spans if span.start <= start + 1 < span.end
        )
        await pilot.click(QuietFooter, offset=(x_of(footer, "Publish"), 0))
        await pilot.pause()
        assert app.session is not None and app.session.doc.status == "in-meeting"


async def test_the_keys_follow_the_focus(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        footer = home.query_one(QuietFooter)
        assert "New" in [e.description for e in footer.entries]
        await pilot.press("slash")  # into the filter box, where letters are text
        await pilot.pause()
        assert "New" not in [e.description for e in footer.entries]
        assert "New" not in footer_line(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "New" in footer_line(app)
