"""Provides the action items table's rows and its detail line, with each problem coloured.

A cell that a gate refuses is drawn in the error colour, one with advice in the warning
colour; the detail line under the table lists the selected item's problems in words.
DataTable cells are rich Text (never markup), so the colours are read from the theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.content import Content

from pmtui.domain.findings import Finding
from pmtui.domain.models import ActionItem, Postmortem
from pmtui.widgets.ladder import under
from pmtui.widgets.text import cell, literal, one_line

Column = tuple[str, str, int | None]
"""(key, title, width); the description's width is None: it takes what is left."""

FULL: tuple[Column, ...] = (
    ("id", "ID", 4),
    ("description", "Description", None),
    ("owner", "Owner", 16),
    ("due", "Due", 10),
    ("ticket", "Ticket", 10),
    ("priority", "Priority", 8),
    ("status", "Status", 11),
    ("factors", "Factors", 7),
)
# At 80 columns every cell counts: short priority and status words, and the factors go
# to the detail line below the table.
COMPACT: tuple[Column, ...] = (
    ("id", "ID", 3),
    ("description", "Description", None),
    ("owner", "Owner", 13),
    ("due", "Due", 10),
    ("ticket", "Ticket", 9),
    ("priority", "Pri", 4),
    ("status", "State", 5),
)
SHORT = {"critical": "crit", "medium": "med", "in-progress": "wip"}
MIN_DESCRIPTION = 14


def columns_for(total: int) -> tuple[Column, ...]:
    """The columns that fit a table ``total`` cells wide (the detail line has the rest)."""
    if total >= 118:
        return FULL
    if total >= 96:
        return (*COMPACT, ("factors", "Factors", 7))
    if total >= 74:
        return COMPACT
    return tuple(c for c in COMPACT if c[0] not in ("ticket", "priority"))


def description_width(total: int, columns: tuple[Column, ...]) -> int:
    """What the description column can have when the table is ``total`` cells wide."""
    fixed = sum(w for _, _, w in columns if w) + 2 * len(columns) + 2  # padding, scrollbar
    return max(MIN_DESCRIPTION, total - fixed)


def factor_refs(doc: Postmortem, ref: str) -> str:
    return ", ".join(f"F{i + 1}" for i in doc.factors_of(ref))


def _shown(item: ActionItem, key: str, doc: Postmortem, short: bool) -> str:
    if key == "due":
        return item.due.isoformat() if item.due else ""
    if key in ("status", "priority"):
        value = getattr(item, key) or ""
        return SHORT.get(value, value) if short else value
    if key == "factors":
        return factor_refs(doc, item.id)
    return str(getattr(item, key) or "")


def item_row(
    doc: Postmortem,
    index: int,
    findings: Sequence[Finding],
    colours: dict[str, str],
    columns: tuple[Column, ...],
    width: int,
) -> list[Text]:
    """One table row; a cell with a gate finding is in the error colour, advice in warning."""
    item = doc.action_items[index]
    problems = under(findings, f"action_items[{index}]")
    rank = {"": 0, "waived": 1, "advisory": 2, "gate": 3}
    levels: dict[str, str] = {}
    for f in problems:
        field = f.path.rsplit(".", 1)[-1]
        level = "gate" if f.level == "gate" else "waived" if f.waiver else "advisory"
        if rank[level] > rank[levels.get(field, "")]:
            levels[field] = level
    row = []
    short = columns is not FULL
    for key, _, fixed in columns:
        text = one_line(_shown(item, key, doc, short), fixed or width)
        level = levels.get(key)
        style = ""
        if level == "gate":
            style = f"bold {colours['text-error']}"
        elif level == "advisory":
            style = colours["text-warning"]
        elif key == "status" and item.status == "done":
            style = colours["text-success"]
        elif key == "factors" and not text:
            style = "dim"
        if not text:
            text = "—" if key != "factors" else "none"
        row.append(cell(text, style))
    return row


def detail_line(doc: Postmortem, index: int, findings: Sequence[Finding]) -> Content:
    """``A1 · changes F1 · open`` and then every problem of the item, one per line."""
    item = doc.action_items[index]
    linked = factor_refs(doc, item.id)
    if item.status == "done":
        facts = "done " + (item.completed_on.isoformat() if item.completed_on else "(no date)")
    else:
        facts = item.status
    facts += f" · changes {linked}" if linked else " · changes no factor yet (l links it)"
    lines = Content.styled(f"{item.id} · {facts}: ", "bold").append(
        literal(one_line(item.description, 300))
    )
    problems = under(findings, f"action_items[{index}]")
    for f in problems:
        mark, style = ("✗ ", "$text-error") if f.level == "gate" else ("! ", "$text-warning")
        if f.waiver is not None:
            mark, style = "~ ", "$text-muted"
        field = f.path.rsplit(".", 1)[-1]
        lines = (
            lines.append(Content("\n"))
            .append(Content.styled(mark, "bold " + style))
            .append(Content.styled(f"{field}: ", "bold " + style))
            .append(Content.styled(one_line(f.message, 300), style))
        )
    if not problems:
        lines = lines.append(Content("\n")).append(
            Content.styled(
                "✓ ready: one owner, a due date, a ticket and a priority", "$text-success"
            )
        )
    return lines


def theme_colours(app: Any) -> dict[str, str]:
    """The theme's error / warning / success text colours, for rich Text cells."""
    variables = app.get_css_variables()
    return {k: variables.get(k, "") for k in ("text-error", "text-warning", "text-success")}
