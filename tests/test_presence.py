"""Presence: who is connected, and whose report a crashed session is (no Textual here)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from pmtui.presence import Presence


def dead_pid() -> int:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def leave(db: Path, pid: int, role: str, user: str | None = None) -> Path:
    directory = db.parent / f"{db.name}.presence"
    directory.mkdir(exist_ok=True)
    data = {"pid": pid, "host": socket.gethostname(), "role": role, "postmortem": "INC-1"}
    if user is not None:
        data["user"] = user
    path = directory / f"{pid}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_crash_is_collected_only_by_the_same_role_and_user(tmp_path: Path) -> None:
    db = tmp_path / "pmtui.db"
    me = str(os.getuid())
    facilitator = leave(db, dead_pid(), "facilitator", me)
    scribe = leave(db, dead_pid(), "scribe", me)
    someone_else = leave(db, dead_pid(), "facilitator", me + "0")
    older_version = leave(db, dead_pid(), "facilitator")  # no user recorded: ours

    assert {p.role for p in Presence(db, "scribe").collect_crashed()} == {"scribe"}
    assert not scribe.exists()
    restart = Presence(db, "facilitator")
    assert len(restart.disconnected()) == 3  # seen, not claimed
    claimed = restart.collect_crashed()
    assert sorted(p.pid for p in claimed) == sorted(
        int(p.stem) for p in (facilitator, older_version)
    )
    assert not facilitator.exists() and not older_version.exists()
    assert someone_else.exists()  # another user's facilitator: theirs to report


def test_announce_records_role_user_and_postmortem(tmp_path: Path) -> None:
    db = tmp_path / "pmtui.db"
    presence = Presence(db, "scribe")
    presence.announce("INC-2026-1126")
    data = json.loads((db.parent / f"{db.name}.presence" / f"{os.getpid()}.json").read_text())
    assert (data["role"], data["user"], data["postmortem"]) == (
        "scribe",
        str(os.getuid()),
        "INC-2026-1126",
    )
    presence.leave()
    assert presence.disconnected() == []
