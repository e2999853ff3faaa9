"""Provides the translation between the document's models and the store's table rows.

Each repeated part of the document has a :class:`Collection` that names its table,
its columns and how a model becomes a row and back. The repository, the field-level
edits and the change detection all go through these, so a column is named once.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from pmtui.domain.models import (
    ActionItem,
    ContributingFactor,
    Deferral,
    Participant,
    Postmortem,
    TimelineEntry,
    Waiver,
    WhyStep,
)
from pmtui.domain.types import format_timestamp


def sql_value(value: Any) -> Any:
    """A Python value as stored in SQLite: timestamps and dates as ISO text, bools as 0/1."""
    if isinstance(value, dt.datetime):
        return format_timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


@dataclass(frozen=True)
class Collection:
    """A list in the document stored as rows of one table."""

    name: str  # as the document calls it: "timeline", "whys", ...
    table: str
    model: type[BaseModel]
    fields: tuple[str, ...]  # model field -> column of the same name unless in renames
    parent_column: str = "postmortem_id"
    renames: tuple[tuple[str, str], ...] = ()
    extra: Callable[[Any], dict[str, Any]] | None = None
    unpack: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    @functools.cached_property
    def columns(self) -> tuple[tuple[str, str], ...]:
        """(model field, column) pairs, worked out once: every saved row goes through them."""
        renames = dict(self.renames)
        return tuple((f, renames.get(f, f)) for f in self.fields)

    def column(self, field: str) -> str:
        return dict(self.renames).get(field, field)

    def to_row(self, item: Any) -> dict[str, Any]:
        row = {column: sql_value(getattr(item, f)) for f, column in self.columns}
        if self.extra:
            row.update(self.extra(item))
        return row

    def to_data(self, row: dict[str, Any]) -> dict[str, Any]:
        """A row as the dict its model validates (the inverse of :meth:`to_row`)."""
        data = {f: row[self.column(f)] for f in self.fields}
        for field, value in data.items():
            annotation = self.model.model_fields[field].annotation
            if annotation is bool:
                data[field] = bool(value)
        if self.unpack:
            data.update(self.unpack(row))
        return data


def _deferral_columns(factor: ContributingFactor) -> dict[str, Any]:
    deferral = factor.deferral
    return {
        "deferred": int(deferral is not None),
        "deferral_reason": deferral.reason if deferral else "",
        "deferral_decided_by": deferral.decided_by if deferral else "",
        "deferral_review_date": sql_value(deferral.review_date) if deferral else None,
    }


def _deferral_data(row: dict[str, Any]) -> dict[str, Any]:
    if not row["deferred"]:
        return {"deferral": None}
    return {
        "deferral": Deferral(
            reason=row["deferral_reason"],
            decided_by=row["deferral_decided_by"],
            review_date=row["deferral_review_date"],
        )
    }


PARTICIPANTS = Collection(
    "participants", "participants", Participant, ("name", "role", "directly_involved")
)
TIMELINE = Collection(
    "timeline",
    "timeline_entries",
    TimelineEntry,
    ("time", "event", "source", "decision_point", "context"),
)
FACTORS = Collection(
    "contributing_factors",
    "contributing_factors",
    ContributingFactor,
    ("description", "systemic_property"),
    extra=_deferral_columns,
    unpack=_deferral_data,
)
WHYS = Collection("whys", "why_steps", WhyStep, ("question", "answer"), parent_column="factor_id")
ACTION_ITEMS = Collection(
    "action_items",
    "action_items",
    ActionItem,
    ("description", "owner", "due", "ticket", "priority", "id", "status", "completed_on"),
    renames=(("id", "ref"),),
)
WAIVERS = Collection(
    "waivers", "waivers", Waiver, ("code", "path", "reason", "waived_by", "waived_at")
)

COLLECTIONS: dict[str, Collection] = {
    c.name: c for c in (PARTICIPANTS, TIMELINE, FACTORS, WHYS, ACTION_ITEMS, WAIVERS)
}

# Lists of plain strings: stored as rows, edited by position.
OBSERVATION_KINDS = {"what_helped": "helped", "what_hurt": "hurt"}

# Top-level scalar fields of the document -> column of the postmortems table.
SCALAR_COLUMNS: dict[str, str] = {
    "severity": "severity",
    "title": "title",
    "date_of_incident": "date_of_incident",
    "date_of_postmortem": "date_of_postmortem",
    "facilitator": "facilitator",
    "impact.duration_minutes": "impact_duration_minutes",
    "impact.error_rate_peak": "impact_error_rate_peak",
    "impact.affected_users_estimate": "impact_affected_users_estimate",
    "impact.slo_budget_consumed_minutes": "impact_slo_budget_consumed_minutes",
    "kind": "kind",
    "service": "service",
    "team": "team",
    "date_restored": "date_restored",
    "date_published": "date_published",
    "status": "status",
    "norms_read_at": "norms_read_at",
    "past_incidents_searched_at": "past_incidents_searched_at",
}


def postmortem_row(pm: Postmortem) -> dict[str, Any]:
    row: dict[str, Any] = {"id": pm.id}
    for field, column in SCALAR_COLUMNS.items():
        if field.startswith("impact."):
            value = getattr(pm.impact, field.removeprefix("impact."))
        else:
            value = getattr(pm, field)
        row[column] = sql_value(value)
    return row


def postmortem_data(row: dict[str, Any]) -> dict[str, Any]:
    """The scalar part of a document from its postmortems row."""
    data: dict[str, Any] = {"id": row["id"], "impact": {}}
    for field, column in SCALAR_COLUMNS.items():
        if field.startswith("impact."):
            data["impact"][field.removeprefix("impact.")] = row[column]
        else:
            data[field] = row[column]
    budget = data["impact"]["slo_budget_consumed_minutes"]
    if isinstance(budget, float) and budget.is_integer():
        # REAL columns give back 23.0 for the 23 that was written; keep the document's int.
        data["impact"]["slo_budget_consumed_minutes"] = int(budget)
    return data
