"""Provides the timeline's rules entry by entry, and a memo that re-checks only changed entries.

A timeline can be an imported log of 10,000 lines, and the meeting re-checks the whole
document after every edit. Every timeline rule but one looks at a single entry: its
empty fields (G-TIMELINE-FIELD), "root cause" in its texts (G-ROOT-CAUSE), judging words
(A-TIMELINE-JUDGING) and a decision point without its context (A-DECISION-CONTEXT). Those
findings depend only on the entry's place and content (and, for its instant, the
incident's day), so a :class:`TimelineMemo` keeps them per entry and an edit re-checks the
entry it changed. The order gate (G-TIMELINE-ORDER) compares neighbours: it is worked out
again over the whole timeline when an edit changes an entry's instant (or adds, deletes
or moves one), from each entry's instant, which the memo keeps too.

:func:`timeline_findings` returns the findings in the order ``check`` reports them, so
``check`` sorts only the rest of the document and slots these in where the timeline's
paths go.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pmtui.domain.findings import (
    Finding,
    advisory,
    finding_order,
    gate,
    phrase_subject,
    root_cause_gate,
)
from pmtui.domain.lint import could_judge, judging_spans, root_cause_spans
from pmtui.domain.models import Postmortem, TimelineEntry
from pmtui.domain.scalars import timeline_time_of

_REQUIRED = (
    ("time", "when it happened (HH:MM on the incident's day, or a full timestamp)"),
    ("event", "what happened, as a fact"),
    ("source", "where the fact comes from (a log, an alert, a person)"),
)
_TEXTS = ("event", "source", "context")  # the entry's free text, as paths.text_fields walks it
_JUDGED = ("event", "context")

Instant = tuple[bool, dt.datetime]
"""(its form, the instant) of an entry's time: without an incident day a bare HH:MM and a
full timestamp are two forms, never compared with each other."""

EntryKey = tuple[int, dt.date | None, str, str, str, bool, str]


@dataclass(frozen=True, slots=True)
class EntryFindings:
    """What the rules find in one entry on its own, each part in the order ``check`` reports."""

    time_gates: tuple[Finding, ...]
    """G-TIMELINE-FIELD on the time: the order gate, when there is one, comes right after."""
    gates: tuple[Finding, ...]
    advisories: tuple[Finding, ...]
    instant: Instant | None


def _in_order(found: list[Finding]) -> tuple[Finding, ...]:
    # A stable sort, as check's own: findings at one place keep the order they were made in.
    return tuple(sorted(found, key=finding_order) if len(found) > 1 else found)


def entry_findings(
    index: int, entry: TimelineEntry, day: dt.date | None, *, judge: bool = True, root: bool = True
) -> EntryFindings:
    """The findings of ``entry`` at ``timeline[index]`` that need no other entry.

    ``judge=False`` skips the judging words and ``root=False`` the "root cause" ban: only
    for a caller that has seen that the whole timeline holds none (the result is then
    the same, found sooner).
    """
    time, event, source, context = entry.time, entry.event, entry.source, entry.context
    parsed = timeline_time_of(time, day) if time else None
    instant = None if parsed is None else (day is not None or "T" not in time, parsed)
    unasked = entry.decision_point and not context.strip()
    # Most entries of a long log have nothing to report: no list, no path built for them.
    if (
        time.strip()
        and event.strip()
        and source.strip()
        and not unasked
        and not (
            root
            and (root_cause_spans(event) or root_cause_spans(source) or root_cause_spans(context))
        )
        and not (judge and (judging_spans(event) or judging_spans(context)))
    ):
        return EntryFindings((), (), (), instant)
    base = f"timeline[{index}]"
    time_gates: list[Finding] = []
    gates: list[Finding] = []
    for name, hint in _REQUIRED:
        if not getattr(entry, name).strip():
            (time_gates if name == "time" else gates).append(
                gate("G-TIMELINE-FIELD", f"{base}.{name}", f"add {hint}")
            )
    for name in _TEXTS if root else ():
        for span in root_cause_spans(getattr(entry, name)):
            gates.append(root_cause_gate(f"{base}.{name}", span.phrase, (span.start, span.end)))
    advisories: list[Finding] = []
    for name in _JUDGED if judge else ():
        for span in judging_spans(getattr(entry, name)):
            advisories.append(
                advisory(
                    "A-TIMELINE-JUDGING",
                    f"{base}.{name}",
                    f'"{span.phrase}" interprets or judges: {span.suggestion}',
                    (span.start, span.end),
                    phrase_subject(span.phrase),
                )
            )
    if unasked:
        advisories.append(
            advisory(
                "A-DECISION-CONTEXT",
                f"{base}.context",
                'a decision point: ask "What information did you have at that moment?" '
                "and record the answer",
            )
        )
    return EntryFindings(tuple(time_gates), _in_order(gates), _in_order(advisories), instant)


def _order_gate(index: int, time: str, before: tuple[int, dt.datetime, str]) -> Finding:
    return gate(
        "G-TIMELINE-ORDER",
        f"timeline[{index}].time",
        f"{time} is earlier than timeline[{before[0]}] ({before[2]}): put the entries in the "
        "order they happened; a time after midnight needs its date (2026-01-15T00:10:00Z)",
    )


@dataclass
class _Checked:
    """The last timeline checked, entry by entry, and what was found in it."""

    entries: list[TimelineEntry]
    day: dt.date | None
    found: list[EntryFindings]
    orders: list[Finding | None]
    """The order gate of each entry, if any."""
    gates: list[Finding]
    advisories: list[Finding]
    gate_counts: list[int]
    advisory_counts: list[int]


class TimelineMemo:
    """What the last check found in each entry, to check only the entries that changed.

    An edit replaces the entry it changes and keeps the others (the session swaps the
    saved row into its document). An entry still at its place, the same object, is not
    checked again: entries are immutable (TimelineEntry is frozen), so the same object
    says the same thing. When a few entries changed and kept their times, the findings
    lists are patched where those entries' findings are, instead of being put together
    again. A document read again (new objects throughout) is matched on each entry's
    content.
    """

    _FEW = 8
    """Changed entries up to which the lists are patched; past it, the rest are looked
    up by content (a reload) and the lists put together again."""

    def __init__(self) -> None:
        self._last: _Checked | None = None

    def findings(self, pm: Postmortem) -> tuple[list[Finding], list[Finding]]:
        timeline, day = pm.timeline, pm.incident_day
        last = self._last
        if last is None:
            found = [entry_findings(i, entry, day) for i, entry in enumerate(timeline)]
            return self._assembled(timeline, day, found)
        found, changed = self._recalled(timeline, day, last)
        if (
            len(changed) <= self._FEW
            and len(timeline) == len(last.entries)
            and day == last.day
            and all(timeline[i].time == last.entries[i].time for i in changed)
        ):
            return self._patched(timeline, found, changed, last)
        return self._assembled(timeline, day, found)

    def _recalled(
        self, timeline: list[TimelineEntry], day: dt.date | None, last: _Checked
    ) -> tuple[list[EntryFindings], list[int]]:
        """Each entry's findings, recalled when it did not change; and which changed."""
        same_day = day == last.day
        kept, before = last.entries, last.found
        by_content: dict[EntryKey, EntryFindings] | None = None
        found: list[EntryFindings] = []
        changed: list[int] = []
        for index, entry in enumerate(timeline):
            if same_day and index < len(kept) and kept[index] is entry:
                found.append(before[index])
                continue
            changed.append(index)
            if by_content is None and len(changed) > self._FEW:
                by_content = {
                    _key(i, e, last.day): f
                    for i, (e, f) in enumerate(zip(kept, before, strict=True))
                }
            known = by_content.get(_key(index, entry, day)) if by_content else None
            found.append(known if known is not None else entry_findings(index, entry, day))
        return found, changed

    def _patched(
        self,
        timeline: list[TimelineEntry],
        found: list[EntryFindings],
        changed: list[int],
        last: _Checked,
    ) -> tuple[list[Finding], list[Finding]]:
        """The last lists with the changed entries' findings replaced.

        Their times are as they were, so the order gates are too (each names its own
        time and the time before it).
        """
        gates, advisories = last.gates, last.advisories
        for index in changed:
            entry, order = found[index], last.orders[index]
            mine = [*entry.time_gates, *([order] if order else ()), *entry.gates]
            at = sum(last.gate_counts[:index])
            gates[at : at + last.gate_counts[index]] = mine
            last.gate_counts[index] = len(mine)
            at = sum(last.advisory_counts[:index])
            advisories[at : at + last.advisory_counts[index]] = entry.advisories
            last.advisory_counts[index] = len(entry.advisories)
        last.entries, last.found = list(timeline), found
        return list(gates), list(advisories)

    def _assembled(
        self, timeline: list[TimelineEntry], day: dt.date | None, found: list[EntryFindings]
    ) -> tuple[list[Finding], list[Finding]]:
        gates, advisories, orders = _assemble(timeline, found)
        self._last = _Checked(
            list(timeline),
            day,
            found,
            orders,
            gates,
            advisories,
            [
                len(f.time_gates) + (o is not None) + len(f.gates)
                for f, o in zip(found, orders, strict=True)
            ],
            [len(f.advisories) for f in found],
        )
        return list(gates), list(advisories)


