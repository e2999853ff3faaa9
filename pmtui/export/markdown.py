"""Provides the Markdown export: the postmortem as a team pastes it into a wiki.

Every user string goes through :func:`escape_markdown`, which keeps it on one physical
line and backslash-escapes whatever could change the document's structure, so a
factor that starts with ``# `` or a ticket with a ``|`` in it stays text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from pmtui.domain.models import ActionItem, ContributingFactor, Postmortem
from pmtui.domain.types import format_timestamp

DASH = "—"
"""Shown for an empty value."""

# Characters with a meaning anywhere in a line (emphasis, code, links, HTML, entities,
# tables, strikethrough, heading closers). CommonMark lets any ASCII punctuation be
# backslash-escaped, and an escaped character is always literal text.
_INLINE = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|~#&"})
# What starts a block when it opens a line: list items (-, +, 1. 1)), setext underlines (=).
_BLOCK_START = re.compile(r"^(?:[-+=]|\d{1,9}(?=[.)]))")
_LINE_BREAK = "<br>"


def _entity(ch: str) -> str:
    return f"&#{ord(ch)};"


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown (CommonMark/GFM) on one physical line.

    Safe as a paragraph, a list item, a heading or a table cell: structural characters
    are backslash-escaped, a newline becomes ``<br>`` (user ``<`` is always escaped, so
    every ``<br>`` is ours), and whitespace at either end, which Markdown would strip
    or read as indentation, becomes a character reference.
    """
    if not text:
        return ""
    body = text.lstrip()
    lead = text[: len(text) - len(body)]
    core = body.rstrip()
    trail = body[len(core) :]
    escaped = core.translate(_INLINE)
    match = _BLOCK_START.match(escaped)
    if match:
        end = match.end()
        if escaped[end - 1] in "-+=":
            escaped = "\\" + escaped
        else:  # ordered list marker: escape the "." or ")" after the digits
            escaped = escaped[:end] + "\\" + escaped[end:]
    escaped = escaped.replace("\n", _LINE_BREAK)

    def edge(part: str) -> str:
        # A character reference even for a newline: a line made only of "<br>" would be
        # read as an HTML block, not as text.
        return "".join(_entity(ch) for ch in part)

    return edge(lead) + escaped + edge(trail)


def cell(value: object) -> str:
    """A value for a table cell or a line: escaped text, ISO dates, a dash when empty."""
    if value is None or value == "":
        return DASH
    if isinstance(value, dt.datetime):
        return format_timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return escape_markdown(str(value))


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A GFM table; ``headers`` are ours, cells must already be escaped with :func:`cell`."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def bullets(values: Iterable[object]) -> list[str]:
    items = [f"- {cell(value)}" for value in values]
    return items or [DASH]


def section(title: str, body: list[str], level: int = 2) -> list[str]:
    return ["#" * level + " " + title, "", *body, ""]


def timeline_table(pm: Postmortem) -> list[str]:
    rows = []
    for entry in pm.timeline:
        note = "**Decision point.** " if entry.decision_point else ""
        if entry.decision_point or entry.context:
            note += "Information at that moment: " + cell(entry.context)
        rows.append([cell(entry.time), cell(entry.event), cell(entry.source), note])
    if not rows:
        return ["No timeline entries."]
    return table(["Time", "Event", "Source", "Decision point"], rows)


def impact_lines(pm: Postmortem) -> list[str]:
    impact = pm.impact
    return [
        f"- **Duration:** {cell(impact.duration_minutes)} minutes",
        f"- **Peak error rate:** {cell(impact.error_rate_peak)}",
        f"- **Affected users (estimate):** {cell(impact.affected_users_estimate)}",
        f"- **Error budget consumed:** {cell(impact.slo_budget_consumed_minutes)} minutes",
    ]


def why_ladder(factor: ContributingFactor) -> list[str]:
    """The numbered why/because steps of one contributing factor."""
    if not factor.whys:
        return ["No why-chain recorded."]
    return [
        f"{number}. **Why?** {cell(step.question)}{_LINE_BREAK}**Because:** {cell(step.answer)}"
        for number, step in enumerate(factor.whys, start=1)
    ]


def _item_summary(item: ActionItem) -> str:
    return (
        f"{cell(item.id)}: {cell(item.description)} (owner {cell(item.owner)}, "
        f"due {cell(item.due)}, ticket {cell(item.ticket)})"
    )


