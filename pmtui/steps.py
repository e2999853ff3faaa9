"""Provides the meeting's steps, in the brief's order, and which step a finding belongs to.

A finding's path (``contributing_factors[1].whys[3].answer``) names the step where it
is fixed, so the step bar can show each step's state and the Review screen can jump to
the right place. Kept free of Textual so it is tested with the rules.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the step bar is drawn before the models are imported
    from pmtui.domain.findings import Finding
    from pmtui.domain.models import Postmortem


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
    NOT_STARTED = "not started"
    DONE = "done"
    ADVISORY = "has findings"
    BLOCKED = "blocked"


def started(doc: Postmortem, key: str) -> bool:
    """Whether the step ``key`` holds any of its content yet (Review always counts as started).

    A step the room has not reached has no findings of its own when the rules ask
    nothing of it (an empty impact), so "no findings" alone would mark it done.
    """
    if key == "setup":
        return bool(
            doc.title.strip() or doc.facilitator.strip() or doc.participants or doc.service.strip()
        )
    if key == "norms":
        return doc.norms_read_at is not None
    if key == "past":
        return bool(doc.past_incidents_searched_at or doc.related_incidents or doc.failure_classes)
    if key == "timeline":
        return bool(doc.timeline)
    if key == "impact":
        return any(value not in (None, "") for value in doc.impact.model_dump().values())
    if key == "factors":
        return bool(doc.contributing_factors)
    if key == "lessons":
        return bool(doc.what_helped or doc.what_hurt)
    if key == "actions":
        # Every chain closed by an explicit deferral needs no action item.
        return bool(doc.action_items) or any(
            f.deferral is not None for f in doc.contributing_factors
        )
    return True


def with_unstarted(states: dict[str, StepState], doc: Postmortem) -> dict[str, StepState]:
    """``states`` with every step that holds none of its content marked as not started."""
    return {
        key: StepState.NOT_STARTED if key != "review" and not started(doc, key) else state
        for key, state in states.items()
    }


# A field named by two steps would belong to the first.
_STEP_OF_FIELD = {prefix: step.key for step in reversed(STEPS) for prefix in step.prefixes}


_STEPS_OF_PATHS: dict[str, str] = {}
"""Paths already placed. A finding kept by the incremental check keeps its path string:
a timeline of 10,000 entries is not parsed again after every edit."""


def step_for_path(path: str) -> str:
    """The key of the step where the field at ``path`` is edited (Review when unknown)."""
    known = _STEPS_OF_PATHS.get(path)
    if known is None:
        if len(_STEPS_OF_PATHS) > 100_000:
            _STEPS_OF_PATHS.clear()
        head = path.split(".", 1)[0].split("[", 1)[0]
        known = _STEPS_OF_PATHS[path] = _STEP_OF_FIELD.get(head, "review")
    return known


def by_step(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """``findings`` grouped by the step where each is fixed, in their order; every step keyed."""
    grouped: dict[str, list[Finding]] = {key: [] for key in STEP_KEYS}
    for finding in findings:
        grouped[step_for_path(finding.path)].append(finding)
    return grouped


def _state(findings: list[Finding]) -> StepState:
    state = StepState.DONE
    for finding in findings:
        if finding.waiver is None:
            if finding.level == "gate":
                return StepState.BLOCKED
            state = StepState.ADVISORY
    return state


def step_states(
    findings: Iterable[Finding] | dict[str, list[Finding]], doc: Postmortem | None = None
) -> dict[str, StepState]:
    """Each step's state: not started, blocked by a gate, has an unwaived advisory, or done.

    ``findings`` may come grouped already (:func:`by_step`). Done means the step holds its
    content and nothing is found in it. Without ``doc`` the content is not known and a
    step without findings counts as done. Review takes the worst state of the steps'
    findings: it is done when nothing anywhere blocks.
    """
    grouped = findings if isinstance(findings, dict) else by_step(findings)
    states = {key: _state(grouped[key]) for key in STEP_KEYS}
    review_worst = max(
        (s for k, s in states.items() if k != "review"),
        key=lambda s: [StepState.DONE, StepState.ADVISORY, StepState.BLOCKED].index(s),
        default=StepState.DONE,
    )
    if states["review"] is StepState.DONE:
        states["review"] = review_worst
    return states if doc is None else with_unstarted(states, doc)


def neighbour(key: str, offset: int) -> str:
    """The step ``offset`` places from ``key``, clamped to the first and last."""
    index = STEP_KEYS.index(key) + offset
    return STEP_KEYS[max(0, min(index, len(STEP_KEYS) - 1))]
