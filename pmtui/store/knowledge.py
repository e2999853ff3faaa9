"""Provides the knowledge-base queries: the dashboard's figures and the review's documents, fast.

Loading 10,000 documents into models takes seconds, so the dashboard is computed from a
few SQL queries instead, with the rules' own deadline functions applied to the rows
that need them. The results are the domain's types (``PracticeMetrics``,
``ErrorBudget``) and tests prove they equal ``practice_metrics`` and ``service_budget``
on the same documents. ``light_documents`` builds models without validation (the rows
were validated on the way in) and without the parts a report does not read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, cast

from pmtui.domain.budget import service_budget
from pmtui.domain.dashboard import (
    Dashboard,
    PastDueItem,
    QuarterTrend,
    quarter_start,
    quarters_back,
)
from pmtui.domain.metrics import (
    COMPLETION_WINDOW,
    ActionCompletion,
    Overdue,
    PracticeMetrics,
    PublicationTiming,
    RecurringClass,
    quarter_of,
)
from pmtui.domain.models import ActionItem, Impact, Postmortem
from pmtui.domain.review_report import ReviewReport, build_review_report
from pmtui.domain.severity import (
    DUE_SOON,
    DeadlineState,
    meeting_deadline,
    meeting_state,
    postmortem_required,
    publication_deadline,
)
from pmtui.store.taxonomy import TaxonomyMixin

_QUARTER = "strftime('%Y', {d}) || '-Q' || ((CAST(strftime('%m', {d}) AS INTEGER) - 1) / 3 + 1)"
_HEAD = (
    "id, kind, severity, title, service, team, date_of_incident, date_restored, "
    "date_of_postmortem, date_published, status, impact_slo_budget_consumed_minutes"
)


def _ts(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclasses.dataclass(frozen=True, slots=True)
class _Dates:
    """The attributes the severity deadline rules read, without building a whole model."""

    id: str
    kind: str
    severity: str | None
    date_of_incident: dt.datetime | None
    date_restored: dt.datetime | None
    date_of_postmortem: dt.date | None
    date_published: dt.datetime | None

    @property
    def incident_day(self) -> dt.date | None:
        return self.date_of_incident.date() if self.date_of_incident else None

    def as_postmortem(self) -> Postmortem:
        return cast(Postmortem, self)


class KnowledgeMixin(TaxonomyMixin):
    # ---- documents for reports -----------------------------------------------------

    def light_documents(self, where: str = "1", params: Sequence[Any] = ()) -> list[Postmortem]:
        """Postmortems matching ``where`` (SQL on ``postmortems``) with their action items
        and failure classes only — no timeline, factors or participants — ordered by id."""
        sub = f"SELECT id FROM postmortems WHERE {where}"
        with self.reading() as conn:
            heads = conn.execute(
                f"SELECT {_HEAD} FROM postmortems WHERE {where} ORDER BY id", params
            ).fetchall()
            items = conn.execute(
                "SELECT postmortem_id, ref, description, owner, due, ticket, priority, status, "
                f"completed_on FROM action_items WHERE postmortem_id IN ({sub}) "
                "ORDER BY postmortem_id, position",
                params,
            ).fetchall()
            classes = conn.execute(
                "SELECT postmortem_id, failure_class FROM postmortem_failure_classes "
                f"WHERE postmortem_id IN ({sub}) ORDER BY postmortem_id, position",
                params,
            ).fetchall()
        items_of: dict[str, list[ActionItem]] = defaultdict(list)
        for pid, ref, text, owner, due, ticket, priority, status, done in items:
            items_of[pid].append(
                ActionItem.model_construct(
                    id=ref,
                    description=text,
                    owner=owner,
                    due=_day(due),
                    ticket=ticket,
                    priority=priority,
                    status=status,
                    completed_on=_day(done),
                )
            )
        classes_of: dict[str, list[str]] = defaultdict(list)
        for pid, slug in classes:
            classes_of[pid].append(slug)
        # Every list field is passed: model_construct's default factories are slow.
        return [
            Postmortem.model_construct(
                id=h[0],
                kind=h[1],
                severity=h[2],
                title=h[3],
                service=h[4],
                team=h[5],
                date_of_incident=_ts(h[6]),
                date_restored=_ts(h[7]),
                date_of_postmortem=_day(h[8]),
                date_published=_ts(h[9]),
                status=h[10],
                impact=Impact.model_construct(slo_budget_consumed_minutes=h[11]),
                action_items=items_of.get(h[0], []),
                failure_classes=classes_of.get(h[0], []),
                participants=[],
                timeline=[],
                contributing_factors=[],
                what_helped=[],
                what_hurt=[],
                related_incidents=[],
                waivers=[],
            )
            for h in heads
        ]

    def teams(self) -> list[str]:
        """Every team named by a service or a postmortem."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT team FROM services WHERE team != '' UNION "
                "SELECT team FROM postmortems WHERE team != '' ORDER BY 1"
            ).fetchall()
        return [r[0] for r in rows]

    def classes_met(self, until: dt.date) -> dict[str, set[str]]:
        """For each team, the failure classes its postmortems carried up to ``until``."""
        end = (until + dt.timedelta(days=1)).isoformat()
        met: dict[str, set[str]] = defaultdict(set)
        with self._lock:
            for team, slug in self.conn.execute(
                "SELECT DISTINCT p.team, c.failure_class FROM postmortems p "
                "JOIN postmortem_failure_classes c ON c.postmortem_id = p.id "
                "WHERE p.date_of_incident < ?",
                [end],
            ):
                met[team].add(slug)
        return dict(met)

    def review_report(
        self, since: dt.date, until: dt.date, now: dt.datetime | None = None
    ) -> ReviewReport:
        """The cross-team review of the incidents and near-misses begun in [since, until]."""
        end = (until + dt.timedelta(days=1)).isoformat()
        docs = self.light_documents(
            "date_of_incident >= ? AND date_of_incident < ?", [since.isoformat(), end]
        )
        return build_review_report(
            docs,
            since=since,
            until=until,
            generated=now or self.clock(),
            teams=self.teams(),
            met=self.classes_met(until),
            descriptions={c.slug: c.description for c in self.failure_classes()},
        )

    # ---- the dashboard -------------------------------------------------------------

    def budgets(self, as_of: dt.datetime) -> list[Any]:
        """Every configured service's error budget at ``as_of`` (rules: ``service_budget``)."""
        services = self.services()
        if not services:
            return []
        start = as_of - dt.timedelta(days=max(s.window_days for s in services))
        candidates = self.light_documents(
            "kind = 'incident' AND date_of_incident > ? AND date_of_incident <= ?",
            [_stamp(start), _stamp(as_of)],
        )
        return [service_budget(s, candidates, as_of) for s in services]

    def dashboard(self, now: dt.datetime, quarters: int = 8) -> Dashboard:
        """Budgets, practice metrics since the first of ``quarters`` quarters, past-due items."""
        shown = quarters_back(now.date(), quarters)
        since = quarter_start(shown[0])
        with self.reading() as conn:
            rows = conn.execute(
                "SELECT id, kind, severity, date_of_incident, date_restored, date_of_postmortem, "
                "date_published FROM postmortems WHERE date_of_incident >= ? ORDER BY id",
                [since.isoformat()],
            ).fetchall()
            completion = self._completion_rows(conn, since, now.date())
            history = conn.execute(
                f"SELECT p.id, {_QUARTER.format(d='p.date_of_incident')}, c.failure_class "
                "FROM postmortems p "
                "JOIN postmortem_failure_classes c ON c.postmortem_id = p.id "
                "WHERE p.date_of_incident IS NOT NULL "
                "ORDER BY p.date_of_incident, p.id, c.position"
            ).fetchall()
            past_due = conn.execute(
                "SELECT a.owner, a.postmortem_id, a.ref, a.description, a.due, a.status, "
                "p.title FROM action_items a JOIN postmortems p ON p.id = a.postmortem_id "
                "WHERE a.status != 'done' AND a.due IS NOT NULL AND a.due < ? "
                "ORDER BY a.due, a.postmortem_id, a.position",
                [now.date().isoformat()],
            ).fetchall()
        docs = [_Dates(r[0], r[1], r[2], _ts(r[3]), _ts(r[4]), _day(r[5]), _ts(r[6])) for r in rows]
        incidents = [d for d in docs if d.kind == "incident"]
        timings = tuple(
            PublicationTiming(d.id, d.severity, d.date_restored, d.date_published, *state)
            for d in sorted(incidents, key=lambda d: (d.date_restored or now, d.id))
            if d.date_restored is not None
            for state in [_publication(d, now)]
        )
        recurring = _recurring(history, since)
        totals = ActionCompletion(
            sum(r[1] for r in completion),
            sum(r[2] for r in completion),
            sum(r[3] for r in completion),
        )
        metrics = PracticeMetrics(
            now=now,
            team=None,
            since=since,
            postmortems=len(incidents),
            publication=timings,
            actions=totals,
            recurring=tuple(recurring),
            overdue=tuple(_overdue(incidents, timings, now)),
            near_misses=sum(1 for d in docs if d.kind == "near-miss"),
        )
        return Dashboard(
            now=now,
            since=since,
            budgets=tuple(self.budgets(now)),
            metrics=metrics,
            quarters=_trend(shown, docs, timings, completion, recurring),
            past_due=tuple(
                PastDueItem(r[0], r[1], r[2], r[3], dt.date.fromisoformat(r[4]), r[5], r[6])
                for r in past_due
            ),
            near_miss_ids=tuple(d.id for d in docs if d.kind == "near-miss"),
        )

    def _completion_rows(
        self, conn: Any, since: dt.date, today: dt.date
    ) -> list[tuple[str | None, int, int, int, str]]:
        """Per quarter: (quarter, judged, completed, not yet judged, judged postmortem ids).

        The rules' definition: 30 days from the meeting (else publication, else the
        incident's day); only items whose 30 days are over are judged; done with no
        completion date, or completed inside the 30 days, counts as completed.
        """
        days = COMPLETION_WINDOW.days
        quarter = _QUARTER.format(d="p.date_of_incident")
        sql = f"""
            SELECT q, sum(ends <= :today), sum(ends <= :today AND status = 'done'
                       AND (completed_on IS NULL OR completed_on <= ends)),
                   sum(ends > :today),
                   coalesce(group_concat(DISTINCT CASE WHEN ends <= :today THEN pid END), '')
            FROM (
                SELECT p.id AS pid, {quarter} AS q, a.status, a.completed_on,
                       date(coalesce(p.date_of_postmortem, date(p.date_published),
                                     date(p.date_of_incident)), '+{days} days') AS ends
                FROM action_items a JOIN postmortems p ON p.id = a.postmortem_id
                WHERE p.date_of_incident >= :since
            )
            WHERE ends IS NOT NULL GROUP BY q ORDER BY q
        """
        return conn.execute(
            sql, {"since": since.isoformat(), "today": today.isoformat()}
        ).fetchall()


