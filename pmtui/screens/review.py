"""Provides the Review step: every gate and advisory, the door to completion, publish, export.

Every rule is listed with its state — what fails or is open first, then what passes.
Each finding jumps to where it is fixed; advisories can be waived with a reason, gates
cannot. Complete stays pressable while anything blocks it, because pressing it is how
the room hears what remains; Publish is offered only once the document is complete,
and the panel shows the publication time against the severity's deadline.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from pmtui.domain.findings import Finding
from pmtui.screens.base import StepScreen
from pmtui.screens.dialogs import ConfirmDialog, FormDialog, FormField
from pmtui.widgets import redraw
from pmtui.widgets.review_findings import ReviewFindings
from pmtui.widgets.review_status import deadlines, verdict
from pmtui.widgets.text import literal


def _required(text: str) -> str | None:
    return None if text.strip() else "say why the team accepts this"


# One line at 80 columns: every row below the panel is for the list.
HINT = "enter go · c complete · w/W (un)waive · x export · y copy MD · j Jira · g gh"
LOCKED_HINT = "enter go there · o reopen to change it · x export · y copy MD · j Jira · g gh"


class ReviewScreen(StepScreen):
    STEP = "review"
    BINDINGS = [
        Binding(
            "c",
            "complete",
            "Complete",
            tooltip="Mark complete — refused, with the reasons, while anything remains.",
            id="review.complete",
        ),
        Binding(
            "p",
            "publish",
            "Publish",
            tooltip="Record publication now (only once complete).",
            id="review.publish",
        ),
        Binding(
            "o",
            "reopen",
            "Reopen",
            tooltip="Take the postmortem back into the meeting.",
            id="review.reopen",
        ),
        Binding(
            "w",
            "waive",
            "Waive",
            tooltip="Accept the selected advisory, with a reason.",
            id="review.waive",
        ),
        Binding(
            "W,shift+w",
            "unwaive",
            "Unwaive",
            tooltip="Remove the selected waiver.",
            id="review.unwaive",
            show=False,
        ),
        Binding(
            "x",
            "app.export('md')",
            "Export",
            tooltip="Write YAML, Markdown, JSON, HTML, COE, Jira CSV or a gh script to a file.",
            id="review.export",
        ),
        Binding(
            "y",
            "app.copy_markdown",
            "Copy MD",
            tooltip="Copy the postmortem as Markdown to the clipboard.",
            id="review.copy",
        ),
        Binding(
            "j",
            "app.export('jira')",
            "Jira CSV",
            show=False,
            tooltip="Write the action items as a CSV that Jira imports.",
            id="review.jira",
        ),
        Binding(
            "g",
            "app.export('gh')",
            "gh script",
            show=False,
            tooltip="Write the action items as gh issue create commands.",
            id="review.gh",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="review-verdict", markup=False)
        with Vertical(id="review-panel"):
            yield Static("", id="review-status", markup=False)
            yield Static("", id="review-deadlines", markup=False)
        yield ReviewFindings(id="review-findings")
        yield Static(HINT, id="review-hint", classes="hint", markup=False)

    @property
    def findings_list(self) -> ReviewFindings:
        return self.query_one(ReviewFindings)

    def on_screen_resume(self) -> None:
        # StepScreen.on_screen_resume runs too (Textual calls every class's handler).
        if self.pmtui.session is not None:
            self.findings_list.focus()

    def step_findings(self) -> list[Any]:
        return []  # this step's body lists every finding; no second list under it

    def refresh_body(self) -> None:
        doc = self.session.doc
        findings = self.session.findings
        redraw.update(self.query_one("#review-verdict", Static), verdict(doc, findings))
        status = f"Status: {doc.status}"
        if doc.date_published is not None and doc.status != "published":
            # Reopening keeps the date of the last publication (the store does not clear it).
            status += f" (reopened; was published {doc.date_published:%Y-%m-%d})"
        if doc.severity or doc.kind == "near-miss":
            status += f" · {doc.severity or 'near-miss'}"
        waived = sum(1 for f in findings if f.waiver is not None)
        if waived:
            status += f" · {waived} advisor{'ies' if waived != 1 else 'y'} waived"
        redraw.update(self.query_one("#review-status", Static), literal(status))
        redraw.update(self.query_one("#review-deadlines", Static), deadlines(doc, self.pmtui.now()))
        self.findings_list.show(findings)
        redraw.update(
            self.query_one("#review-hint", Static),
            literal(LOCKED_HINT if self.session.locked else HINT),
        )
        self.set_class(not self.session.blocking, "-ready")
        self.refresh_bindings()

    # ---- findings --------------------------------------------------------------------

    @on(ReviewFindings.Jump)
    def _jump_to_finding(self, event: ReviewFindings.Jump) -> None:
        self.pmtui.jump_to(event.finding.path)

    def _selected(self) -> Finding | None:
        return self.findings_list.selected

    def action_waive(self) -> None:
        finding = self._selected()
        if finding is None:
            self.notify(
                "Select an advisory (!) to waive it: a ✓ rule has nothing to waive.",
                markup=False,
            )
            return
        if finding.level == "gate":
            self.notify(
                f"{finding.code} is a gate: gates cannot be waived. Press enter to go and fix it.",
                title="Cannot waive",
                severity="warning",
                markup=False,
            )
            return
        if finding.waiver is not None:
            self.notify("Already waived. W removes the waiver.", markup=False)
            return
        dialog = FormDialog(
            f"Waive {finding.code}",
            [
                FormField("reason", "Reason the team accepts this", validate=_required),
                FormField("by", "Decided by"),
            ],
            {"by": self.session.doc.facilitator},
            question=finding.message,
        )

        def chosen(values: dict[str, Any] | None) -> None:
            if values:
                reason, by = values["reason"].strip(), values["by"].strip()
                if self.save(lambda: self.session.waive(finding, reason, by)):
                    self.notify(f"{finding.code} waived.", markup=False)

        self.app.push_screen(dialog, chosen)

    def action_unwaive(self) -> None:
        finding = self._selected()
        waiver = finding.waiver if finding is not None else None
        if finding is None or waiver is None:
            self.notify("The selected finding is not waived.", markup=False)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.save(lambda: self.session.delete_item("waivers", waiver))

        self.app.push_screen(
            ConfirmDialog(f"Remove the waiver of {finding.code}? It will block completion again."),
            confirmed,
        )

    # ---- the door --------------------------------------------------------------------

    def action_complete(self) -> None:
        self.pmtui.action_complete()

    def action_publish(self) -> None:
        self.pmtui.action_publish()

    def action_reopen(self) -> None:
        self.pmtui.action_reopen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.pmtui.session is None:
            return True
        status = self.session.doc.status
        locked = status in ("complete", "published")
        if action == "complete":
            return not locked
        if action == "publish":
            # Shown (dimmed) before completion so the room knows it comes next.
            return False if status == "published" else (status == "complete" or None)
        if action == "reopen":
            return locked
        if action in ("waive", "unwaive") and locked:
            return False  # a complete document is read only: reopen first
        if action == "waive":
            return True  # on a gate or a ✓ rule, w says why it cannot (action_waive)
        if action == "unwaive":
            finding = self._selected()
            return (finding is not None and finding.waiver is not None) or None
        return True

    @on(ReviewFindings.OptionHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    def focus_path(self, path: str) -> None:
        listing = self.findings_list
        finding = next((f for f in listing.findings if f.path == path), None)
        index = listing.index_of(finding) if finding is not None else None
        if index is not None:
            listing.highlighted = index
        listing.focus()
