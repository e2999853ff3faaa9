"""Provides search over the knowledge base: FTS5 ranked, filtered, safe for any typed text.

Any string a person types is a valid query. Words are quoted one by one (FTS5's own
syntax — ``AND(``, ``c++``, ``a:b``, a lone ``"`` — never reaches the parser unless the
caller asks for advanced syntax), balanced double quotes make a phrase, and the last
word matches as a prefix so results appear while typing. An empty query lists
everything the filters allow, newest first.
"""

from __future__ import annotations

import datetime as dt
import functools
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
# What a postmortem is about: a hit with every word in its title or failure classes ranks
# above any hit that needs its body. bm25 orders each tier, the first by those two columns.
# Most typed words name what postmortems are about, so the first tier usually fills the
# page and bm25 scores the few hundred postmortems in it, not the thousands whose body
# mentions a common word (about a microsecond per matching row: 10 ms at 10,000).
_HEADLINE = "{title failure_classes}"
_HEADLINE_FIRST = 1e6
"""Subtracted from a headline hit's bm25 score (lower ranks first; scores stay far smaller)."""
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


def query_terms(text: str) -> list[tuple[str, bool]]:
    """The words of a typed query, lowercased, each with "matches as a prefix"."""
    text = clean_text(text)
    words = _WORD.findall(text.replace('"', " "))
    typing_last = bool(words) and not text.endswith((" ", '"')) and len(words[-1]) >= 3
    return [
        (word.lower(), typing_last and index == len(words) - 1) for index, word in enumerate(words)
    ]


def _stem(word: str) -> str:
    """A crude stem, so that "latency" also lights up "latencies" as FTS5's porter does."""
    return word[: max(4, len(word) - 3)] if len(word) > 4 else word


@functools.lru_cache(maxsize=64)
def _snippet_pattern(terms: tuple[tuple[str, bool], ...]) -> tuple[re.Pattern[str], list[str]]:
    """The pattern that finds the query's words, and their literal starts case-folded."""
    starts = [word if prefix or len(word) <= 2 else _stem(word) for word, prefix in terms]
    alternatives = "|".join(
        re.escape(start) + (r"\b" if len(word) <= 2 and not prefix else r"\w*")
        for start, (word, prefix) in zip(starts, terms, strict=True)
    )
    pattern = re.compile(rf"\b(?:{alternatives})", re.IGNORECASE)
    return pattern, [start.casefold() for start in starts]


