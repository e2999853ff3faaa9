"""Provides the Failure classes screen: the taxonomy with counts; describe, rename, merge.

One name per failure: ``n-plus-one`` merged into ``n+1-query`` makes both incidents
findable by the next search and visible to recurrence. A rename or a merge rewrites
every postmortem that carries the class, in one transaction.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from pmtui.domain.errors import DocumentInvalid, PmtuiError
from pmtui.screens.base import PmtuiScreen
from pmtui.screens.dialogs import ConfirmDialog, FormDialog, FormField
from pmtui.store import FailureClass
from pmtui.store.taxonomy import normalise_slug, one_line_description
from pmtui.widgets.footer import QuietFooter
from pmtui.widgets.row_cursor_table import RowCursorTable
from pmtui.widgets.text import cell, literal, one_line


def _slug_problem(text: str) -> str | None:
    try:
        normalise_slug(text)
    except DocumentInvalid as exc:
        return exc.problems[0].split(": ", 1)[-1]
    return None


def _description_problem(text: str) -> str | None:
    try:
        one_line_description(text)
    except DocumentInvalid as exc:
        return exc.problems[0].split(": ", 1)[-1]
    return None


class TaxonomyScreen(PmtuiScreen):
    """Every failure class, most used first."""

    BINDINGS = [
        Binding("escape", "leave", "Home", tooltip="Back to the list of postmortems.",
                id="classes.home"),
        Binding("enter", "search", "Postmortems",
                tooltip="Search the postmortems that carry this class.", id="classes.search"),
        Binding("d", "describe", "Describe", tooltip="Set the class's one-line description.",
                id="classes.describe"),
        Binding("r", "rename", "Rename", tooltip="Rename the class on every postmortem.",
                id="classes.rename"),
        Binding("m", "merge", "Merge", tooltip="Fold this class into another, everywhere.",
                id="classes.merge"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[FailureClass] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_too_small()
        with Vertical(classes="kb-frame"):
            yield Static(
                Content.from_markup(
                    "[b]Failure classes[/b]  [dim]one name per failure: merge look-alikes[/]"
                ),
                id="classes-title",
            )
            yield RowCursorTable(id="classes-table", zebra_stripes=True)
            yield Static("", id="classes-status")
        yield QuietFooter()

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#classes-table", DataTable)

    def on_mount(self) -> None:
        self.table.add_column("Class", key="slug", width=34)
        self.table.add_column("Uses", key="count", width=5)
        self.table.add_column("Description", key="description")
        self.reload()
        self.table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        keep = keep or self.selected()
        self.entries = self.pmtui.store.failure_classes()
        table = self.table
        table.clear()
        for c in self.entries:
            table.add_row(
                cell(c.slug, "bold"),
                cell(str(c.count)),
                cell(one_line(c.description) or "—", "" if c.description else "dim"),
                key=c.slug,
            )
        for index, c in enumerate(self.entries):
            if c.slug == keep:
                table.move_cursor(row=index)
        count = len(self.entries)
        text = (
            f"{count} class{'es' * (count != 1)} · enter lists its postmortems · "
            "d describe · r rename · m merge"
            if count
            else "No failure classes yet: tag a postmortem in its Past incidents step."
        )
        self.query_one("#classes-status", Static).update(literal(text))

    def selected(self) -> str | None:
        row = self.table.cursor_row
        return self.entries[row].slug if 0 <= row < len(self.entries) else None

    def _current(self) -> FailureClass | None:
        slug = self.selected()
        return next((c for c in self.entries if c.slug == slug), None)

    def _run(self, change: Any, done: str, keep: str | None = None) -> None:
        try:
            change()
        except DocumentInvalid as exc:
            self.notify(
                "\n".join(exc.problems), title="Not changed", severity="error", markup=False
            )
            return
        except PmtuiError as exc:
            self.notify(str(exc), title="Not changed", severity="error", markup=False)
            return
        self.notify(done, title="Failure classes", markup=False)
        self.reload(keep)

    # ---- actions ---------------------------------------------------------------------

    def action_leave(self) -> None:
        self.pmtui.switch_mode("home")

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_search()

    def action_search(self) -> None:
        slug = self.selected()
        if not slug:
            return
        app = self.app

        def show() -> None:
            search_for = getattr(app.screen, "search_for", None)
            if search_for is not None:
                search_for(failure_class=slug)

        self.pmtui.switch_mode("search")
        # The search screen is current only once the switch has been processed.
        app.call_after_refresh(show)

    def action_describe(self) -> None:
        current = self._current()
        if current is None:
            return
        store = self.pmtui.store

        def done(values: dict[str, Any] | None) -> None:
            if values is not None:
                self._run(
                    lambda: store.describe_class(current.slug, str(values["description"])),
                    f"{current.slug} described",
                    current.slug,
                )

        self.app.push_screen(
            FormDialog(
                f"Describe {current.slug}",
                [
                    FormField(
                        "description",
                        "In one line: what fails, and how",
                        validate=_description_problem,
                    )
                ],
                {"description": current.description},
            ),
            done,
        )

    def action_rename(self) -> None:
        current = self._current()
        if current is None:
            return
        store = self.pmtui.store
        others = [c.slug for c in self.entries if c.slug != current.slug]

        def done(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            new = normalise_slug(str(values["slug"]))
            if new in others:
                self._confirm_merge(current, new)
                return
            self._run(
                lambda: store.rename_class(current.slug, new),
                f"{current.slug} is now {new} on {current.count} postmortem(s)",
                new,
            )

        self.app.push_screen(
            FormDialog(
                f"Rename {current.slug} on {current.count} postmortem(s)",
                [FormField("slug", "New name", validate=_slug_problem, suggestions=others)],
                {"slug": current.slug},
                question="Lowercase words joined by hyphens, like n+1-query.",
            ),
            done,
        )

    def action_merge(self) -> None:
        current = self._current()
        if current is None:
            return
        others = [c.slug for c in self.entries if c.slug != current.slug]
        similar = self.pmtui.store.similar_classes(current.slug)

        def done(values: dict[str, Any] | None) -> None:
            if values is not None:
                self._confirm_merge(current, normalise_slug(str(values["into"])))

        self.app.push_screen(
            FormDialog(
                f"Merge {current.slug} into…",
                [FormField("into", "Into the class", validate=_slug_problem, suggestions=others)],
                {"into": similar[0] if similar else ""},
                question="Every postmortem tagged with it gets the other name instead.",
            ),
            done,
        )

    def _confirm_merge(self, current: FailureClass, into: str) -> None:
        store = self.pmtui.store

        def answer(yes: bool | None) -> None:
            if yes:
                self._run(
                    lambda: store.merge_classes([current.slug], into),
                    f"{current.slug} merged into {into} on {current.count} postmortem(s)",
                    into,
                )

        self.app.push_screen(
            ConfirmDialog(
                f"Merge {current.slug} into {into} on {current.count} postmortem(s)? "
                f"{current.slug} leaves the taxonomy.",
                yes="Merge",
                no="Cancel",
            ),
            answer,
        )
