"""An empty file given as the database: reading commands say so; none claims it is read-only."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmtui.cli import cli
from tests.cli.test_cli import assert_one_line_error, run

READING = [
    ["list"],
    ["show", "INC-2026-0001"],
    ["check", "INC-2026-0001"],
    ["export", "INC-2026-0001"],
    ["budget"],
    ["metrics"],
    ["search", "pool"],
    ["report"],
]


@pytest.mark.parametrize("command", READING, ids=lambda c: c[0])
def test_reading_command_on_an_empty_file_says_it_is_empty(
    tmp_path: Path, command: list[str]
) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    proc = run("--db", str(empty), *command)
    assert_one_line_error(proc, "empty.db is empty (0 bytes): not a postmortem database yet")
    assert "read-only" not in proc.stderr
    assert proc.returncode == 2
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


def test_reading_command_on_an_sqlite_file_without_tables(tmp_path: Path) -> None:
    bare = tmp_path / "bare.db"
    conn = sqlite3.connect(bare)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("DROP TABLE t")
    conn.commit()
    conn.close()
    before = bare.read_bytes()
    proc = run("--db", str(bare), "list")
    assert_one_line_error(proc, "bare.db holds no tables: not a postmortem database yet")
    assert "read-only" not in proc.stderr
    assert bare.read_bytes() == before


def test_a_writing_command_sets_up_an_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    made = run("--db", str(empty), "new", "--title", "first")
    assert made.returncode == 0, made.stderr
    listed = run("--db", str(empty), "list")
    assert listed.returncode == 0, listed.stderr
    assert "first" in listed.stdout


# T05 (RELIABILITY.md)
def test_an_empty_file_that_cannot_be_written_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read-only by permission (faked: the tests may run as root, who may write anything)."""
    empty = tmp_path / "empty.db"
    empty.touch()
    real_access = os.access

    def no_write(path: object, mode: int, **kwargs: object) -> bool:
        return False if mode == os.W_OK else real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr("pmtui.store.connection.os.access", no_write)
    result = CliRunner().invoke(cli, ["--db", str(empty), "new", "--title", "x"])
    assert result.exit_code == 2
    assert "empty (0 bytes) and cannot be written here" in result.output
    assert "needs an upgrade" not in result.output
    assert empty.stat().st_size == 0


def test_a_reading_command_upgrades_an_older_file_once_after_a_backup(tmp_path: Path) -> None:
    """`pmtui list` on a file from an older pmtui upgrades it (backup first), then lists."""
    from tests.store.test_migrations import version_one_file

    db = tmp_path / "old.db"
    version_one_file(db)
    result = run("--db", str(db), "list")
    assert result.returncode == 0, result.stderr
    assert f"upgraded {db}" in result.stderr
    assert "read-only" not in result.stderr
    assert list((tmp_path / "old.db.backups").glob("*before-migration*.db"))
