"""Provides the Action items step: who changes what, by when — one owner, a date, a ticket.

A table of every item (id, description, owner, due, ticket, priority, status, the
factors it changes). A cell a gate refuses is red, advice is amber, and the line under
the table says what is wrong with the selected item.

Editing, decided for speed in the room:

* ``e`` / Enter — the whole item in a form, validated as you type (a vague description
  is advice; a group, "TBD" or two names as owner shows in red; dates and priority as
  the model checks them). A bad owner is still saved: the gate refuses it at completion.
* inline, one field at a time, without leaving the table: ``o`` owner, ``u`` due date,
  ``t`` ticket (a one-line prompt under the table), ``p`` priority (a letter: c/h/m/l).
* ``x`` marks done (completed today) or reopens; ``a`` adds; ``d`` deletes (it says
  which chains lose their change); ``l`` links the item to a factor.

A complete or published postmortem keeps its items' progress open: only ``x``, ``t``
and the form's ticket / status / completion date work, and the screen says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from pmtui.domain.lint import owner_problem
from pmtui.domain.models import ActionItem, ContributingFactor
from pmtui.domain.types import PRIORITIES
from pmtui.screens.base import StepScreen
from pmtui.screens.dialogs import ConfirmDialog
from pmtui.widgets import redraw
from pmtui.widgets.actions_form import changed, changes_from, date_check, item_dialog
from pmtui.widgets.actions_table import (
    columns_for,
    description_width,
    detail_line,
    factor_refs,
    item_row,
    theme_colours,
)
from pmtui.widgets.factors_pick import Pick, PickDialog
from pmtui.widgets.ladder_prompt import PromptBar, typing
from pmtui.widgets.row_cursor_table import RowCursorTable
from pmtui.widgets.text import literal, one_line

_LOCKED_KEYS = {"edit", "done", "ticket"}
KEYS = "a add  e edit  o owner  u due  t ticket  p prio  x done  l link  d delete"
LOCKED_KEYS_HINT = "x done/reopen  t ticket  e status and completion date"
_QUICK = {
    "owner": ("Owner — exactly one person", "e.g. one person's handle"),
    "due": ("Due date (YYYY-MM-DD)", "e.g. 2026-12-15"),
    "ticket": ("Ticket in the tracker", "e.g. PLAT-892"),
}


Started = tuple[ActionItem, int | None, list[ContributingFactor]]
"""An edit's starting point: the item as shown, its position, the factors that link it."""


def _binding(key: str, action: str, label: str, tip: str, *, show: bool = True) -> Binding:
    # Letters are priority bindings, off while typing: type-ahead lands in the prompt.
    return Binding(
        key,
        action,
        label,
        tooltip=tip,
        id=f"actions.{action.split('(')[0]}",
        show=show,
        priority=True,
    )


