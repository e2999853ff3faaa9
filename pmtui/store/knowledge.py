"""Provides the knowledge-base queries: the dashboard's figures and the review's documents, fast.

Loading 10,000 documents into models takes seconds, so the dashboard is computed from a
few SQL queries instead, with the rules' own deadline functions applied to the rows
that need them. The results are the domain's types (``PracticeMetrics``,
``ErrorBudget``) and tests prove they equal ``practice_metrics`` and ``service_budget``
on the same documents. ``light_documents`` builds models without validation (the rows
were validated on the way in) and without the parts a report does not read.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from operator import itemgetter
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

# The postmortems of the dashboard's period, each with its action items as one string: per
# item, _OPEN when not done, _UNDATED when done with no completion date, else that date.
_OPEN, _UNDATED = "-", "+"
_SCOPE = (
    "SELECT id, kind, severity, date_of_incident, date_restored, date_of_postmortem, "
    f"date_published, (SELECT group_concat(CASE WHEN a.status != 'done' THEN '{_OPEN}' "
    f"ELSE coalesce(a.completed_on, '{_UNDATED}') END) FROM action_items a "
    "WHERE a.postmortem_id = p.id) FROM postmortems p WHERE date_of_incident >= ?"
)
# Every failure class ever carried, as one string of "class time id" entries joined by
# commas: recurrence needs the whole history (13,000 rows at 10,000 postmortems), and one
# string costs a fraction of a tuple per row. None of the three holds a space or a comma
# (classes, ids and UTC timestamps are validated on the way in) and a space sorts below
# every character they use, so sorting the entries as strings sorts them by class, then
# time, then id. CROSS JOIN keeps postmortems the outer loop: each one's classes then
# come from the primary-key index alone.
_HISTORY = (
    "SELECT group_concat(c.failure_class || ' ' || p.date_of_incident || ' ' || p.id, ',') "
    "FROM postmortems p CROSS JOIN postmortem_failure_classes c ON c.postmortem_id = p.id "
    "WHERE p.date_of_incident IS NOT NULL"
)
_HEAD = (
    "id, kind, severity, title, service, team, date_of_incident, date_restored, "
    "date_of_postmortem, date_published, status, impact_slo_budget_consumed_minutes"
)


def _ts(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _quarter(stamp: str) -> str:
    """The quarter of a stored UTC timestamp, read from its text."""
    return f"{stamp[:4]}-Q{(int(stamp[5:7]) + 2) // 3}"


def _quarter_end(stamp: str) -> str:
    """The text every timestamp after ``stamp``'s quarter sorts from ("2026-07")."""
    year, month = int(stamp[:4]), (int(stamp[5:7]) + 2) // 3 * 3 + 1
    return f"{year + 1}-01" if month > 12 else f"{year}-{month:02d}"


@dataclasses.dataclass(slots=True)
class _Tally:
    """One quarter's action items: judged, completed in 30 days, not yet judged, and the
    postmortems of the judged ones."""

    judged: int = 0
    completed: int = 0
    not_yet_judged: int = 0
    ids: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True)
class _Dates:
    """The attributes the severity deadline rules read, without building a whole model."""

    id: str
    kind: str
    severity: str | None
    date_of_incident: dt.datetime | None
    date_restored: dt.datetime | None
    date_of_postmortem: dt.date | None
    date_published: dt.datetime | None
    incident_day: dt.date | None
    quarter: str
    """The quarter the incident began in; "" without an incident time."""

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> _Dates:
        """From (id, kind, severity, incident, restored, postmortem day, published)."""
        incident = _ts(row[3])
        day = incident.date() if incident else None
        return cls(
            row[0],
            row[1],
            row[2],
            incident,
            _ts(row[4]),
            _day(row[5]),
            _ts(row[6]),
            day,
            quarter_of(day) if day else "",
        )

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
            rows = conn.execute(_SCOPE, [since.isoformat()]).fetchall()
            history = conn.execute(_HISTORY).fetchone()[0] or ""
            past_due = conn.execute(
                "SELECT a.owner, a.postmortem_id, a.ref, a.description, a.due, a.status, "
                "p.title FROM action_items a JOIN postmortems p ON p.id = a.postmortem_id "
                "WHERE a.status != 'done' AND a.due IS NOT NULL AND a.due < ? "
                "ORDER BY a.due, a.postmortem_id, a.position",
                [now.date().isoformat()],
            ).fetchall()
        rows.sort(key=itemgetter(0))
        docs = [_Dates.from_row(r) for r in rows]
        incidents = [d for d in docs if d.kind == "incident"]
        timings = tuple(
            PublicationTiming(d.id, d.severity, d.date_restored, d.date_published, *state)
            for d in sorted(incidents, key=lambda d: (d.date_restored or now, d.id))
            if d.date_restored is not None
            for state in [_publication(d, now)]
        )
        actions = _actions(docs, [r[7] for r in rows], now.date())
        recurring = _recurring(history, since)
        metrics = PracticeMetrics(
            now=now,
            team=None,
            since=since,
            postmortems=len(incidents),
            publication=timings,
            actions=ActionCompletion(
                sum(t.judged for t in actions.values()),
                sum(t.completed for t in actions.values()),
                sum(t.not_yet_judged for t in actions.values()),
            ),
            recurring=tuple(recurring),
            overdue=tuple(_overdue(incidents, timings, now)),
            near_misses=sum(1 for d in docs if d.kind == "near-miss"),
        )
        return Dashboard(
            now=now,
            since=since,
            budgets=tuple(self.budgets(now)),
            metrics=metrics,
            quarters=_trend(shown, docs, timings, actions, recurring),
            past_due=tuple(
                PastDueItem(r[0], r[1], r[2], r[3], dt.date.fromisoformat(r[4]), r[5], r[6])
                for r in past_due
            ),
            near_miss_ids=tuple(d.id for d in docs if d.kind == "near-miss"),
        )


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


