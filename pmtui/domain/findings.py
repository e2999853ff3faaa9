"""Provides the Finding a rule reports, the table of finding codes, waivers and renderers.

A finding's ``key`` is ``code@path``, or ``code@path#subject`` when several findings of
one code can share a path: the subject says which (a recurrence's past postmortem and
action item, ``INC-2025-0804/A1``; a text finding's phrase, ``finally``). A waiver's
``path`` names what it covers the same way: ``path#subject`` covers exactly that
finding; a bare ``path`` (every waiver written before subjects existed) covers every
finding of its code at that path; an empty path covers every finding of its code.
Only advisories can be waived: a waiver naming a gate changes nothing (the rules report
it as A-WAIVER-GATE).

Paths hold list positions (``action_items[2]``), so when an item is inserted, moved or
deleted the waivers that point into that list must move with it: :func:`moved_path`
and :func:`retarget_waivers` say how, for the store and for anyone editing a whole
document.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from pmtui.domain.paths import path_order
from pmtui.domain.scalars import format_timestamp

if TYPE_CHECKING:
    from pmtui.domain.models import Waiver

Level = Literal["gate", "advisory"]

CODES: dict[str, tuple[Level, str]] = {
    # Gates, in the order a facilitator meets them.
    "G-REQUIRED": ("gate", "a required field is empty"),
    "G-DATE-ORDER": ("gate", "a date comes before the date it must follow"),
    "G-DATE-FUTURE": ("gate", "a date that must be past is after now"),
    "G-NORMS": ("gate", "the norms statement was not recorded as read"),
    "G-PAST-SEARCH": ("gate", "the past-incident search was not run"),
    "G-TIMELINE-EMPTY": ("gate", "the timeline has no entry"),
    "G-TIMELINE-FIELD": ("gate", "a timeline entry lacks its time, event or source"),
    "G-TIMELINE-ORDER": ("gate", "a timeline entry is earlier than the one before it"),
    "G-FACTORS-MIN": ("gate", "fewer than two contributing factors (one for a near-miss)"),
    "G-FACTOR-EMPTY": ("gate", "a contributing factor has no description"),
    "G-CHAIN-WHYS": ("gate", "a contributing factor has no answered why"),
    "G-WHY-ANSWER": ("gate", "a why step has no answer"),
    "G-CHAIN-OPEN": ("gate", "a why-chain does not end at a systemic property"),
    "G-CHAIN-ACTION": ("gate", "a why-chain links no ready action item and no deferral"),
    "G-DEFERRAL-FIELD": ("gate", "a deferral lacks its reason, decider or review date"),
    "G-ACTION-DESCRIPTION": ("gate", "an action item has no description"),
    "G-OWNER-ONE": ("gate", "an action item does not have exactly one owner"),
    "G-ACTION-DUE": ("gate", "an action item has no real due date on or after the incident"),
    "G-ACTION-TICKET": ("gate", "an action item has no ticket"),
    "G-ACTION-PRIORITY": ("gate", "an action item has no priority"),
    "G-HELPED-EMPTY": ("gate", "what helped is empty"),
    "G-HURT-EMPTY": ("gate", "what hurt is empty"),
    "G-ROOT-CAUSE": ("gate", 'the phrase "root cause" appears'),
    # Advisories.
    "A-TIMELINE-JUDGING": ("advisory", "an interpretive or judging word in the timeline"),
    "A-DECISION-CONTEXT": ("advisory", "a decision point without the information the person had"),
    "A-BLAME": ("advisory", "a factor or why-answer stops at a person"),
    "A-ACTION-VAGUE": ("advisory", "a vague action item with no concrete target"),
    "A-FACILITATOR-INVOLVED": ("advisory", "the facilitator was directly involved"),
    "A-ATTENDEE-LEAD": ("advisory", "a SEV-1/2 meeting without the service's team lead"),
    "A-ATTENDEE-PO": ("advisory", "a SEV-1/2 meeting without a product owner"),
    "A-MEETING-LATE": ("advisory", "the meeting is later than the severity policy allows"),
    "A-PUBLISH-LATE": ("advisory", "publication is later than the severity policy allows"),
    "A-RECURRENCE": ("advisory", "a past incident of the same failure class has undone actions"),
    "A-WAIVER-GATE": ("advisory", "a waiver names a gate, which cannot be waived"),
}


def is_gate_code(code: str) -> bool:
    """True for a gate's code; unknown codes starting with ``G-`` count as gates too."""
    known = CODES.get(code)
    return known[0] == "gate" if known else code.startswith("G-")


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """One thing a rule found: where (``path``, ``span``), what (``code``), what to do."""

    code: str
    level: Level
    message: str
    path: str
    span: tuple[int, int] | None = None
    """For a text finding, ``text[start:end]`` of the field at ``path``."""
    waiver: Waiver | None = None
    subject: str = ""
    """Which one of the findings of this code at this path (see the module docstring)."""

    @property
    def waiver_path(self) -> str:
        """What a waiver of exactly this finding stores as its path: ``path[#subject]``."""
        return f"{self.path}#{self.subject}" if self.subject else self.path

    @property
    def key(self) -> str:
        """``code@path[#subject]``: what a waiver matches on, stable while the text is edited."""
        return f"{self.code}@{self.waiver_path}"

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    @property
    def blocking(self) -> bool:
        return self.level == "gate" or self.waiver is None

    def to_dict(self) -> dict[str, Any]:
        waiver = None
        if self.waiver is not None:
            waiver = {
                "reason": self.waiver.reason,
                "waived_by": self.waiver.waived_by,
                "waived_at": format_timestamp(self.waiver.waived_at)
                if self.waiver.waived_at
                else None,
            }
        return {
            "code": self.code,
            "level": self.level,
            "message": self.message,
            "path": self.path,
            "span": list(self.span) if self.span else None,
            "subject": self.subject or None,
            "key": self.key,
            "waived": waiver,
        }


