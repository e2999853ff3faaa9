"""Provides the Timeline step: timestamped facts in order, and the walk through them.

The table lists the entries as stored, with judging words marked in the warning colour
and each decision point's context on a second line. Walk mode (w) tells the timeline
one entry at a time, "What happened next?", and at a decision point asks "What
information did you have at that moment?", saving the answer as the entry's context.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from pmtui.domain.models import TimelineEntry
from pmtui.domain.scalars import timeline_time_of
from pmtui.screens.base import StepScreen
from pmtui.screens.dialogs import ConfirmDialog
from pmtui.widgets import redraw
from pmtui.widgets.text import one_line
from pmtui.widgets.timeline_form import (
    changed_values,
    chronological,
    entry_dialog,
    entry_values,
)
from pmtui.widgets.timeline_judging import judging_style
from pmtui.widgets.timeline_table import TimelineTable
from pmtui.widgets.timeline_walk import TimelineWalk

_INDEX = re.compile(r"^timeline\[(\d+)\]")
HINT = "a add · e edit · d del · shift+↑↓ move · space ◆ · w walk · s sort"
LOCKED_HINT = "complete: read only (reopen it in Review to edit) · w walk"
EMPTY = (
    "No entries yet. Press a to add what happened first: when, what, and where the fact comes from."
)
_EDITS = ("add", "edit", "delete", "move", "toggle_decision", "sort")


def _instant(time: str, day: dt.date | None) -> tuple[bool, dt.datetime] | None:
    """(its form, the instant) of a timeline time, or None when it names no instant.

    Without an incident day a bare HH:MM cannot be compared with a full timestamp: the
    form keeps the two apart, as the order gate (G-TIMELINE-ORDER) does.
    """
    text = time.strip()
    instant = timeline_time_of(text, day) if text else None
    if instant is None:
        return None
    return day is not None or "T" not in text, instant


def time_position(
    entries: Sequence[TimelineEntry], time: str, day: dt.date | None, wanted: int
) -> int:
    """Where an entry at ``time`` goes among ``entries`` so the timeline stays in time order.

    ``wanted`` (the place the user chose) is kept when the entry is in order there, or
    when its time cannot be compared with the others'. Otherwise it goes just before the
    first entry that happened later (after every entry at the same time), or last.
    """
    new = _instant(time, day)
    wanted = max(0, min(wanted, len(entries)))
    if new is None:
        return wanted
    form, instant = new
    times: list[tuple[int, dt.datetime]] = []
    for index, entry in enumerate(entries):
        other = _instant(entry.time, day)
        if other is not None and other[0] == form:
            times.append((index, other[1]))
    before = [t for i, t in times if i < wanted]
    after = [t for i, t in times if i >= wanted]
    if (not before or before[-1] <= instant) and (not after or instant <= after[0]):
        return wanted
    return next((i for i, t in times if t > instant), len(entries))


def _b(key: str, action: str, description: str, tooltip: str, verb: str, **kw: Any) -> Binding:
    return Binding(key, action, description, tooltip=tooltip, id=f"timeline.{verb}", **kw)


class TimelineScreen(StepScreen):
    STEP = "timeline"
    BINDINGS = [
        _b("a", "add", "Add", "Add an entry; it goes where its time puts it.", "add"),
        _b("e", "edit", "Edit", "Edit the selected entry.", "edit"),
        _b("d", "delete", "Delete", "Delete the selected entry (asks first).", "delete"),
        _b(
            "shift+up,ctrl+up",
            "move(-1)",
            "Move up",
            "Move the selected entry up.",
            "up",
            show=False,
        ),
        _b(
            "shift+down,ctrl+down",
            "move(1)",
            "Move down",
            "Move the selected entry down.",
            "down",
            show=False,
        ),
        _b(
            "space",
            "toggle_decision",
            "Decision?",
            "Mark or unmark the selected entry as a decision point.",
            "decision",
        ),
        _b("w", "walk", "Walk", "Walk the timeline one entry at a time.", "walk"),
        _b("s", "sort", "Sort by time", "Put the entries in the order they happened.", "sort"),
    ]

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="section-title", id="timeline-title"):
            yield Static("Timeline", markup=False)
            yield Static(HINT, id="timeline-hint", classes="hint", markup=False)
        yield Static("", id="timeline-empty", classes="hint", markup=False)
        yield TimelineTable(id="timeline-table")
        yield TimelineWalk(judging_style(self.pmtui), id="timeline-walk")

    @property
    def table(self) -> TimelineTable:
        return self.query_one("#timeline-table", TimelineTable)

    @property
    def walk(self) -> TimelineWalk:
        return self.query_one("#timeline-walk", TimelineWalk)

    @property
    def walking(self) -> bool:
        return self.has_class("-walking")

    def on_mount(self) -> None:
        self.table.focus()

    # ---- drawing ---------------------------------------------------------------------

    def refresh_body(self) -> None:
        entries = self.session.doc.timeline
        self._fill_table(entries)
        empty = self.query_one("#timeline-empty", Static)
        empty.display = not entries
        redraw.update(empty, EMPTY)
        locked = self.session.locked
        redraw.update(self.query_one("#timeline-hint", Static), LOCKED_HINT if locked else HINT)
        self.walk.context_input.disabled = locked
        if self.walking:
            self.walk.show(entries)

    def on_resize(self) -> None:
        # PmtuiScreen.on_resize runs too: Textual calls every class's handler.
        if self.pmtui.session is not None and self.is_mounted:
            self._fill_table(self.session.doc.timeline)

    def _fill_table(self, entries: list[TimelineEntry]) -> None:
        # Only a time's gate changes how a row is drawn (the table marks it late).
        problems = {
            f.path
            for f in self.session.findings_for_step("timeline")
            if f.level == "gate" and f.path.endswith(".time")
        }
        # The body has one cell of padding either side.
        self.table.show(entries, problems, (self.size.width or 80) - 2)

    # ---- the selected entry ----------------------------------------------------------

    def _selected_index(self) -> int | None:
        entries = self.session.doc.timeline
        row = self.table.cursor_row
        return row if entries and 0 <= row < len(entries) else None

    def _selected(self) -> TimelineEntry | None:
        index = self._selected_index()
        return None if index is None else self.session.doc.timeline[index]

    def _select(self, index: int) -> None:
        if self.session.doc.timeline:
            self.table.move_cursor(row=max(0, min(index, len(self.session.doc.timeline) - 1)))

    def _index_of(self, row_id: int | None, near: int) -> int | None:
        """Where the entry with ``row_id`` is now: looked for at ``near`` first (an edit
        seldom moves it), then everywhere. A long imported log has 10,000 entries."""
        entries = self.session.doc.timeline
        if row_id is None:
            return None
        for index in (near, near - 1, near + 1):
            if 0 <= index < len(entries) and entries[index].row_id == row_id:
                return index
        return next((i for i, e in enumerate(entries) if e.row_id == row_id), None)

    # ---- editing ---------------------------------------------------------------------

    def _add_after(self, index: int, then_walk: bool = False) -> None:
        """Open the form for a new entry after ``index`` (-1: first), proposing its time.

        The entry is saved where its time puts it; after ``index`` when that is in order
        or its time cannot be compared.
        """
        entries = self.session.doc.timeline
        proposed = entries[index].time if 0 <= index < len(entries) else ""
        added_row: list[int | None] = []

        def add(values: dict[str, Any]) -> None:
            doc = self.session.doc
            at = time_position(doc.timeline, values.get("time", ""), doc.incident_day, index + 1)
            added_row.append(self.session.add_item("timeline", values, index=at).row_id)

        def added(values: dict[str, Any] | None) -> None:
            if values and self.save(lambda: add(values)):
                found = self._index_of(added_row[0], index + 1) if added_row else None
                at = index + 1 if found is None else found
                self._select(at)
                if then_walk:
                    self.walk.start(self.session.doc.timeline, at)
            elif then_walk:
                self.walk.focus()

        self.app.push_screen(
            entry_dialog("Add a timeline entry", judging_style(self.pmtui), {"time": proposed}),
            added,
        )

    def action_add(self) -> None:
        index = self._selected_index()
        self._add_after(len(self.session.doc.timeline) - 1 if index is None else index)

    def action_edit(self) -> None:
        index = self._selected_index()
        if index is None:
            return
        entry = self.session.doc.timeline[index]

        def edited(values: dict[str, Any] | None) -> None:
            changes = changed_values(entry, values or {})
            if changes and self.save(lambda: self._update_in_order(entry, index, changes)):
                now = self._index_of(entry.row_id, index)
                if now is not None:
                    self._select(now)

        self.app.push_screen(
            entry_dialog("Edit the timeline entry", judging_style(self.pmtui), entry_values(entry)),
            edited,
        )

    def _update_in_order(self, entry: TimelineEntry, near: int, changes: dict[str, Any]) -> None:
        """Save ``changes``; a new time moves the entry to where that time puts it."""
        self.session.update_item("timeline", entry, changes)
        if "time" not in changes:
            return
        doc = self.session.doc
        index = self._index_of(entry.row_id, near)
        if index is None:
            return
        others = doc.timeline[:index] + doc.timeline[index + 1 :]
        target = time_position(others, doc.timeline[index].time, doc.incident_day, index)
        if target != index:
            self.session.move_item("timeline", doc.timeline[index], target)

    def action_delete(self) -> None:
        entry = self._selected()
        if entry is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.save(lambda: self.session.delete_item("timeline", entry))

        what = one_line(entry.event, 60) or "(no event)"
        self.app.push_screen(
            ConfirmDialog(f"Delete the entry at {entry.time or '--:--'}: {what}?"), confirmed
        )

    def action_move(self, offset: int) -> None:
        index = self._selected_index()
        if index is None:
            return
        target = index + offset
        if not 0 <= target < len(self.session.doc.timeline):
            return
        entry = self.session.doc.timeline[index]
        if self.save(lambda: self.session.move_item("timeline", entry, target)):
            self._select(target)

    def action_toggle_decision(self) -> None:
        entry = self._selected()
        if entry is not None:
            self.save(
                lambda: self.session.update_item(
                    "timeline", entry, {"decision_point": not entry.decision_point}
                )
            )

    def action_sort(self) -> None:
        doc = self.session.doc
        ordered = chronological(doc.timeline, doc.incident_day)
        if [e.row_id for e in ordered] == [e.row_id for e in doc.timeline]:
            self.notify("The entries are already in the order they happened.", markup=False)
            return
        selected = self._selected()

        def moves() -> None:
            for target, entry in enumerate(ordered):
                if self.session.doc.timeline[target].row_id != entry.row_id:
                    self.session.move_item("timeline", entry, target)

        if self.save(moves):
            self.notify("Entries put in time order.", markup=False)
            if selected is not None:
                at = self._index_of(selected.row_id, 0)
                if at is not None:
                    self._select(at)

    @on(TimelineTable.RowSelected)
    def _row_selected(self) -> None:
        if self.check_action("edit", ()):  # enter or a click: not on a read-only timeline
            self.action_edit()

    # ---- walk mode -------------------------------------------------------------------

    def action_walk(self) -> None:
        self.set_class(True, "-walking")
        self.walk.start(self.session.doc.timeline, self._selected_index() or 0)
        self.refresh_bindings()

    def _leave_walk(self, index: int) -> None:
        self.set_class(False, "-walking")
        self.table.focus()
        self._select(index)
        self.refresh_bindings()

    @on(TimelineWalk.Left)
    def _walk_left(self, event: TimelineWalk.Left) -> None:
        self._leave_walk(event.index)

    @on(TimelineWalk.ContextEntered)
    def _walk_context(self, event: TimelineWalk.ContextEntered) -> None:
        self.save(
            lambda: self.session.update_item("timeline", event.entry, {"context": event.text})
        )

    @on(TimelineWalk.AppendRequested)
    def _walk_append(self, event: TimelineWalk.AppendRequested) -> None:
        if self.session.locked:
            self.notify(LOCKED_HINT, markup=False)
            return
        self._add_after(event.index, then_walk=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _EDITS and self.pmtui.session is not None and self.session.locked:
            return False
        if action in ("add", "walk", "sort"):
            return not self.walking
        if action in ("edit", "delete", "move", "toggle_decision"):
            if self.walking:
                return False
            return self._selected() is not None or None
        return True

    def focus_path(self, path: str) -> None:
        if self.walking:
            self._leave_walk(self.walk.index)
        self.table.focus()
        match = _INDEX.match(path)
        if match:
            self._select(int(match.group(1)))