def _key(index: int, entry: TimelineEntry, day: dt.date | None) -> EntryKey:
    return (index, day, entry.time, entry.event, entry.source, entry.decision_point, entry.context)


def _assemble(
    timeline: list[TimelineEntry], per_entry: list[EntryFindings]
) -> tuple[list[Finding], list[Finding], list[Finding | None]]:
    """The entries' findings in check order, the order gates worked out between them."""
    gates: list[Finding] = []
    advisories: list[Finding] = []
    orders: list[Finding | None] = []
    previous: dict[bool, tuple[int, dt.datetime, str]] = {}
    for index, (entry, found) in enumerate(zip(timeline, per_entry, strict=True)):
        gates.extend(found.time_gates)
        order = None
        if found.instant is not None:
            form, instant = found.instant
            before = previous.get(form)
            if before is not None and instant < before[1]:
                order = _order_gate(index, entry.time, before)
                gates.append(order)
            previous[form] = (index, instant, entry.time)
        orders.append(order)
        gates.extend(found.gates)
        advisories.extend(found.advisories)
    return gates, advisories, orders


def timeline_findings(
    pm: Postmortem, memo: TimelineMemo | None = None
) -> tuple[list[Finding], list[Finding]]:
    """The timeline's gates and advisories (but G-TIMELINE-EMPTY), each in check order.

    With a ``memo``, only the entries that changed since its last check are checked.
    """
    if memo is not None:
        return memo.findings(pm)
    # One look at the whole timeline first: most timelines have nothing to judge and
    # no "root cause". NUL never survives clean_text: no match spans two fields.
    texts = "\x00".join(f"{e.event}\x00{e.source}\x00{e.context}" for e in pm.timeline)
    judge, root = could_judge(texts), bool(root_cause_spans(texts))
    day = pm.incident_day
    per_entry = [
        entry_findings(i, entry, day, judge=judge, root=root) for i, entry in enumerate(pm.timeline)
    ]
    gates, advisories, _ = _assemble(pm.timeline, per_entry)
    return gates, advisories
