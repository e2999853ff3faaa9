"""Provides the article's documents as test fixtures: its template, completed, and INC-2025-0804.

The template is the article's YAML, transcribed as Python (``tests/data/article_template.yaml``
holds the same text, and a test checks both agree). ``completed_article`` adds what the
meeting produces: the why-chains (the article's own five whys for the first factor), the
restoration time, the norms, the past-incident search, publication.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from pmtui.domain.models import Postmortem

NOW = dt.datetime(2026, 1, 20, 12, 0, tzinfo=dt.UTC)
"""Four days after the article's meeting, before its SEV-2 publication deadline."""

TEMPLATE: dict[str, Any] = {
    "id": "INC-2026-0114",
    "severity": "SEV-2",
    "title": "Payment service 503s — 23-minute degradation window",
    "date_of_incident": "2026-01-14T14:32:00Z",
    "date_of_postmortem": "2026-01-16",
    "facilitator": "platform-sre-lead",
    "participants": ["payments-team-lead", "platform-sre", "product-owner"],
    "timeline": [
        {
            "time": "14:32",
            "event": "Feature deploy to payments-v2 pipeline completes",
            "source": "deploy log",
        },
        {
            "time": "14:38",
            "event": "DB connection pool alert fires — 85% threshold crossed",
            "source": "alerting system",
        },
        {"time": "14:41", "event": "On-call paged; starts investigation", "source": "PagerDuty"},
        {
            "time": "14:53",
            "event": "14:32 deploy identified as likely cause",
            "source": "on-call engineer",
        },
        {
            "time": "14:55",
            "event": "Rollback executed via canary abort command",
            "source": "on-call engineer",
        },
        {
            "time": "14:55",
            "event": "Error rate returns to baseline within 90 seconds",
            "source": "monitoring dashboard",
        },
    ],
    "impact": {
        "duration_minutes": 23,
        "error_rate_peak": "18% of authenticated payment requests",
        "affected_users_estimate": "~1400",
        "slo_budget_consumed_minutes": 23,
    },
    "contributing_factors": [
        "N+1 query pattern not detected: no automated query analysis in CI",
        "Pre-prod dataset too small to surface query pressure realistically",
        "Canary at 5% — full connection pressure invisible for 6 minutes",
        "DB pool alert threshold 85% — pool was at 97% when alert fired",
        "On-call context-switching from concurrent SEV-3 delayed response by ~4 min",
    ],
    "what_helped": [
        "Single-command canary abort rollback completed in 90 seconds",
        "On-call runbook linked directly to DB connection pool dashboard",
    ],
    "what_hurt": [
        "Alert threshold delayed detection by approximately 4 minutes",
        "N+1 pattern invisible under pre-prod load",
    ],
    "action_items": [
        {
            "description": "Add sqlfluff + query-count middleware to CI pipeline",
            "owner": "platform-sre",
            "due": "2026-01-28",
            "ticket": "PLAT-892",
            "priority": "high",
        },
        {
            "description": "Lower DB connection pool alert threshold from 85% to 70%",
            "owner": "on-call-lead",
            "due": "2026-01-19",
            "ticket": "PLAT-893",
            "priority": "high",
        },
        {
            "description": "Raise canary percentage for payments service from 5% to 20%",
            "owner": "payments-team-lead",
            "due": "2026-02-01",
            "ticket": "PAY-234",
            "priority": "medium",
        },
        {
            "description": "Seed pre-prod DB with production-scale anonymised dataset",
            "owner": "data-platform",
            "due": "2026-02-15",
            "ticket": "DATA-112",
            "priority": "medium",
        },
    ],
}

_CHAINS: list[dict[str, Any]] = [
    {
        "whys": [
            {
                "question": "Why did the connection pool exhaust?",
                "answer": "The payments feature issued N+1 queries on every authenticated request.",
            },
            {
                "question": "Why was the N+1 pattern not caught before deploy?",
                "answer": "Code review did not catch it. No automated query analysis exists in CI.",
            },
            {
                "question": "Why is there no automated query analysis in CI?",
                "answer": "It was not added after the last similar incident (INC-2025-0804).",
            },
            {
                "question": "Why was the lesson from INC-2025-0804 not applied?",
                "answer": 'The action item from that postmortem read "improve CI coverage" '
                "with no owner and no due date. It was never completed.",
            },
        ],
        "systemic_property": "missing-tool",
        "actions": ["A1"],
    },
    {
        "whys": [
            {
                "question": "Why was query pressure not observable before production?",
                "answer": "Pre-prod uses a dataset one-tenth the size of production.",
            },
            {
                "question": "Why is the pre-prod dataset that small?",
                "answer": "Nothing seeds pre-prod at production scale.",
            },
        ],
        "systemic_property": "process-gap",
        "actions": ["A4"],
    },
    {
        "whys": [
            {
                "question": "Why was the pressure invisible for 6 minutes?",
                "answer": "The canary covered 5% of traffic; pool pressure built slowly.",
            }
        ],
        "systemic_property": "wrong-threshold",
        "actions": ["A3"],
    },
    {
        "whys": [
            {
                "question": "Why did the alert fire at 97% utilisation?",
                "answer": "The alert threshold was set at 85% and latency was already degraded.",
            }
        ],
        "systemic_property": "wrong-threshold",
        "actions": ["A2"],
    },
    {
        "whys": [
            {
                "question": "Why did acknowledging the page take 4 minutes?",
                "answer": "On-call was busy with a concurrent SEV-3; one person holds the pager.",
            }
        ],
        "systemic_property": "capacity",
        "deferral": {
            "reason": "Concurrent incidents are rare; on-call load is reviewed each quarter",
            "decided_by": "payments-team-lead",
            "review_date": "2026-04-15",
        },
    },
]

