"""Provides the SQLite store of postmortems (sqlite-utils); imports the domain only.

The errors and :class:`Listing` (the list of postmortems) import no models; the rest of
the store, which builds pydantic documents, is imported on first use of its names, so
``from pmtui.store import Listing`` stays light for the app's first paint.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
from pmtui.store.listing import Listing, Summary

if TYPE_CHECKING:
    from pmtui.store.search import InvalidQuery, SearchHit
    from pmtui.store.store import Store
    from pmtui.store.taxonomy import FailureClass, UnknownFailureClass

_LAZY = {
    "Store": "pmtui.store.store",
    "InvalidQuery": "pmtui.store.search",
    "SearchHit": "pmtui.store.search",
    "FailureClass": "pmtui.store.taxonomy",
    "UnknownFailureClass": "pmtui.store.taxonomy",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CompletionRefused",
    "CorruptDatabase",
    "DatabaseBusy",
    "DatabaseTooNew",
    "DocumentLocked",
    "DuplicatePostmortem",
    "FailureClass",
    "InvalidQuery",
    "Listing",
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
