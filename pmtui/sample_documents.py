"""Provides the sample postmortems as data: the article's incident and its neighbours.

INC-2026-0114 is the article's payments incident, with a five-whys chain for every
contributing factor. INC-2025-0804 is the earlier incident whose "improve CI coverage"
item had no owner and no date. The rest cover a SEV-1, a SEV-3 with a deferral, a
near-miss, the 51 minutes of the article's budget example and a meeting half done.
"""

from __future__ import annotations

from typing import Any

# One line per failure class the sample uses: what the failure mode is, not this incident.
FAILURE_CLASSES: dict[str, str] = {
    "n+1-query": "A loop issues one query per row instead of one query for the set",
    "alert-threshold-too-conservative": (
        "An alert's threshold sits so close to failure that it fires only once users are hurt"
    ),
    "canary-coverage-insufficient": (
        "The canary gets too small a share of traffic or load to show a fault before the rollout"
    ),
    "dependency-failover-slow": (
        "A client waits on a failing dependency too long before it switches to the fallback"
    ),
    "alert-missing": "Nothing alerts on the signal that degraded, so someone outside notices first",
    "certificate-expiry": (
        "A certificate in use expires because nothing renews it or warns before it lapses"
    ),
    "batch-job-resource-contention": (
        "A batch or background job takes the CPU, disk or network that live traffic needs"
    ),
    "connection-leak": (
        "A code path takes a connection from a pool and never returns it, until the pool is empty"
    ),
    "broker-failover": (
        "Clients of a message broker do not recover when it fails over to another node"
    ),
}

OLD_N_PLUS_ONE: dict[str, Any] = {
    "id": "INC-2025-0804",
    "severity": "SEV-3",
    "title": "Order history timeouts after the ORM upgrade",
    "date_of_incident": "2025-08-04T09:12:00Z",
    "date_of_postmortem": "2025-08-06",
    "facilitator": "platform-sre-lead",
    "participants": [
        {"name": "payments-team-lead", "role": "team lead", "directly_involved": False},
        {"name": "orders-dev", "role": "developer", "directly_involved": True},
    ],
    "timeline": [
        {
            "time": "09:12",
            "event": "ORM upgrade deployed to the orders service",
            "source": "deploy log",
        },
        {
            "time": "09:31",
            "event": "p95 latency of /orders/history crosses 2 s",
            "source": "monitoring dashboard",
        },
        {
            "time": "09:40",
            "event": "Support reports checkout history pages timing out",
            "source": "support ticket #8812",
        },
        {
            "time": "10:05",
            "event": "ORM upgrade rolled back; latency returns to baseline",
            "source": "deploy log",
        },
    ],
    "impact": {
        "duration_minutes": 53,
        "error_rate_peak": "6% of order history requests timed out",
        "affected_users_estimate": "~300",
        "slo_budget_consumed_minutes": 20,
    },
    "contributing_factors": [
        {
            "description": "The upgraded ORM loaded order lines lazily, one query per order",
            "whys": [
                {
                    "question": "Why did order history time out?",
                    "answer": "Each page issued one query per order line: an N+1 pattern.",
                },
                {
                    "question": "Why was the N+1 pattern not caught before deploy?",
                    "answer": "Nothing in CI counts the queries a request makes.",
                },
            ],
            "systemic_property": "missing-tool",
            "actions": ["A1"],
        },
        {
            "description": "The order history endpoint returned every order in one page",
            "whys": [
                {
                    "question": "Why did the slow query multiply so badly?",
                    "answer": "The endpoint had no pagination, so long histories meant thousands of queries.",
                }
            ],
            "systemic_property": "design",
            "actions": ["A2"],
        },
    ],
    "what_helped": ["The deploy log named the only change in the hour"],
    "what_hurt": ["No latency alert on order history; support noticed first"],
    "action_items": [
        {"description": "improve CI coverage", "owner": "", "status": "open"},
        {
            "description": "Paginate the order history endpoint at 50 orders per page",
            "owner": "orders-dev",
            "due": "2025-08-20",
            "ticket": "PAY-120",
            "priority": "high",
            "status": "done",
            "completed_on": "2025-08-18",
        },
    ],
    "service": "payments",
    "team": "payments",
    "date_restored": "2025-08-04T10:05:00Z",
    "status": "in-meeting",
    "failure_classes": ["n+1-query"],
    "norms_read_at": "2025-08-06T10:00:00Z",
    "past_incidents_searched_at": "2025-08-06T10:05:00Z",
}

