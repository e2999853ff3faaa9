"""Provides the gates: the rules that block completion and cannot be waived.

An **incident** needs: title, severity, incident and restoration times, a facilitator and
at least one participant; dates in order and not in the future; the norms statement
recorded; the past-incident search run; a timeline of complete entries in order; at
least two contributing factors, each with a why-chain that ends at a systemic property
and links a ready action item or a complete deferral; every action item with exactly one
owner, a real due date, a ticket and a priority; what helped and what hurt; and the
phrase "root cause" nowhere.

A **near-miss** is a lightweight write-up of the same shape. It keeps what makes it a
lesson (a title, when it happened, a timeline of facts, what helped, at least **one**
contributing factor whose chain ends in an owned change or a deferral, ready action
items, no "root cause") and drops what belongs to an incident meeting: severity,
restoration time, facilitator, participants, norms, past-incident search, what hurt.

The why-chain and action item gates live in :mod:`pmtui.domain.chains`.
"""

from __future__ import annotations

import datetime as dt

from pmtui.domain.chains import action_item_gates, factor_gates
from pmtui.domain.findings import Finding, gate, root_cause_gate
from pmtui.domain.lint import root_cause_spans
from pmtui.domain.models import Postmortem
from pmtui.domain.paths import text_fields, text_values
from pmtui.domain.timeline_rules import timeline_findings

_REQUIRED_INCIDENT: tuple[tuple[str, str], ...] = (
    ("title", "give the postmortem a title that says what users saw"),
    ("severity", "set the severity (SEV-1 to SEV-4): it decides the deadlines and budget impact"),
    ("date_of_incident", "record when the incident started, in UTC (2026-01-14T14:32:00Z)"),
    ("facilitator", "name a facilitator who was not directly involved in the incident"),
    ("participants", "add the participants, each with a role"),
    (
        "date_restored",
        "record when service was restored, in UTC: the meeting and publication deadlines "
        "count from it",
    ),
)
_REQUIRED_NEAR_MISS: tuple[tuple[str, str], ...] = (
    ("title", "give the near-miss a title that says what almost happened"),
    ("date_of_incident", "record when it happened, in UTC (2026-01-14T14:32:00Z)"),
)


def _required(pm: Postmortem, lightweight: bool) -> list[Finding]:
    found = []
    for name, message in _REQUIRED_NEAR_MISS if lightweight else _REQUIRED_INCIDENT:
        value = getattr(pm, name)
        if value is None or value == [] or (isinstance(value, str) and not value.strip()):
            found.append(gate("G-REQUIRED", name, message))
    for i, person in enumerate(pm.participants):
        if not person.name.strip():
            found.append(
                gate("G-REQUIRED", f"participants[{i}].name", "name the participant or remove it")
            )
    return found


def _show(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def _dates(pm: Postmortem, now: dt.datetime) -> list[Finding]:
    found = []
    start, restored, published = pm.date_of_incident, pm.date_restored, pm.date_published
    if start is not None and restored is not None and restored < start:
        found.append(
            gate(
                "G-DATE-ORDER",
                "date_restored",
                f"restoration ({_show(restored)}) is before the incident started "
                f"({_show(start)}): correct one of them",
            )
        )
    meeting = pm.date_of_postmortem
    if meeting is not None and start is not None and meeting < start.date():
        found.append(
            gate(
                "G-DATE-ORDER",
                "date_of_postmortem",
                f"the meeting ({_show(meeting)}) is before the incident ({_show(start.date())}): "
                "correct the meeting date",
            )
        )
    floor = restored or start
    if published is not None and floor is not None and published < floor:
        what = "restoration" if restored is not None else "the incident"
        found.append(
            gate(
                "G-DATE-ORDER",
                "date_published",
                f"publication ({_show(published)}) is before {what} ({_show(floor)}): "
                "correct the publication date",
            )
        )
    for name in ("date_of_incident", "date_restored", "date_published"):
        value = getattr(pm, name)
        if value is not None and value > now:
            found.append(
                gate(
                    "G-DATE-FUTURE",
                    name,
                    f"{_show(value)} is in the future: record the time it actually happened",
                )
            )
    if meeting is not None and meeting > now.date():
        found.append(
            gate(
                "G-DATE-FUTURE",
                "date_of_postmortem",
                f"the meeting date {_show(meeting)} is in the future: complete the postmortem "
                "once the meeting has been held",
            )
        )
    return found


def _meeting_steps(pm: Postmortem) -> list[Finding]:
    found = []
    if pm.norms_read_at is None:
        found.append(
            gate(
                "G-NORMS",
                "norms_read_at",
                'read the opening statement aloud and record it: "We are here to understand '
                "what the system did. We are not evaluating anyone's performance.\"",
            )
        )
    if pm.past_incidents_searched_at is None:
        found.append(
            gate(
                "G-PAST-SEARCH",
                "past_incidents_searched_at",
                "search past postmortems by failure class, service and words, and link what "
                "matches (an earlier action item may never have been done)",
            )
        )
    return found


def _timeline_empty(pm: Postmortem) -> list[Finding]:
    # Each entry's gates are the timeline's own rules (pmtui.domain.timeline_rules).
    if pm.timeline:
        return []
    return [
        gate(
            "G-TIMELINE-EMPTY",
            "timeline",
            "add the timeline: what happened, when, and where the fact comes from",
        )
    ]


def _facts(pm: Postmortem, lightweight: bool) -> list[Finding]:
    found = []
    if not any(fact.strip() for fact in pm.what_helped):
        found.append(
            gate(
                "G-HELPED-EMPTY",
                "what_helped",
                "record what helped: the tooling and practice that limited the damage",
            )
        )
    if not lightweight and not any(fact.strip() for fact in pm.what_hurt):
        found.append(
            gate(
                "G-HURT-EMPTY",
                "what_hurt",
                "record what hurt: what delayed detection or response",
            )
        )
    return found


def _root_cause(pm: Postmortem) -> list[Finding]:
    """G-ROOT-CAUSE outside the timeline (its entries are checked one by one)."""
    # One scan of those texts first; paths only when the phrase is there. NUL never
    # survives clean_text, so no match can span two fields.
    if not root_cause_spans("\x00".join(text_values(pm, timeline=False))):
        return []
    return [
        root_cause_gate(path, span.phrase, (span.start, span.end))
        for path, text in text_fields(pm, timeline=False)
        for span in root_cause_spans(text)
    ]


def document_gates(pm: Postmortem, now: dt.datetime) -> list[Finding]:
    """Every gate that fails for ``pm`` at ``now`` but those of single timeline entries."""
    lightweight = pm.kind == "near-miss"
    day = pm.incident_day
    items: list[Finding] = []
    ready: set[str] = set()
    for index, item in enumerate(pm.action_items):
        problems = action_item_gates(item, index, day)
        if not problems:
            ready.add(item.id)
        items.extend(problems)
    found = _required(pm, lightweight)
    found.extend(_dates(pm, now))
    if not lightweight:
        found.extend(_meeting_steps(pm))
    found.extend(_timeline_empty(pm))
    found.extend(factor_gates(pm, lightweight, ready))
    found.extend(_facts(pm, lightweight))
    found.extend(items)
    found.extend(_root_cause(pm))
    return found


def gate_findings(pm: Postmortem, now: dt.datetime) -> list[Finding]:
    """Every gate that fails for ``pm`` at ``now``, grouped by rule (not yet sorted)."""
    return document_gates(pm, now) + timeline_findings(pm)[0]
