"""Provides a deterministic benchmark database: N realistic postmortems, built from a seed.

    python -m benchmarks.generate N [--out PATH] [--seed S]

Every document has 10 timeline entries, 4 contributing factors with 5 whys each, 4 action
items, 4 participants, what helped / hurt, impact figures, one or two failure classes
from a small taxonomy, a service and its team. About one in ten is a near-miss. The
older ones are complete or published and are written to pass the rules; the newest few
are still draft or in the meeting, with open action items.

Speed: the documents are written 200 to a transaction through the store's internal
``_insert_document`` — the same row writer ``create`` uses, minus ``admit``. ``admit`` runs
the rules with every related past postmortem loaded, which makes each whole-document
write of a complete postmortem O(N); that cost is what ``store_bench`` measures on
import, not something to pay 10,000 times here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

from pmtui.domain.models import Postmortem, Service
from pmtui.store import Store
from pmtui.store.migrations import SCHEMA_VERSION

GENERATOR_VERSION = 1
OUT = Path(__file__).parent / "out"

SERVICES = [
    ("payments", "payments", 99.9),
    ("checkout", "payments", 99.95),
    ("auth", "identity", 99.95),
    ("search", "discovery", 99.5),
    ("notifications", "messaging", 99.9),
    ("orders", "commerce", 99.9),
    ("catalog", "commerce", 99.5),
    ("gateway", "platform", 99.99),
    ("billing", "finance", 99.9),
    ("inventory", "supply", 99.5),
    ("media", "content", 99.0),
    ("reports", "analytics", 99.0),
]

FAILURE_CLASSES = [
    "disk-io-saturation",
    "connection-leak",
    "certificate-expiry",
    "n+1-query",
    "config-drift",
    "dependency-timeout",
    "capacity-exhaustion",
    "broker-failover",
    "cache-stampede",
    "deploy-regression",
    "dns-misconfiguration",
    "rate-limit-gap",
    "schema-migration-lock",
    "clock-skew",
]

COMPONENTS = [
    "the connection pool",
    "the index rebuild",
    "the TLS terminator",
    "the queue consumer",
    "the cache tier",
    "the primary database",
    "the read replica",
    "the deploy pipeline",
    "the feature flag service",
    "the rate limiter",
    "the DNS resolver",
    "the load balancer",
    "the batch scheduler",
    "the session store",
    "the object storage bucket",
    "the schema migration",
    "the retry middleware",
    "the health check",
    "the CDN edge",
    "the message broker",
]
SYMPTOMS = [
    "p95 latency rises above 2 s",
    "error rate reaches 12%",
    "requests time out",
    "queue depth passes 50,000",
    "CPU on the hosts reaches 100%",
    "disk IO wait passes 60%",
    "connections are refused",
    "memory use climbs past the limit",
    "5xx responses spike",
    "health checks start to flap",
    "replication lag passes 90 s",
    "logins are rejected",
]
SOURCES = [
    "monitoring dashboard",
    "deploy log",
    "PagerDuty",
    "support ticket",
    "broker log",
    "on-call engineer",
    "status page",
    "load balancer log",
    "database slow log",
    "incident channel",
    "scheduler log",
    "tracing UI",
]
ACTIONS = [
    "Add a {metric} alert at {number} to {component}",
    "Cap {component} at {number} concurrent requests with a config limit",
    "Run {component} at idle IO priority in its systemd unit",
    "Add a CI job that fails when {component} exceeds {number} queries per request",
    "Add an expiry check for {component} that pages 14 days ahead",
    "Move {component} behind a circuit breaker with a {number} ms timeout",
    "Write a runbook step and a one-command script to restart {component}",
    "Add a canary stage that aborts when {metric} passes {number}",
    "Pin the version of {component} in the lockfile and add a renovate rule",
    "Set a {number} s statement timeout on {component}",
]
METRICS = [
    "error rate",
    "p95 latency",
    "queue depth",
    "open connections",
    "disk IO wait",
    "replication lag",
    "cache hit ratio",
    "memory use",
]
PROPERTIES = ["missing-tool", "wrong-threshold", "process-gap", "capacity", "design", "dependency"]
NAMES = [
    "ana",
    "bo",
    "chen",
    "dara",
    "eli",
    "fatima",
    "gus",
    "hiro",
    "ines",
    "jon",
    "kofi",
    "lena",
    "mika",
    "noor",
    "omar",
    "pia",
    "quinn",
    "ravi",
    "sana",
    "tomas",
]


def _sentence(rng: random.Random, template: str) -> str:
    return template.format(
        component=rng.choice(COMPONENTS),
        metric=rng.choice(METRICS),
        number=rng.choice([50, 100, 200, 500, 1000, 2000, 5000]),
        symptom=rng.choice(SYMPTOMS),
    )


def _why_chain(rng: random.Random, component: str) -> list[dict[str, str]]:
    other = rng.choice(COMPONENTS)
    steps = [
        (f"Why did {component} slow down?", f"It waited on {other}, which was saturated."),
        (
            f"Why was {other} saturated?",
            f"A {rng.choice(METRICS)} spike doubled the work it had to do in "
            f"{rng.randint(2, 9)} minutes.",
        ),
        (
            "Why did the spike reach it unchecked?",
            f"{other.capitalize()} has no limit on concurrent work per caller.",
        ),
        (
            "Why is there no limit?",
            "The limit was never part of the service template, so new services start without it.",
        ),
        (
            "Why does the template lack it?",
            f"Nothing checks templates against the {rng.choice(METRICS)} budget of their callers.",
        ),
    ]
    return [{"question": q, "answer": a} for q, a in steps]


def build_document(rng: random.Random, ident: str, when: dt.datetime, status: str) -> Postmortem:
    """One postmortem; complete and published ones are written to pass the rules."""
    kind = "near-miss" if ident.startswith("NM-") else "incident"
    service, team, _ = rng.choice(SERVICES)
    severity = (
        None
        if kind == "near-miss"
        else rng.choice(["SEV-1", "SEV-2", "SEV-2", "SEV-3", "SEV-3", "SEV-3", "SEV-4"])
    )
    if status == "complete" and severity in ("SEV-1", "SEV-2"):
        status = "published"  # their policy sets a publication deadline
    duration = rng.randint(8, 240)
    restored = when + dt.timedelta(minutes=duration)
    meeting = restored.date() + dt.timedelta(days=1)
    done = status in ("complete", "published")
    people = rng.sample(NAMES, 5)
    timeline = []
    clock = when
    for step in range(10):
        event = (
            _sentence(rng, "{symptom} on {component}")
            if step % 3
            else _sentence(rng, "Change to {component} rolls out")
        )
        entry: dict[str, Any] = {
            "time": clock.strftime("%H:%M")
            if clock.date() == when.date()
            else clock.strftime("%Y-%m-%dT%H:%M:00Z"),
            "event": event[0].upper() + event[1:],
            "source": rng.choice(SOURCES),
        }
        if step == 4:
            entry["decision_point"] = True
            entry["context"] = (
                f"The dashboard showed {rng.choice(METRICS)} normal and the last deploy was "
                f"{rng.randint(2, 48)} hours old"
            )
        timeline.append(entry)
        clock += dt.timedelta(minutes=max(1, duration // 10))
    actions = []
    factors = []
    for index in range(4):
        component = rng.choice(COMPONENTS)
        ref = f"A{index + 1}"
        due = meeting + dt.timedelta(days=rng.randint(7, 45))
        actions.append(
            {
                "id": ref,
                "description": _sentence(rng, rng.choice(ACTIONS)),
                "owner": f"{rng.choice(NAMES)}-{team}",
                "due": due.isoformat(),
                "ticket": f"{service[:4].upper()}-{rng.randint(10, 9999)}",
                "priority": rng.choice(["critical", "high", "medium", "low"]),
                "status": "done" if done else rng.choice(["open", "in-progress"]),
                "completed_on": (due - dt.timedelta(days=2)).isoformat() if done else None,
            }
        )
        factors.append(
            {
                "description": f"{component.capitalize()} has no bound on "
                f"{rng.choice(METRICS)} under load",
                "whys": _why_chain(rng, component),
                "systemic_property": rng.choice(PROPERTIES),
                "actions": [ref],
            }
        )
    budget: int | float = rng.choice([duration, round(duration * rng.random(), 1)])
    data: dict[str, Any] = {
        "id": ident,
        "kind": kind,
        "severity": severity,
        "title": f"{service.capitalize()}: {rng.choice(SYMPTOMS)} after a change to "
        f"{rng.choice(COMPONENTS)}",
        "date_of_incident": when.isoformat(),
        "date_of_postmortem": meeting.isoformat(),
        "facilitator": f"{people[4]}-sre",
        "participants": [
            {"name": f"{people[0]}-{team}", "role": "team lead"},
            {"name": f"{people[1]}-{team}", "role": "on-call engineer", "directly_involved": True},
            {"name": f"{people[2]}-product", "role": "product owner"},
            {"name": f"{people[3]}-platform", "role": "platform representative"},
        ],
        "timeline": timeline,
        "impact": {
            "duration_minutes": duration,
            "error_rate_peak": f"{rng.randint(1, 40)}% of requests failed",
            "affected_users_estimate": f"~{rng.randint(1, 500) * 100}",
            "slo_budget_consumed_minutes": budget if kind == "incident" else None,
        },
        "contributing_factors": factors,
        "what_helped": [
            f"The {rng.choice(METRICS)} alert paged within {rng.randint(2, 9)} minutes",
            f"A runbook for {rng.choice(COMPONENTS)} existed and was current",
        ],
        "what_hurt": [
            f"Rolling back {rng.choice(COMPONENTS)} took {rng.randint(5, 40)} minutes",
            f"The dashboard for {rng.choice(COMPONENTS)} lacked a {rng.choice(METRICS)} panel",
        ],
        "action_items": actions,
        "service": service,
        "team": team,
        "date_restored": restored.isoformat(),
        "status": status,
        "failure_classes": rng.sample(FAILURE_CLASSES, rng.choice([1, 1, 2])),
        "norms_read_at": dt.datetime.combine(meeting, dt.time(10, 0), dt.UTC).isoformat(),
        "past_incidents_searched_at": dt.datetime.combine(
            meeting, dt.time(10, 5), dt.UTC
        ).isoformat(),
    }
    if status == "published":
        data["date_published"] = dt.datetime.combine(meeting, dt.time(18, 0), dt.UTC).isoformat()
    return Postmortem.model_validate(data)


def documents(n: int, seed: int = 20260129) -> list[Postmortem]:
    """``n`` documents, oldest first, identical for the same ``n`` and ``seed``."""
    rng = random.Random(seed)
    start = dt.datetime(2019, 1, 7, tzinfo=dt.UTC)
    span = dt.datetime(2026, 10, 1, tzinfo=dt.UTC) - start
    moments = sorted(
        start + dt.timedelta(minutes=rng.randrange(int(span.total_seconds() // 60)))
        for _ in range(n)
    )
    counters: dict[tuple[str, int], int] = {}
    found = []
    for index, when in enumerate(moments):
        prefix = "NM" if rng.random() < 0.1 else "INC"
        number = counters[(prefix, when.year)] = counters.get((prefix, when.year), 0) + 1
        newest = index >= n - max(1, n // 50)
        status = (
            rng.choice(["draft", "in-meeting"])
            if newest
            else rng.choice(["complete", "published", "published"])
        )
        found.append(build_document(rng, f"{prefix}-{when.year}-{number:04d}", when, status))
    return found


def generate(n: int, out: Path, seed: int = 20260129, batch: int = 200) -> Path:
    """Write ``n`` documents to a new database at ``out`` (replacing any file there)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    docs = documents(n, seed)
    with Store.open(out, create=True) as store:
        for name, team, slo in SERVICES:
            store.save_service(Service(name=name, team=team, slo=slo, window_days=30))
        for start in range(0, len(docs), batch):
            chunk = docs[start : start + batch]

            def unit(chunk: list[Postmortem] = chunk) -> None:
                for pm in chunk:
                    store._insert_document(pm, version=1, revision=1)

            store.write(unit)
    return out


def cached(n: int, seed: int = 20260129) -> Path:
    """The generated database for ``n`` under benchmarks/out/, built once per schema."""
    path = OUT / f"bench-v{GENERATOR_VERSION}-schema{SCHEMA_VERSION}-n{n}-s{seed}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        generate(n, partial, seed)
        partial.rename(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__)
    parser.add_argument("n", type=int, help="how many postmortems")
    parser.add_argument("--out", type=Path, help="database to write (default: benchmarks/out/)")
    parser.add_argument("--seed", type=int, default=20260129)
    args = parser.parse_args(argv)
    out = args.out or OUT / f"generated-{args.n}.db"
    started = time.perf_counter()
    generate(args.n, out, args.seed)
    seconds = time.perf_counter() - started
    size = out.stat().st_size / 1e6
    print(f"{args.n} postmortems written to {out} in {seconds:.1f} s ({size:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
