"""Tests safe file output: names from ids (T41), overwrite, symlinks and kills (T42)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmtui.domain.errors import PmtuiError
from pmtui.domain.models import Postmortem
from pmtui.export.files import (
    MAX_STEM,
    ExportError,
    TargetExists,
    export_all,
    export_filename,
    safe_target,
    write_text_atomic,
)
from pmtui.export.yaml_io import read_postmortem_file

HOSTILE_NAMES = [
    "../../etc/passwd",
    "/etc/passwd",
    "..",
    ".",
    "",
    "CON",
    "con.txt",
    "NUL",
    "COM1",
    "lpt9",
    "a/b",
    "a\\b",
    "a\x00b",
    "\x00",
    "x" * 300,
    ".hidden",
    "-rf",
    "name. ",
    "日本語",
    'a b:c*d?e"f<g>h|i',
]


# T41 (RELIABILITY.md)
@pytest.mark.parametrize("ident", HOSTILE_NAMES)
def test_hostile_ids_stay_inside_the_directory(ident: str, tmp_path: Path) -> None:
    base = tmp_path / "export"
    base.mkdir()
    name = export_filename(ident, "yaml")
    target = safe_target(base, name)
    write_text_atomic(target, "x", overwrite=False)
    assert target.resolve().is_relative_to(base.resolve())
    assert target.parent == base.resolve()
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [name]


# T41 (RELIABILITY.md)
@settings(max_examples=200, deadline=None)
@given(st.text(), st.sampled_from(["yaml", "json", "md", "coe.md", "../sh", ""]))
def test_export_filename_is_always_a_safe_component(ident: str, ext: str) -> None:
    name = export_filename(ident, ext)
    assert name
    assert set(name) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")
    assert not name.startswith((".", "-"))
    assert name not in {".", ".."}
    assert len(name) <= MAX_STEM + 17
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


# T41 (RELIABILITY.md)
@pytest.mark.parametrize(
    "ident,ext,name",
    [
        ("INC-2026-0114", "yaml", "INC-2026-0114.yaml"),
        ("INC-2026-0114", "coe.md", "INC-2026-0114.coe.md"),
        ("../../etc/passwd", "yaml", "_.._etc_passwd.yaml"),
        ("..", "yaml", "postmortem.yaml"),
        ("CON", "md", "_CON.md"),
        ("a\x00b", "md", "ab.md"),
        ("a/b", "", "a_b"),
    ],
)
def test_export_filename_examples(ident: str, ext: str, name: str) -> None:
    assert export_filename(ident, ext) == name


# T41 (RELIABILITY.md)
@pytest.mark.parametrize("name", ["../x", "/etc/passwd", "..", ".", "", "a/b", "a\\b", "a\x00"])
def test_safe_target_refuses_anything_but_a_plain_name(name: str, tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        safe_target(tmp_path, name)


# T42 (RELIABILITY.md)
def test_existing_target_is_refused_without_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "INC-2026-0001.yaml"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(TargetExists) as caught:
        write_text_atomic(target, "new", overwrite=False)
    assert isinstance(caught.value, PmtuiError)
    assert "exists already" in str(caught.value)
    assert target.read_text(encoding="utf-8") == "old"
    write_text_atomic(target, "new", overwrite=True)
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["INC-2026-0001.yaml"]  # no temp left


# T42 (RELIABILITY.md)
@pytest.mark.parametrize("overwrite", [False, True])
def test_planted_symlink_is_not_followed(overwrite: bool, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious", encoding="utf-8")
    base = tmp_path / "export"
    base.mkdir()
    link = base / "INC-2026-0001.yaml"
    link.symlink_to(outside)
    with pytest.raises(ExportError, match="symbolic link"):
        safe_target(base, link.name)
    with pytest.raises(ExportError, match="symbolic link"):
        write_text_atomic(link, "evil", overwrite=overwrite)
    assert outside.read_text(encoding="utf-8") == "precious"
    assert link.is_symlink()


# T42 (RELIABILITY.md)
def test_dangling_symlink_is_not_followed(tmp_path: Path) -> None:
    link = tmp_path / "x.md"
    link.symlink_to(tmp_path / "created-through-link")
    with pytest.raises(ExportError):
        write_text_atomic(link, "x", overwrite=False)
    assert not (tmp_path / "created-through-link").exists()


def test_directory_at_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.md").mkdir()
    with pytest.raises(ExportError, match="not a regular file"):
        write_text_atomic(tmp_path / "x.md", "x", overwrite=True)


def test_write_keeps_text_exactly(tmp_path: Path) -> None:
    text = "a\r\nb\n日本\n"
    write_text_atomic(tmp_path / "f.csv", text, overwrite=False)
    assert (tmp_path / "f.csv").read_bytes() == text.encode("utf-8")


def test_unwritable_directory_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot write"):
        write_text_atomic(tmp_path / "missing" / "f.md", "x", overwrite=False)


# T42 (RELIABILITY.md)
def test_kill_during_export_leaves_old_or_new_never_truncated(tmp_path: Path) -> None:
    target = tmp_path / "INC-2026-0001.yaml"
    old, new = "a" * 2_000_000, "b" * 2_000_000
    target.write_text(old, encoding="utf-8")
    child = textwrap.dedent(
        f"""
        from pmtui.export.files import write_text_atomic
        texts = ["b" * 2_000_000, "a" * 2_000_000]
        print("ready", flush=True)
        i = 0
        while True:
            write_text_atomic({str(target)!r}, texts[i % 2], overwrite=True)
            i += 1
        """
    )
    for delay in (0.05, 0.12, 0.2):
        process = subprocess.Popen(
            [sys.executable, "-c", child], stdout=subprocess.PIPE, cwd=Path.cwd()
        )
        assert process.stdout is not None
        assert process.stdout.readline() == b"ready\n"
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert target.read_text(encoding="utf-8") in (old, new)


def test_export_all_writes_one_yaml_per_postmortem(rich_pm: Postmortem, tmp_path: Path) -> None:
    other = Postmortem(id="NM-2026-0002", title="near miss")
    written = export_all([rich_pm, other], tmp_path / "repo")
    assert [p.name for p in written] == ["INC-2026-0114.yaml", "NM-2026-0002.yaml"]
    assert read_postmortem_file(written[0]) == rich_pm
    # Idempotent: unchanged documents are not rewritten.
    assert export_all([rich_pm, other], tmp_path / "repo") == []
    changed = other.model_copy(update={"title": "renamed"})
    assert [p.name for p in export_all([rich_pm, changed], tmp_path / "repo")] == [
        "NM-2026-0002.yaml"
    ]
    with pytest.raises(TargetExists):
        export_all([other], tmp_path / "repo", overwrite=False)


def test_long_user_chosen_name_still_gets_a_temp_file(tmp_path: Path) -> None:
    target = tmp_path / ("n" * 250 + ".md")
    write_text_atomic(target, "x", overwrite=False)
    assert target.read_text(encoding="utf-8") == "x"
