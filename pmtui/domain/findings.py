"""Provides the Finding a rule reports, the table of finding codes, waivers and renderers.

A finding's ``key`` is ``code@path``; a waiver matches a finding on its code and its path,
and a waiver with an empty path covers every finding of that code. Only advisories can
be waived: a waiver naming a gate changes nothing (the rules report it as A-WAIVER-GATE).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pmtui.domain.models import Waiver
from pmtui.domain.types import format_timestamp

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

    @property
    def key(self) -> str:
        """``code@path``: what a waiver matches on, stable while the text is edited."""
        return f"{self.code}@{self.path}"

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
            "key": self.key,
            "waived": waiver,
        }


def gate(code: str, path: str, message: str, span: tuple[int, int] | None = None) -> Finding:
    return Finding(code, "gate", message, path, span)


def advisory(code: str, path: str, message: str, span: tuple[int, int] | None = None) -> Finding:
    return Finding(code, "advisory", message, path, span)


def waiver_matches(waiver: Waiver, finding: Finding) -> bool:
    return waiver.code == finding.code and waiver.path in ("", finding.path)


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
    findings: Sequence[Finding], texts: dict[str, str] | None = None, title: str = ""
) -> str:
    """Plain text for the CLI: a headline, then one line per finding.

    Args:
        findings: as returned by :func:`pmtui.domain.rules.check`.
        texts: optional ``path -> field text`` so that spans print as the words they cover.
        title: printed before the headline (usually the postmortem's id).
    """
    blockers = blocking(findings)
    gates = sum(1 for f in findings if f.level == "gate")
    advisories = len(findings) - gates
    waived = sum(1 for f in findings if f.waived)
    verdict = "ready to complete" if not blockers else f"blocked by {len(blockers)}"
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
