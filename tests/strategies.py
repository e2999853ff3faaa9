"""Provides Hypothesis strategies for valid postmortem documents, hostile text included.

Text is generated raw and then passed through the model, which cleans control
characters: the documents are exactly what pmtui can hold, not what a test wished for.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from pmtui.domain.models import Postmortem
from pmtui.domain.text import clean_text
from pmtui.domain.types import PRIORITIES, SEVERITIES, STATUSES, SYSTEMIC_PROPERTIES

HOSTILE = [
    "[/]",
    "[/",
    "[bold]x",
    "[@click=app.quit]q[/]",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" onerror="alert(1)',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "[link](javascript:alert(1))",
    '"',
    "'",
    "#",
    "# heading",
    "|",
    "a | b",
    "---",
    "===",
    ": ",
    "key: value",
    "- item",
    "* item",
    "+ item",
    "1. item",
    "> quote",
    "```",
    "~~~",
    "    indented",
    "  lead",
    "trail  ",
    "\nnewline\n",
    "x\n\n",
    "\n\n",
    "a\n  b",
    "\t",
    "😀",
    "👩🏽‍💻",
    "日本語のテキスト",
    "مرحبا بالعالم",
    "עברית",
    "e\u0301",
    "\u200b",
    "\u00a0",
    "\u2028",
    "\ufeff",
    "&amp;",
    "&#32;",
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+1",
    "-1",
    "@SUM(1)",
    "$(touch /tmp/pwned)",
    "`id`",
    "\\",
    "'; rm -rf / #",
    "null",
    "~",
    "NO",
    "yes",
    "on",
    "0123",
    "14:32",
    "2026-01-16",
    "2026-01-14T14:32:00Z",
    "1e3",
    ".inf",
    "=",
    "<<",
    "*alias",
    "&anchor",
    "!!python/object/apply:os.system",
    "{a: b}",
    "[a, b]",
    "%YAML 1.1",
    "?",
    "@",
    "\x1b]0;title\x07",
    "\x00",
]

_short_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(HOSTILE),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=4)), max_size=5).map("".join),
)
_long_text = st.sampled_from([*HOSTILE, "ab ", "x"]).map(
    lambda s: (s * (10_000 // max(len(s), 1) + 1))[:10_000]
)
# Mostly short strings; now and then a 10,000-character one.
text = st.integers(0, 199).flatmap(lambda n: _long_text if n == 0 else _short_text)

utc_datetimes = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1))
times = st.one_of(
    st.just(""),
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
    st.builds(
        lambda h, m, s: f"{h}:{m:02d}:{s:02d}",
        st.integers(0, 23),
        st.integers(0, 59),
        st.integers(0, 59),
    ),
    utc_datetimes.map(lambda d: d.isoformat()),
)
slugs = st.from_regex(r"[a-z0-9][a-z0-9+.\-]{0,20}", fullmatch=True)


def _ident(kind: str, year: int, number: int) -> str:
    return f"{'NM' if kind == 'near-miss' else 'INC'}-{year}-{number:04d}"


kinds = st.sampled_from(["incident", "near-miss"])
idents = st.builds(_ident, kinds, st.integers(1990, 2099), st.integers(0, 999_999))

participants = st.one_of(
    text,
    st.fixed_dictionaries(
        {"name": text, "role": text, "directly_involved": st.booleans()},
    ),
)
timeline_entries = st.fixed_dictionaries(
    {
        "time": times,
        "event": text,
        "source": text,
        "decision_point": st.booleans(),
        "context": text,
    }
)
impacts = st.fixed_dictionaries(
    {
        "duration_minutes": st.none() | st.integers(0, 10**6),
        "error_rate_peak": text,
        "affected_users_estimate": text,
        "slo_budget_consumed_minutes": st.none()
        | st.integers(0, 10**6)
        | st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
    }
)
whys = st.fixed_dictionaries({"question": text, "answer": text})
deferrals = st.none() | st.fixed_dictionaries(
    {"reason": text, "decided_by": text, "review_date": st.none() | dates}
)
action_items = st.fixed_dictionaries(
    {
        "description": text,
        "owner": text,
        "due": st.none() | dates,
        "ticket": text,
        "priority": st.none() | st.sampled_from(PRIORITIES),
        "id": st.one_of(st.just(""), text),
        "status": st.sampled_from(["open", "in-progress", "done"]),
        "completed_on": st.none() | dates,
    }
)
waivers = st.fixed_dictionaries(
    {
        "code": text,
        "path": text,
        "reason": text.filter(lambda s: clean_text(s).strip() != ""),
        "waived_by": text,
        "waived_at": st.none() | utc_datetimes,
    }
)


def _unique_ids(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Blank out an action item id that, once cleaned, repeats an earlier one."""
    seen: set[str] = set()
    for item in items:
        cleaned = clean_text(item["id"])
        if cleaned in seen:
            item["id"] = ""
        elif cleaned:
            seen.add(cleaned)
    return items


@st.composite
def postmortems(draw: st.DrawFn, max_items: int = 3) -> Postmortem:
    """A valid Postmortem with every field populated from hostile-ish text."""
    kind = draw(kinds)
    ident = _ident(kind, draw(st.integers(1990, 2099)), draw(st.integers(0, 999_999)))
    items = _unique_ids(draw(st.lists(action_items, max_size=max_items)))
    ids = [
        i.id for i in Postmortem.model_validate({"id": ident, "action_items": items}).action_items
    ]
    links = st.lists(st.sampled_from(ids), unique=True, max_size=2) if ids else st.just([])
    factor = st.one_of(
        text,
        st.fixed_dictionaries(
            {
                "description": text,
                "whys": st.lists(whys, max_size=3),
                "systemic_property": st.none() | st.sampled_from(SYSTEMIC_PROPERTIES),
                "actions": links,
                "deferral": deferrals,
            }
        ),
    )
    data = {
        "id": ident,
        "severity": draw(st.none() | st.sampled_from(SEVERITIES)),
        "title": draw(text),
        "date_of_incident": draw(st.none() | utc_datetimes),
        "date_of_postmortem": draw(st.none() | dates),
        "facilitator": draw(text),
        "participants": draw(st.lists(participants, max_size=max_items)),
        "timeline": draw(st.lists(timeline_entries, max_size=max_items)),
        "impact": draw(impacts),
        "contributing_factors": draw(st.lists(factor, max_size=max_items)),
        "what_helped": draw(st.lists(text, max_size=max_items)),
        "what_hurt": draw(st.lists(text, max_size=max_items)),
        "action_items": items,
        "kind": kind,
        "service": draw(text),
        "team": draw(text),
        "date_restored": draw(st.none() | utc_datetimes),
        "date_published": draw(st.none() | utc_datetimes),
        "status": draw(st.sampled_from(STATUSES)),
        "failure_classes": draw(st.lists(slugs, max_size=max_items)),
        "related_incidents": draw(st.lists(idents, max_size=2)),
        "norms_read_at": draw(st.none() | utc_datetimes),
        "past_incidents_searched_at": draw(st.none() | utc_datetimes),
        "waivers": draw(st.lists(waivers, max_size=2)),
    }
    return Postmortem.model_validate(data)


def all_texts(pm: Postmortem) -> list[str]:
    """Every string value in the document (for checks that each one survived an export)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(pm.model_dump(mode="json"))
    return found