def factor_resolution(pm: Postmortem, factor: ContributingFactor) -> list[str]:
    """Where the chain stops and what changes it: linked action items or the deferral."""
    lines = [f"**Systemic property:** {cell(factor.systemic_property)}", ""]
    linked = [item for ref in factor.actions if (item := pm.action_item(ref)) is not None]
    if linked:
        lines += ["**Changed by:**", "", *[f"- {_item_summary(item)}" for item in linked]]
    elif factor.deferral is None:
        lines.append("**Changed by:** no action item linked yet.")
    if factor.deferral is not None:
        deferral = factor.deferral
        if linked:
            lines.append("")
        lines.append(
            f"**Deferred (we are choosing not to fix this):** {cell(deferral.reason)}; "
            f"decided by {cell(deferral.decided_by)}, review on {cell(deferral.review_date)}."
        )
    return lines


def factor_block(pm: Postmortem, number: int, factor: ContributingFactor, level: int) -> list[str]:
    heading = "#" * level + f" Factor {number}: {cell(factor.description)}"
    return [heading, "", *why_ladder(factor), "", *factor_resolution(pm, factor), ""]


def _status(item: ActionItem) -> str:
    if item.completed_on is not None:
        return f"{cell(item.status)} ({cell(item.completed_on)})"
    return cell(item.status)


def action_table(pm: Postmortem, *, full: bool = True) -> list[str]:
    if not pm.action_items:
        return ["No action items."]
    if full:
        headers = ["ID", "Description", "Owner", "Due", "Ticket", "Priority", "Status"]
        rows = [
            [
                cell(i.id),
                cell(i.description),
                cell(i.owner),
                cell(i.due),
                cell(i.ticket),
                cell(i.priority),
                _status(i),
            ]
            for i in pm.action_items
        ]
    else:
        headers = ["Action", "Owner", "Due", "Ticket", "Priority"]
        rows = [
            [
                f"{cell(i.id)}: {cell(i.description)}",
                cell(i.owner),
                cell(i.due),
                cell(i.ticket),
                cell(i.priority),
            ]
            for i in pm.action_items
        ]
    return table(headers, rows)


def metadata_fields(pm: Postmortem) -> list[tuple[str, object]]:
    """The facts every export puts in its header table, in order (Markdown and HTML)."""
    return [
        ("ID", pm.id),
        ("Kind", pm.kind),
        ("Severity", pm.severity),
        ("Status", pm.status),
        ("Service", pm.service),
        ("Team", pm.team),
        ("Incident began", pm.date_of_incident),
        ("Service restored", pm.date_restored),
        ("Postmortem meeting", pm.date_of_postmortem),
        ("Published", pm.date_published),
        ("Facilitator", pm.facilitator),
        ("Norms statement read", pm.norms_read_at),
        ("Past incidents searched", pm.past_incidents_searched_at),
    ]


def _metadata(pm: Postmortem) -> list[str]:
    return table(["Field", "Value"], [[name, cell(value)] for name, value in metadata_fields(pm)])


def _participants(pm: Postmortem) -> list[str]:
    lines = []
    for person in pm.participants:
        role = f" — {cell(person.role)}" if person.role else ""
        involved = " (directly involved)" if person.directly_involved else ""
        lines.append(f"- {cell(person.name)}{role}{involved}")
    return lines or [DASH]


def waiver_table(pm: Postmortem) -> list[str]:
    """The advisories waived at review, each with its reason, who and when."""
    if not pm.waivers:
        return ["No advisories waived."]
    rows = [
        [cell(w.code), cell(w.path), cell(w.reason), cell(w.waived_by), cell(w.waived_at)]
        for w in pm.waivers
    ]
    return table(["Advisory", "Where", "Reason", "Waived by", "When"], rows)


def title_line(pm: Postmortem) -> str:
    return f"{pm.id} — {cell(pm.title)}" if pm.title else pm.id


def to_markdown(pm: Postmortem) -> str:
    """The whole postmortem as GitHub-flavoured Markdown."""
    factors: list[str] = []
    for number, factor in enumerate(pm.contributing_factors, start=1):
        factors += factor_block(pm, number, factor, level=3)
    lines = [
        f"# {title_line(pm)}",
        "",
        *_metadata(pm),
        "",
        *section("Participants", _participants(pm)),
        *section("Timeline", timeline_table(pm)),
        *section("Impact", impact_lines(pm)),
        "## Contributing factors",
        "",
        *(factors or ["No contributing factors recorded.", ""]),
        *section("What helped", bullets(pm.what_helped)),
        *section("What hurt", bullets(pm.what_hurt)),
        *section("Action items", action_table(pm)),
        *section("Failure classes", bullets(pm.failure_classes)),
        *section("Related incidents", bullets(pm.related_incidents)),
        *section("Waivers", waiver_table(pm)),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"
