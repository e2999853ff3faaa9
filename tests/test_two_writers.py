"""T16: two terminals editing one postmortem, against a model of the saves that were accepted.

Each writer is a MeetingSession on its own Store handle of the same file. A save is
accepted exactly when the field still holds what that writer last saw; otherwise the
writer gets a Conflict (the dialog's input) and nothing changes. Reloads and restarts
(closing and reopening the file) interleave freely. The database must always equal the
model, and pass integrity_check.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from pmtui.domain.models import Postmortem
from pmtui.session import Conflict, MeetingSession
from pmtui.store import Store

IDENT = "INC-2026-0042"
FIELDS = ("title", "team", "facilitator", "event", "fact")
NOW = dt.datetime(2026, 11, 29, 10, 0, tzinfo=dt.UTC)
values = st.text(alphabet="abc [/]é中", min_size=1, max_size=6)


def read(session: MeetingSession, field: str) -> str:
    if field == "event":
        return session.doc.timeline[0].event
    if field == "fact":
        return session.doc.what_helped[0]
    return getattr(session.doc, field)


def started(session: MeetingSession, field: str) -> Any:
    """What an editor holds when the user starts typing: the item or the value shown."""
    if field == "event":
        return session.doc.timeline[0]
    if field == "fact":
        return session.text_item("what_helped", 0)
    return read(session, field)


def finish(session: MeetingSession, field: str, start: Any, value: str) -> None:
    """Save ``value`` against what the edit started from (whatever was reloaded since)."""
    if field == "event":
        session.update_item("timeline", start, {"event": value})
    elif field == "fact":
        session.update_text(start, value)
    else:
        session.set_field(field, value, base=start)


class TwoWriters(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.directory = tempfile.TemporaryDirectory()
        self.path = Path(self.directory.name) / "pm.db"
        with Store.open(self.path, create=True) as store:
            store.create(
                Postmortem.model_validate(
                    {
                        "id": IDENT,
                        "title": "start",
                        "team": "start",
                        "facilitator": "start",
                        "timeline": [{"time": "10:00", "event": "start", "source": "log"}],
                        "what_helped": ["start"],
                    }
                )
            )
        self.model = dict.fromkeys(FIELDS, "start")
        self.writers = [self._open(), self._open()]
        self.rejected = 0
        self.editing: dict[int, tuple[str, str, Any, str]] = {}
        """Per writer: an edit started (field, value seen, what it started from, mine)."""

    def _open(self) -> MeetingSession:
        return MeetingSession(Store.open(self.path, clock=lambda: NOW, timeout=2.0), IDENT)

    def _save(self, session: MeetingSession, field: str, value: str) -> None:
        if field == "event":
            entry = session.doc.timeline[0]
            session.update_item("timeline", entry, {"event": value})
        elif field == "fact":
            item = session.text_item("what_helped", 0)
            assert item is not None
            session.update_text(item, value)
        else:
            session.set_field(field, value)

    @rule(writer=st.integers(0, 1), field=st.sampled_from(FIELDS), value=values)
    def edit(self, writer: int, field: str, value: str) -> None:
        session = self.writers[writer]
        saw = read(session, field)
        try:
            self._save(session, field, value)
        except Conflict as conflict:
            # Refused exactly when the other writer moved the field on; shown, not lost.
            assert saw != self.model[field]
            assert conflict.edit.mine
            self.rejected += 1
            return
        assert saw == self.model[field]
        self.model[field] = value
        assert read(session, field) == value  # the writer sees its own save at once

    @rule(writer=st.integers(0, 1), field=st.sampled_from(FIELDS), value=values)
    def start_editing(self, writer: int, field: str, value: str) -> None:
        """The user starts typing over what the screen shows; saving comes later."""
        session = self.writers[writer]
        self.editing[writer] = (field, read(session, field), started(session, field), value)

    @rule(writer=st.integers(0, 1))
    def finish_editing(self, writer: int) -> None:
        """The save of an edit started earlier, reloads in between: checked against its start."""
        if writer not in self.editing:
            return
        field, saw, start, value = self.editing.pop(writer)
        try:
            finish(self.writers[writer], field, start, value)
        except Conflict as conflict:
            assert saw != self.model[field]  # the other writer changed it since the start
            assert conflict.edit.mine
            self.rejected += 1
            return
        assert saw == self.model[field]
        self.model[field] = value

    @rule(writer=st.integers(0, 1))
    def reload(self, writer: int) -> None:
        self.writers[writer].reload()
        for field in FIELDS:
            assert read(self.writers[writer], field) == self.model[field]

    @rule(writer=st.integers(0, 1))
    def restart(self, writer: int) -> None:
        self.editing.pop(writer, None)  # what was being typed goes with the terminal
        self.writers[writer].store.close()
        self.writers[writer] = self._open()

    @rule(writer=st.integers(0, 1), field=st.sampled_from(FIELDS))
    def keep_mine_after_conflict(self, writer: int, field: str) -> None:
        """A writer with a stale view saves anyway after choosing 'keep mine'."""
        session = self.writers[writer]
        value = "kept"
        try:
            self._save(session, field, value)
        except Conflict as conflict:
            session.keep_mine(conflict)
        self.model[field] = value

    @invariant()
    def database_equals_the_model(self) -> None:
        with Store.open(self.path) as store:
            pm = store.load(IDENT)
            stored = {
                "title": pm.title,
                "team": pm.team,
                "facilitator": pm.facilitator,
                "event": pm.timeline[0].event,
                "fact": pm.what_helped[0],
            }
            assert stored == self.model
            assert store.integrity_check() == "ok"

    def teardown(self) -> None:
        for session in self.writers:
            session.store.close()
        self.directory.cleanup()


TwoWriters.TestCase.settings = settings(max_examples=15, stateful_step_count=20, deadline=None)
# T16 (RELIABILITY.md)
TestTwoWriters = TwoWriters.TestCase
