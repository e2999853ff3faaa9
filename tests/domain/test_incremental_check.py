"""T25: the meeting's incremental check equals a full ``check`` after any sequence of edits.

The session re-checks a long timeline entry by entry (:class:`IncrementalCheck` remembers
what it found in each entry). Whatever the edits — a field changed, an entry added,
deleted or moved, the incident's day changed, a waiver added, the document read again —
its result must be exactly what ``check`` says of the document, and what the rules say
before ``check`` orders them (``gate_findings`` and ``advisory_findings``, sorted).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pmtui.domain import timeline_rules
from pmtui.domain.advisories import advisory_findings
from pmtui.domain.findings import Finding, apply_waivers, finding_order
from pmtui.domain.gates import gate_findings
from pmtui.domain.models import Postmortem, TimelineEntry, Waiver
from pmtui.domain.rules import CheckContext, IncrementalCheck, check
from pmtui.domain.timeline_rules import TimelineMemo
from tests.strategies import postmortems, times, utc_datetimes

NOW = dt.datetime(2026, 11, 29, 10, 0, tzinfo=dt.UTC)

# Words the timeline rules react to, so that edits raise and clear findings.
words = st.lists(
    st.sampled_from(
        ["just", "finally", "root cause", "Root  Cause", '"just"', "should have", "x", " ", ""]
    ),
    max_size=3,
).map(" ".join)
field_values = st.one_of(
    st.tuples(st.just("time"), times),
    st.tuples(st.sampled_from(["event", "source", "context"]), words),
    st.tuples(st.just("decision_point"), st.booleans()),
)
entries = st.builds(
    lambda time, event, source, decision, context: {
        "time": time,
        "event": event,
        "source": source,
        "decision_point": decision,
        "context": context,
    },
    times,
    words,
    words,
    st.booleans(),
    words,
)
edits = st.one_of(
    st.tuples(st.just("set"), st.integers(0, 5), field_values),
    st.tuples(st.just("add"), st.integers(0, 5), entries),
    st.tuples(st.just("delete"), st.integers(0, 5)),
    st.tuples(st.just("move"), st.integers(0, 5), st.integers(0, 5)),
    st.tuples(st.just("day"), st.none() | utc_datetimes),
    st.tuples(st.just("waive"), st.integers(0, 5), st.sampled_from(["event", "context"])),
    st.tuples(st.just("reload")),
)


def edited(pm: Postmortem, edit: tuple[Any, ...]) -> Postmortem:
    """``pm`` after ``edit``, as the session holds it after a save: a new document whose
    untouched entries are the same objects (a "reload" makes every entry anew)."""
    timeline = list(pm.timeline)
    kind = edit[0]
    if kind == "day":
        return pm.model_copy(update={"date_of_incident": edit[1]})
    if kind == "waive":
        waiver = Waiver(
            code="A-TIMELINE-JUDGING", path=f"timeline[{edit[1]}].{edit[2]}", reason="r"
        )
        return pm.model_copy(update={"waivers": [*pm.waivers, waiver]})
    if kind == "reload":
        timeline = [TimelineEntry.model_validate(e.model_dump()) for e in timeline]
    elif kind == "add":
        timeline.insert(min(edit[1], len(timeline)), TimelineEntry.model_validate(edit[2]))
    elif timeline and kind == "set":
        at = edit[1] % len(timeline)
        name, value = edit[2]
        timeline[at] = TimelineEntry.model_validate(timeline[at].model_dump() | {name: value})
    elif timeline and kind == "delete":
        del timeline[edit[1] % len(timeline)]
    elif timeline and kind == "move":
        entry = timeline.pop(edit[1] % len(timeline))
        timeline.insert(edit[2] % (len(timeline) + 1), entry)
    return pm.model_copy(update={"timeline": timeline})


def by_the_rules(pm: Postmortem, context: CheckContext) -> list[Finding]:
    """What ``check`` is defined to be: every finding, sorted, advisories waived."""
    gates = sorted(gate_findings(pm, context.now), key=finding_order)
    advisories = sorted(
        advisory_findings(pm, context.now, context.past, context.service), key=finding_order
    )
    return gates + apply_waivers(advisories, pm.waivers)


# T25: one edit on a long timeline re-checks one entry; the result is check()'s, exactly.
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(postmortems(max_items=3), st.lists(edits, max_size=8), st.sampled_from([0, 1, 8]))
def test_incremental_check_equals_check_after_every_edit(
    pm: Postmortem, sequence: list[tuple[Any, ...]], few: int
) -> None:
    """``few``: how many changed entries the memo patches in place (8 in the app; 0 and 1
    make the small documents here take the content lookup and the rebuild too)."""
    context = CheckContext(NOW)
    incremental = IncrementalCheck()
    with patch.object(TimelineMemo, "_FEW", few):
        assert incremental(pm, context) == check(pm, context) == by_the_rules(pm, context)
        for edit in sequence:
            pm = edited(pm, edit)
            expected = by_the_rules(pm, context)
            assert check(pm, context) == expected
            assert incremental(pm, context) == expected


def test_one_changed_entry_is_the_only_one_checked_again() -> None:
    """The memo is what makes an edit cheap: untouched entries keep their findings."""
    pm = Postmortem.model_validate(
        {
            "id": "INC-2026-0001",
            "timeline": [{"time": f"08:0{i}", "event": f"just e{i}"} for i in range(5)],
        }
    )
    incremental = IncrementalCheck()
    first = incremental(pm, CheckContext(NOW))
    pm = edited(pm, ("set", 1, ("event", "finally")))
    with patch.object(timeline_rules, "entry_findings", wraps=timeline_rules.entry_findings) as spy:
        second = incremental(pm, CheckContext(NOW))
    assert [c.args[0] for c in spy.call_args_list] == [1]
    assert second == check(pm, CheckContext(NOW))
    unchanged = [f for f in first if f.path.startswith(("timeline[0]", "timeline[2]"))]
    assert unchanged
    assert all(any(f is g for g in second) for f in unchanged)


def test_timeline_entries_cannot_change_in_place() -> None:
    """What lets the memo trust an entry it has seen: an edit makes a new one."""
    entry = TimelineEntry(time="08:00", event="e")
    with pytest.raises(ValidationError):
        entry.event = "changed"  # type: ignore[misc]
