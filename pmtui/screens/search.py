"""Provides the Search screen: the knowledge base searched as you type, ranked, with filters.

Any text typed is a valid query (the store quotes it word by word). The search runs a
short moment after the last keystroke, so typing never waits on it; a newer query
simply replaces the pending one. With advanced syntax on, FTS5 expressions pass
through and a bad one says "invalid search syntax" under the box while the previous
results stay (RELIABILITY T30).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from pmtui.domain.errors import PmtuiError
from pmtui.domain.types import KINDS, SEVERITIES, STATUSES
from pmtui.screens.base import PmtuiScreen
from pmtui.store import InvalidQuery, SearchHit
from pmtui.widgets.footer import QuietFooter
from pmtui.widgets.safe_input import SafeInput
from pmtui.widgets.text import highlighted, literal, one_line, template

DEBOUNCE_S = 0.12
PAGE = 15  # painted at once (more than a screen holds); the last one loads the next page
MATCH_STYLE = "bold reverse"  # readable on any theme and on a projector

_SELECTS = (
    ("search-class", "any class"),
    ("search-service", "any service"),
    ("search-team", "any team"),
    ("search-severity", "any severity"),
    ("search-kind", "any kind"),
    ("search-status", "any status"),
)


def hit_prompt(hit: SearchHit) -> Content:
    """A result in up to three lines: id and title, the match in context, when and what."""
    # Assembled, not templated: no markup to parse for each hit of every page drawn.
    head = Content.assemble((hit.id, "bold"), "  ", one_line(hit.title) or "(untitled)")
    lines = [head]
    if hit.snippet:
        lines.append(literal("  ").append(highlighted(hit.snippet, hit.spans, MATCH_STYLE)))
    facts = [hit.severity or hit.kind, (hit.date_of_incident or "")[:10] or "no date"]
    facts += [hit.service or "no service", hit.status, *hit.failure_classes]
    lines.append(Content.styled("  " + " · ".join(facts), "$text-muted"))
    return Content("\n").join(lines)


def _day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text.strip()) if text.strip() else None


class SearchScreen(PmtuiScreen):
    """Search every postmortem: titles, timelines, factors, whys, action items and tags."""

    FIRST_FRAME_COMPLETE = True  # filled in on_mount

    BINDINGS = [
        Binding("escape", "leave", "Home", tooltip="Back to the list of postmortems.",
                id="search.home"),
        Binding("ctrl+t", "toggle_advanced", "Advanced syntax",
                tooltip="Pass FTS5 syntax (AND, OR, NOT, NEAR, \"phrases\", prefix*) through.",
                id="search.advanced"),
        Binding("ctrl+r", "clear_filters", "Reset filters",
                tooltip="Forget every filter (the query stays).", id="search.clear"),
        Binding("ctrl+o", "app.switch_mode('taxonomy')", "Classes",
                tooltip="The failure-class taxonomy: describe, rename, merge.",
                id="search.classes"),
        Binding("slash", "focus_query", "Query", show=False, id="search.query"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.advanced = False
        self.hits: list[SearchHit] = []
        self.last_error: str | None = None
        self.searches = 0
        """How many searches ran (tests and the benchmark wait on it)."""
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_too_small()
        with Vertical(classes="kb-frame"):
            yield Static("", id="search-title")
            with Horizontal(id="search-bar"):
                yield SafeInput(
                    placeholder="Search titles, timelines, factors, whys, actions, classes",
                    id="search-query",
                    compact=True,
                )
                yield Static("", id="search-mode")
            with Horizontal(classes="search-filters"):
                for ident, prompt in _SELECTS[:3]:
                    yield Select[str]([], prompt=prompt, id=ident, compact=True)
                yield SafeInput(placeholder="since YYYY-MM-DD", id="search-since", compact=True)
            with Horizontal(classes="search-filters"):
                for ident, prompt in _SELECTS[3:]:
                    yield Select[str]([], prompt=prompt, id=ident, compact=True)
                yield SafeInput(placeholder="until YYYY-MM-DD", id="search-until", compact=True)
            yield Static("", id="search-message")
            yield OptionList(id="search-results")
        yield QuietFooter()

    @property
    def query_input(self) -> Input:
        return self.query_one("#search-query", Input)

    @property
    def results(self) -> OptionList:
        return self.query_one("#search-results", OptionList)

    def on_mount(self) -> None:
        self._fill_choices()
        self._show_mode()
        self.run_search()
        self.query_input.focus()

    def on_screen_resume(self) -> None:
        self._fill_choices()
        self.run_search()

    def _fill_choices(self) -> None:
        store = self.pmtui.store
        choices: dict[str, list[str]] = {
            "search-class": [c.slug for c in store.failure_classes()],
            "search-service": store.service_names(),
            "search-team": store.teams(),
            "search-severity": list(SEVERITIES),
            "search-kind": list(KINDS),
            "search-status": list(STATUSES),
        }
        for ident, values in choices.items():
            select = self.query_one(f"#{ident}", Select)
            keep = select.value
            with select.prevent(Select.Changed):
                select.set_options([(literal(v), v) for v in values])
                if isinstance(keep, str) and keep in values:
                    select.value = keep

    def _show_mode(self) -> None:
        mode = "FTS5 syntax" if self.advanced else "any words"
        self.query_one("#search-mode", Static).update(
            template("[b]$mode[/b] [dim](ctrl+t)[/]", mode=mode)
        )
        self.set_class(self.advanced, "-advanced")
        title = "[b]Search the knowledge base[/b]  [dim]enter opens · esc home[/]"
        self.query_one("#search-title", Static).update(Content.from_markup(title))

    # ---- searching -------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        """The filters as ``Store.search`` keywords; a date being typed is ignored until valid."""
        found: dict[str, Any] = {}
        for ident, keyword in (
            ("search-class", "failure_classes"),
            ("search-service", "services"),
            ("search-team", "teams"),
            ("search-severity", "severities"),
            ("search-kind", "kinds"),
            ("search-status", "statuses"),
        ):
            value = self.query_one(f"#{ident}", Select).value
            if isinstance(value, str):
                found[keyword] = [value]
        self.date_problems = []
        for ident, keyword in (("search-since", "since"), ("search-until", "until")):
            typed = self.query_one(f"#{ident}", Input).value
            try:
                found[keyword] = _day(typed)
            except ValueError:
                found[keyword] = None
                self.date_problems.append(f'{keyword} "{typed.strip()}" is not a date (YYYY-MM-DD)')
        return found

    limit = PAGE
    date_problems: list[str] = []  # replaced on every search, never mutated in place

    def schedule_search(self) -> None:
        self.limit = PAGE  # a new query starts from its first page
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_S, self.run_search)

    def run_search(self) -> None:
        """Search now and show the ranked hits (or say why not, keeping the last ones)."""
        self._timer = None
        query = self.query_input.value
        try:
            hits = self.pmtui.store.search(
                query, limit=self.limit, advanced=self.advanced, **self.filters()
            )
        except InvalidQuery:
            self._say(
                "invalid search syntax — the results below are from the last valid search",
                error=True,
            )
            self.searches += 1
            return
        except PmtuiError as exc:
            self._say(f"search failed: {exc}", error=True)
            self.searches += 1
            return
        self.hits = hits
        results = self.results
        keep = results.highlighted
        # One replacement: clearing first would empty the list's virtual size and set it
        # back, and each change of it lays the whole screen out again.
        results.set_options(Option(hit_prompt(h), id=h.id) for h in hits)
        if hits:
            results.highlighted = min(keep or 0, len(hits) - 1)
        self._say(self._summary())
        self.searches += 1

    def _summary(self) -> str:
        ignored = "".join(f" · {problem}, ignored" for problem in self.date_problems)
        count = len(self.hits)
        if not count:
            return "No postmortem matches. Fewer words or fewer filters find more." + ignored
        more = f" (the first {count}; more below)" if count >= self.limit else ""
        order = "best match first" if self.query_input.value.strip() else "newest first"
        return f"{count} postmortem{'s' * (count != 1)}{more}, {order} · ↓ to the results{ignored}"

    def _say(self, text: str, *, error: bool = False) -> None:
        self.last_error = text if error else None
        message = self.query_one("#search-message", Static)
        message.update(literal(text), layout=False)  # one line, whatever it says
        message.set_class(error, "-error")

    @on(Input.Changed, "#search-query")
    @on(Input.Changed, "#search-since")
    @on(Input.Changed, "#search-until")
    @on(Select.Changed)
    def _changed(self) -> None:
        self.schedule_search()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.run_search()
        if self.hits:
            self.results.focus()

    @on(OptionList.OptionHighlighted, "#search-results")
    def _more(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index == len(self.hits) - 1 and len(self.hits) >= self.limit:
            self.limit += PAGE
            self.run_search()

    @on(OptionList.OptionSelected, "#search-results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.pmtui.open_postmortem(event.option.id)

    def on_key(self, event: Any) -> None:
        # Down from the query box goes to the results, as in any search field.
        if event.key == "down" and self.query_input.has_focus and self.hits:
            self.results.focus()
            event.stop()

    # ---- actions ---------------------------------------------------------------------

    def action_leave(self) -> None:
        self.pmtui.switch_mode("home")

    def action_focus_query(self) -> None:
        self.query_input.focus()

    def action_toggle_advanced(self) -> None:
        self.advanced = not self.advanced
        self._show_mode()
        self.run_search()

    def action_clear_filters(self) -> None:
        for ident, _ in _SELECTS:
            self.query_one(f"#{ident}", Select).clear()
        for ident in ("#search-since", "#search-until"):
            self.query_one(ident, Input).value = ""
        self.run_search()

    def search_for(self, *, query: str = "", failure_class: str | None = None) -> None:
        """Show a search from elsewhere (the taxonomy, the dashboard)."""
        self.query_input.value = query
        select = self.query_one("#search-class", Select)
        if failure_class:
            self._fill_choices()
            select.value = failure_class
        else:
            select.clear()
        self.run_search()
