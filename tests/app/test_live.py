"""Two terminals, one meeting: live reloads, conflicts, kept edits, read-only and recovery.

The other terminal is a second Store handle on the same file (RELIABILITY T11, T12, T13,
T17, T04, T05). Polling is driven by calling ``app.poll_changes()`` — the same method the
half-second timer calls — so no test waits on the clock.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from pmtui.app import APP_BUSY_TIMEOUT_S, PmtuiApp
from pmtui.screens.conflict import ConflictDialog
from pmtui.store import Store, WriteFailed
from pmtui.widgets.field import FieldEditor
from tests.app.conftest import NOW, reopen, screen_text

DRAFT = "INC-2026-1126"


def title_editor(app: PmtuiApp) -> FieldEditor:
    return next(e for e in app.screen.query(FieldEditor) if e.field == "title")


def editor(app: PmtuiApp, field: str) -> FieldEditor:
    return next(e for e in app.screen.query(FieldEditor) if e.field == field)


def header(app: PmtuiApp) -> str:
    """The header line as drawn: what a person at the terminal reads."""
    return screen_text(app).splitlines()[0]


# T11 (RELIABILITY.md)
async def test_other_terminal_edit_appears_without_a_key(make_test_app, sample_db: Path) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        other = reopen(sample_db)
        version = other.load(DRAFT).version
        other.set_field(DRAFT, "title", "Changed by the scribe [/]", version=version)
        app.poll_changes()
        await pilot.pause()
        assert title_editor(app).value == "Changed by the scribe [/]"
        assert app.others_saved_at == NOW
        other.close()


async def test_reload_keeps_text_being_typed(make_test_app, sample_db: Path) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        title_editor(app).input.value = "half-typed title"  # not yet committed
        other = reopen(sample_db)
        other.set_field(DRAFT, "facilitator", "sam", version=other.load(DRAFT).version)
        app.poll_changes()
        await pilot.pause()
        assert title_editor(app).value == "half-typed title"
        assert editor(app, "facilitator").value == "sam"
        other.close()


# T12 (RELIABILITY.md)
async def test_same_field_conflict_keep_mine(make_test_app, sample_db: Path) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        title = title_editor(app)
        title.input.focus()
        title.input.value = "mine"
        other = reopen(sample_db)
        other.set_field(DRAFT, "title", "theirs", version=other.load(DRAFT).version)
        app.poll_changes()  # the reload keeps my typed text
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        shown = app.screen.conflict
        assert shown.theirs == {"title": "theirs"} and shown.edit.mine == {"title": "mine"}
        assert reopen(sample_db).load(DRAFT).title == "theirs"  # nothing overwritten yet
        await pilot.press("k")
        await pilot.pause()
        assert reopen(sample_db).load(DRAFT).title == "mine"
        other.close()


# T12 (RELIABILITY.md)
async def test_same_field_conflict_take_theirs(make_test_app, sample_db: Path) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        title = title_editor(app)
        title.input.focus()
        title.input.value = "mine"
        other = reopen(sample_db)
        other.set_field(DRAFT, "title", "theirs", version=other.load(DRAFT).version)
        await pilot.press("enter")  # no poll in between: the version is stale too
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("c")  # copy mine, take theirs
        await pilot.pause()
        assert "mine" in app.clipboard
        assert reopen(sample_db).load(DRAFT).title == "theirs"
        other.close()


# T17 (RELIABILITY.md)
async def test_item_deleted_elsewhere_is_offered_back(make_test_app, sample_db: Path) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        person = app.session.doc.participants[2]
        other = reopen(sample_db)
        other.delete_item(DRAFT, "participants", person.row_id, version=None)
        app.screen.save(
            lambda: app.session.update_item("participants", person, {"role": "sre on call"})
        )
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        assert app.screen.conflict.deleted
        await pilot.press("k")
        await pilot.pause()
        restored = [p for p in reopen(sample_db).load(DRAFT).participants if p.name == person.name]
        assert [p.role for p in restored] == ["sre on call"]
        other.close()


# T13 (RELIABILITY.md)
async def test_lock_held_elsewhere_keeps_the_edit_and_saves_later(
    make_test_app, sample_db: Path
) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        holder = sqlite3.connect(sample_db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            assert app.store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == int(
                APP_BUSY_TIMEOUT_S * 1000
            )
            app.screen.save(lambda: app.session.set_field("team", "messaging-core"))
            await pilot.pause()
            assert "waiting for the other terminal" in header(app)
            assert len(app.session.pending) == 1
            app.retry_pending()  # still locked: stays pending
            assert len(app.session.pending) == 1
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        app.retry_pending()
        await pilot.pause()
        assert app.session.pending == []
        assert app.pending_reason == ""
        assert reopen(sample_db).load(DRAFT).team == "messaging-core"


# T04 (RELIABILITY.md)
async def test_disk_full_keeps_the_edit_in_memory(
    make_test_app, sample_db: Path, monkeypatch
) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        real = app.store.set_field
        disk = {"full": True}  # the retry timer may fire at any moment: fail until freed

        def flaky(*args, **kwargs):
            if disk["full"]:
                raise WriteFailed("not saved: the disk is full")
            return real(*args, **kwargs)

        monkeypatch.setattr(app.store, "set_field", flaky)
        app.screen.save(lambda: app.session.set_field("team", "after the disk filled"))
        await pilot.pause()
        assert "disk is full" in app.pending_reason
        assert any("disk is full" in str(n.message) for n in app._notifications)
        assert reopen(sample_db).load(DRAFT).team == "messaging"
        disk["full"] = False
        app.retry_pending()
        assert reopen(sample_db).load(DRAFT).team == "after the disk filled"
        assert reopen(sample_db).integrity_check() == "ok"


# T05 (RELIABILITY.md)
async def test_read_only_database_shows_a_banner_and_refuses_edits(sample_db: Path) -> None:
    store = Store.open(sample_db, readonly=True, clock=lambda: NOW)
    app = PmtuiApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        assert "READ-ONLY" in header(app)
        saved = app.screen.save(lambda: app.session.set_field("team", "x"))
        assert saved is False
        assert app.is_running
    store.close()
    assert reopen(sample_db).load(DRAFT).team == "messaging"


async def test_scribe_opens_on_the_five_whys_of_the_meeting_in_progress(make_test_app) -> None:
    app = make_test_app(role="scribe")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.session is not None and app.session.ident == DRAFT
        assert app.current_mode == "factors"


# T02 (RELIABILITY.md)
async def test_a_session_that_died_is_reported_on_restart(make_test_app, sample_db: Path) -> None:
    # A process that has exited leaves a dead pid; its presence file says what it had open.
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(child.stdout)
    presence = sample_db.parent / f"{sample_db.name}.presence"
    presence.mkdir()
    (presence / f"{dead_pid}.json").write_text(
        f'{{"pid": {dead_pid}, "host": "{__import__("socket").gethostname()}", '
        f'"role": "facilitator", "postmortem": "{DRAFT}", "started": "x"}}',
        encoding="utf-8",
    )
    app = make_test_app()  # the facilitator's restart: its report to make
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert any(f"pid {dead_pid}" in m and DRAFT in m for m in messages)
    assert not (presence / f"{dead_pid}.json").exists()


async def test_another_terminal_is_shown_as_connected(make_test_app, sample_db: Path) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        # A live process (this test's parent shell) announces itself as a scribe.
        sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        try:
            presence = sample_db.parent / f"{sample_db.name}.presence"
            (presence / f"{sleeper.pid}.json").write_text(
                f'{{"pid": {sleeper.pid}, "host": "{__import__("socket").gethostname()}", '
                f'"role": "scribe", "postmortem": "{DRAFT}", "started": "x"}}',
                encoding="utf-8",
            )
            from pmtui.live import PRESENCE_EVERY

            for _ in range(PRESENCE_EVERY):
                app.poll_changes()
            await pilot.pause()
            assert "1 other terminal (scribe)" in header(app)
        finally:
            sleeper.kill()
            sleeper.wait()


# T11 (RELIABILITY.md)
async def test_home_list_follows_the_other_terminal(make_test_app, sample_db: Path) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        rows = app.screen.table.row_count
        other = reopen(sample_db)
        from pmtui.domain.models import Postmortem

        other.create(Postmortem(id="INC-2026-1200", title="Created in the other terminal"))
        app.poll_changes()
        await pilot.pause()
        assert app.screen.table.row_count == rows + 1
        other.close()


async def test_two_apps_on_one_file_see_each_other_and_meet_the_conflict_dialog(
    make_test_app, sample_db: Path
) -> None:
    """Facilitator and scribe, each a running app on the same database (T11, T12)."""
    facilitator = make_test_app()
    scribe = make_test_app(role="scribe")
    async with (
        facilitator.run_test(size=(100, 30)) as front,
        scribe.run_test(size=(100, 30)) as back,
    ):
        facilitator.open_postmortem(DRAFT, "setup")
        scribe.open_postmortem(DRAFT, "setup")
        await front.pause()
        await back.pause()
        # The scribe saves a title; the facilitator's screen shows it after its next poll.
        scribe_title = title_editor(scribe)
        scribe_title.input.focus()
        scribe_title.input.value = "Typed by the scribe"
        await back.press("enter")
        await back.pause()
        facilitator.poll_changes()
        await front.pause()
        assert title_editor(facilitator).value == "Typed by the scribe"
        # Both now type over the same field; the facilitator saves first.
        mine, theirs = title_editor(scribe), title_editor(facilitator)
        theirs.input.focus()
        theirs.input.value = "The facilitator's title"
        mine.input.value = "The scribe's title"
        await front.press("enter")
        await front.pause()
        await back.press("enter")
        await back.pause()
        assert isinstance(scribe.screen, ConflictDialog)
        assert scribe.screen.conflict.theirs == {"title": "The facilitator's title"}
        assert scribe.screen.conflict.edit.mine == {"title": "The scribe's title"}
        await back.press("t")  # take theirs
        await back.pause()
        assert reopen(sample_db).load(DRAFT).title == "The facilitator's title"


async def test_home_reloads_on_return_only_when_something_changed(make_test_app) -> None:
    """Returning to Home re-reads the list after any commit, its own connection's too."""
    from pmtui.domain.models import Postmortem

    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        home = app.screen
        rows, count = home._rows, home.table.row_count
        app.switch_mode("search")
        await pilot.pause()
        app.switch_mode("home")
        await pilot.pause()
        assert home._rows is rows  # nothing changed: the list was not rebuilt
        app.store.create(Postmortem(id="INC-2026-1201", title="Created here"))  # same connection
        app.switch_mode("search")
        await pilot.pause()
        app.switch_mode("home")
        await pilot.pause()
        assert home.table.row_count == count + 1


