"""Provides the error-budget panel: this incident's minutes against its service's budget.

:func:`budget_view` works out what to show (pure, from the document, the service and
its postmortems); :class:`BudgetPanel` draws it: the budget, what other incidents in
the window consumed, this incident's minutes, what remains, a bar that turns to the
error colour when the budget is gone, and the exhausted-budget policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from textual.content import Content
from textual.widget import Widget

from pmtui.domain.budget import ErrorBudget, format_number, service_budget
from pmtui.domain.models import Postmortem, Service
from pmtui.widgets.text import literal, template


@dataclass(frozen=True)
class BudgetView:
    """What the panel shows; ``problem`` says why there is no budget to show."""

    service: str
    problem: str | None = None
    budget: ErrorBudget | None = None
    this_id: str = ""
    this_minutes: float | None = None
    """This postmortem's minutes as counted, or None when it does not count."""
    not_counted: str = ""
    """Why this postmortem does not count against the budget (when it does not)."""
    at_restoration: bool = False
    """The window ends at this incident's restoration (else: now)."""

    @property
    def others_minutes(self) -> float:
        if self.budget is None:
            return 0.0
        return max(self.budget.consumed_minutes - (self.this_minutes or 0), 0.0)

    @property
    def other_ids(self) -> list[str]:
        if self.budget is None:
            return []
        return [c.id for c in self.budget.contributions if c.id != self.this_id]


def budget_view(
    doc: Postmortem,
    service: Service | None,
    postmortems: Iterable[Postmortem],
    as_of: dt.datetime,
) -> BudgetView:
    """The budget of ``doc``'s service over the window ending at ``as_of``.

    ``postmortems`` are the service's stored documents; ``doc`` (the live, possibly
    unsaved-elsewhere copy) replaces its own stored version.
    """
    name = doc.service.strip()
    if not name:
        return BudgetView(
            "",
            "No service is set for this postmortem (Setup step), so there "
            "is no error budget to show.",
        )
    if service is None:
        return BudgetView(
            name,
            f"No SLO is configured for the service “{name}”, so there is no error budget to show.",
        )
    documents = [pm for pm in postmortems if pm.id != doc.id] + [doc]
    try:
        budget = service_budget(service, documents, as_of)
    except ValueError as exc:
        return BudgetView(name, f"The budget cannot be computed: {exc}")
    this = next((c for c in budget.contributions if c.id == doc.id), None)
    reason = ""
    if this is None:
        if doc.kind == "near-miss":
            reason = "a near-miss"
        elif doc.severity == "SEV-4" and not service.counts_sev4:
            reason = "SEV-4 does not count for this service"
        elif doc.date_of_incident is None:
            reason = "no start time yet: set it in Setup"
        else:
            reason = "outside the window"
    return BudgetView(
        name,
        None,
        budget,
        doc.id,
        None if this is None else this.minutes,
        reason,
        at_restoration=doc.date_restored is not None and doc.date_restored == as_of,
    )


def _minutes(value: float) -> str:
    return f"{format_number(value)} min"


class BudgetPanel(Widget):
    """Draws a :class:`BudgetView`; the bar fits the panel's width."""

    DEFAULT_CSS = """
    BudgetPanel {
        height: auto;
        border: round $primary 60%;
        padding: 0 1;
    }
    BudgetPanel.-exhausted {
        border: heavy $error;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: BudgetView | None = None

    def show(self, view: BudgetView) -> None:
        if view == self.view:
            return  # as drawn: a layout would be spent on the same lines
        self.view = view
        self.set_class(view.budget is not None and view.budget.exhausted, "-exhausted")
        self.refresh(layout=True)

    @property
    def exhausted(self) -> bool:
        return self.view is not None and self.view.budget is not None and self.view.budget.exhausted

    def render(self) -> Content:
        view = self.view
        if view is None:
            return literal("")
        if view.problem or view.budget is None:
            return template("[b]Error budget[/b]\n[$text-muted]$p[/]", p=view.problem or "")
        budget = view.budget
        if budget.as_of is None:
            window = "ending now"
        else:
            ending = budget.as_of.strftime("%Y-%m-%d %H:%M UTC")
            window = f"ending {ending}" + (" (restoration)" if view.at_restoration else "")
        lines = [
            template(
                "[b]Error budget · $service[/b] · SLO $slo % · $days-day window",
                service=view.service,
                slo=format_number(budget.slo, 4),
                days=budget.window_days,
            ),
            template("[$text-muted]  window $window[/]", window=window),
            self._row("budget", _minutes(budget.budget_minutes)),
            self._row("other incidents", self._others(view), "$primary"),
            self._row("this incident", self._this(view), "$warning"),
            self._remaining(budget),
            self._bar(view),
        ]
        if budget.unmeasured:
            lines.append(
                template(
                    "[$text-muted]no budget minutes recorded yet for $ids[/]",
                    ids=", ".join(budget.unmeasured),
                )
            )
        if budget.policy:
            lines.append(template("[b $text-error]$p[/]", p=budget.policy))
        return Content("\n").join(lines)

    @staticmethod
    def _row(label: str, value: str, style: str = "") -> Content:
        # The label takes the colour of its segment of the bar: the bar's legend.
        return (
            Content("  ").append(Content.styled(f"{label:<16}", style)).append(literal(f" {value}"))
        )

    @staticmethod
    def _others(view: BudgetView) -> str:
        ids = view.other_ids
        if not ids:
            return _minutes(0) + " (none in the window)"
        shown = ", ".join(ids[:3]) + (f" +{len(ids) - 3} more" if len(ids) > 3 else "")
        return f"{_minutes(view.others_minutes)} ({shown})"

    @staticmethod
    def _this(view: BudgetView) -> str:
        if view.this_minutes is None:
            return f"not counted ({view.not_counted})"
        return _minutes(view.this_minutes)

    @staticmethod
    def _remaining(budget: ErrorBudget) -> Content:
        value = f"{_minutes(budget.remaining_minutes)} ({budget.remaining_percent:.1f} %)"
        if budget.exhausted:
            return template(
                "  $label [b $text-error]$value · exhausted[/]",
                label=f"{'remaining':<16}",
                value=value,
            )
        return template(
            "  $label [b $text-success]$value[/]", label=f"{'remaining':<16}", value=value
        )

    def _bar(self, view: BudgetView) -> Content:
        budget = view.budget
        assert budget is not None
        width = max(10, min(self.size.width - 14 if self.size.width else 50, 60))
        total = budget.budget_minutes or 1
        if budget.exhausted:
            percent = budget.consumed_percent
            return template(
                "  [$text-error]$bar[/] [b $text-error]$p % used[/]",
                bar="█" * width,
                p=f"{percent:.0f}",
            )
        others = round(view.others_minutes / total * width)
        this = round((view.this_minutes or 0) / total * width)
        this = min(this, width - others)
        rest = width - others - this
        return (
            Content("  ")
            .append(Content.styled("█" * others, "$primary"))
            .append(Content.styled("█" * this, "$warning"))
            .append(Content.styled("░" * rest, "$text-muted"))
            .append(Content(f" {budget.consumed_percent:.0f} % used"))
        )
