"""Provides field-level edits: each one validated, versioned and saved in one transaction.

This is what autosave calls while the meeting runs. Every editable row carries a
``version``; an edit names the version it started from and is applied with
``UPDATE … WHERE id = ? AND version = ?``. When no row matches, someone else saved
first and :class:`StaleWrite` says so — unless the caller passes ``base`` (the values
it saw before editing) and the other session changed only *other* fields of the row,
in which case both edits are kept: that is a merge, not an overwrite. With ``base`` the
lock is on the fields themselves: a save is refused whenever a field no longer holds the
value the editor started from, whatever the row's version says.

A waiver points at a list position (``action_items[2].description``). Every edit that
inserts, moves or deletes an item of a list moves the waivers that point into that list
along with it, in the same transaction, and drops the waivers of a deleted item: a
waiver never silently comes to cover another item. (:func:`retarget_paths` is the rule;
a whole-document write stores the document's waivers as the document has them, and an
editor of a whole document applies :func:`pmtui.domain.findings.retarget_waivers`.)
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from pydantic import ValidationError

from pmtui.domain.errors import DocumentInvalid, describe_validation_error
from pmtui.domain.fields import validate_value
from pmtui.domain.findings import retarget_paths
from pmtui.domain.models import Impact, Postmortem
from pmtui.domain.types import POSTMORTEM_ID_PATTERN
from pmtui.store.documents import DocumentsMixin, _dicts
from pmtui.store.errors import DocumentLocked, StaleWrite, StoreError, UnknownPostmortem
from pmtui.store.mapping import (
    COLLECTIONS,
    OBSERVATION_KINDS,
    SCALAR_COLUMNS,
    Collection,
    sql_value,
)
from pmtui.store.search_index import changes_search_text, reindex

# What may still change once a postmortem is complete: progress on its action items.
_EDITABLE_WHEN_LOCKED = {
    ("action_items", "status"),
    ("action_items", "completed_on"),
    ("action_items", "ticket"),
}
_STATUS_BY_HAND = {"draft", "in-meeting"}


class EditsMixin(DocumentsMixin):
    # ---- shared checks -------------------------------------------------------------

    def _touch(self, ident: str, *, searchable: bool = True) -> None:
        """Bump the revision; with ``searchable``, rebuild the searchable text too."""
        self.conn.execute(
            "UPDATE postmortems SET revision = revision + 1, updated_at = ? WHERE id = ?",
            [self._now_text(), ident],
        )
        if searchable:
            reindex(self.conn, ident)

    def _status_in_tx(self, ident: str) -> str:
        row = self.conn.execute("SELECT status FROM postmortems WHERE id = ?", [ident]).fetchone()
        if row is None:
            raise UnknownPostmortem(ident)
        return row[0]

    def _require_unlocked(self, ident: str, what: tuple[str, str] | None = None) -> None:
        status = self._status_in_tx(ident)
        if status in ("complete", "published") and what not in _EDITABLE_WHEN_LOCKED:
            raise DocumentLocked(
                f"{ident} is {status}: reopen it before changing it "
                "(only action item progress can change after completion)"
            )

    # ---- top-level fields ----------------------------------------------------------

    def set_field(
        self, ident: str, field: str, value: Any, *, version: int, base: Any = ...
    ) -> int:
        """Save one top-level field (``title``, ``impact.duration_minutes``, …).

        Returns the postmortem's new version. ``status`` accepts only draft and
        in-meeting: completion goes through :meth:`complete`, publication through
        :meth:`publish`.
        """
        if field not in SCALAR_COLUMNS:
            raise DocumentInvalid([f"{field}: not a field that can be edited on its own"])
        if field == "kind":
            raise DocumentInvalid(["kind: follows the id (INC- or NM-) and cannot be edited"])
        model, name = (
            (Impact, field.removeprefix("impact."))
            if field.startswith("impact.")
            else (
                Postmortem,
                field,
            )
        )
        value = validate_value(model, name, value, field)
        if base is not ...:
            base = validate_value(model, name, base, field)
        if field == "status" and value not in _STATUS_BY_HAND:
            raise DocumentInvalid(
                [f'status: "{value}" is set by completing or publishing, not by editing']
            )
        column = SCALAR_COLUMNS[field]

        def unit() -> int:
            self._require_unlocked(ident)
            current = self.conn.execute(
                f"SELECT version, {column} FROM postmortems WHERE id = ?", [ident]
            ).fetchone()
            if current is None:
                raise UnknownPostmortem(ident)
            # With a base, the lock is on the field: it must still hold what the editor
            # started from. Without one, the whole row's version must match.
            stale = current[1] != sql_value(base) if base is not ... else current[0] != version
            if stale:
                raise StaleWrite(f"{ident} {field}", version, current[0], {field: current[1]})
            self.conn.execute(
                f"UPDATE postmortems SET {column} = ?, version = version + 1 WHERE id = ?",
                [sql_value(value), ident],
            )
            self._touch(ident)
            return current[0] + 1

        return self.write(unit)

    # ---- rows of a collection ------------------------------------------------------

    def _collection(self, name: str) -> Collection:
        if name not in COLLECTIONS:
            raise StoreError(f"{name}: not a list of the document")
        return COLLECTIONS[name]

    def _owner_of(self, collection: Collection, row: dict[str, Any]) -> str:
        if collection.parent_column == "factor_id":
            return self.conn.execute(
                "SELECT postmortem_id FROM contributing_factors WHERE id = ?", [row["factor_id"]]
            ).fetchone()[0]
        return row["postmortem_id"]

    def _row(self, collection: Collection, row_id: int) -> dict[str, Any] | None:
        rows = _dicts(self.conn.execute(f"SELECT * FROM {collection.table} WHERE id = ?", [row_id]))
        return rows[0] if rows else None

    def _path(self, collection: Collection, row: dict[str, Any]) -> str:
        if collection.parent_column == "factor_id":
            factor_pos = self.conn.execute(
                "SELECT position FROM contributing_factors WHERE id = ?", [row["factor_id"]]
            ).fetchone()[0]
            return f"contributing_factors[{factor_pos}].whys[{row['position']}]"
        return f"{collection.name}[{row['position']}]"

    def _validated_item(
        self, collection: Collection, row: dict[str, Any], changes: dict[str, Any]
    ) -> Any:
        """The row's item with ``changes`` applied, validated as the document would be."""
        path = self._path(collection, row)
        editable = set(collection.fields) | ({"deferral"} if collection.unpack else set())
        unknown = set(changes) - editable
        if unknown:
            raise DocumentInvalid([f"{path}.{name}: not editable here" for name in sorted(unknown)])
        data = collection.to_data(row) | changes
        try:
            return collection.model.model_validate(data)
        except ValidationError as exc:
            raise DocumentInvalid(
                [f"{path}.{p}" for p in describe_validation_error(exc, collection.model)]
            ) from None

    def update_item(
        self,
        ident: str,
        collection_name: str,
        row_id: int,
        changes: dict[str, Any],
        *,
        version: int,
        base: dict[str, Any] | None = None,
    ) -> int:
        """Save ``changes`` to one row (a timeline entry, a why step, an action item…).

        Returns the row's new version. Raises StaleWrite when another session saved the
        row first (``theirs`` is its current content, or None if it was deleted).
        """
        collection = self._collection(collection_name)

        def unit() -> int:
            row = self._row(collection, row_id)
            if row is None or self._owner_of(collection, row) != ident:
                raise StaleWrite(f"{collection_name} item", version, None, None)
            for field in changes or [""]:
                self._require_unlocked(ident, (collection_name, field))
            theirs = collection.to_data(row)
            if base is not None:
                # Field-level lock: the fields being changed must still hold what the
                # editor started from; changes to other fields of the row are kept.
                stale = any(sql_value(theirs.get(k)) != sql_value(v) for k, v in base.items())
            else:
                stale = row["version"] != version
            if stale:
                raise StaleWrite(f"{self._path(collection, row)}", version, row["version"], theirs)
            item = self._validated_item(collection, row, changes)
            new_row = collection.to_row(item)
            if collection_name == "action_items" and new_row["ref"] != row["ref"]:
                if not new_row["ref"]:
                    # A blank ref would be stored, then re-assigned on load: its links break.
                    raise DocumentInvalid(
                        [f"{self._path(collection, row)}.id: an action item needs an id"]
                    )
                self._check_ref_free(ident, new_row["ref"], row_id)
            assignments = ", ".join(f"{c} = ?" for c in new_row)
            self.conn.execute(
                f"UPDATE {collection.table} SET {assignments}, version = version + 1 WHERE id = ?",
                [*new_row.values(), row_id],
            )
            self._touch(ident, searchable=changes_search_text(collection_name, changes))
            return row["version"] + 1

        return self.write(unit)

    def _check_ref_free(self, ident: str, ref: str, row_id: int | None) -> None:
        clash = self.conn.execute(
            "SELECT id FROM action_items WHERE postmortem_id = ? AND ref = ?", [ident, ref]
        ).fetchone()
        if clash and clash[0] != row_id:
            raise DocumentInvalid([f'action_items: id "{ref}" is already used'])

    def _positions(self, collection: Collection, parent: Any) -> list[int]:
        """Row ids of a list in order."""
        return [
            r[0]
            for r in self.conn.execute(
                f"SELECT id FROM {collection.table} WHERE {collection.parent_column} = ? "
                "ORDER BY position",
                [parent],
            )
        ]

    def _renumber(self, table: str, ordered_ids: list[int]) -> None:
        self.conn.executemany(
            f"UPDATE {table} SET position = ? WHERE id = ?",
            [(i, row_id) for i, row_id in enumerate(ordered_ids)],
        )

    def _list_path(self, collection: Collection, parent: Any) -> str:
        """The document path of the list of ``collection`` under ``parent``."""
        if collection.parent_column != "factor_id":
            return collection.name
        position = self.conn.execute(
            "SELECT position FROM contributing_factors WHERE id = ?", [parent]
        ).fetchone()[0]
        return f"contributing_factors[{position}].whys"

    def _retarget_waivers(
        self, ident: str, prefix: str, before: Sequence[Hashable], after: Sequence[Hashable]
    ) -> None:
        """Move the waivers pointing into the list at ``prefix`` with its items.

        ``before`` and ``after`` are the list's items (row ids, slugs) in order, before
        and after the change. Runs inside the change's transaction; a waiver of a deleted
        item is deleted. A waiver's version does not change: it still says the same
        thing, about the same item (as a reordered row keeps its version).
        """
        rows = self.conn.execute(
            "SELECT id, path FROM waivers WHERE postmortem_id = ? ORDER BY position", [ident]
        ).fetchall()
        if not rows:
            return
        rank = {item: position for position, item in enumerate(after)}
        moved = [rank.get(item) for item in before]
        paths = retarget_paths([r[1] for r in rows], prefix, moved, len(after) - len(before))
        gone = [row_id for (row_id, _), path in zip(rows, paths, strict=True) if path is None]
        self.conn.executemany(
            "UPDATE waivers SET path = ? WHERE id = ?",
            [
                (path, row_id)
                for (row_id, old), path in zip(rows, paths, strict=True)
                if path is not None and path != old
            ],
        )
        if gone:
            self.conn.executemany("DELETE FROM waivers WHERE id = ?", [(g,) for g in gone])
            self._renumber("waivers", [r[0] for r in rows if r[0] not in gone])

    def _parent(self, ident: str, collection: Collection, parent_row_id: int | None) -> Any:
        if collection.parent_column != "factor_id":
            return ident
        owner = self.conn.execute(
            "SELECT postmortem_id FROM contributing_factors WHERE id = ?", [parent_row_id]
        ).fetchone()
        if owner is None or owner[0] != ident:
            raise StaleWrite("contributing factor", 0, None, None)
        return parent_row_id

    def add_item(
        self,
        ident: str,
        collection_name: str,
        item: Any,
        *,
        index: int | None = None,
        parent_row_id: int | None = None,
    ) -> Any:
        """Insert ``item`` (a model or a dict) at ``index`` (default: the end).

        Whys need ``parent_row_id``, the factor's row. Returns the item as stored, with
        its row id and version bound (an action item also gets its ``id`` assigned).
        """
        collection = self._collection(collection_name)
        if isinstance(item, dict):
            try:
                item = collection.model.model_validate(item)
            except ValidationError as exc:
                raise DocumentInvalid(
                    [f"{collection_name}[new].{p}" for p in describe_validation_error(exc)]
                ) from None
        else:
            item = item.model_copy(deep=True)
        if collection_name == "contributing_factors" and item.whys:
            raise StoreError("add a factor first, then its whys")

        def unit() -> Any:
            self._require_unlocked(ident)
            parent = self._parent(ident, collection, parent_row_id)
            if collection_name == "action_items":
                if not item.id:
                    item.id = self._next_ref(ident)
                self._check_ref_free(ident, item.id, None)
            order = self._positions(collection, parent)
            at = len(order) if index is None else max(0, min(index, len(order)))
            row = collection.to_row(item) | {
                collection.parent_column: parent,
                "position": len(order),
            }
            row_id = self.insert_row(collection.table, row)
            before = list(order)
            order.insert(at, row_id)
            self._renumber(collection.table, order)
            self._retarget_waivers(ident, self._list_path(collection, parent), before, order)
            if collection_name == "contributing_factors":
                for i, ref in enumerate(item.actions):
                    self._link(ident, row_id, ref, i)
            self._touch(ident)
            return item.bind_row(row_id, 1)

        return self.write(unit)

    def _next_ref(self, ident: str) -> str:
        taken = {
            r[0]
            for r in self.conn.execute(
                "SELECT ref FROM action_items WHERE postmortem_id = ?", [ident]
            )
        }
        counter = 1
        while f"A{counter}" in taken:
            counter += 1
        return f"A{counter}"

    def delete_item(
        self, ident: str, collection_name: str, row_id: int, *, version: int | None
    ) -> None:
        """Delete a row. With a ``version``, refuse when another session changed it since."""
        collection = self._collection(collection_name)

        def unit() -> None:
            row = self._row(collection, row_id)
            if row is None or self._owner_of(collection, row) != ident:
                return  # already gone: deleting twice is not an error
            self._require_unlocked(ident)
            if version is not None and row["version"] != version:
                raise StaleWrite(
                    self._path(collection, row), version, row["version"], collection.to_data(row)
                )
            parent = row[collection.parent_column]
            before = self._positions(collection, parent)
            prefix = self._list_path(collection, parent)
            self.conn.execute(f"DELETE FROM {collection.table} WHERE id = ?", [row_id])
            after = self._positions(collection, parent)
            self._renumber(collection.table, after)
            self._retarget_waivers(ident, prefix, before, after)
            self._touch(ident)

        self.write(unit)

    def move_item(self, ident: str, collection_name: str, row_id: int, index: int) -> None:
        """Move a row to ``index`` within its list (reordering is never a conflict)."""
        collection = self._collection(collection_name)

        def unit() -> None:
            row = self._row(collection, row_id)
            if row is None or self._owner_of(collection, row) != ident:
                raise StaleWrite(f"{collection_name} item", 0, None, None)
            self._require_unlocked(ident)
            parent = row[collection.parent_column]
            order = self._positions(collection, parent)
            before = list(order)
            order.remove(row_id)
            order.insert(max(0, min(index, len(order))), row_id)
            self._renumber(collection.table, order)
            self._retarget_waivers(ident, self._list_path(collection, parent), before, order)
            self._touch(ident)

        self.write(unit)

    # ---- links between factors and action items ------------------------------------

    def _link(self, ident: str, factor_row_id: int, ref: str, position: int | None = None) -> None:
        item = self.conn.execute(
            "SELECT id FROM action_items WHERE postmortem_id = ? AND ref = ?", [ident, ref]
        ).fetchone()
        if item is None:
            raise DocumentInvalid([f'actions: "{ref}" is not an action item of {ident}'])
        if position is None:
            position = self.conn.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM factor_action_items "
                "WHERE factor_id = ?",
                [factor_row_id],
            ).fetchone()[0]
        self.conn.execute(
            "INSERT OR IGNORE INTO factor_action_items (factor_id, action_item_id, position) "
            "VALUES (?, ?, ?)",
            [factor_row_id, item[0], position],
        )

    def link_action(self, ident: str, factor_row_id: int, ref: str) -> None:
        """Record that action item ``ref`` changes the factor's systemic property."""

        def unit() -> None:
            self._require_unlocked(ident)
            self._parent(ident, COLLECTIONS["whys"], factor_row_id)
            self._link(ident, factor_row_id, ref)
            self._touch(ident)

        self.write(unit)

    def unlink_action(self, ident: str, factor_row_id: int, ref: str) -> None:
        def unit() -> None:
            self._require_unlocked(ident)
            self.conn.execute(
                "DELETE FROM factor_action_items WHERE factor_id = ? AND action_item_id = "
                "(SELECT id FROM action_items WHERE postmortem_id = ? AND ref = ?)",
                [factor_row_id, ident, ref],
            )
            self._touch(ident)

        self.write(unit)

    # ---- plain-string lists: what helped, what hurt --------------------------------

    def _observation_kind(self, name: str) -> str:
        if name not in OBSERVATION_KINDS:
            raise StoreError(f"{name}: not a list of facts")
        return OBSERVATION_KINDS[name]

    def add_text(
        self, ident: str, name: str, text: str, *, index: int | None = None
    ) -> tuple[int, int]:
        """Add a fact to ``what_helped`` / ``what_hurt``; returns (row id, version)."""
        kind = self._observation_kind(name)
        value = validate_value(Postmortem, name, [text], f"{name}[new]")[0]

        def unit() -> tuple[int, int]:
            self._require_unlocked(ident)
            order = self._observation_order(ident, kind)
            before = list(order)
            row_id = self.insert_row(
                "observations",
                {"postmortem_id": ident, "kind": kind, "position": len(order), "text": value},
            )
            order.insert(len(order) if index is None else max(0, min(index, len(order))), row_id)
            self._renumber("observations", order)
            self._retarget_waivers(ident, name, before, order)
            self._touch(ident)
            return row_id, 1

        return self.write(unit)

    def _observation_order(self, ident: str, kind: str) -> list[int]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM observations WHERE postmortem_id = ? AND kind = ? "
                "ORDER BY position",
                [ident, kind],
            )
        ]

    def update_text(
        self,
        ident: str,
        name: str,
        row_id: int,
        text: str,
        *,
        version: int,
        base: str | None = None,
    ) -> int:
        kind = self._observation_kind(name)
        value = validate_value(Postmortem, name, [text], name)[0]

        def unit() -> int:
            self._require_unlocked(ident)
            row = self.conn.execute(
                "SELECT version, text, position FROM observations "
                "WHERE id = ? AND postmortem_id = ? AND kind = ?",
                [row_id, ident, kind],
            ).fetchone()
            if row is None:
                raise StaleWrite(f"{name} item", version, None, None)
            if (row[1] != base) if base is not None else (row[0] != version):
                raise StaleWrite(f"{name}[{row[2]}]", version, row[0], {"text": row[1]})
            self.conn.execute(
                "UPDATE observations SET text = ?, version = version + 1 WHERE id = ?",
                [value, row_id],
            )
            self._touch(ident)
            return row[0] + 1

        return self.write(unit)

    def delete_text(self, ident: str, name: str, row_id: int) -> None:
        kind = self._observation_kind(name)

        def unit() -> None:
            self._require_unlocked(ident)
            before = self._observation_order(ident, kind)
            self.conn.execute(
                "DELETE FROM observations WHERE id = ? AND postmortem_id = ? AND kind = ?",
                [row_id, ident, kind],
            )
            after = self._observation_order(ident, kind)
            self._renumber("observations", after)
            self._retarget_waivers(ident, name, before, after)
            self._touch(ident)

        self.write(unit)

    # ---- tags and links to other postmortems ---------------------------------------

    def add_failure_class(self, ident: str, slug: str) -> str:
        """Tag the postmortem; returns the normalised slug."""
        value = validate_value(Postmortem, "failure_classes", [slug], "failure_classes")[0]

        def unit() -> str:
            self._require_unlocked(ident)
            self.conn.execute("INSERT OR IGNORE INTO failure_classes (slug) VALUES (?)", [value])
            self.conn.execute(
                "INSERT OR IGNORE INTO postmortem_failure_classes "
                "(postmortem_id, failure_class, position) VALUES (?, ?, "
                "(SELECT coalesce(max(position) + 1, 0) FROM postmortem_failure_classes "
                "WHERE postmortem_id = ?))",
                [ident, value, ident],
            )
            self._touch(ident)
            return value

        return self.write(unit)

    def remove_failure_class(self, ident: str, slug: str) -> None:
        def unit() -> None:
            self._require_unlocked(ident)
            before = self._failure_classes(ident)
            self.conn.execute(
                "DELETE FROM postmortem_failure_classes WHERE postmortem_id = ? "
                "AND failure_class = ?",
                [ident, slug],
            )
            # A recurrence points at failure_classes[i]: the later classes move up.
            self._retarget_waivers(ident, "failure_classes", before, self._failure_classes(ident))
            self._touch(ident)

        self.write(unit)

    def _failure_classes(self, ident: str) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT failure_class FROM postmortem_failure_classes WHERE postmortem_id = ? "
                "ORDER BY position",
                [ident],
            )
        ]

    def add_related(self, ident: str, related_id: str) -> None:
        value = related_id.strip().upper()
        if not POSTMORTEM_ID_PATTERN.match(value) or value == ident:
            raise DocumentInvalid(
                [f'related_incidents: "{related_id}" is not another postmortem id']
            )

        def unit() -> None:
            self._require_unlocked(ident)
            self.conn.execute(
                "INSERT OR IGNORE INTO related_incidents (postmortem_id, related_id, position) "
                "VALUES (?, ?, (SELECT coalesce(max(position) + 1, 0) FROM related_incidents "
                "WHERE postmortem_id = ?))",
                [ident, value, ident],
            )
            self._touch(ident)

        self.write(unit)

    def remove_related(self, ident: str, related_id: str) -> None:
        def unit() -> None:
            self._require_unlocked(ident)
            self.conn.execute(
                "DELETE FROM related_incidents WHERE postmortem_id = ? AND related_id = ?",
                [ident, related_id],
            )
            self._touch(ident)

        self.write(unit)
