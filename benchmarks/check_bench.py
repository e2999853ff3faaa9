"""Provides the ``check`` benchmark: mean time per document over 10,000 generated documents.

Each document has 10 timeline entries, 4 contributing factors of 5 whys each and 4 action
items; one in five carries problems (judging words, a vague item, a missing owner) so
that findings are built too. The reference, measured in the same run, is
``pm.model_dump()`` on the same documents. Target: under 1 ms per document.

Run: ``.venv/bin/python benchmarks/check_bench.py [count]``.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from typing import Any

from pmtui.domain.models import Postmortem
from pmtui.domain.rules import CheckContext, check

NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
WORDS = [
    "deploy",
    "pool",
    "connection",
    "alert",
    "threshold",
    "canary",
    "rollback",
    "query",
    "cache",
    "latency",
    "error",
    "rate",
    "dashboard",
    "runbook",
    "pager",
    "replica",
    "shard",
    "config",
    "migration",
    "queue",
    "worker",
    "timeout",
    "retry",
]


def _sentence(rng: random.Random, n: int = 9) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def document(index: int, rng: random.Random) -> dict[str, Any]:
    troubled = index % 5 == 0
    start = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC) + dt.timedelta(hours=index % 1000)
    timeline = [
        {
            "time": (start + dt.timedelta(minutes=3 * i)).strftime("%H:%M")
            if start.hour < 23
            else (start + dt.timedelta(minutes=3 * i)).isoformat(),
            "event": _sentence(rng) + (" finally" if troubled and i == 4 else ""),
            "source": "deploy log",
            "decision_point": i == 6,
            "context": _sentence(rng, 6) if i == 6 else "",
        }
        for i in range(10)
    ]
    items = [
        {
            "description": "improve monitoring"
            if troubled and a == 0
            else _sentence(rng, 7) + " to 70%",
            "owner": "" if troubled and a == 1 else f"owner-{a}",
            "due": (start.date() + dt.timedelta(days=14 + a)).isoformat(),
            "ticket": f"PLAT-{index}{a}",
            "priority": "high",
        }
        for a in range(4)
    ]
    factors = [
        {
            "description": _sentence(rng),
            "whys": [{"question": f"Why {w}?", "answer": _sentence(rng, 12)} for w in range(5)],
            "systemic_property": "missing-tool",
            "actions": [f"A{f + 1}"],
        }
        for f in range(4)
    ]
    return {
        "id": f"INC-2026-{index:05d}",
        "severity": "SEV-2",
        "title": _sentence(rng, 6),
        "date_of_incident": start.isoformat(),
        "date_restored": (start + dt.timedelta(minutes=40)).isoformat(),
        "date_of_postmortem": (start.date() + dt.timedelta(days=1)).isoformat(),
        "facilitator": "facilitator",
        "participants": [
            {"name": "payments-team-lead", "role": "team lead"},
            {"name": "product-owner", "role": "product owner"},
            {"name": "oncall", "role": "on-call", "directly_involved": True},
        ],
        "timeline": timeline,
        "impact": {"duration_minutes": 40, "slo_budget_consumed_minutes": 40},
        "contributing_factors": factors,
        "what_helped": [_sentence(rng)],
        "what_hurt": [_sentence(rng)],
        "action_items": items,
        "service": "payments",
        "team": "payments",
        "failure_classes": ["n+1-query"],
        "norms_read_at": start.isoformat(),
        "past_incidents_searched_at": start.isoformat(),
    }


def main(count: int = 10_000) -> None:
    rng = random.Random(20260114)
    docs = [Postmortem.model_validate(document(i, rng)) for i in range(count)]
    context = CheckContext(NOW)
    for pm in docs[:200]:  # warm caches (regex, path order)
        check(pm, context)

    began = time.perf_counter()
    total = 0
    for pm in docs:
        total += len(check(pm, context))
    checked = time.perf_counter() - began

    began = time.perf_counter()
    for pm in docs:
        pm.model_dump()
    dumped = time.perf_counter() - began

    per_doc = checked / count * 1e6
    reference = dumped / count * 1e6
    print(f"documents          {count}")
    print(f"findings           {total}")
    print(f"check              {per_doc:.1f} µs/doc (target < 1000)")
    print(f"model_dump()       {reference:.1f} µs/doc (reference)")
    print(f"ratio              {per_doc / reference:.2f}× model_dump")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
