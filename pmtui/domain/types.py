"""Provides the field types of the postmortem document and their strict validators.

YAML 1.1 quietly turns ``time: 12:30`` into 750, ``id: 0123`` into 83 and ``NO`` into
False. Every field here accepts only what it means and says, in a sentence a facilitator
can act on, how to write it instead.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, PlainSerializer
from pydantic_core import PydanticCustomError

from pmtui.domain.scalars import (  # re-exported: the field types are built on them
    ACTION_STATUSES,
    KINDS,
    POSTMORTEM_ID_PATTERN,
    PRIORITIES,
    SEVERITIES,
    SLUG_PATTERN,
    STATUSES,
    SYSTEMIC_PROPERTIES,
    ActionStatus,
    Kind,
    Priority,
    Severity,
    Status,
    SystemicProperty,
    format_timestamp,
    parse_timestamp,
)
from pmtui.domain.scalars import TIME_OF_DAY as _TIME_OF_DAY
from pmtui.domain.text import clean_text


class WrittenInt(int):
    """An ``int`` that remembers the literal it was read from (``0123`` for 83).

    A loader that knows the source text may hand these in, so that a refusal can
    explain an octal reading exactly; a plain ``int`` gets the plain advice.
    """

    literal: str

    def __new__(cls, value: int, literal: str) -> WrittenInt:
        number = super().__new__(cls, value)
        number.literal = literal
        return number


# What YAML 1.1 reads as octal: a leading 0 then octal digits (``0123``, ``-017``).
_OCTAL_LITERAL = re.compile(r"[-+]?0[0-7_]+")


def _unquoted_hint(value: Any, as_time: bool = False) -> str | None:
    """Explain a non-string that YAML 1.1 produced from something that looked like text."""
    if isinstance(value, bool):
        return "YAML read an unquoted yes/no/on/off as true/false; put the value in quotes"
    if isinstance(value, int):
        hours, minutes = divmod(value, 60)
        if as_time and 0 <= hours < 24:
            return (
                f"YAML 1.1 reads an unquoted {hours}:{minutes:02d} as the number {value}; "
                f'write "{hours:02d}:{minutes:02d}" in quotes'
            )
        literal = getattr(value, "literal", None)
        if isinstance(literal, str) and _OCTAL_LITERAL.fullmatch(literal.strip()):
            return (
                f"YAML 1.1 reads an unquoted {literal.strip()} as the octal number {int(value)}; "
                f'put the value in quotes ("{literal.strip()}")'
            )
        return "YAML read it as a number; put the value in quotes"
    if isinstance(value, float):
        return "YAML read it as a number; put the value in quotes"
    if isinstance(value, dt.date | dt.datetime):
        return "YAML read it as a date; put the value in quotes"
    return None


def _strict_text(value: Any, as_time: bool = False) -> str:
    if isinstance(value, str):
        return clean_text(value)
    if value is None:
        # A key left blank (``owner:``) is YAML's null: the field is empty, as with a
        # blank date. The rules then say what is missing (no owner, no ticket).
        return ""
    hint = _unquoted_hint(value, as_time)
    raise PydanticCustomError(
        "text_type",
        "{value} is not text" + ("; {hint}" if hint else ""),
        {"value": repr(value), "hint": hint or ""},
    )


Text = Annotated[str, BeforeValidator(_strict_text)]
"""A string that stays a string: cleaned of control characters, never coerced from a number.

A blank value (None, as YAML reads ``owner:``) is the empty string."""


def _id(value: Any) -> str:
    text = _strict_text(value).strip().upper()
    if not POSTMORTEM_ID_PATTERN.match(text):
        raise PydanticCustomError(
            "postmortem_id",
            '"{value}" is not a postmortem id; use INC-YYYY-NNNN or NM-YYYY-NNNN',
            {"value": text},
        )
    return text


PostmortemId = Annotated[str, BeforeValidator(_id)]


def _timeline_time(value: Any) -> str:
    text = _strict_text(value, as_time=True).strip()
    if text == "" or _TIME_OF_DAY.match(text):
        return text
    try:
        parse_timestamp(text)
    except ValueError:
        raise PydanticCustomError(
            "timeline_time",
            '"{value}" is not a time; write HH:MM, HH:MM:SS or a timestamp such as '
            "2026-01-14T14:32:00Z",
            {"value": text},
        ) from None
    return text


TimelineTime = Annotated[str, BeforeValidator(_timeline_time)]
"""``HH:MM`` (on the incident's day), ``HH:MM:SS`` or a full ISO 8601 timestamp; kept as written."""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value).strip())


def _utc_datetime(value: Any) -> Any:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str):
        text = clean_text(value).strip()
        try:
            return parse_timestamp(text)
        except ValueError:
            raise PydanticCustomError(
                "timestamp",
                '"{value}" is not a timestamp; write it like 2026-01-14T14:32:00Z',
                {"value": text},
            ) from None
    raise PydanticCustomError(
        "timestamp",
        '{value} is not a timestamp; write it like "2026-01-14T14:32:00Z"',
        {"value": repr(value)},
    )