COMPLETION: dict[str, Any] = {
    "service": "payments",
    "team": "payments",
    "date_restored": "2026-01-14T14:55:00Z",
    "date_published": "2026-01-19T16:00:00Z",
    "status": "complete",
    "failure_classes": [
        "n+1-query",
        "alert-threshold-too-conservative",
        "canary-coverage-insufficient",
    ],
    "related_incidents": ["INC-2025-0804"],
    "norms_read_at": "2026-01-16T10:00:00Z",
    "past_incidents_searched_at": "2026-01-16T10:05:00Z",
}


def template_dict() -> dict[str, Any]:
    return copy.deepcopy(TEMPLATE)


def completed_dict() -> dict[str, Any]:
    """The template after the meeting: chains on every factor, and the brief's fields."""
    data = template_dict()
    data["contributing_factors"] = [
        {"description": description, **copy.deepcopy(chain)}
        for description, chain in zip(TEMPLATE["contributing_factors"], _CHAINS, strict=True)
    ]
    data.update(copy.deepcopy(COMPLETION))
    return data


def article_template() -> Postmortem:
    return Postmortem.model_validate(template_dict())


def completed_article() -> Postmortem:
    return Postmortem.model_validate(completed_dict())


def inc_2025_0804_dict() -> dict[str, Any]:
    """The earlier n+1-query incident, whose action item read "improve CI coverage"."""
    return {
        "id": "INC-2025-0804",
        "severity": "SEV-2",
        "title": "Order history 503s after a release",
        "date_of_incident": "2025-08-04T09:12:00Z",
        "date_restored": "2025-08-04T09:40:00Z",
        "date_of_postmortem": "2025-08-05",
        "date_published": "2025-08-07T12:00:00Z",
        "facilitator": "platform-sre-lead",
        "participants": [
            {"name": "payments-team-lead", "role": "team lead"},
            {"name": "product-owner", "role": "product owner"},
            {"name": "oncall-sam", "role": "on-call", "directly_involved": True},
        ],
        "timeline": [
            {"time": "09:12", "event": "Release 4.2 completes", "source": "deploy log"},
            {"time": "09:20", "event": "p99 latency alert fires", "source": "alerting system"},
            {"time": "09:40", "event": "Release 4.2 rolled back", "source": "deploy log"},
        ],
        "impact": {"duration_minutes": 28, "slo_budget_consumed_minutes": 28},
        "contributing_factors": [
            {
                "description": "Order history issued one query per order line",
                "whys": [
                    {
                        "question": "Why was the query pattern not caught?",
                        "answer": "Nothing in CI counts queries per request.",
                    }
                ],
                "systemic_property": "missing-tool",
                "actions": ["A1"],
            },
            {
                "description": "Latency alert fired 8 minutes after the release",
                "whys": [
                    {
                        "question": "Why 8 minutes?",
                        "answer": "The alert averages over a 10-minute window.",
                    }
                ],
                "systemic_property": "wrong-threshold",
                "actions": ["A2"],
            },
        ],
        "what_helped": ["Rollback took one command"],
        "what_hurt": ["Alert window hid the step change"],
        "action_items": [
            {
                "description": "improve CI coverage",
                "owner": "",
                "ticket": "PAY-101",
                "priority": "medium",
            },
            {
                "description": "Shorten the latency alert window from 10 to 2 minutes",
                "owner": "oncall-sam",
                "due": "2025-08-20",
                "ticket": "PAY-102",
                "priority": "high",
                "status": "done",
                "completed_on": "2025-08-18",
            },
        ],
        "kind": "incident",
        "service": "payments",
        "team": "payments",
        "status": "published",
        "failure_classes": ["n+1-query"],
        "norms_read_at": "2025-08-05T10:00:00Z",
        "past_incidents_searched_at": "2025-08-05T10:02:00Z",
    }


def inc_2025_0804() -> Postmortem:
    return Postmortem.model_validate(inc_2025_0804_dict())
