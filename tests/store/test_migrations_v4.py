"""Schema version 4: each failure-class tag refers to its taxonomy row.

The key is what lets Datasette link a tag to its description. A new file and an upgraded
one must end up with the same schema, every write path must still work with the key on,
and an old file's tags must all survive the table's rebuild.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from pmtui.domain.models import Postmortem
from pmtui.store import Store, StoreError, migrations
from tests.store.conftest import fixed_clock
from tests.store.test_migrations import foreign_keys, user_version, version_one_file

NOW = "2026-01-16T10:00:00Z"


def schema(path: Path) -> list[tuple[str, str, str, str]]:
    conn = sqlite3.connect(str(path))
    try:
        return sorted(
            conn.execute("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master")
        )
    finally:
        conn.close()


def version_three_file(path: Path) -> None:
    """A version-3 file with a tag whose class has no taxonomy row, and an orphaned tag.

    Neither can be written through pmtui; both can by any other SQLite client (foreign
    keys are off by default), and the upgrade must not fail on them.
    """
    conn = sqlite3.connect(str(path), isolation_level=None)
    assert migrations.migrate(sqlite_utils.Database(conn), target=3) == [1, 2, 3]
    conn.execute("BEGIN")
    for ident in ("INC-2026-0001", "INC-2026-0002"):
        conn.execute(
            "INSERT INTO postmortems (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [ident, f"Incident {ident}", NOW, NOW],
        )
    conn.executemany(
        "INSERT INTO failure_classes (slug, description) VALUES (?, ?)",
        [("cache-stampede", "Many clients refill one expired entry at once")],
    )
    conn.executemany(
        "INSERT INTO postmortem_failure_classes (postmortem_id, failure_class, position) "
        "VALUES (?, ?, ?)",
        [
            ("INC-2026-0001", "cache-stampede", 0),
            ("INC-2026-0001", "config-drift", 1),  # no taxonomy row
            ("INC-2026-0002", "config-drift", 0),
            ("INC-2099-0001", "ghost-class", 0),  # a tag of no postmortem
        ],
    )
    conn.execute("COMMIT")
    conn.close()


def test_a_new_file_and_an_upgraded_one_have_the_same_schema(tmp_path: Path) -> None:
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    Store.open(fresh, create=True).close()
    version_one_file(old)
    Store.open(old).close()
    assert user_version(fresh) == user_version(old) == migrations.SCHEMA_VERSION
    assert schema(fresh) == schema(old)
    # The rebuilt table reads as written: its own name, not the one it was built under.
    (sql,) = [s for kind, name, _, s in schema(fresh) if name == "postmortem_failure_classes"]
    assert sql.startswith("CREATE TABLE postmortem_failure_classes (")
    assert "REFERENCES failure_classes(slug)" in sql
    assert not [name for _, name, _, _ in schema(fresh) if name.endswith("_v3")]


def test_a_version_three_file_keeps_every_tag_of_a_postmortem(db_path: Path) -> None:
    version_three_file(db_path)
    with Store.open(db_path, clock=fixed_clock) as store:
        assert [b.name for b in store.backups() if "before-migration-v4" in b.name]
        assert store.load("INC-2026-0001").failure_classes == ["cache-stampede", "config-drift"]
        assert store.load("INC-2026-0002").failure_classes == ["config-drift"]
        described = {c.slug: (c.count, c.description) for c in store.failure_classes()}
        assert described == {
            "cache-stampede": (1, "Many clients refill one expired entry at once"),
            "config-drift": (2, ""),
        }
        # The orphaned tag went with the rebuild; its class never had a taxonomy row.
        assert store.conn.execute(
            "SELECT count(*) FROM postmortem_failure_classes WHERE failure_class = 'ghost-class'"
        ).fetchone() == (0,)
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert ("failure_class", "failure_classes", "slug", "NO ACTION") in foreign_keys(
            store.conn, "postmortem_failure_classes"
        )
    backup = next((db_path.parent / "pm.db.backups").glob("*.db"))
    assert user_version(backup) == 3
    conn = sqlite3.connect(str(backup))
    assert conn.execute("SELECT count(*) FROM postmortem_failure_classes").fetchone() == (4,)
    conn.close()


def test_a_tag_without_its_class_is_refused(store: Store) -> None:
    store.create(Postmortem(id="INC-2026-0001", title="One"))

    def tag_only() -> None:
        store.conn.execute(
            "INSERT INTO postmortem_failure_classes (postmortem_id, failure_class, position) "
            "VALUES ('INC-2026-0001', 'not-in-the-taxonomy', 0)"
        )

    with pytest.raises(StoreError, match="FOREIGN KEY"):
        store.write(tag_only)
    assert store.load("INC-2026-0001").failure_classes == []


def test_every_write_path_of_a_tag_works_with_the_key_on(store: Store) -> None:
    """The key is checked at COMMIT: a document's tags may be written before their classes."""
    pm = Postmortem(id="INC-2026-0001", title="One", failure_classes=["cache-stampede"])
    store.create(pm)
    store.add_failure_class(pm.id, "config-drift")
    store.remove_failure_class(pm.id, "cache-stampede")
    store.rename_class("config-drift", "configuration-drift")
    store.create(Postmortem(id="INC-2026-0002", title="Two", failure_classes=["n+1-query"]))
    store.merge_classes(["configuration-drift"], "n+1-query")
    two = store.load("INC-2026-0002")
    store.replace(two.model_copy(update={"failure_classes": ["brand-new", "n+1-query"]}))
    store.delete(pm.id)
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert store.load("INC-2026-0002").failure_classes == ["brand-new", "n+1-query"]
    assert {c.slug: c.count for c in store.failure_classes()} == {
        "brand-new": 1,
        "n+1-query": 1,
        "cache-stampede": 0,
    }
