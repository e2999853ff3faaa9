"""``pmtui export``: every option is honoured or refused, never ignored."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from pmtui.export.formats import FORMATS
from pmtui.sample import build_sample_database
from tests.cli.test_cli import assert_one_line_error, digest, run

IDS = [
    "INC-2025-0804",
    "INC-2026-0114",
    "INC-2026-0219",
    "INC-2026-0307",
    "INC-2026-0412",
    "INC-2026-1126",
    "NM-2026-0003",
]


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "sample.db"
    build_sample_database(path)
    return path


@pytest.fixture
def db(master: Path, tmp_path: Path) -> Path:
    path = tmp_path / "pm.db"
    shutil.copy(master, path)
    return path


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_all_writes_one_file_per_postmortem_in_the_format(
    db: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "out"
    proc = run("--db", str(db), "export", "--all", "--dir", str(out), "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    ext = FORMATS[fmt].extension
    assert sorted(p.name for p in out.iterdir()) == [f"{i}.{ext}" for i in IDS]
    single = run("--db", str(db), "export", "INC-2026-0114", "--format", fmt)
    assert (out / f"INC-2026-0114.{ext}").read_text(encoding="utf-8") == single.stdout
    assert proc.stdout.splitlines()[1] == f"{out / f'INC-2026-0114.{ext}'}: written"


def test_export_all_as_markdown_is_markdown_not_yaml(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "o4"
    proc = run("--db", str(db), "export", "--all", "--dir", str(out), "--format", "md")
    assert proc.returncode == 0, proc.stderr
    assert not list(out.glob("*.yaml"))
    assert (out / "INC-2026-0114.md").read_text(encoding="utf-8").startswith("# INC-2026-0114")


def test_export_all_again_is_unchanged_and_a_changed_file_needs_force(
    db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["--db", str(db), "export", "--all", "--dir", str(out), "--format", "json"]
    assert run(*args).returncode == 0
    again = run(*args)
    assert again.returncode == 0
    assert again.stdout.count(": unchanged") == len(IDS)
    edited = out / "INC-2026-0114.json"
    edited.write_text("{}", encoding="utf-8")
    kept = run(*args)
    assert kept.returncode == 1  # a file it was asked to write was not written
    assert f"{edited}: exists and differs; not written (use --force)" in kept.stdout
    assert edited.read_text(encoding="utf-8") == "{}"
    forced = run(*args, "--force")
    assert forced.returncode == 0
    assert json.loads(edited.read_text(encoding="utf-8"))["id"] == "INC-2026-0114"


def test_export_one_into_a_directory(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out3"
    proc = run("--db", str(db), "export", "INC-2026-0114", "--dir", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"wrote {out / 'INC-2026-0114.yaml'}"
    written = yaml.safe_load((out / "INC-2026-0114.yaml").read_text(encoding="utf-8"))
    assert written["id"] == "INC-2026-0114"
    before = digest(out / "INC-2026-0114.yaml")
    (out / "INC-2026-0114.yaml").write_text("mine", encoding="utf-8")
    refused = run("--db", str(db), "export", "INC-2026-0114", "--dir", str(out))
    assert_one_line_error(refused, "INC-2026-0114.yaml exists already; use --force")
    assert (out / "INC-2026-0114.yaml").read_text(encoding="utf-8") == "mine"
    forced = run("--db", str(db), "export", "INC-2026-0114", "--dir", str(out), "--force")
    assert forced.returncode == 0
    assert digest(out / "INC-2026-0114.yaml") == before
    coe = run("--db", str(db), "export", "INC-2026-0114", "--dir", str(out), "--format", "coe")
    assert coe.returncode == 0
    assert (out / "INC-2026-0114.coe.md").exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--all"], ["--all needs --dir DIR"]),
        (["--all", "--dir", "D", "INC-2026-0114"], ["--all", "no ID"]),
        (["--all", "-o", "F"], ["--all", "-o names a single file"]),
        (["INC-2026-0114", "-o", "F", "--dir", "D"], ["-o and --dir", "one of them"]),
        (["INC-2026-0114", "--force"], ["--force", "-o FILE or --dir DIR"]),
        ([], ["give a postmortem ID"]),
    ],
)
def test_options_that_do_not_go_together_are_refused(
    db: Path, tmp_path: Path, args: list[str], words: list[str]
) -> None:
    resolved = [str(tmp_path / a) if a in ("D", "F") else a for a in args]
    proc = run("--db", str(db), "export", *resolved)
    assert_one_line_error(proc, *words)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pm.db"]


def test_a_directory_that_cannot_be_made_is_one_line(db: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    proc = run("--db", str(db), "export", "--all", "--dir", str(blocker / "sub"))
    assert_one_line_error(proc, "cannot create", "sub")
    assert proc.returncode == 2
