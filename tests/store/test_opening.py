"""Opening a file: refuse what is not ours or is damaged, untouched; warn where WAL is unsafe."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from pmtui.domain.models import Postmortem
from pmtui.store import (
    CorruptDatabase,
    NotAPmtuiDatabase,
    ReadOnlyDatabase,
    Store,
    StoreError,
)
from pmtui.store import connection as connection_module
from pmtui.store.connection import network_filesystem_warning
from tests.store.conftest import fixed_clock


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


# T07 (RELIABILITY.md)
@pytest.mark.parametrize(
    "content",
    [
        b"this is a shopping list, not a database\n",
        bytes(range(256)) * 64,
        b"%PDF-1.7\n" + b"\x00" * 4000,
        # SQLite's magic string followed by garbage: SQLite itself must say "not a database".
        b"SQLite format 3\x00" + b"\xff" * 4000,
    ],
    ids=["text", "binary", "pdf", "fake-header"],
)
def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(content)
    digest, names = sha256(junk), siblings(junk)
    with pytest.raises(NotAPmtuiDatabase, match="not a postmortem database"):
        Store.open(junk)
    with pytest.raises(NotAPmtuiDatabase):
        Store.open(junk, create=True)
    assert sha256(junk) == digest
    assert siblings(junk) == names  # no -wal, -shm or backup left beside it


# T07 (RELIABILITY.md)
def test_another_applications_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.sqlite"
    conn = sqlite3.connect(str(theirs))
    conn.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
    conn.execute("INSERT INTO recipes VALUES ('soup', 40)")
    conn.commit()
    conn.close()
    digest = sha256(theirs)
    with pytest.raises(NotAPmtuiDatabase, match="not a postmortem database"):
        Store.open(theirs, create=True)
    assert sha256(theirs) == digest
    conn = sqlite3.connect(str(theirs))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL
    conn.close()


def test_a_missing_file_is_an_error_unless_asked_to_create(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "pm.db"
    with pytest.raises(StoreError, match="no database"):
        Store.open(missing)
    assert not missing.parent.exists()
    with Store.open(missing, create=True) as store:
        assert store.count() == 0
    assert missing.exists()


def test_a_directory_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(NotAPmtuiDatabase):
        Store.open(tmp_path)


def _leaf_page_offset(path: Path, name: str) -> tuple[int, int]:
    """(offset, length) of the cell content area of ``name``'s root page, a b-tree leaf."""
    conn = sqlite3.connect(str(path))
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [name]).fetchone()[0]
    conn.close()
    data = path.read_bytes()
    start = (root - 1) * page_size
    page_type = data[start]
    assert page_type in (0x0A, 0x0D), f"{name}'s root page is not a leaf ({page_type})"
    content = int.from_bytes(data[start + 5 : start + 7], "big")
    return start + content, page_size - content


# T06 (RELIABILITY.md)
@pytest.mark.parametrize("victim", ["postmortems", "postmortems_service", "action_items"])
def test_a_corrupt_page_is_found_at_open_and_never_written(db_path: Path, victim: str) -> None:
    with Store.open(db_path, create=True, clock=fixed_clock) as store:
        for number in range(1, 13):
            store.create(
                Postmortem.model_validate(
                    {
                        "id": f"INC-2026-{number:04d}",
                        "title": f"incident number {number}",
                        "service": f"service-{number % 4}",
                        "action_items": [{"description": f"fix {number}", "owner": "ops"}],
                    }
                )
            )
    # close() checkpointed: every page is in the main file now.
    offset, length = _leaf_page_offset(db_path, victim)
    data = bytearray(db_path.read_bytes())
    middle = offset + length // 2 - 32
    data[middle : middle + 64] = b"\xa5" * 64
    db_path.write_bytes(bytes(data))
    digest = sha256(db_path)
    # A plain count(*) of another table still works: only a check finds the damage.
    conn = sqlite3.connect(str(db_path))
    assert conn.execute("SELECT count(*) FROM timeline_entries").fetchone()[0] == 0
    conn.close()
    with pytest.raises(CorruptDatabase, match="damaged"):
        Store.open(db_path)
    assert sha256(db_path) == digest
    assert not (db_path.parent / f"{db_path.name}.backups").exists()


MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid 0 0
{point} {point} {fstype} rw,relatime 0 0
"""


# T09 (RELIABILITY.md)
@pytest.mark.parametrize(
    ("fstype", "warns"),
    [
        ("nfs4", True),
        ("nfs", True),
        ("cifs", True),
        ("smb3", True),
        ("9p", True),
        ("fuse.sshfs", True),
        ("drvfs", True),
        ("ext4", False),
        ("xfs", False),
        ("tmpfs", False),
        ("overlay", False),
    ],
)
def test_network_filesystems_are_warned_about(tmp_path: Path, fstype: str, warns: bool) -> None:
    share = tmp_path / "share"
    share.mkdir()
    db = share / "pm.db"
    text = MOUNTS.format(point=str(share.resolve()), fstype=fstype)
    warning = network_filesystem_warning(db, text)
    if warns:
        assert warning is not None and fstype in warning and "network filesystem" in warning
    else:
        assert warning is None


# T09 (RELIABILITY.md)
def test_the_longest_mount_point_wins_and_prefixes_must_be_whole_directories(
    tmp_path: Path,
) -> None:
    base = tmp_path.resolve()
    (base / "share").mkdir()
    (base / "share" / "local").mkdir()
    (base / "sharepoint").mkdir()
    mounts = (
        f"/dev/vda1 / ext4 rw 0 0\n"
        f"srv:/x {base}/share nfs4 rw 0 0\n"
        f"/dev/vdb {base}/share/local ext4 rw 0 0\n"
    )
    assert network_filesystem_warning(base / "share" / "pm.db", mounts) is not None
    assert network_filesystem_warning(base / "share" / "local" / "pm.db", mounts) is None
    assert network_filesystem_warning(base / "sharepoint" / "pm.db", mounts) is None


# T09 (RELIABILITY.md)
def test_a_mount_point_with_a_space(tmp_path: Path) -> None:
    spaced = tmp_path.resolve() / "my share"
    spaced.mkdir()
    escaped = str(spaced).replace(" ", "\\040")  # as /proc/mounts writes a space
    mounts = f"/dev/vda1 / ext4 rw 0 0\n//srv/x {escaped} cifs rw 0 0\n"
    assert "cifs" in (network_filesystem_warning(spaced / "pm.db", mounts) or "")


# T09 (RELIABILITY.md)
def test_opening_on_a_network_filesystem_warns(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection_module, "filesystem_type", lambda path, mounts=None: "nfs4")
    with Store.open(db_path, create=True) as store:
        assert any("network filesystem" in w for w in store.warnings)
        assert not store.readonly


def test_pragmas_after_open(db_path: Path) -> None:
    Store.open(db_path, create=True).close()
    with Store.open(db_path) as store:
        conn = store.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
        assert store.warnings == []


def _stored(db_path: Path) -> None:
    with Store.open(db_path, create=True, clock=fixed_clock) as store:
        store.create(Postmortem(id="INC-2026-0001", title="kept"))


# T05 (RELIABILITY.md)
def test_opened_read_only_on_request_refuses_every_edit(db_path: Path) -> None:
    _stored(db_path)
    digest = sha256(db_path)
    with Store.open(db_path, readonly=True) as store:
        assert store.readonly
        pm = store.load("INC-2026-0001")
        assert pm.title == "kept"
        with pytest.raises(ReadOnlyDatabase):
            store.set_field(pm.id, "title", "changed", version=pm.version)
        with pytest.raises(ReadOnlyDatabase):
            store.add_item(pm.id, "timeline", {"event": "x"})
        with pytest.raises(ReadOnlyDatabase):
            store.delete(pm.id)
        with pytest.raises(ReadOnlyDatabase):
            store.create(Postmortem(id="INC-2026-0002"))
        # Even below the store's own check, the connection itself cannot write.
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.conn.execute("UPDATE postmortems SET title = 'sneaky'")
    assert sha256(db_path) == digest


# T05 (RELIABILITY.md)
def test_a_file_we_may_not_write_opens_read_only_with_a_warning(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root, chmod does not stop writes: fake the permission check instead."""
    _stored(db_path)
    real_access = os.access
    monkeypatch.setattr(
        connection_module.os,
        "access",
        lambda p, mode: False if Path(p) == db_path and mode == os.W_OK else real_access(p, mode),
    )
    with Store.open(db_path) as store:
        assert store.readonly
        assert any("read-only" in w for w in store.warnings)
        with pytest.raises(ReadOnlyDatabase):
            store.set_field("INC-2026-0001", "title", "changed", version=1)


# T05 (RELIABILITY.md)
@pytest.mark.skipif(os.geteuid() == 0, reason="root can write a 0o444 file; see the test above")
def test_a_chmod_read_only_file_opens_read_only(db_path: Path) -> None:
    _stored(db_path)
    db_path.chmod(0o444)
    try:
        with Store.open(db_path) as store:
            assert store.readonly and store.warnings
            with pytest.raises(ReadOnlyDatabase):
                store.set_field("INC-2026-0001", "title", "changed", version=1)
    finally:
        db_path.chmod(0o644)


def test_in_memory_store_has_no_backups() -> None:
    with Store.open(None) as store:
        assert store.backups() == []
        with pytest.raises(StoreError):
            store.backup()
