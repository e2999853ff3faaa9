"""T25: the meeting's incremental check equals a full ``check`` after any sequence of edits.

The session re-checks a long timeline entry by entry (:class:`IncrementalCheck` keeps each
entry's findings by its place and content). Whatever the edits — a field changed, an entry
added, deleted or moved, the incident's day changed, a waiver added — its result must be
exactly what ``check`` says of the document, and what the rules say before ``check``
orders them (``gate_findings`` and ``advisory_findings``, sorted together).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmtui.domain.advisories import advisory_findings
from pmtui.domain.findings import Finding, apply_waivers, finding_order
from pmtui.domain.gates import gate_findings
from pmtui.domain.models import Postmortem, TimelineEntry, Waiver
from pmtui.domain.rules import CheckContext, IncrementalCheck, check
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
)


def edited(pm: Postmortem, edit: tuple[Any, ...]) -> Postmortem:
    """``pm`` after ``edit``, as a new document (what a reload after a save gives)."""
    timeline = [e.model_dump() for e in pm.timeline]
    kind = edit[0]
    if kind == "day":
        return pm.model_copy(update={"date_of_incident": edit[1]})
    if kind == "waive":
        waiver = Waiver(
            code="A-TIMELINE-JUDGING", path=f"timeline[{edit[1]}].{edit[2]}", reason="r"
        )
        return pm.model_copy(update={"waivers": [*pm.waivers, waiver]})
    if kind == "add":
        timeline.insert(min(edit[1], len(timeline)), edit[2])
    elif timeline and kind == "set":
        name, value = edit[2]
        timeline[edit[1] % len(timeline)][name] = value
    elif timeline and kind == "delete":
        del timeline[edit[1] % len(timeline)]
    elif timeline and kind == "move":
        entry = timeline.pop(edit[1] % len(timeline))
        timeline.insert(edit[2] % (len(timeline) + 1), entry)
    return pm.model_copy(update={"timeline": [TimelineEntry.model_validate(e) for e in timeline]})


def by_the_rules(pm: Postmortem, context: CheckContext) -> list[Finding]:
    """What ``check`` is defined to be: every finding, sorted, advisories waived."""
    gates = sorted(gate_findings(pm, context.now), key=finding_order)
    advisories = sorted(
        advisory_findings(pm, context.now, context.past, context.service), key=finding_order
    )
    return gates + apply_waivers(advisories, pm.waivers)


# T25: one edit on a long timeline re-checks one entry; the result is check()'s, exactly.
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(postmortems(max_items=3), st.lists(edits, max_size=8))
def test_incremental_check_equals_check_after_every_edit(
    pm: Postmortem, sequence: list[tuple[Any, ...]]
) -> None:
    context = CheckContext(NOW)
    incremental = IncrementalCheck()
    assert incremental(pm, context) == check(pm, context) == by_the_rules(pm, context)
    for edit in sequence:
        pm = edited(pm, edit)
        expected = by_the_rules(pm, context)
        assert check(pm, context) == expected
        assert incremental(pm, context) == expected


def test_an_unchanged_entry_is_not_checked_again() -> None:
    """The memo is what makes an edit cheap: untouched entries keep their findings."""
    pm = Postmortem.model_validate(
        {
            "id": "INC-2026-0001",
            "timeline": [{"time": f"08:0{i}", "event": f"just e{i}"} for i in range(3)],
        }
    )
    incremental = IncrementalCheck()
    first = incremental(pm, CheckContext(NOW))
    pm = edited(pm, ("set", 1, ("event", "finally")))
    second = incremental(pm, CheckContext(NOW))
    assert second == check(pm, CheckContext(NOW))
    unchanged = [f for f in first if f.path.startswith(("timeline[0]", "timeline[2]"))]
    assert unchanged
    assert all(any(f is g for g in second) for f in unchanged)
    assert not any(f is g for f in first for g in second if g.path.startswith("timeline[1]"))
