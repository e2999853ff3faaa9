"""Provides the pmtui App: one mode per meeting step, the palette, the clipboard, exports.

``make_app`` builds it for the CLI and the tests alike; nothing opens the database at
import time. The app owns at most one :class:`MeetingSession` (the postmortem being
worked on); the step screens read and save through it.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from pmtui.actions import DocumentActions
from pmtui.clipboard import copy_text
from pmtui.domain.errors import PmtuiError
from pmtui.live import LiveMixin
from pmtui.steps import STEP_KEYS, neighbour, step_for_path
from pmtui.store import Listing
from pmtui.stylesheet_cache import StylesheetCache, default_cache_path
from pmtui.terminal import TerminalMixin

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from pmtui.session import MeetingSession
    from pmtui.store import Store

# mode -> (module, screen class). Screens are imported when first shown, not at start:
# the list of postmortems must paint as fast as an empty app.
_SCREENS: dict[str, tuple[str, str]] = {
    "home": ("pmtui.screens.home", "HomeScreen"),
    "setup": ("pmtui.screens.setup", "SetupScreen"),
    "norms": ("pmtui.screens.norms", "NormsScreen"),
    "past": ("pmtui.screens.past", "PastIncidentsScreen"),
    "timeline": ("pmtui.screens.timeline", "TimelineScreen"),
    "impact": ("pmtui.screens.impact", "ImpactScreen"),
    "factors": ("pmtui.screens.factors", "FactorsScreen"),
    "lessons": ("pmtui.screens.lessons", "LessonsScreen"),
    "actions": ("pmtui.screens.actions", "ActionsScreen"),
    "review": ("pmtui.screens.review", "ReviewScreen"),
    # The knowledge base: not meeting steps, reachable from Home and the palette.
    "search": ("pmtui.screens.search", "SearchScreen"),
    "dashboard": ("pmtui.screens.dashboard", "DashboardScreen"),
    "taxonomy": ("pmtui.screens.taxonomy", "TaxonomyScreen"),
}


def _palette_provider(name: str) -> Callable[[], Any]:
    """A provider of pmtui's palette commands, imported when the palette first opens:
    Textual's command module (and the widgets it pulls in) is no part of the first paint."""

    def load() -> Any:
        return getattr(importlib.import_module("pmtui.commands"), name)

    return load


_PALETTE_PROVIDERS = frozenset(
    _palette_provider(name)
    for name in ("GoCommands", "ExportCommands", "PostmortemCommands", "ClassesCommands")
)


def screen_class(mode: str) -> type[Any]:
    module, name = _SCREENS[mode]
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def _modes() -> dict[str, Any]:
    return {mode: functools.partial(lambda m: screen_class(m)(), mode) for mode in _SCREENS}


