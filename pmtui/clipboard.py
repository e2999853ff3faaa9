"""Provides the one clipboard function: pyperclip when the system has a clipboard, OSC 52 always.

pyperclip raises PyperclipException (a RuntimeError) on headless Linux and over SSH;
OSC 52 asks the terminal itself to set the clipboard, which works over SSH but not
everywhere (tmux needs ``set-clipboard on``). We try both and say which one worked.
"""

from __future__ import annotations

from typing import Protocol

OSC52_WARN_BYTES = 100_000  # xterm's default limit for an OSC 52 payload


class _CopiesToTerminal(Protocol):
    def copy_to_clipboard(self, text: str) -> None: ...


def copy_text(app: _CopiesToTerminal, text: str) -> str:
    """Copy ``text``; return a sentence saying how (for a notification)."""
    size = len(text.encode("utf-8"))
    app.copy_to_clipboard(text)  # OSC 52; also sets App.clipboard for the app and the tests
    try:
        import pyperclip

        pyperclip.copy(text)
    except Exception:  # PyperclipException, or any backend failure: not the user's words
        message = (
            "Copied through the terminal (OSC 52); no system clipboard was found. "
            "If nothing arrives when you paste, export to a file instead."
        )
    else:
        message = "Copied to the system clipboard (and through the terminal, OSC 52)."
    if size > OSC52_WARN_BYTES:
        message += (
            f" It is {size // 1000} kB: many terminals drop OSC 52 copies over 100 kB, "
            "so export to a file if the paste comes out short."
        )
    return message
