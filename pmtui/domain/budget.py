"""Provides error budgets: budget, consumption, burn rate, projection and the exhausted policy.

``budget = window_days × 24 × 60 × (1 − slo/100)``; consumed is the sum of
``impact.slo_budget_consumed_minutes`` over the service's incidents that started inside
the rolling window ``(as_of − window_days, as_of]``. SEV-4 counts only when the service
says so, near-misses never, an incident with no severity yet counts (it consumed the
budget whatever its label). Arithmetic is decimal, so 99.9 % of 90 days is 129.6, not
129.60000000000002.

Elapsed days: a rolling window is always a full window long, so for a real service the
burn rate is ``consumed ÷ window_days`` and the projection says whether that pace would
exhaust a window's budget. The article's "43 of 90 days elapsed" is a calendar-period
reading (a quarter in progress); pass ``elapsed_days`` (``pmtui budget --elapsed-days``)
to get it, as :func:`what_if` does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from pmtui.domain.models import Postmortem, Service

EXHAUSTED_POLICY = (
    "Error budget exhausted: reliability work takes priority over new feature work until the "
    "budget recovers."
)
_MINUTES_PER_DAY = Decimal(24 * 60)
MAX_WINDOW_DAYS = 3660
"""The longest window a service may have (ten years), as the Service model allows."""

_EXACT_DIGITS = 15
"""Beyond this many integer digits a float holds no decimals to round, and rounding to
nine places would need more digits than the decimal context's 28 (InvalidOperation)."""


def _dec(value: float | int) -> Decimal:
    return Decimal(str(value))


def _float(value: Decimal) -> float:
    if value.is_finite() and value.adjusted() < _EXACT_DIGITS:
        return float(round(value, 9))
    return float(value)


def _finite(value: float | int) -> bool:
    return not isinstance(value, float) or math.isfinite(value)


def format_number(value: float, places: int = 1) -> str:
    """``74.0`` → ``74``, ``55.599999`` → ``55.6``: at most ``places`` decimals, no trailing 0."""
    text = f"{round(value, places):.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclasses.dataclass(frozen=True)
class Contribution:
    id: str
    minutes: float


@dataclasses.dataclass(frozen=True)
class ErrorBudget:
    """A budget over one window; every figure is derived from these fields."""

    slo: float
    window_days: int
    elapsed_days: float
    contributions: tuple[Contribution, ...] = ()
    service: str = ""
    as_of: dt.datetime | None = None
    unmeasured: tuple[str, ...] = ()
    """Incidents inside the window with no budget minutes recorded (counted as 0)."""

    def __post_init__(self) -> None:
        numbers = [self.slo, self.window_days, self.elapsed_days]
        if not all(_finite(n) for n in numbers + [c.minutes for c in self.contributions]):
            raise ValueError("every figure of a budget must be a finite number")
        if not 0 < self.slo < 100:
            raise ValueError(f"SLO {self.slo} must be a percentage between 0 and 100")
        if self.window_days <= 0:
            raise ValueError("the window must be at least one day")
        if not 0 <= self.elapsed_days <= self.window_days:
            raise ValueError(
                f"elapsed days ({format_number(self.elapsed_days)}) must be between 0 and the "
                f"window ({self.window_days})"
            )
        if any(c.minutes < 0 for c in self.contributions):
            raise ValueError("consumed minutes cannot be negative")

    @property
    def _budget(self) -> Decimal:
        return self.window_days * _MINUTES_PER_DAY * (100 - _dec(self.slo)) / 100

    @property
    def _consumed(self) -> Decimal:
        return sum((_dec(c.minutes) for c in self.contributions), Decimal(0))

    @property
    def budget_minutes(self) -> float:
        return _float(self._budget)

    @property
    def consumed_minutes(self) -> float:
        return _float(self._consumed)

    @property
    def remaining_minutes(self) -> float:
        """Can be negative: an overspent budget."""
        return _float(self._budget - self._consumed)

    @property
    def consumed_percent(self) -> float:
        return _float(self._consumed / self._budget * 100)

    @property
    def remaining_percent(self) -> float:
        return _float((self._budget - self._consumed) / self._budget * 100)

    @property
    def days_left(self) -> float:
        return _float(self.window_days - _dec(self.elapsed_days))

    @property
    def burn_rate(self) -> float | None:
        """Minutes consumed per elapsed day; None before any day has elapsed."""
        if self.elapsed_days == 0:
            return None
        return _float(self._consumed / _dec(self.elapsed_days))

    @property
    def exhaustion_day(self) -> float | None:
        """The day of the window on which the budget runs out at the current rate."""
        if self.elapsed_days == 0 or self._consumed == 0:
            return None
        return _float(self._budget * _dec(self.elapsed_days) / self._consumed)

    @property
    def days_before_close(self) -> float | None:
        """Days between exhaustion and the window's close; None if not within the window."""
        day = self.exhaustion_day
        if day is None or day > self.window_days:
            return None
        return _float(self.window_days - _dec(day))

    @property
    def exhausted(self) -> bool:
        return self._consumed >= self._budget

    @property
    def policy(self) -> str | None:
        return EXHAUSTED_POLICY if self.exhausted else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "as_of": self.as_of.isoformat().replace("+00:00", "Z") if self.as_of else None,
            "slo": self.slo,
            "window_days": self.window_days,
            "elapsed_days": self.elapsed_days,
            "days_left": self.days_left,
            "budget_minutes": self.budget_minutes,
            "consumed_minutes": self.consumed_minutes,
            "consumed_percent": round(self.consumed_percent, 1),
            "remaining_minutes": self.remaining_minutes,
            "remaining_percent": round(self.remaining_percent, 1),
            "burn_rate_per_day": self.burn_rate,
            "exhaustion_day": self.exhaustion_day,
            "days_before_close": self.days_before_close,
            "exhausted": self.exhausted,
            "policy": self.policy,
            "incidents": [dataclasses.asdict(c) for c in self.contributions],
            "unmeasured": list(self.unmeasured),
        }


