"""Provides the severity policy table as data, and the meeting and publication deadlines.

Deadlines run from the service's restoration (``date_restored``). The meeting deadline is
in calendar hours (24 h for SEV-1, 72 h for SEV-2); the meeting date is a calendar date,
so a meeting held on the deadline's day is on time. Publication is 48 h for SEV-1 and
5 business days for SEV-2, skipping Saturdays and Sundays (public holidays are not known
to pmtui). SEV-3/4 and near-misses have no deadline.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Literal, Protocol


class Dated(Protocol):
    """What the deadlines are judged on: a ``Postmortem``, or a row of the list of them."""

    @property
    def kind(self) -> str: ...
    @property
    def severity(self) -> str | None: ...
    @property
    def date_restored(self) -> dt.datetime | None: ...
    @property
    def date_of_postmortem(self) -> dt.date | None: ...
    @property
    def date_published(self) -> dt.datetime | None: ...


Requirement = Literal["required", "recommended", "optional"]
DeadlineState = Literal["n/a", "met", "late", "pending", "due-soon", "overdue"]
"""n/a: no deadline applies (or no restoration time to count from); met: done in time;
late: done, after the deadline; pending: not done, deadline more than a day away;
due-soon: not done, deadline within a day; overdue: not done, deadline passed."""

DUE_SOON = dt.timedelta(hours=24)


@dataclasses.dataclass(frozen=True)
class SeverityPolicy:
    severity: str
    definition: str
    page_sla: str
    """As the table says it ("under 5 min", "next business day")."""
    page_within: dt.timedelta | None
    """The page SLA as a duration; None for "next business day"."""
    postmortem: Requirement
    postmortem_text: str
    meeting_within: dt.timedelta | None
    publish_within: dt.timedelta | None
    """Calendar time to publish (SEV-1); None when counted in business days or not set."""
    publish_business_days: int | None
    budget_impact: str
    counts_against_budget: bool | None
    """True: always counts; None: only if the service says so (SEV-4)."""

    @property
    def has_deadlines(self) -> bool:
        return (
            self.meeting_within is not None
            or self.publish_within is not None
            or self.publish_business_days is not None
        )

    @property
    def meeting_text(self) -> str:
        if self.meeting_within is None:
            return "—"
        return f"{int(self.meeting_within.total_seconds() // 3600)} h of restoration"

    @property
    def publish_deadline_text(self) -> str:
        if self.publish_within is not None:
            return f"{int(self.publish_within.total_seconds() // 3600)} h"
        if self.publish_business_days is not None:
            return f"{self.publish_business_days} business days"
        return "—"


POLICIES: dict[str, SeverityPolicy] = {
    "SEV-1": SeverityPolicy(
        "SEV-1",
        "customer-facing total outage",
        "under 5 min",
        dt.timedelta(minutes=5),
        "required",
        "required",
        dt.timedelta(hours=24),
        dt.timedelta(hours=48),
        None,
        "full count against SLO",
        True,
    ),
    "SEV-2": SeverityPolicy(
        "SEV-2",
        "partial outage or significant degradation",
        "under 15 min",
        dt.timedelta(minutes=15),
        "required",
        "required",
        dt.timedelta(hours=72),
        None,
        5,
        "full count against SLO",
        True,
    ),
    "SEV-3": SeverityPolicy(
        "SEV-3",
        "performance degradation, limited customer impact",
        "under 1 h",
        dt.timedelta(hours=1),
        "recommended",
        "lightweight write-up recommended",
        None,
        None,
        None,
        "counts against SLO",
        True,
    ),
    "SEV-4": SeverityPolicy(
        "SEV-4",
        "minor bug, no customer impact",
        "next business day",
        None,
        "optional",
        "optional",
        None,
        None,
        None,
        "may not count",
        None,
    ),
}


def policy_for(pm: Dated) -> SeverityPolicy | None:
    """The policy that applies to ``pm``; None for a near-miss or an unset severity."""
    if pm.kind != "incident" or pm.severity is None:
        return None
    return POLICIES[pm.severity]


def postmortem_required(pm: Dated) -> bool:
    policy = policy_for(pm)
    return policy is not None and policy.postmortem == "required"


def add_business_days(start: dt.datetime, days: int) -> dt.datetime:
    """``start`` plus ``days`` business days (Monday to Friday), keeping the time of day.

    A start on a weekend counts from the following Monday 00:00, when the business
    clock starts: Saturday + 5 business days ends at the close of the next Friday
    (next Monday 00:00). Friday 09:00 + 1 is Monday 09:00.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    if current.weekday() >= 5:
        current = (current + dt.timedelta(days=7 - current.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def meeting_deadline(pm: Dated) -> dt.datetime | None:
    policy = policy_for(pm)
    if policy is None or policy.meeting_within is None or pm.date_restored is None:
        return None
    return pm.date_restored + policy.meeting_within


def publication_deadline(pm: Dated) -> dt.datetime | None:
    policy = policy_for(pm)
    if policy is None or pm.date_restored is None:
        return None
    if policy.publish_within is not None:
        return pm.date_restored + policy.publish_within
    if policy.publish_business_days is not None:
        return add_business_days(pm.date_restored, policy.publish_business_days)
    return None


def _open_state(deadline: dt.datetime, now: dt.datetime) -> DeadlineState:
    if now > deadline:
        return "overdue"
    return "due-soon" if deadline - now <= DUE_SOON else "pending"


def meeting_state(pm: Dated, now: dt.datetime) -> DeadlineState:
    """Whether the meeting was (or can still be) held within the policy's deadline."""
    deadline = meeting_deadline(pm)
    if deadline is None:
        return "n/a"
    if pm.date_of_postmortem is not None and pm.date_of_postmortem <= now.date():
        return "met" if pm.date_of_postmortem <= deadline.date() else "late"
    if pm.date_of_postmortem is not None and pm.date_of_postmortem > deadline.date():
        return "late"  # scheduled, but for a day past the deadline
    # Not held yet: overdue only once the deadline's whole day has passed.
    end_of_day = dt.datetime.combine(deadline.date(), dt.time.max, tzinfo=dt.UTC)
    return _open_state(end_of_day, now)


def publication_state(pm: Dated, now: dt.datetime) -> DeadlineState:
    """Whether the document was (or can still be) published within the policy's deadline."""
    deadline = publication_deadline(pm)
    if deadline is None:
        return "n/a"
    if pm.date_published is not None:
        return "met" if pm.date_published <= deadline else "late"
    return _open_state(deadline, now)


_ORDER: dict[DeadlineState, int] = {
    "n/a": 0,
    "met": 1,
    "pending": 2,
    "due-soon": 3,
    "late": 4,
    "overdue": 5,
}


def deadline_state(pm: Dated, now: dt.datetime) -> DeadlineState:
    """The worse of the meeting's and the publication's state at ``now``."""
    return max(meeting_state(pm, now), publication_state(pm, now), key=_ORDER.__getitem__)
