"""T01: a writer killed with SIGKILL at random moments loses nothing it acknowledged."""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pmtui.store import Store

WRITER = Path(__file__).with_name("crash_writer.py")
ROOT = Path(__file__).resolve().parents[2]
KILLS = 50


@dataclass
class Run:
    """What one killed child acknowledged."""

    ident: str
    created: bool = False
    titles: list[int] = field(default_factory=list)
    events: list[int] = field(default_factory=list)
    hurts: list[int] = field(default_factory=list)
    last_edit: int = 0


class Server:
    def __init__(self) -> None:
        env = os.environ | {"PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def line(self) -> str:
        try:
            line = self.lines.get(timeout=30)
        except queue.Empty:
            pytest.fail("the writer said nothing for 30 s")
        if line is None:
            assert self.process.stderr is not None
            pytest.fail("the writer server died:\n" + self.process.stderr.read())
        return line

    def start(self, db: Path, seed: int, ident: str) -> int:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{db} {seed} {ident}\n")
        self.process.stdin.flush()
        word, pid = self.line().split()
        assert word == "started", word
        return int(pid)

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def record(run: Run, line: str) -> bool:
    """Note an acknowledgement; False once the server reports the child reaped."""
    word, *rest = line.split()
    if word == "reaped":
        status = int(rest[1])
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
            f"the writer died on its own (status {status})"
        )
        return False
    if word == "created":
        run.created = True
        return True
    n = int(rest[0])
    run.last_edit = n
    {"title": run.titles, "event": run.events, "hurt": run.hurts}[word].append(n)
    return True


def check(db: Path, runs: list[Run]) -> None:
    """Every acknowledged edit of every run is there, and no multi-row edit is half done."""
    raw = sqlite3.connect(str(db))
    assert raw.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    raw.close()
    with Store.open(db) as store:
        stored = set(store.ids())
        events: dict[str, set[str]] = {}
        for ident, event in store.conn.execute("SELECT postmortem_id, event FROM timeline_entries"):
            events.setdefault(ident, set()).add(event)
        for table, column in (
            ("timeline_entries", "postmortem_id"),
            ("observations", "postmortem_id"),
        ):
            for ident, count, low, high, distinct in store.conn.execute(
                f"SELECT {column}, count(*), min(position), max(position), "
                f"count(DISTINCT position) FROM {table} GROUP BY {column}"
            ):
                assert (low, high, distinct) == (0, count - 1, count), (table, ident)
        for run in runs:
            if not run.created:
                continue
            assert run.ident in stored
            acked = {f"e{n}" for n in run.events}
            have = events.get(run.ident, set())
            assert acked <= have, (run.ident, sorted(acked - have))
            # At most the one edit in flight at the kill may be there unacknowledged.
            assert len(have - acked) <= 1
            title_row = store.conn.execute(
                "SELECT title FROM postmortems WHERE id = ?", [run.ident]
            ).fetchone()[0]
            if run.titles:
                n = int(title_row[1:])
                assert n == run.titles[-1] or n > run.last_edit, (run.ident, title_row)
        if runs[-1].created:
            pm = store.load(runs[-1].ident)
            acked_hurts = [f"h{n}" for n in reversed(runs[-1].hurts)]
            assert [h for h in pm.what_hurt if h in acked_hurts] == acked_hurts


# T01 (RELIABILITY.md)
@pytest.mark.slow
def test_kill_9_during_a_burst_of_saves_loses_nothing_acknowledged(tmp_path: Path) -> None:
    db = tmp_path / "pm.db"
    rng = random.Random(20260129)
    server = Server()
    runs: list[Run] = []
    try:
        for kill in range(KILLS):
            run = Run(ident=f"INC-2026-{kill + 1:04d}")
            runs.append(run)
            pid = server.start(db, kill, run.ident)
            wanted = rng.choice([0, 1, 2, 3, 5, 8, 13, 21])
            while (len(run.titles) + len(run.events) + len(run.hurts) + run.created) < wanted:
                if not record(run, server.line()):
                    pytest.fail("the writer stopped before it was killed")
            # Fault injection, not synchronisation: land the kill anywhere in the next edit.
            time.sleep(rng.uniform(0, 0.002))
            os.kill(pid, signal.SIGKILL)
            while record(run, server.line()):
                pass
            check(db, runs)
    finally:
        server.close()
    assert sum(len(r.events) + len(r.titles) for r in runs) > KILLS
