"""Provides ReviewFindings: every gate and every advisory with its state; Enter jumps to a finding.

What still needs the room comes first, then what passes, so a blocked postmortem shows
its work without scrolling and a ready one still shows every rule it passed:

- **Gates**: each failing place (✗, code, step, where and what to do);
- **Advisories**: each open one (!) and each waived one (~, with its reason);
- **Passing**: every gate and advisory of the catalogue (``pmtui.domain.findings.CODES``)
  with no finding, one line each (✓).

A finding is two lines — state, code and step, then where and the message — so long
messages wrap instead of being cut off on a projector. Section headings are disabled
options: the cursor moves only over gates, advisories and passing rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pmtui.domain.findings import CODES, Finding
from pmtui.steps import STEP_BY_KEY, step_for_path
from pmtui.widgets.text import literal

PASSING: dict[str, str] = {
    # What each rule's ✓ means, said the right way round (CODES says what a finding is).
    "G-REQUIRED": "every required field is filled in",
    "G-DATE-ORDER": "the dates are in order",
    "G-DATE-FUTURE": "no date that must be past is in the future",
    "G-NORMS": "the norms statement was read",
    "G-PAST-SEARCH": "the past-incident search was run",
    "G-TIMELINE-EMPTY": "the timeline has entries",
    "G-TIMELINE-FIELD": "every timeline entry has its time, event and source",
    "G-TIMELINE-ORDER": "the timeline is in time order",
    "G-FACTORS-MIN": "enough contributing factors",
    "G-FACTOR-EMPTY": "every contributing factor is described",
    "G-CHAIN-WHYS": "every contributing factor has an answered why",
    "G-WHY-ANSWER": "every why has its answer",
    "G-CHAIN-OPEN": "every why-chain ends at a systemic property",
    "G-CHAIN-ACTION": "every why-chain links a ready action item or a deferral",
    "G-DEFERRAL-FIELD": "every deferral has its reason, decider and review date",
    "G-ACTION-DESCRIPTION": "every action item is described",
    "G-OWNER-ONE": "every action item has exactly one owner",
    "G-ACTION-DUE": "every action item has a real due date",
    "G-ACTION-TICKET": "every action item has a ticket",
    "G-ACTION-PRIORITY": "every action item has a priority",
    "G-HELPED-EMPTY": "what helped is filled in",
    "G-HURT-EMPTY": "what hurt is filled in",
    "G-ROOT-CAUSE": 'no "root cause" anywhere',
    "A-TIMELINE-JUDGING": "no judging words in the timeline",
    "A-DECISION-CONTEXT": "every decision point has its context",
    "A-BLAME": "no factor or why stops at a person",
    "A-ACTION-VAGUE": "no vague action item",
    "A-FACILITATOR-INVOLVED": "the facilitator was not involved",
    "A-ATTENDEE-LEAD": "the team lead is in the room (SEV-1/2)",
    "A-ATTENDEE-PO": "a product owner is in the room (SEV-1/2)",
    "A-MEETING-LATE": "the meeting is within the severity policy",
    "A-PUBLISH-LATE": "publication is within the severity policy",
    "A-RECURRENCE": "no past incident of this class has undone actions",
    "A-WAIVER-GATE": "no waiver names a gate",
}


CODE_WIDTH = max(len(code) for code in CODES)
"""The passing rules' descriptions start in one column."""


def passing_text(code: str) -> str:
    """What a rule with no finding means, for its ✓ line."""
    known = PASSING.get(code)
    if known is not None:
        return known
    return f"none found: {CODES[code][1]}" if code in CODES else "none found"


@dataclass(frozen=True)
class Passed:
    """A rule of the catalogue with no finding on this document."""

    code: str
    level: str

    @property
    def key(self) -> str:
        return f"✓{self.code}"


@dataclass(frozen=True)
class Heading:
    text: str

    @property
    def key(self) -> str:
        return f"#{self.text}"


Row = Finding | Passed | Heading


def ordered(findings: Sequence[Finding]) -> list[Finding]:
    """Gates, then unwaived advisories, then waived advisories (stable within each)."""

    def rank(finding: Finding) -> int:
        if finding.level == "gate":
            return 0
        return 2 if finding.waiver is not None else 1

    return sorted(findings, key=rank)


