"""Provides the timeline entry form and the chronological order of a timeline.

The form is a :class:`FormDialog` spec: the time checked by the model's own rule, the
event with its judging words marked as you type and the suggestion beside it, the
source, the decision-point mark and the context. The order is what the "sort by time"
key restores, computed without Textual so it can be tested on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from pmtui.domain.errors import DocumentInvalid
from pmtui.domain.fields import validate_value
from pmtui.domain.models import TimelineEntry
from pmtui.domain.scalars import timeline_time_of
from pmtui.screens.dialogs import FormDialog, FormField
from pmtui.widgets.timeline_judging import JudgingHighlighter, judging_advice

FACTS_ONLY = "timestamped facts only"
SOURCES = (
    "deploy log",
    "alerting system",
    "PagerDuty",
    "dashboard",
    "chat",
    "on-call engineer",
    "application log",
    "status page",
)


def _time_problem(text: str) -> str | None:
    try:
        validate_value(TimelineEntry, "time", text, "time")
    except DocumentInvalid as exc:
        return exc.problems[0].split(": ", 1)[-1]
    return None


def entry_dialog(
    title: str, highlight_style: str, values: dict[str, Any] | None = None
) -> FormDialog:
    """The add/edit form for one timeline entry (dismisses with its values, or None)."""
    fields = [
        FormField(
            "time",
            "Time (HH:MM on the incident's day, or a UTC timestamp)",
            placeholder="e.g. 14:32",
            validate=_time_problem,
        ),
        FormField(
            "event",
            "What happened (a fact)",
            placeholder="e.g. Deploy of v2.3.1 completes",
            advise=judging_advice,
            highlighter=JudgingHighlighter(highlight_style),
            tooltip="Interpretive or judging words are marked as you type.",
        ),
        FormField(
            "source", "Source of the fact", placeholder="e.g. deploy log", suggestions=SOURCES
        ),
        FormField(
            "decision_point", "A decision point (someone chose what to do here)", kind="bool"
        ),
        FormField(
            "context",
            "At a decision point: what information did they have at that moment?",
            kind="multiline",
        ),
    ]
    # The reminder sits in the title: at 80x24 every row of the form is needed.
    return FormDialog(f"{title} · {FACTS_ONLY}", fields, values)


def entry_values(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "time": entry.time,
        "event": entry.event,
        "source": entry.source,
        "decision_point": entry.decision_point,
        "context": entry.context,
    }


def changed_values(entry: TimelineEntry, values: dict[str, Any]) -> dict[str, Any]:
    """Only the fields the form changed, so an edit never overwrites another terminal's."""
    return {k: v for k, v in values.items() if getattr(entry, k) != v}


_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def chronological(entries: Sequence[TimelineEntry], day: dt.date | None) -> list[TimelineEntry]:
    """``entries`` in time order; an entry without a readable time stays after its predecessor.

    The sort is stable, so entries at the same time keep the order they were told in.
    """
    keyed = []
    last = _EARLIEST
    for entry in entries:
        instant = timeline_time_of(entry.time, day) if entry.time.strip() else None
        if instant is not None:
            last = instant
        keyed.append((last if instant is None else instant, entry))
    ordered = sorted(range(len(keyed)), key=lambda i: keyed[i][0])
    return [keyed[i][1] for i in ordered]
