"""Provides action items out to the issue tracker: a Jira import CSV and a ``gh`` script.

pmtui never tracks work itself; it hands each action item to the tracker the team
already uses. Only items that are not done are exported (a done item needs no issue);
the script names the skipped ones in comments so the count can be checked.

Both outputs carry user text to programs that interpret it: a spreadsheet evaluates
a cell starting with ``=``, a shell expands ``$(…)``. CSV cells are guarded with a
leading ``'`` and every shell argument is ``shlex.quote``-d.
"""

from __future__ import annotations

import csv
import io
import re
import shlex

from pmtui.domain.models import ActionItem, Postmortem

JIRA_COLUMNS = (
    "Summary",
    "Description",
    "Assignee",
    "Due Date",
    "Priority",
    "Labels",
    "Labels",
    "Postmortem",
    "Ticket",
    "Action ID",
)
"""Jira's importer maps repeated ``Labels`` columns to several labels."""

JIRA_DATE_FORMAT = "yyyy-MM-dd"
"""The date format to give Jira's CSV import wizard for the Due Date column."""

JIRA_PRIORITIES = {"critical": "Highest", "high": "High", "medium": "Medium", "low": "Low"}
JIRA_SUMMARY_MAX = 255
GH_LABEL = "postmortem"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_GITHUB_LOGIN = re.compile(r"^@?([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})$")


def guard_cell(value: str) -> str:
    """Neutralise a CSV cell a spreadsheet would run as a formula (OWASP's advice)."""
    if value.startswith(_FORMULA_START) or value.lstrip(" \t\r\n").startswith(_FORMULA_START):
        return "'" + value
    return value


def _one_line(value: str) -> str:
    return " ".join(value.split())


def open_items(pm: Postmortem) -> list[ActionItem]:
    """The action items that still need an issue: every item not yet done."""
    return [item for item in pm.action_items if item.status != "done"]


def _summary(pm: Postmortem, item: ActionItem) -> str:
    summary = _one_line(item.description) or f"{pm.id} action item {item.id}"
    if len(summary) > JIRA_SUMMARY_MAX:
        summary = summary[: JIRA_SUMMARY_MAX - 1] + "…"
    return summary


def _factor_numbers(pm: Postmortem, item: ActionItem) -> str:
    return ", ".join(str(i + 1) for i in pm.factors_of(item.id))


def issue_body(pm: Postmortem, item: ActionItem) -> str:
    """The issue text: the full description, then where it comes from."""
    lines = [item.description, ""] if item.description else []
    lines += [
        f"Postmortem: {pm.id}" + (f" — {pm.title}" if pm.title else ""),
        f"Action item: {item.id}",
        f"Owner: {item.owner or '(none)'}",
        f"Due: {item.due.isoformat() if item.due else '(none)'}",
        f"Priority: {item.priority or '(none)'}",
    ]
    if item.ticket:
        lines.append(f"Ticket: {item.ticket}")
    factors = _factor_numbers(pm, item)
    if factors:
        lines.append(f"Closes contributing factor(s): {factors}")
    return "\n".join(lines)


def jira_assignee(owner: str) -> str:
    """The owner as a Jira user name: a leading ``@`` (a chat handle habit) dropped."""
    return owner.strip().removeprefix("@")


def jira_rows(pm: Postmortem) -> list[list[str]]:
    """The CSV's rows, header first, before formula guarding."""
    rows = [list(JIRA_COLUMNS)]
    for item in open_items(pm):
        rows.append(
            [
                _summary(pm, item),
                issue_body(pm, item),
                jira_assignee(item.owner),
                item.due.isoformat() if item.due else "",
                JIRA_PRIORITIES.get(item.priority or "", ""),
                GH_LABEL,
                pm.id.lower(),
                pm.id,
                item.ticket,
                item.id,
            ]
        )
    return rows


def to_jira_csv(pm: Postmortem) -> str:
    """A CSV of the open action items for Jira's CSV import (dates as yyyy-MM-dd)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in jira_rows(pm):
        writer.writerow([guard_cell(value) for value in row])
    return buffer.getvalue()


def _comment(value: str) -> str:
    """User text made safe for a ``#`` comment: a newline would end it."""
    return _one_line(value)


def github_login(owner: str) -> str | None:
    """``owner`` as a GitHub login when it can be one (``@`` allowed), else None."""
    match = _GITHUB_LOGIN.match(owner.strip())
    return match.group(1) if match else None


def _flag(name: str, value: str) -> str:
    # --name=value keeps a value that starts with "-" from being read as a flag.
    return shlex.quote(f"--{name}={value}")


def to_gh_script(pm: Postmortem, repo: str | None = None) -> str:
    """A POSIX sh script filing each open action item with ``gh issue create``.

    An owner that cannot be a GitHub login (a team name with spaces, say) is named in
    the body instead of ``--assignee``. Done items are listed in comments, not filed.
    """
    repo_flag = f" {_flag('repo', repo)}" if repo else ""
    title = f" — {_comment(pm.title)}" if pm.title else ""
    lines = [
        "#!/bin/sh",
        f"# Action items of postmortem {pm.id}{title}",
        "# Generated by pmtui; review before running: sh <this file>",
        "set -eu",
        "",
        f"gh label create {GH_LABEL}{repo_flag} --force"
        f" {_flag('description', 'Action item from a postmortem')}",
    ]
    for item in open_items(pm):
        args = [
            "gh issue create" + repo_flag,
            _flag("title", _summary(pm, item)),
            _flag("body", issue_body(pm, item)),
        ]
        login = github_login(item.owner) if item.owner else None
        if login:
            args.append(_flag("assignee", login))
        args.append(_flag("label", GH_LABEL))
        lines += ["", f"# {_comment(item.id)}", " \\\n  ".join(args)]
    for item in pm.action_items:
        if item.status == "done":
            done = f" on {item.completed_on.isoformat()}" if item.completed_on else ""
            lines += ["", f"# {_comment(item.id)} skipped: done{done}"]
    for number, factor in enumerate(pm.contributing_factors, start=1):
        if factor.deferral is not None and not factor.actions:
            lines += ["", f"# contributing factor {number} skipped: deferred, no action item"]
    return "\n".join(lines) + "\n"
