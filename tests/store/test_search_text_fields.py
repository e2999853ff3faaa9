"""The fields a row edit leaves out of the search are exactly those the search text never reads.

A row edit rebuilds the postmortem's search text only when it changes a field the text
is made of (:func:`changes_search_text`): marking a decision point on a timeline of
10,000 entries must not rebuild 10,000 lines. Here every column of every list's table is
changed in turn; the search text must change exactly for the fields said to be in it, so
a column added to the search text without its field fails this test.
"""

from __future__ import annotations

import pytest

from pmtui.domain.models import Postmortem
from pmtui.store import Store
from pmtui.store.mapping import COLLECTIONS
from pmtui.store.search_index import changes_search_text, reindex
from tests.store.conftest import draft_in_meeting

_BOOKKEEPING = {"id", "postmortem_id", "factor_id", "position", "version"}


def _field_of(name: str, column: str) -> str:
    if column.startswith("deferr"):
        return "deferral"
    return {c: f for f, c in COLLECTIONS[name].columns}[column]


def _search_text(store: Store, ident: str) -> tuple[object, ...]:
    return tuple(
        store.conn.execute("SELECT * FROM search_text WHERE postmortem_id = ?", [ident]).fetchone()
    )


# T25: a decision point marked on a 10,000-entry timeline does not rebuild its search text.
@pytest.mark.parametrize("name", sorted(COLLECTIONS))
def test_a_row_edit_rebuilds_the_search_text_exactly_when_it_changes_it(
    store: Store, name: str
) -> None:
    data = draft_in_meeting().model_dump()
    data["waivers"] = [{"code": "A-BLAME", "path": "x", "reason": "ok"}]
    pm = Postmortem.model_validate(data)
    store.create(pm)
    table = COLLECTIONS[name].table
    row_id = store.conn.execute(f"SELECT min(id) FROM {table}").fetchone()[0]
    columns = [r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")]
    before = _search_text(store, pm.id)
    in_text: dict[str, bool] = {}  # per field: does any of its columns change the text?
    for column in (c for c in columns if c not in _BOOKKEEPING):
        store.conn.execute("SAVEPOINT probe")
        store.conn.execute(f"UPDATE {table} SET {column} = 'zq marker' WHERE id = ?", [row_id])
        reindex(store.conn, pm.id)
        changed = _search_text(store, pm.id) != before
        store.conn.execute("ROLLBACK TO probe")
        store.conn.execute("RELEASE probe")
        field = _field_of(name, column)
        in_text[field] = in_text.get(field, False) or changed
    assert in_text == {f: changes_search_text(name, [f]) for f in in_text}
