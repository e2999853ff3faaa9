"""Provides the action item and deferral forms, validated as you type with the model and lint.

Two kinds of problem show under a field. *Hard* ones (a date that is not on the
calendar, an empty description) block Save: the store would refuse them anyway.
*Soft* ones — the owner is a group, "TBD" or two names — show in the error colour but
do not block Save: the item is recorded as the room said it, and the completion gate
keeps the chain open until one person owns it. Vague descriptions are advice (amber).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from pmtui.domain.lint import owner_problem, vague_action
from pmtui.domain.models import ActionItem, Deferral
from pmtui.domain.types import ACTION_STATUSES, PRIORITIES
from pmtui.screens.dialogs import FormCheck, FormDialog, FormField
from pmtui.screens.new import field_validator
from pmtui.widgets.field import Validator

ITEM_QUESTION = "An action item needs one owner, a due date, a ticket and a priority."
DEFERRAL_QUESTION = (
    '"We are choosing not to fix this": say why, who decided, and when it will be reviewed.'
)
LOCKED_NOTE = (
    "This postmortem is complete or published: only the ticket, the status and the "
    "completion date can change. Reopen it (Review step) to change anything else."
)


def _required(what: str) -> Validator:
    def validate(text: str) -> str | None:
        return None if text.strip() else f"{what} is required"

    return validate


def _ticket_advice(text: str) -> str | None:
    if text.strip():
        return None
    return "no ticket yet: file it where the work happens (PLAT-892); the chain stays open"


def _due_advice(text: str) -> str | None:
    if text.strip():
        return None
    return "no due date yet: an item without an agreed date is not prioritized"


def _date(model: type[ActionItem] | type[Deferral], field: str) -> Validator:
    """The model's date rule; blank is fine here (the gates say when a date is missing)."""
    check = field_validator(field, model)

    def validate(text: str) -> str | None:
        return check(text.strip()) if text.strip() else None

    return validate


_due_valid = date_check = _date(ActionItem, "due")


def item_fields(*, locked: bool = False, progress: bool = False) -> list[FormField]:
    """The action item form; ``progress`` adds status and completion date."""
    description = FormField(
        "description",
        "Description — the concrete change",
        validate=_required("a description"),
        advise=vague_action,
        placeholder="e.g. add a reconnect-on-failover test to the consumer",
    )
    owner = FormField(
        "owner",
        "Owner — exactly one person",
        validate=owner_problem,
        placeholder="e.g. one person's handle",
    )
    due = FormField(
        "due",
        "Due (YYYY-MM-DD)",
        validate=_due_valid,
        advise=_due_advice,
        placeholder="e.g. 2026-12-15",
    )
    ticket = FormField("ticket", "Ticket", advise=_ticket_advice, placeholder="e.g. PLAT-892")
    priority = FormField("priority", "Priority", kind="choice", choices=PRIORITIES)
    status = FormField("status", "Status", kind="choice", choices=ACTION_STATUSES)
    completed = FormField(
        "completed_on", "Completed on (YYYY-MM-DD)", validate=_date(ActionItem, "completed_on")
    )
    if locked:
        return [ticket, status, completed]
    fields = [description, owner, due, ticket, priority]
    if progress:
        fields += [status, completed]
    return fields


DEFERRAL_FIELDS = [
    FormField("reason", "Why we are choosing not to fix this", validate=_required("a reason")),
    FormField(
        "decided_by",
        "Decided by — one person",
        validate=owner_problem,
        placeholder="e.g. one person's handle",
    ),
    FormField(
        "review_date",
        "Review on (YYYY-MM-DD)",
        validate=_date(Deferral, "review_date"),
        placeholder="e.g. 2027-03-01",
    ),
]

SOFT = frozenset({"owner", "decided_by"})


class SoftFormDialog(FormDialog):
    """A FormDialog where the ``soft`` fields' problems show in red but do not block Save."""

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        values: dict[str, Any] | None = None,
        *,
        question: str = "",
        check: FormCheck | None = None,
        soft: frozenset[str] = SOFT,
    ) -> None:
        super().__init__(title, fields, values, question=question, check=check)
        self._specs = list(fields)
        self._soft = soft

    def on_resize(self) -> None:
        # The shared form's body may be 20 rows: at 80×24 that pushes Save off the screen.
        # Title, question, problem line, buttons, border and the footer take about 12 rows.
        self.query_one(".dialog--body").styles.max_height = max(3, min(20, self.size.height - 12))

    def problems(self) -> list[str]:
        values = self.values()
        problems = []
        for spec in self._specs:
            if spec.name in self._soft or spec.validate is None:
                continue
            if spec.kind in ("text", "multiline"):
                problem = spec.validate(values[spec.name])
                if problem:
                    problems.append(f"{spec.label}: {problem}")
        return problems


def shown_values(item: ActionItem | Deferral | None) -> dict[str, Any]:
    """An item's fields as the form shows them (dates as YYYY-MM-DD, None as "")."""
    if item is None:
        return {}
    values: dict[str, Any] = {}
    for name, value in item.model_dump().items():
        if isinstance(value, dt.date):
            values[name] = value.isoformat()
        else:
            values[name] = value
    return values


def changes_from(values: dict[str, Any]) -> dict[str, Any]:
    """Form values as model data: blank dates and choices become None, text is trimmed."""
    changes: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
            if name in ("due", "completed_on", "review_date", "priority") and not value:
                value = None
        changes[name] = value
    return changes


def changed(item: BaseModel, values: dict[str, Any]) -> dict[str, Any]:
    """The values that differ from ``item``, compared as the model reads them (a typed
    "2026-12-15" is the date it names; a deferral's fields are its Deferral)."""
    try:
        after = type(item).model_validate(item.model_dump() | values)
    except ValidationError:
        return dict(values)  # the store says what is wrong with it
    return {k: v for k, v in values.items() if getattr(after, k) != getattr(item, k)}


def item_dialog(
    title: str, item: ActionItem | None = None, *, locked: bool = False, progress: bool = False
) -> SoftFormDialog:
    return SoftFormDialog(
        title,
        item_fields(locked=locked, progress=progress),
        shown_values(item) if item is not None else {"status": "open"},
        question=LOCKED_NOTE if locked else ITEM_QUESTION,
    )


def deferral_dialog(deferral: Deferral | None) -> SoftFormDialog:
    return SoftFormDialog(
        "Record a deferral", DEFERRAL_FIELDS, shown_values(deferral), question=DEFERRAL_QUESTION
    )
