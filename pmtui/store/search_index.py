"""Provides the full-text index rows: one row of searchable text per postmortem.

The row is built by one SQL statement straight from the document tables, so a
field-level save can refresh it inside its own transaction without loading the
whole document into models.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any


def _lines(select: str) -> str:
    """``group_concat`` of an ordered sub-select, one line per row."""
    return f"coalesce((SELECT group_concat(line, char(10)) FROM ({select})), '')"


_ROW_SELECT = f"""
SELECT
    p.id,
    p.title,
    p.id || ' ' || p.service || ' ' || p.team || ' ' || p.facilitator || ' '
        || p.impact_error_rate_peak || ' ' || p.impact_affected_users_estimate || ' '
        || {
    _lines(
        "SELECT name || ' ' || role AS line FROM participants "
        "WHERE postmortem_id = p.id ORDER BY position"
    )
},
    {
    _lines(
        "SELECT time || ' ' || event || ' ' || source || ' ' || context AS line "
        "FROM timeline_entries WHERE postmortem_id = p.id ORDER BY position"
    )
},
    {
    _lines(
        "SELECT description || ' ' || deferral_reason AS line FROM contributing_factors "
        "WHERE postmortem_id = p.id ORDER BY position"
    )
},
    {
    _lines(
        "SELECT w.question || ' ' || w.answer AS line FROM why_steps w "
        "JOIN contributing_factors f ON f.id = w.factor_id "
        "WHERE f.postmortem_id = p.id ORDER BY f.position, w.position"
    )
},
    {
    _lines(
        "SELECT ref || ' ' || description || ' ' || owner || ' ' || ticket AS line "
        "FROM action_items WHERE postmortem_id = p.id ORDER BY position"
    )
},
    {
    _lines(
        "SELECT text AS line FROM observations WHERE postmortem_id = p.id ORDER BY kind, position"
    )
},
    {
    _lines(
        "SELECT replace(failure_class, '-', ' ') || ' ' || failure_class AS line "
        "FROM postmortem_failure_classes WHERE postmortem_id = p.id ORDER BY position"
    )
}
FROM postmortems p
"""

_UPSERT = f"""
INSERT INTO search_text (postmortem_id, title, summary, timeline, factors, whys,
                         action_items, lessons, failure_classes)
{_ROW_SELECT} WHERE {{where}}
ON CONFLICT (postmortem_id) DO UPDATE SET
    title = excluded.title, summary = excluded.summary, timeline = excluded.timeline,
    factors = excluded.factors, whys = excluded.whys, action_items = excluded.action_items,
    lessons = excluded.lessons, failure_classes = excluded.failure_classes
"""


INDEXED_FIELDS: dict[str, frozenset[str]] = {
    "participants": frozenset({"name", "role"}),
    "timeline": frozenset({"time", "event", "source", "context"}),
    "contributing_factors": frozenset({"description", "deferral"}),
    "whys": frozenset({"question", "answer"}),
    "action_items": frozenset({"id", "description", "owner", "ticket"}),
    "waivers": frozenset(),
}
"""The fields of each list's items that :data:`_ROW_SELECT` reads (a test holds them equal)."""


def changes_search_text(collection: str, fields: Iterable[str]) -> bool:
    """Whether changing ``fields`` of an item of ``collection`` can change its searchable text.

    A decision point marked or a priority set leaves the text as it is: no need to rebuild
    the row, which for a timeline of 10,000 entries is most of what a save costs.
    """
    indexed = INDEXED_FIELDS.get(collection)
    return indexed is None or not indexed.isdisjoint(fields)


def reindex(db: sqlite3.Connection | Any, postmortem_id: str) -> None:
    """Refresh one postmortem's searchable text (call inside the write transaction)."""
    db.execute(_UPSERT.format(where="p.id = ?"), [postmortem_id])


def reindex_all(db: sqlite3.Connection | Any) -> None:
    db.execute(_UPSERT.format(where="1"))
