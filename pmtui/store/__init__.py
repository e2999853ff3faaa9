"""Provides the SQLite store of postmortems (sqlite-utils); imports the domain only."""

from __future__ import annotations

from pmtui.store.documents import Summary
from pmtui.store.errors import (
    CompletionRefused,
    CorruptDatabase,
    DatabaseBusy,
    DatabaseTooNew,
    DocumentLocked,
    DuplicatePostmortem,
    NotAPmtuiDatabase,
    ReadOnlyDatabase,
    StaleWrite,
    StoreError,
    UnknownPostmortem,
    WriteFailed,
)
from pmtui.store.lifecycle import LifecycleMixin
from pmtui.store.search import InvalidQuery, SearchHit, SearchMixin


class Store(LifecycleMixin, SearchMixin):
    """One pmtui database: documents, field-level edits, the door to completion, search."""


__all__ = [
    "CompletionRefused",
    "CorruptDatabase",
    "DatabaseBusy",
    "DatabaseTooNew",
    "DocumentLocked",
    "DuplicatePostmortem",
    "InvalidQuery",
    "NotAPmtuiDatabase",
    "ReadOnlyDatabase",
    "SearchHit",
    "StaleWrite",
    "Store",
    "StoreError",
    "Summary",
    "UnknownPostmortem",
    "WriteFailed",
]
