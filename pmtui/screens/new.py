"""Provides the "new postmortem" form: a short form whose id is proposed and editable.

A near-miss gets the same form without severity and restoration time: the lightweight
write-up the article asks teams to file when a defence caught something in time.
"""

from __future__ import annotations

from typing import Any

from pmtui.domain.errors import DocumentInvalid
from pmtui.domain.fields import validate_value
from pmtui.domain.models import Postmortem
from pmtui.domain.types import SEVERITIES, format_timestamp
from pmtui.screens.dialogs import FormDialog, FormField
from pmtui.store import Store


def field_validator(field: str, model: type = Postmortem) -> Any:
    """A FormField validator that applies the model's own rule for ``field``."""

    def validate(text: str) -> str | None:
        try:
            validate_value(model, field, text, field)
        except DocumentInvalid as exc:
            return exc.problems[0].split(": ", 1)[-1]
        return None

    return validate


def _required(label: str) -> Any:
    def validate(text: str) -> str | None:
        return None if text.strip() else f"{label} is required"

    return validate


def new_postmortem_dialog(store: Store, *, near_miss: bool = False) -> FormDialog:
    kind = "near-miss" if near_miss else "incident"
    now = store.clock()
    services = store.service_names()
    fields = [
        FormField(
            "id",
            "Id",
            validate=field_validator("id"),
            tooltip="Proposed from the year; change it if your tracker uses another.",
        ),
        FormField(
            "title", "Title", placeholder="what happened, in a line", validate=_required("a title")
        ),
    ]
    if not near_miss:
        fields.append(FormField("severity", "Severity", kind="choice", choices=SEVERITIES))
    fields += [
        FormField("service", "Service", suggestions=services, placeholder="e.g. payments"),
        FormField("team", "Team", placeholder="e.g. payments"),
        FormField(
            "date_of_incident",
            "Began (UTC)" if not near_miss else "When (UTC)",
            placeholder="e.g. 2026-01-14T14:32:00Z",
            validate=field_validator("date_of_incident"),
        ),
    ]
    if not near_miss:
        fields.append(
            FormField(
                "date_restored",
                "Service restored (UTC)",
                placeholder="e.g. 2026-01-14T14:55:00Z",
                validate=field_validator("date_restored"),
            )
        )

    def check(values: dict[str, Any]) -> list[str]:
        try:
            document_from_form(values, near_miss=near_miss)
        except DocumentInvalid as exc:
            return exc.problems
        ident = str(values["id"]).strip().upper()
        return [f"Id: {ident} already exists"] if store.exists(ident) else []

    return FormDialog(
        "New near-miss" if near_miss else "New postmortem",
        fields,
        {
            "id": store.next_id(kind, now.year),
            "date_of_incident": format_timestamp(now.replace(second=0)),
        },
        question="A near-miss is a free lesson: what did a defence catch?" if near_miss else "",
        check=check,
        focus="title",  # the id is proposed: the title is what the room types first
    )


def document_from_form(values: dict[str, Any], *, near_miss: bool) -> Postmortem:
    from pydantic import ValidationError

    from pmtui.domain.errors import describe_validation_error

    data = {k: v for k, v in values.items() if v not in ("", None)}
    data["kind"] = "near-miss" if near_miss else "incident"
    try:
        return Postmortem.model_validate(data)
    except ValidationError as exc:
        raise DocumentInvalid(describe_validation_error(exc, Postmortem)) from None