class ActionsScreen(StepScreen):
    STEP = "actions"
    BINDINGS = [
        _binding("a", "add", "Add", "Add an action item."),
        _binding("e", "edit", "Edit", "Edit the selected item in a form."),
        _binding("x", "done", "Done/reopen", "Mark the item done today, or reopen it."),
        _binding("o", "quick('owner')", "Owner", "Set the owner (one person)."),
        _binding("u", "quick('due')", "Due", "Set the due date."),
        _binding("t", "quick('ticket')", "Ticket", "Set the ticket."),
        _binding("p", "priority", "Priority", "Set the priority."),
        _binding("l", "link", "Link", "Link the item to the contributing factor it changes."),
        _binding("d", "delete", "Delete", "Delete the selected item."),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._columns: tuple[Any, ...] = ()
        self._width = 0

    def compose_body(self) -> ComposeResult:
        with Vertical(id="actions-body"):
            yield Static("", id="actions-locked", markup=False)
            table = RowCursorTable(id="actions-table", zebra_stripes=True)
            yield table
            # The footer cannot show every key at 80 columns.
            yield Static(KEYS, id="actions-keys", classes="hint", markup=False)
            yield Static("", id="actions-detail", markup=False)
            yield PromptBar(on_submit=self._quick_saved, id="actions-prompt")

    def on_mount(self) -> None:
        self._build_columns()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#actions-table", DataTable)

    @property
    def prompt(self) -> PromptBar:
        return self.query_one("#actions-prompt", PromptBar)

    def _build_columns(self) -> None:
        total = self.size.width - 2
        columns = columns_for(total)
        self._columns = columns
        self._width = description_width(total, columns)
        table = self.table
        table.clear(columns=True)
        for key, title, fixed in columns:
            table.add_column(title, key=key, width=fixed or self._width)

    def on_resize(self) -> None:
        # PmtuiScreen.on_resize runs too: Textual calls every class's handler.
        # The table's findings are in its colours and the detail line: in a short
        # terminal the step's findings list would only repeat them.
        self.set_class(self.size.height < 32, "-short")
        total = self.size.width - 2
        columns = columns_for(total)
        if (columns, description_width(total, columns)) != (self._columns, self._width):
            self._build_columns()
            if self.pmtui.session is not None:
                self.refresh_body()

    # ---- drawing -----------------------------------------------------------------------

    def refresh_body(self) -> None:
        doc, findings = self.session.doc, self.session.findings
        table = self.table
        row = table.cursor_row
        colours = theme_colours(self.app)
        redraw.fill_table(
            table,
            [
                item_row(doc, index, findings, colours, self._columns, self._width)
                for index in range(len(doc.action_items))
            ],
            keys=[item.id for item in doc.action_items],
        )
        if doc.action_items:
            table.move_cursor(row=min(max(row, 0), len(doc.action_items) - 1))
        redraw.update(
            self.query_one("#actions-keys", Static),
            literal(LOCKED_KEYS_HINT if self.session.locked else KEYS),
        )
        locked = self.query_one("#actions-locked", Static)
        locked.display = self.session.locked
        redraw.update(
            locked,
            literal(
                f"{doc.id} is {doc.status}: only progress can change — x done/reopen, t ticket, "
                "e for status and completion date. Reopen it (Review step) to change more."
            ),
        )
        self._refresh_detail()
        self.refresh_bindings()

    def _refresh_detail(self) -> None:
        detail = self.query_one("#actions-detail", Static)
        index = self._index()
        if index is None:
            redraw.update(
                detail,
                literal(
                    "No action items yet. Press a to add one, or close a chain "
                    "on the Factors step (c) to create one there."
                ),
            )
        else:
            redraw.update(detail, detail_line(self.session.doc, index, self.session.findings))

    @on(DataTable.RowHighlighted, "#actions-table")
    def _row_highlighted(self) -> None:
        self._refresh_detail()

    @on(DataTable.RowSelected, "#actions-table")
    def _row_selected(self) -> None:
        self.action_edit()

    def _index(self) -> int | None:
        items = self.session.doc.action_items
        row = self.table.cursor_row
        return row if items and 0 <= row < len(items) else None

    def _item(self) -> ActionItem | None:
        index = self._index()
        return None if index is None else self.session.doc.action_items[index]

    def _started(self) -> Started | None:
        """The selected item as shown now, where it is and the chains that link it: what a
        save is checked against, and what "keep mine" puts back if the other terminal
        deletes the item meanwhile."""
        index = self._index()
        if index is None:
            return None
        doc = self.session.doc
        item = doc.action_items[index]
        return item, index, [f for f in doc.contributing_factors if item.id in f.actions]

    def _save_started(self, start: Started, values: dict[str, Any]) -> None:
        """Save what the user changed, against the item as it was when the edit opened.

        Not against the document now: the other terminal's save may have been reloaded
        while the prompt, form or picker was open. Only the fields changed here are sent
        (with the values they started from), so their change to another field is kept,
        their change to the same field meets the conflict dialog, and an item they
        deleted is offered back.
        """
        item, index, links = start
        changes = changed(item, values)
        if changes:
            self.save(
                lambda: self.session.update_item(
                    "action_items", item, changes, position=index, links=links
                )
            )

    def _select(self, ref: str) -> None:
        refs = [i.id for i in self.session.doc.action_items]
        if ref in refs:
            self.table.move_cursor(row=refs.index(ref))

    # ---- the form ------------------------------------------------------------------------

    def action_add(self) -> None:
        created: dict[str, str] = {}

        def add(values: dict[str, Any]) -> None:
            created["ref"] = self.session.add_item("action_items", changes_from(values)).id

        def saved(values: dict[str, Any] | None) -> None:
            if values and self.save(lambda: add(values)):
                self._select(created["ref"])
                self.notify(
                    f"{created['ref']} added. Press l to link it to the factor it changes.",
                    markup=False,
                )

        self.app.push_screen(item_dialog("New action item"), saved)

    def action_edit(self) -> None:
        start = self._started()
        if start is None:
            return
        item = start[0]
        ref, locked = item.id, self.session.locked

        def saved(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            changes = changes_from(values)
            if changes.get("status") == "done" and not changes.get("completed_on"):
                changes["completed_on"] = self.pmtui.now().date()
            self._save_started(start, changes)

        self.app.push_screen(
            item_dialog(f"Edit action item {ref}", item, locked=locked, progress=True), saved
        )

    # ---- one field at a time -------------------------------------------------------------

    def action_quick(self, field: str) -> None:
        start = self._started()
        if start is None:
            return
        item = start[0]
        label, placeholder = _QUICK[field]
        value = getattr(item, field)
        shown = value.isoformat() if isinstance(value, dt.date) else str(value or "")
        checks: dict[str, Any] = {
            "owner": {"advise": owner_problem, "severe": True},
            "due": {"validate": date_check},
            "ticket": {},
        }
        # The item as shown now is what the save is checked against.
        self.prompt.open(
            field,
            f"{item.id} · {label}",
            shown,
            placeholder=placeholder,
            context=start,
            replace=True,
            **checks[field],
        )

    def _quick_saved(self, event: PromptBar.Submitted) -> None:
        self._save_started(event.context, changes_from({event.purpose: event.value}))
        self._back_to_table()

    @on(PromptBar.Cancelled, "#actions-prompt")
    def _quick_cancelled(self) -> None:
        self._back_to_table()

    def _back_to_table(self) -> None:
        self.set_focus(self.table)
        # The footer keeps the prompt's keys unless told the focus changed back.
        self.call_after_refresh(self.refresh_bindings)

    def action_priority(self) -> None:
        start = self._started()
        if start is None:
            return
        item = start[0]
        ref = item.id
        picks = [Pick(p, p.capitalize(), p[0]) for p in PRIORITIES]

        def chosen(value: str | None) -> None:
            if value:
                self._save_started(start, {"priority": value})

        self.app.push_screen(
            PickDialog(f"Priority of {ref}?", picks, current=item.priority), chosen
        )

    def action_done(self) -> None:
        item = self._item()
        if item is None:
            return
        if item.status == "done":
            changes: dict[str, Any] = {"status": "open", "completed_on": None}
        else:
            changes = {"status": "done", "completed_on": self.pmtui.now().date()}
        self.save(lambda: self.session.update_item("action_items", item, changes))

    # ---- links and deletion ----------------------------------------------------------------

    def action_link(self) -> None:
        item = self._item()
        if item is None:
            return
        ref = item.id
        doc = self.session.doc
        picks = [
            Pick(
                str(i),
                f"F{i + 1}  {one_line(f.description, 60) or '(no description)'}",
                str(i + 1) if i < 9 else "",
                "already linked" if ref in f.actions else "",
                disabled=ref in f.actions,
            )
            for i, f in enumerate(doc.contributing_factors)
        ]
        if not picks:
            self.notify("No contributing factors yet: add them on the Factors step.", markup=False)
            return

        def chosen(value: str | None) -> None:
            factors = self.session.doc.contributing_factors
            if value is not None and int(value) < len(factors):
                self.save(lambda: self.session.link_action(factors[int(value)], ref))

        self.app.push_screen(PickDialog(f"Which factor does {ref} change?", picks), chosen)

    def action_delete(self) -> None:
        item = self._item()
        if item is None:
            return
        linked = factor_refs(self.session.doc, item.id)
        question = f"Delete {item.id} “{one_line(item.description, 50)}”?"
        if linked:
            question += f"\nIt closes {linked}: that chain opens again."

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.save(lambda: self.session.delete_item("action_items", item))

        self.app.push_screen(ConfirmDialog(question), confirmed)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if typing(self):
            return False  # the key is text for the focused field
        if self.pmtui.session is None:
            return True
        if action in ("add", "edit", "done", "quick", "priority", "link", "delete"):
            if self.session.locked:
                allowed = action in _LOCKED_KEYS or parameters == ("ticket",)
                if not allowed:
                    return None
            if action != "add":
                return self._item() is not None or None
        return True

    def focus_path(self, path: str) -> None:
        self.table.focus()
        index = path.removeprefix("action_items[").split("]", 1)[0]
        if index.isdigit() and int(index) < len(self.session.doc.action_items):
            self.table.move_cursor(row=int(index))
