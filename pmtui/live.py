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
- Quitting saves what is being typed — fields and open prompts, as Enter would — and
  the kept edits. What still cannot be saved stops the first ctrl+q with a message
  (the second quits without it); a termination signal quits at once and prints it.
- Opening another postmortem saves what is typed in the one left, the same way; its kept
  edits refuse the switch with a message until they are saved.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pmtui.domain.errors import DocumentInvalid, PmtuiError
from pmtui.presence import Peer, Presence
from pmtui.store import StaleWrite

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widget import Widget

    from pmtui.app import PmtuiApp
    from pmtui.session import Conflict, SaveDeferred

    _Base = PmtuiApp
else:
    _Base = object

POLL_SECONDS = 0.6  # another terminal's save shows within a second, paint included
PRESENCE_EVERY = 10  # polls between presence checks (6 s)
RETRY_EVERY = 2  # polls between retries of kept edits (1.2 s); none while nothing is kept
WAITING = "waiting for the other terminal…"
CHECKING = "checking the database file…"
DAMAGED = "not saved: the database is damaged (read-only)"
QUIT_CONFIRM_S = 30.0  # how long "ctrl+q again quits without saving these" holds


@dataclass(frozen=True)
class Unsaved:
    """Text typed but not saved at quit time: where it is, what it says, why not."""

    where: str
    text: str
    problem: str
    widget: Widget | None = None