ARTICLE_INCIDENT: dict[str, Any] = {
    "id": "INC-2026-0114",
    "severity": "SEV-2",
    "title": "Payment service 503s — 23-minute degradation window",
    "date_of_incident": "2026-01-14T14:32:00Z",
    "date_of_postmortem": "2026-01-16",
    "facilitator": "platform-sre-lead",
    "participants": [
        {"name": "payments-team-lead", "role": "team lead", "directly_involved": False},
        {"name": "platform-sre", "role": "platform representative", "directly_involved": False},
        {"name": "product-owner", "role": "product owner", "directly_involved": False},
        {"name": "payments-oncall", "role": "on-call engineer", "directly_involved": True},
    ],
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
        {
            "time": "14:41",
            "event": "On-call paged; starts investigation",
            "source": "PagerDuty",
            "decision_point": True,
            "context": "A concurrent SEV-3 in search was open on the same laptop; the page "
            "showed the pool at 97% and linked the connection pool dashboard.",
        },
        {
            "time": "14:53",
            "event": "14:32 deploy identified as likely cause",
            "source": "on-call engineer",
        },
        {
            "time": "14:55",
            "event": "Rollback executed via canary abort command",
            "source": "on-call engineer",
            "decision_point": True,
            "context": "The deploy log showed the 14:32 release as the only change in the "
            "hour; the runbook lists canary abort as the first mitigation.",
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
        {
            "description": "N+1 query pattern not detected: no automated query analysis in CI",
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
                    "answer": "The action item from that postmortem had no owner and no due date, "
                    "and nothing tracked it to completion.",
                },
            ],
            "systemic_property": "missing-tool",
            "actions": ["A1", "A5", "A6"],
        },
        {
            "description": "Pre-prod dataset too small to surface query pressure realistically",
            "whys": [
                {
                    "question": "Why did pre-production load tests not show the query pressure?",
                    "answer": "Pre-production holds a tenth of production's rows, so each request "
                    "issued far fewer queries.",
                },
                {
                    "question": "Why is pre-production a tenth of production's size?",
                    "answer": "The seed dataset was sized in 2024 and has no refresh job.",
                },
            ],
            "systemic_property": "process-gap",
            "actions": ["A4"],
        },
        {
            "description": "Canary at 5% — full connection pressure invisible for 6 minutes",
            "whys": [
                {
                    "question": "Why did the canary not abort the deploy?",
                    "answer": "At 5% of traffic the pool pressure grew slowly and stayed under the "
                    "canary's error threshold for 6 minutes.",
                },
                {
                    "question": "Why is the canary at 5%?",
                    "answer": "The percentage was set when payments had a tenth of today's traffic "
                    "and has not been revisited since.",
                },
            ],
            "systemic_property": "wrong-threshold",
            "actions": ["A3"],
        },
        {
            "description": "DB pool alert threshold 85% — pool was at 97% when alert fired",
            "whys": [
                {
                    "question": "Why did the alert fire six minutes after the deploy?",
                    "answer": "The alert evaluates 85% over a 5-minute window; utilisation was at "
                    "97% by the time it fired.",
                },
                {
                    "question": "Why is the threshold 85%?",
                    "answer": "It was copied from the default alert template and never calibrated "
                    "against observed pool exhaustion.",
                },
            ],
            "systemic_property": "wrong-threshold",
            "actions": ["A2"],
        },
        {
            "description": "On-call context-switching from concurrent SEV-3 delayed response by ~4 min",
            "whys": [
                {
                    "question": "Why did acknowledging the page take 4 minutes?",
                    "answer": "The page arrived while a concurrent SEV-3 in search was being worked.",
                },
                {
                    "question": "Why did one on-call rotation hold two incidents?",
                    "answer": "Paging has no rule that routes a second concurrent incident to the "
                    "secondary on-call.",
                },
            ],
            "systemic_property": "process-gap",
            "actions": ["A7"],
        },
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
            "status": "done",
            "completed_on": "2026-01-27",
        },
        {
            "description": "Lower DB connection pool alert threshold from 85% to 70%",
            "owner": "on-call-lead",
            "due": "2026-01-19",
            "ticket": "PLAT-893",
            "priority": "high",
            "status": "done",
            "completed_on": "2026-01-19",
        },
        {
            "description": "Raise canary percentage for payments service from 5% to 20%",
            "owner": "payments-team-lead",
            "due": "2026-02-01",
            "ticket": "PAY-234",
            "priority": "medium",
            "status": "done",
            "completed_on": "2026-02-03",
        },
        {
            "description": "Seed pre-prod DB with production-scale anonymised dataset",
            "owner": "data-platform",
            "due": "2026-02-15",
            "ticket": "DATA-112",
            "priority": "medium",
            "status": "done",
            "completed_on": "2026-03-02",
        },
        {
            "description": "Add a past-incident search by failure class to the postmortem checklist",
            "owner": "platform-sre-lead",
            "due": "2026-01-23",
            "ticket": "PLAT-901",
            "priority": "medium",
            "status": "done",
            "completed_on": "2026-01-22",
        },
        {
            "description": "Report action item completion rate within 30 days on the SRE dashboard",
            "owner": "sre-manager",
            "due": "2026-01-30",
            "ticket": "PLAT-902",
            "priority": "medium",
            "status": "open",
        },
        {
            "description": "Route a second concurrent page to the secondary on-call",
            "owner": "on-call-lead",
            "due": "2026-02-06",
            "ticket": "OPS-311",
            "priority": "medium",
            "status": "done",
            "completed_on": "2026-02-05",
        },
    ],
    "service": "payments",
    "team": "payments",
    "date_restored": "2026-01-14T14:55:00Z",
    "status": "published",
    "failure_classes": [
        "n+1-query",
        "alert-threshold-too-conservative",
        "canary-coverage-insufficient",
    ],
    "related_incidents": ["INC-2025-0804"],
    "norms_read_at": "2026-01-16T14:00:00Z",
    "past_incidents_searched_at": "2026-01-16T14:05:00Z",
    "waivers": [
        {
            "code": "A-RECURRENCE",
            "path": "failure_classes[0]",
            "reason": 'INC-2025-0804\'s "improve CI coverage" is carried into A1 (PLAT-892), '
            "owned and dated; A5 and A6 keep it from happening again",
            "waived_by": "platform-sre-lead",
            "waived_at": "2026-01-16T16:20:00Z",
        }
    ],
}

