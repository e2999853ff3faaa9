"""Provides the open meeting: one postmortem, its edits through the store, and its findings.

Screens never call the store directly; they call a :class:`MeetingSession`, which saves
each confirmed edit at once (field-level, one transaction), takes in what it saved (the
row alone, or the whole document when another terminal changed it meanwhile), and
recomputes the findings with the same rules ``check`` applies for the CLI and the exports
(incrementally: an edit re-checks the timeline entries it changed).

Every edit is an :class:`Edit`: what it changes ("mine") and how to apply it against the
document as it is *now*. That is what makes the two-terminal cases honest. When another
terminal saved the same field first, the store refuses and a :class:`Conflict` carries
theirs and mine, and ``keep_mine()`` re-applies mine on top. When the database cannot
take the write at this moment (another terminal holds the lock, the disk is full), the
edit is kept in memory, in order, and :meth:`MeetingSession.retry_pending` saves it later.
No Textual here: the session is tested on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pmtui.domain.errors import PmtuiError
from pmtui.domain.findings import Finding, blocking
from pmtui.domain.models import Postmortem, Row
from pmtui.domain.rules import CheckContext, IncrementalCheck
from pmtui.steps import StepState, by_step, step_states
from pmtui.store import DatabaseBusy, ReadOnlyDatabase, StaleWrite, Store, WriteFailed


@dataclass
class Edit:
    """One change the user confirmed, re-appliable against the current document."""

    label: str
    mine: dict[str, Any]
    apply: Callable[[], Any]
    restore: Callable[[], Any] | None = None
    """Re-create the item with my values, when the other terminal deleted it."""
    row: tuple[str, int] | None = None
    """(collection, row id) when the edit saves that one row and nothing else."""


@dataclass(frozen=True)
class TextItem:
    """One fact of ``what_helped`` / ``what_hurt`` as an edit saw it when it started."""

    name: str
    row_id: int
    version: int
    text: str
    index: int


class Conflict(StaleWrite):
    """Another terminal saved first. ``theirs`` is what is stored now, ``edit.mine`` is ours."""

    def __init__(self, stale: StaleWrite, edit: Edit) -> None:
        super().__init__(stale.what, stale.expected_version, stale.current_version, stale.theirs)
        self.edit = edit


class SaveDeferred(PmtuiError):
    """The edit could not be written now; it is kept in memory and retried in order."""

    def __init__(self, reason: str, *, waiting: bool) -> None:
        self.waiting = waiting  # True: another terminal holds the lock; False: disk/IO
        super().__init__(reason)


class MeetingSession:
    """The postmortem being worked on in this terminal."""

    def __init__(self, store: Store, ident: str) -> None:
        self.store = store
        self.ident = ident
        self.doc: Postmortem = store.load(ident)
        self.saved_at: dt.datetime | None = None
        self.pending: list[Edit] = []
        self._findings: list[Finding] | None = None
        self._findings_key: tuple[int, int, str] | None = None
        self._check = IncrementalCheck()  # an edit re-checks the timeline entries it changed
        # Worked out from the findings once per change of them: every redraw asks.
        self._by_step: dict[str, list[Finding]] | None = None
        self._states: dict[str, StepState] | None = None

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
            self._findings = self._check(self.doc, self.store.context_for(self.doc, now))
            self._findings_key = key
            self._by_step = self._states = None
        return self._findings

    @property
    def blocking(self) -> list[Finding]:
        return blocking(self.findings)

    def step_states(self) -> dict[str, StepState]:
        """Each step's state; a step holding none of its content yet is not started."""
        grouped = self._grouped()  # first: it resets the states when the findings change
        if self._states is None:
            self._states = step_states(grouped, self.doc)
        return dict(self._states)

    def findings_for_step(self, step: str) -> list[Finding]:
        """The findings fixed in ``step`` (see :func:`pmtui.steps.step_for_path`)."""
        return self._grouped()[step]

    def _grouped(self) -> dict[str, list[Finding]]:
        findings = self.findings  # first: a new document resets what is derived from them
        if self._by_step is None:
            self._by_step = by_step(findings)
        return self._by_step

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

    def _saved(self, row: tuple[str, int] | None = None) -> None:
        """Take in a save: with ``row`` (collection, row id), the one row the edit just
        saved, that row alone when no other terminal changed the document meanwhile (a
        long timeline costs a quarter of a second to load); otherwise all of it again."""
        patched = self.store.with_saved_row(self.doc, *row) if row else None
        self.doc = patched if patched is not None else self.store.load(self.ident)
        self.saved_at = self.now()

    def _run(self, edit: Edit) -> Any:
        """Apply ``edit`` now, or keep it (in order) when the database cannot take it."""
        if self.store.readonly:
            raise ReadOnlyDatabase("not saved: the database is open read-only")
        if self.pending:
            self.pending.append(edit)
            raise SaveDeferred("earlier edits are still waiting to be saved", waiting=True)
        try:
            result = edit.apply()
        except StaleWrite as exc:
            raise Conflict(exc, edit) from None
        except (DatabaseBusy, WriteFailed) as exc:
            self.pending.append(edit)
            raise SaveDeferred(str(exc), waiting=isinstance(exc, DatabaseBusy)) from None
        self._saved(edit.row)
        return result

    def retry_pending(self) -> list[Conflict]:
        """Save the kept edits in order; stop at the first that still cannot be written.

        Returns the conflicts met on the way (another terminal changed the same thing
        while ours waited): those edits are dropped from the queue and handed back.
        """
        conflicts: list[Conflict] = []
        while self.pending:
            edit = self.pending[0]
            try:
                edit.apply()
            except (DatabaseBusy, WriteFailed):
                break
            except StaleWrite as exc:
                conflicts.append(Conflict(exc, edit))
            except PmtuiError:
                pass  # no longer valid against the current document: nothing to keep
            self.pending.pop(0)
            self._saved()  # rare: kept edits, some refused; read it all again
        return conflicts

    def keep_mine(self, conflict: Conflict) -> None:
        """Resolve a conflict by saving mine on top of theirs (or restoring a deleted item)."""
        self.reload()
        if conflict.deleted and conflict.edit.restore is not None:
            self._run(Edit(conflict.edit.label, conflict.edit.mine, conflict.edit.restore))
        else:
            self._run(Edit(conflict.edit.label, conflict.edit.mine, conflict.edit.apply))

    def find_row(self, collection: str, row_id: int | None) -> Any:
        """The item of ``collection`` with ``row_id`` in the current document, or None."""
        if collection == "whys":
            rows = [w for f in self.doc.contributing_factors for w in f.whys]
        else:
            rows = getattr(self.doc, collection)
        return next((r for r in rows if r.row_id == row_id), None)

    def parent_of(self, why: Row) -> Any:
        return next(
            (
                f
                for f in self.doc.contributing_factors
                if any(w.row_id == why.row_id for w in f.whys)
            ),
            None,
        )

    def set_field(self, field: str, value: Any, *, base: Any = ...) -> None:
        """Save a top-level field (``title``, ``impact.duration_minutes``…).

        ``base`` is the value the editor started from; without it, the value the
        document holds now.
        """
        started_from = self._current(field) if base is ... else base

        def apply() -> None:
            self.store.set_field(
                self.ident, field, value, version=self.doc.version, base=started_from
            )

        def overwrite() -> None:
            self.store.set_field(self.ident, field, value, version=self.doc.version)

        edit = Edit(field, {field: value}, apply)
        try:
            self._run(edit)
        except Conflict as conflict:
            conflict.edit.apply = overwrite  # keep mine: on top of whatever is there now
            raise

    def _current(self, field: str) -> Any:
        if field.startswith("impact."):
            return getattr(self.doc.impact, field.removeprefix("impact."))
        return getattr(self.doc, field)

    def update_item(
        self,
        collection: str,
        item: Row,
        changes: dict[str, Any],
        *,
        base: dict[str, Any] | None = None,
        parent: Row | None = None,
        position: int | None = None,
        links: Sequence[Row] = (),
    ) -> None:
        """Save ``changes`` to ``item``: the item as it was shown when the edit started.

        The save is checked against that start, not against the document as it is now
        (a reload may have come in between): ``base`` defaults to ``item``'s values of
        the changed fields, so another terminal's save of those fields since then is a
        :class:`Conflict`, and its save of other fields is kept. When the other terminal
        deleted the item, "keep mine" puts it back where it was: ``position`` and (for a
        why) ``parent`` are where the edit started, used when the document no longer
        holds the item; for an action item, ``links`` are the factors whose chains
        linked it then, and those still there link it again.
        """
        row_id = _row_id(item)
        started_from = (
            base
            if base is not None
            else {name: getattr(item, name) for name in changes if hasattr(item, name)}
        )
        if collection == "whys":
            parent = self.parent_of(item) or parent
        now_at = self._position(collection, item)
        at = now_at if now_at is not None else position

        def apply() -> None:
            self.store.update_item(
                self.ident, collection, row_id, changes, version=item.version, base=started_from
            )

        def overwrite() -> None:
            now = self.find_row(collection, row_id)
            if now is None:
                raise StaleWrite(f"{collection} item", item.version, None, None)
            self.store.update_item(self.ident, collection, row_id, changes, version=now.version)

        def restore() -> None:
            self._restore(
                collection, item.model_dump() | changes, index=at, parent=parent, links=links
            )

        label = f"{collection}[{at}]" if at is not None else f"{collection} item"
        edit = Edit(label, dict(changes), apply, restore, row=(collection, row_id))
        try:
            self._run(edit)
        except Conflict as conflict:
            conflict.edit.apply = overwrite
            raise

    def _restore(
        self,
        collection: str,
        data: dict[str, Any],
        *,
        index: int | None,
        parent: Row | None,
        links: Sequence[Row] = (),
    ) -> Any:
        """Add a deleted item back, with my values (after a reload: ``doc`` is current)."""
        if collection == "contributing_factors":
            # The factor comes back with the whys it had when the edit started, in one
            # transaction; links only to action items that still exist.
            whys = data.pop("whys", [])
            refs = {a.id for a in self.doc.action_items}
            data["actions"] = [ref for ref in data.get("actions", []) if ref in refs]

            def unit() -> Any:
                factor = self.store.add_item(self.ident, collection, data, index=index)
                for why in whys:
                    self.store.add_item(self.ident, "whys", why, parent_row_id=factor.row_id)
                return factor

            return self.store.write(unit)
        if collection == "action_items" and self.doc.action_item(data.get("id") or "") is not None:
            data = data | {"id": ""}  # its id was taken meanwhile: the store assigns a new one
        # Deleting an action item unlinked it: its chains get it back, under its new id
        # if it has one, in the same transaction.
        present = {f.row_id for f in self.doc.contributing_factors}
        factors = [_row_id(f) for f in links if f.row_id in present]

        def unit() -> Any:
            added = self.store.add_item(
                self.ident,
                collection,
                data,
                index=index,
                parent_row_id=_row_id(parent) if parent is not None else None,
            )
            for factor in factors:
                self.store.link_action(self.ident, factor, added.id)
            return added

        return self.store.write(unit)

    def _position(self, collection: str, item: Row) -> int | None:
        rows = (
            self.parent_of(item).whys
            if collection == "whys" and self.parent_of(item)
            else getattr(self.doc, collection, [])
        )
        return next((i for i, r in enumerate(rows) if r.row_id == item.row_id), None)

    def add_item(
        self,
        collection: str,
        data: dict[str, Any] | Row,
        *,
        index: int | None = None,
        parent: Row | None = None,
    ) -> Any:
        mine = data if isinstance(data, dict) else data.model_dump()
        return self._run(
            Edit(
                f"new {collection} item",
                dict(mine),
                lambda: self.store.add_item(
                    self.ident,
                    collection,
                    data,
                    index=index,
                    parent_row_id=_row_id(parent) if parent is not None else None,
                ),
            )
        )

    def delete_item(self, collection: str, item: Row) -> None:
        row_id = _row_id(item)
        self._run(
            Edit(
                f"delete {collection} item",
                {},
                lambda: self.store.delete_item(
                    self.ident, collection, row_id, version=item.version
                ),
            )
        )

    def move_item(self, collection: str, item: Row, index: int) -> None:
        row_id = _row_id(item)
        self._run(
            Edit(
                f"move {collection} item",
                {},
                lambda: self.store.move_item(self.ident, collection, row_id, index),
            )
        )

    def add_text(self, name: str, text: str, index: int | None = None) -> None:
        self._run(
            Edit(
                f"new {name} item",
                {"text": text},
                lambda: self.store.add_text(self.ident, name, text, index=index),
            )
        )

    def text_item(self, name: str, index: int) -> TextItem | None:
        """``what_helped[index]`` / ``what_hurt[index]`` as shown now: what an edit starts from."""
        row = self.doc.list_row(name, index)
        texts = getattr(self.doc, name)
        if row is None or index >= len(texts):
            return None
        return TextItem(name, row[0], row[1], texts[index], index)

    def update_text(self, item: TextItem, text: str) -> None:
        """Save ``text`` over the fact the edit started from (found by its row, not its place).

        Another terminal's change of that fact since then is a :class:`Conflict`; when it
        deleted the fact, "keep mine" adds mine back where it was.
        """
        name, row_id = item.name, item.row_id

        def apply() -> None:
            self.store.update_text(
                self.ident, name, row_id, text, version=item.version, base=item.text
            )

        def overwrite() -> None:
            now = self._text_row(name, row_id)
            if now is None:
                raise StaleWrite(f"{name}[{item.index}]", item.version, None, None)
            self.store.update_text(self.ident, name, row_id, text, version=now[1])

        edit = Edit(
            f"{name}[{item.index}]",
            {"text": text},
            apply,
            lambda: self.store.add_text(self.ident, name, text, index=item.index),
        )
        try:
            self._run(edit)
        except Conflict as conflict:
            conflict.edit.apply = overwrite
            raise

    def _text_row(self, name: str, row_id: int) -> tuple[int, int] | None:
        for position in range(len(getattr(self.doc, name))):
            now = self.doc.list_row(name, position)
            if now is not None and now[0] == row_id:
                return now
        return None

    def delete_text(self, item: TextItem) -> None:
        """Delete the fact chosen (by its row: another terminal may have moved it)."""
        self._run(
            Edit(
                f"delete {item.name}[{item.index}]",
                {},
                lambda: self.store.delete_text(self.ident, item.name, item.row_id),
            )
        )

    def _simple(self, label: str, action: Callable[[], Any]) -> Any:
        return self._run(Edit(label, {}, action))

    def add_failure_class(self, slug: str) -> str:
        return self._simple(
            "failure_classes", lambda: self.store.add_failure_class(self.ident, slug)
        )

    def remove_failure_class(self, slug: str) -> None:
        self._simple("failure_classes", lambda: self.store.remove_failure_class(self.ident, slug))

    def add_related(self, other: str) -> None:
        self._simple("related_incidents", lambda: self.store.add_related(self.ident, other))

    def remove_related(self, other: str) -> None:
        self._simple("related_incidents", lambda: self.store.remove_related(self.ident, other))

    def link_action(self, factor: Row, ref: str) -> None:
        row_id = _row_id(factor)
        self._simple("actions", lambda: self.store.link_action(self.ident, row_id, ref))

    def unlink_action(self, factor: Row, ref: str) -> None:
        row_id = _row_id(factor)
        self._simple("actions", lambda: self.store.unlink_action(self.ident, row_id, ref))

    def record_norms_read(self) -> None:
        """The norms open the meeting: a draft becomes in-meeting, and a meeting date left
        empty at Setup becomes today (Review and the exports show when it was held)."""
        now = self.now()
        self.set_field("norms_read_at", now)
        if self.doc.date_of_postmortem is None:
            self.set_field("date_of_postmortem", now.date())
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
                # Exactly this finding: another of its code at the same path (a second
                # undone item of the same past postmortem) stays open.
                "path": finding.waiver_path,
                "reason": reason,
                "waived_by": by or self.doc.facilitator,
                "waived_at": self.now(),
            },
        )

    def complete(self) -> None:
        self._simple("status", lambda: self.store.complete(self.ident, now=self.now()))

    def publish(self) -> None:
        self._simple("status", lambda: self.store.publish(self.ident, now=self.now()))

    def reopen(self) -> None:
        self._simple("status", lambda: self.store.reopen(self.ident))


def _row_id(item: Row) -> int:
    if item.row_id is None:
        raise ValueError("this item has not been saved yet")
    return item.row_id


__all__ = ["CheckContext", "Conflict", "Edit", "MeetingSession", "SaveDeferred", "TextItem"]
