"""quick_check in the background: a big file opens at once; no write comes before the check."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from pmtui.domain.models import Postmortem
from pmtui.store import CorruptDatabase, DatabaseBusy, Store


def make_db(path: Path, documents: int = 30) -> None:
    with Store.open(path, create=True) as store:
        for n in range(1, documents + 1):
            store.create(Postmortem(id=f"INC-2026-{n:04d}", title="x " * 200))


def test_a_wal_file_opens_unverified_and_writes_wait_for_the_check(tmp_path: Path) -> None:
    path = tmp_path / "pm.db"
    make_db(path)
    store = Store.open(path, defer_check=True, timeout=0.05)
    assert not store.verified
    with pytest.raises(DatabaseBusy, match="checking the database"):
        store.set_field("INC-2026-0001", "title", "y", version=1)
    assert store.load("INC-2026-0001").title.startswith("x")  # reads do not wait
    store.start_verification().join()
    assert store.verified and store.corruption is None
    store.set_field("INC-2026-0001", "title", "y", version=1)
    assert store.load("INC-2026-0001").title == "y"
    store.close()


def test_a_file_not_yet_in_wal_mode_is_checked_at_once(tmp_path: Path) -> None:
    path = tmp_path / "pm.db"
    make_db(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")  # like the committed sample.db
    conn.close()
    with Store.open(path, defer_check=True) as store:
        assert store.verified  # switching to WAL writes the header: never before a check


# T06 (RELIABILITY.md)
def test_damage_found_in_the_background_makes_it_read_only_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "pm.db"
    make_db(path, documents=60)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'search_text'").fetchone()[
        0
    ]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    store = Store.open(path, defer_check=True)
    store.start_verification().join()
    assert store.corruption and store.readonly
    with pytest.raises(CorruptDatabase):
        store.set_field("INC-2026-0001", "title", "y", version=1)
    store.conn.close()  # not close(): that would checkpoint, and this file must stay untouched
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
