"""Provides opening a pmtui database safely: checked before anything writes to it.

The order matters. A file that is not SQLite, not ours, corrupt or written by a newer
pmtui is refused (or opened read-only) *before* any pragma that could write to it runs,
so a wrong ``--db`` never damages someone's file.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from pmtui.store.errors import (
    CorruptDatabase,
    NotAPmtuiDatabase,
    ReadOnlyDatabase,
    StoreError,
)

SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_ID = 0x706D7475  # "pmtu": marks a file as a pmtui database
DEFAULT_BUSY_TIMEOUT_S = 5.0

# Filesystems on which SQLite's WAL mode is unsafe (shared memory needs one host).
NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "v9fs", "drvfs", "fuse.sshfs", "afs", "ceph"}
)


@dataclass
class OpenedFile:
    """A connection plus what we learned while opening it."""

    conn: sqlite3.Connection
    path: Path | None
    readonly: bool
    fresh: bool
    schema_version: int
    warnings: list[str] = field(default_factory=list)
    verified: bool = True
    """False when ``PRAGMA quick_check`` was left for later (see ``defer_check``)."""


def sniff(path: Path) -> None:
    """Refuse a file that is not an SQLite database, without opening it with SQLite."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except IsADirectoryError:
        raise NotAPmtuiDatabase(f"{path} is a directory, not a postmortem database") from None
    except PermissionError:
        raise StoreError(f"{path}: permission denied") from None
    if header and header != SQLITE_HEADER:
        raise NotAPmtuiDatabase(f"{path} is not a postmortem database (not an SQLite file)")


class NotYetADatabase(NotAPmtuiDatabase):
    """An empty file (or one with no tables) met by a command that only reads."""


def _not_set_up(path: Path, what: str) -> str:
    return (
        f"{path} {what}: not a postmortem database yet; a command that writes "
        "(`pmtui new`, `pmtui import`) or the app sets it up"
    )


def filesystem_type(path: Path, mounts_text: str | None = None) -> str | None:
    """The type of the filesystem holding ``path``, read from /proc/mounts (Linux only)."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = str(path.resolve() if path.exists() else path.parent.resolve())
    best: tuple[int, str] | None = None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), parts[2])
    return best[1] if best else None


def network_filesystem_warning(path: Path, mounts_text: str | None = None) -> str | None:
    fs_type = filesystem_type(path, mounts_text)
    if fs_type and (fs_type in NETWORK_FILESYSTEMS or fs_type.startswith("nfs")):
        return (
            f"{path} is on a network filesystem ({fs_type}): WAL is unsafe there and two "
            "terminals may corrupt it; keep the database on a local disk"
        )
    return None


def _connect(path: Path | None, readonly: bool, timeout: float) -> sqlite3.Connection:
    if path is None:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    elif readonly:
        uri = "file:" + _uri_path(path) + "?mode=ro"
        conn = sqlite3.connect(
            uri, uri=True, isolation_level=None, timeout=timeout, check_same_thread=False
        )
    else:
        conn = sqlite3.connect(
            str(path), isolation_level=None, timeout=timeout, check_same_thread=False
        )
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    return conn


def _uri_path(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(path.resolve()))


def _quick_check(conn: sqlite3.Connection, path: Path | None) -> None:
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise NotAPmtuiDatabase(f"{path} is not a postmortem database") from None
        raise CorruptDatabase(f"{path} is damaged ({exc}); it will not be written to") from None
    if [r[0] for r in rows] != ["ok"]:
        first = rows[0][0] if rows else "no answer"
        raise CorruptDatabase(
            f"{path} is damaged ({first}); it will not be written to — restore a backup "
            "or run `sqlite3 FILE .recover`"
        )


def open_file(
    path: Path | None,
    *,
    create: bool,
    readonly: bool = False,
    timeout: float = DEFAULT_BUSY_TIMEOUT_S,
    defer_check: bool = False,
) -> OpenedFile:
    """Open ``path`` (or an in-memory database for ``None``) after checking it.

    With ``defer_check``, a file already in WAL mode is opened without ``PRAGMA
    quick_check`` (seconds on a large file): nothing here writes to such a file, and the
    caller must run :func:`quick_check_file` before its first write. A file not yet in
    WAL mode is always checked now, because switching it to WAL writes its header.

    Raises:
        StoreError: the file is missing (and ``create`` is false), not SQLite, not a
            pmtui database, or damaged.
    """
    warnings: list[str] = []
    readonly_requested = readonly
    fresh = path is None
    if path is not None:
        if path.exists():
            sniff(path)
            fresh = path.stat().st_size == 0
            if fresh and readonly:
                raise NotYetADatabase(_not_set_up(path, "is empty (0 bytes)"))
        elif create:
            fresh = True
            if not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
        else:
            raise StoreError(f"no database at {path}")
        if not readonly and path.exists() and not os.access(path, os.W_OK):
            readonly = True
            warnings.append(f"{path} is read-only: opened for reading, edits are disabled")
        if not readonly and not os.access(path.parent, os.W_OK):
            readonly = True
            warnings.append(
                f"{path.parent} is read-only (SQLite needs it for its journal): "
                "opened for reading, edits are disabled"
            )
        if warning := network_filesystem_warning(path):
            warnings.append(warning)
    try:
        conn = _connect(path, readonly and not fresh, timeout)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}") from None
    verified = True
    try:
        try:
            journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
        except sqlite3.DatabaseError:
            journal = ""
        if defer_check and journal == "wal" and path is not None:
            verified = False
        else:
            _quick_check(conn, path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.DatabaseError:
            _quick_check(conn, path)  # names the problem: not a database, or damaged
            raise
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_tables = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()[0]
        if has_tables and app_id != APPLICATION_ID:
            raise NotAPmtuiDatabase(f"{path} is an SQLite database, but not a postmortem database")
        if path is not None and not has_tables and readonly:
            # Read-only by request (a reading command) or because the file or its
            # folder cannot be written: either way it cannot be set up now.
            what = "is empty (0 bytes)" if fresh else "holds no tables"
            if not readonly_requested:
                raise ReadOnlyDatabase(
                    f"{path} {what} and cannot be written here, so it cannot be set up "
                    "as a postmortem database"
                )
            raise NotYetADatabase(_not_set_up(path, what))
        fresh = fresh or not has_tables
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return OpenedFile(conn, path, readonly, fresh, version, warnings, verified)


def quick_check_file(path: Path) -> str | None:
    """Run ``PRAGMA quick_check`` on its own read-only connection; the problem, or None.

    A separate connection lets the check run in a thread while the app's connection
    keeps serving reads.
    """
    conn = sqlite3.connect(
        "file:" + _uri_path(path) + "?mode=ro", uri=True, check_same_thread=False
    )
    try:
        _quick_check(conn, path)
    except StoreError as exc:
        return str(exc)
    finally:
        conn.close()
    return None
