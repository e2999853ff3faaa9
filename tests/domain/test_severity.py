"""The severity policy table and its deadlines, weekends included."""

from __future__ import annotations

import datetime as dt

import pytest

from pmtui.domain.models import Postmortem
from pmtui.domain.severity import (
    POLICIES,
    add_business_days,
    deadline_state,
    meeting_deadline,
    meeting_state,
    postmortem_required,
    publication_deadline,
    publication_state,
)

H = dt.timedelta(hours=1)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def pm(
    severity: str | None = "SEV-2", restored: str | None = "2026-01-14T14:55", **kw
) -> Postmortem:
    return Postmortem(
        id=kw.pop("id", "INC-2026-0001"),
        severity=severity,
        date_restored=at(restored) if restored else None,
        **kw,
    )


def test_policy_table_is_the_briefs():
    one, two, three, four = (POLICIES[s] for s in ("SEV-1", "SEV-2", "SEV-3", "SEV-4"))
    assert (one.page_within, two.page_within, three.page_within, four.page_within) == (
        dt.timedelta(minutes=5),
        dt.timedelta(minutes=15),
        dt.timedelta(hours=1),
        None,
    )
    assert four.page_sla == "next business day"
    assert [p.postmortem for p in (one, two, three, four)] == [
        "required",
        "required",
        "recommended",
        "optional",
    ]
    assert (one.meeting_within, two.meeting_within) == (24 * H, 72 * H)
    assert three.meeting_within is None and four.meeting_within is None
    assert (one.publish_within, two.publish_business_days) == (48 * H, 5)
    assert not three.has_deadlines and not four.has_deadlines
    assert [p.counts_against_budget for p in (one, two, three, four)] == [True, True, True, None]
    assert (
        two.publish_deadline_text == "5 business days" and one.meeting_text == "24 h of restoration"
    )


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2026-01-14T14:55", 5, "2026-01-21T14:55"),  # Wednesday -> Wednesday
        ("2026-01-16T09:00", 1, "2026-01-19T09:00"),  # Friday -> Monday
        ("2026-01-16T09:00", 5, "2026-01-23T09:00"),  # Friday -> Friday
        ("2026-01-15T12:00", 2, "2026-01-19T12:00"),  # Thursday -> Monday
        ("2026-01-17T10:00", 5, "2026-01-26T00:00"),  # Saturday: the clock starts Monday 00:00
        ("2026-01-18T23:00", 1, "2026-01-20T00:00"),  # Sunday
        ("2026-01-17T10:00", 0, "2026-01-19T00:00"),
        ("2026-01-14T14:55", 0, "2026-01-14T14:55"),
        ("2026-01-14T14:55", 10, "2026-01-28T14:55"),
    ],
)
def test_add_business_days(start, days, expected):
    assert add_business_days(at(start), days) == at(expected)


def test_add_business_days_refuses_negative():
    with pytest.raises(ValueError):
        add_business_days(at("2026-01-14T00:00"), -1)


@pytest.mark.parametrize(
    ("severity", "restored", "meeting", "publication"),
    [
        ("SEV-1", "2026-01-16T10:00", "2026-01-17T10:00", "2026-01-18T10:00"),  # Fri, calendar h
        ("SEV-2", "2026-01-14T14:55", "2026-01-17T14:55", "2026-01-21T14:55"),
        ("SEV-2", "2026-01-16T17:00", "2026-01-19T17:00", "2026-01-23T17:00"),  # Fri
        ("SEV-2", "2026-01-17T03:00", "2026-01-20T03:00", "2026-01-26T00:00"),  # Sat
        ("SEV-3", "2026-01-14T14:55", None, None),
        ("SEV-4", "2026-01-14T14:55", None, None),
        (None, "2026-01-14T14:55", None, None),
        ("SEV-1", None, None, None),
    ],
)
def test_deadlines(severity, restored, meeting, publication):
    doc = pm(severity, restored)
    assert meeting_deadline(doc) == (at(meeting) if meeting else None)
    assert publication_deadline(doc) == (at(publication) if publication else None)


def test_near_miss_has_no_deadline_and_needs_no_postmortem():
    near = pm("SEV-1", id="NM-2026-0001")
    assert near.kind == "near-miss"
    assert publication_deadline(near) is None
    assert deadline_state(near, at("2027-01-01T00:00")) == "n/a"
    assert not postmortem_required(near)
    assert postmortem_required(pm("SEV-2")) and not postmortem_required(pm("SEV-3"))


@pytest.mark.parametrize(
    ("now", "published", "state"),
    [
        ("2026-01-15T00:00", None, "pending"),
        ("2026-01-20T15:00", None, "due-soon"),
        ("2026-01-21T14:55", None, "due-soon"),
        ("2026-01-21T14:56", None, "overdue"),
        ("2026-03-01T00:00", "2026-01-21T14:55", "met"),
        ("2026-03-01T00:00", "2026-01-22T09:00", "late"),
    ],
)
def test_publication_state(now, published, state):
    doc = pm("SEV-2", date_published=at(published) if published else None)
    assert publication_state(doc, at(now)) == state


@pytest.mark.parametrize(
    ("now", "meeting", "state"),
    [
        ("2026-01-15T00:00", None, "pending"),
        ("2026-01-17T12:00", None, "due-soon"),
        ("2026-01-17T23:00", None, "due-soon"),  # a meeting that day is still on time
        ("2026-01-18T00:00", None, "overdue"),
        ("2026-01-18T00:00", "2026-01-17", "met"),
        ("2026-01-20T00:00", "2026-01-19", "late"),
        ("2026-01-15T00:00", "2026-01-16", "pending"),  # scheduled in time
        ("2026-01-15T00:00", "2026-01-19", "late"),  # scheduled too late
    ],
)
def test_meeting_state(now, meeting, state):
    doc = pm("SEV-2", date_of_postmortem=dt.date.fromisoformat(meeting) if meeting else None)
    assert meeting_state(doc, at(now)) == state


def test_deadline_state_is_the_worse_of_both():
    doc = pm("SEV-2", date_of_postmortem=dt.date(2026, 1, 19))  # meeting late
    assert deadline_state(doc, at("2026-01-19T12:00")) == "late"
    assert deadline_state(doc, at("2026-01-22T00:00")) == "overdue"  # unpublished past deadline
    assert deadline_state(pm("SEV-3"), at("2030-01-01T00:00")) == "n/a"
    assert deadline_state(pm("SEV-1", None), at("2030-01-01T00:00")) == "n/a"
