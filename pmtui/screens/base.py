"""Provides the screens' common ground: the footer, the too-small notice, and StepScreen.

A StepScreen is one meeting step: the document's header line with the "saved" time,
the step bar, the step's own body, and the findings that belong to this step. It owns
the one code path that saves an edit (:meth:`StepScreen.save`) and turns every
user-caused failure into a notification, never a crash.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual._context import NoActiveAppError, active_app
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from pmtui.steps import STEP_BY_KEY
from pmtui.widgets import redraw
from pmtui.widgets.findings import FindingsList
from pmtui.widgets.footer import QuietFooter
from pmtui.widgets.stepbar import StepBar
from pmtui.widgets.text import literal, one_line, template

if TYPE_CHECKING:
    from pmtui.app import PmtuiApp
    from pmtui.session import MeetingSession

MIN_WIDTH = 60
MIN_HEIGHT = 16
HEADER_TITLE_ROOM = 10
"""Columns of the title kept beside the id and severity before the header's right side
gives up its less important parts (the status, then the other terminal's long form)."""


class PmtuiScreen(Screen[None]):
    """A full screen with a Footer and a notice instead of a broken layout when too small."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A new screen starts at CSS update -1, so the first switch to each mode makes
        # Textual refresh all CSS, which clears its parse cache and re-parses every source
        # (~0.3 s per step, the first time). Nothing changed in the stylesheet: the
        # screen's widgets get their styles as they mount. Theme changes still bump the
        # app's count and refresh every screen.
        with contextlib.suppress(NoActiveAppError):
            app = active_app.get()
            self._css_update_count = app._css_update_count
            # Its widgets will be styled as they mount, in the app's state of now.
            self._styled_in = self._app_style_state()
            # Decided before the first layout: laying the content out in a 1-column
            # terminal can fail inside Textual's text wrapping.
            self._mark_size(app.size.width, app.size.height)

    FIRST_FRAME_COMPLETE: ClassVar[bool] = False
    """Its first frame shows it whole (it fills itself in on_mount): its first showing
    needs no masking (PmtuiApp.switch_mode). A test holds each screen that says so to it."""

    _styled_in: tuple[object, ...] | None = None
    """The app-wide state this screen's widgets were last styled in (None: unknown)."""

    def _app_style_state(self) -> tuple[object, ...]:
        """What the app-wide pseudo-classes (:focus/:blur of the app, :dark/:light) hang on."""
        app = self.app
        return (app.app_focus, app.theme, app._css_update_count)

    def _on_screen_suspend(self) -> None:
        # Screen._on_screen_suspend runs too (Textual calls every class's handler).
        self._styled_in = self._app_style_state()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Keep the styles of a screen coming back to an app that has not changed.

        Textual re-applies the whole stylesheet to every widget of a screen brought back
        by switch_mode (10-40 ms a step), and of a new screen on its first showing, whose
        widgets have just been styled as they mounted (25 ms of Home's first frame). A
        class or focus changed on a suspended screen's widget updates that widget's
        styles at once, and a hover is cleared on suspend; what is left is the app's own
        state, compared here. Runs before Screen._on_screen_resume, which reads the flag
        (subclass handlers come first).
        """
        state = self._app_style_state()
        if self._styled_in == state:
            event.refresh_styles = False
        # Styled in this state from now on (Textual sends a new mode's screen two resumes).
        self._styled_in = state
        # The step's own handlers (they came first) redrew from the document. A widget
        # whose size may have changed tells the screen so on its own next idle, which
        # can come after the screen paints: the first frame would be laid out as on the
        # last visit (a longer "saved" cut off). Told now, the screen lays out first.
        for widget in self.walk_children(Widget):
            if widget._layout_required:
                widget._check_refresh()

    def _mark_size(self, width: int, height: int) -> None:
        self.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-too-small")

    @property
    def pmtui(self) -> PmtuiApp:
        return self.app  # type: ignore[return-value]

    def compose_too_small(self) -> ComposeResult:
        yield Static(
            f"Terminal too small — pmtui needs at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            classes="too-small",
            markup=False,
        )

    def on_resize(self, event: events.Resize | None = None) -> None:
        size = event.size if event is not None else self.size
        self._mark_size(size.width, size.height)


class StepScreen(PmtuiScreen):
    """One step of the meeting. Subclasses set ``STEP`` and implement the body."""

    STEP = "setup"

    BINDINGS = [
        Binding(
            "ctrl+n,alt+right",
            "app.step(1)",
            "Next step",
            tooltip="Go to the next step of the meeting.",
            id="step.next",
        ),
        Binding(
            "ctrl+b,alt+left",
            "app.step(-1)",
            "Back",
            tooltip="Go to the previous step of the meeting.",
            id="step.back",
            show=False,  # the footer is short of room; ctrl+g lists every step
        ),
        Binding(
            "ctrl+g",
            "app.goto_step",
            "Go to step",
            tooltip="Jump to any step (or back to the list of postmortems).",
            id="step.goto",
        ),
        Binding(
            "ctrl+l",
            "app.home",
            "List",
            tooltip="Back to the list of postmortems.",
            id="app.home",
            show=False,
        ),
    ]

    @property
    def session(self) -> MeetingSession:
        session = self.pmtui.session
        assert session is not None, "a step screen is only shown with a postmortem open"
        return session

    def compose(self) -> ComposeResult:
        yield from self.compose_too_small()
        with Vertical(classes="step-frame"):
            # The title yields (cut with an ellipsis) to the save state on the right.
            with Horizontal(id="doc-header"):
                yield Static("", id="doc-title", markup=False)
                yield Static("", id="doc-state", markup=False)
            yield StepBar(id="step-bar")
            question = literal(STEP_BY_KEY[self.STEP].question)
            yield Static(question, id="step-question", markup=False)
            with Vertical(id="step-body"):
                yield from self.compose_body()
            yield FindingsList(id="step-findings")
        yield QuietFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    # ---- refreshing ------------------------------------------------------------------

    ALWAYS_REFRESH = False
    """Redraw on every visit even when the document has not changed (screens that also
    show other postmortems, which may have changed meanwhile)."""

    _shown: tuple[object, ...] | None = None

    def _shown_key(self) -> tuple[object, ...]:
        session = self.session
        doc = session.doc
        return (session.ident, doc.revision, doc.version, session.saved_at)

    def on_screen_resume(self) -> None:
        # Textual calls this handler and any subclass's own (every class in the MRO).
        if self.pmtui.session is None:
            return
        if not self.ALWAYS_REFRESH and self._shown == self._shown_key():
            self.refresh_chrome()  # the document is as drawn: only the header may differ
            return
        self.refresh_all()

    def refresh_all(self) -> None:
        """Redraw everything from the session's current document."""
        self.refresh_chrome()
        self.refresh_body()
        self._shown = self._shown_key()

    def refresh_chrome(self) -> None:
        session = self.session
        self._refresh_header()
        bar = self.query_one(StepBar)
        bar.current = self.STEP
        bar.states = session.step_states()
        self.query_one(FindingsList).show(self.step_findings())

    def on_resize(self, event: events.Resize) -> None:
        # PmtuiScreen.on_resize runs too: Textual calls every class's handler.
        # How much of the header's right side fits depends on the width.
        if self.pmtui.session is not None and self.is_mounted:
            self._refresh_header(event.size.width)

    def _refresh_header(self, width: int | None = None) -> None:
        title, state = self._header_parts(width or self.size.width or self.app.size.width)
        redraw.update(self.query_one("#doc-title", Static), title)
        redraw.update(self.query_one("#doc-state", Static), state)

    def _header_parts(self, width: int) -> tuple[Content, Content]:
        """The document on the left; on the right, what fits of: status, the other
        terminal, and — always — the save state (saved hh:mm:ss, kept edits, read-only).

        Given up first: the status, then the other terminal's long form, then the time
        of its last save; "⇄ role" goes only when the save state alone fits."""
        app = self.pmtui
        doc = self.session.doc
        ident = template("[b]$id[/b] · $sev · ", id=doc.id, sev=doc.severity or doc.kind)
        title = ident + literal(one_line(doc.title or "(untitled)"))
        save = self._save_state()
        status = template("[dim]$s[/]", s=doc.status)
        peers_long = peers_short = peers_min = None
        if app.peers:
            roles = ", ".join(sorted({p.role for p in app.peers}))
            when = f" saved {app.others_saved_at:%H:%M:%S}" if app.others_saved_at else ""
            count = len(app.peers)
            peers_long = template(
                "[b $text-accent]⇄ $n other terminal$s ($r)$w[/]",
                n=count,
                s="" if count == 1 else "s",
                r=roles,
                w="," + when if when else "",
            )
            peers_short = template("[b $text-accent]⇄ $r$w[/]", r=roles, w=when)
            # Without the time of their last save: that the other terminal is connected
            # outlasts when it saved (the edit itself is on screen).
            peers_min = template("[b $text-accent]⇄ $r[/]", r=roles)
        # padding (2) and the gap before the right side (2)
        room = width - 4 - min(title.cell_length, ident.cell_length + HEADER_TITLE_ROOM)
        for parts in (
            (status, peers_long, save),
            (status, peers_short, save),
            (peers_short, save),
            (peers_min, save),
        ):
            line = Content(" · ").join(p for p in parts if p is not None)
            if line.cell_length <= room:
                return title, line
        return title, save

    def _save_state(self) -> Content:
        app = self.pmtui
        session = self.session
        if app.database.readonly:
            if session.pending:  # kept before the file turned out damaged: printed at quit
                kept = len(session.pending)
                return template(
                    "[b $text-error]READ-ONLY: $n kept, not saved[/]",
                    n=f"{kept} edit{'' if kept == 1 else 's'}",
                )
            return template("[b $text-error]READ-ONLY: edits are disabled[/]")
        if app.pending_reason and session.pending:
            kept = len(session.pending)
            reason = app.pending_reason
            return template(
                "[b $text-error]$r$g$n[/]",
                r=reason,
                g=" " if reason.endswith("…") else " · ",
                n=f"{kept} edit{'' if kept == 1 else 's'} kept",
            )
        if session.saved_at:
            return template("saved $t", t=f"{session.saved_at:%H:%M:%S}")
        return template("[dim]no edits yet[/]")

    def step_findings(self) -> list[Any]:
        return self.session.findings_for_step(self.STEP)

    def refresh_body(self) -> None:
        """Redraw the step's own widgets; subclasses override."""

    # ---- saving ----------------------------------------------------------------------

    def save(self, action: Callable[[], Any]) -> bool:
        """Run one edit through the session; report any failure as a notification.

        Returns True when the edit was saved. An edit that is kept for later (the other
        terminal holds the lock, the disk is full) leaves the screen as the user sees it.
        """
        saved = self.pmtui.run_edit(action)
        if saved:
            self.refresh_all()
        else:
            self.refresh_chrome()
        return saved

    @on(StepBar.Selected)
    def _step_clicked(self, event: StepBar.Selected) -> None:
        self.pmtui.go(event.step)

    @on(FindingsList.Jump)
    def _jump(self, event: FindingsList.Jump) -> None:
        self.pmtui.jump_to(event.finding.path)

    @on(FindingsList.ShowAll)
    def _show_all(self) -> None:
        self.pmtui.go("review")

    def focus_path(self, path: str) -> None:
        """Put the cursor on the widget for ``path``, if this step shows it."""