class LiveMixin(_Base):
    presence: Presence | None = None
    peers: tuple[Peer, ...] = ()
    others_saved_at: dt.datetime | None = None
    pending_reason: str = ""
    _refused_saves = 0  # edits refused or sent to the conflict dialog, ever
    _quit_warned: tuple[frozenset[str], float] = (frozenset(), 0.0)
    _switch_warned: tuple[frozenset[str], float] = (frozenset(), 0.0)
    _disconnects_seen: set[int]  # pids of crashed terminals already reported or known

    def start_live(self) -> None:
        """Start polling for the other terminal's saves and announce ourselves."""
        self._data_version = self.database.data_version()
        self._polls = 0
        self._corruption_reported = False
        # After the first paint: the check competes for the CPU with drawing the list.
        self.call_after_refresh(self.database.start_verification)
        if self.database.path is not None:
            self.presence = Presence(self.database.path, self.role)
            crashed = self.presence.collect_crashed()
            self.presence.announce()
            self.peers = tuple(self.presence.peers())
            # Gone before we came: not news here (their own restart reports them).
            self._disconnects_seen = {peer.pid for peer in self.presence.disconnected()}
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
            if peer.postmortem and self.database.exists(peer.postmortem):
                ident, stamp = peer.postmortem, self.database.updated_at(peer.postmortem)
                line += (
                    f" Everything it saved in {ident} is here (last saved {stamp[11:19]} UTC);"
                    " only text still being typed at that moment could be missing."
                )
            self.notify(line, title="Recovered", severity="warning", timeout=15, markup=False)

    def _report_disconnects(self, gone: list[Peer]) -> None:
        """Another terminal ended without closing: say so once, and nothing more."""
        for peer in gone:
            if peer.pid in self._disconnects_seen:
                continue
            self._disconnects_seen.add(peer.pid)
            who = f"The {peer.role}'s terminal" if peer.role else "Another terminal"
            self.notify(
                f"{who} disconnected (pid {peer.pid}). Everything it saved is here.",
                title="Other terminal",
                severity="warning",
                timeout=8,
                markup=False,
            )

    def _report_corruption(self, problem: str) -> None:
        backups = self.database.backups()
        offer = (
            f" The newest backup is {backups[0]}; quit and copy it over the file to use it."
            if backups
            else " Export what you need (it is read-only now) and restore from your own copy."
        )
        # The store's sentence has no full stop of its own ("…; it will not be written to").
        problem = problem.rstrip()
        if not problem.endswith((".", "!", "?")):
            problem += "."
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
        if self.database.corruption and not self._corruption_reported:
            self._corruption_reported = True
            self._report_corruption(self.database.corruption)
        # Not while the file is being checked (each retry would wait for it); kept for
        # that reason, saved as soon as the check has passed.
        if (
            self.session is not None
            and self.session.pending
            and self.database.verified
            and (self._polls % RETRY_EVERY == 0 or self.pending_reason == CHECKING)
        ):
            self.retry_pending()
        if self.presence is not None and self._polls % PRESENCE_EVERY == 0:
            # Not collect_crashed(): what a crashed terminal left is for its restart to
            # report; here it is only "disconnected", once.
            self._report_disconnects(self.presence.disconnected())
            peers = tuple(self.presence.peers())
            if peers != self.peers:
                self.peers = peers
                self.refresh_screens(body=False)
        try:
            version = self.database.data_version()
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
        if self._closing:
            return  # the app is exiting: its screens' widgets are being removed
        for screen in self.screen_stack:
            if not screen.is_mounted or screen._closing or screen._pruning:
                # Not composed yet (a step just opened: it draws itself on resume), or
                # being removed (its widgets may be gone already).
                continue
            with contextlib.suppress(PmtuiError):
                if self.session is not None and hasattr(screen, "refresh_all"):
                    (screen.refresh_all if body else screen.refresh_chrome)()
                elif body and hasattr(screen, "reload"):
                    screen.reload()

    # ---- saving ------------------------------------------------------------------------

    def run_edit(self, action: Callable[[], Any]) -> bool:
        """Run one edit; report every failure a user can meet. True when it was saved."""
        from pmtui.session import Conflict, SaveDeferred

        # A file opened without waiting for its quick_check takes no write until it
        # passes: the store then says "busy", as it does for the other terminal's lock.
        checking = not self.database.verified
        try:
            action()
        except DocumentInvalid as exc:
            self._refused_saves += 1
            self.notify("\n".join(exc.problems), title="Not saved", severity="error", markup=False)
            return False
        except Conflict as conflict:
            self.resolve_conflict(conflict)
            return False
        except StaleWrite as exc:
            self.report_conflict(exc)
            return False
        except SaveDeferred as exc:
            self._show_pending(exc, checking=checking and not self.database.verified)
            return False
        except PmtuiError as exc:
            self._refused_saves += 1
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return False
        return True

    def _show_pending(self, deferred: SaveDeferred, *, checking: bool = False) -> None:
        """Say once that edits are kept; the header then counts them until they are saved."""
        if self.pending_reason:
            # Already kept: this edit queued behind the first (the session says "waiting"
            # even when the first one met a full disk). Keep the first reason, recount.
            self.refresh_screens(body=False)
            return
        if checking:
            self.pending_reason = CHECKING
            self.notify(
                "pmtui is still checking the database file (a large file is checked after"
                " it opens). Your edit is kept here and saved as soon as the check passes;"
                " keep working.",
                title="Checking the database file",
                severity="warning",
                markup=False,
                timeout=8,
            )
        elif deferred.waiting:
            self.pending_reason = WAITING
            self.notify(
                "Another terminal is writing to the database. Your edit is kept here and"
                " saved as soon as it is free; keep working.",
                title="Waiting for the other terminal",
                severity="warning",
                markup=False,
                timeout=8,
            )
        else:
            self.pending_reason = str(deferred)
            self.notify(
                f"{deferred} — your edit is kept in memory and retried; export to keep a copy",
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
        if self.database.corruption:
            # Never retried: the session would drop them as no longer valid. Kept and
            # counted in the header, and printed when the app quits.
            if self.pending_reason != DAMAGED:
                self.pending_reason = DAMAGED
                self.refresh_screens(body=False)
            return
        conflicts = session.retry_pending()
        if not session.pending:
            self.pending_reason = ""
            self.notify("Kept edits are saved now.", title="Saved", markup=False)
            self.refresh_screens(body=True)
        elif self.pending_reason == CHECKING and self.database.verified:
            # The check has passed; what holds them now is the other terminal's lock.
            from pmtui.session import SaveDeferred

            self.pending_reason = ""
            self._show_pending(SaveDeferred(WAITING, waiting=True))
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

        self._refused_saves += 1
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

    # ---- quitting ----------------------------------------------------------------------

    def _page_screens(self) -> list[Screen[Any]]:
        """Every screen of every mode, the one in front first; dialogs left out (their
        text is saved by their own buttons, and a dialog still open was not confirmed)."""
        from textual.screen import ModalScreen

        screens = [self.screen]
        # Textual keeps one stack per mode; a step left with a prompt open keeps it open.
        for stack in self._screen_stacks.values():
            screens += [s for s in stack if s not in screens]
        return [s for s in screens if not isinstance(s, ModalScreen)]

    def flush_typed(self) -> list[Unsaved]:
        """Save, as Enter would, all valid text still being typed: fields and open prompts.

        Returns the typed text that could not be saved (it is invalid); it stays where it is.
        Field commits are messages: their screens save them in the next moments.
        """
        from pmtui.steps import STEP_BY_KEY
        from pmtui.widgets.field import FieldEditor
        from pmtui.widgets.ladder_prompt import PromptBar

        unsaved: list[Unsaved] = []
        for screen in self._page_screens():
            step = STEP_BY_KEY.get(getattr(screen, "STEP", ""))
            where = f"{step.title} · " if step is not None else ""
            for editor in screen.query(FieldEditor):
                editor.flush()
                problem = editor.unsaved()
                if problem is not None:
                    label, why = problem
                    unsaved.append(Unsaved(where + label, editor.value, why, editor.input))
            for bar in screen.query(PromptBar):
                why = bar.flush()
                if why is not None:
                    text = bar.answer_input.value
                    unsaved.append(Unsaved(where + bar.label, text, why, bar.answer_input))
        return unsaved

    def typing(self) -> bool:
        """True when a field or an open prompt, on any step, holds text not yet saved."""
        from pmtui.widgets.field import FieldEditor
        from pmtui.widgets.ladder_prompt import PromptBar

        return any(
            any(e.dirty for e in screen.query(FieldEditor))
            or any(b.dirty for b in screen.query(PromptBar))
            for screen in self._page_screens()
        )

    async def typed_saved(self) -> None:
        """Let the screens save what :meth:`flush_typed` committed (their messages)."""
        for _ in range(20):
            await asyncio.sleep(0.01)

    def _unsaved_lines(self, unsaved: list[Unsaved], refused: int) -> list[str]:
        """What is not saved: typed text, kept edits, a save that met a change (one each)."""
        lines = [f"{u.where}: {u.problem}" for u in unsaved]
        kept = self.session.pending if self.session is not None else []
        if kept:
            reason = self.pending_reason or "not saved yet"
            lines.append(f"{len(kept)} edit{'' if len(kept) == 1 else 's'} kept: {reason}")
        if self._refused_saves != refused:
            lines.append("a save was refused or met the other terminal's change (see above)")
        return lines

    def may_leave(
        self,
        current: str,
        target: str,
        unsaved: list[Unsaved] | None = None,
        refused: int | None = None,
    ) -> bool:
        """Before another postmortem replaces ``current``: is everything of it saved?

        Kept edits are retried first. What still is not saved refuses the switch with a
        message, as the first ctrl+q does; typed text that cannot be saved (it is invalid)
        may be left behind by trying again, but kept edits never are: they belong to
        ``current`` and would be lost with it. Quitting (ctrl+q twice) prints them.
        """
        unsaved = unsaved or []
        refused = self._refused_saves if refused is None else refused
        session = self.session
        if session is not None and session.pending:
            self.retry_pending()
        lines = self._unsaved_lines(unsaved, refused)
        if not lines:
            return True
        kept = session is not None and bool(session.pending)
        warned, when = self._switch_warned
        confirmed = set(lines) <= warned and time.monotonic() - when < QUIT_CONFIRM_S
        if confirmed and not kept:
            return True
        self._switch_warned = (frozenset(lines), time.monotonic())
        advice = []
        if unsaved:
            advice.append("Fix the text and press Enter to save it, or open again to leave it.")
        if kept:
            advice.append(
                f"Kept edits save by themselves once the database is free; open {target} then."
            )
        self.notify(
            f"{current} is not saved yet:\n" + "\n".join(lines) + "\n\n" + " ".join(advice),
            title="Not opened",
            severity="error",
            timeout=20,
            markup=False,
        )
        self._show_unsaved(unsaved)
        return False

    async def save_and_quit(self, *, force: bool = False) -> None:
        """Save what is being typed and what is kept, then exit.

        A facilitator who presses ctrl+q with a why that cannot be saved (or edits still
        waiting for the other terminal) would rather fix it than lose it: the first ctrl+q
        says what would be lost and stays; a second one with nothing new quits. ``force``
        (a termination signal: the terminal may be gone) quits at once and prints what
        was not saved, so it can be found in the terminal's scrollback.
        """
        refused = self._refused_saves
        unsaved = self.flush_typed()
        # The flush posts Committed messages; let the screens save them before closing.
        await self.typed_saved()
        session = self.session
        if session is not None and session.pending:
            self.retry_pending()
        lines = self._unsaved_lines(unsaved, refused)
        kept = list(session.pending) if session is not None else []
        warned, when = self._quit_warned
        confirmed = set(lines) <= warned and time.monotonic() - when < QUIT_CONFIRM_S
        if lines and not force and not confirmed:
            self._quit_warned = (frozenset(lines), time.monotonic())
            advice = []
            if unsaved:
                advice.append("Fix the text and press Enter to save it.")
            if kept:
                advice.append("Kept edits save by themselves once the database is free.")
            advice.append("ctrl+q again quits without saving these.")
            self.notify(
                "\n".join(lines) + "\n\n" + " ".join(advice),
                title="Not saved — still open",
                severity="error",
                timeout=20,
                markup=False,
            )
            self._show_unsaved(unsaved)
            return
        self.stop_live()
        self.database.checkpoint()
        self.exit(0, message=_lost_report(unsaved, kept) if unsaved or kept else None)

    def _show_unsaved(self, unsaved: list[Unsaved]) -> None:
        """Put the cursor on the first unsaved text (switching to its step if needed)."""
        from textual.screen import ModalScreen

        widget = next((u.widget for u in unsaved if u.widget is not None), None)
        if widget is None or isinstance(self.screen, ModalScreen):
            return
        if widget.screen is not self.screen:
            mode = next(
                (m for m, stack in self._screen_stacks.items() if widget.screen in stack), None
            )
            if mode is None:
                return
            self.switch_mode(mode)
            self.call_after_refresh(widget.focus)
            return
        widget.focus()


def _lost_report(unsaved: list[Unsaved], kept: list[Any]) -> Any:
    """What quitting left unsaved, printed after the app has closed (user text literal)."""
    from rich.text import Text

    from pmtui.domain.text import clean_text

    lines = ["pmtui: quit without saving these (copy them back in if you need them):"]
    lines += [f"  {u.where}: {clean_text(u.text) or '(empty)'}" for u in unsaved]
    for edit in kept:
        values = "; ".join(f"{k}: {v}" for k, v in edit.mine.items())
        lines.append(f"  kept edit ({edit.label}): {clean_text(values)}")
    return Text("\n".join(lines))
