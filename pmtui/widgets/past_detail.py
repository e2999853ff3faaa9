"""Provides PastDetailDialog: one past postmortem read-only — its factors and every action item.

Opened with Enter on a search hit, so the room can read what was found and what was
promised then, without leaving the meeting. The never-completed items are in the error
colour; ``l`` links the postmortem as related and closes.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from pmtui.domain.models import Postmortem
from pmtui.widgets.footer import QuietFooter
from pmtui.widgets.past_results import undone_line
from pmtui.widgets.text import literal, one_line, template


def describe(doc: Postmortem) -> Content:
    """The past postmortem as plain lines: facts, factors with their chains' ends, actions."""
    when = doc.date_of_incident.strftime("%Y-%m-%d %H:%M UTC") if doc.date_of_incident else "?"
    lines = [
        template(
            "[b]$sev[/b] · $service · $when · $status",
            sev=doc.severity or doc.kind,
            service=doc.service or "(no service)",
            when=when,
            status=doc.status,
        ),
        literal("Failure classes: " + (", ".join(doc.failure_classes) or "(none)")),
        Content(""),
        Content.styled("Contributing factors", "bold"),
    ]
    for index, factor in enumerate(doc.contributing_factors, start=1):
        lines.append(literal(f"{index}. {one_line(factor.description) or '(no description)'}"))
        last = next((w.answer for w in reversed(factor.whys) if w.answer.strip()), "")
        if last:
            because = Content.styled("   because: ", "$text-muted")
            lines.append(because.append(literal(one_line(last))))
        if factor.systemic_property:
            lines.append(Content.styled(f"   stops at: {factor.systemic_property}", "$text-muted"))
    if not doc.contributing_factors:
        lines.append(Content.styled("(none written)", "$text-muted"))
    lines += [Content(""), Content.styled("Action items", "bold")]
    for item in doc.action_items:
        if item.status == "done":
            done = f" (done {item.completed_on.isoformat()})" if item.completed_on else " (done)"
            lines.append(
                Content.styled(f"✓ {item.id} ", "$text-success").append(
                    literal(one_line(item.description) + done)
                )
            )
        else:
            lines.append(undone_line(item))
    if not doc.action_items:
        lines.append(Content.styled("(none)", "$text-muted"))
    return Content("\n").join(lines)


class PastDetailDialog(ModalScreen[str | None]):
    """Read one past postmortem; dismisses with ``"link"`` when l is pressed, else None."""

    BINDINGS = [
        Binding(
            "escape,enter,q",
            "dismiss(None)",
            "Close",
            id="past_detail.close",
            tooltip="Back to the results.",
        ),
        Binding(
            "l",
            "dismiss('link')",
            "Link as related",
            id="past_detail.link",
            tooltip="Record this postmortem as related to the one in the meeting.",
        ),
    ]

    def __init__(self, doc: Postmortem, *, linked: bool) -> None:
        super().__init__()
        self._doc = doc
        self._linked = linked

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog past-detail"):
            yield Static(
                template("[b]$id[/b] $title", id=self._doc.id, title=self._doc.title),
                classes="dialog--title",
            )
            with VerticalScroll(classes="dialog--body"):
                yield Static(describe(self._doc), id="past-detail-text")
            with Horizontal(classes="dialog--buttons"):
                if not self._linked:
                    yield Button("Link as related  l", variant="primary", id="link")
                yield Button("Close  esc", id="close")
        yield QuietFooter()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss("link" if event.button.id == "link" else None)