def what_if(
    slo: float, window_days: int, elapsed_days: float, consumed: Sequence[float]
) -> ErrorBudget:
    """A budget from bare figures, as ``pmtui budget --slo … --consumed …`` asks for it."""
    contributions = tuple(Contribution(f"#{i}", m) for i, m in enumerate(consumed, start=1))
    return ErrorBudget(slo, window_days, elapsed_days, contributions)


def counts_against_budget(pm: Postmortem, service: Service) -> bool:
    """Whether ``pm`` is one of ``service``'s incidents whose minutes count."""
    if pm.kind != "incident":
        return False
    if pm.service.strip().casefold() != service.name.strip().casefold():
        return False
    return pm.severity != "SEV-4" or service.counts_sev4


def service_budget(
    service: Service,
    postmortems: Iterable[Postmortem],
    as_of: dt.datetime,
    elapsed_days: float | None = None,
) -> ErrorBudget:
    """``service``'s budget over the rolling window ending at ``as_of`` (aware, UTC)."""
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware (use UTC)")
    start = as_of - dt.timedelta(days=service.window_days)
    counted = sorted(
        (
            pm
            for pm in postmortems
            if pm.date_of_incident is not None
            and start < pm.date_of_incident <= as_of
            and counts_against_budget(pm, service)
        ),
        key=lambda pm: (pm.date_of_incident, pm.id),
    )
    contributions = tuple(
        Contribution(pm.id, pm.impact.slo_budget_consumed_minutes or 0) for pm in counted
    )
    unmeasured = tuple(pm.id for pm in counted if pm.impact.slo_budget_consumed_minutes is None)
    return ErrorBudget(
        service.slo,
        service.window_days,
        service.window_days if elapsed_days is None else elapsed_days,
        contributions,
        service.name,
        as_of,
        unmeasured,
    )


def render_budget(budget: ErrorBudget) -> str:
    """The budget as plain text; the article's worked example prints its own figures."""
    who = f"{budget.service} " if budget.service else ""
    lines = [
        f"Error budget {who}(SLO {format_number(budget.slo, 4)} %, "
        f"{budget.window_days}-day window)",
        f"  budget      {format_number(budget.budget_minutes)} min",
        f"  consumed    {format_number(budget.consumed_minutes)} min "
        f"({budget.consumed_percent:.1f} %)",
    ]
    width = max((len(c.id) for c in budget.contributions), default=0)
    for c in budget.contributions:
        lines.append(f"    {c.id:<{width}}  {format_number(c.minutes)} min")
    if budget.unmeasured:
        lines.append(f"    (no budget minutes recorded for {', '.join(budget.unmeasured)})")
    lines += [
        f"  remaining   {format_number(budget.remaining_minutes)} min "
        f"({budget.remaining_percent:.1f} %)",
        f"  elapsed     {format_number(budget.elapsed_days)} of {budget.window_days} days "
        f"({format_number(budget.days_left)} left)",
    ]
    if budget.burn_rate is not None:
        lines.append(f"  burn rate   {format_number(budget.burn_rate, 2)} min/day")
    lines.append(f"  projection  {projection_text(budget)}")
    if budget.policy:
        lines += ["", budget.policy]
    return "\n".join(lines)


def projection_text(budget: ErrorBudget) -> str:
    if budget.exhausted:
        return "budget exhausted"
    day = budget.exhaustion_day
    if day is None:
        return "nothing consumed yet: no exhaustion projected"
    if day > budget.window_days:
        return (
            f"at this rate the budget lasts about {round(day)} days: not exhausted within "
            "the window"
        )
    shown = round(day)
    return (
        f"exhaustion around day {shown}, {budget.window_days - shown} days before the window closes"
    )
