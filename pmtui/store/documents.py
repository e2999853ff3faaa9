"""Provides whole-document reads and writes: load, create, replace, delete, list.

A whole-document write replaces every row of the postmortem in one transaction; the
field-level edits in :mod:`pmtui.store.edits` are what the meeting uses while it runs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import ValidationError

from pmtui.domain.errors import DocumentInvalid, describe_validation_error
from pmtui.domain.models import Postmortem, Service
from pmtui.store.errors import DuplicatePostmortem, StoreError, UnknownPostmortem
from pmtui.store.listing import Listing
from pmtui.store.mapping import (
    ACTION_ITEMS,
    COLLECTIONS,
    FACTORS,
    OBSERVATION_KINDS,
    PARTICIPANTS,
    TIMELINE,
    WAIVERS,
    WHYS,
    Collection,
    postmortem_data,
    postmortem_row,
)
from pmtui.store.search_index import reindex


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _refuse_repeats(pm: Postmortem) -> None:
    """Refuse a repeated failure class, related id or factor link, naming where it repeats.

    The tables keep these as sets (their primary keys forbid a repeat), so without this
    check such a document fails half-way with SQLite's "UNIQUE constraint failed".
    """
    lists = [("failure_classes", pm.failure_classes), ("related_incidents", pm.related_incidents)]
    lists += [
        (f"contributing_factors[{i}].actions", f.actions)
        for i, f in enumerate(pm.contributing_factors)
    ]
    problems = []
    for path, values in lists:
        seen: set[str] = set()
        for index, value in enumerate(values):
            if value in seen:
                problems.append(f'{path}[{index}]: "{value}" is listed twice')
            seen.add(value)
    if problems:
        raise DocumentInvalid(problems, source=pm.id)


SummaryOrder = Literal["incident", "id"]


class DocumentsMixin(Listing):
    # ---- reading -------------------------------------------------------------------

    def load(self, ident: str) -> Postmortem:
        """The whole document, its rows bound to their ids and versions."""
        with self.reading() as conn:
            rows = _dicts(conn.execute("SELECT * FROM postmortems WHERE id = ?", [ident]))
            if not rows:
                raise UnknownPostmortem(ident)
            head = rows[0]
            parts = {
                c.name: _dicts(
                    conn.execute(
                        f"SELECT * FROM {c.table} WHERE postmortem_id = ? ORDER BY position",
                        [ident],
                    )
                )
                for c in (PARTICIPANTS, TIMELINE, FACTORS, ACTION_ITEMS, WAIVERS)
            }
            whys = _dicts(
                conn.execute(
                    "SELECT w.* FROM why_steps w JOIN contributing_factors f "
                    "ON f.id = w.factor_id WHERE f.postmortem_id = ? ORDER BY w.position",
                    [ident],
                )
            )
            links = conn.execute(
                "SELECT l.factor_id, a.ref FROM factor_action_items l "
                "JOIN action_items a ON a.id = l.action_item_id "
                "WHERE a.postmortem_id = ? ORDER BY l.position",
                [ident],
            ).fetchall()
            observations = _dicts(
                conn.execute(
                    "SELECT id, kind, text, version FROM observations "
                    "WHERE postmortem_id = ? ORDER BY position",
                    [ident],
                )
            )
            classes = conn.execute(
                "SELECT failure_class FROM postmortem_failure_classes "
                "WHERE postmortem_id = ? ORDER BY position",
                [ident],
            ).fetchall()
            related = conn.execute(
                "SELECT related_id FROM related_incidents WHERE postmortem_id = ? "
                "ORDER BY position",
                [ident],
            ).fetchall()
        return self._assemble(head, parts, whys, links, observations, classes, related)

    def _assemble(
        self,
        head: dict[str, Any],
        parts: dict[str, list[dict[str, Any]]],
        whys: list[dict[str, Any]],
        links: list[tuple[int, str]],
        observations: list[dict[str, Any]],
        classes: list[tuple[str]],
        related: list[tuple[str]],
    ) -> Postmortem:
        whys_by_factor: dict[int, list[dict[str, Any]]] = {}
        for row in whys:
            whys_by_factor.setdefault(row["factor_id"], []).append(row)
        links_by_factor: dict[int, list[str]] = {}
        for factor_id, ref in links:
            links_by_factor.setdefault(factor_id, []).append(ref)
        data = postmortem_data(head)
        for name, rows in parts.items():
            data[name] = [COLLECTIONS[name].to_data(r) for r in rows]
        for factor_data, row in zip(
            data["contributing_factors"], parts["contributing_factors"], strict=True
        ):
            factor_data["whys"] = [WHYS.to_data(w) for w in whys_by_factor.get(row["id"], [])]
            factor_data["actions"] = links_by_factor.get(row["id"], [])
        for name, kind in OBSERVATION_KINDS.items():
            data[name] = [o["text"] for o in observations if o["kind"] == kind]
        data["failure_classes"] = [c[0] for c in classes]
        data["related_incidents"] = [r[0] for r in related]
        try:
            pm = Postmortem.model_validate(data)
        except ValidationError as exc:
            raise DocumentInvalid(
                describe_validation_error(exc, Postmortem), source=f"{head['id']} in the database"
            ) from None
        pm.bind_row(None, head["version"])
        for name, rows in parts.items():
            for item, row in zip(getattr(pm, name), rows, strict=True):
                item.bind_row(row["id"], row["version"])
        for factor, row in zip(pm.contributing_factors, parts["contributing_factors"], strict=True):
            for step, why_row in zip(factor.whys, whys_by_factor.get(row["id"], []), strict=True):
                step.bind_row(why_row["id"], why_row["version"])
        pm.bind_lists(
            {
                name: [(o["id"], o["version"]) for o in observations if o["kind"] == kind]
                for name, kind in OBSERVATION_KINDS.items()
            },
            head["revision"],
        )
        return pm

    def load_many(self, idents: Iterable[str]) -> list[Postmortem]:
        return [self.load(i) for i in idents]

    # ---- writing -------------------------------------------------------------------

    def create(self, pm: Postmortem) -> Postmortem:
        """Insert a new postmortem; refuse an id that exists. Returns it as stored."""
        self.write_document(pm)
        return self.load(pm.id)

    def replace(self, pm: Postmortem) -> Postmortem:
        """Write ``pm`` whole, replacing the stored document with the same id (or creating it)."""
        self.write_document(pm, replace=True)
        return self.load(pm.id)

    def write_document(self, pm: Postmortem, *, replace: bool = False) -> list[Any]:
        """Write ``pm`` whole in one transaction (a savepoint inside a caller's transaction).

        Without ``replace`` an existing id is refused with DuplicatePostmortem. Returns the
        findings that changed its status on the way in (see the lifecycle's admit()).
        """

        def unit() -> None:
            row = self.conn.execute(
                "SELECT version, revision, created_at FROM postmortems WHERE id = ?", [pm.id]
            ).fetchone()
            if row is None:
                self._insert_document(pm, version=1, revision=1)
            elif not replace:
                raise DuplicatePostmortem(pm.id)
            else:
                self.conn.execute("DELETE FROM postmortems WHERE id = ?", [pm.id])
                self._insert_document(
                    pm, version=row[0] + 1, revision=row[1] + 1, created_at=row[2]
                )

        self.write(unit)
        return []

    def delete(self, ident: str) -> None:
        def unit() -> None:
            if not self.conn.execute("DELETE FROM postmortems WHERE id = ?", [ident]).rowcount:
                raise UnknownPostmortem(ident)

        self.write(unit)

    def _insert_document(
        self, pm: Postmortem, *, version: int, revision: int, created_at: str | None = None
    ) -> None:
        """Insert every row of ``pm`` (inside an open write transaction)."""
        _refuse_repeats(pm)
        now = self._now_text()
        head = postmortem_row(pm) | {
            "version": version,
            "revision": revision,
            "created_at": created_at or now,
            "updated_at": now,
        }
        self._insert("postmortems", [head])
        for collection in (PARTICIPANTS, TIMELINE, WAIVERS):
            self._insert_rows(collection, pm.id, getattr(pm, collection.name))
        item_ids = dict(
            zip(
                (a.id for a in pm.action_items),
                self._insert_rows(ACTION_ITEMS, pm.id, pm.action_items, with_ids=True),
                strict=True,
            )
        )
        factor_ids = self._insert_rows(FACTORS, pm.id, pm.contributing_factors, with_ids=True)
        links = []
        for factor, factor_id in zip(pm.contributing_factors, factor_ids, strict=True):
            self._insert_rows(WHYS, factor_id, factor.whys)
            links += [
                {"factor_id": factor_id, "action_item_id": item_ids[ref], "position": i}
                for i, ref in enumerate(factor.actions)
            ]
        self._insert("factor_action_items", links)
        self._insert(
            "observations",
            [
                {"postmortem_id": pm.id, "kind": kind, "position": i, "text": text}
                for name, kind in OBSERVATION_KINDS.items()
                for i, text in enumerate(getattr(pm, name))
            ],
        )
        self._insert(
            "postmortem_failure_classes",
            [
                {"postmortem_id": pm.id, "failure_class": slug, "position": i}
                for i, slug in enumerate(pm.failure_classes)
            ],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO failure_classes (slug) VALUES (?)",
            [(slug,) for slug in pm.failure_classes],
        )
        self._insert(
            "related_incidents",
            [
                {"postmortem_id": pm.id, "related_id": rid, "position": i}
                for i, rid in enumerate(pm.related_incidents)
            ],
        )
        reindex(self.conn, pm.id)

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Plain INSERTs: a whole document is a few dozen rows, written without introspection."""
        if not rows:
            return
        columns = list(rows[0])
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [[row[c] for c in columns] for row in rows],
        )

    def _insert_rows(
        self, collection: Collection, parent: Any, items: Sequence[Any], *, with_ids: bool = False
    ) -> list[int]:
        rows = [
            collection.to_row(item) | {collection.parent_column: parent, "position": position}
            for position, item in enumerate(items)
        ]
        if not with_ids:
            self._insert(collection.table, rows)
            return []
        ids = []
        for row in rows:
            columns = list(row)
            cursor = self.conn.execute(
                f"INSERT INTO {collection.table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                list(row.values()),
            )
            ids.append(cursor.lastrowid)
        return ids

    def _now_text(self) -> str:
        from pmtui.domain.types import format_timestamp

        return format_timestamp(self.clock())

    # ---- services ------------------------------------------------------------------

    def services(self) -> list[Service]:
        with self._lock:
            rows = _dicts(self.conn.execute("SELECT * FROM services ORDER BY name"))
        return [Service.model_validate(r | {"counts_sev4": bool(r["counts_sev4"])}) for r in rows]

    def service(self, name: str) -> Service | None:
        return next((s for s in self.services() if s.name == name), None)

    def save_service(self, service: Service) -> None:
        def unit() -> None:
            row = service.model_dump() | {"counts_sev4": int(service.counts_sev4)}
            self.conn.execute(
                "INSERT INTO services (name, team, slo, window_days, counts_sev4) "
                "VALUES (:name, :team, :slo, :window_days, :counts_sev4) "
                "ON CONFLICT (name) DO UPDATE SET team = excluded.team, slo = excluded.slo, "
                "window_days = excluded.window_days, counts_sev4 = excluded.counts_sev4",
                row,
            )

        self.write(unit)

    def service_names(self) -> list[str]:
        """Every service named by a postmortem or configured with an SLO."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT name FROM services UNION SELECT service FROM postmortems "
                "WHERE service != '' ORDER BY 1"
            ).fetchall()
        return [r[0] for r in rows]

    def require(self, ident: str) -> None:
        if not self.exists(ident):
            raise UnknownPostmortem(ident)


__all__ = ["DocumentsMixin", "StoreError"]
