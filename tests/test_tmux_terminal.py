"""The real app in a real terminal (tmux), continued: SIGINT and Ctrl+C (T03), escape
sequences from user data never reaching the terminal (T20), a storm of resizes (T22).

Each test runs its own tmux server (``-L``, a private socket, a config file of its own),
so the options set here (``set-clipboard on``) touch no one else's tmux, and the server
is killed at the end. Waits are bounded polls for a condition, never a fixed sleep as
synchronisation.

T20, the part that cannot be automated here: a *pasted* ESC. An ESC inside a bracketed
paste never reaches the app as part of a paste: Textual 8.2's input parser
(textual/_xterm_parser.py) reads what follows the ESC as an escape sequence and reissues
it as key events, outside the paste text, so no test can deliver "a paste holding
``ESC]0;…``" to the app through a terminal. Real terminals do not send one either: xterm
drops control characters from pastes unless ``allowPasteControls`` is set, and Alacritty,
kitty and others filter ESC from pasted text. Pastes without ESC (C1 CSI ``\\x9b``,
U+202E, U+2066) are pasted below through tmux; a Paste event holding ESC is posted
straight to the widget under Pilot in tests/app/test_hostile.py; and text holding raw ESC
written to the database by another program is shown below and checked on the wire and
on tmux's side.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from pmtui.domain.text import has_unsafe_characters
from pmtui.sample import build_sample_database
from tests.test_tmux import TMUX_ENV, integrity, title_in

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

DRAFT = "INC-2026-1126"


def wait_for(condition, timeout: float = 20.0, screen=None) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    shown = f"; the screen was:\n{screen()}" if screen is not None else ""
    raise AssertionError(f"condition not met in time{shown}")




class Tmux:
    """One private tmux server with one session running ``command`` in a 100×30 window."""

    def __init__(self, tmp_path: Path, command: str, config: str = "") -> None:
        self.socket = f"pmtui-test-{uuid.uuid4().hex[:8]}"
        conf = tmp_path / f"{self.socket}.conf"
        conf.write_text(config, encoding="utf-8")
        self.run("-f", str(conf), "new-session", "-d", "-s", "t", "-x", "100", "-y", "30", command)
        self.socket_path = Path(self.show("#{socket_path}"))

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=True,
            env=TMUX_ENV,
        )

    def screen(self, *flags: str) -> str:
        return self.run("capture-pane", "-p", *flags, "-t", "t").stdout

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "t", *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", "t", "-l", text)

    def show(self, fmt: str) -> str:
        return self.run("display-message", "-p", "-t", "t", fmt).stdout.strip()

    def alive(self) -> bool:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "has-session", "-t", "t"], capture_output=True, env=TMUX_ENV
        )
        return done.returncode == 0

    def app_pid(self) -> int:
        """The pmtui process: the pane's shell runs it as a child."""
        pane = int(self.show("#{pane_pid}"))
        children = subprocess.run(["pgrep", "-P", str(pane)], capture_output=True, text=True)
        pids = [int(p) for p in children.stdout.split()]
        return pids[0] if pids else pane

    def close(self) -> None:
        subprocess.run(
            ["tmux", "-L", self.socket, "kill-server"], capture_output=True, env=TMUX_ENV
        )
        self.socket_path.unlink(missing_ok=True)  # kill-server leaves the socket file


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "meeting.db"
    build_sample_database(path)
    return path


def pmtui_line(db: Path, tmp_path: Path, *, open_id: str | None = DRAFT) -> str:
    env = f"XDG_STATE_HOME={tmp_path / 'state'} TERM=xterm-256color"
    line = f"{env} {sys.executable} -m pmtui --db {db}"
    return line + (f" --open {open_id}" if open_id else "")


def until_exit(db: Path, tmp_path: Path, rc_file: Path) -> str:
    """Run pmtui, write its exit code, then keep the pane open so its last output is read."""
    return f"{pmtui_line(db, tmp_path)}; echo $? > {rc_file}; read _"


def wal_is_empty(db: Path) -> bool:
    wal = Path(f"{db}-wal")
    return not wal.exists() or wal.stat().st_size == 0


def start_typing_title(terminal: Tmux) -> None:
    """Clear the title field once the app takes keys (see tests/test_tmux.py: keys typed
    while the terminal still answers Textual's start-up queries can be lost)."""
    wait_for(lambda: "Who is in the room" in terminal.screen(), screen=terminal.screen)

    def probe_echoed() -> bool:
        terminal.keys("End")
        terminal.type("~")
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            if "~" in terminal.screen():
                return True
            time.sleep(0.05)
        return False

    wait_for(probe_echoed)
    terminal.keys("C-u")
    wait_for(lambda: "what happened, in a line" in terminal.screen())


def exit_code(rc_file: Path) -> str:
    return rc_file.read_text().strip() if rc_file.exists() else ""


# ---- T03: SIGINT and Ctrl+C ----------------------------------------------------------------


