"""Provides the open meeting: one postmortem, its edits through the store, and its findings.

Screens never call the store directly; they call a :class:`MeetingSession`, which saves
each confirmed edit at once (field-level, one transaction), reloads the document, and
recomputes the findings with the same ``check`` the CLI and the exports use. No Textual
here: the session is tested on its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmtui.domain.findings import Finding, blocking
from pmtui.domain.models import Postmortem, Row
from pmtui.domain.rules import CheckContext, check
from pmtui.steps import StepState, step_states
from pmtui.store import Store


class MeetingSession:
    """The postmortem being worked on in this terminal."""

    def __init__(self, store: Store, ident: str) -> None:
        self.store = store
        self.ident = ident
        self.doc: Postmortem = store.load(ident)
        self.saved_at: dt.datetime | None = None
        self._findings: list[Finding] | None = None
        self._findings_key: tuple[int, int, str] | None = None

    # ---- reading -------------------------------------------------------------------

    def now(self) -> dt.datetime:
        return self.store.clock()

    def reload(self) -> bool:
        """Re-read the document; True when it changed (another terminal saved)."""
        fresh = self.store.load(self.ident)
        changed = fresh.revision != self.doc.revision
        self.doc = fresh
        return changed

    def context(self) -> CheckContext:
        return self.store.context_for(self.doc, self.now())

    @property
    def findings(self) -> list[Finding]:
        """The rules' findings for the current document (recomputed when it changes)."""
        now = self.now()
        key = (self.doc.revision, self.doc.version, now.strftime("%Y%m%d%H"))
        if self._findings is None or key != self._findings_key:
            self._findings = check(self.doc, self.store.context_for(self.doc, now))
            self._findings_key = key
        return self._findings

    @property
    def blocking(self) -> list[Finding]:
        return blocking(self.findings)

    def step_states(self) -> dict[str, StepState]:
        return step_states(self.findings)

    def findings_for(self, prefix: str) -> list[Finding]:
        """Findings whose path is ``prefix`` or lies under it."""
        return [
            f
            for f in self.findings
            if f.path == prefix or f.path.startswith((prefix + ".", prefix + "["))
        ]

    @property
    def locked(self) -> bool:
        return self.doc.status in ("complete", "published")

    # ---- saving --------------------------------------------------------------------

    def _saved(self) -> None:
        self.doc = self.store.load(self.ident)
        self.saved_at = self.now()

    def set_field(self, field: str, value: Any) -> None:
        """Save a top-level field (``title``, ``impact.duration_minutes``…)."""
        current = self._current(field)
        self.store.set_field(self.ident, field, value, version=self.doc.version, base=current)
        self._saved()

    def _current(self, field: str) -> Any:
        if field.startswith("impact."):
            return getattr(self.doc.impact, field.removeprefix("impact."))
        return getattr(self.doc, field)

    def update_item(self, collection: str, item: Row, changes: dict[str, Any]) -> None:
        base = {name: getattr(item, name) for name in changes if hasattr(item, name)}
        self.store.update_item(
            self.ident, collection, _row_id(item), changes, version=item.version, base=base
        )
        self._saved()

    def add_item(
        self,
        collection: str,
        data: dict[str, Any] | Row,
        *,
        index: int | None = None,
        parent: Row | None = None,
    ) -> Any:
        item = self.store.add_item(
            self.ident,
            collection,
            data,
            index=index,
            parent_row_id=_row_id(parent) if parent is not None else None,
        )
        self._saved()
        return item

    def delete_item(self, collection: str, item: Row) -> None:
        self.store.delete_item(self.ident, collection, _row_id(item), version=item.version)
        self._saved()

    def move_item(self, collection: str, item: Row, index: int) -> None:
        self.store.move_item(self.ident, collection, _row_id(item), index)
        self._saved()

    def add_text(self, name: str, text: str, index: int | None = None) -> None:
        self.store.add_text(self.ident, name, text, index=index)
        self._saved()

    def update_text(self, name: str, index: int, text: str) -> None:
        row = self.doc.list_row(name, index)
        if row is None:
            raise IndexError(f"{name}[{index}] is not stored")
        base = getattr(self.doc, name)[index]
        self.store.update_text(self.ident, name, row[0], text, version=row[1], base=base)
        self._saved()

    def delete_text(self, name: str, index: int) -> None:
        row = self.doc.list_row(name, index)
        if row is not None:
            self.store.delete_text(self.ident, name, row[0])
        self._saved()

    def add_failure_class(self, slug: str) -> str:
        value = self.store.add_failure_class(self.ident, slug)
        self._saved()
        return value

    def remove_failure_class(self, slug: str) -> None:
        self.store.remove_failure_class(self.ident, slug)
        self._saved()

    def add_related(self, other: str) -> None:
        self.store.add_related(self.ident, other)
        self._saved()

    def remove_related(self, other: str) -> None:
        self.store.remove_related(self.ident, other)
        self._saved()

    def link_action(self, factor: Row, ref: str) -> None:
        self.store.link_action(self.ident, _row_id(factor), ref)
        self._saved()

    def unlink_action(self, factor: Row, ref: str) -> None:
        self.store.unlink_action(self.ident, _row_id(factor), ref)
        self._saved()

    def record_norms_read(self) -> None:
        """The norms open the meeting: a draft becomes in-meeting."""
        self.set_field("norms_read_at", self.now())
        if self.doc.status == "draft":
            self.set_field("status", "in-meeting")

    def record_past_search(self) -> None:
        self.set_field("past_incidents_searched_at", self.now())

    def waive(self, finding: Finding, reason: str, by: str = "") -> None:
        """Accept an advisory with a reason; the waiver is stored and exported."""
        self.add_item(
            "waivers",
            {
                "code": finding.code,
                "path": finding.path,
                "reason": reason,
                "waived_by": by or self.doc.facilitator,
                "waived_at": self.now(),
            },
        )

    def complete(self) -> None:
        self.store.complete(self.ident, now=self.now())
        self._saved()

    def publish(self) -> None:
        self.store.publish(self.ident, now=self.now())
        self._saved()

    def reopen(self) -> None:
        self.store.reopen(self.ident)
        self._saved()


def _row_id(item: Row) -> int:
    if item.row_id is None:
        raise ValueError("this item has not been saved yet")
    return item.row_id


__all__ = ["CheckContext", "MeetingSession"]
