"""The real app in a real terminal (tmux): kill -9 while typing, SIGTERM, SIGHUP (T02, T03).

These drive the installed entry point exactly as a person would, read the screen with
capture-pane, and check the database afterwards. Waits are bounded polls for a condition
(the screen showing something, the file holding something), never a fixed sleep as
synchronisation; the one fixed pause is the debounce window under test itself.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from pmtui.sample import build_sample_database
from pmtui.widgets.field import IDLE_COMMIT_SECONDS

# The environment for tmux, and so for pmtui in its pane: Python's own ``os.environ``, passed
# explicitly. Without ``env=``, a child inherits the C-level environment, where GNU
# readline (imported in the pytest process) has set COLUMNS=80 and LINES=24; Textual reads
# its size through shutil.get_terminal_size(), which prefers those variables, and would
# draw 80×24 in a 100×30 pane and never follow a resize.
TMUX_ENV = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

DRAFT = "INC-2026-1126"


def wait_for(
    condition: Callable[[], bool], timeout: float = 20.0, screen: Callable[[], str] | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    shown = f"; the screen was:\n{screen()}" if screen is not None else ""
    raise AssertionError(f"condition not met in time{shown}")


class Terminal:
    def __init__(self, command: str) -> None:
        self.name = f"pmtui-test-{uuid.uuid4().hex[:8]}"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", "100", "-y", "30", command],
            check=True,
            env=TMUX_ENV,  # without COLUMNS/LINES, so the app draws at the pane's size
        )

    def screen(self) -> str:
        result = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return result.stdout

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)

    def pane_pid(self) -> int:
        result = subprocess.run(
            ["tmux", "display-message", "-p", "-t", self.name, "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        )
        return int(result.stdout.strip())

    def alive(self) -> bool:
        return (
            subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode
            == 0
        )

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def title_in(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT title FROM postmortems WHERE id = ?", [DRAFT]).fetchone()[0]
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "meeting.db"
    build_sample_database(path)
    return path


def pmtui_command(
    db: Path, tmp_path: Path, rc_file: Path | None = None, *, role: str = "facilitator"
) -> str:
    env = f"XDG_STATE_HOME={tmp_path / 'state'} TERM=xterm-256color"
    line = f"{env} {sys.executable} -m pmtui --db {db} --open {DRAFT} --role {role}"
    if rc_file is not None:
        line += f"; echo $? > {rc_file}"
    return line


def app_pid(terminal: Terminal) -> int:
    """The pmtui process in the pane (the pane runs a shell when we capture the exit code)."""
    pane = terminal.pane_pid()
    children = subprocess.run(["pgrep", "-P", str(pane)], capture_output=True, text=True)
    pids = [int(p) for p in children.stdout.split()]
    return pids[0] if pids else pane


def start_typing_title(terminal: Terminal) -> None:
    """Clear the title field (focused first on Setup) once the app takes keystrokes.

    Right after start-up the terminal is still answering Textual's capability queries, and
    keys typed in that moment can be lost in the exchange; a probe character that shows up
    on screen says the app is listening.
    """
    wait_for(lambda: "Who is in the room" in terminal.screen())

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


# T02 (RELIABILITY.md)
def test_kill_9_loses_at_most_the_debounce_window(db: Path, tmp_path: Path) -> None:
    terminal = Terminal(pmtui_command(db, tmp_path))
    try:
        start_typing_title(terminal)
        terminal.type("Typed before the crash")
        wait_for(lambda: title_in(db) == "Typed before the crash")  # committed after a pause
        terminal.type(" and more")
        os.kill(app_pid(terminal), signal.SIGKILL)  # inside the debounce window
        wait_for(lambda: not terminal.alive() or "$" in terminal.screen(), timeout=10)
    finally:
        terminal.close()
    assert title_in(db) == "Typed before the crash"
    assert integrity(db) == "ok"

    # Restart: the app says what it recovered, and shows the last committed value.
    again = Terminal(pmtui_command(db, tmp_path))
    try:
        wait_for(
            lambda: "Recovered" in again.screen() or "ended without closing" in again.screen(),
            screen=again.screen,
        )
        wait_for(lambda: "Typed before the crash" in again.screen())
        assert "saved" in again.screen() or "last saved" in again.screen()
    finally:
        again.close()


# T03 (RELIABILITY.md)
def test_sigterm_saves_what_was_being_typed_and_exits_0(db: Path, tmp_path: Path) -> None:
    rc_file = tmp_path / "rc"
    terminal = Terminal(pmtui_command(db, tmp_path, rc_file))
    try:
        start_typing_title(terminal)
        terminal.type("Typed, then SIGTERM")
        time.sleep(IDLE_COMMIT_SECONDS / 4)  # well inside the debounce window: not yet saved
        assert title_in(db) != "Typed, then SIGTERM"
        os.kill(app_pid(terminal), signal.SIGTERM)
        wait_for(lambda: rc_file.exists() and rc_file.read_text().strip() != "")
    finally:
        terminal.close()
    assert rc_file.read_text().strip() == "0"
    assert title_in(db) == "Typed, then SIGTERM"
    assert integrity(db) == "ok"
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it has exited all the same.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


# T03 (RELIABILITY.md)
def test_terminal_closed_sighup_saves_pending_text_and_exits(db: Path, tmp_path: Path) -> None:
    terminal = Terminal(pmtui_command(db, tmp_path))
    start_typing_title(terminal)
    pid = app_pid(terminal)
    terminal.type("Typed, then the window closed")
    time.sleep(IDLE_COMMIT_SECONDS / 4)
    terminal.close()  # tmux kill-session sends SIGHUP to the pane
    wait_for(lambda: title_in(db) == "Typed, then the window closed")
    assert integrity(db) == "ok"
    # With its terminal gone the app must still end, not linger as an orphan.
    wait_for(lambda: not alive(pid), timeout=15)


def whys_in(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT w.answer FROM why_steps w JOIN contributing_factors f ON w.factor_id = f.id"
            " WHERE f.postmortem_id = ? ORDER BY f.position, w.position",
            [DRAFT],
        )
        return [answer for (answer,) in rows]
    finally:
        conn.close()


# T03 (RELIABILITY.md)
def test_sigterm_saves_a_why_typed_in_the_open_prompt(db: Path, tmp_path: Path) -> None:
    """The prompt is not a field: no debounce ever saves it, only Enter — or quitting."""
    rc_file = tmp_path / "rc"
    terminal = Terminal(pmtui_command(db, tmp_path, rc_file, role="scribe"))
    try:
        wait_for(
            lambda: "What else made this possible?" in terminal.screen(), screen=terminal.screen
        )

        def prompt_open() -> bool:  # keys right after start-up can be lost: ask again
            terminal.keys("w")
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                shown = terminal.screen()
                if "Enter saves" in shown or "Esc to close" in shown:  # typed / still empty
                    return True
                time.sleep(0.05)
            return False

        wait_for(prompt_open, screen=terminal.screen)
        if "answer w" in terminal.screen():
            terminal.keys("BSpace")  # a second "w" landed in the answer
        terminal.type("Because the consumer never reconnects")
        wait_for(lambda: "never reconnects" in terminal.screen(), screen=terminal.screen)
        os.kill(app_pid(terminal), signal.SIGTERM)
        wait_for(lambda: rc_file.exists() and rc_file.read_text().strip() != "")
    finally:
        terminal.close()
    assert rc_file.read_text().strip() == "0"
    assert whys_in(db)[-1] == "Because the consumer never reconnects", whys_in(db)
    assert integrity(db) == "ok"


# T02 (RELIABILITY.md)
def test_kill_9_with_a_scribe_connected_is_recovered_by_the_restart(
    db: Path, tmp_path: Path
) -> None:
    """The recovery report belongs to the restarted terminal, not to the one still open."""
    scribe = Terminal(pmtui_command(db, tmp_path, role="scribe"))
    facilitator = Terminal(pmtui_command(db, tmp_path))
    again = None
    try:

        def connected(terminal: Terminal, other: str) -> bool:
            head = terminal.screen().partition("\n")[0]
            return "⇄" in head and other in head.partition("⇄")[2]

        wait_for(lambda: connected(scribe, "facilitator"), screen=scribe.screen)
        wait_for(lambda: connected(facilitator, "scribe"), screen=facilitator.screen)
        killed = app_pid(facilitator)
        os.kill(killed, signal.SIGKILL)
        # The scribe checks presence every few seconds: it says the other one left.
        wait_for(lambda: "disconnected" in scribe.screen(), screen=scribe.screen)
        assert "Recovered" not in scribe.screen()
        assert "ended without closing" not in scribe.screen()
        facilitator.close()

        again = Terminal(pmtui_command(db, tmp_path))
        wait_for(lambda: "Recovered" in again.screen(), screen=again.screen)
        assert f"pid {killed}" in again.screen()
        assert "Recovered" not in scribe.screen()
    finally:
        scribe.close()
        facilitator.close()
        if again is not None:
            again.close()
