"""Provides the store's connection handling: opening, migrating, backups and transactions.

Every write goes through :meth:`StoreBase.write`, which takes the write lock with
``BEGIN IMMEDIATE`` (so a read-then-write can never fail half-way with
``SQLITE_BUSY_SNAPSHOT``), retries the whole unit when ``COMMIT`` itself is busy, and
turns SQLite's disk-full and I/O errors into one sentence with nothing written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Self, TypeVar

from pmtui.store import migrations
from pmtui.store.connection import (
    DEFAULT_BUSY_TIMEOUT_S,
    OpenedFile,
    open_file,
    quick_check_file,
)
from pmtui.store.errors import (
    CorruptDatabase,
    DatabaseBusy,
    DatabaseTooNew,
    NeedsUpgrade,
    ReadOnlyDatabase,
    StoreError,
    WriteFailed,
)

T = TypeVar("T")
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _is_busy(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith("SQLITE_BUSY") or "locked" in str(exc)


def _as_store_error(exc: sqlite3.Error) -> StoreError:
    name = getattr(exc, "sqlite_errorname", "")
    text = str(exc)
    if name == "SQLITE_FULL" or (not name and "database or disk is full" in text):
        return WriteFailed("not saved: the disk is full")
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return ReadOnlyDatabase("not saved: the database is read-only")
    if name.startswith("SQLITE_IOERR") or "disk I/O" in text:
        return WriteFailed(f"not saved: the disk reported an I/O error ({text})")
    if _is_busy(exc):
        return DatabaseBusy("not saved: another pmtui is holding the database; try again")
    return WriteFailed(f"not saved: {text}")


class StoreBase:
    """Owns one connection. Safe to share between threads: a lock serialises its use."""

    def __init__(self, opened: OpenedFile, clock: Clock | None = None) -> None:
        self.path = opened.path
        self.readonly = opened.readonly
        self.warnings = list(opened.warnings)
        self.conn = opened.conn
        self.clock: Clock = clock or utc_now
        self._lock = threading.RLock()
        # Writes wait until the file has passed quick_check (run now, or in the background).
        self._verified = threading.Event()
        self.corruption: str | None = None
        if opened.verified:
            self._verified.set()
        self._savepoints = 0
        self._busy_timeout = self.conn.execute("PRAGMA busy_timeout").fetchone()[0] / 1000

    @classmethod
    def adopt(cls, other: StoreBase) -> Self:
        """``cls`` over ``other``'s open connection, sharing its state (lock, verification,
        read-only flag) rather than copying it: the app opens a light handle to paint
        Home and adopts it into the full store when a postmortem is first opened."""
        adopted = cls.__new__(cls)
        adopted.__dict__ = other.__dict__
        return adopted

    @classmethod
    def open(
        cls,
        path: Path | str | None,
        *,
        create: bool = False,
        readonly: bool = False,
        clock: Clock | None = None,
        timeout: float = DEFAULT_BUSY_TIMEOUT_S,
        defer_check: bool = False,
    ) -> Self:
        """Open (and if needed create or migrate) the database at ``path``.

        ``None`` opens a private in-memory database, for tests. With ``defer_check`` a
        large file opens at once; call :meth:`start_verification` and writes wait for it.
        """
        opened = open_file(
            Path(path) if path is not None else None,
            create=create,
            readonly=readonly,
            timeout=timeout,
            defer_check=defer_check,
        )
        store = cls(opened, clock)
        try:
            store._prepare_schema(opened)
        except BaseException:
            store.close()
            raise
        return store

    def _prepare_schema(self, opened: OpenedFile) -> None:
        version = opened.schema_version
        if version > migrations.SCHEMA_VERSION:
            self.readonly = True
            self.warnings.append(
                str(
                    DatabaseTooNew(
                        f"{self.path} was written by a newer pmtui (schema {version}; this "
                        f"pmtui knows {migrations.SCHEMA_VERSION}): opened read-only"
                    )
                )
            )
            return
        if version == migrations.SCHEMA_VERSION:
            return
        if not self._verified.is_set():
            self.verify()  # a migration writes: check the file first, now
            if self.corruption:
                raise CorruptDatabase(self.corruption)
        if self.readonly:
            raise NeedsUpgrade(
                f"{self.path} needs an upgrade (schema {version} → "
                f"{migrations.SCHEMA_VERSION}) but is open read-only"
            )
        if not opened.fresh and self.path is not None:
            self.backup(reason=f"before-migration-v{migrations.SCHEMA_VERSION}")
        try:
            migrations.migrate(self.db())
        except sqlite3.Error as exc:
            raise _as_store_error(exc) from None

    def verify(self) -> None:
        """Run quick_check now (on its own connection); a damaged file becomes read-only."""
        if self._verified.is_set() or self.path is None:
            self._verified.set()
            return
        problem = quick_check_file(self.path)
        if problem:
            self.corruption = problem
            self.readonly = True
        self._verified.set()

    def start_verification(self) -> threading.Thread | None:
        """Check the file in a background thread; writes wait for the result."""
        if self._verified.is_set():
            return None
        thread = threading.Thread(target=self.verify, name="pmtui-quick-check", daemon=True)
        thread.start()
        return thread

    @property
    def verified(self) -> bool:
        return self._verified.is_set()

    def db(self) -> Any:
        """A sqlite-utils Database over our connection, for schema work (FTS, migrations).

        Built on demand: importing sqlite-utils costs a noticeable part of start-up, and
        everyday reads and writes are plain SQL on the same connection.
        """
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def insert_row(self, table: str, row: dict[str, Any]) -> int:
        """INSERT one row; return its rowid."""
        columns = list(row)
        cursor = self.conn.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            list(row.values()),
        )
        return cursor.lastrowid or 0

    def checkpoint(self) -> None:
        """Fold the WAL into the database file (best effort; never waits long)."""
        if self.readonly:
            return
        with self._lock, contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA busy_timeout = 100")
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")

    def close(self) -> None:
        with self._lock:
            with contextlib.suppress(sqlite3.Error):
                if not self.readonly:
                    # Best effort: TRUNCATE waits out the busy timeout while another session
                    # reads or writes, and quitting must not hang on that. The last
                    # connection to close checkpoints whatever is left.
                    self.conn.execute("PRAGMA busy_timeout = 100")
                    self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def data_version(self) -> int:
        """Changes whenever *another* connection commits to the file (cheap to poll)."""
        with self._lock:
            return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def change_mark(self) -> tuple[int, int]:
        """Differs after any commit to the file, this connection's or another's."""
        with self._lock:
            return self.conn.execute("PRAGMA data_version").fetchone()[0], self.conn.total_changes

    def write(self, unit: Callable[[], T], *, attempts: int = 3) -> T:
        """Run ``unit`` inside ``BEGIN IMMEDIATE`` … ``COMMIT``; retry it when COMMIT is busy.

        ``unit`` must be safe to run again from the start: it is, because the rollback
        undid everything it did.
        """
        if not self._verified.wait(self._busy_timeout):
            raise DatabaseBusy("not saved yet: checking the database file before the first save")
        if self.corruption:
            raise CorruptDatabase(f"not saved: {self.corruption}")
        if self.readonly:
            raise ReadOnlyDatabase("not saved: the database is open read-only")
        with self._lock:
            if self.conn.in_transaction:
                return self._nested(unit)
            for attempt in range(attempts):
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                except sqlite3.Error as exc:
                    raise _as_store_error(exc) from None
                try:
                    result = unit()
                    self.conn.execute("COMMIT")
                    return result
                except sqlite3.Error as exc:
                    self._rollback()
                    if _is_busy(exc) and attempt + 1 < attempts:
                        time.sleep(0.05 * (attempt + 1))
                        continue
                    raise _as_store_error(exc) from None
                except BaseException:
                    self._rollback()
                    raise
        raise DatabaseBusy("not saved: another pmtui kept the database busy; try again")

    def _nested(self, unit: Callable[[], T]) -> T:
        """A unit inside a caller's write: a savepoint, so a failure undoes only this unit.

        A bulk import runs many documents in one transaction (one fsync instead of one
        per file) while each file stays all-or-nothing.
        """
        self._savepoints += 1
        name = f"pmtui_unit_{self._savepoints}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            result = unit()
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
            raise
        self.conn.execute(f"RELEASE {name}")
        return result

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs; never held across a UI wait."""
        with self._lock:
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")

    def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    def backup_dir(self) -> Path:
        if self.path is None:
            raise StoreError("an in-memory database has no backups")
        return self.path.parent / f"{self.path.name}.backups"

    def backup(self, *, reason: str = "manual", dest: Path | None = None) -> Path:
        """Copy the database, consistently, with SQLite's backup API; return the copy's path."""
        if dest is None:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
            directory = self.backup_dir()
            directory.mkdir(parents=True, exist_ok=True)
            dest = directory / f"{stamp}-{reason}.db"
        target = sqlite3.connect(str(dest))
        try:
            with self._lock:
                self.conn.backup(target)
        except sqlite3.Error as exc:
            target.close()
            dest.unlink(missing_ok=True)
            raise _as_store_error(exc) from None
        target.close()
        return dest

    def backups(self) -> list[Path]:
        """Backups of this database, newest first."""
        if self.path is None or not self.backup_dir().exists():
            return []
        return sorted(self.backup_dir().glob("*.db"), reverse=True)

    def integrity_check(self) -> str:
        with self._lock:
            rows = self.conn.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(r[0] for r in rows)