# The None inside the Annotated matters: the before-validator turns "" into None, and a
# bare ``datetime`` under it would then refuse that None in an Optional field.
UtcDateTime = Annotated[
    dt.datetime | None,
    BeforeValidator(_utc_datetime),
    PlainSerializer(format_timestamp, return_type=str, when_used="json-unless-none"),
]


def _calendar_date(value: Any) -> Any:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = clean_text(value).strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                message = '"{value}" is not a calendar date'
            else:
                message = '"{value}" is not a date; write it as YYYY-MM-DD'
            raise PydanticCustomError("calendar_date", message, {"value": text}) from None
    raise PydanticCustomError(
        "calendar_date",
        '{value} is not a date; write it as "YYYY-MM-DD"',
        {"value": repr(value)},
    )


CalendarDate = Annotated[
    dt.date | None,
    BeforeValidator(_calendar_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str, when_used="json-unless-none"),
]


def _slug(value: Any) -> str:
    text = re.sub(r"[\s_]+", "-", _strict_text(value).strip().lower())
    if not SLUG_PATTERN.match(text):
        raise PydanticCustomError(
            "slug",
            '"{value}" is not a failure class; use lowercase words joined by hyphens, '
            "like n+1-query",
            {"value": text},
        )
    return text


Slug = Annotated[str, BeforeValidator(_slug)]


def _choice(choices: tuple[str, ...], what: str) -> Any:
    """Case-insensitive match against ``choices`` with a message listing them."""

    def validate(value: Any) -> Any:
        if value is None:
            return None
        text = _strict_text(value).strip()
        for choice in choices:
            if text.lower() == choice.lower():
                return choice
        raise PydanticCustomError(
            "choice",
            '"{value}" is not a {what}; use one of {choices}',
            {"value": text, "what": what, "choices": ", ".join(choices)},
        )

    return BeforeValidator(validate)


def _severity(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return f"SEV-{value}"
    if isinstance(value, str):
        compact = value.strip().upper().replace(" ", "").replace("_", "-")
        if re.fullmatch(r"SEV-?[1-4]", compact):
            return "SEV-" + compact[-1]
    return value


# Before-validators run last-listed first: normalise "sev 1", "SEV1" or 3 before the choice.
SeverityField = Annotated[Severity, _choice(SEVERITIES, "severity"), BeforeValidator(_severity)]
KindField = Annotated[Kind, _choice(KINDS, "kind")]
StatusField = Annotated[Status, _choice(STATUSES, "status")]
PriorityField = Annotated[Priority, _choice(PRIORITIES, "priority")]
ActionStatusField = Annotated[ActionStatus, _choice(ACTION_STATUSES, "status")]
SystemicPropertyField = Annotated[
    SystemicProperty, _choice(SYSTEMIC_PROPERTIES, "systemic property")
]


def _non_negative(value: float | int | None) -> float | int | None:
    if isinstance(value, float) and not math.isfinite(value):
        # YAML's .inf/.nan or "1e999": no export format could write it back exactly.
        raise PydanticCustomError("number", "{value} is not a finite number", {"value": value})
    if value is not None and value < 0:
        raise PydanticCustomError("non_negative", "{value} is negative", {"value": value})
    return value


def _strict_number(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("number", "{value} is not a number", {"value": repr(value)})
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return None
        try:
            return float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            raise PydanticCustomError(
                "number", '"{value}" is not a number', {"value": clean_text(text)}
            ) from None
    return value


Minutes = Annotated[int | None, BeforeValidator(_strict_number), AfterValidator(_non_negative)]
BudgetMinutes = Annotated[
    int | float | None, BeforeValidator(_strict_number), AfterValidator(_non_negative)
]


def _estimate(value: Any) -> Any:
    """Accept ``1400`` as well as ``"~1400"``: an estimate is free text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _strict_text(value)


Estimate = Annotated[str, BeforeValidator(_estimate)]