BUDGET_INCIDENT: dict[str, Any] = {
    "id": "INC-2026-0219",
    "severity": "SEV-2",
    "title": "Card tokenisation timeouts during provider failover",
    "date_of_incident": "2026-02-19T09:05:00Z",
    "date_of_postmortem": "2026-02-20",
    "facilitator": "platform-sre-lead",
    "participants": [
        {"name": "payments-team-lead", "role": "team lead", "directly_involved": False},
        {"name": "product-owner", "role": "product owner", "directly_involved": False},
        {"name": "payments-oncall", "role": "on-call engineer", "directly_involved": True},
    ],
    "timeline": [
        {
            "time": "09:05",
            "event": "Tokenisation provider's primary region starts timing out",
            "source": "provider status page",
        },
        {
            "time": "09:21",
            "event": "A merchant reports failed card payments",
            "source": "support ticket #9120",
        },
        {
            "time": "09:24",
            "event": "On-call paged from the support escalation",
            "source": "PagerDuty",
        },
        {
            "time": "09:38",
            "event": "On-call forces failover to the provider's secondary region",
            "source": "on-call engineer",
            "decision_point": True,
            "context": "Provider status page showed a degraded primary; our client logs showed "
            "each call waiting the full 30 s before failing over.",
        },
        {
            "time": "09:56",
            "event": "Payment success rate back at baseline",
            "source": "monitoring dashboard",
        },
    ],
    "impact": {
        "duration_minutes": 51,
        "error_rate_peak": "31% of card payments failed",
        "affected_users_estimate": "~5200",
        "slo_budget_consumed_minutes": 51,
    },
    "contributing_factors": [
        {
            "description": "Tokenisation client waited 30 s on a failing provider before failing over",
            "whys": [
                {
                    "question": "Why did payments fail for 51 minutes?",
                    "answer": "Every call waited 30 s for the primary region before trying the secondary.",
                },
                {
                    "question": "Why is the failover timeout 30 s?",
                    "answer": "The client library's default was never overridden for payments.",
                },
            ],
            "systemic_property": "wrong-threshold",
            "actions": ["A1"],
        },
        {
            "description": "No alert on provider latency; a merchant noticed first",
            "whys": [
                {
                    "question": "Why did the page come 19 minutes after the first timeout?",
                    "answer": "No alert watches the provider's latency; the page came from support.",
                },
                {
                    "question": "Why is there no provider latency alert?",
                    "answer": "Provider calls were added after the alerting review and no checklist "
                    "step asks for alerts on new dependencies.",
                },
            ],
            "systemic_property": "missing-tool",
            "actions": ["A2"],
        },
    ],
    "what_helped": ["The provider's secondary region was healthy and reachable"],
    "what_hurt": ["Detection depended on a merchant's report"],
    "action_items": [
        {
            "description": "Cut the tokenisation client's failover timeout from 30 s to 3 s",
            "owner": "payments-team-lead",
            "due": "2026-03-06",
            "ticket": "PAY-301",
            "priority": "high",
            "status": "done",
            "completed_on": "2026-03-04",
        },
        {
            "description": "Page on tokenisation provider p99 latency above 800 ms for 2 minutes",
            "owner": "platform-sre",
            "due": "2026-03-02",
            "ticket": "PLAT-950",
            "priority": "high",
            "status": "done",
            "completed_on": "2026-03-10",
        },
    ],
    "service": "payments",
    "team": "payments",
    "date_restored": "2026-02-19T09:56:00Z",
    "status": "published",
    "failure_classes": ["dependency-failover-slow", "alert-missing"],
    "norms_read_at": "2026-02-20T13:00:00Z",
    "past_incidents_searched_at": "2026-02-20T13:04:00Z",
}

