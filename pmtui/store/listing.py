"""Provides the light half of the store: the list of postmortems and plain lookups.

Nothing here builds a model, so this opens the file and lists its postmortems without
importing pydantic or the document models: the app paints Home from it and imports the
rest of the store (:class:`pmtui.store.Store`, which includes this) when a postmortem is
opened, searched or created.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pmtui.domain.scalars import SEVERITIES, STATUSES, parse_timestamp
from pmtui.store.base import StoreBase
from pmtui.store.errors import UnknownPostmortem


def _instant(text: str | None) -> dt.datetime | None:
    """A stored timestamp; None when empty or unreadable (a file edited by hand): the
    list then shows no deadline for it rather than failing to open."""
    try:
        return parse_timestamp(text) if text else None
    except ValueError:
        return None


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class DeadlineFacts:
    """A postmortem's kind, severity and dates: enough to judge its deadlines."""

    kind: str
    severity: str | None
    date_restored: dt.datetime | None
    date_of_postmortem: dt.date | None
    date_published: dt.datetime | None


@dataclass(frozen=True)
class Summary:
    """One line of the postmortem list: enough to show, sort and judge deadlines."""

    id: str
    kind: str
    severity: str | None
    title: str
    status: str
    service: str
    team: str
    date_of_incident: str | None
    date_restored: str | None
    date_of_postmortem: str | None
    date_published: str | None
    revision: int

    def deadline_facts(self) -> DeadlineFacts:
        """What ``pmtui.domain.severity.deadline_state`` judges, with the dates parsed."""
        return DeadlineFacts(
            kind=self.kind,
            severity=self.severity,
            date_restored=_instant(self.date_restored),
            date_of_postmortem=_day(self.date_of_postmortem),
            date_published=_instant(self.date_published),
        )


class Listing(StoreBase):
    """An open database that answers from plain rows: the list of postmortems, ids,
    revisions. ``Store.adopt(listing)`` is the whole store over the same connection."""

    def exists(self, ident: str) -> bool:
        with self._lock:
            row = self.conn.execute("SELECT 1 FROM postmortems WHERE id = ?", [ident]).fetchone()
        return row is not None

    def count(self) -> int:
        with self._lock:
            return self.conn.execute("SELECT count(*) FROM postmortems").fetchone()[0]

    def ids(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self.conn.execute("SELECT id FROM postmortems ORDER BY id")]

    def latest_in_meeting(self) -> str | None:
        """The postmortem most recently saved while its meeting runs (for the scribe)."""
        with self._lock:
            row = self.conn.execute(
                "SELECT id FROM postmortems WHERE status IN ('draft', 'in-meeting') "
                "ORDER BY updated_at DESC, id DESC LIMIT 1"
            ).fetchone()
        return row[0] if row else None

    def updated_at(self, ident: str) -> str:
        """When the postmortem was last saved (ISO text, UTC)."""
        with self._lock:
            row = self.conn.execute(
                "SELECT updated_at FROM postmortems WHERE id = ?", [ident]
            ).fetchone()
        if row is None:
            raise UnknownPostmortem(ident)
        return row[0]

    def ids_for_service(self, service: str) -> list[str]:
        with self._lock:
            return [
                r[0]
                for r in self.conn.execute(
                    "SELECT id FROM postmortems WHERE service = ? COLLATE NOCASE ORDER BY id",
                    [service],
                )
            ]

    def revisions(self) -> dict[str, int]:
        """Every postmortem's revision: compare two readings to see what another session changed."""
        with self._lock:
            return dict(self.conn.execute("SELECT id, revision FROM postmortems").fetchall())

    def _summary_filter(
        self, text: str, statuses: Sequence[str], severities: Sequence[str], kinds: Sequence[str]
    ) -> tuple[str, list[Any]]:
        where, params = ["1"], []
        needle = text.strip().lower()
        if needle:
            where.append(
                "(instr(lower(id), ?) OR instr(lower(title), ?) OR instr(lower(service), ?) "
                "OR instr(lower(team), ?))"
            )
            params += [needle] * 4
        for column, values, allowed in (
            ("status", statuses, STATUSES),
            ("severity", severities, SEVERITIES),
            ("kind", kinds, ("incident", "near-miss")),
        ):
            chosen = [v for v in values if v in allowed]
            if chosen:
                where.append(f"{column} IN ({','.join('?' * len(chosen))})")
                params += chosen
        return " AND ".join(where), params

    def summaries(
        self,
        *,
        text: str = "",
        statuses: Sequence[str] = (),
        severities: Sequence[str] = (),
        kinds: Sequence[str] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Summary]:
        """Postmortems newest incident first, filtered by a substring of id/title/service/team."""
        where, params = self._summary_filter(text, statuses, severities, kinds)
        sql = (
            "SELECT id, kind, severity, title, status, service, team, date_of_incident, "
            "date_restored, date_of_postmortem, date_published, revision FROM postmortems "
            # NULL sorts last in DESC order: undated drafts come after dated postmortems.
            f"WHERE {where} ORDER BY date_of_incident DESC, id DESC"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        with self._lock:
            return [Summary(*row) for row in self.conn.execute(sql, params)]

    def count_summaries(
        self,
        *,
        text: str = "",
        statuses: Sequence[str] = (),
        severities: Sequence[str] = (),
        kinds: Sequence[str] = (),
    ) -> int:
        where, params = self._summary_filter(text, statuses, severities, kinds)
        with self._lock:
            return self.conn.execute(
                f"SELECT count(*) FROM postmortems WHERE {where}", params
            ).fetchone()[0]

    def next_id(self, kind: str = "incident", year: int | None = None) -> str:
        """The next free ``INC-YYYY-NNNN`` (or ``NM-…`` for a near-miss) in ``year``."""
        prefix = "NM" if kind == "near-miss" else "INC"
        year = year or self.clock().year
        stem = f"{prefix}-{year:04d}-"
        with self._lock:
            numbers = [
                int(r[0][len(stem) :])
                for r in self.conn.execute(
                    "SELECT id FROM postmortems WHERE id LIKE ?", [stem + "%"]
                )
                if r[0][len(stem) :].isdigit()
            ]
        return f"{stem}{max(numbers, default=0) + 1:04d}"
