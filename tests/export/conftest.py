"""Provides the export tests' fixtures: a rich postmortem and golden-file comparison.

Regenerate the golden files after an intended change with
``PMTUI_UPDATE_GOLDEN=1 .venv/bin/pytest tests/export -q`` and review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from pmtui.domain.models import Postmortem

TESTS = Path(__file__).resolve().parents[1]
DATA = TESTS / "data"
GOLDEN = DATA / "golden"


def rich_document() -> Postmortem:
    """A postmortem using every part of the document, with unicode and markup-like text."""
    return Postmortem.model_validate(
        {
            "id": "INC-2026-0114",
            "severity": "SEV-2",
            "title": "Payment service 503s — 23-minute degradation window",
            "date_of_incident": "2026-01-14T14:32:00Z",
            "date_of_postmortem": "2026-01-16",
            "facilitator": "platform-sre-lead",
            "participants": [
                {"name": "payments-team-lead", "role": "service team lead"},
                {"name": "José Müller", "role": "on-call engineer", "directly_involved": True},
                "product-owner",
            ],
            "timeline": [
                {
                    "time": "14:32",
                    "event": "Feature deploy to payments-v2 completes",
                    "source": "deploy log",
                },
                {
                    "time": "14:38",
                    "event": "DB pool alert fires — 85% threshold | crossed",
                    "source": "alerting system",
                },
                {
                    "time": "14:41",
                    "event": "On-call paged; starts investigation",
                    "source": "PagerDuty",
                    "decision_point": True,
                    "context": "Dashboard showed pool at 97%;\nconcurrent SEV-3 open",
                },
                {
                    "time": "14:55",
                    "event": "Rollback executed via canary abort",
                    "source": "on-call engineer",
                    "decision_point": True,
                    "context": "Deploy at 14:32 was the only change in the window",
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
                    "description": "N+1 query pattern not detected: no query analysis in CI",
                    "whys": [
                        {
                            "question": "Why did the pool saturate?",
                            "answer": "Each request issued one query per line item",
                        },
                        {
                            "question": "Why was that not caught before merge?",
                            "answer": "CI has no query-count check",
                        },
                    ],
                    "systemic_property": "missing-tool",
                    "actions": ["A1"],
                },
                {
                    "description": "# Alert threshold 85% <b>too high</b>",
                    "whys": [
                        {
                            "question": "Why did the alert fire late?",
                            "answer": "The threshold was set for a smaller pool",
                        },
                    ],
                    "systemic_property": "wrong-threshold",
                    "actions": ["A2", "A3"],
                },
                {
                    "description": "Pre-prod dataset too small — 日本語 ✓",
                    "whys": [
                        {
                            "question": "Why is pre-prod small?",
                            "answer": "Anonymising production data needs a pipeline we lack",
                        },
                    ],
                    "systemic_property": "capacity",
                    "deferral": {
                        "reason": "Cost outweighs benefit this quarter",
                        "decided_by": "eng-director",
                        "review_date": "2026-04-01",
                    },
                },
            ],
            "what_helped": ["Single-command canary abort rollback completed in 90 seconds"],
            "what_hurt": [
                "Alert threshold delayed detection by approximately 4 minutes",
                "[bold]markup[/] stays text 🚨",
            ],
            "action_items": [
                {
                    "description": "Add query-count middleware to CI",
                    "owner": "platform-sre",
                    "due": "2026-01-28",
                    "ticket": "PLAT-892",
                    "priority": "high",
                },
                {
                    "description": "Lower pool alert threshold from 85% to 70%",
                    "owner": "on-call-lead",
                    "due": "2026-01-19",
                    "ticket": "PLAT-893",
                    "priority": "high",
                    "status": "done",
                    "completed_on": "2026-01-18",
                },
                {
                    "description": '=HYPERLINK("http://x") review pool sizing',
                    "owner": "@dba-lead",
                    "due": "2026-02-01",
                    "ticket": "DB-12",
                    "priority": "medium",
                    "status": "in-progress",
                },
            ],
            "service": "payments",
            "team": "payments-team",
            "date_restored": "2026-01-14T14:55:00Z",
            "status": "complete",
            "failure_classes": ["n+1-query", "alert-threshold-too-conservative"],
            "related_incidents": ["INC-2025-0042"],
            "norms_read_at": "2026-01-16T10:00:00Z",
            "past_incidents_searched_at": "2026-01-16T10:05:00Z",
            "waivers": [
                {
                    "code": "A-WORDS",
                    "path": "timeline[3].event",
                    "reason": "Quoted verbatim from the pager message",
                    "waived_by": "facilitator",
                    "waived_at": "2026-01-16T11:00:00Z",
                },
            ],
        }
    )


@pytest.fixture
def rich_pm() -> Postmortem:
    return rich_document()


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare text with ``tests/data/golden/<name>`` exactly (or rewrite it on request)."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if os.environ.get("PMTUI_UPDATE_GOLDEN") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
        assert path.exists(), f"{path} missing; run with PMTUI_UPDATE_GOLDEN=1 to create it"
        assert text == path.read_bytes().decode("utf-8")

    return check