class PmtuiApp(TerminalMixin, LiveMixin, DocumentActions, App[int]):
    """The meeting app. Build it with :func:`make_app`."""

    CSS_PATH = Path(__file__).parent / "pmtui.tcss"  # absolute: subclasses live elsewhere
    TITLE = "pmtui"
    SUB_TITLE = "blameless postmortems"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            tooltip="Save what is pending and quit.",
            id="app.quit",
            priority=True,
        ),
        # In a terminal Ctrl+C means "stop": it saves and quits like ctrl+q (RELIABILITY
        # T03), before a text field could take it as "copy" (select with the mouse to copy).
        Binding(
            "ctrl+c",
            "quit",
            "Quit",
            tooltip="Save what is pending and quit.",
            id="app.quit_ctrl_c",
            priority=True,
            show=False,
        ),
    ]

    def __init__(
        self,
        store: Listing,
        *,
        role: str = "facilitator",
        open_id: str | None = None,
        stylesheet_cache: StylesheetCache | None = None,
    ) -> None:
        self.MODES = _modes()
        super().__init__()
        self.stylesheet_cache = stylesheet_cache
        if stylesheet_cache is not None:
            stylesheet_cache.seed(self.stylesheet)
        # Home and the live poll read through the light handle; the whole store (and with
        # it pydantic and the models) is imported when something first needs it.
        self.database: Listing = store
        self._store: Store | None = _as_full_store(store)
        self.role = role
        self.open_id = open_id
        self.session: MeetingSession | None = None
        self.COMMANDS = App.COMMANDS | _PALETTE_PROVIDERS

    @property
    def store(self) -> Store:
        """The whole store, over the same connection as :attr:`database`."""
        if self._store is None:
            from pmtui.store.store import Store

            self._store = Store.adopt(self.database)
        return self._store

    # ---- start -----------------------------------------------------------------------

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.call_after_refresh(_collect_garbage_again)
        for warning in self.database.warnings:
            self.notify(warning, title="Database", severity="warning", markup=False, timeout=10)
        self._install_signal_handlers()
        self.start_live()

    async def _ready(self) -> None:
        """Show Home (or the postmortem asked for) once the app has mounted.

        Textual's hook for what runs first, after the app's mount and before any event
        (or a Pilot test). Switched to in on_mount instead, Home was drawn while Textual
        held every frame for the mount, thrown away, and drawn again after: 30 ms of the
        first paint.
        """
        await super()._ready()
        self.switch_mode("home")
        self.call_after_refresh(self._mark_first_frame_drawn)
        if self.stylesheet_cache is not None:
            self.call_after_refresh(self.stylesheet_cache.note_first_frame, self.stylesheet)
        open_id = self.open_id
        if open_id is None and self.role == "scribe":
            open_id = self._facilitators_postmortem() or self.database.latest_in_meeting()
        if open_id:
            self.open_postmortem(open_id, "factors" if self.role == "scribe" else "setup")

    def _facilitators_postmortem(self) -> str | None:
        """What a connected facilitator has open (the latest to start, if several)."""
        open_there = sorted(
            (p.started, p.postmortem)
            for p in self.peers
            if p.role == "facilitator" and p.postmortem
        )
        for _, ident in reversed(open_there):
            if self.database.exists(ident):
                return ident
        return None

    # ---- navigation ------------------------------------------------------------------

    def open_postmortem(self, ident: str, step: str = "setup") -> bool:
        """Start (or continue) the meeting for ``ident`` at ``step``.

        Leaving another postmortem first saves what is typed in it, as ctrl+q does. Its
        edits still kept (the other terminal holds the database, the disk is full) are
        never dropped: opening is refused with a message until they are saved.

        Returns:
            True when ``ident`` is open now; False when it cannot be opened, opening was
            refused, or it opens once the typed text of the one left is saved.
        """
        ident = ident.strip().upper()
        current = self.session
        if current is not None and current.ident == ident:
            self.go(step)  # the same meeting goes on, its kept edits with it
            return True
        if current is not None:
            if self.typing():
                # Typed text is saved by its screen, in the next moments, to the session
                # open now: switch only after that.
                self.run_worker(
                    self._open_after_saving_typed(ident, step),
                    name="Open",
                    group="open",
                    exclusive=True,
                    exit_on_error=False,
                )
                return False
            if not self.may_leave(current.ident, ident):
                return False
        return self._open_now(ident, step)

    async def _open_after_saving_typed(self, ident: str, step: str) -> None:
        current = self.session
        refused = self._refused_saves
        unsaved = self.flush_typed()
        await self.typed_saved()
        if self.session is not current or current is None:
            return  # something else was opened meanwhile
        if self.may_leave(current.ident, ident, unsaved, refused):
            self._open_now(ident, step)

    def _open_now(self, ident: str, step: str) -> bool:
        from pmtui.session import MeetingSession  # the rules load with the first meeting

        try:
            session = MeetingSession(self.store, ident)
        except PmtuiError as exc:
            self.notify(str(exc), title="Cannot open", severity="error", markup=False)
            return False
        self.session = session
        # What the header said of the one left (kept edits, the other's save) is not this one's.
        self.pending_reason = ""
        self.others_saved_at = None
        if self.presence is not None:
            self.presence.announce(session.ident)
        on_it = self.current_mode == step
        self.go(step)
        if on_it:  # switch_mode to the mode shown does nothing: draw the new document
            self.refresh_screens(body=True)
        # Loading made objects that live as long as the meeting (hundreds of thousands for
        # a timeline of 10,000 entries). The collector's first full pass over them would
        # land on an early keystroke (80 ms, measured on the first edit): run it now, once
        # the step is drawn.
        self.call_after_refresh(_collect_garbage_now)
        return True

    def go(self, step: str) -> None:
        if step == "home" or self.session is None:
            self.switch_mode("home")
            return
        self._flush_current()
        self.switch_mode(step)

    _unmasked_switch = False

    def switch_mode(self, mode: str) -> AwaitMount:
        """Textual's switch_mode, held (every update for 50 ms) only where that masks
        something: a screen's first showing, unless its first frame is complete anyway.

        A screen seen before is composed already; a screen that fills itself in on_mount
        (``FIRST_FRAME_COMPLETE``) draws nothing before it is whole. Held, the frame drawn
        meanwhile was thrown away and drawn again when the hold ended: 50 ms on every
        switch, 30-60 ms more on a first showing (the dashboard's took over 200 ms).
        """
        self._unmasked_switch = mode in self._screen_stacks or getattr(
            screen_class(mode) if mode in _SCREENS else None, "FIRST_FRAME_COMPLETE", False
        )
        try:
            return super().switch_mode(mode)
        finally:
            self._unmasked_switch = False

    def delay_update(self, delay: float = 0.05) -> None:
        if not self._unmasked_switch:
            super().delay_update(delay)

    def _flush_current(self) -> None:
        """Commit any valid, unsaved text on the screen being left."""
        from pmtui.widgets.field import FieldEditor

        for editor in self.screen.query(FieldEditor):
            editor.flush()

    @property
    def current_step(self) -> str:
        mode = self.current_mode
        return mode if mode in STEP_KEYS else "home"

    def action_step(self, offset: int) -> None:
        if self.session is not None:
            self.go(
                neighbour(self.current_step if self.current_step != "home" else "setup", offset)
            )

    def action_home(self) -> None:
        self.go("home")

    def action_goto_step(self) -> None:
        from pmtui.screens.goto import GotoStepDialog

        if self.session is None:
            return

        def chosen(step: str | None) -> None:
            if step:
                self.go(step)

        self.push_screen(GotoStepDialog(self.session.step_states(), self.current_step), chosen)

    def jump_to(self, path: str) -> None:
        """Show the step where the field at ``path`` is fixed, with the cursor on it."""
        step = step_for_path(path)
        self.go(step)
        screen = self.screen
        focus = getattr(screen, "focus_path", None)
        if focus is not None:
            self.call_after_refresh(focus, path)

    # ---- conflicts, errors, clipboard ------------------------------------------------

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(
                str(event.worker.error),
                title=f"{event.worker.name or 'Task'} failed",
                severity="error",
                markup=False,
            )

    def copy_to_clipboard_reporting(self, text: str) -> str:
        """Copy ``text`` (pyperclip and OSC 52) and say which worked; returns the message."""
        message = copy_text(self, text)
        self.notify(message, title="Clipboard", markup=False)
        return message

    def now(self) -> dt.datetime:
        return self.database.clock()

    async def action_quit(self) -> None:
        """Save what is being typed and kept (see :meth:`save_and_quit`), then exit."""
        await self.save_and_quit()

    def _fatal_error(self) -> None:
        """An unhandled exception: log it without local values, tell the user where.

        Textual's default prints a traceback with local variables, which can show the
        contents of the fields being edited. Everything confirmed is already saved.
        """
        import traceback

        from pmtui.paths import log_dir

        path = None
        try:
            directory = log_dir()
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / f"crash-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}.log"
            path.write_text(traceback.format_exc(), encoding="utf-8")
        except OSError:
            path = None
        self.stop_live()
        lines = [
            "pmtui stopped on an internal error.",
            "Every edit saved before it is in the database.",
        ]
        if path is not None:
            lines += ["Details (no field contents) are in:", str(path)]
        # The path on a line of its own, to copy whole (Textual prints this without markup).
        self._exit_renderables.append("\n".join(lines))
        self._close_messages_no_wait()


