"""Provides the cross-team review report as data: classes seen in a period, by team, what is open.

The article's monthly or quarterly review asks three things of the knowledge base: which
failure classes did we meet, and who met them; which of their action items are still
open; and which teams have not met a class yet that another team just hit — the lesson
to share before it becomes their incident. Pure: the store hands in the documents.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pmtui.domain.models import Postmortem


@dataclasses.dataclass(frozen=True)
class SeenIn:
    """One postmortem of the period that carried the class."""

    id: str
    team: str
    title: str
    severity: str | None
    kind: str
    day: dt.date | None


@dataclasses.dataclass(frozen=True)
class OpenItem:
    postmortem_id: str
    team: str
    ref: str
    description: str
    owner: str
    due: dt.date | None
    status: str
    ticket: str

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


@dataclasses.dataclass(frozen=True)
class ClassReview:
    slug: str
    description: str
    seen: tuple[SeenIn, ...]
    open_items: tuple[OpenItem, ...]
    not_yet_met: tuple[str, ...]
    """Teams that have never (up to the period's end) had a postmortem with this class."""

    @property
    def teams(self) -> tuple[str, ...]:
        return tuple(sorted({s.team or "(no team)" for s in self.seen}, key=str.casefold))


@dataclasses.dataclass(frozen=True)
class TeamReview:
    team: str
    classes: tuple[tuple[str, tuple[str, ...]], ...]
    """(class, ids of the team's postmortems with it), most frequent first."""
    open_items: int


@dataclasses.dataclass(frozen=True)
class ReviewReport:
    since: dt.date
    until: dt.date
    generated: dt.datetime
    postmortems: int
    near_misses: int
    classes: tuple[ClassReview, ...]
    teams: tuple[TeamReview, ...]
    unclassified: tuple[str, ...]
    """Postmortems of the period without any failure class: invisible to recurrence."""

    def to_dict(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, dt.datetime):
                return value.isoformat().replace("+00:00", "Z")
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, (list, tuple)):
                return [plain(v) for v in value]
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            return value

        return plain(dataclasses.asdict(self))


def build_review_report(
    postmortems: Iterable[Postmortem],
    *,
    since: dt.date,
    until: dt.date,
    generated: dt.datetime,
    teams: Sequence[str],
    met: Mapping[str, set[str]],
    descriptions: Mapping[str, str] | None = None,
) -> ReviewReport:
    """The review of the postmortems whose incident began between ``since`` and ``until``.

    Args:
        postmortems: candidates; those outside the period are left out here.
        teams: every team that could have met a class (services' and postmortems' teams).
        met: for each team, the classes its postmortems ever carried up to ``until``.
        descriptions: the taxonomy's one-line descriptions by slug.
    """
    descriptions = descriptions or {}
    period = sorted(
        (
            pm
            for pm in postmortems
            if pm.incident_day is not None and since <= pm.incident_day <= until
        ),
        key=lambda pm: (pm.date_of_incident, pm.id),
    )
    seen: dict[str, list[SeenIn]] = defaultdict(list)
    items: dict[str, list[OpenItem]] = defaultdict(list)
    by_team: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    open_by_team: dict[str, int] = defaultdict(int)
    for pm in period:
        team = pm.team.strip()
        undone = [
            OpenItem(pm.id, team, a.id, a.description, a.owner, a.due, a.status, a.ticket)
            for a in pm.action_items
            if a.status != "done"
        ]
        open_by_team[team or "(no team)"] += len(undone)
        for slug in dict.fromkeys(pm.failure_classes):
            seen[slug].append(SeenIn(pm.id, team, pm.title, pm.severity, pm.kind, pm.incident_day))
            items[slug].extend(undone)
            by_team[team or "(no team)"][slug].append(pm.id)
    known_teams = sorted({t.strip() for t in teams if t.strip()}, key=str.casefold)
    classes = []
    for slug, hits in seen.items():
        hit_teams = {s.team for s in hits}
        classes.append(
            ClassReview(
                slug=slug,
                description=descriptions.get(slug, ""),
                seen=tuple(hits),
                open_items=tuple(
                    sorted(items[slug], key=lambda i: (i.due or dt.date.max, i.postmortem_id))
                ),
                not_yet_met=tuple(
                    t for t in known_teams if t not in hit_teams and slug not in met.get(t, set())
                ),
            )
        )
    classes.sort(key=lambda c: (-len(c.seen), c.slug))
    team_reviews = tuple(
        TeamReview(
            team=team,
            classes=tuple(
                (slug, tuple(ids))
                for slug, ids in sorted(by_team[team].items(), key=lambda kv: (-len(kv[1]), kv[0]))
            ),
            open_items=open_by_team.get(team, 0),
        )
        for team in sorted(by_team, key=str.casefold)
    )
    return ReviewReport(
        since=since,
        until=until,
        generated=generated,
        postmortems=sum(1 for pm in period if pm.kind == "incident"),
        near_misses=sum(1 for pm in period if pm.kind == "near-miss"),
        classes=tuple(classes),
        teams=team_reviews,
        unclassified=tuple(pm.id for pm in period if not pm.failure_classes),
    )
