"""Provides the postmortem document as typed pydantic models.

Field order is export order: the article's template keys first, in the article's order,
then the keys the brief adds. Models allow an unfinished document (a draft may lack
owners, dates, chains); what a *complete* postmortem needs is the rules' job, not the
models'. The models only refuse values that are wrong in themselves: a date that is
not on the calendar, a time YAML turned into a number, a link to an action item that
does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from pmtui.domain.types import (
    ActionStatusField,
    BudgetMinutes,
    CalendarDate,
    Estimate,
    KindField,
    Minutes,
    PostmortemId,
    PriorityField,
    SeverityField,
    Slug,
    StatusField,
    SystemicPropertyField,
    Text,
    TimelineTime,
    UtcDateTime,
)

NORMS_STATEMENT = (
    "We are here to understand what the system did. We are not evaluating anyone's performance."
)


class Row(BaseModel):
    """A part of the document that the store keeps as one table row.

    ``row_id`` and ``version`` are the store's optimistic-lock bookkeeping: they travel
    with a loaded document so that an edit can be saved field by field, but they are
    not part of the document, so they are never exported and never compared.
    """

    model_config = ConfigDict(defer_build=True, extra="forbid", validate_default=False)

    _row_id: int | None = PrivateAttr(default=None)
    _version: int = PrivateAttr(default=0)

    # Read straight from pydantic's dict of private values: ``self._row_id`` goes through
    # BaseModel.__getattr__ (3 us), and screens look rows up by id in 10,000-entry lists.
    @property
    def row_id(self) -> int | None:
        return self.__pydantic_private__["_row_id"]  # type: ignore[index]

    @property
    def version(self) -> int:
        return self.__pydantic_private__["_version"]  # type: ignore[index]

    def bind_row(self, row_id: int | None, version: int) -> Self:
        """Attach the store's row id and version (used by the store only)."""
        self._row_id = row_id
        self._version = version
        return self

    def __eq__(self, other: object) -> bool:
        # Content equality: two documents are equal when they say the same thing,
        # whichever rows and versions they were loaded from.
        return type(self) is type(other) and self.__dict__ == other.__dict__  # type: ignore[union-attr]

    __hash__ = None  # type: ignore[assignment]


class Participant(Row):
    name: Text
    role: Text = ""
    directly_involved: bool = False


class TimelineEntry(Row):
    # Immutable: an edit makes a new entry, and the rules remember what they found in
    # each entry object (pmtui.domain.timeline_rules), 10,000 of them in an imported log.
    model_config = ConfigDict(defer_build=True, extra="forbid", validate_default=False, frozen=True)

    time: TimelineTime = ""
    event: Text = ""
    source: Text = ""
    decision_point: bool = False
    context: Text = ""
    """At a decision point: the information the person had at that moment."""


