"""Browser mode: `pmtui serve` answers a plain HTTP GET on loopback, and only there."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from pmtui.cli import Settings
from pmtui.cli.serve import LOOPBACK, serve_command_line


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def test_serve_page_on_loopback(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pmtui",
            "--db",
            str(tmp_path / "pm.db"),
            "serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ},
    )
    try:
        deadline = time.monotonic() + 30
        body = ""
        while time.monotonic() < deadline:  # waiting for a server to start listening
            try:
                with urllib.request.urlopen(f"http://{LOOPBACK}:{port}/", timeout=2) as response:
                    assert response.status == 200
                    body = response.read().decode("utf-8", "replace")
                    break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(proc.stderr.read().decode()) from None
                time.sleep(0.2)
        assert "pmtui" in body
        listening = Path("/proc/net/tcp").read_text()
        port_hex = f":{port:04X}"
        bound = [
            line.split()[1] for line in listening.splitlines()[1:] if port_hex in line.split()[1]
        ]
        assert bound and all(addr.startswith("0100007F") for addr in bound)  # 127.0.0.1 only
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert b"no authentication" in proc.stderr.read()


def test_served_command_opens_the_same_database(tmp_path: Path) -> None:
    line = serve_command_line(Settings(tmp_path / "team db.db", "scribe"))
    assert "--db" in line and "'" in line  # quoted: a path with a space stays one argument
    assert line.endswith("--role scribe")
