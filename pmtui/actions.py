"""Provides the app's document actions: new, import, export, copy, complete, publish, reopen.

They are app-level so the palette, the Home and Review screens' keys and the tests all
call the same code. Every failure a user or a file can cause becomes a notification.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmtui.domain.errors import PmtuiError
from pmtui.store import CompletionRefused

if TYPE_CHECKING:
    from pmtui.app import PmtuiApp
    from pmtui.session import MeetingSession

    _Base = PmtuiApp
else:
    _Base = object


class DocumentActions(_Base):
    # ---- which postmortem ------------------------------------------------------------

    def target_ident(self, screen: Any = None) -> str | None:
        """The postmortem the user sees on ``screen`` (default: the current screen).

        In a meeting step, the open postmortem; on a list (Home), the highlighted row,
        or nothing when the list is empty; elsewhere, the open postmortem if any.
        """
        from pmtui.screens.base import StepScreen

        screen = self.screen if screen is None else screen
        if not isinstance(screen, StepScreen):
            selected = getattr(screen, "selected_id", None)
            if callable(selected):
                return selected()  # type: ignore[no-any-return]
        return self.session.ident if self.session is not None else None

    def _session_for(self, ident: str) -> MeetingSession | None:
        """The open session when it is ``ident``'s, else one made for this action only."""
        if self.session is not None and self.session.ident == ident:
            return self.session
        from pmtui.session import MeetingSession

        try:
            return MeetingSession(self.store, ident)
        except PmtuiError as exc:
            self.notify(str(exc), title="Cannot open", severity="error", markup=False)
            return None

    def _target_session(self, ident: str | None) -> MeetingSession | None:
        ident = ident or self.target_ident()
        return None if ident is None else self._session_for(ident)

    def _refresh_screen(self) -> None:
        """Show a change on the current screen: a step redraws, a list re-reads itself."""
        screen = self.screen
        refresh = getattr(screen, "refresh_all", None)
        if refresh is not None:
            if self.session is not None:
                refresh()
            return
        reload = getattr(screen, "reload", None)
        if reload is not None:
            reload()

    # ---- creating and importing ------------------------------------------------------

    def action_new(self, near_miss: bool = False) -> None:
        from pmtui.screens.new import document_from_form, new_postmortem_dialog

        def create(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            try:
                pm = self.store.create(document_from_form(values, near_miss=near_miss))
            except PmtuiError as exc:
                self.notify(str(exc), title="Not created", severity="error", markup=False)
                return
            self.open_postmortem(pm.id, "setup")

        self.push_screen(new_postmortem_dialog(self.store, near_miss=near_miss), create)

    def action_import(self) -> None:
        from pmtui.screens.dialogs import FormDialog, FormField

        def exists(text: str) -> str | None:
            return None if Path(text.strip()).expanduser().exists() else "no such file or directory"

        dialog = FormDialog(
            "Import YAML",
            [
                FormField(
                    "path", "File or directory", placeholder="e.g. postmortems/", validate=exists
                )
            ],
            question="Each file is imported whole or not at all; ids that exist are matched.",
        )
        self.push_screen(dialog, self._import_chosen)

    def _import_chosen(self, values: dict[str, Any] | None) -> None:
        if not values:
            return
        from pmtui.transfer import ImportOutcome, import_paths

        try:
            results = import_paths(self.store, [Path(values["path"].strip()).expanduser()])
        except PmtuiError as exc:
            self.notify(str(exc), title="Not imported", severity="error", markup=False)
            return
        failed = [r for r in results if r.outcome is ImportOutcome.FAILED]
        conflicts = [r for r in results if r.outcome is ImportOutcome.CONFLICT]
        done = len(results) - len(failed) - len(conflicts)
        for result in failed[:3]:
            self.notify(
                str(result), title="Not imported", severity="error", markup=False, timeout=12
            )
        summary = f"{done} imported or unchanged, {len(failed)} failed, {len(conflicts)} to decide"
        self.notify(summary, title="Import", markup=False)
        self._reload_home()
        self._resolve_conflicts(conflicts)

    def _resolve_conflicts(self, conflicts: list[Any]) -> None:
        """Ask, one at a time, what to do with each id that exists and differs."""
        if not conflicts:
            return
        from pmtui.export.yaml_io import read_postmortem_file
        from pmtui.screens.dialogs import ChoiceDialog
        from pmtui.transfer import import_document

        first, rest = conflicts[0], conflicts[1:]

        def decided(choice: str | None) -> None:
            if choice in ("replace", "copy"):
                try:
                    pm = read_postmortem_file(first.source)
                    result = import_document(
                        self.store, pm, on_existing=choice, source=first.source
                    )
                    self.notify(str(result), title="Import", markup=False)
                except PmtuiError as exc:
                    self.notify(str(exc), title="Not imported", severity="error", markup=False)
                self._reload_home()
            self._resolve_conflicts(rest)

        self.push_screen(
            ChoiceDialog(
                f"{first.ident} already exists here and differs from {first.source}.",
                [
                    ("replace", "Replace the stored one with the file"),
                    ("copy", "Copy: import it under a new id"),
                    ("skip", "Skip: keep the stored one"),
                ],
            ),
            decided,
        )

    def _reload_home(self) -> None:
        reload = getattr(self.screen, "reload", None)
        if reload is not None:
            reload()

    # ---- exporting -------------------------------------------------------------------

    def action_copy_markdown(self, ident: str | None = None) -> None:
        session = self._target_session(ident)
        if session is None:
            return
        from pmtui.export.formats import render

        try:
            text = render(session.doc, "md")
        except PmtuiError as exc:
            self.notify(str(exc), title="Not copied", severity="error", markup=False)
            return
        self.copy_to_clipboard_reporting(text)

    def action_export(self, fmt: str = "md", ident: str | None = None) -> None:
        ident = ident or self.target_ident()
        if ident is None:
            return
        from pmtui.widgets.review_export import ExportDialog

        self.push_screen(
            ExportDialog(ident, fmt), lambda values: self._export_chosen(values, ident)
        )

    def _export_chosen(
        self, values: dict[str, Any] | None, ident: str, overwrite: bool = False
    ) -> None:
        if not values:
            return
        from pmtui.export.files import TargetExists
        from pmtui.screens.dialogs import ConfirmDialog

        # Absolute: the toast must say where the file is, whatever the working directory.
        path = Path(values["path"].strip()).expanduser().absolute()
        if self.is_web:
            self._deliver(values["format"], path.name, ident)
            return
        session = self._session_for(ident)  # the document as it is now, not when asked
        if session is None:
            return
        try:
            write_export(session.doc, values["format"], path, overwrite=overwrite)
        except TargetExists:

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._export_chosen(values, ident, overwrite=True)

            self.push_screen(ConfirmDialog(f"{path} exists. Replace it?", yes="Replace"), confirmed)
            return
        except (PmtuiError, OSError) as exc:
            self.notify(str(exc), title="Not exported", severity="error", markup=False)
            return
        self.notify(f"Wrote {path}", title=f"Exported {ident}", markup=False)

    def _deliver(self, fmt: str, filename: str, ident: str) -> None:
        """In the browser (pmtui serve), an export is a download, not a server-side file."""
        import io

        from pmtui.export.formats import render

        session = self._session_for(ident)
        if session is None:
            return
        try:
            text = render(session.doc, fmt)
        except PmtuiError as exc:
            self.notify(str(exc), title="Not exported", severity="error", markup=False)
            return
        self.deliver_text(io.StringIO(text), save_filename=filename or "postmortem.txt")
        self.notify(f"Downloading {filename}", title=f"Exported {ident}", markup=False)

    # ---- the door ----------------------------------------------------------------------

    def action_complete(self, ident: str | None = None) -> None:
        session = self._target_session(ident)
        if session is None:
            return
        try:
            session.complete()
        except CompletionRefused as exc:
            from pmtui.widgets.review_status import plural, remaining

            # Codes only: the Review step lists each finding in full, and a long toast
            # would cover that list on a projected screen.
            shown = 4
            codes = " · ".join(f.code for f in exc.findings[:shown])
            more = f" and {len(exc.findings) - shown} more" if len(exc.findings) > shown else ""
            gates, advisories = remaining(exc.findings)
            counts = f"{plural(gates, 'gate')} and {plural(advisories, 'advisory')}"
            self.notify(
                f"{session.ident}: {codes}{more}. Review lists each one; enter goes to it.",
                title=f"Not complete: {counts} remain",
                severity="error",
                markup=False,
                timeout=10,
            )
            if session is not self.session:
                self.open_postmortem(session.ident, "review")
            elif self.current_step != "review":
                self.go("review")
            return
        except PmtuiError as exc:
            self.notify(
                f"{session.ident}: {exc}", title="Not complete", severity="error", markup=False
            )
            return
        self.notify(f"{session.ident} is complete. Publish it next.", title="Complete")
        self._refresh_screen()

    def action_publish(self, ident: str | None = None) -> None:
        session = self._target_session(ident)
        if session is None:
            return
        try:
            session.publish()
        except PmtuiError as exc:
            self.notify(
                f"{session.ident}: {exc}", title="Not published", severity="error", markup=False
            )
            return
        from pmtui.domain.severity import publication_deadline

        deadline = publication_deadline(session.doc)
        published = session.doc.date_published
        verdict = ""
        if deadline and published:
            verdict = (
                " — within the severity deadline"
                if published <= deadline
                else f" — after the severity deadline ({deadline:%Y-%m-%d %H:%M} UTC)"
            )
        self.notify(
            f"{session.ident} published {published:%Y-%m-%d %H:%M} UTC{verdict}."
            if published
            else f"{session.ident} published.",
            title="Published",
            markup=False,
        )
        self._refresh_screen()

    def action_reopen(self, ident: str | None = None) -> None:
        session = self._target_session(ident)
        if session is None:
            return
        try:
            session.reopen()
        except PmtuiError as exc:
            self.notify(
                f"{session.ident}: {exc}", title="Not reopened", severity="error", markup=False
            )
            return
        self.notify(f"{session.ident} is back in the meeting.", title="Reopened", markup=False)
        self._refresh_screen()


def write_export(doc: Any, fmt: str, path: Path, *, overwrite: bool) -> Path:
    """Render and write one export (atomic, never through a symlink); returns the path."""
    from pmtui.export.files import write_text_atomic
    from pmtui.export.formats import render

    write_text_atomic(path, render(doc, fmt), overwrite=overwrite)
    return path
