"""Provides TerminalMixin: what the app does about its terminal, its signals and its size.

A termination signal (the terminal closed, ``kill``, Ctrl+C from outside) saves what is
pending and exits, with a watchdog in case the dead terminal stalls the exit. Resizes are
passed on so that every burst ends on a whole frame (RELIABILITY T22), and the size the
terminal reported at start, which Home was drawn at, does not lay it out again.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual import events
from textual.app import ScreenError

if TYPE_CHECKING:
    from pmtui.app import PmtuiApp

    _Base = PmtuiApp
else:
    _Base = object

QUIT_WATCHDOG_S = 3.0
"""After a termination signal, how long a stalled exit may take before the process ends."""


class TerminalMixin(_Base):
    """Mixed into PmtuiApp before Textual's App: its handlers and overrides come first."""

    def _install_signal_handlers(self) -> None:
        """SIGTERM, SIGHUP (terminal closed) and SIGINT save what is pending, then exit 0."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            # Not the main thread (tests) or not supported here: keep Textual's handling.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, lambda: self.call_later(self._quit_on_signal))

    async def _quit_on_signal(self) -> None:
        """Save and exit; if the terminal is already gone, do not hang on restoring it.

        After SIGHUP the pty no longer exists: Textual's writer thread can block on the
        dead terminal forever while restoring it, leaving an orphan process. Everything is
        saved before that point, so a watchdog ends the process if the exit stalls.
        """
        import os
        import threading
        import time

        def watchdog() -> None:
            time.sleep(QUIT_WATCHDOG_S)
            os._exit(0)

        threading.Thread(target=watchdog, name="pmtui-quit-watchdog", daemon=True).start()
        await self.save_and_quit(force=True)

    _first_frame_drawn = False
    _resized_since_drawn = False
    """Whether a resize came after the first frame: before it, the first frame is drawn
    whole, at the size reported."""

    def _on_resize(self, event: events.Resize) -> None:
        # Runs before App._on_resize (Textual calls every class's handler, subclass first).
        if self._first_frame_drawn:
            self._resized_since_drawn = True

    def _mark_first_frame_drawn(self) -> None:
        self._first_frame_drawn = True

    def _check_resize(self) -> None:
        """Pass the last resize of a burst on to the screens, then repaint all of it.

        Textual 8.2 collapses resizes that arrive within 1/120 s (App._on_resize, a
        timer) and lays the screen out for the last size only. When a burst ends at the
        size the screen already had (away and back), the layout is unchanged, so only the
        lines changed meanwhile are sent, while the terminal itself was cleared or
        reflowed by the resize: it stays partly blank (RELIABILITY T22). Refreshing the
        whole screen makes the next frame a full one. Cost: one more frame per burst.
        """
        event = self._resize_event
        if event is not None and not self._resized_since_drawn:
            # The driver's report of the size the app starts at, kept until a screen
            # could take it. Home was laid out and drawn whole at that size: passed on,
            # it laid Home out and drew it all again, a second frame of the first paint.
            with contextlib.suppress(ScreenError):
                if self.screen.size == event.size:
                    self._resize_event = None
                    return
        pending = event is not None
        super()._check_resize()
        if pending and self._resize_event is None:  # passed on (kept when no screen yet)
            self.screen.refresh()
