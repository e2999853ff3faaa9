"""Provides the document after this session's own save of one row, without a full reload.

Loading a postmortem builds every row into models: a quarter of a second for a timeline
of 10,000 imported log lines, after every edit. When this connection has just saved one
row and nothing else has changed the document since it was read, the saved row is all
there is to read: the rest of the document is the one in memory. The revision says which
case it is: each save bumps it by one, whoever makes it.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from pmtui.domain.models import ActionItem, Postmortem, Row
from pmtui.store.documents import DocumentsMixin, _dicts
from pmtui.store.mapping import COLLECTIONS

# Lists whose items are one row each. A factor's whys and links live in other tables.
_LEAF_ROWS = ("participants", "timeline", "whys", "action_items", "waivers")


class RefreshMixin(DocumentsMixin):
    def with_saved_row(
        self, pm: Postmortem, collection_name: str, row_id: int
    ) -> Postmortem | None:
        """``pm`` with the row ``row_id`` of ``collection_name`` read again after one save.

        For this connection's own save of that row, just made: ``pm`` must be what was
        loaded before it. Returns None when the stored document changed in any other way
        since ``pm`` was read (its revision moved by more than one save, or its own
        fields changed) or the row is not one of its items any more: then only a full
        :meth:`load` is right. The result equals what :meth:`load` would return.
        """
        if collection_name not in _LEAF_ROWS:
            return None
        collection = COLLECTIONS[collection_name]
        with self.reading() as conn:
            head = conn.execute(
                "SELECT revision, version FROM postmortems WHERE id = ?", [pm.id]
            ).fetchone()
            if head is None or tuple(head) != (pm.revision + 1, pm.version):
                return None
            rows = _dicts(conn.execute(f"SELECT * FROM {collection.table} WHERE id = ?", [row_id]))
        if not rows:
            return None
        try:
            item = collection.model.model_validate(collection.to_data(rows[0]))
        except ValidationError:
            return None  # a load reports it: the whole document names where
        item.bind_row(row_id, rows[0]["version"])
        patched = _replaced(pm, collection_name, item)
        if patched is not None:
            patched.bind_revision(head[0])
        return patched


def _at(items: list[Any], item: Row) -> int | None:
    """Where in ``items`` the row of ``item`` is, or None."""
    return next((i for i, old in enumerate(items) if old.row_id == item.row_id), None)


def _swapped(items: list[Any], at: int, item: Row) -> list[Any]:
    return [*items[:at], item, *items[at + 1 :]]


def _replaced(pm: Postmortem, collection_name: str, item: Row) -> Postmortem | None:
    if collection_name == "whys":
        for index, factor in enumerate(pm.contributing_factors):
            at = _at(factor.whys, item)
            if at is not None:
                factors = list(pm.contributing_factors)
                factors[index] = factor.model_copy(update={"whys": _swapped(factor.whys, at, item)})
                return pm.model_copy(update={"contributing_factors": factors})
        return None
    items = getattr(pm, collection_name)
    at = _at(items, item)
    if at is None:
        return None
    if isinstance(item, ActionItem) and item.id != items[at].id:
        return None  # the factors' links name it by its id: they changed too
    return pm.model_copy(update={collection_name: _swapped(items, at, item)})
