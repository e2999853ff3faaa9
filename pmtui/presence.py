"""Provides presence: which other pmtui processes have the same database open.

Each running app leaves a small file in ``<db>.presence/`` named after its pid; the
others list the directory and check the pids are alive. No database writes, so an idle
meeting costs nothing. WAL already requires every process to be on the same host, so a
pid check is enough. A file whose process is gone marks a session that ended without
closing. Only the restart of that terminal — the same role, the same user — reports what
it recovered and removes the file; the other terminals may only say it disconnected.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Peer:
    pid: int
    role: str
    postmortem: str
    started: str
    user: str = ""


def _user() -> str:
    """Who runs this process: the uid where there is one (stable, whatever $USER says)."""
    getuid = getattr(os, "getuid", None)
    if getuid is not None:
        return str(getuid())
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name on this system: every session is the same user
        return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed process not yet reaped by its parent is a zombie: it answers kill(0) but
    # it is gone. (Linux; elsewhere the pid check alone decides.)
    with contextlib.suppress(OSError, IndexError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return True


class Presence:
    def __init__(self, db_path: Path, role: str) -> None:
        self.directory = db_path.parent / f"{db_path.name}.presence"
        self.role = role
        self.pid = os.getpid()
        self.host = socket.gethostname()
        self.user = _user()
        self._file = self.directory / f"{self.pid}.json"
        self._started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    def announce(self, postmortem: str = "") -> None:
        """Say (again) that this process is here, and which postmortem it has open."""
        data = {
            "pid": self.pid,
            "host": self.host,
            "role": self.role,
            "user": self.user,
            "postmortem": postmortem,
            "started": self._started,
        }
        with contextlib.suppress(OSError):
            self.directory.mkdir(exist_ok=True)
            temp = self._file.with_suffix(".tmp")
            temp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(temp, self._file)

    def leave(self) -> None:
        with contextlib.suppress(OSError):
            self._file.unlink()

    def _read(self) -> list[tuple[Path, Peer, bool]]:
        found = []
        try:
            files = list(self.directory.glob("*.json"))
        except OSError:
            return []
        for path in files:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                pid = int(data["pid"])
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if pid == self.pid or data.get("host", self.host) != self.host:
                continue
            peer = Peer(
                pid,
                str(data.get("role", "")),
                str(data.get("postmortem", "")),
                str(data.get("started", "")),
                str(data.get("user", self.user)),  # files of older versions: same user
            )
            found.append((path, peer, _alive(pid)))
        return found

    def peers(self) -> list[Peer]:
        """Other live pmtui processes on this database."""
        return [peer for _, peer, alive in self._read() if alive]

    def _mine(self, peer: Peer) -> bool:
        return peer.role == self.role and peer.user == self.user

    def collect_crashed(self) -> list[Peer]:
        """Sessions of this role and user that ended without closing; forgets them.

        Called once at start: this process is their restart, so their report is its to
        make. Another role's (or user's) crashed session is left for its own restart.
        """
        crashed = []
        for path, peer, alive in self._read():
            if not alive and self._mine(peer):
                crashed.append(peer)
                with contextlib.suppress(OSError):
                    path.unlink()
        return crashed

    def disconnected(self) -> list[Peer]:
        """Sessions that ended without closing and are not yet restarted (left in place)."""
        return [peer for _, peer, alive in self._read() if not alive]
