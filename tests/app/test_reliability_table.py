"""Rows of RELIABILITY.md's test table that needed more than the screen tests give: T18, T21, T32.

T18: Hypothesis text made of markup pieces (``[``, ``[/]``, ``[bold``, ``[link=…]``,
``[@click=…]``, ``$var``) is written to the database in every kind of field and shown on
every screen; a MarkupError anywhere would end ``run_test`` with that exception.
T21: terminals from 0×0 up, as the first size and as a sequence of resizes: no exception,
the "terminal too small" notice below the minimum, the data as it was.
T32: a copy over 100 kB says it may not arrive whole and points to export, and the whole
text is what was copied (never truncated).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual._compositor import LayoutUpdate
from textual.geometry import Size

from pmtui.app import PmtuiApp
from pmtui.clipboard import OSC52_WARN_BYTES
from pmtui.domain.models import Postmortem
from pmtui.export.formats import render
from pmtui.screens.base import MIN_HEIGHT, MIN_WIDTH
from pmtui.store import Store
from pmtui.widgets.field import FieldEditor
from tests.app.conftest import NOW, reopen, screen_text
from tests.app.test_hostile import SCREENS

MakeApp = Callable[..., PmtuiApp]
DRAFT = "INC-2026-1126"
IDENT = "INC-2026-0777"
GLOBAL_MODES = ("home", "search", "dashboard", "taxonomy")

# ---- T18 ---------------------------------------------------------------------------------

MARKUP_PIECES = [
    "[",
    "]",
    "[/]",
    "[/",
    "[bold",
    "[bold]",
    "[b]x[/b]",
    "[link=https://example.com]",
    "[/link]",
    "[@click=app.quit]",
    "[@click=app.bell]",
    "[on red]",
    "[$accent]",
    "$accent",
    "\\[",
    "[[",
    "]]",
    ":smile:",
    "[red on ]",
    "[i",
]
markup_text = st.lists(
    st.one_of(st.sampled_from(MARKUP_PIECES), st.text(alphabet="[]/@=$\\ab x", max_size=6)),
    min_size=1,
    max_size=6,
).map("".join)


def markup_postmortem(texts: list[str]) -> Postmortem:
    """One postmortem with a markup text in each kind of field every screen shows."""

    def t(i: int) -> str:
        return texts[i % len(texts)]

    return Postmortem.model_validate(
        {
            "id": IDENT,
            "severity": "SEV-2",
            "title": "T " + t(0)[:40],
            "date_of_incident": "2026-11-20T10:00:00Z",
            "date_restored": "2026-11-20T11:00:00Z",
            "facilitator": t(1),
            "participants": [{"name": "n " + t(2), "role": t(3)}],
            "timeline": [
                {"time": "10:00", "event": "e " + t(4), "source": t(5), "decision_point": True},
                {"time": "10:05", "event": "e2 " + t(6), "context": t(7)},
            ],
            "impact": {"error_rate_peak": t(8), "affected_users_estimate": t(9)},
            "contributing_factors": [
                {
                    "description": "f " + t(10),
                    "whys": [{"question": "q " + t(11), "answer": "a " + t(12)}],
                    "systemic_property": "design",
                    "actions": ["A1"],
                }
            ],
            "what_helped": ["h " + t(13)],
            "what_hurt": ["x " + t(14)],
            "action_items": [
                {
                    "description": "d " + t(15),
                    "owner": "o " + t(16),
                    "ticket": t(17),
                    "due": "2026-11-21",
                }
            ],
            "service": "s " + t(18),
            "team": t(19),
            "failure_classes": ["markup-text"],
            "waivers": [{"code": "A-BLAME", "reason": "r " + t(20)}],
        }
    )


async def show(app: PmtuiApp, pilot: object, mode: str) -> None:
    if mode in GLOBAL_MODES:
        app.switch_mode(mode)
    else:
        app.go(mode)
    await pilot.pause()  # type: ignore[attr-defined]


# T18: hypothesis markup text, written to the DB, rendered on every screen.
@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(markup_text, min_size=21, max_size=21), markup_text)
async def test_markup_text_from_the_database_renders_literally_on_every_screen(
    make_test_app: MakeApp, sample_db: Path, texts: list[str], description: str
) -> None:
    doc = markup_postmortem(texts)
    with Store.open(sample_db, clock=lambda: NOW) as store:
        store.write_document(doc, replace=True)
        store.describe_class("markup-text", "c " + description)
    title = doc.title
    app = make_test_app()
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        assert app.open_postmortem(IDENT, "setup")
        for mode in SCREENS:
            await show(app, pilot, mode)
            assert app.is_running, mode
        # Literally: the header shows the title character for character, brackets and all.
        await show(app, pilot, "setup")
        header = screen_text(app).splitlines()[0]
        assert " ".join(title.split()) in " ".join(header.split())
        # The Search screen's hits and the palette's commands carry user text too.
        await show(app, pilot, "search")
        app.screen.query_one("#search-query").value = "T"  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.press(*"copy")
        await pilot.pause()
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause()
    # Leaving run_test re-raises any exception the app met (a MarkupError included).
    assert app.return_code in (0, None)


# ---- T21 ---------------------------------------------------------------------------------


def documents(path: Path) -> dict[str, dict[str, object]]:
    with reopen(path) as store:
        return {i: store.load(i).model_dump(mode="json") for i in store.ids()}


NOTICE = "".join(f"Terminal too small — pmtui needs at least {MIN_WIDTH}×{MIN_HEIGHT}.".split())


def check_frame(app: PmtuiApp, width: int, height: int) -> None:
    """What a frame of this size must show (Textual keeps the last frame for a 0 side)."""
    assert app.is_running, (width, height)
    if width == 0 or height == 0:
        return
    shown = "".join(screen_text(app).split())  # wrapping may cut anywhere at width 1
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        # The notice, or as much of its start as fits; never a piece of the broken layout.
        assert shown and NOTICE.startswith(shown), (width, height, shown)
        if width >= 10 and height >= 3:
            assert shown.startswith("Terminaltoosmall"), (width, height, shown)
    else:
        assert "toosmall" not in shown, (width, height)


@pytest.mark.parametrize("mode", ["home", "setup", "factors", "review"])
@pytest.mark.parametrize("size", [(0, 0), (1, 1), (10, 3), (20, 5)])
async def test_starting_in_a_tiny_terminal(
    make_test_app: MakeApp, sample_db: Path, size: tuple[int, int], mode: str
) -> None:
    """T21: the tiny sizes of the table as the size the app starts in."""
    before = documents(sample_db)
    app = make_test_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if mode != "home":
            app.open_postmortem(DRAFT, mode)
        await pilot.pause()
        check_frame(app, *size)
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        check_frame(app, 100, 30)
        assert DRAFT in screen_text(app)
    assert documents(sample_db) == before


sizes = st.tuples(st.integers(0, 130), st.integers(0, 45))


# T21: hypothesis over sequences of sizes, 0×0 included, with pilot.resize_terminal.
@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(["setup", "timeline", "factors", "actions", "review", "home"]),
    st.lists(
        st.one_of(sizes, st.sampled_from([(0, 0), (1, 1), (10, 3), (20, 5), (59, 16), (60, 15)])),
        min_size=1,
        max_size=12,
    ),
)
async def test_any_sequence_of_sizes_shows_the_notice_and_keeps_the_data(
    make_test_app: MakeApp, sample_db: Path, mode: str, sequence: list[tuple[int, int]]
) -> None:
    before = documents(sample_db)
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        if mode == "home":
            app.switch_mode("home")
        else:
            app.go(mode)
        await pilot.pause()
        for width, height in sequence:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            check_frame(app, width, height)
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        check_frame(app, 100, 30)
        # Nothing typed, nothing changed: the fields still hold what is stored.
        app.go("setup")
        await pilot.pause()
        title = next(e for e in app.screen.query(FieldEditor) if e.field == "title")
        assert title.value == before[DRAFT]["title"]
    assert documents(sample_db) == before


# ---- T32 ---------------------------------------------------------------------------------


def notes(app: PmtuiApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.title == "Clipboard"]


@pytest.mark.parametrize("big", [False, True], ids=["small", "over-100kB"])
async def test_a_copy_over_100_kb_warns_and_offers_export_and_is_whole(
    make_test_app: MakeApp, sample_db: Path, monkeypatch: pytest.MonkeyPatch, big: bool
) -> None:
    """T32: the whole text goes out (OSC 52 and pyperclip); over 100 kB a warning says so."""
    import pyperclip

    if big:
        with Store.open(sample_db, clock=lambda: NOW) as store:
            store.add_text(DRAFT, "what_hurt", "A long log excerpt. " * 7_000)
    system: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", system.append)  # never the real clipboard
    app = make_test_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        sent: list[str] = []
        assert app._driver is not None
        write = app._driver.write
        monkeypatch.setattr(app._driver, "write", lambda data: (sent.append(data), write(data)))
        assert app.open_postmortem(DRAFT, "review")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.session is not None
        expected = render(app.session.doc, "md")
    assert (len(expected.encode()) > OSC52_WARN_BYTES) is big
    # Whole, never cut: the app's clipboard, the system one, and the OSC 52 payload.
    assert app.clipboard == expected
    assert system == [expected]
    payloads = [s for s in sent if s.startswith("\x1b]52;c;")]
    assert len(payloads) == 1
    assert base64.b64decode(payloads[0][len("\x1b]52;c;") : -1]).decode() == expected
    (message,) = notes(app)
    if big:
        assert f"{len(expected.encode()) // 1000} kB" in message
        assert "over 100 kB" in message
        assert "export to a file" in message
    else:
        assert "kB" not in message


# ---- T22 -----------------------------------------------------------------------------------


async def resize_twice_in_one_tick(app: PmtuiApp, pilot: object, *sizes: Size) -> None:
    """Post Resize events back to back, as a terminal's SIGWINCHes arrive in a storm, and
    wait (polling, with a deadline) until the app has passed the last one to the screen."""
    for size in sizes:
        app._driver._size = size  # type: ignore[union-attr]  # the headless "terminal"
        app.post_message(events.Resize(size, size))
    deadline = time.monotonic() + 5
    while app._resize_timer is not None or app._resize_event is not None:
        assert time.monotonic() < deadline, "the app never passed the resize on"
        await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "storm",
    [
        pytest.param((Size(50, 10), Size(100, 30)), id="away-and-back"),
        # away and back before the app read the size: one SIGWINCH, the same size
        pytest.param((Size(100, 30),), id="same-size"),
        pytest.param((Size(50, 10), Size(120, 35)), id="to-a-new-size"),
    ],
)
async def test_every_resize_repaints_the_whole_terminal(
    make_test_app: MakeApp, storm: tuple[Size, ...]
) -> None:
    """T22: after a storm, the terminal gets a whole new frame.

    The terminal truncates what it shows when it shrinks, so the frame drawn after the
    last resize must be a full one. Textual 8.2 collapses resizes that arrive within
    1/120 s (App._on_resize, a timer) and, when the last size equals the size the screen
    had, lays out unchanged and sends only the changed lines (a ChopsUpdate): the rest of
    the terminal stayed blank (tmux showed it about one storm in six) until
    PmtuiApp._check_resize repainted the whole screen after every resize.
    """
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        shown: list[object] = []
        display = app._display
        app._display = lambda screen, update: (shown.append(update), display(screen, update))  # type: ignore[method-assign]
        await resize_twice_in_one_tick(app, pilot, *storm)
        assert app.is_running
        final = storm[-1]
        full = [u for u in shown if isinstance(u, LayoutUpdate) and u.region.size == final]
        assert full, [type(u).__name__ for u in shown]
