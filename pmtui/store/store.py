"""Provides :class:`Store`: every part of the store in one class."""

from __future__ import annotations

from pmtui.store.knowledge import KnowledgeMixin
from pmtui.store.lifecycle import LifecycleMixin
from pmtui.store.refresh import RefreshMixin
from pmtui.store.search import SearchMixin


class Store(LifecycleMixin, KnowledgeMixin, SearchMixin, RefreshMixin):
    """One pmtui database: documents, field-level edits, the door to completion, search,
    the failure-class taxonomy and the knowledge base's figures."""
