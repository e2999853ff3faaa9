"""Provides the schema, one forward migration per version, and the runner that applies them.

The version lives in ``PRAGMA user_version``. We run our own small runner rather than
sqlite-utils' ``Migrations`` because each step must run inside ``BEGIN IMMEDIATE`` and
re-read ``user_version`` once it holds the lock: two terminals opening an old file at the
same moment must not both migrate it. ``user_version`` is written in the same transaction
as the step, so a step that raises leaves the file exactly at the previous version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

from pmtui.store.connection import APPLICATION_ID

Migration = Callable[[Any], None]

SEARCH_COLUMNS = (
    "title",
    "summary",
    "timeline",
    "factors",
    "whys",
    "action_items",
    "lessons",
    "failure_classes",
)

_V1_SCHEMA = """
CREATE TABLE postmortems (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'incident',
    severity TEXT,
    title TEXT NOT NULL DEFAULT '',
    service TEXT NOT NULL DEFAULT '',
    team TEXT NOT NULL DEFAULT '',
    date_of_incident TEXT,
    date_restored TEXT,
    date_of_postmortem TEXT,
    date_published TEXT,
    facilitator TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    impact_duration_minutes INTEGER,
    impact_error_rate_peak TEXT NOT NULL DEFAULT '',
    impact_affected_users_estimate TEXT NOT NULL DEFAULT '',
    impact_slo_budget_consumed_minutes REAL,
    norms_read_at TEXT,
    past_incidents_searched_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    revision INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX postmortems_service ON postmortems(service);
CREATE INDEX postmortems_incident ON postmortems(date_of_incident);

CREATE TABLE participants (
    id INTEGER PRIMARY KEY,
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    directly_involved INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX participants_postmortem ON participants(postmortem_id, position);

CREATE TABLE timeline_entries (
    id INTEGER PRIMARY KEY,
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    time TEXT NOT NULL DEFAULT '',
    event TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    decision_point INTEGER NOT NULL DEFAULT 0,
    context TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX timeline_entries_postmortem ON timeline_entries(postmortem_id, position);

CREATE TABLE contributing_factors (
    id INTEGER PRIMARY KEY,
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    systemic_property TEXT,
    deferred INTEGER NOT NULL DEFAULT 0,
    deferral_reason TEXT NOT NULL DEFAULT '',
    deferral_decided_by TEXT NOT NULL DEFAULT '',
    deferral_review_date TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contributing_factors_postmortem ON contributing_factors(postmortem_id, position);

CREATE TABLE why_steps (
    id INTEGER PRIMARY KEY,
    factor_id INTEGER NOT NULL REFERENCES contributing_factors(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    question TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX why_steps_factor ON why_steps(factor_id, position);

CREATE TABLE action_items (
    id INTEGER PRIMARY KEY,
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    ref TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    due TEXT,
    ticket TEXT NOT NULL DEFAULT '',
    priority TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    completed_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (postmortem_id, ref)
);
CREATE INDEX action_items_postmortem ON action_items(postmortem_id, position);

CREATE TABLE factor_action_items (
    factor_id INTEGER NOT NULL REFERENCES contributing_factors(id) ON DELETE CASCADE,
    action_item_id INTEGER NOT NULL REFERENCES action_items(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (factor_id, action_item_id)
);
CREATE INDEX factor_action_items_item ON factor_action_items(action_item_id);

CREATE TABLE observations (
    id INTEGER PRIMARY KEY,
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('helped', 'hurt')),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX observations_postmortem ON observations(postmortem_id, kind, position);

CREATE TABLE postmortem_failure_classes (
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    failure_class TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (postmortem_id, failure_class)
);
CREATE INDEX postmortem_failure_classes_class ON postmortem_failure_classes(failure_class);

CREATE TABLE related_incidents (
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    related_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (postmortem_id, related_id)
);

CREATE TABLE waivers (
    id INTEGER PRIMARY KEY,
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    path TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    waived_by TEXT NOT NULL DEFAULT '',
    waived_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX waivers_postmortem ON waivers(postmortem_id, position);

CREATE TABLE services (
    name TEXT PRIMARY KEY,
    team TEXT NOT NULL DEFAULT '',
    slo REAL NOT NULL DEFAULT 99.9,
    window_days INTEGER NOT NULL DEFAULT 90,
    counts_sev4 INTEGER NOT NULL DEFAULT 0
);
"""


def _v1_documents(db: sqlite_utils.Database) -> None:
    """The document tables: one row per postmortem, one table per repeated part."""
    # Statement by statement: sqlite3's executescript() would COMMIT our transaction.
    for statement in _V1_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


def _v2_search_and_taxonomy(db: sqlite_utils.Database) -> None:
    """A full-text index over every text field, and a described failure-class taxonomy.

    ``search_text`` holds one row of concatenated text per postmortem; its FTS5 table
    is kept in step by triggers, so Datasette finds and uses it as it is.
    """
    db.execute(
        """
        CREATE TABLE failure_classes (
            slug TEXT PRIMARY KEY,
            description TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute(
        "INSERT OR IGNORE INTO failure_classes (slug) "
        "SELECT DISTINCT failure_class FROM postmortem_failure_classes"
    )
    columns = ",\n".join(f"{name} TEXT NOT NULL DEFAULT ''" for name in SEARCH_COLUMNS)
    db.execute(
        f"""
        CREATE TABLE search_text (
            postmortem_id TEXT PRIMARY KEY REFERENCES postmortems(id) ON DELETE CASCADE,
            {columns}
        )
        """
    )
    db["search_text"].enable_fts(
        list(SEARCH_COLUMNS), fts_version="FTS5", tokenize="porter", create_triggers=True
    )
    # Fill the index for documents written by version 1. Imported lazily: the
    # indexer lives with the repository, which depends on this module.
    from pmtui.store.search_index import reindex_all

    reindex_all(db)


def _v3_undone_items_index(db: Any) -> None:
    """An index of the action items not done: what recurrence looks for.

    The rules ask, for every check, which earlier postmortems of the same failure class
    still have undone items; undone items are a small share of all of them, and this
    partial index finds them without reading the rest.
    """
    db.execute(
        "CREATE INDEX action_items_undone ON action_items(postmortem_id) WHERE status != 'done'"
    )


_V4_TAGS = """
CREATE TABLE postmortem_failure_classes (
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    failure_class TEXT NOT NULL
        REFERENCES failure_classes(slug) DEFERRABLE INITIALLY DEFERRED,
    position INTEGER NOT NULL,
    PRIMARY KEY (postmortem_id, failure_class)
)
"""


def _v4_tags_reference_the_taxonomy(db: Any) -> None:
    """A foreign key from each tag to its failure class, so Datasette links the two.

    SQLite adds a foreign key only by rebuilding the table (its documented "other kinds
    of table schema changes"): the old table is renamed aside, the new one created under
    the real name (so its DDL reads as written), the rows copied, the old one dropped.
    Renaming is safe here because no other table, view or trigger refers to this one.

    The key is checked at COMMIT, not per statement: a document write inserts its tags
    and the taxonomy rows they need in one transaction, tags first. Every tag gets its
    taxonomy row before the copy (v2 made them, but any SQLite client, foreign keys off
    by default, may have added tags since). Tags of a postmortem that no longer exists
    already broke the old table's key, were never shown, and are not copied.
    """
    kept = "postmortem_id IN (SELECT id FROM postmortems)"
    db.execute(
        "INSERT OR IGNORE INTO failure_classes (slug) "
        f"SELECT DISTINCT failure_class FROM postmortem_failure_classes WHERE {kept}"
    )
    db.execute("ALTER TABLE postmortem_failure_classes RENAME TO postmortem_failure_classes_v3")
    db.execute(_V4_TAGS)
    db.execute(
        "INSERT INTO postmortem_failure_classes (postmortem_id, failure_class, position) "
        "SELECT postmortem_id, failure_class, position FROM postmortem_failure_classes_v3 "
        f"WHERE {kept}"
    )
    db.execute("DROP TABLE postmortem_failure_classes_v3")  # and its index with it
    db.execute(
        "CREATE INDEX postmortem_failure_classes_class ON postmortem_failure_classes(failure_class)"
    )
    broken = db.execute("PRAGMA foreign_key_check(postmortem_failure_classes)").fetchall()
    if broken:
        raise RuntimeError(f"postmortem_failure_classes: {len(broken)} tag(s) without a class")


MIGRATIONS: list[Migration] = [
    _v1_documents,
    _v2_search_and_taxonomy,
    _v3_undone_items_index,
    _v4_tags_reference_the_taxonomy,
]
SCHEMA_VERSION = len(MIGRATIONS)


def pending(db: sqlite_utils.Database) -> int:
    """How many migrations this file still needs."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    return max(0, SCHEMA_VERSION - version)


def migrate(db: sqlite_utils.Database, *, target: int = SCHEMA_VERSION) -> list[int]:
    """Apply every pending migration up to ``target``; return the versions applied.

    Each step runs in its own ``BEGIN IMMEDIATE`` transaction together with the new
    ``user_version``; a step that raises is rolled back and stays pending.
    """
    applied: list[int] = []
    conn = db.conn
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= target:
                conn.execute("ROLLBACK")
                return applied
            if version == 0:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            MIGRATIONS[version](db)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(version + 1)
