"""User mistakes on the command line: one line naming the option, exit 2, files unchanged.

Every case runs the real entry point in a child process on a copy of the sample database
(built as ``pmtui sample`` builds the committed ``sample.db``, which a test in
test_cli.py keeps equal to it) and compares the file's checksum before and after: an
error path must not change a single byte, nor create a database that was not there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pmtui.sample import build_sample_database
from tests.cli.test_cli import ROOT, assert_one_line_error, digest, run


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("errors") / "sample.db"
    build_sample_database(path)
    return path


@pytest.fixture
def db(master: Path, tmp_path: Path) -> Path:
    path = tmp_path / "pm.db"
    shutil.copy(master, path)
    return path


def assert_untouched(db: Path, before: str) -> None:
    assert digest(db) == before
    assert not list(db.parent.glob(f"{db.name}.backups"))


# ---- new ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--id", "../../etc/passwd"], ['--id: "../../etc/passwd" is not a postmortem id']),
        (["--id", "foo"], ['--id: "foo" is not a postmortem id', "INC-YYYY-NNNN"]),
        (["--id", ""], ['--id: "" is not a postmortem id']),
        (["--near-miss", "--id", "INC-2026-0001"], ['--id: "INC-2026-0001"', "NM-YYYY-NNNN"]),
        (["--id", "NM-2026-0001"], ['--id: "NM-2026-0001"', "--near-miss"]),
        (["--incident", "bad"], ['--incident: "bad" is not a timestamp']),
        (["--restored", "bad"], ['--restored: "bad" is not a timestamp']),
    ],
)
def test_new_with_a_bad_option_names_it_and_creates_no_file(
    tmp_path: Path, args: list[str], words: list[str]
) -> None:
    missing = tmp_path / "new.db"
    proc = run("--db", str(missing), "new", "--title", "y", *args)
    assert_one_line_error(proc, *words)
    assert proc.returncode == 2
    assert not missing.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("ident", ["../../etc/passwd", "foo", "INC-2026-0114"])
def test_new_with_a_bad_or_taken_id_leaves_the_database_unchanged(db: Path, ident: str) -> None:
    before = digest(db)
    proc = run("--db", str(db), "new", "--title", "y", "--id", ident)
    assert_one_line_error(proc, "INC-2026-0114" if ident.startswith("INC") else "--id")
    assert proc.returncode == 2
    assert_untouched(db, before)


def test_new_with_a_good_id_uses_it(db: Path) -> None:
    proc = run("--db", str(db), "new", "--title", "y", "--id", "inc-2026-0999")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "INC-2026-0999"


# ---- writing commands that fail leave the file as it was ----------------------------------


@pytest.mark.parametrize("which", ["committed", "built"])
def test_sample_is_in_wal_mode_so_opening_it_writes_nothing(master: Path, which: str) -> None:
    header = (ROOT / "sample.db" if which == "committed" else master).read_bytes()[:100]
    assert (header[18], header[19]) == (2, 2)  # WAL: a writable open leaves the header alone


@pytest.mark.parametrize("command", ["complete", "publish", "reopen"])
def test_lifecycle_command_on_an_unknown_id_changes_nothing(db: Path, command: str) -> None:
    before = digest(db)
    proc = run("--db", str(db), command, "NOPE")
    assert_one_line_error(proc, "no postmortem with id NOPE")
    assert proc.returncode == 2
    assert_untouched(db, before)


def test_import_of_a_missing_file_changes_nothing(db: Path, tmp_path: Path) -> None:
    before = digest(db)
    proc = run("--db", str(db), "import", str(tmp_path / "nofile.yaml"))
    assert proc.returncode == 1
    assert "nofile.yaml: cannot read the file" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert_untouched(db, before)


def test_import_of_an_unchanged_document_changes_nothing(db: Path, tmp_path: Path) -> None:
    dup = tmp_path / "dup.yaml"
    exported = run("--db", str(db), "export", "INC-2026-0114", "-o", str(dup))
    assert exported.returncode == 0, exported.stderr
    before = digest(db)
    proc = run("--db", str(db), "import", str(dup))
    assert proc.returncode == 0, proc.stderr
    assert "INC-2026-0114 unchanged" in proc.stdout
    assert_untouched(db, before)


def _bad_directory(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.yaml").write_text("id: [\n", encoding="utf-8")
    (folder / "b.yaml").write_text("x: 1\n", encoding="utf-8")
    return folder


def test_directory_import_where_every_file_fails_takes_no_backup(db: Path, tmp_path: Path) -> None:
    before = digest(db)
    proc = run("--db", str(db), "import", str(_bad_directory(tmp_path)))
    assert proc.returncode == 1
    assert "2 failed" in proc.stdout
    assert_untouched(db, before)


def test_directory_import_backs_up_just_before_the_first_write(db: Path, tmp_path: Path) -> None:
    folder = _bad_directory(tmp_path)
    (folder / "c.yaml").write_text("id: INC-2026-0900\ntitle: new one\n", encoding="utf-8")
    before = digest(db)
    proc = run("--db", str(db), "import", str(folder))
    assert proc.returncode == 1  # two files failed
    assert "INC-2026-0900 created" in proc.stdout
    assert digest(db) != before
    backups = list((tmp_path / "pm.db.backups").iterdir())
    assert [p.name.endswith("-before-import.db") for p in backups] == [True]
    # The backup is the database as it was before the import.
    shown = run("--db", str(backups[0]), "show", "INC-2026-0900")
    assert_one_line_error(shown, "no postmortem with id INC-2026-0900")


# T37 (RELIABILITY.md)
def test_import_of_a_bad_file_creates_no_database(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [\n", encoding="utf-8")
    missing = tmp_path / "new.db"
    proc = run("--db", str(missing), "import", str(bad))
    assert proc.returncode == 1
    assert "bad.yaml: YAML syntax error" in proc.stderr
    assert not missing.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


# ---- messages name the option the user can type ----------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["export", "INC-2026-0114", "--format", "md", "-o"],
        ["review", "--since", "2026-01-01", "-o"],
    ],
    ids=["export", "review"],
)
def test_an_existing_output_file_names_the_force_flag(
    db: Path, tmp_path: Path, command: list[str]
) -> None:
    target = tmp_path / "existing.md"
    target.write_text("keep me", encoding="utf-8")
    proc = run("--db", str(db), *command, str(target))
    assert_one_line_error(proc, "existing.md exists already; use --force to replace it")
    assert "overwrite" not in proc.stderr
    assert proc.returncode == 2
    assert target.read_text(encoding="utf-8") == "keep me"


def test_review_force_without_an_output_file_is_refused(db: Path) -> None:
    proc = run("--db", str(db), "review", "--since", "2026-01-01", "--force")
    assert_one_line_error(proc, "--force", "-o FILE")
    assert proc.returncode == 2