def _stamp(value: dt.datetime) -> str:
    from pmtui.domain.types import format_timestamp

    return format_timestamp(value)


def _publication(d: _Dates, now: dt.datetime) -> tuple[dt.datetime | None, DeadlineState]:
    """``publication_deadline`` and ``publication_state`` with the business days counted once."""
    deadline = publication_deadline(d.as_postmortem())
    if deadline is None:
        return None, "n/a"
    if d.date_published is not None:
        return deadline, "met" if d.date_published <= deadline else "late"
    if now > deadline:
        return deadline, "overdue"
    return deadline, "due-soon" if deadline - now <= DUE_SOON else "pending"


def _recurring(history: list[tuple[str, str, str]], since: dt.date) -> list[RecurringClass]:
    """The rules' recurrence (see ``pmtui.domain.metrics``) from (id, quarter, class) rows
    ordered by incident time."""
    by_quarter: dict[str, dict[str, dict[str, None]]] = defaultdict(lambda: defaultdict(dict))
    for ident, quarter, slug in history:
        by_quarter[quarter][slug][ident] = None
    first = quarter_of(since)
    seen: dict[str, list[str]] = defaultdict(list)
    found = []
    for quarter in sorted(by_quarter):
        for slug, ids in sorted(by_quarter[quarter].items()):
            earlier = tuple(seen[slug])
            if quarter >= first and (len(ids) >= 2 or earlier):
                found.append(RecurringClass(quarter, slug, tuple(ids), earlier))
            seen[slug].extend(ids)
    return found