APP_BUSY_TIMEOUT_S = 0.3
"""How long one save waits for the write lock before it is kept and retried: input never
freezes longer than this while the other terminal holds the database."""


def make_app(
    db_path: Path | str | None = None,
    *,
    store: Listing | None = None,
    role: str = "facilitator",
    open_id: str | None = None,
) -> PmtuiApp:
    """Build the app on ``db_path`` (created if missing) or on an already open ``store``."""
    if store is None:
        store = Listing.open(db_path, create=True, timeout=APP_BUSY_TIMEOUT_S)
    return PmtuiApp(store, role=role, open_id=open_id)


def _as_full_store(handle: Listing) -> Store | None:
    """``handle`` when it is already the whole store (tests open one), else None."""
    module = sys.modules.get("pmtui.store.store")
    return handle if module is not None and isinstance(handle, module.Store) else None


def _collect_garbage_now() -> None:
    import gc

    gc.collect()


def _collect_garbage_again() -> None:
    """After the first paint: what start-up built lives as long as the app, so it is frozen
    out of every later collection, and collecting resumes (the CLI paused it to start)."""
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def run_app(db_path: Path, *, role: str = "facilitator", open_id: str | None = None) -> int:
    """Open the database (a refusal is one line and exit code 2), then run the app."""
    try:
        # The file is checked in the background after the list is painted; no write
        # happens before the check has passed.
        store = Listing.open(db_path, create=True, timeout=APP_BUSY_TIMEOUT_S, defer_check=True)
    except PmtuiError as exc:
        print(f"pmtui: {exc}", file=sys.stderr)
        _offer_backup(db_path)
        return 2
    stylesheet_cache = StylesheetCache(default_cache_path())
    try:
        app = PmtuiApp(store, role=role, open_id=open_id, stylesheet_cache=stylesheet_cache)
        app.run()
    finally:
        store.close()
    stylesheet_cache.save()
    # Not run()'s value: that is what exit() was given, and an internal error never calls
    # exit(). Textual sets return_code to 1 on an unhandled exception (T23).
    return app.return_code or 0


def _offer_backup(db_path: Path) -> None:
    """After a refusal, name the newest backup so the user knows what can be restored."""
    backups = sorted((db_path.parent / f"{db_path.name}.backups").glob("*.db"), reverse=True)
    if backups:
        print(
            f"pmtui: the newest backup is {backups[0]}; to use it: cp '{backups[0]}' '{db_path}'"
            " (after keeping a copy of the damaged file)",
            file=sys.stderr,
        )
