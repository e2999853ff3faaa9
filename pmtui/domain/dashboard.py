"""Provides the practice dashboard as data: budgets, metrics by quarter, past-due items.

The figures are the rules module's: the headline is a :class:`PracticeMetrics` (what
``practice_metrics`` returns for the period) and each budget an :class:`ErrorBudget`.
The store fills them with SQL so that 10,000 postmortems open in a blink; tests prove
they equal the pure functions on the same documents. Every figure keeps the ids of the
postmortems behind it, so a screen can open them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from typing import Any

from pmtui.domain.budget import ErrorBudget, format_number, projection_text
from pmtui.domain.metrics import COMPLETION_TARGET, PracticeMetrics, RecurringClass, quarter_of


def quarter_start(quarter: str) -> dt.date:
    year, q = quarter.split("-Q")
    return dt.date(int(year), (int(q) - 1) * 3 + 1, 1)


def quarters_back(today: dt.date, count: int) -> list[str]:
    """The ``count`` quarters ending with ``today``'s, oldest first."""
    year, index = today.year, (today.month - 1) // 3
    found = []
    for _ in range(max(1, count)):
        found.append(f"{year}-Q{index + 1}")
        index -= 1
        if index < 0:
            year, index = year - 1, 3
    return found[::-1]


@dataclasses.dataclass(frozen=True)
class QuarterTrend:
    """One quarter's practice figures (by the quarter the incident began in)."""

    quarter: str
    incidents: tuple[str, ...] = ()
    published_hours: tuple[tuple[str, float], ...] = ()
    """(id, hours from restoration to publication) of those published."""
    late_or_overdue: tuple[str, ...] = ()
    actions_judged: int = 0
    actions_completed: int = 0
    action_postmortems: tuple[str, ...] = ()
    """Postmortems with action items old enough to judge."""
    recurring: tuple[RecurringClass, ...] = ()
    near_misses: tuple[str, ...] = ()

    @property
    def median_hours(self) -> float | None:
        hours = [h for _, h in self.published_hours]
        return round(statistics.median(hours), 1) if hours else None

    @property
    def completion_rate(self) -> float | None:
        return self.actions_completed / self.actions_judged if self.actions_judged else None

    @property
    def recurring_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i for r in self.recurring for i in r.ids))

    def to_dict(self) -> dict[str, Any]:
        rate = self.completion_rate
        return {
            "quarter": self.quarter,
            "incidents": len(self.incidents),
            "median_hours_to_publish": self.median_hours,
            "published_late_or_overdue": list(self.late_or_overdue),
            "action_completion_30d": None if rate is None else round(rate, 4),
            "actions_judged": self.actions_judged,
            "recurring_failure_classes": [r.failure_class for r in self.recurring],
            "near_misses": len(self.near_misses),
        }


@dataclasses.dataclass(frozen=True)
class PastDueItem:
    owner: str
    postmortem_id: str
    ref: str
    description: str
    due: dt.date
    status: str
    title: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"due": self.due.isoformat()}


@dataclasses.dataclass(frozen=True)
class Dashboard:
    now: dt.datetime
    since: dt.date
    budgets: tuple[ErrorBudget, ...]
    metrics: PracticeMetrics
    """The rules' practice metrics for incidents since ``since``."""
    quarters: tuple[QuarterTrend, ...]
    past_due: tuple[PastDueItem, ...]
    near_miss_ids: tuple[str, ...] = ()

    def past_due_by_owner(self) -> list[tuple[str, list[PastDueItem]]]:
        """Owners with the most past-due items first; an unowned item is under "(no owner)"."""
        groups: dict[str, list[PastDueItem]] = {}
        for item in self.past_due:
            groups.setdefault(item.owner.strip() or "(no owner)", []).append(item)
        return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat().replace("+00:00", "Z"),
            "since": self.since.isoformat(),
            "budgets": [b.to_dict() for b in self.budgets],
            "metrics": self.metrics.to_dict(),
            "quarters": [q.to_dict() for q in self.quarters],
            "past_due_action_items": [i.to_dict() for i in self.past_due],
        }


def budget_line(budget: ErrorBudget) -> str:
    return (
        f"{format_number(budget.consumed_minutes)} of {format_number(budget.budget_minutes)} min "
        f"({budget.consumed_percent:.1f} %), {format_number(budget.remaining_minutes)} left"
    )


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f} %"


def render_dashboard(board: Dashboard) -> str:
    """The dashboard as plain text, for ``pmtui report``."""
    lines = [f"Practice dashboard at {board.now:%Y-%m-%d %H:%M} UTC (since {board.since})", ""]
    lines.append("Error budgets")
    for b in board.budgets:
        lines.append(
            f"  {b.service:<16} SLO {format_number(b.slo, 4)} % / {b.window_days} d   "
            f"{budget_line(b)}"
        )
        lines.append(f"  {'':<16} {projection_text(b)}")
        if b.policy:
            lines.append(f"  {'':<16} {b.policy}")
    if not board.budgets:
        lines.append("  no services with an SLO")
    m = board.metrics
    actions = m.actions
    lines += ["", f"Practice metrics ({m.postmortems} incident postmortems)"]
    median = m.median_hours_to_publish
    counts = m.publication_counts()
    lines.append(
        f"  restoration to publication: median {'—' if median is None else f'{median:.1f} h'}; "
        + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("met", "late", "overdue"))
    )
    flag = f"  BELOW {COMPLETION_TARGET * 100:.0f} %" if actions.below_target else ""
    lines.append(
        f"  action items done within 30 days: {_percent(actions.rate)} "
        f"({actions.completed} of {actions.judged}){flag}"
    )
    lines.append(f"  recurring failure classes: {len(m.recurring)}")
    lines.append(f"  near-misses reported: {m.near_misses}")
    lines += ["", "By quarter      incidents  median h  done 30d  recurring  near-misses"]
    for q in board.quarters:
        median_q = "—" if q.median_hours is None else f"{q.median_hours:.1f}"
        lines.append(
            f"  {q.quarter:<13} {len(q.incidents):>9}  {median_q:>8}  "
            f"{_percent(q.completion_rate):>8}  {len(q.recurring):>9}  {len(q.near_misses):>11}"
        )
    lines += ["", "Overdue postmortems" + ("" if m.overdue else ": none")]
    for o in m.overdue:
        lines.append(f"  {o.id:<14} {o.what} was due {o.deadline:%Y-%m-%d %H:%M} UTC")
    groups = board.past_due_by_owner()
    lines += ["", "Action items past due" + ("" if groups else ": none")]
    for owner, items in groups:
        lines.append(f"  {owner} ({len(items)})")
        for item in items:
            lines.append(
                f"    {item.postmortem_id} {item.ref:<4} due {item.due}  {item.description}"
            )
    return "\n".join(lines)


__all__ = [
    "Dashboard",
    "PastDueItem",
    "QuarterTrend",
    "quarter_of",
    "quarter_start",
    "quarters_back",
    "render_dashboard",
]