def _overdue(
    incidents: list[_Dates], timings: tuple[PublicationTiming, ...], now: dt.datetime
) -> list[Overdue]:
    publication = {t.id: t for t in timings}
    found = []
    for d in incidents:
        pm = d.as_postmortem()
        if not postmortem_required(pm):
            continue
        meeting = meeting_deadline(pm)
        if meeting is not None and meeting_state(pm, now) == "overdue":
            found.append(Overdue(d.id, "meeting", meeting))
        timing = publication.get(d.id)
        if timing is not None and timing.deadline is not None and timing.state == "overdue":
            found.append(Overdue(d.id, "publication", timing.deadline))
    return found


def _trend(
    shown: list[str],
    docs: list[_Dates],
    timings: tuple[PublicationTiming, ...],
    completion: list[tuple[str | None, int, int, int, str]],
    recurring: list[RecurringClass],
) -> tuple[QuarterTrend, ...]:
    quarter_by_id = {d.id: quarter_of(d.incident_day) for d in docs if d.incident_day}
    incidents: dict[str, list[str]] = defaultdict(list)
    near: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        q = quarter_by_id.get(d.id)
        if q:
            (incidents if d.kind == "incident" else near)[q].append(d.id)
    hours: dict[str, list[tuple[str, float]]] = defaultdict(list)
    late: dict[str, list[str]] = defaultdict(list)
    for t in timings:
        q = quarter_by_id.get(t.id, "")
        if t.hours is not None:
            hours[q].append((t.id, t.hours))
        if t.state in ("late", "overdue"):
            late[q].append(t.id)
    actions = {r[0]: r for r in completion}
    rec: dict[str, list[RecurringClass]] = defaultdict(list)
    for r in recurring:
        rec[r.quarter].append(r)
    trend = []
    for q in shown:
        row = actions.get(q)
        trend.append(
            QuarterTrend(
                quarter=q,
                incidents=tuple(incidents[q]),
                published_hours=tuple(hours[q]),
                late_or_overdue=tuple(late[q]),
                actions_judged=row[1] if row else 0,
                actions_completed=row[2] if row else 0,
                action_postmortems=tuple(sorted(row[4].split(","))) if row and row[4] else (),
                recurring=tuple(rec[q]),
                near_misses=tuple(near[q]),
            )
        )
    return tuple(trend)
