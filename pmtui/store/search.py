"""Provides search over the knowledge base: FTS5 ranked, filtered, safe for any typed text.

Any string a person types is a valid query. Words are quoted one by one (FTS5's own
syntax — ``AND(``, ``c++``, ``a:b``, a lone ``"`` — never reaches the parser unless the
caller asks for advanced syntax), balanced double quotes make a phrase, and the last
word matches as a prefix so results appear while typing. An empty query lists
everything the filters allow, newest first.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pmtui.domain.text import clean_text
from pmtui.domain.types import format_timestamp
from pmtui.store.documents import DocumentsMixin
from pmtui.store.errors import StoreError
from pmtui.store.migrations import SEARCH_COLUMNS

# Column weights for bm25, in SEARCH_COLUMNS order: a title match outranks a body match.
_WEIGHTS = {"title": 10.0, "failure_classes": 4.0, "summary": 3.0, "factors": 2.0}
_BM25 = (
    "bm25(search_text_fts, "
    + ", ".join(str(_WEIGHTS.get(name, 1.0)) for name in SEARCH_COLUMNS)
    + ")"
)
_START, _END = "\x01", "\x02"  # snippet markers; clean_text keeps them out of user text
_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE = re.compile(r'"([^"]*)"')


class InvalidQuery(StoreError):
    """Advanced search syntax that FTS5 could not parse."""


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str
    kind: str
    severity: str | None
    status: str
    service: str
    team: str
    date_of_incident: str | None
    snippet: str = ""
    spans: tuple[tuple[int, int], ...] = ()
    """Where the query's words are in ``snippet`` (for highlighting)."""
    failure_classes: tuple[str, ...] = field(default_factory=tuple)
    rank: float = 0.0


def fts_query(text: str) -> str:
    """A safe FTS5 query for what a person typed; "" when there is nothing to match."""
    text = clean_text(text).replace("\x00", "")
    parts: list[str] = []
    for match in _PHRASE.finditer(text):
        words = _WORD.findall(match.group(1))
        if words:
            parts.append('"' + " ".join(words) + '"')
    rest = _PHRASE.sub(" ", text)
    words = _WORD.findall(rest.replace('"', " "))
    for index, word in enumerate(words):
        # The word being typed matches as a prefix once it is long enough to mean something.
        last = index == len(words) - 1 and len(word) >= 3 and not rest.endswith((" ", '"'))
        parts.append(f'"{word}"' + ("*" if last else ""))
    return " ".join(parts)


def _spans(snippet: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    plain, spans, start = [], [], None
    length = 0
    for char in snippet:
        if char == _START:
            start = length
        elif char == _END:
            if start is not None:
                spans.append((start, length))
            start = None
        else:
            plain.append(char)
            length += 1
    return "".join(plain), tuple(spans)


class SearchMixin(DocumentsMixin):
    def search(
        self,
        query: str = "",
        *,
        failure_classes: Sequence[str] = (),
        services: Sequence[str] = (),
        teams: Sequence[str] = (),
        severities: Sequence[str] = (),
        kinds: Sequence[str] = (),
        statuses: Sequence[str] = (),
        since: dt.date | None = None,
        until: dt.date | None = None,
        exclude: Sequence[str] = (),
        limit: int = 50,
        advanced: bool = False,
    ) -> list[SearchHit]:
        """Ranked postmortems matching ``query`` and every filter given.

        With ``advanced``, the query is FTS5 syntax as typed and a bad one raises
        InvalidQuery; otherwise no text can make the search fail.
        """
        match = clean_text(query).strip() if advanced else fts_query(query)
        where: list[str] = []
        params: list[Any] = []
        for column, values in (
            ("p.service", services),
            ("p.team", teams),
            ("p.severity", severities),
            ("p.kind", kinds),
            ("p.status", statuses),
        ):
            if values:
                where.append(f"{column} IN ({','.join('?' * len(values))})")
                params += list(values)
        if failure_classes:
            where.append(
                "p.id IN (SELECT postmortem_id FROM postmortem_failure_classes WHERE "
                f"failure_class IN ({','.join('?' * len(failure_classes))}))"
            )
            params += list(failure_classes)
        if since is not None:
            where.append("p.date_of_incident >= ?")
            params.append(
                format_timestamp(dt.datetime(since.year, since.month, since.day, tzinfo=dt.UTC))
            )
        if until is not None:
            end = dt.datetime(until.year, until.month, until.day, tzinfo=dt.UTC) + dt.timedelta(
                days=1
            )
            where.append("p.date_of_incident < ?")
            params.append(format_timestamp(end))
        if exclude:
            where.append(f"p.id NOT IN ({','.join('?' * len(exclude))})")
            params += list(exclude)
        head = (
            "SELECT p.id, p.title, p.kind, p.severity, p.status, p.service, p.team, "
            "p.date_of_incident, {snippet}, {rank}, "
            "(SELECT group_concat(failure_class, char(10)) FROM postmortem_failure_classes c "
            "WHERE c.postmortem_id = p.id) "
        )
        if match:
            # Rank first, then make snippets for the page only: a snippet for each of
            # thousands of matches of a common word costs far more than the ranking.
            ranked = (
                "SELECT search_text_fts.rowid FROM search_text_fts "
                + (
                    "JOIN search_text s ON s.rowid = search_text_fts.rowid "
                    "JOIN postmortems p ON p.id = s.postmortem_id "
                    if where
                    else ""
                )
                + "WHERE search_text_fts MATCH ? "
                + "".join(f"AND {w} " for w in where)
                + f"ORDER BY {_BM25} LIMIT ?"
            )
            sql = (
                head.format(
                    snippet=f"snippet(search_text_fts, -1, '{_START}', '{_END}', '…', 12)",
                    rank=_BM25,
                )
                + "FROM search_text_fts JOIN search_text s ON s.rowid = search_text_fts.rowid "
                "JOIN postmortems p ON p.id = s.postmortem_id WHERE search_text_fts MATCH ? "
                f"AND search_text_fts.rowid IN ({ranked}) "
                "ORDER BY 10, p.date_of_incident DESC"
            )
            params = [match, match, *params, limit]
        else:
            sql = (
                head.format(snippet="''", rank="0")
                + "FROM postmortems p "
                + ("WHERE " + " AND ".join(where) + " " if where else "")
                + "ORDER BY p.date_of_incident DESC, p.id DESC LIMIT ?"
            )
            params = [*params, limit]
        try:
            with self._lock:
                rows = self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if advanced:
                raise InvalidQuery(f"invalid search syntax: {exc}") from None
            return []  # unreachable with quoted words; never a crash if it is not
        hits = []
        for row in rows:
            snippet, spans = _spans(row[8] or "")
            hits.append(
                SearchHit(
                    *row[:8],
                    snippet=snippet.replace("\n", " ").replace("\t", " "),
                    spans=spans,
                    failure_classes=tuple((row[10] or "").split("\n")) if row[10] else (),
                    rank=row[9],
                )
            )
        return hits

    def failure_class_counts(self) -> list[tuple[str, str, int]]:
        """Every failure class: (slug, description, number of postmortems tagged)."""
        with self._lock:
            return self.conn.execute(
                "SELECT f.slug, f.description, count(c.postmortem_id) FROM failure_classes f "
                "LEFT JOIN postmortem_failure_classes c ON c.failure_class = f.slug "
                "GROUP BY f.slug ORDER BY count(c.postmortem_id) DESC, f.slug"
            ).fetchall()
