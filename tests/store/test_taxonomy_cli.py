"""`pmtui classes --rename/--merge` says what really happened, on the command line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner, Result

from pmtui.cli import cli
from pmtui.domain.models import Postmortem
from pmtui.store import Store
from tests.store.conftest import dump


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), "classes", *args])


def test_renaming_a_class_to_its_own_name_changes_nothing_and_says_so(db_path: Path) -> None:
    with Store.open(db_path, create=True) as store:
        store.create(Postmortem(id="INC-2026-0001", failure_classes=["broker-failover"]))
    conn = sqlite3.connect(str(db_path))
    before = dump(conn)
    conn.close()
    result = run(db_path, "--rename", "broker-failover", "Broker Failover")
    assert result.exit_code == 2
    assert "already named broker-failover; nothing changed" in result.output
    assert "renamed" not in result.output
    result = run(db_path, "--merge", "broker-failover", "broker-failover")
    assert result.exit_code == 2
    assert "nothing changed" in result.output
    result = run(db_path, "--rename", "no-such-class", "No Such Class")
    assert result.exit_code == 2
    assert 'no failure class "no-such-class"' in result.output
    conn = sqlite3.connect(str(db_path))
    assert dump(conn) == before
    conn.close()
    # A real rename still says how many postmortems it changed.
    result = run(db_path, "--rename", "broker-failover", "Message Broker Failover")
    assert result.exit_code == 0
    assert "on 1 postmortem(s)" in result.output