def _actions(docs: list[_Dates], items: list[str | None], today: dt.date) -> dict[str, _Tally]:
    """The rules' 30-day completion (``pmtui.domain.metrics``), tallied by quarter.

    ``items`` holds, for each of ``docs``, its action items as ``_SCOPE`` writes them.
    """
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for d, states in zip(docs, items, strict=True):
        day = d.incident_day
        if states is None or day is None:
            continue
        start = d.date_of_postmortem or (d.date_published.date() if d.date_published else day)
        end = start + COMPLETION_WINDOW
        tally = tallies[d.quarter]
        tokens = states.split(",")
        if end > today:
            tally.not_yet_judged += len(tokens)
            continue
        # Both marks sort before any date: what sorts up to ``end`` is done in time or
        # undated (completed), or not done.
        tokens.sort()
        tally.judged += len(tokens)
        tally.completed += bisect.bisect_right(tokens, end.isoformat()) - tokens.count(_OPEN)
        tally.ids.append(d.id)
    return tallies


def _recurring(history: str, since: dt.date) -> list[RecurringClass]:
    """The rules' recurrence (see ``pmtui.domain.metrics``) from ``_HISTORY``'s string."""
    entries = history.split(",") if history else []
    entries.sort()
    fields = " ".join(entries).split(" ")
    slugs, stamps, ids = fields[0::3], fields[1::3], fields[2::3]
    start = since.isoformat()  # the first shown quarter's first day
    found = []
    lo = 0
    while lo < len(slugs):
        slug = slugs[lo]
        hi = bisect.bisect_right(slugs, slug, lo)
        # Earlier quarters only feed "earlier": find the first shown one's entries by time.
        first = bisect.bisect_left(stamps, start, lo, hi)
        while first < hi:
            quarter = _quarter(stamps[first])
            last = bisect.bisect_left(stamps, _quarter_end(stamps[first]), first, hi)
            earlier = tuple(ids[lo:first])
            if last - first >= 2 or earlier:
                found.append(RecurringClass(quarter, slug, tuple(ids[first:last]), earlier))
            first = last
        lo = hi
    found.sort(key=lambda r: (r.quarter, r.failure_class))
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
    actions: dict[str, _Tally],
    recurring: list[RecurringClass],
) -> tuple[QuarterTrend, ...]:
    quarter_by_id = {d.id: d.quarter for d in docs}
    incidents: dict[str, list[str]] = defaultdict(list)
    near: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        if d.quarter:
            (incidents if d.kind == "incident" else near)[d.quarter].append(d.id)
    hours: dict[str, list[tuple[str, float]]] = defaultdict(list)
    late: dict[str, list[str]] = defaultdict(list)
    for t in timings:
        q = quarter_by_id.get(t.id, "")
        spent = t.hours
        if spent is not None:
            hours[q].append((t.id, spent))
        if t.state in ("late", "overdue"):
            late[q].append(t.id)
    rec: dict[str, list[RecurringClass]] = defaultdict(list)
    for r in recurring:
        rec[r.quarter].append(r)
    trend = []
    for q in shown:
        tally = actions.get(q) or _Tally()
        trend.append(
            QuarterTrend(
                quarter=q,
                incidents=tuple(incidents[q]),
                published_hours=tuple(hours[q]),
                late_or_overdue=tuple(late[q]),
                actions_judged=tally.judged,
                actions_completed=tally.completed,
                action_postmortems=tuple(sorted(tally.ids)),
                recurring=tuple(rec[q]),
                near_misses=tuple(near[q]),
            )
        )
    return tuple(trend)
