"""Provides the Home screen: the postmortems, filtered and paged, with their deadline state.

The table loads a page at a time (and the next page when the cursor nears the end), so
a database of 10,000 postmortems opens as fast as one of ten.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from pmtui.domain.scalars import SEVERITIES, STATUSES
from pmtui.domain.severity import deadline_state
from pmtui.screens.base import PmtuiScreen
from pmtui.store.listing import Summary
from pmtui.widgets.choice_chip import ChoiceChip
from pmtui.widgets.footer import QuietFooter
from pmtui.widgets.row_table import RowTable
from pmtui.widgets.safe_input import SafeInput
from pmtui.widgets.text import cell, literal, one_line, template

PAGE_SIZE = 50  # two screens of a tall terminal; the next page loads as the cursor nears the end
DEADLINE_STYLES = {
    "overdue": "bold red",
    "late": "red",
    "due-soon": "yellow",
    "pending": "",
    "met": "green",
    "n/a": "dim",
}


class HomeScreen(PmtuiScreen):
    # The list has the focus from the first frame: focusing the filter box first (Textual's
    # default) and then the list would draw the footer's keys twice.
    AUTO_FOCUS = "#home-table"
    FIRST_FRAME_COMPLETE = True  # filled in on_mount (tests/app/test_home.py)

    BINDINGS = [
        Binding(
            "enter",
            "open",
            "Open",
            tooltip="Open the selected postmortem's meeting.",
            id="home.open",
            show=False,
        ),
        Binding("n", "app.new", "New", tooltip="Create a postmortem.", id="home.new"),
        Binding(
            "m",
            "app.new(True)",
            "Near-miss",
            tooltip="Write up a near-miss (a lightweight postmortem).",
            id="home.near_miss",
        ),
        Binding(
            "i",
            "app.import",
            "Import",
            tooltip="Import a YAML file or a directory of them.",
            id="home.import",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            tooltip="Filter by text, status or severity.",
            id="home.filter",
        ),
        Binding(
            "s",
            "app.switch_mode('search')",
            "Search",
            tooltip="Search every postmortem (the knowledge base).",
            id="home.search",
        ),
        Binding(
            "b",
            "app.switch_mode('dashboard')",
            "Dashboard",
            tooltip="Error budgets, practice metrics, overdue work.",
            id="home.dashboard",
        ),
        Binding(
            "t",
            "app.switch_mode('taxonomy')",
            "Classes",
            tooltip="The failure-class taxonomy: describe, rename, merge.",
            id="home.classes",
        ),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="home.clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Summary] = []
        self._total = 0
        self._loading_more = False
        self._loaded: tuple[object, ...] | None = None
        self._last_opened: str | None = None  # the postmortem open when Home last showed

    def compose(self) -> ComposeResult:
        yield from self.compose_too_small()
        with Vertical(classes="home-frame"):
            yield Static("", id="home-title", markup=False)
            with Horizontal(id="home-filters"):
                yield SafeInput(
                    placeholder="/ filter: id, title, service, team", id="filter-text", compact=True
                )
                yield ChoiceChip("any status", STATUSES, id="filter-status")
                yield ChoiceChip("any severity", SEVERITIES, id="filter-severity")
            yield RowTable(id="home-table")
            yield Static("", id="home-status", markup=False)
        yield QuietFooter()

    @property
    def table(self) -> RowTable:
        return self.query_one("#home-table", RowTable)

    def on_mount(self) -> None:
        table = self.table
        table.add_column("ID", key="id", width=13)
        table.add_column("SEV", key="sev", width=5)
        table.add_column("Status", key="status", width=10)
        table.add_column("Deadline", key="deadline", width=8)
        table.add_column("Service", key="service", width=13)
        table.add_column("Title", key="title")
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        if self._loaded != self._load_key():
            self.reload()
        # Back from a meeting, the cursor is on the postmortem just left (Enter reopens
        # it), not where it was before that one was opened.
        session = self.pmtui.session
        opened = session.ident if session is not None else None
        if opened != self._last_opened:
            self._last_opened = opened
            self._select(opened)

    def _select(self, ident: str | None) -> None:
        for index, row in enumerate(self._rows):
            if row.id == ident:
                self.table.move_cursor(row=index)
                return

    def _load_key(self) -> tuple[object, ...]:
        """What the list shows depends on: the data, the filters, and the minute (deadlines)."""
        now = self.pmtui.now()
        return (
            self.pmtui.database.change_mark(),
            tuple(self._filters().items()),
            now.replace(second=0, microsecond=0),
        )

    # ---- loading ---------------------------------------------------------------------

    def _filters(self) -> dict[str, object]:
        status = self.query_one("#filter-status", ChoiceChip).value
        severity = self.query_one("#filter-severity", ChoiceChip).value
        return {
            "text": self.query_one("#filter-text", Input).value,
            "statuses": [status] if status else [],
            "severities": [severity] if severity else [],
        }

    def reload(self) -> None:
        """Re-read the first page with the current filters, keeping the cursor's postmortem."""
        if not self.query("#home-status"):
            return  # its widgets are gone (the app is closing) or not there yet: nothing to draw
        store = self.pmtui.database
        keep = self.selected_id()
        filters = self._filters()
        self._loaded = self._load_key()
        self._total = store.count_summaries(**filters)  # type: ignore[arg-type]
        self._rows = store.summaries(limit=PAGE_SIZE, **filters)  # type: ignore[arg-type]
        table = self.table
        table.clear()
        self._add_rows(self._rows)
        self._update_status()
        if keep:
            self._select(keep)

    def _add_rows(self, rows: list[Summary]) -> None:
        now = self.pmtui.now()
        for row in rows:
            state = deadline_state(row.deadline_facts(), now)
            self.table.add_row(
                cell(row.id),
                cell(row.severity or ("NM" if row.kind == "near-miss" else "-")),
                cell(row.status),
                cell(state, DEADLINE_STYLES.get(state, "")),
                cell(row.service),
                cell(one_line(row.title)),
                key=row.id,
            )

    def _load_more(self) -> None:
        if self._loading_more or len(self._rows) >= self._total:
            return
        self._loading_more = True
        more = self.pmtui.database.summaries(
            limit=PAGE_SIZE,
            offset=len(self._rows),
            **self._filters(),  # type: ignore[arg-type]
        )
        self._rows += more
        self._add_rows(more)
        self._update_status()
        self._loading_more = False

    def _update_status(self) -> None:
        shown = len(self._rows)
        title = template(
            "[b]Postmortems[/b]  [dim]$db[/]", db=str(self.pmtui.database.path or "in memory")
        )
        self.query_one("#home-title", Static).update(title)
        if self._total == 0:
            text = "No postmortems match. Press n to create one, i to import YAML."
        elif shown < self._total:
            text = f"{shown} of {self._total} shown — scroll down for more, or filter with /"
        else:
            text = f"{self._total} postmortem{'s' * (self._total != 1)} · enter opens one"
        self.query_one("#home-status", Static).update(literal(text))

    # ---- events ----------------------------------------------------------------------

    def selected_id(self) -> str | None:
        table = self.table
        if not self._rows or table.cursor_row < 0 or table.cursor_row >= len(self._rows):
            return None
        return self._rows[table.cursor_row].id

    @on(RowTable.RowHighlighted)
    def _near_end(self, event: RowTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self._rows) - 20:
            self._load_more()

    @on(RowTable.RowSelected)
    def _row_selected(self, event: RowTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        ident = self.selected_id()
        if ident:
            self.pmtui.open_postmortem(ident, "factors" if self.pmtui.role == "scribe" else "setup")

    def action_filter(self) -> None:
        self.query_one("#filter-text", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter-text", Input).value = ""
        self.query_one("#filter-status", ChoiceChip).clear()
        self.query_one("#filter-severity", ChoiceChip).clear()
        self.table.focus()

    @on(Input.Changed, "#filter-text")
    @on(ChoiceChip.Changed)
    def _filter_changed(self) -> None:
        self.reload()

    @on(Input.Submitted, "#filter-text")
    def _filter_done(self) -> None:
        self.table.focus()
