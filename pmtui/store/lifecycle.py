"""Provides the one door to completion, and publication and reopening behind it.

``complete()`` is the only code that writes ``status = 'complete'``. It loads the
document, asks the rules (the same ``check`` the screens and the CLI show) and refuses
while any gate or unwaived advisory remains — all inside the write transaction, so no
edit from another terminal can slip in between the check and the status change.
Whole-document writes (import, replace) pass through :meth:`admit` for the same reason.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pmtui.domain.models import ActionItem, Postmortem
from pmtui.domain.types import format_timestamp, parse_timestamp
from pmtui.store.edits import EditsMixin
from pmtui.store.errors import CompletionRefused, DocumentLocked

if TYPE_CHECKING:
    from pmtui.domain.rules import CheckContext


def _rules() -> Any:
    """The rules module, imported when first needed: listing postmortems never needs it."""
    from pmtui.domain import rules

    return rules


class LifecycleMixin(EditsMixin):
    def context_for(self, pm: Postmortem, now: dt.datetime | None = None) -> CheckContext:
        """What the rules need beyond the document: now, related past postmortems, the SLO."""
        return _rules().CheckContext(
            now=now or self.clock(),
            past=self.unfinished_past(pm),
            service=self.service(pm.service) if pm.service else None,
        )

    def unfinished_past(self, pm: Postmortem) -> list[Postmortem]:
        """Earlier postmortems sharing a failure class with ``pm`` that have undone items.

        Only what the recurrence rule reads is loaded (id, date, classes, the undone
        items), in three queries, so a check stays fast on a knowledge base of
        thousands: a full load of every related postmortem cost a second at 10,000.
        """
        if not pm.failure_classes:
            return []
        marks = ",".join("?" * len(pm.failure_classes))
        # Only items already overdue when this incident began can be "never completed"
        # (the rule's own cut-off); filtering them here keeps a big knowledge base cheap.
        cutoff = (pm.incident_day or self.clock().date()).isoformat()
        undone = "a.status != 'done' AND (a.due IS NULL OR a.due <= ?)"
        # From the undone items (few, indexed) to their postmortems, not the other way.
        # (CROSS JOIN keeps SQLite from starting at the class, which can hold thousands.)
        sql = (
            "SELECT DISTINCT p.id, p.date_of_incident "
            "FROM action_items a INDEXED BY action_items_undone "
            "CROSS JOIN postmortems p ON p.id = a.postmortem_id "
            f"WHERE {undone} AND p.id != ? AND EXISTS (SELECT 1 FROM postmortem_failure_classes c "
            f"WHERE c.postmortem_id = p.id AND c.failure_class IN ({marks}))"
        )
        params: list[Any] = [cutoff, pm.id, *pm.failure_classes]
        if pm.date_of_incident:
            sql += " AND (p.date_of_incident IS NULL OR p.date_of_incident < ?)"
            params.append(format_timestamp(pm.date_of_incident))
        with self.reading() as conn:
            heads = conn.execute(sql + " ORDER BY p.id", params).fetchall()
            if not heads:
                return []
            ids = [h[0] for h in heads]
            id_marks = ",".join("?" * len(ids))
            classes: dict[str, list[str]] = {}
            for ident, slug in conn.execute(
                "SELECT postmortem_id, failure_class FROM postmortem_failure_classes "
                f"WHERE postmortem_id IN ({id_marks}) ORDER BY position",
                ids,
            ):
                classes.setdefault(ident, []).append(slug)
            items: dict[str, list[ActionItem]] = {}
            for ident, ref, description, status, due in conn.execute(
                "SELECT postmortem_id, ref, description, status, due FROM action_items a "
                f"WHERE postmortem_id IN ({id_marks}) AND {undone} ORDER BY position",
                [*ids, cutoff],
            ):
                items.setdefault(ident, []).append(
                    ActionItem.model_construct(
                        id=ref,
                        description=description,
                        status=status,
                        due=dt.date.fromisoformat(due) if due else None,
                    )
                )
        return [
            Postmortem.model_construct(
                id=ident,
                date_of_incident=parse_timestamp(when) if when else None,
                failure_classes=classes.get(ident, []),
                action_items=items.get(ident, []),
            )
            for ident, when in heads
        ]

    def past_postmortems(self, pm: Postmortem) -> list[Postmortem]:
        """Other postmortems, earlier than ``pm``, that share a failure class or its service."""
        params: list[Any] = [pm.id]
        clauses = []
        if pm.failure_classes:
            marks = ",".join("?" * len(pm.failure_classes))
            clauses.append(
                "id IN (SELECT postmortem_id FROM postmortem_failure_classes "
                f"WHERE failure_class IN ({marks}))"
            )
            params += pm.failure_classes
        if pm.service:
            clauses.append("service = ?")
            params.append(pm.service)
        if not clauses:
            return []
        sql = f"SELECT id FROM postmortems WHERE id != ? AND ({' OR '.join(clauses)})"
        if pm.date_of_incident:
            sql += " AND (date_of_incident IS NULL OR date_of_incident < ?)"
            params.append(format_timestamp(pm.date_of_incident))
        with self._lock:
            idents = [r[0] for r in self.conn.execute(sql + " ORDER BY id", params)]
        return self.load_many(idents)

    def findings(self, ident: str, now: dt.datetime | None = None) -> list[Any]:
        pm = self.load(ident)
        return _rules().check(pm, self.context_for(pm, now))

    def complete(self, ident: str, now: dt.datetime | None = None) -> Postmortem:
        """Mark the postmortem complete — or raise CompletionRefused listing what blocks it."""

        def unit() -> None:
            pm = self.load(ident)
            if pm.status in ("complete", "published"):
                return
            rules = _rules()
            remaining = rules.blocking(rules.check(pm, self.context_for(pm, now)))
            if remaining:
                raise CompletionRefused(ident, remaining)
            self.conn.execute(
                "UPDATE postmortems SET status = 'complete', version = version + 1 WHERE id = ?",
                [ident],
            )
            self._touch(ident)

        self.write(unit)
        return self.load(ident)

    def publish(self, ident: str, now: dt.datetime | None = None) -> Postmortem:
        """Record publication (now) of a complete postmortem."""
        when = now or self.clock()

        def unit() -> None:
            status = self._status_in_tx(ident)
            if status == "published":
                return
            if status != "complete":
                raise DocumentLocked(f"{ident} is {status}: complete it before publishing")
            self.conn.execute(
                "UPDATE postmortems SET status = 'published', date_published = ?, "
                "version = version + 1 WHERE id = ?",
                [format_timestamp(when), ident],
            )
            self._touch(ident)

        self.write(unit)
        return self.load(ident)

    def reopen(self, ident: str) -> Postmortem:
        """Take a complete or published postmortem back into the meeting."""

        def unit() -> None:
            if self._status_in_tx(ident) in ("complete", "published"):
                self.conn.execute(
                    "UPDATE postmortems SET status = 'in-meeting', version = version + 1 "
                    "WHERE id = ?",
                    [ident],
                )
                self._touch(ident)

        self.write(unit)
        return self.load(ident)

    def admit(self, pm: Postmortem, now: dt.datetime | None = None) -> tuple[Postmortem, list[Any]]:
        """A document about to be written whole, with a status it has earned.

        A document that claims to be complete or published but does not pass the rules
        comes in as ``in-meeting``; the findings say why. Nothing but this door and
        :meth:`complete` lets a stored document be complete.
        """
        if pm.status not in ("complete", "published"):
            return pm, []
        rules = _rules()
        remaining = rules.blocking(rules.check(pm, self.context_for(pm, now)))
        if not remaining:
            return pm, []
        return pm.model_copy(update={"status": "in-meeting"}), remaining

    def write_document(self, pm: Postmortem, *, replace: bool = False) -> list[Any]:
        """Every whole-document write (create, replace, import) passes through :meth:`admit`.

        Returns the findings that kept a document claiming completion out of 'complete'.
        """
        admitted, demoted = self.admit(pm)
        super().write_document(admitted, replace=replace)
        return demoted
