"""Provides the child process the startup benchmark times: start, paint once, exit.

    python -m benchmarks.startup_child minimal
    python -m benchmarks.startup_child pmtui DB      # the app, as run_app starts it
    python -m benchmarks.startup_child command DB    # the `pmtui --db DB` command

Both run headless at 100×30 and exit as soon as the first whole frame of their screen
(the one Static; pmtui's Home) has been drawn, so the wall time of the whole process
(interpreter, imports, opening the database, composing, painting) is the cold start a
user waits for. Each then prints its own peak resident memory since exec
(``VmHWM_KB=…``) for the parent to read. That Home's first frame is the Home it settles
on (the footer's keys and the rows in it) is a test: tests/app/test_home.py.
"""

from __future__ import annotations

import sys
from typing import Any


def exit_at_first_frame(app: Any, screen_type: type) -> None:
    """Make ``app`` exit once a whole frame of a ``screen_type`` screen has been drawn.

    Textual hands each frame to ``App._display`` (headless, it is then not written); a
    frame drawn while updates are held (a batch) is thrown away, so it does not count.
    """
    from textual._compositor import LayoutUpdate

    display = app._display

    def display_then_exit(screen: object, renderable: object) -> None:
        display(screen, renderable)
        if (
            isinstance(renderable, LayoutUpdate)
            and isinstance(screen, screen_type)
            and not app._batch_count
            and app.is_running
        ):
            print("FRAME", flush=True)  # the parent's clock stops as this line arrives
            app._display = display
            # Exit once what waits for the first frame has run (pmtui notes the rules its
            # stylesheet cache keeps for the next start), as it does in a session.
            app.call_after_refresh(app.exit)

    app._display = display_then_exit


def run_minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

    app = Minimal()
    exit_at_first_frame(app, Screen)
    app.run(headless=True, size=(100, 30))


def run_pmtui(db: str, *, cached: bool = True) -> None:
    """The app as ``run_app`` starts it; ``cached=False``: without the stylesheet cache
    (as the first start after an install, or where bytecode is not written)."""
    import gc

    gc.disable()  # as `pmtui` does before it imports the app (pmtui/cli/__init__.py)
    from pathlib import Path

    from pmtui.app import APP_BUSY_TIMEOUT_S, PmtuiApp
    from pmtui.store import Listing
    from pmtui.stylesheet_cache import StylesheetCache, default_cache_path

    store = Listing.open(Path(db), timeout=APP_BUSY_TIMEOUT_S, defer_check=True)  # as run_app
    cache = StylesheetCache(default_cache_path()) if cached else None
    app = PmtuiApp(store, stylesheet_cache=cache)
    from pmtui.screens.home import HomeScreen  # the app imports it as it starts

    exit_at_first_frame(app, HomeScreen)
    app.run(headless=True, size=(100, 30))
    store.close()
    if cache is not None:
        cache.save()


def run_command(db: str) -> None:
    """The ``pmtui --db DB`` command itself: its argument parsing (click) included.

    The command imports the app right after it pauses garbage collection; the app's run
    is made headless (and to stop at the first frame) at that moment, so the app is
    imported as the command imports it.
    """
    import gc

    disable = gc.disable

    def disable_then_patch() -> None:
        disable()
        gc.disable = disable
        import pmtui.app

        run = pmtui.app.PmtuiApp.run

        def run_to_first_frame(app: Any, *args: Any, **kwargs: Any) -> Any:
            from pmtui.screens.home import HomeScreen

            exit_at_first_frame(app, HomeScreen)
            return run(app, *args, headless=True, size=(100, 30))

        pmtui.app.PmtuiApp.run = run_to_first_frame  # type: ignore[method-assign]

    gc.disable = disable_then_patch
    from pmtui.cli import main

    sys.argv = ["pmtui", "--db", db]
    try:
        main()
    except SystemExit as done:
        if done.code:
            raise


def peak_kb() -> int:
    """This process's peak resident set since exec (Linux ``VmHWM``), in KB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "minimal":
        run_minimal()
    elif sys.argv[1] == "command":
        run_command(sys.argv[2])
    else:
        run_pmtui(sys.argv[2], cached=sys.argv[1] != "pmtui-uncached")
    print(f"VmHWM_KB={peak_kb()}")  # after the app has exited and restored the terminal
