"""Schema versions: a version-1 file is upgraded (after a backup); a failed step changes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from pmtui.domain.models import Postmortem
from pmtui.store import ReadOnlyDatabase, Store, migrations
from pmtui.store.connection import APPLICATION_ID
from tests.store.conftest import dump, fixed_clock, fts_ids


def version_one_file(path: Path) -> None:
    """A file exactly as pmtui's first schema left it, holding one postmortem."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    db = sqlite_utils.Database(conn)
    assert migrations.migrate(db, target=1) == [1]
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    now = "2026-01-16T10:00:00Z"
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO postmortems (id, title, service, team, status, date_of_incident, "
        "impact_slo_budget_consumed_minutes, created_at, updated_at) "
        "VALUES ('INC-2025-0042', 'Checkout stalled by a zeppelin lock', 'payments', "
        "'payments', 'in-meeting', '2025-03-01T10:00:00Z', 12, ?, ?)",
        [now, now],
    )
    conn.execute(
        "INSERT INTO timeline_entries (postmortem_id, position, time, event, source) "
        "VALUES ('INC-2025-0042', 0, '10:00', 'Marmalade deploy starts', 'deploy log')"
    )
    conn.execute(
        "INSERT INTO contributing_factors (id, postmortem_id, position, description, "
        "systemic_property) VALUES (7, 'INC-2025-0042', 0, 'Locks held across the quokka call', "
        "'design')"
    )
    conn.execute(
        "INSERT INTO why_steps (factor_id, position, question, answer) "
        "VALUES (7, 0, 'Why was the lock held?', 'Nobody measured the kumquat latency')"
    )
    conn.execute(
        "INSERT INTO action_items (id, postmortem_id, position, ref, description, owner, due) "
        "VALUES (3, 'INC-2025-0042', 0, 'A1', 'Release the lock before the narwhal call', "
        "'payments-dev', '2025-04-01')"
    )
    conn.execute(
        "INSERT INTO factor_action_items (factor_id, action_item_id, position) VALUES (7, 3, 0)"
    )
    conn.execute(
        "INSERT INTO observations (postmortem_id, kind, position, text) "
        "VALUES ('INC-2025-0042', 'helped', 0, 'The platypus alert fired')"
    )
    conn.execute(
        "INSERT INTO postmortem_failure_classes (postmortem_id, failure_class, position) "
        "VALUES ('INC-2025-0042', 'lock-contention', 0)"
    )
    conn.execute("COMMIT")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def foreign_keys(conn: sqlite3.Connection, table: str) -> set[tuple[str, str, str, str]]:
    """(column, table it refers to, column there, ON DELETE) of each of ``table``'s keys."""
    return {
        (row[3], row[2], row[4], row[6])
        for row in conn.execute(f"PRAGMA foreign_key_list({table})")
    }


def user_version(path: Path) -> int:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_a_version_one_file_is_backed_up_and_upgraded(db_path: Path) -> None:
    version_one_file(db_path)
    with Store.open(db_path, clock=fixed_clock) as store:
        assert store.schema_version == migrations.SCHEMA_VERSION == 4
        assert not store.readonly
        backups = store.backups()
        assert len(backups) == 1
        assert backups[0].parent == db_path.parent / "pm.db.backups"
        assert f"before-migration-v{migrations.SCHEMA_VERSION}" in backups[0].name
        # Version 3's index of undone items is there, and the planner can use it.
        assert store.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'action_items_undone'"
        ).fetchone()
        # Every text written at version 1 is in the new full-text index.
        for word in ("zeppelin", "marmalade", "quokka", "kumquat", "narwhal", "platypus", "lock"):
            assert fts_ids(store, word) == ["INC-2025-0042"], word
        assert store.conn.execute("SELECT slug FROM failure_classes").fetchall() == [
            ("lock-contention",)
        ]
        # Version 4: the tag refers to its class (Datasette links them); the tag survived
        # the table's rebuild, and so did its index and the key to its postmortem.
        assert foreign_keys(store.conn, "postmortem_failure_classes") == {
            ("postmortem_id", "postmortems", "id", "CASCADE"),
            ("failure_class", "failure_classes", "slug", "NO ACTION"),
        }
        assert store.conn.execute(
            "SELECT postmortem_id, failure_class, position FROM postmortem_failure_classes"
        ).fetchall() == [("INC-2025-0042", "lock-contention", 0)]
        assert store.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'postmortem_failure_classes_class'"
        ).fetchone()
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        pm = store.load("INC-2025-0042")
        assert pm.title == "Checkout stalled by a zeppelin lock"
        assert pm.contributing_factors[0].actions == ["A1"]
        assert pm.contributing_factors[0].whys[0].answer == "Nobody measured the kumquat latency"
        assert pm.impact.slo_budget_consumed_minutes == 12
        # The upgraded file takes edits, and the index follows them.
        store.set_field(pm.id, "title", "Checkout stalled by a wombat", version=pm.version)
        assert fts_ids(store, "wombat") == [pm.id]
        assert fts_ids(store, "zeppelin") == []
    assert user_version(backups[0]) == 1
    assert user_version(db_path) == migrations.SCHEMA_VERSION