def gate(code: str, path: str, message: str, span: tuple[int, int] | None = None) -> Finding:
    return Finding(code, "gate", message, path, span)


def advisory(
    code: str, path: str, message: str, span: tuple[int, int] | None = None, subject: str = ""
) -> Finding:
    return Finding(code, "advisory", message, path, span, subject=subject)


def root_cause_gate(path: str, phrase: str, span: tuple[int, int]) -> Finding:
    """G-ROOT-CAUSE for ``phrase`` at ``span`` of the text at ``path``."""
    return gate(
        "G-ROOT-CAUSE",
        path,
        f'"{phrase}": the phrase is banned; write "contributing factor" (there is never only one)',
        span,
    )


def phrase_subject(phrase: str) -> str:
    """A text finding's subject: its phrase, however it was cased or spaced."""
    return " ".join(phrase.lower().replace("’", "'").split())


def finding_order(finding: Finding) -> tuple[tuple[int, ...], int]:
    """The key ``check`` sorts by: document order, then where in its text."""
    return path_order(finding.path), finding.span[0] if finding.span else -1


def waiver_matches(waiver: Waiver, finding: Finding) -> bool:
    if waiver.code != finding.code:
        return False
    if not waiver.path:
        return True
    path, _, subject = waiver.path.partition("#")
    return path == finding.path and (not subject or subject == finding.subject)


def apply_waivers(findings: Iterable[Finding], waivers: Sequence[Waiver]) -> list[Finding]:
    """Attach to each advisory the first waiver that matches it; gates stay as they are."""
    if not waivers:
        return list(findings)
    result = []
    for finding in findings:
        if finding.level == "advisory":
            match = next((w for w in waivers if waiver_matches(w, finding)), None)
            if match is not None:
                finding = dataclasses.replace(finding, waiver=match)
        result.append(finding)
    return result


def moved_path(path: str, prefix: str, moved: Sequence[int | None], added: int = 0) -> str | None:
    """``path`` after the list at ``prefix`` changed, or None when its item was deleted.

    Args:
        path: a path into the document (a waiver's, ``#subject`` included).
        prefix: the list that changed: ``action_items``, ``contributing_factors[1].whys``.
        moved: for each old position, the item's new position (None: deleted).
        added: how many items the list gained (negative when it lost some); a path
            beyond the old end moves by this much, so it stays beyond the new end.

    Paths outside the list, and the list's own path (``participants``), are unchanged.
    """
    if not path.startswith(prefix + "["):
        return path
    match = _INDEX.match(path, len(prefix))
    if match is None:
        return path
    old = int(match[1])
    new = moved[old] if old < len(moved) else old + added
    if new is None:
        return None
    return f"{prefix}[{new}]{path[match.end() :]}"


