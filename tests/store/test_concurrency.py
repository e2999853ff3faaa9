"""Two sessions on one file: change detection, two writers, a held lock, backups, WAL growth."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pmtui.domain.models import Postmortem
from pmtui.store import DatabaseBusy, Store
from tests.store.conftest import dump, fixed_clock

IDENT = "INC-2026-0001"


@pytest.fixture
def shared(db_path: Path) -> Iterator[Path]:
    with Store.open(db_path, create=True, clock=fixed_clock) as store:
        store.create(Postmortem(id=IDENT, title="start", facilitator="start"))
    yield db_path


def sqlite_names(exc: BaseException | None) -> list[str]:
    """Every sqlite_errorname in an exception and the exceptions it was raised from."""
    names = []
    while exc is not None:
        if name := getattr(exc, "sqlite_errorname", None):
            names.append(name)
        exc = exc.__cause__ or exc.__context__
    return names


# T11 (RELIABILITY.md)
def test_data_version_changes_only_for_the_other_sessions_commits(shared: Path) -> None:
    with Store.open(shared) as a, Store.open(shared) as b:
        start = a.data_version()
        assert a.data_version() == start  # polling is not a change
        b.set_field(IDENT, "title", "by b", version=1)
        seen = a.data_version()
        assert seen != start
        version = a.load(IDENT).version
        a.set_field(IDENT, "title", "by a", version=version)
        assert a.data_version() == seen  # our own commit is not news
        before_b = b.data_version()
        a.add_item(IDENT, "timeline", {"event": "x"})
        assert b.data_version() != before_b
        assert b.revisions()[IDENT] == a.load(IDENT).revision


class Writer(threading.Thread):
    """One session editing its own parts of a shared document, recording what was saved."""

    def __init__(self, path: Path, tag: str, field: str, barrier: threading.Barrier) -> None:
        super().__init__(name=f"writer-{tag}")
        self.path, self.tag, self.field, self.barrier = path, tag, field, barrier
        self.errors: list[BaseException] = []
        self.value = "start"
        self.rows: dict[int, tuple[int, str]] = {}  # row id -> (version, event)
        self.texts: list[str] = []
        self.rng = random.Random(tag)

    def run(self) -> None:
        try:
            with Store.open(self.path, clock=fixed_clock) as store:
                self.barrier.wait()
                version = store.load(IDENT).version
                for n in range(200):
                    version = self.step(store, n, version)
        except BaseException as exc:
            self.errors.append(exc)

    def step(self, store: Store, n: int, version: int) -> int:
        choice = self.rng.random()
        if choice < 0.3:
            value = f"{self.tag}-{n}"
            # The version is usually stale (the other writer bumped it): base merges.
            version = store.set_field(IDENT, self.field, value, version=version, base=self.value)
            self.value = value
        elif choice < 0.55 or not self.rows:
            event = f"{self.tag}-{n}"
            index = self.rng.choice([0, None, 3])
            item = store.add_item(IDENT, "timeline", {"event": event}, index=index)
            self.rows[item.row_id] = (item.version, event)
        elif choice < 0.75:
            row_id = self.rng.choice(sorted(self.rows))
            row_version, _ = self.rows[row_id]
            event = f"{self.tag}-{n}-edited"
            new_version = store.update_item(
                IDENT, "timeline", row_id, {"event": event}, version=row_version
            )
            self.rows[row_id] = (new_version, event)
        elif choice < 0.85:
            row_id = self.rng.choice(sorted(self.rows))
            store.delete_item(IDENT, "timeline", row_id, version=self.rows.pop(row_id)[0])
        elif choice < 0.95:
            text = f"{self.tag} fact {n}"
            store.add_text(IDENT, "what_helped", text)
            self.texts.append(text)
        else:
            pm = store.load(IDENT)  # a read between writes never upgrades to a write
            assert getattr(pm, self.field) == self.value
        return version


def test_two_writers_never_lose_an_acknowledged_edit(shared: Path) -> None:
    """T14: every write path takes the lock first, so no SQLITE_BUSY_SNAPSHOT, ever."""
    barrier = threading.Barrier(2)
    writers = [Writer(shared, "a", "title", barrier), Writer(shared, "b", "facilitator", barrier)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
        assert not writer.is_alive()
    errors = [e for w in writers for e in w.errors]
    assert not any("SQLITE_BUSY_SNAPSHOT" in sqlite_names(e) for e in errors), errors
    assert errors == []
    with Store.open(shared) as store:
        pm = store.load(IDENT)
        assert pm.title == writers[0].value
        assert pm.facilitator == writers[1].value
        expected = {row_id: event for w in writers for row_id, (_, event) in w.rows.items()}
        assert {t.row_id: t.event for t in pm.timeline} == expected
        assert sorted(pm.what_helped) == sorted(writers[0].texts + writers[1].texts)
        positions = [
            r[0]
            for r in store.conn.execute("SELECT position FROM timeline_entries ORDER BY position")
        ]
        assert positions == list(range(len(expected)))
        assert store.integrity_check() == "ok"


def test_a_held_write_lock_makes_a_save_wait_then_give_up(shared: Path) -> None:
    """T13 at the store level: DatabaseBusy after the timeout; the save lands after release."""
    with Store.open(shared, timeout=0.2) as store:
        holder = sqlite3.connect(str(shared), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        before = dump(holder)
        started = time.monotonic()
        with pytest.raises(DatabaseBusy):
            store.set_field(IDENT, "title", "while locked", version=1)
        waited = time.monotonic() - started
        assert 0.15 < waited < 3
        # Reading is never blocked by a writer in WAL mode.
        assert store.load(IDENT).title == "start"
        assert not store.conn.in_transaction
        holder.execute("ROLLBACK")
        assert dump(holder) == before
        holder.close()
        assert store.set_field(IDENT, "title", "after release", version=1) == 2
        assert store.load(IDENT).title == "after release"


def test_a_store_opened_while_another_holds_the_lock(shared: Path) -> None:
    holder = sqlite3.connect(str(shared), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(shared, timeout=0.2) as store:
            assert store.load(IDENT).title == "start"
            with pytest.raises(DatabaseBusy):
                store.add_item(IDENT, "timeline", {"event": "x"})
            holder.execute("COMMIT")
            store.add_item(IDENT, "timeline", {"event": "x"})
    finally:
        holder.close()


def test_backups_taken_during_writes_are_whole(shared: Path, tmp_path: Path) -> None:
    """T08: each copy passes integrity_check and holds exactly the edits made by then."""
    acknowledged: list[int] = []
    stop = threading.Event()
    some_written = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            with Store.open(shared, clock=fixed_clock) as writer:
                n = 0
                while not stop.is_set():
                    n += 1
                    writer.add_item(IDENT, "timeline", {"event": f"e{n}"}, index=0)
                    acknowledged.append(n)
                    if n == 5:
                        some_written.set()
        except BaseException as exc:
            errors.append(exc)
            some_written.set()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        assert some_written.wait(30)
        with Store.open(shared) as store:
            for i in range(6):
                low = len(acknowledged)
                copy = store.backup(reason=f"t08-{i}", dest=tmp_path / f"copy-{i}.db")
                high = len(acknowledged)
                conn = sqlite3.connect(str(copy))
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                count = conn.execute("SELECT count(*) FROM timeline_entries").fetchone()[0]
                positions = [r[0] for r in conn.execute("SELECT position FROM timeline_entries")]
                conn.close()
                # One edit may be committed but not yet acknowledged when the copy ends.
                assert low <= count <= high + 1
                assert sorted(positions) == list(range(count))
    finally:
        stop.set()
        thread.join(60)
    assert errors == []
    assert len(acknowledged) > 5


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def test_a_long_reader_lets_the_wal_grow_and_it_shrinks_after(shared: Path) -> None:
    """T15: hold a read transaction, write on, release, checkpoint(TRUNCATE): the WAL is empty."""
    with Store.open(shared, clock=fixed_clock) as store:
        reader = sqlite3.connect(str(shared), isolation_level=None)
        reader.execute("BEGIN")
        assert reader.execute("SELECT title FROM postmortems").fetchone() == ("start",)
        version = 1
        for n in range(500):
            version = store.set_field(IDENT, "title", f"title {n} " + "x" * 200, version=version)
            assert not store.conn.in_transaction  # the store never holds one between edits
        grown = _wal(shared).stat().st_size
        # The reader still sees its snapshot, so the WAL could not be reset under it.
        assert reader.execute("SELECT title FROM postmortems").fetchone() == ("start",)
        assert grown > 500 * 4096
        reader.execute("COMMIT")
        reader.close()
        busy, _, _ = store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0
        assert _wal(shared).stat().st_size == 0
        assert store.load(IDENT).title.startswith("title 499 ")


def test_close_checkpoints_the_wal(shared: Path) -> None:
    store = Store.open(shared)
    store.set_field(IDENT, "title", "x", version=1)
    assert _wal(shared).stat().st_size > 0
    store.close()
    assert not _wal(shared).exists() or _wal(shared).stat().st_size == 0


def test_one_store_shared_between_threads(shared: Path) -> None:
    """A Store's lock serialises its one connection: threads may share it safely."""
    errors: list[BaseException] = []
    with Store.open(shared) as store:

        def add(tag: str) -> None:
            try:
                for n in range(50):
                    store.add_item(IDENT, "timeline", {"event": f"{tag}{n}"})
                    store.load(IDENT)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=add, args=(t,)) for t in "abc"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        events: list[Any] = [t.event for t in store.load(IDENT).timeline]
        assert sorted(events) == sorted(f"{t}{n}" for t in "abc" for n in range(50))


def test_closing_does_not_wait_for_another_sessions_reader(shared: Path) -> None:
    """Regression: close() waited the whole busy timeout (5 s) to checkpoint past a reader."""
    reader = sqlite3.connect(str(shared), isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT * FROM postmortems").fetchall()
    store = Store.open(shared)
    store.set_field(IDENT, "title", "x", version=1)
    started = time.monotonic()
    store.close()
    assert time.monotonic() - started < 1.5
    reader.execute("COMMIT")
    reader.close()
    # The last session to close leaves no WAL behind.
    Store.open(shared).close()
    assert not _wal(shared).exists() or _wal(shared).stat().st_size == 0