def make_snippet(
    texts: Sequence[str], terms: Sequence[tuple[str, bool]], width: int = 110
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A one-line window of the first text that contains a query word, with its spans.

    A text is searched only when, case-folded, it holds a word's literal start: the
    case-insensitive pattern tries every position and costs ~20 times a plain ``in``.
    """
    if not terms:
        return "", ()
    pattern, needles = _snippet_pattern(tuple(terms))
    for text in texts:
        if not text:
            continue
        folded = text.casefold()
        if not any(needle in folded for needle in needles):
            continue
        first = pattern.search(text)
        if first is None:
            continue
        start = max(0, first.start() - width // 3)
        if start:
            space = text.rfind(" ", 0, start + 1)
            start = space + 1 if space >= 0 and first.start() - space < width // 2 else start
        window = text[start : start + width]
        lead = "…" if start else ""
        tail = "…" if start + width < len(text) else ""
        flat = (lead + window + tail).replace("\n", " ").replace("\t", " ")
        spans = tuple(
            (m.start() + len(lead), m.end() + len(lead)) for m in pattern.finditer(window)
        )
        return flat, spans
    return "", ()


def _stamp(value: str | None) -> float:
    if not value:
        return 0.0
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def _hit(
    row: Sequence[Any], snippet: str = "", spans: tuple[tuple[int, int], ...] = ()
) -> SearchHit:
    classes = row[10] if len(row) > 10 else None
    return SearchHit(
        *row[:8],
        snippet=snippet,
        spans=spans,
        failure_classes=tuple(classes.split("\n")) if classes else (),
        rank=row[9] or 0.0,
    )


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
            return self._ranked(match, where, params, limit, advanced, query)
        sql = (
            head.format(snippet="''", rank="0")
            + "FROM postmortems p "
            + ("WHERE " + " AND ".join(where) + " " if where else "")
            + "ORDER BY p.date_of_incident DESC, p.id DESC LIMIT ?"
        )
        with self._lock:
            rows = self.conn.execute(sql, [*params, limit]).fetchall()
        return [_hit(row) for row in rows]

    def _ranked(
        self,
        match: str,
        where: list[str],
        params: list[Any],
        limit: int,
        advanced: bool,
        query: str,
    ) -> list[SearchHit]:
        """Rank in FTS5, then read only the page's rows and cut snippets here.

        FTS5's snippet() re-reads every matched document's text; for a word found in
        nearly every postmortem that is most of the cost, so snippets are cut in Python
        from the page's own rows instead.
        """
        try:
            scores = self._scores(match, where, params, limit, advanced)
        except sqlite3.OperationalError as exc:
            if advanced:
                raise InvalidQuery(f"invalid search syntax: {exc}") from None
            return []  # unreachable with quoted words; never a crash if it is not
        if not scores:
            return []
        marks = ",".join("?" * len(scores))
        columns = ", ".join(f"s.{name}" for name in SEARCH_COLUMNS)
        with self._lock:
            rows = self.conn.execute(
                "SELECT p.id, p.title, p.kind, p.severity, p.status, p.service, p.team, "
                "p.date_of_incident, s.rowid, "
                "(SELECT group_concat(failure_class, char(10)) FROM postmortem_failure_classes c "
                f"WHERE c.postmortem_id = p.id), {columns} "
                "FROM search_text s JOIN postmortems p ON p.id = s.postmortem_id "
                f"WHERE s.rowid IN ({marks})",
                list(scores),
            ).fetchall()
        terms = query_terms(query)
        hits = []
        for row in rows:
            snippet, spans = make_snippet(row[10:], terms)
            hits.append(_hit((*row[:8], "", scores[row[8]], row[9]), snippet, spans))
        hits.sort(key=lambda h: (h.rank, -_stamp(h.date_of_incident)))
        return hits

    def _scores(
        self, match: str, where: list[str], params: list[Any], limit: int, advanced: bool
    ) -> dict[int, float]:
        """The best ``limit`` rows' ids and ranks: headline hits first (see ``_HEADLINE``).

        Advanced syntax is ranked by bm25 alone: an expression with its own column
        filters cannot always be put under another one.
        """
        tiers = [match] if advanced else [f"{_HEADLINE} : ({match})", match]
        scores: dict[int, float] = {}
        for index, expression in enumerate(tiers):
            wanted = limit - len(scores)
            if wanted <= 0:
                break  # the headline tier filled the page: the body is never scored
            ranked_sql = (
                f"SELECT search_text_fts.rowid, {_BM25} AS score FROM search_text_fts "
                + (
                    "JOIN search_text s ON s.rowid = search_text_fts.rowid "
                    "JOIN postmortems p ON p.id = s.postmortem_id "
                    if where
                    else ""
                )
                + "WHERE search_text_fts MATCH ? "
                + "".join(f"AND {w} " for w in where)
                + (
                    f"AND search_text_fts.rowid NOT IN ({','.join('?' * len(scores))}) "
                    if scores
                    else ""
                )
                + "ORDER BY score LIMIT ?"
            )
            with self._lock:
                ranked = self.conn.execute(
                    ranked_sql, [expression, *params, *scores, wanted]
                ).fetchall()
            lift = _HEADLINE_FIRST if index == 0 and len(tiers) > 1 else 0.0
            scores.update((rowid, score - lift) for rowid, score in ranked)
        return scores

    def failure_class_counts(self) -> list[tuple[str, str, int]]:
        """Every failure class: (slug, description, number of postmortems tagged)."""
        with self._lock:
            return self.conn.execute(
                "SELECT f.slug, f.description, count(c.postmortem_id) FROM failure_classes f "
                "LEFT JOIN postmortem_failure_classes c ON c.failure_class = f.slug "
                "GROUP BY f.slug ORDER BY count(c.postmortem_id) DESC, f.slug"
            ).fetchall()
