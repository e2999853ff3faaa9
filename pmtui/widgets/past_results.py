"""Provides the Past incidents step's widgets: the hits table and the never-completed list.

A past postmortem's action items that were never done are the recurrence the room must
see: they are counted in the table and listed, in the error colour, under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.content import Content

from pmtui.domain.models import ActionItem, Postmortem
from pmtui.store.search import SearchHit
from pmtui.widgets import redraw
from pmtui.widgets.row_cursor_table import RowCursorTable
from pmtui.widgets.text import cell, highlighted, literal, one_line

MATCH_STYLE = "bold reverse"  # readable on any theme and on a projector
UNDONE_STYLE = "bold red"
_FIXED = {"linked": 1, "id": 13, "sev": 5, "undone": 6}


def undone_items(doc: Postmortem) -> list[ActionItem]:
    """Action items never completed (anything but ``done``)."""
    return [item for item in doc.action_items if item.status != "done"]


def _gaps(item: ActionItem) -> str:
    gaps = []
    if not item.owner.strip():
        gaps.append("no owner")
    if item.due is None:
        gaps.append("no due date")
    else:
        gaps.append(f"due {item.due.isoformat()}")
    if not item.ticket.strip():
        gaps.append("no ticket")
    gaps.append(item.status)
    return " · ".join(gaps)


def undone_line(item: ActionItem) -> Content:
    """``✗ A1 improve CI coverage — no owner · no due date · open`` in the error colour."""
    text = f"✗ {item.id} {one_line(item.description) or '(no description)'} — {_gaps(item)}"
    return Content.styled(text, "bold $text-error")


def detail(hit: SearchHit, doc: Postmortem | None, linked: bool, limit: int = 3) -> Content:
    """The selected hit in a few lines: who and when, then its never-completed items."""
    facts = [hit.id, hit.severity or hit.kind, hit.service or "(no service)"]
    facts += [(hit.date_of_incident or "")[:10] or "(no date)", hit.status]
    head = Content.styled(" · ".join(facts), "bold")
    if linked:
        head = head.append(Content.styled("  ✓ linked", "$text-success"))
    lines = [head]
    if hit.snippet:
        lines.append(Content.styled("Match: ", "$text-muted").append(_match_content(hit)))
    if doc is None:
        return Content("\n").join(lines)
    undone = undone_items(doc)
    if not undone:
        total = len(doc.action_items)
        if total == 1:
            done = "Its one action item was completed."
        else:
            done = f"All {total} action items were completed." if total else "No action items."

        lines.append(Content.styled(done, "$text-success"))
    else:
        lines.append(
            Content.styled(
                f"Never completed ({len(undone)}) — carry the change into an action item here:",
                "$text-error",
            )
        )
        lines += [undone_line(item) for item in undone[:limit]]
        if len(undone) > limit:
            lines.append(literal(f"… and {len(undone) - limit} more (enter shows them all)"))
    return Content("\n").join(lines)


def _match_content(hit: SearchHit) -> Content:
    return highlighted(hit.snippet, hit.spans, "bold reverse")


def match_text(hit: SearchHit, width: int = 40) -> Text:
    """The matched snippet with the query's words highlighted (user text, never markup).

    When the first match lies beyond the column's first third, the start is cut so the
    highlighted word is in view.
    """
    snippet, spans = hit.snippet, list(hit.spans)
    if spans and spans[0][0] > width // 3:
        cut = spans[0][0] - width // 4
        snippet = "…" + snippet[cut:]
        spans = [(start - cut + 1, end - cut + 1) for start, end in spans]
    text = cell(snippet)
    for start, end in spans:
        text.stylize(MATCH_STYLE, start, end)
    return text


class PastResults(RowCursorTable):
    """One row per hit: linked mark, id, severity, never-done count, classes, title and match."""

    DEFAULT_CSS = """
    PastResults {
        height: 1fr;
        min-height: 4;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, zebra_stripes=True)
        self.hits: list[SearchHit] = []
        self._shown: dict[str, Any] = {}
        self._width = 0

    def on_mount(self) -> None:
        self.add_column("", key="linked", width=_FIXED["linked"])
        self.add_column("ID", key="id", width=_FIXED["id"])
        self.add_column("SEV", key="sev", width=_FIXED["sev"])
        self.add_column("Undone", key="undone", width=_FIXED["undone"])
        self.add_column("Classes", key="classes", width=12)
        self.add_column("Title / match", key="title", width=30)

    @property
    def selected(self) -> SearchHit | None:
        row = self.cursor_row
        return self.hits[row] if self.hits and 0 <= row < len(self.hits) else None

    def on_resize(self) -> None:
        # The title column fills the width, which is only known once laid out.
        if self.size.width != self._width and self._shown:
            self.show(self.hits, **self._shown)

    def _widths(self) -> tuple[int, int]:
        """(classes, title): the title fills what is left, so no sideways scrolling."""
        classes = max(12, min(24, (self.size.width - 40) // 3))
        used = sum(_FIXED.values()) + classes + 2 * (len(_FIXED) + 2) + 2
        return classes, max(20, self.size.width - used)

    def show(
        self,
        hits: Sequence[SearchHit],
        *,
        linked: set[str],
        undone: dict[str, int],
        shared_classes: set[str],
    ) -> None:
        keep = self.selected.id if self.selected else None
        self.hits = list(hits)
        self._shown = {"linked": linked, "undone": undone, "shared_classes": shared_classes}
        self._width = self.size.width
        classes_width, width = self._widths()
        resized = False
        for key, value in (("classes", classes_width), ("title", width)):
            column = self.columns.get(key)  # type: ignore[call-overload]
            if column is not None:
                resized = resized or column.width != value or column.auto_width
                column.width = value
                column.auto_width = False
        if resized:
            self.clear()  # the rows are laid out again, whatever they hold
        rows, heights = [], []
        for hit in self.hits:
            count = undone.get(hit.id)
            count_cell = cell(
                "?" if count is None else str(count) if count else "-",
                UNDONE_STYLE if count else "dim",
            )
            classes = Text(no_wrap=True)
            for index, slug in enumerate(hit.failure_classes):
                if index:
                    classes.append(", ")
                classes.append(slug, "bold" if slug in shared_classes else "")
            title = cell(one_line(hit.title, width))
            height = 1
            if hit.snippet:
                title.append("\n")
                title.append_text(match_text(hit, width))
                height = 2
            rows.append(
                (
                    cell("✓" if hit.id in linked else "", "bold green"),
                    cell(hit.id),
                    cell(hit.severity or ("NM" if hit.kind == "near-miss" else "-")),
                    count_cell,
                    classes,
                    title,
                )
            )
            heights.append(height)
        # Every visit searches again (other postmortems may have changed): mostly the same.
        redraw.fill_table(self, rows, keys=[hit.id for hit in self.hits], heights=heights)
        if keep is not None:
            for index, hit in enumerate(self.hits):
                if hit.id == keep:
                    self.move_cursor(row=index)
                    break