def _count(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def rows(findings: Sequence[Finding]) -> list[Row]:
    """The Review list: failing gates, open and waived advisories, then every passing rule."""
    shown = ordered(findings)
    gates = [f for f in shown if f.level == "gate"]
    advisories = [f for f in shown if f.level != "gate"]
    found = {f.code for f in shown}
    passing = [Passed(code, level) for code, (level, _) in CODES.items() if code not in found]
    gate_codes = [c for c, (level, _) in CODES.items() if level == "gate"]
    advisory_codes = [c for c, (level, _) in CODES.items() if level != "gate"]
    failing = len({f.code for f in gates})
    if failing:
        gate_head = f"Gates — {failing} of {len(gate_codes)} fail, in {_count(len(gates), 'place')}"
    else:
        gate_head = f"Gates — all {len(gate_codes)} pass"
    open_count = sum(1 for f in advisories if f.waiver is None)
    waived = len(advisories) - open_count
    clear = sum(1 for p in passing if p.level != "gate")
    advisory_head = (
        f"Advisories — {open_count} open · {waived} waived · {clear} of {len(advisory_codes)} clear"
    )
    passing_head = (
        f"Passing — {len(passing) - clear} gates and {clear} advisories with nothing found"
    )
    result: list[Row] = [Heading(gate_head), *gates, Heading(advisory_head), *advisories]
    if passing:
        result += [Heading(passing_head), *passing]
    return result


def entry(finding: Finding) -> Content:
    """``✗ gate G-CODE · Step`` over ``path: message`` (and the waiver's reason)."""
    if finding.level == "gate":
        mark, style, state = "✗", "bold $text-error", "gate"
    elif finding.waiver is not None:
        mark, style, state = "~", "$text-muted", "waived"
    else:
        mark, style, state = "!", "bold $text-warning", "advisory"
    step = STEP_BY_KEY[step_for_path(finding.path)].title
    head = Content.styled(f"{mark} {state} {finding.code}", style).append(
        Content.styled(f" · {step}", "$text-muted")
    )
    where = Content.styled(f"{finding.path}: ", "$text-muted") if finding.path else Content("")
    lines = [head, where.append(literal(finding.message))]
    if finding.waiver is not None:
        who = f" ({finding.waiver.waived_by})" if finding.waiver.waived_by else ""
        lines.append(
            Content.styled("waived: ", "italic $text-muted").append(
                literal(finding.waiver.reason + who)
            )
        )
    return Content("\n").join(lines)


def passed_entry(passed: Passed) -> Content:
    """``✓ G-CODE  what passing means`` on one line."""
    return Content.styled(f"✓ {passed.code:<{CODE_WIDTH}}", "$text-success").append(
        Content.styled(f"  {passing_text(passed.code)}", "$text-muted")
    )


def _option(row: Row) -> Option:
    if isinstance(row, Heading):
        return Option(Content.styled(row.text, "bold underline"), disabled=True)
    if isinstance(row, Passed):
        return Option(passed_entry(row))
    return Option(entry(row))


class ReviewFindings(OptionList):
    DEFAULT_CSS = """
    ReviewFindings, ReviewFindings:focus {
        height: 1fr;
        border: none;
        padding: 0;
    }
    ReviewFindings > .option-list--option-disabled {
        color: $text;
    }
    """

    @dataclass
    class Jump(Message):
        finding: Finding

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.findings: list[Finding] = []
        """The findings in the order shown (the list also holds headings and passing rules)."""

    def show(self, findings: Sequence[Finding]) -> None:
        """Show every rule's state, keeping the cursor on the same row."""
        if self.rows and rows(findings) == self.rows:
            return  # as shown: rebuilding the options would lay the screen out again
        current = self.current
        keep = current.key if current is not None else None
        index = self.highlighted
        self.rows = rows(findings)
        self.findings = [r for r in self.rows if isinstance(r, Finding)]
        self.clear_options()
        self.add_options(_option(r) for r in self.rows)
        selectable = [i for i, r in enumerate(self.rows) if not isinstance(r, Heading)]
        if not selectable:
            return
        same = next((i for i in selectable if self.rows[i].key == keep), None)
        if same is None:
            # The row the cursor was on is gone (fixed or waived): the next finding still
            # open (what is left to do), else the next row down.
            start = index or 0
            still_open = [
                i
                for i in selectable
                if isinstance(self.rows[i], Finding) and self.rows[i].waiver is None
            ]
            same = next((i for i in still_open if i >= start), None)
            if same is None:
                same = still_open[-1] if still_open else None
            if same is None:
                same = next((i for i in selectable if i >= start), selectable[-1])
        self.highlighted = same

    def index_of(self, finding: Finding) -> int | None:
        return next(
            (i for i, r in enumerate(self.rows) if isinstance(r, Finding) and r.key == finding.key),
            None,
        )

    @property
    def current(self) -> Finding | Passed | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.rows):
            return None
        row = self.rows[index]
        return None if isinstance(row, Heading) else row

    @property
    def selected(self) -> Finding | None:
        """The finding under the cursor (None on a passing rule)."""
        row = self.current
        return row if isinstance(row, Finding) else None

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.rows):
            row = self.rows[event.option_index]
            if isinstance(row, Finding):
                self.post_message(self.Jump(row))
