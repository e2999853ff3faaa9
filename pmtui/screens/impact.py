"""Provides the Impact step: the four impact figures and the service's error budget.

Each figure is checked by the model's own rule as you type and saved when confirmed;
a wrong value shows why and is never saved. The budget panel recomputes after every
save from the service's postmortems, with this document's live figures in place of its
stored copy, over the window ending when service was restored.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.widgets import Static

from pmtui.domain.models import Impact
from pmtui.domain.text import clean_text
from pmtui.screens.base import StepScreen
from pmtui.screens.new import field_validator
from pmtui.widgets import redraw
from pmtui.widgets.budget_panel import BudgetPanel, BudgetView, budget_view
from pmtui.widgets.field import FieldEditor

# (field, label, placeholder, tooltip)
_FIELDS = (
    (
        "duration_minutes",
        "Duration (whole minutes)",
        "e.g. 23",
        "From the start of the impact to service restoration.",
    ),
    (
        "error_rate_peak",
        "Peak error rate",
        "e.g. 18% of payment requests",
        "The worst moment, as measured.",
    ),
    (
        "affected_users_estimate",
        "Affected users (estimate)",
        "e.g. ~1400",
        "An estimate is fine: ~1400.",
    ),
    (
        "slo_budget_consumed_minutes",
        "SLO budget consumed (minutes)",
        "e.g. 23",
        "Minutes counted against the service's error budget; 0 is fine.",
    ),
)
LOCKED_HINT = "This postmortem is complete: reopen it (Review step) to change its figures."
_NUMBERS = ("duration_minutes", "slo_budget_consumed_minutes")
HINT = (
    "Budget minutes feed the service's error budget below. A near-miss, or an incident "
    "that cost no budget, records 0 minutes: that is fine."
)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _stored(name: str, text: str) -> str | None:
    """A figure as saved: an empty number clears it; an empty text is "" (its default)."""
    return text if text or name not in _NUMBERS else None


class ImpactScreen(StepScreen):
    STEP = "impact"

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="impact-body"):
            with Grid(id="impact-grid"):
                for field, label, placeholder, tooltip in _FIELDS:
                    yield FieldEditor(
                        f"impact.{field}",
                        label,
                        placeholder=placeholder,
                        validate=field_validator(field, Impact),
                        tooltip=tooltip,
                    )
            yield Static(HINT, id="impact-hint", classes="hint", markup=False)
            yield BudgetPanel(id="impact-budget")

    def on_mount(self) -> None:
        # Start in the first field: the scrollable body would otherwise take the focus,
        # and the first keys typed on arriving would go nowhere.
        self.query(FieldEditor).first().input.focus()

    @property
    def budget_panel(self) -> BudgetPanel:
        return self.query_one("#impact-budget", BudgetPanel)

    def refresh_body(self) -> None:
        impact = self.session.doc.impact
        locked = self.session.locked
        for editor in self.query(FieldEditor):
            editor.set_value(_shown(getattr(impact, editor.field.removeprefix("impact."))))
            editor.input.disabled = locked
        redraw.update(
            self.query_one("#impact-hint", Static), f"{LOCKED_HINT}\n{HINT}" if locked else HINT
        )
        self.budget_panel.show(self.compute_budget())

    def compute_budget(self) -> BudgetView:
        """The budget of this document's service, with this document's live figures."""
        doc = self.session.doc
        store = self.pmtui.store
        name = doc.service.strip()
        service = store.service(name) if name else None
        others = store.load_many(store.ids_for_service(name)) if service is not None else []
        as_of = doc.date_restored or self.pmtui.now()
        return budget_view(doc, service, others, as_of)

    @on(FieldEditor.Committed)
    def _committed(self, event: FieldEditor.Committed) -> None:
        name = event.field.removeprefix("impact.")
        value = _stored(name, clean_text(event.value).strip())
        # Saved against the value the typing started from, as Setup does: another
        # terminal's save of this figure meanwhile meets the conflict dialog.
        base = _stored(name, event.base) if event.base is not None else ...
        self.save(lambda: self.session.set_field(event.field, value, base=base))

    def focus_path(self, path: str) -> None:
        for editor in self.query(FieldEditor):
            if path == editor.field or path.startswith(editor.field + "."):
                editor.input.focus()
                return
        self.query(FieldEditor).first().input.focus()
