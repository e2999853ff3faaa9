"""Provides the Setup step: the incident's facts and who is in the room.

Each field saves itself when confirmed (Enter, leaving it, or a pause in typing). The
participants table shows roles and who was directly involved; the advisories about a
facilitator who was involved or a SEV-1/2 without its team lead or a product owner
appear below as soon as they apply.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Label, Select, Static

from pmtui.domain.models import Participant
from pmtui.domain.types import SEVERITIES, format_timestamp
from pmtui.screens.base import StepScreen
from pmtui.screens.dialogs import ConfirmDialog, FormDialog, FormField
from pmtui.screens.new import field_validator
from pmtui.widgets import redraw
from pmtui.widgets.field import FieldEditor
from pmtui.widgets.row_cursor_table import RowCursorTable
from pmtui.widgets.text import cell

# (document field, label, placeholder)
_FIELDS = (
    # Placeholders start with "e.g.": on a projector a bare example reads as a value.
    ("title", "Title", "what happened, in a line"),
    ("service", "Service", "e.g. payments"),
    ("team", "Team", "e.g. payments"),
    ("facilitator", "Facilitator (not involved)", "e.g. platform-sre-lead"),
    ("date_of_incident", "Began (UTC)", "e.g. 2026-01-14T14:32:00Z"),
    ("date_restored", "Restored (UTC)", "e.g. 2026-01-14T14:55:00Z"),
    ("date_of_postmortem", "Meeting date", "e.g. 2026-01-16"),
)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return format_timestamp(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


PARTICIPANT_FIELDS = [
    FormField(
        "name", "Name or handle", validate=lambda t: None if t.strip() else "a name is required"
    ),
    FormField(
        "role",
        "Role",
        suggestions=(
            "team lead",
            "product owner",
            "on-call engineer",
            "platform representative",
            "developer",
            "scribe",
            "security",
        ),
    ),
    FormField("directly_involved", "Directly involved in the incident", kind="bool"),
]


class SetupScreen(StepScreen):
    STEP = "setup"
    BINDINGS = [
        Binding("a", "add_participant", "Add person", tooltip="Add a participant.", id="setup.add"),
        Binding(
            "e",
            "edit_participant",
            "Edit",
            tooltip="Edit the selected participant.",
            id="setup.edit",
        ),
        Binding(
            "d",
            "delete_participant",
            "Delete",
            tooltip="Remove the selected participant.",
            id="setup.delete",
        ),
        Binding(
            "space",
            "toggle_involved",
            "Involved?",
            tooltip="Toggle whether the selected participant was directly involved.",
            id="setup.involved",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="setup-body"):
            with Grid(id="setup-grid"):
                for field, label, placeholder in _FIELDS:
                    yield FieldEditor(
                        field,
                        label,
                        placeholder=placeholder,
                        validate=field_validator(field),
                        suggester=SuggestFromList(self.pmtui.store.service_names())
                        if field == "service"
                        else None,
                    )
                with Vertical(classes="setup-severity"):
                    yield Label("Severity")
                    yield Select(
                        [(s, s) for s in SEVERITIES],
                        prompt="(not set)",
                        id="setup-severity",
                        compact=True,
                    )
            with Horizontal(classes="section-title"):
                yield Static("Participants", markup=False)
                yield Static(
                    "a add · e edit · d delete · space involved", classes="hint", markup=False
                )
            table = RowCursorTable(id="participants")
            yield table

    def on_mount(self) -> None:
        table = self.query_one("#participants", DataTable)
        table.add_column("Name", key="name")
        table.add_column("Role", key="role")
        table.add_column("Involved", key="involved", width=9)

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#participants", DataTable)

    def refresh_body(self) -> None:
        doc = self.session.doc
        locked = self.session.locked  # complete or published: reopen it (Review, o) to edit
        for editor in self.query(FieldEditor):
            editor.set_value(_shown(getattr(doc, editor.field)))
            editor.input.disabled = locked
        self.query_one("#setup-severity", Select).disabled = locked
        severity = self.query_one("#setup-severity", Select)
        with severity.prevent(Select.Changed):
            if doc.severity:
                severity.value = doc.severity
            else:
                severity.clear()
        self.query_one(".setup-severity").display = doc.kind != "near-miss"
        table = self.table
        row = table.cursor_row
        redraw.fill_table(
            table,
            [
                (
                    cell(person.name),
                    cell(person.role),
                    cell(
                        "yes" if person.directly_involved else "no",
                        "bold yellow" if person.directly_involved else "",
                    ),
                )
                for person in doc.participants
            ],
        )
        if doc.participants:
            table.move_cursor(row=min(max(row, 0), len(doc.participants) - 1))

    # ---- fields ------------------------------------------------------------------------

    @on(FieldEditor.Committed)
    def _field_committed(self, event: FieldEditor.Committed) -> None:
        self.save(lambda: self.session.set_field(event.field, event.value, base=event.base))

    @on(Select.Changed, "#setup-severity")
    def _severity_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else event.value
        if value != self.session.doc.severity:
            self.save(lambda: self.session.set_field("severity", value))

    # ---- participants ------------------------------------------------------------------

    def _selected(self) -> Participant | None:
        people = self.session.doc.participants
        row = self.table.cursor_row
        return people[row] if people and 0 <= row < len(people) else None

    def action_add_participant(self) -> None:
        def added(values: dict[str, Any] | None) -> None:
            if values and self.save(lambda: self.session.add_item("participants", values)):
                self.table.move_cursor(row=len(self.session.doc.participants) - 1)

        self.app.push_screen(FormDialog("Add participant", PARTICIPANT_FIELDS), added)

    def action_edit_participant(self) -> None:
        person = self._selected()
        if person is None:
            return

        def edited(values: dict[str, Any] | None) -> None:
            if values:
                self.save(lambda: self.session.update_item("participants", person, values))

        self.app.push_screen(
            FormDialog("Edit participant", PARTICIPANT_FIELDS, person.model_dump()), edited
        )

    def action_delete_participant(self) -> None:
        person = self._selected()
        if person is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.save(lambda: self.session.delete_item("participants", person))

        self.app.push_screen(
            ConfirmDialog(f"Remove {person.name} from the participants?"), confirmed
        )

    def action_toggle_involved(self) -> None:
        person = self._selected()
        if person is not None:
            self.save(
                lambda: self.session.update_item(
                    "participants", person, {"directly_involved": not person.directly_involved}
                )
            )

    @on(DataTable.RowSelected, "#participants")
    def _row_selected(self) -> None:
        self.action_edit_participant()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_participant", "delete_participant", "toggle_involved"):
            return (self.table.has_focus and self._selected() is not None) or None
        if action == "add_participant":
            return self.table.has_focus or None
        return True

    def focus_path(self, path: str) -> None:
        if path.startswith("participants"):
            self.table.focus()
            index = path.removeprefix("participants[").split("]", 1)[0]
            if index.isdigit():
                self.table.move_cursor(row=int(index))
            return
        name = path.split(".", 1)[0]
        for editor in self.query(FieldEditor):
            if editor.field == name:
                editor.input.focus()
                return
        if name == "severity":
            self.query_one("#setup-severity", Select).focus()
