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

from pmtui.domain.advisories import advisory_findings
from pmtui.domain.findings import Finding, apply_waivers, blocking
from pmtui.domain.gates import gate_findings
from pmtui.domain.models import Postmortem, Service
from pmtui.domain.paths import path_order

__all__ = ["CheckContext", "blockers", "blocking", "can_complete", "check"]


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


def _order(finding: Finding) -> tuple[tuple[int, ...], int]:
    return path_order(finding.path), finding.span[0] if finding.span else -1


def check(pm: Postmortem, context: CheckContext) -> list[Finding]:
    """All findings for ``pm``: gates first, then advisories, each in document order.

    Advisories carry the document's matching waiver, if any; use
    :func:`pmtui.domain.findings.blocking` for what still stands in the way.
    """
    gates = sorted(gate_findings(pm, context.now), key=_order)
    advisories = sorted(
        advisory_findings(pm, context.now, context.past, context.service), key=_order
    )
    return gates + apply_waivers(advisories, pm.waivers)


def blockers(pm: Postmortem, context: CheckContext) -> list[Finding]:
    """What still blocks completing ``pm``: gates and unwaived advisories."""
    return blocking(check(pm, context))


def can_complete(pm: Postmortem, context: CheckContext) -> bool:
    return not blockers(pm, context)