# T03: SIGINT (kill -INT, or Ctrl+C where the terminal still turns it into a signal).
def test_sigint_saves_what_was_being_typed_and_exits_0(db: Path, tmp_path: Path) -> None:
    rc_file = tmp_path / "rc"
    terminal = Tmux(tmp_path, until_exit(db, tmp_path, rc_file))
    try:
        start_typing_title(terminal)
        terminal.type("Typed, then SIGINT")
        wait_for(lambda: "Typed, then SIGINT" in terminal.screen())
        assert title_in(db) != "Typed, then SIGINT"  # inside the debounce window: not saved
        os.kill(terminal.app_pid(), signal.SIGINT)
        wait_for(lambda: exit_code(rc_file) != "", screen=terminal.screen)
        after = terminal.screen()
    finally:
        terminal.close()
    assert exit_code(rc_file) == "0"
    assert "Traceback" not in after and "KeyboardInterrupt" not in after
    assert title_in(db) == "Typed, then SIGINT"
    assert integrity(db) == "ok"
    assert wal_is_empty(db)


# T03: the Ctrl+C *key*. The app's terminal is in raw mode, so Ctrl+C is a key press, not
# SIGINT: pmtui binds it (before Textual's help_quit and a field's "copy") to save and quit.
def test_ctrl_c_key_saves_and_exits_0(db: Path, tmp_path: Path) -> None:
    rc_file = tmp_path / "rc"
    terminal = Tmux(tmp_path, until_exit(db, tmp_path, rc_file))
    try:
        start_typing_title(terminal)
        terminal.type("Typed, then Ctrl+C")
        wait_for(lambda: "Typed, then Ctrl+C" in terminal.screen())
        terminal.keys("C-c")
        wait_for(lambda: exit_code(rc_file) != "", screen=terminal.screen)
        after = terminal.screen()
    finally:
        terminal.close()
    assert exit_code(rc_file) == "0"
    assert "Traceback" not in after
    assert title_in(db) == "Typed, then Ctrl+C"
    assert integrity(db) == "ok"
    assert wal_is_empty(db)


# ---- T20: escape sequences from user data ---------------------------------------------------

CLIP = base64.b64encode(b"CLIPTOKEN").decode()
HOSTILE_TITLE = (
    f"Pwn \x1b]0;TITLETOKEN\x07 \x1b]52;c;{CLIP}\x07 \x1b[2J\x1b[6mBLINK "
    "\x9b31mRED \u202eRLOTOKEN\x00 end"
)
# What may never appear in the bytes the app writes: each comes only from the data above.
# (Textual itself writes no OSC 0 title, no OSC 52 unless asked to copy, no ESC[2J, no
# blink, no C1 CSI, no bidi override and no NUL; the wire check says so for this run.)
FORBIDDEN = {
    "OSC 0 title": b"\x1b]0;",
    "the title token": b"TITLETOKEN",
    "OSC 52": b"\x1b]52;",
    "the clipboard payload": CLIP.encode(),
    "ESC[2J": b"\x1b[2J",
    "ESC[6m": b"\x1b[6m",
    "C1 CSI (U+009B)": "\x9b".encode(),
    "U+202E": "\u202e".encode(),
    "NUL": b"\x00",
}
TERMINAL_CONFIG = "set -g set-clipboard on\nset -g allow-rename on\n"


def leaked(log: Path) -> dict[str, int]:
    """Which forbidden sequences the recording holds, and how often."""
    wire = log.read_bytes() if log.exists() else b""
    return {name: wire.count(needle) for name, needle in FORBIDDEN.items() if needle in wire}


def blinks(sgr_line: str) -> bool:
    """True when an SGR sequence on the line turns blink on (5 or 6), skipping colours."""
    for params in re.findall(r"\x1b\[([0-9;]*)m", sgr_line):
        values = [int(v or 0) for v in params.split(";")]
        i = 0
        while i < len(values):
            if values[i] in (38, 48, 58) and i + 1 < len(values):
                i += 3 if values[i + 1] == 5 else 5
                continue
            if values[i] in (5, 6):
                return True
            i += 1
    return False


