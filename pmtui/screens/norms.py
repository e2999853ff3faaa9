"""Provides the Norms step: the opening statement, large and plain, and one key to record it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Static

from pmtui.domain.models import NORMS_STATEMENT
from pmtui.screens.base import StepScreen
from pmtui.widgets import redraw
from pmtui.widgets.text import literal


class NormsScreen(StepScreen):
    STEP = "norms"
    BINDINGS = [
        Binding(
            "r",
            "record",
            "Record read",
            tooltip="Record that the statement was read aloud.",
            id="norms.record",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        with Center(id="norms-center"), Vertical(id="norms-box"):
            yield Static(NORMS_STATEMENT, id="norms-statement", markup=False)
            yield Static("", id="norms-state", markup=False)

    def refresh_body(self) -> None:
        doc = self.session.doc
        read_at = doc.norms_read_at
        if read_at is None:
            state = "Read it aloud to the room, then press r to record it."
        else:
            state = f"Read aloud at {read_at:%Y-%m-%d %H:%M} UTC."
            if doc.date_of_postmortem is not None:
                state += f" Meeting date: {doc.date_of_postmortem.isoformat()}."
        redraw.update(self.query_one("#norms-state", Static), literal(state))
        self.query_one("#norms-box").set_class(read_at is not None, "-read")

    def action_record(self) -> None:
        self.save(self.session.record_norms_read)
