"""Provides the advisories: rules shown as you type, to be fixed or waived with a reason.

Decisions where the brief is silent:

- Judging words are looked for in a timeline entry's ``event`` and ``context``; blame in
  a factor's description and its why-answers; quoted text is never judged.
- The service's team lead is a participant whose name or role says team lead / tech lead,
  or says "lead" together with the postmortem's team, its service or the service's team
  ("payments-lead"). A product owner says product owner / product manager / PO. Both are
  expected at a SEV-1/2 meeting, so each missing one is its own advisory.
- A recurrence is a postmortem from ``context.past``, earlier than this one, sharing a
  failure class, with an action item not done whose due date (if any) had passed by this
  incident: it was never completed. Linking that postmortem in ``related_incidents``
  records the relation but does not clear the advisory: the team decides where the
  undone change went and waives it with that reason.
- A decision point without its context (A-DECISION-CONTEXT) is an advisory too: the
  meeting's question at a decision point is "what information did you have?".
- Findings that can share a path carry a subject, so that a waiver names exactly one:
  a recurrence its past postmortem and item (``INC-2025-0804/A1``), a judging word or
  a blame its phrase (``finally``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from pmtui.domain.findings import Finding, advisory, is_gate_code, phrase_subject
from pmtui.domain.lint import blame_spans, could_blame, vague_span
from pmtui.domain.models import Postmortem, Service
from pmtui.domain.severity import (
    meeting_deadline,
    meeting_state,
    policy_for,
    publication_deadline,
    publication_state,
)
from pmtui.domain.timeline_rules import timeline_findings
from pmtui.domain.vocabulary import PRODUCT_OWNER_WORDS, TEAM_LEAD_WORDS


def _words(phrases: Sequence[str]) -> re.Pattern[str]:
    normal = sorted({_normal(p) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, normal)) + r")(?![a-z0-9])")


_SEPARATORS = str.maketrans("-_./@", "     ")


def _normal(text: str) -> str:
    return " ".join(text.lower().translate(_SEPARATORS).split())


_TEAM_LEAD = _words(TEAM_LEAD_WORDS)
_PRODUCT_OWNER = _words(PRODUCT_OWNER_WORDS)
_LEAD = re.compile(r"(?<![a-z0-9])lead(?![a-z0-9])")


def _blame(pm: Postmortem) -> list[Finding]:
    found: list[Finding] = []
    texts = [f.description for f in pm.contributing_factors]
    texts.extend(w.answer for f in pm.contributing_factors for w in f.whys)
    if not could_blame("\x00".join(texts)):
        return found
    people = [p.name for p in pm.participants]
    if pm.facilitator:
        people.append(pm.facilitator)
    for i, factor in enumerate(pm.contributing_factors):
        base = f"contributing_factors[{i}]"
        texts = [(f"{base}.description", factor.description)]
        texts.extend((f"{base}.whys[{j}].answer", w.answer) for j, w in enumerate(factor.whys))
        for path, text in texts:
            for span in blame_spans(text, people):
                found.append(
                    advisory(
                        "A-BLAME",
                        path,
                        f'"{span.phrase}" stops at a person: {span.suggestion}',
                        (span.start, span.end),
                        phrase_subject(span.phrase),
                    )
                )
    return found


def _vague(pm: Postmortem) -> list[Finding]:
    found = []
    for i, item in enumerate(pm.action_items):
        span = vague_span(item.description)
        if span is not None:
            found.append(
                advisory(
                    "A-ACTION-VAGUE",
                    f"action_items[{i}].description",
                    f'"{span.phrase}": {span.suggestion}',
                    (span.start, span.end),
                )
            )
    return found


def _people(pm: Postmortem, service: Service | None) -> list[Finding]:
    found = []
    facilitator = _normal(pm.facilitator)
    for i, person in enumerate(pm.participants):
        if facilitator and _normal(person.name) == facilitator and person.directly_involved:
            found.append(
                advisory(
                    "A-FACILITATOR-INVOLVED",
                    f"participants[{i}].directly_involved",
                    f"{pm.facilitator} facilitates and was directly involved: appoint a "
                    "facilitator who was not, so that nobody has to judge their own account",
                )
            )
    if pm.kind != "incident" or pm.severity not in ("SEV-1", "SEV-2"):
        return found
    teams = {_normal(t) for t in (pm.team, pm.service, service.team if service else "") if t}
    others = [p for p in pm.participants if not facilitator or _normal(p.name) != facilitator]
    lead = po = False
    for person in others:
        text = _normal(f"{person.name} {person.role}")
        po = po or _PRODUCT_OWNER.search(text) is not None
        lead = lead or _TEAM_LEAD.search(text) is not None
        if not lead and _LEAD.search(text):
            lead = _normal(person.role) == "lead" or any(team in text for team in teams)
    who = pm.team or pm.service or "the service"
    if not lead:
        found.append(
            advisory(
                "A-ATTENDEE-LEAD",
                "participants",
                f"a {pm.severity} needs {who}'s team lead in the room: they know why the system "
                "was designed the way it was",
            )
        )
    if not po:
        found.append(
            advisory(
                "A-ATTENDEE-PO",
                "participants",
                f"a {pm.severity} is customer-impacting: invite a product owner",
            )
        )
    return found


def _stamp(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _deadlines(pm: Postmortem, now: dt.datetime) -> list[Finding]:
    policy = policy_for(pm)
    if policy is None:
        return []
    found = []
    state = meeting_state(pm, now)
    deadline = meeting_deadline(pm)
    if deadline is not None and state in ("late", "overdue"):
        held = (
            f"the meeting is on {pm.date_of_postmortem.isoformat()}"
            if pm.date_of_postmortem is not None
            else "no meeting has been held"
        )
        found.append(
            advisory(
                "A-MEETING-LATE",
                "date_of_postmortem",
                f"a {pm.severity} meeting is due within {policy.meeting_text} (by "
                f"{_stamp(deadline)}) and {held}: hold it as soon as possible, or waive with "
                "the reason",
            )
        )
    state = publication_state(pm, now)
    deadline = publication_deadline(pm)
    if deadline is not None and state in ("late", "overdue"):
        when = (
            f"it was published {_stamp(pm.date_published)}"
            if pm.date_published is not None
            else "it is not published yet"
        )
        found.append(
            advisory(
                "A-PUBLISH-LATE",
                "date_published",
                f"a {pm.severity} postmortem is due for publication within "
                f"{policy.publish_deadline_text} of restoration (by {_stamp(deadline)}) and "
                f"{when}: publish it, or waive with the reason",
            )
        )
    return found


def _recurrence(pm: Postmortem, past: Sequence[Postmortem], now: dt.datetime) -> list[Finding]:
    classes: dict[str, int] = {}
    for index, slug in enumerate(pm.failure_classes):
        classes.setdefault(slug, index)
    if not classes:
        return []
    cutoff = pm.incident_day or now.date()
    found = []
    for other in past:
        if other.id == pm.id:
            continue
        if (
            pm.date_of_incident is not None
            and other.date_of_incident is not None
            and other.date_of_incident >= pm.date_of_incident
        ):
            continue
        # This document's first class the other shares: adding a class never moves it.
        shared_at = [classes[slug] for slug in other.failure_classes if slug in classes]
        if not shared_at:
            continue
        index = min(shared_at)
        shared = pm.failure_classes[index]
        for item in other.action_items:
            if item.status == "done" or (item.due is not None and item.due > cutoff):
                continue
            what = item.description.strip() or item.id
            found.append(
                advisory(
                    "A-RECURRENCE",
                    f"failure_classes[{index}]",
                    f'{other.id} action "{what}" was never completed (same failure class '
                    f"{shared}): carry its change into an owned, dated action item here, "
                    "then waive this advisory naming that item",
                    # Which undone item: two of them share this path.
                    subject=f"{other.id}/{item.id}" if item.id else other.id,
                )
            )
    return found


def _waivers(pm: Postmortem) -> list[Finding]:
    return [
        advisory(
            "A-WAIVER-GATE",
            f"waivers[{i}].code",
            f"{waiver.code} is a gate and cannot be waived: fix what it points to and remove "
            "this waiver",
        )
        for i, waiver in enumerate(pm.waivers)
        if is_gate_code(waiver.code)
    ]


def document_advisories(
    pm: Postmortem,
    now: dt.datetime,
    past: Sequence[Postmortem] = (),
    service: Service | None = None,
) -> list[Finding]:
    """Every advisory raised for ``pm`` at ``now`` but those of single timeline entries."""
    found = _blame(pm)
    found.extend(_vague(pm))
    found.extend(_people(pm, service))
    found.extend(_deadlines(pm, now))
    found.extend(_recurrence(pm, past, now))
    found.extend(_waivers(pm))
    return found


def advisory_findings(
    pm: Postmortem,
    now: dt.datetime,
    past: Sequence[Postmortem] = (),
    service: Service | None = None,
) -> list[Finding]:
    """Every advisory raised for ``pm`` at ``now`` (not yet sorted, not yet waived)."""
    return timeline_findings(pm)[1] + document_advisories(pm, now, past, service)
