"""Provides TimelineTable: the timeline's entries as rows, judging words marked in them.

Each decision point takes two lines: the event, and under it the information the
person had (or the question still to ask). Columns fit the width they have. A redraw
touches only the rows whose entry changed when the shape of the table is the same, so
a long timeline stays quick to edit.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from pmtui.domain.models import TimelineEntry
from pmtui.widgets.text import cell, one_line
from pmtui.widgets.timeline_judging import (
    clipped_cell,
    judging_cell,
    judging_style,
    theme_colour,
)
from pmtui.widgets.timeline_walk import DECISION_QUESTION

_COLUMNS = ("time", "decision", "event", "source")


def _row_key(index: int, entry: TimelineEntry) -> str:
    return str(entry.row_id if entry.row_id is not None else f"new-{index}")


class TimelineTable(DataTable[Text]):
    """The entries in stored order; call :meth:`show` after every save."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")
        self._layout: tuple[Any, ...] | None = None
        self._rows: list[tuple[str, tuple[Any, ...]]] = []

    def _widths(self, entries: Sequence[TimelineEntry], width: int) -> tuple[int, int, int]:
        """Widths of the time, event and source columns for ``width`` cells."""
        # Each column has one cell of padding either side; keep 2 for a scrollbar.
        room = width - 2 - 4 * 2 - 1
        time = max([5, *(len(e.time) for e in entries)])
        source = min(max([6, *(len(one_line(e.source)) for e in entries)]), 20)
        return time, max(room - time - source, 12), source

    def show(self, entries: Sequence[TimelineEntry], problems: Collection[str], width: int
             ) -> None:
        """Draw ``entries``; ``problems`` are the paths with a gate (drawn in the error colour)."""
        widths = self._widths(entries, width)
        theme = (theme_colour(self.app, "error"), theme_colour(self.app, "warning"),
                 judging_style(self.app))
        layout = (widths, theme)
        rows = [
            (_row_key(i, e), (e.time, e.event, e.source, e.decision_point, e.context,
                              f"timeline[{i}].time" in problems))
            for i, e in enumerate(entries)
        ]
        same_shape = (
            layout == self._layout
            and len(rows) == len(self._rows)
            and all(
                new[0] == old[0] and new[1][3] == old[1][3]  # same rows, same heights
                for new, old in zip(rows, self._rows, strict=True)
            )
        )
        if same_shape:
            for (key, state), (_, before) in zip(rows, self._rows, strict=True):
                if state != before:
                    for column, value in zip(_COLUMNS, self._cells(state, widths, theme),
                                             strict=True):
                        self.update_cell(key, column, value)
        else:
            self._rebuild(rows, widths, theme)
        self._layout = layout
        self._rows = rows

    def _rebuild(self, rows: list[tuple[str, tuple[Any, ...]]], widths: tuple[int, int, int],
                 theme: tuple[str, str, str]) -> None:
        cursor = self.cursor_row
        time_w, event_w, source_w = widths
        self.clear(columns=True)
        self.add_column("Time", key="time", width=time_w)
        self.add_column("◆", key="decision", width=1)
        self.add_column("Event", key="event", width=event_w)
        self.add_column("Source", key="source", width=source_w)
        for key, state in rows:
            self.add_row(*self._cells(state, widths, theme), height=2 if state[3] else 1,
                         key=key)
        if rows:
            self.move_cursor(row=min(max(cursor, 0), len(rows) - 1))

    @staticmethod
    def _cells(state: tuple[Any, ...], widths: tuple[int, int, int],
               theme: tuple[str, str, str]) -> list[Text]:
        time, event_text, source, decision, context, late = state
        _, event_w, source_w = widths
        error, warning, mark = theme
        event = judging_cell(event_text, event_w, mark) if event_text else cell(
            "(what happened?)", error)
        if decision:
            if context.strip():
                second = Text("↳ knew: ", style="dim italic").append_text(
                    judging_cell(context, event_w - 8, mark, "italic"))
            else:
                second = judging_cell(f"↳ ask: {DECISION_QUESTION}", event_w, mark,
                                      f"italic {warning}")
            event = Text("\n").join([event, second])
        time_style = f"bold {error}" if late else "bold"
        return [
            cell(time or "--:--", time_style if time else error),
            cell("◆" if decision else "", f"bold {warning}"),
            event,
            clipped_cell(source, source_w) if source else cell("(source?)", error),
        ]
