"""Provides the child process the startup benchmark times: start, paint once, exit.

    python -m benchmarks.startup_child minimal
    python -m benchmarks.startup_child pmtui DB

Both run headless at 100×30 and exit right after their first screen has been
refreshed, so the wall time of the whole process (interpreter, imports, opening the
database, composing, painting) is the cold start a user waits for. Each then prints its
own peak resident memory since exec (``VmHWM_KB=…``) for the parent to read.
"""

from __future__ import annotations

import sys


def run_minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

        def on_mount(self) -> None:
            self.call_after_refresh(self.exit)

    Minimal().run(headless=True, size=(100, 30))


def run_pmtui(db: str) -> None:
    import gc

    gc.disable()  # as `pmtui` does before it imports the app (pmtui/cli/__init__.py)
    from pathlib import Path

    from pmtui.app import APP_BUSY_TIMEOUT_S, PmtuiApp
    from pmtui.store import Listing

    class FirstPaint(PmtuiApp):
        def on_mount(self) -> None:
            # Textual runs PmtuiApp.on_mount too; the home screen is then drawn, then we go.
            self.call_after_refresh(self.call_after_refresh, self.exit)

    store = Listing.open(Path(db), timeout=APP_BUSY_TIMEOUT_S, defer_check=True)  # as run_app
    FirstPaint(store).run(headless=True, size=(100, 30))
    store.close()


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
    else:
        run_pmtui(sys.argv[2])
    print(f"VmHWM_KB={peak_kb()}")  # after the app has exited and restored the terminal
