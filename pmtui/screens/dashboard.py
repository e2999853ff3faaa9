"""Provides the Dashboard screen: error budgets, practice metrics by quarter, what is overdue.

The figures are the rules module's (computed by the store in SQL, proved equal by the
tests). Every row opens the postmortems behind it: a service's budget lists the
incidents that consumed it, a metric lists its postmortems quarter by quarter, an
owner lists their past-due items; enter on any of those opens the meeting.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from pmtui.domain.budget import ErrorBudget, format_number, projection_text
from pmtui.domain.dashboard import Dashboard, QuarterTrend
from pmtui.domain.metrics import COMPLETION_TARGET
from pmtui.screens.base import PmtuiScreen
from pmtui.screens.picker import PostmortemPicker
from pmtui.widgets.footer import QuietFooter
from pmtui.widgets.row_table import RowTable
from pmtui.widgets.text import cell, literal, one_line

BAR_WIDTH = 12
BUDGET_COLUMNS = ("Service", "Used", "Left (min)", "Budget", "Projection")
METRIC_COLUMNS = ("Metric", "Latest", "Trend", "Period")
_BLOCKS = "▁▂▃▄▅▆▇█"

# (key, label, figure of a quarter, ids behind it)
METRICS = (
    ("incidents", "Incident postmortems", lambda q: len(q.incidents), lambda q: q.incidents),
    (
        "publish",
        "Median hours to publish",
        lambda q: q.median_hours,
        lambda q: tuple(i for i, _ in q.published_hours),
    ),
    (
        "late",
        "Published late or overdue",
        lambda q: len(q.late_or_overdue),
        lambda q: q.late_or_overdue,
    ),
    (
        "done30",
        "Action items done in 30 d",
        lambda q: None if q.completion_rate is None else round(q.completion_rate * 100),
        lambda q: q.action_postmortems,
    ),
    (
        "recurring",
        "Recurring failure classes",
        lambda q: len(q.recurring),
        lambda q: q.recurring_ids,
    ),
    ("near", "Near-misses reported", lambda q: len(q.near_misses), lambda q: q.near_misses),
)


def sparkline(values: Sequence[float | None]) -> str:
    """Values as block characters, scaled to the largest; a gap where there is no value."""
    known = [v for v in values if v is not None]
    top = max(known, default=0)
    if not top:
        return "".join(" " if v is None else _BLOCKS[0] for v in values)
    return "".join(
        " " if v is None else _BLOCKS[min(len(_BLOCKS) - 1, int(v / top * (len(_BLOCKS) - 1)))]
        for v in values
    )


def short_projection(budget: ErrorBudget) -> str:
    """The projection in a table cell's width; the picker's title says it in full."""
    if budget.exhausted:
        return "exhausted"
    day = budget.exhaustion_day
    if day is None:
        return "nothing burnt"
    if day > budget.window_days:
        return "lasts the window"
    return f"out ~day {round(day)} of {budget.window_days}"


def _latest(values: Sequence[float | int | None], suffix: str = "") -> str:
    value = values[-1] if values else None
    return "—" if value is None else f"{format_number(float(value))}{suffix}"


class DashboardScreen(PmtuiScreen):
    """The practice at a glance; enter on any row lists the postmortems behind it."""

    FIRST_FRAME_COMPLETE = True  # filled in on_mount

    BINDINGS = [
        Binding("escape", "leave", "Home", tooltip="Back to the list of postmortems.",
                id="dashboard.home"),
        Binding("r", "reload", "Refresh", tooltip="Compute the figures again.",
                id="dashboard.refresh"),
        Binding("s", "app.switch_mode('search')", "Search",
                tooltip="Search the knowledge base.", id="dashboard.search"),
    ]  # fmt: skip
    # No auto focus: it would give the scroll frame the focus, and moving it to a table
    # after the first paint restyles every table and paints them all again.
    AUTO_FOCUS = ""

    def __init__(self) -> None:
        super().__init__()
        self.board: Dashboard | None = None
        self._drawn: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_too_small()
        with VerticalScroll(classes="kb-frame", id="dash"):
            yield Static("", id="dash-title")
            yield Static(Content.from_markup("[b]Error budgets[/b]"), classes="dash-head")
            yield RowTable(id="dash-budgets")
            yield Static("", id="dash-policy")
            yield Static("", id="dash-metrics-head", classes="dash-head")
            yield RowTable(id="dash-metrics")
            yield Static("", id="dash-overdue-head", classes="dash-head")
            yield RowTable(id="dash-overdue")
            yield Static("", id="dash-owners-head", classes="dash-head")
            yield RowTable(id="dash-owners")
        yield QuietFooter()

    def table(self, name: str) -> RowTable:
        return self.query_one(f"#dash-{name}", RowTable)

    def on_mount(self) -> None:
        # Filled now, the tables have their sizes for the first layout (filled later, the
        # screen is laid out and painted again); the ScreenResume that follows finds the
        # figures current.
        self.reload()
        # Before any layout: no scrolling (an animation of a dozen frames) to "reveal" it.
        self.set_focus(self.table("budgets"), scroll_visible=False)

    def on_screen_resume(self) -> None:
        self.reload()

    # ---- drawing ---------------------------------------------------------------------

    def reload(self, *, force: bool = False) -> None:
        """Compute and draw the figures, unless nothing they depend on changed.

        Textual resumes a mode's screen twice when it is first shown, and every return
        from Home resumes it again; the figures change only with the data (any commit, this
        connection's or another's) or the clock, so the same commit mark and minute keep
        what is drawn.
        """
        store = self.pmtui.store
        now = self.pmtui.now()
        key = (store.change_mark(), now.replace(second=0, microsecond=0))
        if key == self._drawn and not force:
            return
        board = store.dashboard(now)
        self.board = board
        self._drawn = key
        title = (
            f"[b]Practice dashboard[/b] [dim]{board.now:%Y-%m-%d} · since {board.since} · "
            "enter lists postmortems[/]"
        )
        self.query_one("#dash-title", Static).update(Content.from_markup(title))
        self._budgets(board.budgets)
        self._metrics(board)
        self._overdue(board)
        self._owners(board)

    def _bar(self, budget: ErrorBudget) -> Text:
        theme = self.app.current_theme
        share = min(max(budget.consumed_percent / 100, 0.0), 1.0)
        filled = round(share * BAR_WIDTH)
        if budget.exhausted:
            colour = theme.error
        elif share >= 0.75:
            colour = theme.warning
        else:
            colour = theme.success
        return Text.assemble(
            ("█" * filled, f"bold {colour}"),
            ("░" * (BAR_WIDTH - filled), "dim"),
            f" {budget.consumed_percent:.0f} %",
        )

    def _budgets(self, budgets: Sequence[ErrorBudget]) -> None:
        self._long_table(
            "budgets",
            BUDGET_COLUMNS,
            [
                (
                    b.service,
                    (
                        cell(b.service, "bold"),
                        self._bar(b),
                        cell(format_number(b.remaining_minutes)),
                        cell(f"{format_number(b.budget_minutes)}/{b.window_days}d"),
                        cell(short_projection(b), "bold" if b.exhausted else ""),
                    ),
                )
                for b in budgets
            ],
            hide_empty=False,
        )
        exhausted = [b for b in budgets if b.policy]
        policy = self.query_one("#dash-policy", Static)
        if exhausted:
            names = ", ".join(b.service for b in exhausted)
            policy.update(literal(f"{names}: {exhausted[0].policy}"))
        elif budgets:
            policy.update(literal("No budget is exhausted."))
        else:
            policy.update(literal("No services with an SLO yet."))
        policy.set_class(bool(exhausted), "-exhausted")

    def _metrics(self, board: Dashboard) -> None:
        quarters = board.quarters
        span = f"{quarters[0].quarter}–{quarters[-1].quarter}" if quarters else ""
        self.query_one("#dash-metrics-head", Static).update(
            Content.from_markup(
                "[b]Practice by quarter[/b] [dim]$span (oldest → newest)[/]", span=span
            )
        )
        metrics = board.metrics
        totals = {
            "incidents": str(metrics.postmortems),
            "publish": _latest([metrics.median_hours_to_publish], " h"),
            "late": str(sum(1 for p in metrics.publication if p.state in ("late", "overdue"))),
            "done30": "—" if metrics.actions.rate is None else f"{metrics.actions.rate:.0%}",
            "recurring": str(len(metrics.recurring)),
            "near": str(metrics.near_misses),
        }
        rows: list[tuple[str, Sequence[Text]]] = []
        for key, label, figure, _ in METRICS:
            values = [figure(q) for q in quarters]
            suffix = " %" if key == "done30" else (" h" if key == "publish" else "")
            low = (
                key == "done30"
                and metrics.actions.rate is not None
                and metrics.actions.rate < COMPLETION_TARGET
            )
            rows.append(
                (
                    key,
                    (
                        cell(label),
                        cell(_latest(values, suffix)),
                        cell(sparkline(values), "bold"),
                        cell(totals[key] + ("  below 70 %" if low else ""), "bold" if low else ""),
                    ),
                )
            )
        self._long_table("metrics", METRIC_COLUMNS, rows, hide_empty=False)

    def _overdue(self, board: Dashboard) -> None:
        overdue = board.metrics.overdue
        self.query_one("#dash-overdue-head", Static).update(
            Content.from_markup(f"[b]Overdue postmortems[/b] [dim]({len(overdue)})[/]")
        )
        self._long_table(
            "overdue",
            ("Postmortem", "Overdue", "Was due"),
            [
                (
                    f"{item.id}#{index}",
                    (cell(item.id), cell(item.what), cell(f"{item.deadline:%Y-%m-%d %H:%M}")),
                )
                for index, item in enumerate(overdue)
            ],
        )

    def _owners(self, board: Dashboard) -> None:
        groups = board.past_due_by_owner()
        count = sum(len(items) for _, items in groups)
        self.query_one("#dash-owners-head", Static).update(
            Content.from_markup(f"[b]Action items past due, by owner[/b] [dim]({count})[/]")
        )
        self._long_table(
            "owners",
            ("Owner", "Past due", "Oldest"),
            [
                (owner, (cell(owner), cell(str(len(items))), cell(min(i.due for i in items))))
                for owner, items in groups
            ],
        )

    def _long_table(
        self,
        name: str,
        labels: Sequence[str],
        rows: Sequence[tuple[str, Sequence[Text]]],
        *,
        hide_empty: bool = True,
    ) -> None:
        """Fill a table: each column as wide as its widest cell (or its label).

        A RowTable keeps the rows' cells and draws only the lines on screen, so a couple
        of hundred owners cost nothing until they are scrolled to.
        """
        table = self.table(name)
        table.clear(columns=True)
        for index, label in enumerate(labels):
            widest = max((cells[index].cell_len for _, cells in rows), default=0)
            table.add_column(label, key=label, width=max(len(label), widest))
        table.add_rows(rows)
        if hide_empty:
            table.display = bool(rows)

    # ---- the postmortems behind a figure ---------------------------------------------

    @on(RowTable.RowSelected)
    def _row_selected(self, event: RowTable.RowSelected) -> None:
        board = self.board
        key = event.row_key
        if board is None:
            return
        which = (event.table.id or "").removeprefix("dash-")
        if which == "overdue":
            self.pmtui.open_postmortem(key.split("#")[0])
        elif which == "budgets":
            budget = next(b for b in board.budgets if b.service == key)
            self.pick(
                f"{budget.service}: {projection_text(budget)}. Incidents in the "
                f"{budget.window_days}-day window:",
                [(c.id, f"{c.id}  {format_number(c.minutes)} min") for c in budget.contributions],
                note="" if budget.contributions else "No incident consumed this budget.",
            )
        elif which == "metrics":
            self.pick_metric(key)
        elif which == "owners":
            items = dict(board.past_due_by_owner()).get(key, [])
            self.pick(
                f"Past due: {key}",
                [
                    (
                        i.postmortem_id,
                        f"{i.postmortem_id} {i.ref}  due {i.due}  {one_line(i.description, 60)}",
                    )
                    for i in items
                ],
            )

    def pick_metric(self, key: str) -> None:
        board = self.board
        assert board is not None
        label, ids_of = next((m[1], m[3]) for m in METRICS if m[0] == key)
        entries: list[tuple[str, str]] = []
        for quarter in reversed(board.quarters):
            entries += [(i, f"{quarter.quarter}  {i}") for i in ids_of(quarter)]
        if key == "recurring":
            entries = self._recurring_entries(board.quarters)
        self.pick(f"{label}: the postmortems behind it", entries)

    def _recurring_entries(self, quarters: Sequence[QuarterTrend]) -> list[tuple[str, str]]:
        entries = []
        for quarter in reversed(quarters):
            for rec in quarter.recurring:
                entries += [(i, f"{quarter.quarter}  {rec.failure_class}  {i}") for i in rec.ids]
        return entries

    def pick(self, title: str, entries: list[tuple[str, str]], note: str = "") -> None:
        def chosen(ident: str | None) -> None:
            if ident:
                self.pmtui.open_postmortem(ident)

        self.app.push_screen(PostmortemPicker(title, entries, note), chosen)

    # ---- actions ---------------------------------------------------------------------

    def action_leave(self) -> None:
        self.pmtui.switch_mode("home")

    def action_reload(self) -> None:
        self.reload(force=True)
