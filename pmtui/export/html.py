"""Provides the HTML export: one self-contained, print-friendly page with no active content.

The page loads nothing (inline CSS only, no scripts, no images) and says so in a
Content-Security-Policy. Every user value passes through :func:`text`, i.e.
``html.escape(value, quote=True)``; markup in this module never comes from the document.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Sequence

from pmtui.domain.models import ActionItem, ContributingFactor, Postmortem
from pmtui.domain.types import format_timestamp
from pmtui.export.markdown import metadata_fields

CSP = "default-src 'none'; style-src 'unsafe-inline'"

_CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .5rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-top: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td, li, p, h1, h3, .t { white-space: pre-wrap; overflow-wrap: anywhere; }
.meta th { width: 12rem; }
.decision { background: #fff7e0; }
.label { font-weight: 600; }
.empty { color: #777; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; }
  tr, li { break-inside: avoid; }
  th { background: none; }
}
""".strip()


def text(value: object) -> str:
    """A value as escaped HTML text: ISO dates, an em dash when empty."""
    if value is None or value == "":
        return '<span class="empty">—</span>'
    if isinstance(value, dt.datetime):
        shown = format_timestamp(value)
    elif isinstance(value, dt.date):
        shown = value.isoformat()
    elif isinstance(value, bool):
        shown = "yes" if value else "no"
    else:
        shown = str(value)
    return html.escape(shown, quote=True)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], css: str = "") -> list[str]:
    head = "".join(f"<th>{h}</th>" for h in headers)
    klass = f' class="{css}"' if css else ""
    out = [f"<table{klass}>", f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    return [*out, "</tbody>", "</table>"]


def _list(values: Iterable[object], ordered: bool = False) -> list[str]:
    items = [f"<li>{text(v)}</li>" for v in values]
    if not items:
        return [f"<p>{text('')}</p>"]
    tag = "ol" if ordered else "ul"
    return [f"<{tag}>", *items, f"</{tag}>"]


def _metadata(pm: Postmortem) -> list[str]:
    rows = [
        f"<tr><th>{name}</th><td>{text(value)}</td></tr>" for name, value in metadata_fields(pm)
    ]
    return ['<table class="meta">', "<tbody>", *rows, "</tbody>", "</table>"]


def _participants(pm: Postmortem) -> list[str]:
    items = []
    for person in pm.participants:
        role = f" — {text(person.role)}" if person.role else ""
        involved = " (directly involved)" if person.directly_involved else ""
        items.append(f"<li>{text(person.name)}{role}{involved}</li>")
    return ["<ul>", *items, "</ul>"] if items else [f"<p>{text('')}</p>"]


def _timeline(pm: Postmortem) -> list[str]:
    if not pm.timeline:
        return ["<p>No timeline entries.</p>"]
    out = ["<table>", "<thead><tr><th>Time</th><th>Event</th><th>Source</th>"]
    out[-1] += "<th>Decision point</th></tr></thead>"
    out.append("<tbody>")
    for entry in pm.timeline:
        note, klass = "", ""
        if entry.decision_point:
            klass = ' class="decision"'
            note = '<span class="label">Decision point.</span> '
        if entry.decision_point or entry.context:
            note += "Information at that moment: " + text(entry.context)
        out.append(
            f"<tr{klass}><td>{text(entry.time)}</td><td>{text(entry.event)}</td>"
            f"<td>{text(entry.source)}</td><td>{note}</td></tr>"
        )
    return [*out, "</tbody>", "</table>"]


def _impact(pm: Postmortem) -> list[str]:
    impact = pm.impact
    return [
        "<ul>",
        f"<li>Duration: {text(impact.duration_minutes)} minutes</li>",
        f"<li>Peak error rate: {text(impact.error_rate_peak)}</li>",
        f"<li>Affected users (estimate): {text(impact.affected_users_estimate)}</li>",
        f"<li>Error budget consumed: {text(impact.slo_budget_consumed_minutes)} minutes</li>",
        "</ul>",
    ]


def _item_summary(item: ActionItem) -> str:
    return (
        f"{text(item.id)}: {text(item.description)} (owner {text(item.owner)}, "
        f"due {text(item.due)}, ticket {text(item.ticket)})"
    )


def _factor(pm: Postmortem, number: int, factor: ContributingFactor) -> list[str]:
    out = [f"<h3>Factor {number}: {text(factor.description)}</h3>"]
    if factor.whys:
        out.append("<ol>")
        out += [
            f'<li><span class="label">Why?</span> {text(step.question)}<br>'
            f'<span class="label">Because:</span> {text(step.answer)}</li>'
            for step in factor.whys
        ]
        out.append("</ol>")
    else:
        out.append("<p>No why-chain recorded.</p>")
    out.append(
        f'<p><span class="label">Systemic property:</span> {text(factor.systemic_property)}</p>'
    )
    linked = [item for ref in factor.actions if (item := pm.action_item(ref)) is not None]
    if linked:
        out.append('<p><span class="label">Changed by:</span></p>')
        out += ["<ul>", *[f"<li>{_item_summary(item)}</li>" for item in linked], "</ul>"]
    elif factor.deferral is None:
        out.append('<p><span class="label">Changed by:</span> no action item linked yet.</p>')
    if factor.deferral is not None:
        deferral = factor.deferral
        out.append(
            '<p><span class="label">Deferred (we are choosing not to fix this):</span> '
            f"{text(deferral.reason)}; decided by {text(deferral.decided_by)}, "
            f"review on {text(deferral.review_date)}.</p>"
        )
    return out


def _actions(pm: Postmortem) -> list[str]:
    if not pm.action_items:
        return ["<p>No action items.</p>"]
    headers = ["ID", "Description", "Owner", "Due", "Ticket", "Priority", "Status"]
    rows = []
    for item in pm.action_items:
        status = text(item.status)
        if item.completed_on is not None:
            status += f" ({text(item.completed_on)})"
        rows.append(
            [
                text(item.id),
                text(item.description),
                text(item.owner),
                text(item.due),
                text(item.ticket),
                text(item.priority),
                status,
            ]
        )
    return _table(headers, rows)


def _waivers(pm: Postmortem) -> list[str]:
    if not pm.waivers:
        return ["<p>No advisories waived.</p>"]
    rows = [
        [text(w.code), text(w.path), text(w.reason), text(w.waived_by), text(w.waived_at)]
        for w in pm.waivers
    ]
    return _table(["Advisory", "Where", "Reason", "Waived by", "When"], rows)


def _section(title: str, body: list[str]) -> list[str]:
    return [f"<h2>{title}</h2>", *body]


def to_html(pm: Postmortem) -> str:
    """The whole postmortem as one standalone HTML page."""
    heading = f"{text(pm.id)} — {text(pm.title)}" if pm.title else text(pm.id)
    title = html.escape(f"{pm.id} — {pm.title}" if pm.title else pm.id, quote=True)
    factors: list[str] = []
    for number, factor in enumerate(pm.contributing_factors, start=1):
        factors += _factor(pm, number, factor)
    body = [
        f"<h1>{heading}</h1>",
        *_metadata(pm),
        *_section("Participants", _participants(pm)),
        *_section("Timeline", _timeline(pm)),
        *_section("Impact", _impact(pm)),
        *_section("Contributing factors", factors or ["<p>No contributing factors recorded.</p>"]),
        *_section("What helped", _list(pm.what_helped)),
        *_section("What hurt", _list(pm.what_hurt)),
        *_section("Action items", _actions(pm)),
        *_section("Failure classes", _list(pm.failure_classes)),
        *_section("Related incidents", _list(pm.related_incidents)),
        *_section("Waivers", _waivers(pm)),
    ]
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    return "\n".join([*head, *body, "</main>", "</body>", "</html>"]) + "\n"
