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
    NeedsUpgrade,
    NotAPmtuiDatabase,
    ReadOnlyDatabase,
    StaleWrite,
    StoreError,
    UnknownPostmortem,
    WriteFailed,
)
from pmtui.store.knowledge import KnowledgeMixin
from pmtui.store.lifecycle import LifecycleMixin
from pmtui.store.refresh import RefreshMixin
from pmtui.store.search import InvalidQuery, SearchHit, SearchMixin
from pmtui.store.taxonomy import FailureClass, UnknownFailureClass


class Store(LifecycleMixin, KnowledgeMixin, SearchMixin, RefreshMixin):
    """One pmtui database: documents, field-level edits, the door to completion, search,
    the failure-class taxonomy and the knowledge base's figures."""


__all__ = [
    "CompletionRefused",
    "CorruptDatabase",
    "DatabaseBusy",
    "DatabaseTooNew",
    "DocumentLocked",
    "DuplicatePostmortem",
    "FailureClass",
    "InvalidQuery",
    "NeedsUpgrade",
    "NotAPmtuiDatabase",
    "ReadOnlyDatabase",
    "SearchHit",
    "StaleWrite",
    "Store",
    "StoreError",
    "Summary",
    "UnknownFailureClass",
    "UnknownPostmortem",
    "WriteFailed",
]