AUTH_OUTAGE: dict[str, Any] = {
    "id": "INC-2026-0307",
    "severity": "SEV-1",
    "title": "Login outage — identity provider signing certificate expired",
    "date_of_incident": "2026-03-07T22:10:00Z",
    "date_of_postmortem": "2026-03-08",
    "facilitator": "platform-sre-lead",
    "participants": [
        {"name": "identity-team-lead", "role": "team lead", "directly_involved": False},
        {"name": "identity-product-owner", "role": "product owner", "directly_involved": False},
        {"name": "identity-oncall", "role": "on-call engineer", "directly_involved": True},
        {"name": "security-engineer", "role": "security", "directly_involved": False},
    ],
    "timeline": [
        {
            "time": "22:10",
            "event": "IdP signing certificate reaches its expiry time",
            "source": "certificate inventory",
        },
        {
            "time": "22:11",
            "event": "Login success rate drops to 0%",
            "source": "monitoring dashboard",
        },
        {
            "time": "22:13",
            "event": "On-call paged by the login success SLO alert",
            "source": "PagerDuty",
        },
        {
            "time": "22:31",
            "event": "On-call issues a new certificate from the internal CA",
            "source": "on-call engineer",
            "decision_point": True,
            "context": "The IdP error log named the expired certificate; the rotation runbook "
            "was last run 13 months earlier and referenced a retired CA host.",
        },
        {
            "time": "22:48",
            "event": "New certificate loaded; logins succeed",
            "source": "monitoring dashboard",
        },
    ],
    "impact": {
        "duration_minutes": 38,
        "error_rate_peak": "100% of logins",
        "affected_users_estimate": "~21000",
        "slo_budget_consumed_minutes": 38,
    },
    "contributing_factors": [
        {
            "description": "Nothing warned before the signing certificate expired",
            "whys": [
                {
                    "question": "Why did logins stop?",
                    "answer": "The IdP signed tokens with a certificate past its expiry date.",
                },
                {
                    "question": "Why was the expiry not seen coming?",
                    "answer": "The certificate inventory is not monitored for upcoming expiries.",
                },
            ],
            "systemic_property": "missing-tool",
            "actions": ["A1"],
        },
        {
            "description": "Certificate rotation is a yearly manual runbook",
            "whys": [
                {
                    "question": "Why did the renewal take 35 minutes?",
                    "answer": "The runbook pointed at a retired CA host and had to be worked out live.",
                },
                {
                    "question": "Why was the runbook out of date?",
                    "answer": "It runs once a year, so nothing exercises it between rotations.",
                },
            ],
            "systemic_property": "process-gap",
            "actions": ["A2"],
        },
    ],
    "what_helped": ["The login success SLO alert paged within 3 minutes"],
    "what_hurt": ["The rotation runbook referenced a retired CA host"],
    "action_items": [
        {
            "description": "Alert 30 days before any certificate in the inventory expires",
            "owner": "identity-oncall-lead",
            "due": "2026-03-20",
            "ticket": "IDN-401",
            "priority": "critical",
            "status": "done",
            "completed_on": "2026-03-18",
        },
        {
            "description": "Rotate IdP signing certificates automatically with cert-manager every 60 days",
            "owner": "identity-team-lead",
            "due": "2026-04-30",
            "ticket": "IDN-402",
            "priority": "high",
            "status": "open",
        },
    ],
    "service": "auth",
    "team": "identity",
    "date_restored": "2026-03-07T22:48:00Z",
    "status": "published",
    "failure_classes": ["certificate-expiry"],
    "norms_read_at": "2026-03-08T10:00:00Z",
    "past_incidents_searched_at": "2026-03-08T10:03:00Z",
}