def test_escape_sequences_in_stored_text_never_reach_the_terminal(db: Path, tmp_path: Path) -> None:
    """T20 on the wire: text with raw OSC/CSI/C1/bidi/NUL, written by another program."""
    conn = sqlite3.connect(db)
    conn.execute("UPDATE postmortems SET title = ? WHERE id = ?", [HOSTILE_TITLE, DRAFT])
    conn.commit()
    conn.close()
    log = tmp_path / "pane.log"
    canary = base64.b64encode(b"CANARY").decode()
    # The controls first: the same tmux does obey OSC 0 and OSC 52 from the pane, so a
    # sequence that got through would show. Then wait for Enter, so the recording below
    # starts before pmtui writes its first byte.
    command = (
        f"printf '\\033]0;CANARYTITLE\\007\\033]52;c;{canary}\\007'; read _; "
        f"{pmtui_line(db, tmp_path, open_id=None)}"
    )
    terminal = Tmux(tmp_path, command, TERMINAL_CONFIG)
    try:
        wait_for(lambda: terminal.show("#{pane_title}") == "CANARYTITLE")
        wait_for(lambda: "CANARY" in terminal.run("show-buffer").stdout)
        terminal.run("pipe-pane", "-o", "-t", "t", f"cat >> {log}")
        terminal.keys("Enter")
        # Home lists the stored title as it is in the file (not through the model).
        wait_for(lambda: "RLOTOKEN" in terminal.screen() or leaked(log), screen=terminal.screen)
        home = terminal.screen("-e")
        terminal.keys("Enter")  # open it: the header and the Title field show it too
        wait_for(
            lambda: "Who is in the room" in terminal.screen() or leaked(log),
            screen=terminal.screen,
        )
        wait_for(
            lambda: terminal.screen().count("RLOTOKEN") >= 2 or leaked(log),
            screen=terminal.screen,
        )
        meeting = terminal.screen("-e")
        pane_title = terminal.show("#{pane_title}")
        buffers = terminal.run("list-buffers", "-F", "#{buffer_sample}").stdout
        wire = log.read_bytes()
    finally:
        terminal.close()
    assert pane_title == "CANARYTITLE"  # no OSC 0 from the data retitled the terminal
    assert "CLIPTOKEN" not in buffers and CLIP not in buffers  # no OSC 52 set a buffer
    assert leaked(log) == {}
    assert b"RLOTOKEN" in wire  # the recording holds the frames that showed the data
    for frame in (home, meeting):
        for line in frame.splitlines():
            if "RLOTOKEN" in line:
                plain = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", line).split())
                assert "Pwn BLINK RED RLOTOKEN end" in plain
                assert not blinks(line), repr(line)


def test_a_paste_of_c1_and_bidi_controls_is_cleaned(db: Path, tmp_path: Path) -> None:
    """T20 for a real bracketed paste (tmux paste-buffer -p) without ESC: see the module
    docstring for why a paste holding ESC cannot be delivered as a paste."""
    terminal = Tmux(tmp_path, pmtui_line(db, tmp_path))
    try:
        start_typing_title(terminal)
        terminal.run("set-buffer", "-b", "p", "Pasted \u202eRLO\u009b31m C1 \u2066iso\u2069 end")
        terminal.run("paste-buffer", "-p", "-b", "p", "-t", "t")
        wait_for(lambda: "Pasted" in terminal.screen(), screen=terminal.screen)
        terminal.keys("Enter")  # Enter confirms the field: saved now
        wait_for(lambda: title_in(db).startswith("Pasted"), screen=terminal.screen)
        shown = terminal.screen()
    finally:
        terminal.close()
    title = title_in(db)
    assert title == "Pasted RLO C1 iso end"
    assert not has_unsafe_characters(title)
    assert "\u202e" not in shown and "\x9b" not in shown and "\u2066" not in shown


# ---- T22: a storm of resizes ----------------------------------------------------------------


@pytest.mark.parametrize(
    "final", [(110, 32), (100, 30)], ids=["to-a-new-size", "back-where-it-started"]
)
def test_a_storm_of_100_resizes_ends_on_a_correct_frame(
    db: Path, tmp_path: Path, final: tuple[int, int]
) -> None:
    """T22 in a real terminal: 100 resize-window commands in one burst, tiny sizes included.

    The storm ends at a size it never passed through, or where it started (100x30): that
    one left the terminal partly blank about one storm in six until PmtuiApp._check_resize
    repainted the whole screen after every resize (Textual 8.2 sent only the changed lines
    when the last size equalled the screen's; tests/app/test_reliability_table.py pins it).
    """
    sizes = [(1 + (i * 37) % 200, 1 + (i * 13) % 60) for i in range(100)]
    assert final not in sizes and (100, 30) not in sizes
    terminal = Tmux(tmp_path, pmtui_line(db, tmp_path))
    try:
        wait_for(lambda: "Who is in the room" in terminal.screen(), screen=terminal.screen)
        pid = terminal.app_pid()
        storm: list[str] = []
        for width, height in sizes:
            storm += ["resize-window", "-t", "t", "-x", str(width), "-y", str(height), ";"]
        terminal.run(*storm, "resize-window", "-t", "t", "-x", str(final[0]), "-y", str(final[1]))
        assert terminal.show("#{window_width}x#{window_height}") == f"{final[0]}x{final[1]}"

        def settled() -> bool:
            lines = terminal.screen().splitlines()
            return (
                len(lines) == final[1]
                and lines[0].startswith(f" {DRAFT}")
                and "Who is in the room" in lines[2]
                and "Participants" in "\n".join(lines)
                and "^q Quit" in lines[-1]
            )

        wait_for(settled, screen=terminal.screen)
        frame = terminal.screen()
        assert terminal.alive() and terminal.app_pid() == pid
    finally:
        terminal.close()
    assert "too small" not in frame
    assert all(len(line) <= final[0] for line in frame.splitlines())
