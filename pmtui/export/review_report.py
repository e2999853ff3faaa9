"""Provides the cross-team review report as Markdown (for a wiki) and as a self-contained HTML page.

User text is escaped exactly as the postmortem exports do it: ``escape_markdown`` /
``cell`` for Markdown, ``html.text`` (``html.escape(…, quote=True)``) for HTML, under
the same Content-Security-Policy.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

from pmtui.domain.review_report import ClassReview, OpenItem, ReviewReport
from pmtui.export import html, markdown
from pmtui.export.markdown import cell, escape_markdown

_WHY_GAPS = (
    "Each of these teams runs something that can fail the same way: share the other "
    "team's postmortem and its action items before it becomes their incident."
)


def _period(report: ReviewReport) -> str:
    return f"{report.since.isoformat()} to {report.until.isoformat()}"


def _summary(report: ReviewReport) -> str:
    return (
        f"{report.postmortems} incident postmortem{'s' * (report.postmortems != 1)} and "
        f"{report.near_misses} near-miss{'es' * (report.near_misses != 1)} began in the period; "
        f"{len(report.classes)} failure class{'es' * (len(report.classes) != 1)} seen."
    )


def _item_state(item: OpenItem, today: dt.date) -> str:
    return f"{item.status}, past due" if item.overdue(today) else item.status


# ---- Markdown ------------------------------------------------------------------------


def _h2(title: str) -> list[str]:
    return ["", f"## {title}", ""]


def _md_class_row(c: ClassReview) -> list[str]:
    return [
        f"`{c.slug}`" if "`" not in c.slug else cell(c.slug),
        cell(c.description),
        cell(", ".join(s.id for s in c.seen)),
        cell(", ".join(c.teams)),
        str(len(c.open_items)),
        cell(", ".join(c.not_yet_met)),
    ]


def to_markdown(report: ReviewReport) -> str:
    """The review as GFM Markdown."""
    today = report.generated.date()
    out = [
        f"# Cross-team review: {_period(report)}",
        "",
        f"Generated {report.generated:%Y-%m-%d %H:%M} UTC. {_summary(report)}",
    ]
    out += _h2("Failure classes seen")
    if report.classes:
        out += markdown.table(
            [
                "Failure class",
                "Description",
                "Postmortems",
                "Teams",
                "Open items",
                "Not yet met by",
            ],
            (_md_class_row(c) for c in report.classes),
        )
    else:
        out.append("No failure classes were recorded in the period.")
    out += _h2("By team")
    for team in report.teams:
        out += [f"### {escape_markdown(team.team)}", ""]
        out += [
            f"- {escape_markdown(slug)}: {escape_markdown(', '.join(ids))}"
            for slug, ids in team.classes
        ] or ["- no failure class recorded"]
        out += [f"- open action items: {team.open_items}", ""]
    out += _h2("Open action items")
    any_open = False
    for c in report.classes:
        if not c.open_items:
            continue
        any_open = True
        out += [f"### {escape_markdown(c.slug)}", ""]
        out += markdown.table(
            ["Postmortem", "Team", "Item", "Description", "Owner", "Due", "Status"],
            (
                [
                    cell(i.postmortem_id),
                    cell(i.team),
                    cell(i.ref),
                    cell(i.description),
                    cell(i.owner),
                    cell(i.due),
                    cell(_item_state(i, today)),
                ]
                for i in c.open_items
            ),
        )
        out.append("")
    if not any_open:
        out.append("Every action item of the period's postmortems is done.")
    gaps = [c for c in report.classes if c.not_yet_met]
    out += _h2("Teams that have not met a class another team hit")
    if gaps:
        out += [_WHY_GAPS, ""]
        out += [
            f"- {escape_markdown(c.slug)} (hit by {escape_markdown(', '.join(c.teams))}): "
            f"not yet met by {escape_markdown(', '.join(c.not_yet_met))}"
            for c in gaps
        ]
    else:
        out.append("Every known team has met each class seen in the period.")
    if report.unclassified:
        out += _h2("Without a failure class")
        out.append(
            "Recurrence cannot find these until they are tagged: "
            + escape_markdown(", ".join(report.unclassified))
        )
    # User text is escaped onto one line, so only our own spacing can double up here.
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).rstrip() + "\n"


# ---- HTML ----------------------------------------------------------------------------

_T = html.text


def _html_items(c: ClassReview, today: dt.date) -> list[str]:
    rows = [
        [
            _T(i.postmortem_id),
            _T(i.team),
            _T(i.ref),
            _T(i.description),
            _T(i.owner),
            _T(i.due),
            _T(_item_state(i, today)),
        ]
        for i in c.open_items
    ]
    return [
        f"<h3>{_T(c.slug)}</h3>",
        *html._table(["Postmortem", "Team", "Item", "Description", "Owner", "Due", "Status"], rows),
    ]


def to_html(report: ReviewReport) -> str:
    """The review as one standalone HTML page with no active content."""
    today = report.generated.date()
    title = f"Cross-team review: {_period(report)}"
    body = [
        f"<h1>{_T(title)}</h1>",
        f"<p>Generated {_T(report.generated)}. {_T(_summary(report))}</p>",
        "<h2>Failure classes seen</h2>",
    ]
    if report.classes:
        body += html._table(
            [
                "Failure class",
                "Description",
                "Postmortems",
                "Teams",
                "Open items",
                "Not yet met by",
            ],
            (
                [
                    _T(c.slug),
                    _T(c.description),
                    _T(", ".join(s.id for s in c.seen)),
                    _T(", ".join(c.teams)),
                    _T(len(c.open_items)),
                    _T(", ".join(c.not_yet_met)),
                ]
                for c in report.classes
            ),
        )
    else:
        body.append("<p>No failure classes were recorded in the period.</p>")
    body.append("<h2>By team</h2>")
    for team in report.teams:
        body.append(f"<h3>{_T(team.team)}</h3>")
        lines = [f"{slug}: {', '.join(ids)}" for slug, ids in team.classes]
        body += html._list([*lines, f"open action items: {team.open_items}"])
    body.append("<h2>Open action items</h2>")
    blocks = [line for c in report.classes if c.open_items for line in _html_items(c, today)]
    body += blocks or ["<p>Every action item of the period's postmortems is done.</p>"]
    body.append("<h2>Teams that have not met a class another team hit</h2>")
    gaps = [c for c in report.classes if c.not_yet_met]
    if gaps:
        body.append(f"<p>{_T(_WHY_GAPS)}</p>")
        body += html._list(
            f"{c.slug} (hit by {', '.join(c.teams)}): not yet met by {', '.join(c.not_yet_met)}"
            for c in gaps
        )
    else:
        body.append("<p>Every known team has met each class seen in the period.</p>")
    if report.unclassified:
        body.append("<h2>Without a failure class</h2>")
        body.append(
            "<p>Recurrence cannot find these until they are tagged: "
            f"{_T(', '.join(report.unclassified))}</p>"
        )
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{html.CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html_lib.escape(title, quote=True)}</title>",
        f"<style>\n{html._CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    return "\n".join([*head, *body, "</main>", "</body>", "</html>"]) + "\n"


def render_review(report: ReviewReport, fmt: str) -> str:
    if fmt == "html":
        return to_html(report)
    if fmt == "md":
        return to_markdown(report)
    raise ValueError(f"unknown review format {fmt!r}")
