"""Error budgets: the article's worked example to the digit, and a service's rolling window."""

from __future__ import annotations

import datetime as dt

import pytest

from pmtui.domain.budget import (
    EXHAUSTED_POLICY,
    ErrorBudget,
    format_number,
    render_budget,
    service_budget,
    what_if,
)
from pmtui.domain.models import Postmortem, Service

AS_OF = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)


def test_article_worked_example_figures():
    budget = what_if(99.9, 90, 43, [23, 51])
    assert budget.budget_minutes == 129.6 and str(budget.budget_minutes) == "129.6"
    assert budget.consumed_minutes == 74
    assert budget.remaining_minutes == 55.6 and str(budget.remaining_minutes) == "55.6"
    assert round(budget.consumed_percent, 1) == 57.1
    assert round(budget.remaining_percent, 1) == 42.9
    assert budget.days_left == 47
    assert round(budget.exhaustion_day) == 75
    assert round(budget.days_before_close) == 15
    assert not budget.exhausted and budget.policy is None


def test_article_worked_example_text():
    assert render_budget(what_if(99.9, 90, 43, [23, 51])) == "\n".join(
        [
            "Error budget (SLO 99.9 %, 90-day window)",
            "  budget      129.6 min",
            "  consumed    74 min (57.1 %)",
            "    #1  23 min",
            "    #2  51 min",
            "  remaining   55.6 min (42.9 %)",
            "  elapsed     43 of 90 days (47 left)",
            "  burn rate   1.72 min/day",
            "  projection  exhaustion around day 75, 15 days before the window closes",
        ]
    )


def test_article_worked_example_json():
    data = what_if(99.9, 90, 43, [23, 51]).to_dict()
    assert (data["budget_minutes"], data["consumed_minutes"], data["remaining_minutes"]) == (
        129.6,
        74,
        55.6,
    )
    assert (data["consumed_percent"], data["remaining_percent"]) == (57.1, 42.9)
    assert data["exhausted"] is False and data["policy"] is None


def test_exhausted_budget_says_reliability_comes_first():
    budget = what_if(99.9, 90, 43, [100, 51])
    assert budget.exhausted and budget.remaining_minutes == -21.4
    text = render_budget(budget)
    assert text.endswith(EXHAUSTED_POLICY)
    assert "reliability work takes priority over new feature work" in text
    assert what_if(99.9, 90, 43, [129.6]).exhausted  # exactly used up counts


def test_slow_burn_is_not_projected_inside_the_window():
    budget = what_if(99.9, 90, 90, [23])
    assert budget.days_before_close is None
    assert "not exhausted within the window" in render_budget(budget)
    assert "no exhaustion projected" in render_budget(what_if(99.9, 90, 10, []))
    assert what_if(99.9, 90, 0, [5]).burn_rate is None


@pytest.mark.parametrize(
    ("slo", "window", "elapsed", "consumed"),
    [(100, 90, 1, []), (0, 90, 1, []), (99.9, 0, 0, []), (99.9, 90, 91, []), (99.9, 90, 1, [-1])],
)
def test_what_if_refuses_nonsense(slo, window, elapsed, consumed):
    with pytest.raises(ValueError):
        what_if(slo, window, elapsed, consumed)


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (74.0, 1, "74"),
        (55.599999999999994, 1, "55.6"),
        (129.60000000000002, 1, "129.6"),
        (1.720930233, 2, "1.72"),
        (0.0, 1, "0"),
        (-0.01, 1, "0"),
        (99.95, 4, "99.95"),
    ],
)
def test_format_number(value, places, text):
    assert format_number(value, places) == text


def incident(ident: str, start: str, minutes: float | None, **kw) -> Postmortem:
    return Postmortem(
        id=ident,
        date_of_incident=dt.datetime.fromisoformat(start).replace(tzinfo=dt.UTC),
        service=kw.pop("service", "payments"),
        severity=kw.pop("severity", "SEV-2"),
        impact={"slo_budget_consumed_minutes": minutes},
        **kw,
    )


def test_service_budget_counts_its_incidents_in_the_rolling_window():
    service = Service(name="payments", slo=99.9, window_days=90)
    docs = [
        incident("INC-2026-0114", "2026-01-14T14:32", 23),
        incident("INC-2026-0219", "2026-02-19T10:00", 51),
        incident("INC-2025-1231", "2025-12-31T12:00", 40),  # exactly at the window start: out
        incident("INC-2026-0401", "2026-04-01T00:00", 10),  # after as_of: out
        incident("INC-2026-0301", "2026-03-01T00:00", 7, service="search"),
        incident("INC-2026-0302", "2026-03-02T00:00", 3, severity="SEV-4"),
        incident("INC-2026-0303", "2026-03-03T00:00", None, severity="SEV-3"),
        Postmortem(
            id="NM-2026-0001",
            service="payments",
            impact={"slo_budget_consumed_minutes": 9},
            date_of_incident=dt.datetime(2026, 3, 4, tzinfo=dt.UTC),
        ),
    ]
    budget = service_budget(service, docs, AS_OF)
    assert [c.id for c in budget.contributions] == [
        "INC-2026-0114",
        "INC-2026-0219",
        "INC-2026-0303",
    ]
    assert budget.consumed_minutes == 74 and budget.unmeasured == ("INC-2026-0303",)
    assert budget.elapsed_days == 90 and budget.service == "payments"
    assert "no budget minutes recorded for INC-2026-0303" in render_budget(budget)
    sev4 = service_budget(service.model_copy(update={"counts_sev4": True}), docs, AS_OF)
    assert sev4.consumed_minutes == 77
    calendar = service_budget(service, docs, AS_OF, elapsed_days=43)
    assert round(calendar.exhaustion_day) == 75


def test_service_budget_needs_an_aware_time():
    with pytest.raises(ValueError):
        service_budget(Service(name="x"), [], dt.datetime(2026, 1, 1))


def test_budget_object_is_plain_data():
    budget = ErrorBudget(99.9, 30, 30)
    assert budget.budget_minutes == 43.2 and budget.consumed_percent == 0
