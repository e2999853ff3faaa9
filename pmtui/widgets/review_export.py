"""Provides ExportDialog: choose a format and a file; the file name follows the format.

Choosing another format renames a default file name (``INC-2026-0114.md`` becomes
``INC-2026-0114.jira.csv``) but never a name the user typed, so a CSV is not written
to a ``.md`` file by accident.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.widgets import Select

from pmtui.export.files import export_filename
from pmtui.export.formats import FORMATS
from pmtui.screens.dialogs import FormDialog, FormField
from pmtui.widgets.field import FieldEditor
from pmtui.widgets.text import literal

QUESTION = "jira and gh carry only the action items, for the issue tracker."


def _check(values: dict[str, Any]) -> list[str]:
    """Refused here, with the dialog still open, rather than after it closed (the path
    then had to be typed again)."""
    if not values.get("format"):
        return ["choose a format"]
    typed = str(values.get("path") or "").strip()
    if not typed:
        return ["name the file to write"]
    target = Path(typed).expanduser().absolute()
    if target.is_dir():
        return [f"{target} is a folder: name a file in it"]
    if not target.parent.is_dir():
        return [f"the folder {target.parent} does not exist"]
    return []


class ExportDialog(FormDialog):
    """Export one postmortem: dismisses with ``{"format", "path"}`` or None."""

    def __init__(self, ident: str, fmt: str = "md") -> None:
        fmt = fmt if fmt in FORMATS else "md"
        self._ident = ident
        super().__init__(
            f"Export {ident}",
            [
                FormField("format", "Format", kind="choice", choices=tuple(FORMATS)),
                FormField(
                    "path",
                    "Write to (an existing file is replaced only if you say so)",
                    placeholder="file path",
                ),
            ],
            {"format": fmt, "path": self.default_name(fmt)},
            question=QUESTION,
            check=_check,
        )

    def on_mount(self) -> None:
        # Name each format by what it is for; the value stays the format's short name.
        select = self.query_one("#form-format", Select)
        chosen = select.value
        with select.prevent(Select.Changed):
            select.set_options(
                (literal(f"{name} — {fmt.label}"), name) for name, fmt in FORMATS.items()
            )
            select.value = chosen

    def default_name(self, fmt: str) -> str:
        return export_filename(self._ident, FORMATS[fmt].extension)

    @on(Select.Changed, "#form-format")
    def _format_changed(self, event: Select.Changed) -> None:
        if not isinstance(event.value, str) or event.value not in FORMATS:
            return
        editor = self.query_one("#form-path", FieldEditor)
        typed = editor.value.strip()
        defaults = {self.default_name(name) for name in FORMATS}
        if not typed:
            renamed = self.default_name(event.value)
        elif Path(typed).name in defaults:
            renamed = str(Path(typed).with_name(self.default_name(event.value)))
        else:
            return
        editor.input.value = renamed
        editor.input.cursor_position = len(renamed)  # not left where the old name had it