LONG_TITLE = (
    "Notifications delayed for two hours — the queue consumer stayed on the old broker "
    "primary after a failover and nobody was paged"
)


def set_long_title(path: Path) -> None:
    store = reopen(path)
    try:
        store.set_field(DRAFT, "title", LONG_TITLE, version=store.load(DRAFT).version)
    finally:
        store.close()


async def test_saved_time_is_on_screen_at_80_columns_with_a_long_title(
    make_test_app, sample_db: Path
) -> None:
    set_long_title(sample_db)
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        assert header(app).rstrip().endswith("in-meeting · no edits yet")
        app.screen.save(lambda: app.session.set_field("team", "messaging-core"))
        await pilot.pause()
        line = header(app)
        assert line.rstrip().endswith("saved 10:00:00")  # the frozen clock
        assert line.startswith(f" {DRAFT} · SEV-2 · Notifications delayed")
        assert "…" in line and "nobody was paged" not in line  # the title yields
        for width in (60, 100, 200):  # and keeps yielding as the terminal changes
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            assert "saved 10:00:00" in header(app), width
        assert "nobody was paged" in header(app)  # wide enough for all of it at 200


# T13 (RELIABILITY.md)
async def test_lock_wait_is_on_screen_at_80_columns_and_announced_once(
    make_test_app, sample_db: Path
) -> None:
    set_long_title(sample_db)
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        holder = sqlite3.connect(sample_db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            app.screen.save(lambda: app.session.set_field("team", "messaging-core"))
            await pilot.pause()
            assert "waiting for the other terminal… 1 edit kept" in header(app)
            app.screen.save(lambda: app.session.set_field("facilitator", "sam"))
            app.retry_pending()  # a poll's retry, still locked
            await pilot.pause()
            assert "waiting for the other terminal… 2 edits kept" in header(app)
            waits = [n for n in app._notifications if n.title == "Waiting for the other terminal"]
            assert len(waits) == 1  # said when the wait starts, not on every edit or retry
            assert app.is_running
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        app.retry_pending()
        await pilot.pause()
        assert header(app).rstrip().endswith("saved 10:00:00")
    saved = reopen(sample_db).load(DRAFT)
    assert (saved.team, saved.facilitator) == ("messaging-core", "sam")


# T04 (RELIABILITY.md)
async def test_disk_full_reason_is_kept_while_later_edits_queue(
    make_test_app, sample_db: Path, monkeypatch
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()

        def full(*args, **kwargs):
            raise WriteFailed("not saved: the disk is full")

        monkeypatch.setattr(app.store, "set_field", full)
        app.screen.save(lambda: app.session.set_field("team", "a"))
        app.screen.save(lambda: app.session.set_field("facilitator", "b"))
        await pilot.pause()
        assert "disk is full · 2 edits kept" in header(app)
        assert "waiting for the other terminal" not in header(app)


async def test_quit_with_edits_still_kept_asks_first(
    make_test_app, sample_db: Path, capsys
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        holder = sqlite3.connect(sample_db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            app.screen.save(lambda: app.session.set_field("team", "kept while locked"))
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert app.is_running  # the first ctrl+q says what would be lost
            titles = [n.title for n in app._notifications]
            assert "Not saved — still open" in titles
            await pilot.press("ctrl+q")  # nothing new: quits without it
            await pilot.pause()
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    assert app.return_code == 0
    assert "kept while locked" in capsys.readouterr().err  # printed after the app closed
    assert reopen(sample_db).load(DRAFT).team == "messaging"


def dead_pid() -> int:
    """The pid of a process that has exited (what a kill -9 leaves in the presence file)."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def leave_presence(db: Path, pid: int, role: str, postmortem: str) -> Path:
    """A presence file as a pmtui process of ``role`` writes it (same host, same user)."""
    import json
    import os
    import socket

    directory = db.parent / f"{db.name}.presence"
    directory.mkdir(exist_ok=True)
    path = directory / f"{pid}.json"
    data = {
        "pid": pid,
        "host": socket.gethostname(),
        "role": role,
        "user": str(os.getuid()),
        "postmortem": postmortem,
        "started": "2026-11-29T09:00:00+00:00",
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


async def test_a_crashed_facilitator_is_recovered_by_its_restart_not_by_the_scribe(
    make_test_app, sample_db: Path
) -> None:
    """kill -9 of the facilitator with a scribe connected: the scribe only says it left."""
    from pmtui.live import PRESENCE_EVERY

    scribe = make_test_app(role="scribe")
    async with scribe.run_test(size=(100, 30)) as back:
        await back.pause()
        pid = dead_pid()
        left = leave_presence(sample_db, pid, "facilitator", DRAFT)  # then it was killed
        for _ in range(2 * PRESENCE_EVERY):  # two presence checks: said once
            scribe.poll_changes()
        await back.pause()
        seen = [(n.title, str(n.message)) for n in scribe._notifications]
        assert not any(title == "Recovered" for title, _ in seen), seen
        gone = [m for _, m in seen if "disconnected" in m]
        assert gone == [
            f"The facilitator's terminal disconnected (pid {pid}). Everything it saved is here."
        ]
        assert left.exists()  # left for the facilitator's restart

        facilitator = make_test_app()  # the restart, while the scribe is still connected
        async with facilitator.run_test(size=(100, 30)) as front:
            await front.pause()
            recovered = [
                str(n.message) for n in facilitator._notifications if n.title == "Recovered"
            ]
            assert len(recovered) == 1
            assert f"pid {pid}, facilitator" in recovered[0] and DRAFT in recovered[0]
        assert not left.exists()


async def test_a_new_terminal_does_not_claim_another_roles_crash(
    make_test_app, sample_db: Path
) -> None:
    left = leave_presence(sample_db, dead_pid(), "facilitator", DRAFT)
    scribe = make_test_app(role="scribe")
    async with scribe.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        from pmtui.live import PRESENCE_EVERY

        for _ in range(PRESENCE_EVERY):
            scribe.poll_changes()
        await pilot.pause()
        # Gone before the scribe started: neither recovered nor news here.
        assert [
            n.title for n in scribe._notifications if n.title in ("Recovered", "Other terminal")
        ] == []
    assert left.exists()


async def test_scribe_opens_what_the_connected_facilitator_has_open(
    make_test_app, sample_db: Path
) -> None:
    """Not the most recently saved draft: the one the facilitator is running."""
    assert reopen(sample_db).latest_in_meeting() == DRAFT
    facilitators = "INC-2025-0804"  # also in its meeting, saved less recently
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        leave_presence(sample_db, sleeper.pid, "facilitator", facilitators)
        scribe = make_test_app(role="scribe")
        async with scribe.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert scribe.session is not None and scribe.session.ident == facilitators
            assert scribe.current_mode == "factors"
    finally:
        sleeper.kill()
        sleeper.wait()


async def test_scribe_falls_back_to_the_latest_meeting_without_a_facilitator_document(
    make_test_app, sample_db: Path
) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        leave_presence(sample_db, sleeper.pid, "facilitator", "")  # on the list, nothing open
        scribe = make_test_app(role="scribe")
        async with scribe.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert scribe.session is not None and scribe.session.ident == DRAFT
    finally:
        sleeper.kill()
        sleeper.wait()


OTHER = "INC-2025-0804"


async def test_opening_another_postmortem_keeps_the_edits_waiting_for_the_lock(
    make_test_app, sample_db: Path
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        holder = sqlite3.connect(sample_db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            app.screen.save(lambda: app.session.set_field("team", "kept while locked"))
            app.go("home")
            await pilot.pause()
            assert app.open_postmortem(OTHER, "setup") is False  # refused, with a message
            await pilot.pause()
            assert app.session.ident == DRAFT and len(app.session.pending) == 1
            refusals = [str(n.message) for n in app._notifications if n.title == "Not opened"]
            assert len(refusals) == 1
            assert DRAFT in refusals[0] and "1 edit kept" in refusals[0]
            # The same postmortem again is the meeting going on: its kept edit stays queued.
            assert app.open_postmortem(DRAFT, "setup") is True
            await pilot.pause()
            assert len(app.session.pending) == 1
            assert "waiting for the other terminal… 1 edit kept" in header(app)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        app.go("home")
        await pilot.pause()
        assert app.open_postmortem(OTHER, "setup") is True  # saved on the way out
        await pilot.pause()
        assert app.session.ident == OTHER and app.pending_reason == ""
        assert header(app).rstrip().endswith("no edits yet")
    assert reopen(sample_db).load(DRAFT).team == "kept while locked"


async def test_opening_another_postmortem_saves_what_is_typed_in_the_one_left(
    make_test_app, sample_db: Path
) -> None:
    """The palette opens a postmortem from a step: the typed title belongs to the first."""
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        title_editor(app).input.value = "Typed, then another postmortem opened"
        assert app.open_postmortem(OTHER, "setup") is False  # not yet: the title first
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.ident == OTHER
        assert title_editor(app).value == reopen(sample_db).load(OTHER).title
        assert not isinstance(app.screen, ConflictDialog)
    saved = reopen(sample_db)
    assert saved.load(DRAFT).title == "Typed, then another postmortem opened"
    assert saved.load(OTHER).title != "Typed, then another postmortem opened"


async def test_invalid_typed_text_asks_first_then_is_left_behind(
    make_test_app, sample_db: Path
) -> None:
    """As with ctrl+q: the first try says so and stays; trying again opens the other."""
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        editor(app, "date_of_incident").input.value = "tuesday afternoon"
        app.open_postmortem(OTHER, "setup")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.ident == DRAFT
        refusals = [str(n.message) for n in app._notifications if n.title == "Not opened"]
        assert len(refusals) == 1 and "Began (UTC)" in refusals[0]
        app.open_postmortem(OTHER, "setup")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.ident == OTHER
    assert reopen(sample_db).load(DRAFT).date_of_incident is not None


async def test_other_terminal_stays_in_the_header_at_80_columns_after_it_saves(
    make_test_app, sample_db: Path
) -> None:
    """Its save time is the first thing to give way, not "⇄ facilitator" itself."""
    from pmtui.live import PRESENCE_EVERY

    set_long_title(sample_db)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        scribe = make_test_app(role="scribe")
        async with scribe.run_test(size=(80, 24)) as pilot:
            leave_presence(sample_db, sleeper.pid, "facilitator", DRAFT)
            scribe.open_postmortem(DRAFT, "setup")
            await pilot.pause()
            for _ in range(PRESENCE_EVERY):
                scribe.poll_changes()
            await pilot.pause()
            assert "⇄ facilitator · no edits yet" in header(scribe)
            other = reopen(sample_db)
            other.set_field(DRAFT, "team", "messaging-core", version=other.load(DRAFT).version)
            other.close()
            scribe.poll_changes()
            await pilot.pause()
            assert scribe.others_saved_at == NOW
            line = header(scribe)
            assert "⇄ facilitator" in line and line.rstrip().endswith("no edits yet"), line
            await pilot.resize_terminal(120, 24)  # room again: the save time comes back
            await pilot.pause()
            assert "(facilitator), saved 10:00:00" in header(scribe)
    finally:
        sleeper.kill()
        sleeper.wait()


def damage(path: Path) -> None:
    """Overwrite a page in the middle of the file (its header stays valid, T06)."""
    store = reopen(path)
    store.checkpoint()
    page = store.conn.execute("PRAGMA page_size").fetchone()[0]
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.close()
    with path.open("r+b") as f:
        for n in range(2, min(pages, 8)):
            f.seek(n * page)
            f.write(b"\xff" * 64)


# T06 (RELIABILITY.md)
async def test_a_damaged_file_found_after_start_is_reported_in_sentences(
    sample_db: Path,
) -> None:
    reopen(sample_db).backup(reason="before-test")
    damage(sample_db)
    store = Store.open(sample_db, clock=lambda: NOW, defer_check=True)
    app = PmtuiApp(store)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            store.verify()  # the background check, finished
            app.poll_changes()
            await pilot.pause()
            reports = [
                str(n.message) for n in app._notifications if n.title.startswith("Database damaged")
            ]
            assert len(reports) == 1, [n.title for n in app._notifications]
            assert "written to The newest" not in reports[0]
            assert ". The newest backup is" in reports[0]
    finally:
        store.close()


def still_checking(path: Path, monkeypatch) -> Store:
    """A store opened as run_app opens it, on a file whose check has not finished yet."""
    store = Store.open(path, clock=lambda: NOW, timeout=APP_BUSY_TIMEOUT_S, defer_check=True)
    assert not store.verified
    monkeypatch.setattr(store, "start_verification", lambda: None)  # a large file: still going
    return store


async def test_first_save_while_the_file_is_checked_says_what_is_happening(
    sample_db: Path, monkeypatch
) -> None:
    from pmtui.live import RETRY_EVERY

    store = still_checking(sample_db, monkeypatch)
    app = PmtuiApp(store)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_postmortem(DRAFT, "setup")
            await pilot.pause()
            app.screen.save(lambda: app.session.set_field("team", "saved after the check"))
            await pilot.pause()
            line = header(app)
            assert "waiting for the other terminal" not in line
            assert "checking the database file… 1 edit kept" in line
            titles = [n.title for n in app._notifications]
            assert "Waiting for the other terminal" not in titles
            assert "Checking the database file" in titles
            for _ in range(RETRY_EVERY):
                app.poll_changes()  # no retry while the check runs (each would wait for it)
            assert len(app.session.pending) == 1
            store.verify()  # the check passes
            app.poll_changes()  # the next poll saves it, without waiting for a retry turn
            await pilot.pause()
            assert app.session.pending == []
            assert header(app).rstrip().endswith("saved 10:00:00")
    finally:
        store.close()
    assert reopen(sample_db).load(DRAFT).team == "saved after the check"


# T06 (RELIABILITY.md)
async def test_edits_kept_when_the_check_finds_damage_are_not_dropped(
    sample_db: Path, monkeypatch, capsys
) -> None:
    import pmtui.store.base

    store = still_checking(sample_db, monkeypatch)
    # The verdict of the check (a damaged page the document does not need to load).
    monkeypatch.setattr(
        pmtui.store.base,
        "quick_check_file",
        lambda path: (
            f"{path} is damaged (page 9: btreeInitPage() returns error code 11);"
            " it will not be written to"
        ),
    )
    app = PmtuiApp(store)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            app.open_postmortem(DRAFT, "setup")
            await pilot.pause()
            app.screen.save(lambda: app.session.set_field("team", "typed before the verdict"))
            store.verify()  # damaged: read-only from now on
            for _ in range(4):
                app.poll_changes()
            await pilot.pause()
            assert len(app.session.pending) == 1  # kept, not silently dropped
            assert "READ-ONLY: 1 edit kept, not saved" in header(app)
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert app.is_running  # the first ctrl+q names it
            await pilot.press("ctrl+q")
            await pilot.pause()
    finally:
        store.close()
    assert "typed before the verdict" in capsys.readouterr().err  # printed, to copy back


async def test_check_passed_but_the_other_terminal_holds_the_lock_says_so(
    sample_db: Path, monkeypatch
) -> None:
    store = still_checking(sample_db, monkeypatch)
    app = PmtuiApp(store)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_postmortem(DRAFT, "setup")
            await pilot.pause()
            app.screen.save(lambda: app.session.set_field("team", "after check and lock"))
            holder = sqlite3.connect(sample_db, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            try:
                store.verify()
                app.poll_changes()
                await pilot.pause()
                assert "waiting for the other terminal… 1 edit kept" in header(app)
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            app.retry_pending()
            assert app.session.pending == []
    finally:
        store.close()
    assert reopen(sample_db).load(DRAFT).team == "after check and lock"


async def test_a_poll_right_after_opening_a_step_does_not_crash(
    make_test_app, sample_db: Path
) -> None:
    """The timer can fire before the step's screen is composed; it draws itself later."""
    from pmtui.live import PRESENCE_EVERY

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        app = make_test_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            leave_presence(sample_db, sleeper.pid, "scribe", DRAFT)
            app.open_postmortem(DRAFT, "setup")
            for _ in range(PRESENCE_EVERY):  # the peers change: the header is redrawn
                app.poll_changes()
            await pilot.pause()
            assert "(scribe)" in header(app)
    finally:
        sleeper.kill()
        sleeper.wait()
