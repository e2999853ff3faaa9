"""Provides ``check``: every gate and advisory for a postmortem, in one ordered list.

The TUI, the CLI and the exports all ask this one function. It is pure: what the
document alone cannot know (the time now, past postmortems, the service's SLO) comes
in a :class:`CheckContext`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Self

from pmtui.domain.advisories import document_advisories
from pmtui.domain.findings import Finding, apply_waivers, blocking, finding_order
from pmtui.domain.gates import document_gates
from pmtui.domain.models import Postmortem, Service
from pmtui.domain.paths import path_order
from pmtui.domain.timeline_rules import TimelineMemo, timeline_findings

__all__ = ["CheckContext", "IncrementalCheck", "blockers", "blocking", "can_complete", "check"]


@dataclasses.dataclass(frozen=True)
class CheckContext:
    """What ``check`` needs beyond the document.

    Attributes:
        now: the moment of the check, an aware datetime (converted to UTC).
        past: other postmortems sharing a failure class or the service (the store's
            search result); the document itself may be among them and is skipped.
        service: the service's SLO record, when known.
    """

    now: dt.datetime
    past: Sequence[Postmortem] = ()
    service: Service | None = None

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("CheckContext.now must be timezone-aware (use UTC)")
        object.__setattr__(self, "now", self.now.astimezone(dt.UTC))

    @classmethod
    def at_now(cls, past: Sequence[Postmortem] = (), service: Service | None = None) -> Self:
        """A context for the current wall-clock time (the one impure convenience)."""
        return cls(dt.datetime.now(dt.UTC), past, service)


def check(pm: Postmortem, context: CheckContext) -> list[Finding]:
    """All findings for ``pm``: gates first, then advisories, each in document order.

    Advisories carry the document's matching waiver, if any; use
    :func:`pmtui.domain.findings.blocking` for what still stands in the way.
    """
    return _check(pm, context, None)


class IncrementalCheck:
    """``check`` for a document that is edited: each call re-checks only the timeline
    entries that changed since the last one (a long imported log costs one entry per edit).

    ``IncrementalCheck()(pm, context) == check(pm, context)``, always.
    """

    def __init__(self) -> None:
        self._timeline = TimelineMemo()

    def __call__(self, pm: Postmortem, context: CheckContext) -> list[Finding]:
        return _check(pm, context, self._timeline)


def _check(pm: Postmortem, context: CheckContext, memo: TimelineMemo | None) -> list[Finding]:
    timeline_gates, timeline_advisories = timeline_findings(pm, memo)
    gates = _with_timeline(
        sorted(document_gates(pm, context.now), key=finding_order), timeline_gates
    )
    advisories = _with_timeline(
        sorted(
            document_advisories(pm, context.now, context.past, context.service),
            key=finding_order,
        ),
        timeline_advisories,
    )
    return gates + apply_waivers(advisories, pm.waivers)


_TIMELINE = path_order("timeline")


def _with_timeline(others: list[Finding], timeline: list[Finding]) -> list[Finding]:
    """``others`` (sorted) with the entries' findings (in order) where their paths sort.

    Every entry's path sorts after ``timeline`` itself and before the next field, so the
    result is what sorting the two lists together would give.
    """
    at = next((i for i, f in enumerate(others) if path_order(f.path) > _TIMELINE), len(others))
    return others[:at] + timeline + others[at:]


def blockers(pm: Postmortem, context: CheckContext) -> list[Finding]:
    """What still blocks completing ``pm``: gates and unwaived advisories."""
    return blocking(check(pm, context))


def can_complete(pm: Postmortem, context: CheckContext) -> bool:
    return not blockers(pm, context)