# "[3]" right after the list's path, then the end, a field, an index or a subject.
_INDEX = re.compile(r"\[(\d+)\](?=$|[.\[#])")


def retarget_paths(
    paths: Sequence[str], prefix: str, moved: Sequence[int | None], added: int = 0
) -> list[str | None]:
    """The waivers' ``paths`` after the list at ``prefix`` changed; None for a dropped one.

    ``paths`` are the document's waivers in order, as they stand after the change (when
    the change deleted a waiver, without it). A waiver of a deleted item is dropped, and
    then the waivers that pointed at a dropped waiver (``waivers[2].code``) with it.
    """
    result: list[str | None] = [moved_path(p, prefix, moved, added) for p in paths]
    alive = list(range(len(paths)))
    while True:
        survivors = [i for i in alive if result[i] is not None]
        if len(survivors) == len(alive):
            return result
        # Dropping waivers moves the later ones up: the waiver list itself changed.
        rank = {i: position for position, i in enumerate(survivors)}
        positions = [rank.get(i) for i in alive]
        lost = len(survivors) - len(alive)
        for i in survivors:
            result[i] = moved_path(result[i] or "", "waivers", positions, lost)
        alive = survivors


def retarget_waivers(
    waivers: Sequence[Waiver], prefix: str, moved: Sequence[int | None], added: int = 0
) -> list[Waiver]:
    """The document's waivers after the list at ``prefix`` changed (:func:`retarget_paths`)."""
    paths = retarget_paths([w.path for w in waivers], prefix, moved, added)
    return [
        waiver if path == waiver.path else waiver.model_copy(update={"path": path})
        for waiver, path in zip(waivers, paths, strict=True)
        if path is not None
    ]


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """What stands between the document and completion: gates and unwaived advisories."""
    return [f for f in findings if f.blocking]


def can_complete(findings: Iterable[Finding]) -> bool:
    return not blocking(findings)


def findings_to_dict(findings: Sequence[Finding]) -> dict[str, Any]:
    """A JSON-friendly summary: counts, whether completion is possible, every finding."""
    blockers = blocking(findings)
    return {
        "can_complete": not blockers,
        "gates": sum(1 for f in findings if f.level == "gate"),
        "advisories": sum(1 for f in findings if f.level == "advisory"),
        "waived": sum(1 for f in findings if f.waived),
        "blocking": len(blockers),
        "findings": [f.to_dict() for f in findings],
    }


def _excerpt(text: str, span: tuple[int, int]) -> str:
    return text[span[0] : span[1]]


def render_findings(
    findings: Sequence[Finding],
    texts: dict[str, str] | None = None,
    title: str = "",
    status: str = "",
) -> str:
    """Plain text for the CLI: a headline, then one line per finding.

    Args:
        findings: as returned by :func:`pmtui.domain.rules.check`.
        texts: optional ``path -> field text`` so that spans print as the words they cover.
        title: printed before the headline (usually the postmortem's id).
        status: the postmortem's; one complete or published already is not "ready to
            complete" but passing.
    """
    blockers = blocking(findings)
    gates = sum(1 for f in findings if f.level == "gate")
    advisories = len(findings) - gates
    waived = sum(1 for f in findings if f.waived)
    if blockers:
        verdict = f"blocked by {len(blockers)}"
    elif status in ("complete", "published"):
        verdict = f"{status}, passes every gate"
    else:
        verdict = "ready to complete"
    head = f"{gates} gate{'s' * (gates != 1)}, "
    head += f"{advisories} advisor{'ies' if advisories != 1 else 'y'}"
    if waived:
        head += f" ({waived} waived)"
    lines = [f"{title + ': ' if title else ''}{head}: {verdict}"]
    width = max((len(f.code) for f in findings), default=0)
    for finding in findings:
        label = "waived" if finding.waived else finding.level
        where = finding.path or "(document)"
        if finding.span is not None:
            text = (texts or {}).get(finding.path)
            shown = f' "{_excerpt(text, finding.span)}"' if text is not None else ""
            where += f" [{finding.span[0]}:{finding.span[1]}]{shown}"
        line = f"  {label:<8} {finding.code:<{width}}  {where}: {finding.message}"
        if finding.waiver is not None:
            line += f" (waived: {finding.waiver.reason})"
        lines.append(line)
    return "\n".join(lines)