SEARCH_SLOWDOWN: dict[str, Any] = {
    "id": "INC-2026-0412",
    "severity": "SEV-3",
    "title": "Search results slow — index rebuild saturated disk IO",
    "date_of_incident": "2026-04-12T13:20:00Z",
    "date_of_postmortem": "2026-04-14",
    "facilitator": "platform-sre",
    "participants": [
        {"name": "discovery-team-lead", "role": "team lead", "directly_involved": False},
        {"name": "search-oncall", "role": "on-call engineer", "directly_involved": True},
    ],
    "timeline": [
        {"time": "13:20", "event": "Weekly index rebuild starts", "source": "scheduler log"},
        {
            "time": "13:26",
            "event": "Search p95 latency rises from 180 ms to 2.4 s",
            "source": "monitoring dashboard",
        },
        {
            "time": "13:34",
            "event": "On-call paged by the search latency alert",
            "source": "PagerDuty",
        },
        {
            "time": "14:05",
            "event": "Rebuild paused; latency back under 200 ms",
            "source": "on-call engineer",
        },
    ],
    "impact": {
        "duration_minutes": 45,
        "error_rate_peak": "p95 latency 2.4 s, no errors",
        "affected_users_estimate": "~9000",
        "slo_budget_consumed_minutes": 45,
    },
    "contributing_factors": [
        {
            "description": "The index rebuild has no IO limit",
            "whys": [
                {
                    "question": "Why did search slow down?",
                    "answer": "The rebuild used all of the disk's IO, starving query reads.",
                },
                {
                    "question": "Why could the rebuild take all the IO?",
                    "answer": "It runs with default IO priority and no throttle.",
                },
            ],
            "systemic_property": "design",
            "actions": ["A1"],
        },
        {
            "description": "The rebuild runs during peak search hours",
            "whys": [
                {
                    "question": "Why was the rebuild running at 13:20?",
                    "answer": "It must follow the catalogue sync, which finishes around midday.",
                }
            ],
            "systemic_property": "dependency",
            "deferral": {
                "reason": "Moving the rebuild off-peak needs the catalogue sync replaced; we "
                "accept the risk until then, with the IO limit in place.",
                "decided_by": "discovery-team-lead",
                "review_date": "2026-07-01",
            },
        },
    ],
    "what_helped": ["The search latency alert paged within 8 minutes"],
    "what_hurt": ["Pausing the rebuild needed a manual database update"],
    "action_items": [
        {
            "description": "Run the index rebuild at idle IO priority (ionice class 3)",
            "owner": "search-oncall-lead",
            "due": "2026-04-24",
            "ticket": "SRCH-51",
            "priority": "medium",
            "status": "done",
            "completed_on": "2026-04-22",
        }
    ],
    "service": "search",
    "team": "discovery",
    "date_restored": "2026-04-12T14:05:00Z",
    "status": "published",
    "failure_classes": ["batch-job-resource-contention"],
    "norms_read_at": "2026-04-14T15:00:00Z",
    "past_incidents_searched_at": "2026-04-14T15:02:00Z",
}

