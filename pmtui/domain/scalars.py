"""Provides the document's scalar vocabulary: closed choices, id patterns, the timestamp format.

The list of postmortems, the step bar and the store's queries need these words and the
timestamp format but not the validated models; keeping them here lets the app paint its
first screen before pydantic is imported (``pmtui.domain.types`` builds the fields on them).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

Kind = Literal["incident", "near-miss"]
Severity = Literal["SEV-1", "SEV-2", "SEV-3", "SEV-4"]
Status = Literal["draft", "in-meeting", "complete", "published"]
Priority = Literal["critical", "high", "medium", "low"]
ActionStatus = Literal["open", "in-progress", "done"]
SystemicProperty = Literal[
    "missing-tool",
    "wrong-threshold",
    "process-gap",
    "capacity",
    "design",
    "dependency",
    "other",
]

KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
SEVERITIES: tuple[str, ...] = Severity.__args__  # type: ignore[attr-defined]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
PRIORITIES: tuple[str, ...] = Priority.__args__  # type: ignore[attr-defined]
ACTION_STATUSES: tuple[str, ...] = ActionStatus.__args__  # type: ignore[attr-defined]
SYSTEMIC_PROPERTIES: tuple[str, ...] = SystemicProperty.__args__  # type: ignore[attr-defined]

POSTMORTEM_ID_PATTERN = re.compile(r"^(INC|NM)-(\d{4})-(\d{4,6})$")
TIME_OF_DAY = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(:([0-5]\d))?$")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9+.\-]{0,63}$")


def parse_timestamp(text: str) -> dt.datetime:
    """Parse an ISO 8601 timestamp; a missing zone means UTC. Raises ValueError."""
    value = dt.datetime.fromisoformat(text.strip().replace("z", "Z"))
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def format_timestamp(value: dt.datetime) -> str:
    """ISO 8601 in UTC with a ``Z``; seconds always, microseconds only when present."""
    value = value.astimezone(dt.UTC)
    spec = "seconds" if value.microsecond == 0 else "microseconds"
    return value.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def timeline_time_of(time: str, day: dt.date | None) -> dt.datetime | None:
    """The instant a timeline ``time`` names, placing a bare ``HH:MM`` on ``day``."""
    match = TIME_OF_DAY.match(time.strip())
    if match:
        if day is None:
            day = dt.date(1970, 1, 1)
        return dt.datetime(
            day.year,
            day.month,
            day.day,
            int(match.group(1)),
            int(match.group(2)),
            int(match.group(4) or 0),
            tzinfo=dt.UTC,
        )
    try:
        return parse_timestamp(time)
    except ValueError:
        return None
