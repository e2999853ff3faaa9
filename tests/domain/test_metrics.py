"""Practice metrics on a small hand-built set."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pmtui.domain.metrics import practice_metrics, quarter_of, render_metrics
from pmtui.domain.models import Postmortem

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)


def item(status: str = "open", completed_on: str | None = None) -> dict:
    return {"description": "x", "status": status, "completed_on": completed_on}


SET = [
    {
        "id": "INC-2025-0804",
        "severity": "SEV-2",
        "team": "payments",
        "date_of_incident": "2025-08-04T09:12:00Z",
        "date_restored": "2025-08-04T09:40:00Z",
        "date_of_postmortem": "2025-08-05",
        "date_published": "2025-08-07T12:00:00Z",
        "failure_classes": ["n+1-query"],
        "action_items": [item()],
    },
    {
        "id": "INC-2026-0114",
        "severity": "SEV-2",
        "team": "payments",
        "date_of_incident": "2026-01-14T14:32:00Z",
        "date_restored": "2026-01-14T14:55:00Z",
        "date_of_postmortem": "2026-01-16",
        "date_published": "2026-01-19T16:00:00Z",
        "failure_classes": ["n+1-query", "alert-threshold-too-conservative"],
        "action_items": [
            item("done", "2026-02-01"),
            item("done", "2026-03-01"),  # done, but after its 30 days
            item("in-progress"),
            item("done"),  # done, no date recorded: counted as done
        ],
    },
    {
        "id": "INC-2026-0202",
        "severity": "SEV-1",
        "team": "payments",
        "date_of_incident": "2026-02-02T09:00:00Z",
        "date_restored": "2026-02-02T10:00:00Z",
        "date_of_postmortem": "2026-02-03",
        "date_published": "2026-02-05T10:00:00Z",  # deadline was 2026-02-04 10:00
        "failure_classes": ["canary-coverage-insufficient"],
        "action_items": [item("done", "2026-02-10")],
    },
    {
        "id": "INC-2026-0302",
        "severity": "SEV-2",
        "team": "payments",
        "date_of_incident": "2026-03-02T08:00:00Z",
        "date_restored": "2026-03-02T09:00:00Z",
        "failure_classes": ["canary-coverage-insufficient"],
        "action_items": [item()],  # under 30 days old: not judged yet
    },
    {
        "id": "INC-2026-0303",
        "severity": "SEV-3",
        "team": "search",
        "date_of_incident": "2026-03-03T08:00:00Z",
        "date_restored": "2026-03-03T08:30:00Z",
        "failure_classes": ["n+1-query"],
        "action_items": [item(), item()],
    },
    {
        "id": "NM-2026-0001",
        "team": "payments",
        "date_of_incident": "2026-02-20T08:00:00Z",
        "failure_classes": ["alert-threshold-too-conservative"],
    },
]


def docs() -> list[Postmortem]:
    return [Postmortem.model_validate(d) for d in SET]


def test_all_teams():
    metrics = practice_metrics(docs(), NOW)
    assert metrics.postmortems == 5
    timing = {t.id: (t.hours, t.state) for t in metrics.publication}
    assert timing == {
        "INC-2025-0804": (74.3, "met"),
        "INC-2026-0114": (121.1, "met"),
        "INC-2026-0202": (72.0, "late"),
        "INC-2026-0302": (None, "overdue"),
        "INC-2026-0303": (None, "n/a"),
    }
    # Judged: 0804's item, 0114's four, 0202's one; 0302 and 0303 are under 30 days old.
    assert (metrics.actions.judged, metrics.actions.completed) == (6, 3)
    assert metrics.actions.not_yet_judged == 3
    assert metrics.actions.below_target
    assert [(r.quarter, r.failure_class, r.ids, r.earlier) for r in metrics.recurring] == [
        ("2026-Q1", "alert-threshold-too-conservative", ("INC-2026-0114", "NM-2026-0001"), ()),
        ("2026-Q1", "canary-coverage-insufficient", ("INC-2026-0202", "INC-2026-0302"), ()),
        ("2026-Q1", "n+1-query", ("INC-2026-0114", "INC-2026-0303"), ("INC-2025-0804",)),
    ]
    assert [(o.id, o.what) for o in metrics.overdue] == [
        ("INC-2026-0302", "meeting"),
        ("INC-2026-0302", "publication"),
    ]
    assert metrics.near_misses == 1


def test_filters_by_team_and_since():
    metrics = practice_metrics(docs(), NOW, team="Payments", since=dt.date(2026, 2, 1))
    assert [t.id for t in metrics.publication] == ["INC-2026-0202", "INC-2026-0302"]
    assert (metrics.actions.judged, metrics.actions.completed) == (1, 1)
    assert not metrics.actions.below_target
    # History before "since" still makes a class recur; the report starts at since's quarter.
    assert [(r.failure_class, r.ids) for r in metrics.recurring] == [
        ("alert-threshold-too-conservative", ("INC-2026-0114", "NM-2026-0001")),
        ("canary-coverage-insufficient", ("INC-2026-0202", "INC-2026-0302")),
        ("n+1-query", ("INC-2026-0114",)),
    ]
    assert metrics.near_misses == 1
    later = practice_metrics(docs(), NOW, team="search")
    assert later.postmortems == 1 and later.recurring == () and later.near_misses == 0


def test_json_form_round_trips():
    data = practice_metrics(docs(), NOW, team="payments").to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["action_completion_30d"]["rate"] == 0.5
    assert data["action_completion_30d"]["below_target"] is True
    assert data["restoration_to_publication"]["counts"] == {"met": 2, "late": 1, "overdue": 1}
    assert data["overdue"][0] == {
        "id": "INC-2026-0302",
        "what": "meeting",
        "deadline": "2026-03-05T09:00:00Z",
    }


def test_text_form():
    text = render_metrics(practice_metrics(docs(), NOW, team="payments"))
    assert text.startswith("Practice metrics (team payments) at 2026-03-20 12:00 UTC")
    assert "Action items completed within 30 days: 3 of 6 (50.0 %)  BELOW 70 %" in text
    assert "  2026-Q1  n+1-query  INC-2026-0114 (earlier: INC-2025-0804)" in text
    assert "  INC-2026-0302  publication was due 2026-03-09 09:00 UTC" in text
    assert text.endswith("Near-misses reported: 1")


def test_empty_set():
    metrics = practice_metrics([], NOW)
    assert metrics.actions.rate is None and not metrics.actions.below_target
    assert "none old enough to judge" in render_metrics(metrics)


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        ((2026, 1, 1), "2026-Q1"),
        ((2026, 3, 31), "2026-Q1"),
        ((2026, 4, 1), "2026-Q2"),
        ((2025, 12, 31), "2025-Q4"),
    ],
)
def test_quarter_of(day, quarter):
    assert quarter_of(dt.date(*day)) == quarter


def test_needs_an_aware_now():
    with pytest.raises(ValueError):
        practice_metrics([], dt.datetime(2026, 1, 1))
