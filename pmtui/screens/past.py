"""Provides the Past incidents step: search the other postmortems, link matches, see the undone.

On opening, the search runs for the document's failure classes and service, so the
room sees at once whether this has happened before; words narrow it. A past incident's
action items that were never completed are counted in the table and listed in the error
colour under it — the recurrence the article is about. Showing the results records
that the search was run (gate G-PAST-SEARCH), once per visit.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from pmtui.domain.errors import DocumentInvalid, PmtuiError
from pmtui.domain.fields import validate_value
from pmtui.domain.models import Postmortem
from pmtui.screens.base import StepScreen
from pmtui.screens.dialogs import ChoiceDialog, FormDialog, FormField
from pmtui.store.search import SearchHit
from pmtui.widgets import redraw
from pmtui.widgets.past_detail import PastDetailDialog
from pmtui.widgets.past_results import PastResults, detail, undone_items
from pmtui.widgets.safe_input import SafeInput
from pmtui.widgets.text import literal

LIMIT = 50
TYPING_PAUSE = 0.25  # seconds of quiet typing before the search runs


def _slug_problem(text: str) -> str | None:
    try:
        validate_value(Postmortem, "failure_classes", [text], "failure_classes")
    except DocumentInvalid as exc:
        return exc.problems[0].split(": ", 1)[-1]
    return None


def _merged(*groups: list[SearchHit]) -> list[SearchHit]:
    """Union of hit lists by id; best rank first, then newest incident first."""
    seen: dict[str, SearchHit] = {}
    for hits in groups:
        for hit in hits:
            seen.setdefault(hit.id, hit)
    by_date = sorted(seen.values(), key=lambda h: h.date_of_incident or "", reverse=True)
    return sorted(by_date, key=lambda h: h.rank)


class PastIncidentsScreen(StepScreen):
    STEP = "past"
    # The results, as every visit leaves it: focus on the search field would hide the
    # letter keys from the footer in the first frame.
    AUTO_FOCUS = "#past-results"
    BINDINGS = [
        Binding(
            "slash",
            "focus_search",
            "Search",
            tooltip="Type words to search every postmortem.",
            id="past.search",
        ),
        Binding("escape", "leave_search", "Results", show=False, id="past.results"),
        Binding(
            "l",
            "link",
            "Link",
            tooltip="Link the selected postmortem as related to this one.",
            id="past.link",
        ),
        Binding(
            "u",
            "unlink",
            "Unlink",
            tooltip="Remove the selected postmortem from related.",
            id="past.unlink",
            show=False,
        ),
        Binding(
            "f",
            "toggle_class",
            "Same class",
            tooltip="Only postmortems sharing a failure class with this one (on/off).",
            id="past.same_class",
        ),
        Binding(
            "s",
            "toggle_service",
            "Same service",
            tooltip="Only postmortems of this service (on/off).",
            id="past.same_service",
        ),
        Binding(
            "t",
            "add_class",
            "Tag class",
            tooltip="Tag this postmortem with a failure class.",
            id="past.add_class",
            show=False,
        ),
        Binding(
            "r",
            "remove_class",
            "Untag",
            tooltip="Remove one of this postmortem's failure classes.",
            id="past.remove_class",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._ident: str | None = None
        self._same_class = True
        self._same_service = True
        self._docs: dict[str, Postmortem] = {}
        self._fallback = False
        self._pending: Timer | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="past-line"):
            yield Static("", id="past-classes", markup=False)
            yield Static("t tag · r untag", id="past-tag-hint", classes="hint", markup=False)
        with Horizontal(classes="past-line"):
            yield Static("", id="past-linked", markup=False)
            yield Static("l link · u unlink", id="past-link-hint", classes="hint", markup=False)
        with Horizontal(id="past-search-row"):
            yield SafeInput(
                placeholder="/ search words: titles, timeline, factors, whys, actions",
                id="past-search",
                compact=True,
            )
            yield Static("", id="past-filters", markup=False)
        yield Static("", id="past-status", markup=False)
        yield PastResults(id="past-results")
        yield Static("", id="past-detail", markup=False)

    @property
    def search_input(self) -> Input:
        return self.query_one("#past-search", Input)

    @property
    def results(self) -> PastResults:
        return self.query_one(PastResults)

    # ---- visiting --------------------------------------------------------------------

    ALWAYS_REFRESH = True  # other postmortems may have changed since the last visit

    def on_screen_resume(self) -> None:
        # Runs before StepScreen.on_screen_resume, which then redraws (and searches) once:
        # Textual calls every class's handler, so no super() here.
        if self.pmtui.session is None:
            return
        if self._ident != self.session.ident:
            # Another postmortem: start from its own classes and service, no words.
            self._ident = self.session.ident
            self._same_class = self._same_service = True
            with self.search_input.prevent(Input.Changed):
                self.search_input.value = ""
        self._docs.clear()  # other postmortems may have changed since the last visit
        self.results.focus()

    def on_screen_suspend(self) -> None:
        self._cancel_pending()

    def refresh_body(self) -> None:
        doc = self.session.doc
        classes = Content.styled("Failure classes: ", "bold")
        if doc.failure_classes:
            for index, slug in enumerate(doc.failure_classes):
                if index:
                    classes = classes.append(" ")
                classes = classes.append(Content.styled(f" {slug} ", "bold reverse"))
        else:
            none = Content.styled("none yet — press t to tag one", "$text-warning")
            classes = classes.append(none)
        redraw.update(self.query_one("#past-classes", Static), classes)
        linked = Content.styled("Related: ", "bold").append(
            literal(", ".join(doc.related_incidents))
            if doc.related_incidents
            else Content.styled("none linked", "$text-muted")
        )
        redraw.update(self.query_one("#past-linked", Static), linked)
        locked = self.session.locked
        redraw.update(
            self.query_one("#past-tag-hint", Static),
            "read only: reopen it in Review to change" if locked else "t tag · r untag",
        )
        self.query_one("#past-link-hint", Static).display = not locked
        self.run_search()

    # ---- searching -------------------------------------------------------------------

    def _filters_line(self) -> Content:
        def toggle(on: bool, key: str, label: str) -> Content:
            mark = "■" if on else "□"
            return Content.styled(f"{mark} {key} {label}", "bold" if on else "$text-muted")

        return (
            toggle(self._same_class, "f", "same class")
            .append("  ")
            .append(toggle(self._same_service, "s", "same service"))
        )

    def run_search(self) -> None:
        """Search with the words typed and the toggles; show hits, counts and the detail."""
        self._cancel_pending()
        doc = self.session.doc
        query = self.search_input.value
        classes = list(doc.failure_classes) if self._same_class else []
        services = [doc.service] if self._same_service and doc.service else []
        store = self.pmtui.store
        try:
            hits = self._scoped(query, classes, services, LIMIT)
            # When no other postmortem shares the class or the service, the screen says
            # so and searches all of them instead: words then search all of them too.
            self._fallback = (
                not hits
                and bool(classes or services)
                and (not query.strip() or not self._scoped("", classes, services, 1))
            )
            if self._fallback:
                hits = store.search(query, exclude=[doc.id], limit=LIMIT)
        except (PmtuiError, sqlite3.Error) as exc:
            # The store quotes every word; this is the last line of defence, never a crash.
            self.notify(str(exc), title="Search failed", severity="error", markup=False)
            hits = []
        self._load_docs(hits)
        undone = {h.id: len(undone_items(self._docs[h.id])) for h in hits if h.id in self._docs}
        self.results.show(
            hits,
            linked=set(doc.related_incidents),
            undone=undone,
            shared_classes=set(doc.failure_classes),
        )
        redraw.update(self.query_one("#past-filters", Static), self._filters_line())
        self._show_status(hits, query, classes, services)
        self._show_detail()
        self.refresh_bindings()
        if doc.past_incidents_searched_at is None and not self.session.locked:
            # The first search run is what the gate asks for. Not later ones: a visit
            # to a postmortem searched before would change it (and its saved time).
            # Only the header, the step bar and the findings show it: saving through
            # self.save would redraw the body, which searches all over again.
            self.pmtui.run_edit(self.session.record_past_search)
            self.refresh_chrome()

    def _scoped(
        self, query: str, classes: list[str], services: list[str], limit: int
    ) -> list[SearchHit]:
        """The hits for ``query`` among the postmortems sharing a class or the service."""
        store = self.pmtui.store
        common: dict[str, Any] = {"exclude": [self.session.doc.id], "limit": limit}
        if classes and services:
            # Either one makes a past incident relevant: same class anywhere, or same service.
            return _merged(
                store.search(query, failure_classes=classes, **common),
                store.search(query, services=services, **common),
            )[:limit]
        return store.search(query, failure_classes=classes, services=services, **common)

    def _load_docs(self, hits: list[SearchHit]) -> None:
        for hit in hits:
            if hit.id not in self._docs:
                try:
                    self._docs[hit.id] = self.pmtui.store.load(hit.id)
                except PmtuiError:
                    continue  # deleted by another terminal since the search: no count

    def _show_status(
        self, hits: list[SearchHit], query: str, classes: list[str], services: list[str]
    ) -> None:
        parts = [", ".join(classes)] if classes else []
        parts += [f"the {service} service" for service in services]
        scope = " or ".join(parts)
        words = f'"{query.strip()}"' if query.strip() else ""
        count = f"{len(hits)} past postmortem{'s' * (len(hits) != 1)}"
        if self._fallback and words:
            found = (
                f"{len(hits)} match{'es' * (len(hits) == 1)} {words}"
                if hits
                else (f"none matches {words}")
            )
            text = f"None shares {scope} — searching all instead: {found}"
        elif self._fallback:
            text = f"None shares {scope} — showing all {len(hits)} instead"
        elif not hits:
            widen = " Press f or s to widen the search." if scope else ""
            text = f"No past postmortem matches {words or 'these filters'}.{widen}"
        else:
            verb = " matches " if len(hits) == 1 else " match "
            text = count + (verb + words if words else "")
            text += f" sharing {scope}" if scope else ("" if words else " (all)")
        undone = sum(1 for h in hits if h.id in self._docs and undone_items(self._docs[h.id]))
        if undone:
            text += f" · {undone} with undone action items"
        redraw.update(self.query_one("#past-status", Static), literal(text))

    def _show_detail(self) -> None:
        hit = self.results.selected
        panel = self.query_one("#past-detail", Static)
        panel.display = hit is not None
        if hit is not None:
            linked = hit.id in self.session.doc.related_incidents
            redraw.update(panel, detail(hit, self._docs.get(hit.id), linked))

    def _cancel_pending(self) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None

    @on(Input.Changed, "#past-search")
    def _typed(self) -> None:
        self._cancel_pending()
        self._pending = self.set_timer(TYPING_PAUSE, self.run_search)

    @on(Input.Submitted, "#past-search")
    def _submitted(self) -> None:
        self.run_search()
        self.results.focus()

    @on(DataTable.RowHighlighted, "#past-results")
    def _highlighted(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#past-results")
    def _selected(self) -> None:
        self.action_details()

    # ---- actions ---------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.search_input.focus()

    def action_leave_search(self) -> None:
        self.results.focus()

    def action_toggle_class(self) -> None:
        self._same_class = not self._same_class
        self.run_search()

    def action_toggle_service(self) -> None:
        self._same_service = not self._same_service
        self.run_search()

    def action_details(self) -> None:
        hit = self.results.selected
        doc = self._docs.get(hit.id) if hit else None
        if hit is None or doc is None:
            return
        linked = hit.id in self.session.doc.related_incidents

        def closed(choice: str | None) -> None:
            if choice == "link" and not linked:
                self.save(lambda: self.session.add_related(hit.id))

        self.app.push_screen(PastDetailDialog(doc, linked=linked), closed)

    def action_link(self) -> None:
        hit = self.results.selected
        if hit is None:
            return
        if hit.id in self.session.doc.related_incidents:
            self.notify(f"{hit.id} is already linked.", markup=False)
            return
        if self.save(lambda: self.session.add_related(hit.id)):
            self.notify(f"Linked {hit.id} as related.", markup=False)

    def action_unlink(self) -> None:
        hit = self.results.selected
        related = self.session.doc.related_incidents
        ident = hit.id if hit is not None and hit.id in related else None
        if ident is None:
            self.notify("The selected postmortem is not linked.", markup=False)
            return
        if self.save(lambda: self.session.remove_related(ident)):
            self.notify(f"Unlinked {ident}.", markup=False)

    def action_add_class(self) -> None:
        existing = [slug for slug, _, _ in self.pmtui.store.failure_class_counts()]
        mine = set(self.session.doc.failure_classes)
        offered = [slug for slug in existing if slug not in mine]
        shown = ", ".join(offered[:8]) + (" …" if len(offered) > 8 else "")
        dialog = FormDialog(
            "Tag a failure class",
            [
                FormField(
                    "slug",
                    "Failure class (lowercase words joined by hyphens)",
                    placeholder="e.g. n+1-query",
                    validate=_slug_problem,
                    suggestions=offered,
                )
            ],
            question="Reuse a class when one fits, so the next search finds both incidents."
            + (f" In use: {shown}" if shown else ""),
        )

        def chosen(values: dict[str, Any] | None) -> None:
            if values and values["slug"].strip():
                self.save(lambda: self.session.add_failure_class(values["slug"]))

        self.app.push_screen(dialog, chosen)

    def action_remove_class(self) -> None:
        classes = self.session.doc.failure_classes
        if not classes:
            self.notify("This postmortem has no failure class to remove.", markup=False)
            return
        # Digits as keys: slugs often share a first letter.
        choices = [(slug, f"{i} {slug}") for i, slug in enumerate(classes[:9], start=1)]

        def chosen(slug: str | None) -> None:
            if slug:
                self.save(lambda: self.session.remove_failure_class(slug))

        self.app.push_screen(ChoiceDialog("Remove which failure class?", choices), chosen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.pmtui.session is None:
            return True
        if action in ("link", "unlink", "add_class", "remove_class") and self.session.locked:
            return False  # complete or published: read only until reopened
        if action in ("link", "unlink"):
            hit = self.results.selected
            if hit is None:
                return None
            linked = hit.id in self.session.doc.related_incidents
            return (not linked if action == "link" else linked) or None
        return True

    def focus_path(self, path: str) -> None:
        if path.startswith(("failure_classes", "related_incidents")):
            self.results.focus()
        else:
            self.search_input.focus()
