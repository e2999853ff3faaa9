"""Provides the app's live side: edits saved or kept, the other terminal's saves, conflicts.

- Every edit goes through :meth:`LiveMixin.run_edit`: saved at once, or — when another
  terminal holds the write lock or the disk refuses — kept in memory in order, with a
  banner that says so, and retried every second without blocking input.
- ``PRAGMA data_version`` is polled every 0.6 s; it changes only when *another*
  connection commits, so an idle meeting costs a few microseconds per poll. When it
  changes, the open document is reloaded and the screen redrawn; widgets keep their
  cursor and any text being typed.
- A save that meets another terminal's newer value opens the conflict dialog (theirs
  and mine); nothing is overwritten silently.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pmtui.domain.errors import DocumentInvalid, PmtuiError
from pmtui.presence import Peer, Presence
from pmtui.store import StaleWrite

if TYPE_CHECKING:
    from pmtui.app import PmtuiApp
    from pmtui.session import Conflict, SaveDeferred

    _Base = PmtuiApp
else:
    _Base = object

POLL_SECONDS = 0.6  # another terminal's save shows within a second, paint included
PRESENCE_EVERY = 10  # polls between presence checks (6 s)
RETRY_EVERY = 2  # polls between retries of kept edits (1.2 s); none while nothing is kept


class LiveMixin(_Base):
    presence: Presence | None = None
    peers: tuple[Peer, ...] = ()
    others_saved_at: dt.datetime | None = None
    pending_reason: str = ""

    def start_live(self) -> None:
        """Start polling for the other terminal's saves and announce ourselves."""
        self._data_version = self.store.data_version()
        self._polls = 0
        self._corruption_reported = False
        # After the first paint: the check competes for the CPU with drawing the list.
        self.call_after_refresh(self.store.start_verification)
        if self.store.path is not None:
            self.presence = Presence(self.store.path, self.role)
            crashed = self.presence.collect_crashed()
            self.presence.announce()
            self.peers = tuple(self.presence.peers())
            if crashed:
                self._report_recovery(crashed)
        # One timer: an idle meeting wakes up less than twice a second.
        self.set_interval(POLL_SECONDS, self.poll_changes, name="poll")

    def stop_live(self) -> None:
        if self.presence is not None:
            self.presence.leave()

    def on_unmount(self) -> None:
        # However the app ends (quit, a test's exit, an error), it is not "crashed".
        self.stop_live()

    def _report_recovery(self, crashed: list[Peer]) -> None:
        """A previous session died without closing: say what of it is here."""
        for peer in crashed:
            line = f"A pmtui session (pid {peer.pid}, {peer.role}) ended without closing."
            if peer.postmortem and self.store.exists(peer.postmortem):
                pm = self.store.load(peer.postmortem)
                stamp = self.store.updated_at(pm.id)
                line += (
                    f" Everything it saved in {pm.id} is here (last saved {stamp[11:19]} UTC);"
                    " only text still being typed at that moment could be missing."
                )
            self.notify(line, title="Recovered", severity="warning", timeout=15, markup=False)

    def _report_corruption(self, problem: str) -> None:
        backups = self.store.backups()
        offer = (
            f" The newest backup is {backups[0]}; quit and copy it over the file to use it."
            if backups
            else " Export what you need (it is read-only now) and restore from your own copy."
        )
        self.notify(
            problem + offer,
            title="Database damaged: read-only",
            severity="error",
            timeout=30,
            markup=False,
        )
        self.refresh_screens(body=False)

    # ---- the other terminal ----------------------------------------------------------

    def poll_changes(self) -> None:
        self._polls += 1
        if self.session is not None and self.session.pending and self._polls % RETRY_EVERY == 0:
            self.retry_pending()
        if self.store.corruption and not self._corruption_reported:
            self._corruption_reported = True
            self._report_corruption(self.store.corruption)
        if self.presence is not None and self._polls % PRESENCE_EVERY == 0:
            crashed = self.presence.collect_crashed()
            if crashed:
                self._report_recovery(crashed)
            peers = tuple(self.presence.peers())
            if peers != self.peers:
                self.peers = peers
                self.refresh_screens(body=False)
        try:
            version = self.store.data_version()
        except PmtuiError:
            return
        except Exception:  # a closed or vanished database must not kill the poll timer
            return
        if version == self._data_version:
            return
        self._data_version = version
        if self.session is not None and not self.session.pending:
            try:
                changed = self.session.reload()
            except PmtuiError as exc:
                self.notify(str(exc), title="Reload failed", severity="error", markup=False)
                return
            if changed:
                self.others_saved_at = self.now()
                self.refresh_screens(body=True)
        elif self.session is None:
            self.refresh_screens(body=True)

    def refresh_screens(self, *, body: bool) -> None:
        """Redraw the screens of the current stack (a dialog's parent too) from the store."""
        for screen in self.screen_stack:
            with contextlib.suppress(PmtuiError):
                if self.session is not None and hasattr(screen, "refresh_all"):
                    (screen.refresh_all if body else screen.refresh_chrome)()
                elif body and hasattr(screen, "reload"):
                    screen.reload()

    # ---- saving ------------------------------------------------------------------------

    def run_edit(self, action: Callable[[], Any]) -> bool:
        """Run one edit; report every failure a user can meet. True when it was saved."""
        from pmtui.session import Conflict, SaveDeferred

        try:
            action()
        except DocumentInvalid as exc:
            self.notify("\n".join(exc.problems), title="Not saved", severity="error", markup=False)
            return False
        except Conflict as conflict:
            self.resolve_conflict(conflict)
            return False
        except StaleWrite as exc:
            self.report_conflict(exc)
            return False
        except SaveDeferred as exc:
            self._show_pending(exc)
            return False
        except PmtuiError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return False
        return True

    def _show_pending(self, deferred: SaveDeferred) -> None:
        if deferred.waiting:
            self.pending_reason = "waiting for the other terminal… your edit is kept"
        else:
            self.pending_reason = (
                f"{deferred} — your edit is kept in memory and retried; export to keep a copy"
            )
            self.notify(
                self.pending_reason,
                title="Not saved yet",
                severity="error",
                markup=False,
                timeout=10,
            )
        self.refresh_screens(body=False)

    def retry_pending(self) -> None:
        session = self.session
        if session is None or not session.pending:
            return
        conflicts = session.retry_pending()
        if not session.pending:
            self.pending_reason = ""
            self.notify("Kept edits are saved now.", title="Saved", markup=False)
            self.refresh_screens(body=True)
        for conflict in conflicts:
            self.resolve_conflict(conflict)

    # ---- conflicts ---------------------------------------------------------------------

    def report_conflict(self, conflict: StaleWrite) -> None:
        """A stale write without an edit to re-apply: reload and say so."""
        if self.session is not None:
            self.session.reload()
        self.refresh_screens(body=True)
        self.notify(
            str(conflict) + ". The screen now shows the saved version.",
            title="Changed in another terminal",
            severity="warning",
            markup=False,
            timeout=8,
        )

    def resolve_conflict(self, conflict: Conflict) -> None:
        """Show theirs and mine; apply the user's choice."""
        from pmtui.screens.conflict import ConflictDialog, describe

        if self.session is not None:
            self.session.reload()
        self.refresh_screens(body=True)

        def chosen(choice: str | None) -> None:
            if choice == "mine" and self.session is not None:
                session = self.session
                if self.run_edit(lambda: session.keep_mine(conflict)):
                    self.notify("Yours is saved on top of theirs.", title="Kept mine")
            elif choice == "copy":
                self.copy_to_clipboard_reporting(describe(conflict.edit.mine, []))
            self.refresh_screens(body=True)

        self.push_screen(ConflictDialog(conflict), chosen)
