"""The CLI as a user meets it: every command documented, errors as one line, files untouched."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmtui.cli import cli
from pmtui.sample import build_sample_database

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "tests" / "data" / "article_template.yaml"


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "sample.db"
    build_sample_database(path)
    return path


@pytest.fixture
def db(master: Path, tmp_path: Path) -> Path:
    path = tmp_path / "pm.db"
    shutil.copy(master, path)
    return path


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real console entry point in a child process, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "pmtui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def invoke(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def all_commands() -> list[str]:
    return sorted(cli.commands)


@pytest.mark.parametrize("name", all_commands())
def test_every_command_has_help(name: str) -> None:
    result = invoke(name, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    # The first docstring line is the summary shown in `pmtui -h`.
    assert cli.commands[name].get_short_help_str().strip()


def test_group_help_lists_every_command_and_has_short_flag() -> None:
    result = invoke("-h")
    assert result.exit_code == 0
    for name in all_commands():
        assert name in result.output


def test_version() -> None:
    from pmtui import __version__

    result = invoke("--version")
    assert __version__ in result.output


# ---- errors a user or a file can cause: one line, non-zero, no traceback, file unchanged


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    for word in words:
        assert word in lines[0]


# T07 (RELIABILITY.md)
def test_not_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"these are my meeting notes, not a database\n" * 50)
    before = digest(junk)
    proc = run("--db", str(junk), "list")
    assert_one_line_error(proc, "not a postmortem database")
    assert proc.returncode == 2
    assert digest(junk) == before
    assert not Path(f"{junk}-wal").exists()


# T07 (RELIABILITY.md)
def test_someone_elses_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    before = digest(other)
    proc = run("--db", str(other), "new", "--title", "x")
    assert_one_line_error(proc, "not a postmortem database")
    assert digest(other) == before


# T06 (RELIABILITY.md)
def test_corrupt_database_is_refused_and_not_written(db: Path) -> None:
    data = bytearray(db.read_bytes())
    page = 4096
    for offset in range(page * 3, page * 3 + 600):  # scribble over an interior page
        data[offset] = 0xA5
    db.write_bytes(bytes(data))
    before = digest(db)
    proc = run("--db", str(db), "new", "--title", "x")
    assert_one_line_error(proc)
    assert proc.returncode == 2
    assert digest(db) == before


def test_missing_file_for_a_reading_command(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    proc = run("--db", str(missing), "list")
    assert_one_line_error(proc, "no database")
    assert not missing.exists()


def test_unknown_id(db: Path) -> None:
    before = digest(db)
    proc = run("--db", str(db), "show", "INC-2099-0001")
    assert_one_line_error(proc, "INC-2099-0001")
    assert digest(db) == before


# T37 (RELIABILITY.md)
def test_malformed_yaml_lists_the_problem_and_writes_nothing(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: INC-2026-0500\ntitle: [unclosed\n", encoding="utf-8")
    count = sqlite3.connect(db).execute("SELECT count(*) FROM postmortems").fetchone()[0]
    proc = run("--db", str(db), "import", str(bad))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "bad.yaml" in proc.stderr and "line" in proc.stderr
    assert sqlite3.connect(db).execute("SELECT count(*) FROM postmortems").fetchone()[0] == count


def test_pmtui_db_environment_variable_is_used(db: Path) -> None:
    proc = run("list", "--format", "json", env={"PMTUI_DB": str(db)})
    assert proc.returncode == 0
    assert "INC-2026-0114" in {row["id"] for row in json.loads(proc.stdout)}


# ---- the commands working --------------------------------------------------------------


def test_list_shows_deadline_state(db: Path) -> None:
    result = invoke("--db", str(db), "list")
    assert result.exit_code == 0
    line = next(x for x in result.output.splitlines() if x.startswith("INC-2026-0114"))
    assert "published" in line and "met" in line


def test_new_proposes_the_next_id_and_keeps_text_literal(db: Path) -> None:
    result = invoke(
        "--db",
        str(db),
        "new",
        "--title",
        "[bold]x[/] 12:30",
        "--severity",
        "SEV-3",
        "--incident",
        "2026-11-28T10:00:00Z",
    )
    assert result.exit_code == 0
    ident = result.output.strip()
    assert ident == "INC-2026-1127"
    shown = invoke("--db", str(db), "show", ident, "--format", "json")
    assert json.loads(shown.output)["title"] == "[bold]x[/] 12:30"


def test_import_of_the_article_template_as_is(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    result = invoke("--db", str(fresh), "import", str(ARTICLE))
    assert result.exit_code == 0, result.output
    assert "INC-2026-0114 created" in result.output
    check = CliRunner().invoke(cli, ["--db", str(fresh), "check", "INC-2026-0114"])
    assert check.exit_code == 1  # blocked: no chains yet, no restoration time
    assert "G-CHAIN-OPEN" in check.output and "date_restored" in check.output


def test_export_all_then_import_dir_is_idempotent(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "repo"
    assert invoke("--db", str(db), "export", "--all", "--dir", str(out)).exit_code == 0
    files = sorted(p.name for p in out.iterdir())
    assert "INC-2026-0114.yaml" in files and len(files) == 7
    target = tmp_path / "copy.db"
    first = invoke("--db", str(target), "import", str(out))
    assert "7 created" in first.output
    second = invoke("--db", str(target), "import", str(out))
    assert "7 unchanged" in second.output
    # Exporting the imported copy gives byte-identical files: the round trip is exact.
    again = tmp_path / "again"
    invoke("--db", str(target), "export", "--all", "--dir", str(again))
    for name in files:
        assert (again / name).read_bytes() == (out / name).read_bytes()


# T39 (RELIABILITY.md)
def test_import_of_an_existing_id_that_differs_needs_a_choice(db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(ARTICLE)])
    assert result.exit_code == 1
    assert "exists and differs" in result.output
    copied = invoke("--db", str(db), "import", "--on-existing", "copy", str(ARTICLE))
    assert "copied" in copied.output
    listed = invoke("--db", str(db), "list", "--format", "json")
    titles = [r["title"] for r in json.loads(listed.output)]
    assert titles.count("Payment service 503s — 23-minute degradation window") == 2


def test_export_refuses_to_overwrite_without_force(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "pm.md"
    target.write_text("keep me", encoding="utf-8")
    proc = run("--db", str(db), "export", "INC-2026-0114", "--format", "md", "-o", str(target))
    assert proc.returncode == 2
    assert target.read_text(encoding="utf-8") == "keep me"
    forced = invoke(
        "--db", str(db), "export", "INC-2026-0114", "--format", "md", "-o", str(target), "--force"
    )
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# INC-2026-0114")


def test_check_exit_codes_and_json(db: Path) -> None:
    blocked = CliRunner().invoke(
        cli, ["--db", str(db), "check", "INC-2026-1126", "--format", "json"]
    )
    assert blocked.exit_code == 1
    data = json.loads(blocked.output)
    codes = {f["code"] for f in data["findings"]}
    assert {"G-FACTORS-MIN", "G-OWNER-ONE", "G-HURT-EMPTY"} <= codes
    ready = CliRunner().invoke(cli, ["--db", str(db), "check", "INC-2026-0114"])
    assert ready.exit_code == 0
    # Published already: passing, not "ready to complete".
    assert ready.output.startswith("INC-2026-0114: 0 gates, 1 advisory (1 waived): published, ")
    assert "ready to complete" not in ready.output
    missing = CliRunner().invoke(cli, ["--db", str(db), "check", "INC-1999-0001"])
    assert missing.exit_code == 2


def test_complete_goes_through_the_door(db: Path) -> None:
    refused = CliRunner().invoke(cli, ["--db", str(db), "complete", "INC-2025-0804"])
    assert refused.exit_code == 1
    assert "G-OWNER-ONE" in refused.output
    status = (
        sqlite3.connect(db)
        .execute("SELECT status FROM postmortems WHERE id = 'INC-2025-0804'")
        .fetchone()[0]
    )
    assert status == "in-meeting"


def test_budget_what_if_reproduces_the_article_to_the_digit() -> None:
    result = invoke(
        "budget",
        "--slo",
        "99.9",
        "--window-days",
        "90",
        "--elapsed-days",
        "43",
        "--consumed",
        "23",
        "--consumed",
        "51",
    )
    out = result.output
    for figure in ("129.6 min", "74 min (57.1 %)", "55.6 min (42.9 %)", "day 75", "15 days before"):
        assert figure in out


def test_budget_from_the_database(db: Path) -> None:
    result = invoke(
        "--db",
        str(db),
        "budget",
        "--service",
        "payments",
        "--as-of",
        "2026-02-26",
        "--elapsed-days",
        "43",
    )
    assert "INC-2026-0114  23 min" in result.output
    assert "INC-2026-0219  51 min" in result.output
    assert "55.6 min (42.9 %)" in result.output


def test_budget_bad_elapsed_days_is_one_line() -> None:
    proc = run("budget", "--slo", "99.9", "--window-days", "90", "--elapsed-days", "120")
    assert_one_line_error(proc, "--elapsed-days")


def test_metrics_json(db: Path) -> None:
    result = invoke("--db", str(db), "metrics", "--format", "json")
    data = json.loads(result.output)
    assert data["near_misses"] == 1
    assert "action_completion_30d" in data


def test_sample_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "s.db"
    target.write_text("x", encoding="utf-8")
    proc = run("sample", str(target))
    assert_one_line_error(proc, "exists")
    assert target.read_text(encoding="utf-8") == "x"


def test_committed_sample_db_matches_the_code(tmp_path: Path) -> None:
    """sample.db is built deterministically by `pmtui sample`; the committed copy is current."""
    built = tmp_path / "sample.db"
    build_sample_database(built)
    assert digest(built) == digest(ROOT / "sample.db")


def test_locate_prints_the_paths(db: Path) -> None:
    result = invoke("--db", str(db), "locate", "db")
    assert result.output.strip() == str(db)