class Impact(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    duration_minutes: Minutes = None
    error_rate_peak: Text = ""
    affected_users_estimate: Estimate = ""
    slo_budget_consumed_minutes: BudgetMinutes = None


class WhyStep(Row):
    question: Text = ""
    answer: Text = ""


class Deferral(BaseModel):
    """An explicit "we are choosing not to fix this", honest instead of a fictional item."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    reason: Text = ""
    decided_by: Text = ""
    review_date: CalendarDate | None = None


class ContributingFactor(Row):
    description: Text = ""
    whys: list[WhyStep] = Field(default_factory=list)
    systemic_property: SystemicPropertyField | None = None
    actions: list[Text] = Field(default_factory=list)
    """Ids of the action items that change this factor's systemic property."""
    deferral: Deferral | None = None


class ActionItem(Row):
    description: Text = ""
    owner: Text = ""
    due: CalendarDate | None = None
    ticket: Text = ""
    priority: PriorityField | None = None
    id: Text = ""
    """Short reference (``A1``) that contributing factors link to; assigned when missing."""
    status: ActionStatusField = "open"
    completed_on: CalendarDate | None = None


class Waiver(Row):
    """An advisory the team decided to accept, with its reason. Gates cannot be waived."""

    code: Text
    path: Text = ""
    reason: Text
    waived_by: Text = ""
    waived_at: UtcDateTime | None = None

    @field_validator("reason")
    @classmethod
    def _reason_given(cls, reason: str) -> str:
        if not reason.strip():
            raise PydanticCustomError("waiver_reason", "a waiver needs a reason", {})
        return reason


def _from_plain_string(key: str) -> Any:
    """Let the article's plain-string list items stand for ``{key: string}``."""

    def convert(value: Any) -> Any:
        return {key: value} if isinstance(value, str) else value

    return convert


class Postmortem(Row):
    # The article's template, in its order.
    id: PostmortemId
    severity: SeverityField | None = None
    title: Text = ""
    date_of_incident: UtcDateTime | None = None
    date_of_postmortem: CalendarDate | None = None
    facilitator: Text = ""
    participants: list[Participant] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    impact: Impact = Field(default_factory=Impact)
    contributing_factors: list[ContributingFactor] = Field(default_factory=list)
    what_helped: list[Text] = Field(default_factory=list)
    what_hurt: list[Text] = Field(default_factory=list)
    action_items: list[ActionItem] = Field(default_factory=list)
    # The brief's additions.
    kind: KindField = "incident"
    service: Text = ""
    team: Text = ""
    date_restored: UtcDateTime | None = None
    date_published: UtcDateTime | None = None
    status: StatusField = "draft"
    failure_classes: list[Slug] = Field(default_factory=list)
    related_incidents: list[PostmortemId] = Field(default_factory=list)
    norms_read_at: UtcDateTime | None = None
    past_incidents_searched_at: UtcDateTime | None = None
    waivers: list[Waiver] = Field(default_factory=list)

    _list_rows: dict[str, list[tuple[int, int]]] = PrivateAttr(default_factory=dict)
    _revision: int = PrivateAttr(default=0)

    @field_validator("participants", mode="before")
    @classmethod
    def _participants_as_strings(cls, value: Any) -> Any:
        convert = _from_plain_string("name")
        return [convert(v) for v in value] if isinstance(value, list) else value

    @field_validator("contributing_factors", mode="before")
    @classmethod
    def _factors_as_strings(cls, value: Any) -> Any:
        convert = _from_plain_string("description")
        return [convert(v) for v in value] if isinstance(value, list) else value

    @field_validator("impact", mode="before")
    @classmethod
    def _impact_null(cls, value: Any) -> Any:
        return {} if value is None else value

    @model_validator(mode="before")
    @classmethod
    def _kind_from_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and "kind" not in data:
            ident = data.get("id")
            if isinstance(ident, str) and ident.strip().upper().startswith("NM-"):
                return {**data, "kind": "near-miss"}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        prefix = "NM" if self.kind == "near-miss" else "INC"
        if not self.id.startswith(prefix + "-"):
            raise PydanticCustomError(
                "kind_mismatch",
                'kind "{kind}" needs an id starting with {prefix}-',
                {"kind": self.kind, "prefix": prefix},
            )
        self._assign_action_ids()
        known = {item.id for item in self.action_items}
        for f_index, factor in enumerate(self.contributing_factors):
            for a_index, ref in enumerate(factor.actions):
                if ref not in known:
                    raise PydanticCustomError(
                        "unknown_action",
                        'contributing_factors[{f}].actions[{a}]: "{ref}" is not the id of an '
                        "action item in this postmortem",
                        {"f": f_index, "a": a_index, "ref": ref},
                    )
        return self

    def _assign_action_ids(self) -> None:
        seen: set[str] = set()
        for index, item in enumerate(self.action_items):
            if item.id and item.id in seen:
                raise PydanticCustomError(
                    "duplicate_action",
                    'action_items[{i}].id: "{ref}" is used by an earlier action item',
                    {"i": index, "ref": item.id},
                )
            seen.add(item.id)
        counter = 0
        for item in self.action_items:
            if not item.id:
                counter += 1
                while f"A{counter}" in seen:
                    counter += 1
                item.id = f"A{counter}"
                seen.add(item.id)

    def bind_lists(self, rows: dict[str, list[tuple[int, int]]], revision: int) -> None:
        """Attach row ids and versions of the plain-string lists (used by the store only)."""
        self._list_rows = rows
        self._revision = revision

    def bind_revision(self, revision: int) -> None:
        """Attach the revision the store holds now (used by the store only)."""
        self._revision = revision

    def list_row(self, name: str, index: int) -> tuple[int, int] | None:
        """``(row_id, version)`` of ``what_helped[index]`` or ``what_hurt[index]``, if stored."""
        rows = self._list_rows.get(name, [])
        return rows[index] if 0 <= index < len(rows) else None

    @property
    def revision(self) -> int:
        """Bumped by the store on every change to any part of this document."""
        return self._revision

    # Convenience views used by rules, screens and exports alike.

    def action_item(self, ref: str) -> ActionItem | None:
        return next((item for item in self.action_items if item.id == ref), None)

    def factors_of(self, ref: str) -> list[int]:
        """Indexes of the contributing factors that link the action item ``ref``."""
        return [i for i, f in enumerate(self.contributing_factors) if ref in f.actions]

    def next_action_id(self) -> str:
        taken = {item.id for item in self.action_items}
        counter = 1
        while f"A{counter}" in taken:
            counter += 1
        return f"A{counter}"

    @property
    def incident_day(self) -> dt.date | None:
        return self.date_of_incident.date() if self.date_of_incident else None


class Service(BaseModel):
    """A service's reliability target; its error budget is computed from its incidents."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    name: Text
    team: Text = ""
    slo: float = Field(default=99.9, gt=0, lt=100)
    """Availability target in percent, e.g. 99.9."""
    window_days: int = Field(default=90, gt=0, le=3660)
    counts_sev4: bool = False
    """Whether SEV-4 incidents count against this service's budget."""