NEAR_MISS: dict[str, Any] = {
    "id": "NM-2026-0003",
    "kind": "near-miss",
    "title": "Canary abort caught a connection leak in search-indexer",
    "date_of_incident": "2026-06-02T10:40:00Z",
    "date_of_postmortem": "2026-06-03",
    "facilitator": "discovery-team-lead",
    "participants": [{"name": "search-dev", "role": "developer", "directly_involved": True}],
    "timeline": [
        {
            "time": "10:40",
            "event": "search-indexer 4.2 canary starts at 20% of traffic",
            "source": "deploy log",
        },
        {
            "time": "10:44",
            "event": "Canary aborts: open connections 3x baseline",
            "source": "canary controller",
        },
        {
            "time": "10:45",
            "event": "Release rolled back automatically; no customer impact",
            "source": "deploy log",
        },
    ],
    "contributing_factors": [
        {
            "description": "The new pool wrapper did not return connections on timeout",
            "whys": [
                {
                    "question": "Why did connections pile up?",
                    "answer": "A timeout path in the new pool wrapper skipped the release call.",
                },
                {
                    "question": "Why did tests not catch it?",
                    "answer": "No test exercises the timeout path against a real pool.",
                },
            ],
            "systemic_property": "missing-tool",
            "actions": ["A1"],
        }
    ],
    "what_helped": ["Canary at 20% aborted on connection count within 4 minutes"],
    "what_hurt": ["The leak was invisible to unit tests"],
    "action_items": [
        {
            "description": "Add a connection-leak test of the timeout path to search-indexer's integration suite",
            "owner": "search-dev",
            "due": "2026-06-16",
            "ticket": "SRCH-77",
            "priority": "medium",
            "status": "done",
            "completed_on": "2026-06-12",
        }
    ],
    "service": "search",
    "team": "discovery",
    "status": "complete",
    "failure_classes": ["connection-leak"],
}

DRAFT_IN_MEETING: dict[str, Any] = {
    "id": "INC-2026-1126",
    "severity": "SEV-2",
    "title": "Notifications delayed — queue consumer stuck after broker failover",
    "date_of_incident": "2026-11-26T07:50:00Z",
    "date_of_postmortem": "2026-11-27",
    "facilitator": "platform-sre-lead",
    "participants": [
        {"name": "messaging-team-lead", "role": "team lead", "directly_involved": False},
        {"name": "messaging-oncall", "role": "on-call engineer", "directly_involved": True},
        {"name": "platform-sre", "role": "platform representative", "directly_involved": False},
    ],
    "timeline": [
        {
            "time": "07:50",
            "event": "Message broker fails over to its standby node",
            "source": "broker log",
        },
        {
            "time": "07:51",
            "event": "Notification consumer stops acknowledging messages",
            "source": "consumer metrics",
        },
        {
            "time": "08:35",
            "event": "Queue depth alert fires at 50,000 messages",
            "source": "alerting system",
        },
        {
            "time": "08:41",
            "event": "On-call paged; checks broker health",
            "source": "PagerDuty",
            "decision_point": True,
            "context": "",
        },
        {
            "time": "09:02",
            "event": "Consumer finally restarted by hand; queue drains",
            "source": "on-call engineer",
        },
    ],
    "impact": {
        "duration_minutes": 72,
        "error_rate_peak": "notifications delayed by up to 70 minutes",
        "affected_users_estimate": "~12000",
        "slo_budget_consumed_minutes": 72,
    },
    "contributing_factors": [
        {
            "description": "The consumer does not reconnect after a broker failover",
            "whys": [
                {
                    "question": "Why did notifications stop?",
                    "answer": "The consumer kept its connection to the old primary and waited forever.",
                },
                {"question": "Why did it not reconnect?", "answer": ""},
            ],
        }
    ],
    "what_helped": ["Restarting the consumer drained the queue in 4 minutes"],
    "what_hurt": [],
    "action_items": [
        {
            "description": "investigate consumer reconnects",
            "owner": "messaging team",
            "status": "open",
        }
    ],
    "service": "notifications",
    "team": "messaging",
    "date_restored": "2026-11-26T09:02:00Z",
    "status": "in-meeting",
    "failure_classes": ["broker-failover"],
    "norms_read_at": "2026-11-27T15:02:00Z",
    "past_incidents_searched_at": "2026-11-27T15:06:00Z",
}
