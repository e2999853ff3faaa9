"""Styles: each widget styled once as its screen first shows, and again when the app changed.

Textual re-applies the whole stylesheet to a screen as it is shown (twice for a new mode);
pmtui skips what cannot change anything. These tests hold both halves: the work is not
repeated, and a screen coming back to an app that changed meanwhile is restyled all the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from textual import events
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.widget import Widget

from pmtui.app import PmtuiApp
from pmtui.screens.home import HomeScreen
from pmtui.widgets.footer import QuietFooter

MakeApp = Callable[..., PmtuiApp]
DRAFT = "INC-2026-1126"


@contextmanager
def counting_applies() -> Iterator[Counter[int]]:
    """How many times the stylesheet is applied to each widget (by id()) while inside."""
    applies: Counter[int] = Counter()
    original = Stylesheet.apply

    def apply(self: Stylesheet, node: DOMNode, *args: object, **kwargs: object) -> None:
        if isinstance(node, Widget):
            applies[id(node)] += 1
        original(self, node, *args, **kwargs)  # type: ignore[arg-type]

    Stylesheet.apply = apply  # type: ignore[method-assign]
    try:
        yield applies
    finally:
        Stylesheet.apply = original  # type: ignore[method-assign]


async def test_home_first_frame_styles_each_widget_once(make_test_app: MakeApp) -> None:
    app = make_test_app()
    with counting_applies() as applies:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            home = app.screen
            assert isinstance(home, HomeScreen)
            assert len(home.query_one(QuietFooter).entries) >= 5
            widgets = [w for w in home.walk_children(Widget) if not w.has_focus]
            counts = {w: applies[id(w)] for w in widgets}
    # Before: every widget three times (mount, and each of the two resumes of a new mode).
    assert all(count == 1 for count in counts.values()), {
        type(w).__name__: n for w, n in counts.items() if n != 1
    }


async def test_a_step_shown_again_is_restyled_only_if_the_app_changed_meanwhile(
    make_test_app: MakeApp,
) -> None:
    """Back to an unchanged app: the step keeps its styles. The app lost the terminal's
    focus meanwhile (App:blur styles): the whole step is styled again."""
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        app.go("norms")
        await pilot.pause()
        norms = app.screen
        app.go("setup")
        await pilot.pause()
        with counting_applies() as applies:
            app.go("norms")
            await pilot.pause()
        assert app.screen is norms
        assert applies[id(norms)] == 0  # Textual would have restyled every widget
        app.go("setup")
        await pilot.pause()
        app.post_message(events.AppBlur())  # the terminal lost the focus while Norms is away
        await pilot.pause()
        assert not app.app_focus
        with counting_applies() as applies:
            app.go("norms")
            await pilot.pause()
        assert applies[id(norms)] >= 1
