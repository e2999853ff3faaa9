"""T23/T24: an internal error never shows field contents; a failed worker is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import work

from pmtui.screens.norms import NormsScreen
from tests.app.conftest import reopen

DRAFT = "INC-2026-1126"
SECRET = "customer card 4111-1111-1111-1111"


# T23 (RELIABILITY.md)
async def test_unhandled_exception_keeps_saved_edits_and_logs_without_locals(
    make_test_app, sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def broken(self: NormsScreen) -> None:
        typed = SECRET  # a local value a traceback with locals would print
        raise RuntimeError("handler bug " + str(len(typed)))

    monkeypatch.setattr(NormsScreen, "action_record", broken)
    app = make_test_app()
    with pytest.raises(RuntimeError, match="handler bug"):
        async with app.run_test(size=(100, 30)) as pilot:
            app.open_postmortem(DRAFT, "setup")
            await pilot.pause()
            app.screen.save(lambda: app.session.set_field("team", "saved before the bug"))
            app.go("norms")
            await pilot.pause()
            await pilot.press("r")
            await pilot.pause()
    assert app.return_code == 1
    assert reopen(sample_db).load(DRAFT).team == "saved before the bug"
    logs = list((tmp_path / "state" / "pmtui").glob("crash-*.log"))
    assert len(logs) == 1
    text = logs[0].read_text(encoding="utf-8")
    assert "handler bug" in text and SECRET not in text
    shown = "".join(str(r) for r in app._exit_renderables)
    assert SECRET not in shown


# T24 (RELIABILITY.md)
async def test_failed_worker_is_a_notification_not_a_crash(make_test_app) -> None:
    app = make_test_app()

    @work(thread=True, exit_on_error=False, name="Export")
    def failing_worker(self) -> None:
        raise OSError("disk went away")

    async with app.run_test(size=(100, 30)) as pilot:
        failing_worker(app)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        messages = [(n.title, str(n.message)) for n in app._notifications]
        assert ("Export failed", "disk went away") in messages


CRASHING_RUN = """
import functools, sys
from pathlib import Path

from textual.app import App

import pmtui.app

# Headless: the test has no terminal. Everything else is run_app as the CLI calls it.
pmtui.app.PmtuiApp.run = functools.partialmethod(App.run, headless=True)
start = pmtui.app.PmtuiApp.start_live

def start_then_fail(self):
    start(self)
    self.call_later(self.run_action, "home")

def broken(self):
    typed = "customer card 4111-1111-1111-1111"
    raise RuntimeError("handler bug " + str(len(typed)))

pmtui.app.PmtuiApp.start_live = start_then_fail
pmtui.app.PmtuiApp.action_home = broken
sys.exit(pmtui.app.run_app(Path(sys.argv[1])))
"""


def test_internal_error_exits_1_and_names_the_log(sample_db: Path, tmp_path: Path) -> None:
    """T23 through run_app, the CLI's path: the process exit code, not app.return_code."""
    import os
    import subprocess
    import sys

    # Wide enough for pytest's long temporary path (a terminal's own width otherwise).
    env = os.environ | {"XDG_STATE_HOME": str(tmp_path / "state"), "COLUMNS": "300"}
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_RUN, str(sample_db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    logs = list((tmp_path / "state" / "pmtui").glob("crash-*.log"))
    assert len(logs) == 1
    assert str(logs[0]) in done.stderr.splitlines()  # on a line of its own, to copy whole
    assert SECRET not in done.stderr + done.stdout
