"""Provides the meeting's steps, in the brief's order, and which step a finding belongs to.

A finding's path (``contributing_factors[1].whys[3].answer``) names the step where it
is fixed, so the step bar can show each step's state and the Review screen can jump to
the right place. Kept free of Textual so it is tested with the rules.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from pmtui.domain.findings import Finding


@dataclass(frozen=True)
class Step:
    key: str  # also the app mode's name
    title: str
    question: str  # what the facilitator asks in this step
    prefixes: tuple[str, ...]  # document paths fixed here
    short: str = ""  # for the step bar in a narrow terminal

    @property
    def label(self) -> str:
        return self.short or self.title


STEPS: tuple[Step, ...] = (
    Step(
        "setup",
        "Setup",
        "Who is in the room, and what are the facts of the incident?",
        (
            "id",
            "title",
            "severity",
            "service",
            "team",
            "date_of_incident",
            "date_restored",
            "date_of_postmortem",
            "facilitator",
            "participants",
            "kind",
        ),
        "Setup",
    ),
    Step(
        "norms",
        "Norms",
        "Read the opening statement aloud.",
        ("norms_read_at",),
        "Norms",
    ),
    Step(
        "past",
        "Past incidents",
        "Has this class of failure happened before, and did we finish what we promised?",
        ("past_incidents_searched_at", "related_incidents", "failure_classes"),
        "Past",
    ),
    Step("timeline", "Timeline", "What happened next?", ("timeline",), "Time"),
    Step(
        "impact",
        "Impact",
        "How long, how many, how much of the error budget?",
        ("impact",),
        "Impact",
    ),
    Step(
        "factors",
        "Factors & whys",
        "What else made this possible?",
        ("contributing_factors",),
        "Whys",
    ),
    Step(
        "lessons",
        "Helped / hurt",
        "What helped? What hurt?",
        ("what_helped", "what_hurt"),
        "Lessons",
    ),
    Step("actions", "Action items", "Who changes what, by when?", ("action_items",), "Actions"),
    Step(
        "review",
        "Review",
        "Is every chain closed by an owned, dated change?",
        ("date_published", "waivers", "status"),
        "Review",
    ),
)

STEP_KEYS: tuple[str, ...] = tuple(s.key for s in STEPS)
STEP_BY_KEY: dict[str, Step] = {s.key: s for s in STEPS}


class StepState(enum.Enum):
    DONE = "done"
    ADVISORY = "has findings"
    BLOCKED = "blocked"


def step_for_path(path: str) -> str:
    """The key of the step where the field at ``path`` is edited (Review when unknown)."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    for step in STEPS:
        if head in step.prefixes:
            return step.key
    return "review"


def step_states(findings: Iterable[Finding]) -> dict[str, StepState]:
    """Each step's state: blocked by a gate, has an unwaived advisory, or done."""
    states = {key: StepState.DONE for key in STEP_KEYS}
    for finding in findings:
        if finding.waiver is not None:
            continue
        key = step_for_path(finding.path)
        if finding.level == "gate":
            states[key] = StepState.BLOCKED
        elif states[key] is StepState.DONE:
            states[key] = StepState.ADVISORY
    review_worst = max(
        (s for k, s in states.items() if k != "review"),
        key=lambda s: [StepState.DONE, StepState.ADVISORY, StepState.BLOCKED].index(s),
        default=StepState.DONE,
    )
    if states["review"] is StepState.DONE:
        states["review"] = review_worst
    return states


def neighbour(key: str, offset: int) -> str:
    """The step ``offset`` places from ``key``, clamped to the first and last."""
    index = STEP_KEYS.index(key) + offset
    return STEP_KEYS[max(0, min(index, len(STEP_KEYS) - 1))]
