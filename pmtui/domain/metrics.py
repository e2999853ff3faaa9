"""Provides practice metrics: publication time, action completion, recurrence, overdue, near-misses.

Definitions where the brief is silent:

- Scope: ``team`` keeps postmortems of that team (case-insensitive); ``since`` keeps those
  whose incident started on or after that day (a document without an incident time is
  then left out). Recurrence still looks at earlier postmortems of the team as history.
- Action completion within 30 days: an item's 30 days run from the meeting
  (``date_of_postmortem``; else publication; else the incident's day). Only items whose
  30 days are over are judged; an item counts as completed when it is done with a
  ``completed_on`` inside the 30 days, or done with no completion date recorded (the
  tracker is where work happens; pmtui knows the status only). Below 70 % is flagged.
- A failure class recurs in a quarter (of the incident's start) when two or more
  postmortems carry it in that quarter, or one does and an earlier quarter had it too.
- Overdue: a postmortem the policy requires (SEV-1/2) whose meeting or publication
  deadline has passed without it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from pmtui.domain.models import Postmortem
from pmtui.domain.severity import (
    DeadlineState,
    meeting_deadline,
    meeting_state,
    postmortem_required,
    publication_deadline,
    publication_state,
)

COMPLETION_TARGET = 0.70
COMPLETION_WINDOW = dt.timedelta(days=30)


def _stamp(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


@dataclasses.dataclass(frozen=True)
class PublicationTiming:
    id: str
    severity: str | None
    restored: dt.datetime
    published: dt.datetime | None
    deadline: dt.datetime | None
    state: DeadlineState

    @property
    def hours(self) -> float | None:
        """Hours from restoration to publication; None while unpublished."""
        if self.published is None:
            return None
        return round((self.published - self.restored).total_seconds() / 3600, 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity,
            "restored": _stamp(self.restored),
            "published": _stamp(self.published),
            "hours": self.hours,
            "deadline": _stamp(self.deadline),
            "state": self.state,
        }


@dataclasses.dataclass(frozen=True)
class ActionCompletion:
    judged: int = 0
    completed: int = 0
    not_yet_judged: int = 0

    @property
    def rate(self) -> float | None:
        return self.completed / self.judged if self.judged else None

    @property
    def below_target(self) -> bool:
        return self.rate is not None and self.rate < COMPLETION_TARGET

    def to_dict(self) -> dict[str, Any]:
        return {
            "judged": self.judged,
            "completed": self.completed,
            "not_yet_judged": self.not_yet_judged,
            "rate": None if self.rate is None else round(self.rate, 4),
            "target": COMPLETION_TARGET,
            "below_target": self.below_target,
        }


@dataclasses.dataclass(frozen=True)
class RecurringClass:
    quarter: str
    failure_class: str
    ids: tuple[str, ...]
    earlier: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"ids": list(self.ids), "earlier": list(self.earlier)}


@dataclasses.dataclass(frozen=True)
class Overdue:
    id: str
    what: str
    """"meeting" or "publication"."""
    deadline: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "what": self.what, "deadline": _stamp(self.deadline)}


@dataclasses.dataclass(frozen=True)
class PracticeMetrics:
    now: dt.datetime
    team: str | None
    since: dt.date | None
    postmortems: int
    publication: tuple[PublicationTiming, ...]
    actions: ActionCompletion
    recurring: tuple[RecurringClass, ...]
    overdue: tuple[Overdue, ...]
    near_misses: int

    @property
    def median_hours_to_publish(self) -> float | None:
        hours = [p.hours for p in self.publication if p.hours is not None]
        return round(statistics.median(hours), 1) if hours else None

    def publication_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for timing in self.publication:
            counts[timing.state] += 1
        return dict(counts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "now": _stamp(self.now),
            "team": self.team,
            "since": self.since.isoformat() if self.since else None,
            "postmortems": self.postmortems,
            "restoration_to_publication": {
                "median_hours": self.median_hours_to_publish,
                "counts": self.publication_counts(),
                "postmortems": [p.to_dict() for p in self.publication],
            },
            "action_completion_30d": self.actions.to_dict(),
            "recurring_failure_classes": [r.to_dict() for r in self.recurring],
            "overdue": [o.to_dict() for o in self.overdue],
            "near_misses": self.near_misses,
        }


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _in_team(pm: Postmortem, team: str | None) -> bool:
    return team is None or pm.team.strip().casefold() == team.strip().casefold()


def _in_scope(pm: Postmortem, team: str | None, since: dt.date | None) -> bool:
    if not _in_team(pm, team):
        return False
    if since is None:
        return True
    return pm.incident_day is not None and pm.incident_day >= since


def _completion(scope: Iterable[Postmortem], today: dt.date) -> ActionCompletion:
    judged = completed = young = 0
    for pm in scope:
        start = pm.date_of_postmortem or (
            pm.date_published.date() if pm.date_published else pm.incident_day
        )
        if start is None:
            continue
        end = start + COMPLETION_WINDOW
        for item in pm.action_items:
            if end > today:
                young += 1
                continue
            judged += 1
            if item.status == "done" and (item.completed_on is None or item.completed_on <= end):
                completed += 1
    return ActionCompletion(judged, completed, young)


def _recurring(history: Iterable[Postmortem], since: dt.date | None) -> list[RecurringClass]:
    by_quarter: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for pm in sorted(
        (p for p in history if p.incident_day is not None),
        key=lambda p: (p.date_of_incident, p.id),
    ):
        for slug in dict.fromkeys(pm.failure_classes):
            by_quarter[quarter_of(pm.incident_day)][slug].append(pm.id)  # type: ignore[arg-type]
    first = quarter_of(since) if since else ""
    seen: dict[str, list[str]] = defaultdict(list)
    found = []
    for quarter in sorted(by_quarter):
        for slug, ids in sorted(by_quarter[quarter].items()):
            earlier = tuple(seen[slug])
            if quarter >= first and (len(ids) >= 2 or earlier):
                found.append(RecurringClass(quarter, slug, tuple(ids), earlier))
            seen[slug].extend(ids)
    return found


def _overdue(scope: Iterable[Postmortem], now: dt.datetime) -> list[Overdue]:
    found = []
    for pm in scope:
        if not postmortem_required(pm):
            continue
        meeting = meeting_deadline(pm)
        if meeting is not None and meeting_state(pm, now) == "overdue":
            found.append(Overdue(pm.id, "meeting", meeting))
        publication = publication_deadline(pm)
        if publication is not None and publication_state(pm, now) == "overdue":
            found.append(Overdue(pm.id, "publication", publication))
    return found


def practice_metrics(
    postmortems: Iterable[Postmortem],
    now: dt.datetime,
    team: str | None = None,
    since: dt.date | None = None,
) -> PracticeMetrics:
    """The practice metrics of ``postmortems`` at ``now``, filtered by ``team`` and ``since``."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (use UTC)")
    everything = list(postmortems)
    scope = [pm for pm in everything if _in_scope(pm, team, since)]
    incidents = [pm for pm in scope if pm.kind == "incident"]
    publication = tuple(
        PublicationTiming(
            pm.id,
            pm.severity,
            pm.date_restored,
            pm.date_published,
            publication_deadline(pm),
            publication_state(pm, now),
        )
        for pm in sorted(incidents, key=lambda p: (p.date_restored or now, p.id))
        if pm.date_restored is not None
    )
    return PracticeMetrics(
        now=now,
        team=team,
        since=since,
        postmortems=len(incidents),
        publication=publication,
        actions=_completion(scope, now.date()),
        recurring=tuple(_recurring((p for p in everything if _in_team(p, team)), since)),
        overdue=tuple(_overdue(incidents, now)),
        near_misses=sum(1 for pm in scope if pm.kind == "near-miss"),
    )


