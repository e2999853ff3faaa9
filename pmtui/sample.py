"""Provides the sample database: the article's incidents and a few more, built deterministically.

Every document is written through the store's public API (completion and publication
through the same door as in the app), with a fixed clock, so ``pmtui sample`` produces
the same file every time and the sample can never contain a state the app would refuse.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from pmtui.domain.models import Postmortem, Service
from pmtui.sample_documents import (
    ARTICLE_INCIDENT,
    AUTH_OUTAGE,
    BUDGET_INCIDENT,
    DRAFT_IN_MEETING,
    FAILURE_CLASSES,
    NEAR_MISS,
    OLD_N_PLUS_ONE,
    SEARCH_SLOWDOWN,
)
from pmtui.store import Store

SERVICES = [
    Service(name="payments", team="payments", slo=99.9, window_days=90),
    Service(name="auth", team="identity", slo=99.95, window_days=30),
    Service(name="search", team="discovery", slo=99.5, window_days=30),
    Service(name="notifications", team="messaging", slo=99.9, window_days=30, counts_sev4=True),
]

# (document, when it was completed, when it was published)
_LIFECYCLE: list[tuple[dict, str | None, str | None]] = [
    (OLD_N_PLUS_ONE, None, None),
    (ARTICLE_INCIDENT, "2026-01-16T16:30:00Z", "2026-01-20T10:00:00Z"),
    (BUDGET_INCIDENT, "2026-02-20T15:00:00Z", "2026-02-24T09:30:00Z"),
    (AUTH_OUTAGE, "2026-03-08T11:00:00Z", "2026-03-09T09:00:00Z"),
    (SEARCH_SLOWDOWN, "2026-04-15T14:00:00Z", "2026-04-17T12:00:00Z"),
    (NEAR_MISS, "2026-06-03T10:00:00Z", None),
    (DRAFT_IN_MEETING, None, None),
]

SAMPLE_CLOCK = dt.datetime(2026, 11, 27, 16, 0, tzinfo=dt.UTC)


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def populate(store: Store) -> None:
    """Write the sample services and documents into ``store``."""
    for service in SERVICES:
        store.save_service(service)
    for data, completed, published in _LIFECYCLE:
        pm = Postmortem.model_validate(data)
        final_status = pm.status
        store.create(pm.model_copy(update={"status": "in-meeting" if completed else pm.status}))
        if completed:
            store.complete(pm.id, now=_at(completed))
        if published:
            store.publish(pm.id, now=_at(published))
        stored = store.load(pm.id)
        if stored.status != final_status and final_status in ("complete", "published"):
            raise RuntimeError(f"sample {pm.id} did not reach {final_status}")
    for slug, description in FAILURE_CLASSES.items():
        store.describe_class(slug, description)


def build_sample_database(path: Path) -> None:
    """Build the sample at ``path`` atomically: a temporary file, then a rename."""
    path = path.resolve()
    handle, temp_name = tempfile.mkstemp(prefix=".sample-", suffix=".db", dir=path.parent)
    os.close(handle)
    temp = Path(temp_name)
    temp.unlink()
    try:
        with Store.open(temp, create=True, clock=lambda: SAMPLE_CLOCK) as store:
            populate(store)
            # Stays in WAL mode, as every pmtui database is: opening it to write then
            # changes nothing in the file, so a command that fails leaves the committed
            # sample byte for byte as it was (switching a rollback-journal file to WAL
            # rewrites its header).
            store.conn.execute("VACUUM")
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        os.replace(temp, path)
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            leftover.unlink(missing_ok=True)
