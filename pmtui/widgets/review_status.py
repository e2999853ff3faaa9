"""Provides the Review step's verdict line and its deadlines panel, as Content built from data.

The verdict says in one line whether the postmortem can be completed and, if not, how
many gates and advisories remain; the panel shows the meeting and publication deadlines
of the severity policy and where the document stands against them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from textual.content import Content

from pmtui.domain.findings import Finding
from pmtui.domain.models import Postmortem
from pmtui.domain.severity import (
    DeadlineState,
    meeting_deadline,
    meeting_state,
    policy_for,
    publication_deadline,
    publication_state,
)

STATE_STYLES: dict[str, str] = {
    "met": "bold $text-success",
    "late": "bold $text-error",
    "overdue": "bold $text-error",
    "due-soon": "bold $text-warning",
    "pending": "bold",
    "n/a": "$text-muted",
}
STATE_WORDS: dict[str, str] = {
    "met": "met",
    "late": "late",
    "overdue": "overdue",
    "due-soon": "due within a day",
    "pending": "open",
    "n/a": "no deadline",
}


def plural(count: int, word: str) -> str:
    """``1 gate``, ``2 gates``, ``1 advisory``, ``3 advisories``."""
    if count == 1:
        return f"1 {word}"
    return f"{count} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


def remaining(findings: Sequence[Finding]) -> tuple[int, int]:
    """(gates, unwaived advisories): what still stands between the document and completion."""
    gates = sum(1 for f in findings if f.level == "gate")
    advisories = sum(1 for f in findings if f.level == "advisory" and f.waiver is None)
    return gates, advisories


def verdict(doc: Postmortem, findings: Sequence[Finding]) -> Content:
    """One line: blocked (and by how much), ready, complete or published."""
    if doc.status == "published" and doc.date_published is not None:
        return Content.styled(
            f"✓ Published {doc.date_published:%Y-%m-%d %H:%M} UTC — x export · y copy Markdown",
            "bold $text-success",
        )
    if doc.status in ("complete", "published"):
        return Content.styled(
            "✓ Complete — every chain ends in an owned, dated change. Press p to publish.",
            "bold $text-success",
        )
    gates, advisories = remaining(findings)
    if gates or advisories:
        return Content.styled(
            f"✗ {plural(gates, 'gate')} and {plural(advisories, 'advisory')} remain"
            " — cannot complete yet",
            "bold $text-error",
        )
    return Content.styled("✓ Ready to complete — press c", "bold $text-success")


def _when(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "—"


def _state(state: DeadlineState) -> Content:
    return Content.styled(STATE_WORDS[state], STATE_STYLES[state])


def deadlines(doc: Postmortem, now: dt.datetime) -> Content:
    """Two lines: the meeting and the publication against the severity's deadlines."""
    policy = policy_for(doc)
    if policy is None or not policy.has_deadlines:
        what = doc.severity or ("a near-miss" if doc.kind == "near-miss" else "no severity set")
        if doc.date_published is None:
            published = "Not published."
        elif doc.status == "published":
            published = f"Published {_when(doc.date_published)}."
        else:
            published = f"Was published {_when(doc.date_published)}; reopened since."
        return Content.styled(
            f"No meeting or publication deadline for {what}. {published}", "$text-muted"
        )
    if doc.date_restored is None:
        return Content.styled(
            f"{policy.severity}: deadlines count from the restoration time, which is not set.",
            "$text-warning",
        )
    meeting = meeting_deadline(doc)
    held = doc.date_of_postmortem.isoformat() if doc.date_of_postmortem else "not held yet"
    line1 = Content(f"Meeting ({policy.meeting_text}): {held}, deadline ")
    line1 = line1.append(Content(f"{meeting:%Y-%m-%d} — " if meeting else "— — "))
    line1 = line1.append(_state(meeting_state(doc, now)))
    deadline = publication_deadline(doc)
    line2 = Content(f"Publication ({policy.publish_deadline_text}): ")
    reopened = doc.date_published is not None and doc.status != "published"
    if reopened:
        # Reopening keeps the date of the last publication (the store does not clear it).
        line2 = line2.append(Content(f"was published {_when(doc.date_published)}, "))
    elif doc.date_published is not None:
        line2 = line2.append(Content(f"published {_when(doc.date_published)}, "))
    line2 = line2.append(Content(f"deadline {_when(deadline)} — "))
    state = publication_state(doc, now)
    line2 = line2.append(_state(state))
    if doc.date_published is not None and deadline is not None:
        late = doc.date_published > deadline
        line2 = line2.append(
            Content(" (after the severity deadline)" if late else " (within the severity deadline)")
        )
    if reopened:
        line2 = line2.append(
            Content.styled("; reopened since — not published now", "bold $text-warning")
        )
    return Content("\n").join([line1, line2])