def test_opening_an_up_to_date_file_takes_no_backup(db_path: Path) -> None:
    Store.open(db_path, create=True).close()
    with Store.open(db_path) as store:
        assert store.backups() == []


def test_a_fresh_file_is_stamped_with_our_application_id(db_path: Path) -> None:
    Store.open(db_path, create=True).close()
    conn = sqlite3.connect(str(db_path))
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    conn.close()


def _half_then_fail(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE half_done (x)")
    db.execute("ALTER TABLE postmortems ADD COLUMN half_done TEXT")
    db.execute("UPDATE postmortems SET title = 'overwritten by a broken step'")
    raise RuntimeError("migration step failed")


# T10 (RELIABILITY.md)
def test_a_failing_migration_is_rolled_back_and_stays_pending(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version_one_file(db_path)
    before = dump(sqlite3.connect(str(db_path)))
    original = list(migrations.MIGRATIONS)
    monkeypatch.setattr(migrations, "MIGRATIONS", [original[0], _half_then_fail])
    with pytest.raises(RuntimeError, match="migration step failed"):
        Store.open(db_path)
    assert user_version(db_path) == 1
    conn = sqlite3.connect(str(db_path))
    assert dump(conn) == before  # not one statement of the failed step remains
    assert migrations.pending(sqlite_utils.Database(conn)) == migrations.SCHEMA_VERSION - 1
    conn.close()
    # The real step still runs on the next start.
    monkeypatch.setattr(migrations, "MIGRATIONS", original)
    with Store.open(db_path) as store:
        assert store.schema_version == migrations.SCHEMA_VERSION
        assert store.load("INC-2025-0042").title == "Checkout stalled by a zeppelin lock"


# T10 (RELIABILITY.md)
def test_a_failing_later_migration_keeps_the_earlier_ones(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each step commits on its own: step 2 failing leaves a correct version-1 file."""
    original = list(migrations.MIGRATIONS)
    monkeypatch.setattr(migrations, "MIGRATIONS", [original[0], _half_then_fail])
    with pytest.raises(RuntimeError):
        Store.open(db_path, create=True)
    assert user_version(db_path) == 1
    conn = sqlite3.connect(str(db_path))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert "postmortems" in tables and "half_done" not in tables


# T10 (RELIABILITY.md)
def test_a_file_from_a_newer_pmtui_opens_read_only(db_path: Path) -> None:
    Store.open(db_path, create=True).close()
    conn = sqlite3.connect(str(db_path))
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with Store.open(db_path) as store:
        assert store.readonly
        warning = " ".join(store.warnings)
        assert "999" in warning and str(migrations.SCHEMA_VERSION) in warning
        assert store.ids() == []
        with pytest.raises(ReadOnlyDatabase):
            store.set_field("INC-2026-0001", "title", "x", version=1)
        with pytest.raises(ReadOnlyDatabase):
            store.create(Postmortem(id="INC-2026-0001"))
    assert user_version(db_path) == 999
    assert db_path.read_bytes() == before


def test_an_old_file_opened_read_only_is_not_migrated(db_path: Path) -> None:
    version_one_file(db_path)
    before = db_path.read_bytes()
    with pytest.raises(ReadOnlyDatabase, match="needs an upgrade"):
        Store.open(db_path, readonly=True)
    assert db_path.read_bytes() == before


def test_two_sessions_opening_an_old_file_at_once_migrate_it_once(db_path: Path) -> None:
    """The runner re-reads user_version under the write lock: no step runs twice."""
    import threading

    version_one_file(db_path)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            barrier.wait()
            with Store.open(db_path) as store:
                assert store.schema_version == migrations.SCHEMA_VERSION
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    conn = sqlite3.connect(str(db_path))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM search_text").fetchone()[0] == 1
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
