"""Provides ``pmtui screenshots``: an SVG of every screen, rendered from the sample data.

The app runs headless at a fixed size on a temporary copy of the sample database with
a frozen clock, so the same code renders the same files: the captures in ``screens/``
change only when a screen does. To capture a new screen, add a :class:`Shot` to
:data:`SHOTS`; a shot whose mode or key does not exist yet is skipped, not an error.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SIZE = (100, 30)
CLOCK = dt.datetime(2026, 11, 27, 16, 0, tzinfo=dt.UTC)
"""The afternoon of INC-2026-1126's meeting (the sample's own clock)."""
DB_NAME = "sample.db"  # what the Home screen shows as the database

DRAFT = "INC-2026-1126"  # the half-done meeting: shows findings on every step
DONE = "INC-2026-0114"  # the article's incident, complete and published


@dataclass(frozen=True)
class Shot:
    """One capture: open ``ident`` (or none) on ``mode``, press ``keys``, save ``name``.svg."""

    name: str
    mode: str
    ident: str | None = DRAFT
    keys: tuple[str, ...] = ()
    title: str = ""
    expect: str = ""
    """A screen class name that must be on top after the keys (else the shot is skipped)."""


SHOTS: tuple[Shot, ...] = (
    Shot("01-home", "home", None, title="The list of postmortems"),
    Shot("02-setup", "setup", title="Setup"),
    Shot("03-norms", "norms", title="Norms"),
    Shot("04-past", "past", title="Past incidents"),
    Shot("05-timeline", "timeline", title="Timeline"),
    Shot("06-impact", "impact", title="Impact"),
    Shot("07-factors", "factors", title="Contributing factors and five whys"),
    Shot("08-lessons", "lessons", title="What helped, what hurt"),
    Shot("09-actions", "actions", title="Action items"),
    Shot("10-review", "review", title="Review: what still blocks completion"),
    Shot("11-review-published", "review", DONE, title="Review of a published postmortem"),
    Shot(
        "12-timeline-walk",
        "timeline",
        keys=("w",),
        title="Timeline walk mode",
        expect="TimelineScreen",
    ),
    Shot(
        "13-close-chain", "factors", keys=("c",), title="Closing a why-chain", expect="PickDialog"
    ),
    Shot(
        "14-past-recurrence",
        "past",
        DONE,
        keys=("down",),
        title="A past incident's action item never completed",
    ),
    Shot("15-search", "search", None, title="Search the knowledge base"),
    Shot("16-dashboard", "dashboard", None, title="Error budgets and practice metrics"),
    Shot("17-failure-classes", "taxonomy", None, title="Failure classes"),
)


@contextlib.contextmanager
def _inside(directory: Path) -> Iterator[None]:
    """Run with ``directory`` as the working directory (the database is opened relative
    to it, so no temporary path appears in the captures)."""
    before = Path.cwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(before)


def _steady(app: object) -> None:
    """Stop cursors blinking, so a capture never catches one half-way."""
    from textual.widgets import Input, TextArea

    screen = app.screen  # type: ignore[attr-defined]
    for widget in screen.query(Input):
        widget.cursor_blink = False
    for area in screen.query(TextArea):
        area.cursor_blink = False


async def _fresh(app: Any, pilot: Any, mode: str) -> None:
    """Back on Home with no dialog open, and ``mode``'s screen rebuilt from scratch, so one
    capture's keys never leak into the next (one app for all: startup is the slow part)."""
    for stack in app._screen_stacks.values():
        while len(stack) > 1:
            stack.pop().remove()
    if app.current_mode != "home":
        app.switch_mode("home")
        await pilot.pause()
    if mode != "home":
        factory = app._modes[mode]
        await app.remove_mode(mode)
        app.add_mode(mode, factory)


async def _capture(directory: Path, shots: tuple[Shot, ...], size: tuple[int, int]) -> list[Path]:
    from pmtui.app import PmtuiApp
    from pmtui.store import Store

    written: list[Path] = []
    store = Store.open(Path(DB_NAME), clock=lambda: CLOCK)
    try:
        app = PmtuiApp(store)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for shot in shots:
                if shot.mode not in app.MODES:
                    continue  # not built yet
                await _fresh(app, pilot, shot.mode)
                if shot.ident is not None:
                    # A new session for every capture (open_postmortem would continue the
                    # last one): what one shot saved, e.g. the Past step recording its
                    # search, must not show as "saved" in the next one's header.
                    if not app._open_now(shot.ident, shot.mode):
                        continue
                elif shot.mode != "home":
                    app.switch_mode(shot.mode)
                await pilot.pause()
                for key in shot.keys:
                    await pilot.press(key)
                    await pilot.pause()
                if shot.expect and type(app.screen).__name__ != shot.expect:
                    continue
                _steady(app)
                await pilot.wait_for_scheduled_animations()
                await pilot.pause()
                svg = app.export_screenshot(title=f"pmtui — {shot.title or shot.name}")
                target = directory / f"{shot.name}.svg"
                target.write_text(svg, encoding="utf-8")
                written.append(target)
    finally:
        store.close()
    return written


def take_screenshots(
    directory: Path, *, shots: tuple[Shot, ...] | None = None, size: tuple[int, int] = SIZE
) -> list[Path]:
    """Render ``shots`` (default: :data:`SHOTS`) into ``directory``; returns the files written."""
    from pmtui.sample import build_sample_database

    directory = directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pmtui-screens-") as temp:
        work = Path(temp)
        build_sample_database(work / DB_NAME)
        with _inside(work):
            return asyncio.run(_capture(directory, SHOTS if shots is None else shots, size))