def _show(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def render_metrics(metrics: PracticeMetrics) -> str:
    """The metrics as plain text, for the CLI to print."""
    scope = [f"team {metrics.team}"] if metrics.team else []
    if metrics.since:
        scope.append(f"since {metrics.since.isoformat()}")
    head = f"Practice metrics{' (' + ', '.join(scope) + ')' if scope else ''}"
    lines = [f"{head} at {_show(metrics.now)}: {metrics.postmortems} incident postmortems", ""]
    lines.append("Restoration to publication")
    for timing in metrics.publication:
        took = f"{timing.hours:.1f} h" if timing.hours is not None else "unpublished"
        lines.append(
            f"  {timing.id:<14} {timing.severity or '—':<6} {took:<12} "
            f"deadline {_show(timing.deadline):<21} {timing.state}"
        )
    counts = metrics.publication_counts()
    median = metrics.median_hours_to_publish
    lines.append(
        f"  median {'—' if median is None else f'{median:.1f} h'}; "
        + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("met", "late", "overdue"))
    )
    actions = metrics.actions
    lines.append("")
    if actions.rate is None:
        lines.append("Action items completed within 30 days: none old enough to judge")
    else:
        flag = "  BELOW 70 %: documentation, not improvement" if actions.below_target else ""
        lines.append(
            f"Action items completed within 30 days: {actions.completed} of {actions.judged} "
            f"({actions.rate * 100:.1f} %){flag}"
        )
    if actions.not_yet_judged:
        lines.append(f"  {actions.not_yet_judged} more not yet 30 days old")
    lines.append("")
    lines.append("Recurring failure classes" + ("" if metrics.recurring else ": none"))
    for rec in metrics.recurring:
        earlier = f" (earlier: {', '.join(rec.earlier)})" if rec.earlier else ""
        lines.append(f"  {rec.quarter}  {rec.failure_class}  {', '.join(rec.ids)}{earlier}")
    lines.append("")
    lines.append("Overdue postmortems" + ("" if metrics.overdue else ": none"))
    for item in metrics.overdue:
        lines.append(f"  {item.id:<14} {item.what} was due {_show(item.deadline)}")
    lines.append("")
    lines.append(f"Near-misses reported: {metrics.near_misses}")
    return "\n".join(lines)
