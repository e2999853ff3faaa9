"""Fixtures for the store tests: stores on temporary files or in memory, sample documents."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pmtui.domain.models import Postmortem
from pmtui.sample_documents import DRAFT_IN_MEETING, SEARCH_SLOWDOWN
from pmtui.store import Store

# The day after INC-2026-0412's meeting: its sample data passes every rule then.
NOW = dt.datetime(2026, 4, 15, 14, 0, tzinfo=dt.UTC)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: a longer store test that still runs by default")


def fixed_clock() -> dt.datetime:
    return NOW


@pytest.fixture
def store() -> Iterator[Store]:
    """A private in-memory store with a fixed clock."""
    with Store.open(None, clock=fixed_clock) as opened:
        yield opened


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "pm.db"


@pytest.fixture
def file_store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path, create=True, clock=fixed_clock) as opened:
        yield opened


def search_slowdown(status: str = "in-meeting") -> Postmortem:
    """INC-2026-0412 from the sample: a document that passes every rule at NOW."""
    return Postmortem.model_validate(SEARCH_SLOWDOWN | {"status": status})


def draft_in_meeting() -> Postmortem:
    """INC-2026-1126 from the sample: a meeting half done, blocked by several gates."""
    return Postmortem.model_validate(DRAFT_IN_MEETING)


def fts_ids(store: Store, query: str) -> list[str]:
    """Postmortem ids whose full-text row matches ``query`` (FTS5 syntax)."""
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT s.postmortem_id FROM search_text_fts f "
            "JOIN search_text s ON s.rowid = f.rowid WHERE search_text_fts MATCH ? "
            "ORDER BY 1",
            [query],
        )
    ]


def dump(conn: sqlite3.Connection) -> list[str]:
    """Every row of every table, as SQL text: compare two of these to prove nothing changed."""
    return list(conn.iterdump())


def head(store: Store, ident: str) -> dict[str, Any]:
    cursor = store.conn.execute("SELECT * FROM postmortems WHERE id = ?", [ident])
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    assert row is not None, f"{ident} not stored"
    return dict(zip(names, row, strict=True))
