"""Provides the one door to completion, and publication and reopening behind it.

``complete()`` is the only code that writes ``status = 'complete'``. It loads the
document, asks the rules (the same ``check`` the screens and the CLI show) and refuses
while any gate or unwaived advisory remains — all inside the write transaction, so no
edit from another terminal can slip in between the check and the status change.
Whole-document writes (import, replace) pass through :meth:`admit` for the same reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmtui.domain.models import Postmortem
from pmtui.domain.rules import CheckContext, blocking, check
from pmtui.domain.types import format_timestamp
from pmtui.store.edits import EditsMixin
from pmtui.store.errors import CompletionRefused, DocumentLocked


class LifecycleMixin(EditsMixin):
    def context_for(self, pm: Postmortem, now: dt.datetime | None = None) -> CheckContext:
        """What the rules need beyond the document: now, related past postmortems, the SLO."""
        return CheckContext(
            now=now or self.clock(),
            past=self.past_postmortems(pm),
            service=self.service(pm.service) if pm.service else None,
        )

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
        return check(pm, self.context_for(pm, now))

    def complete(self, ident: str, now: dt.datetime | None = None) -> Postmortem:
        """Mark the postmortem complete — or raise CompletionRefused listing what blocks it."""

        def unit() -> None:
            pm = self.load(ident)
            if pm.status in ("complete", "published"):
                return
            remaining = blocking(check(pm, self.context_for(pm, now)))
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
        remaining = blocking(check(pm, self.context_for(pm, now)))
        if not remaining:
            return pm, []
        return pm.model_copy(update={"status": "in-meeting"}), remaining

    def create(self, pm: Postmortem) -> Postmortem:
        return super().create(self.admit(pm)[0])

    def replace(self, pm: Postmortem) -> Postmortem:
        return super().replace(self.admit(pm)[0])
