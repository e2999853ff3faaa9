"""The knowledge-base commands: search, classes, report, review."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmtui.cli import cli
from pmtui.sample import build_sample_database
from tests.strategies import HOSTILE


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kcli") / "sample.db"
    build_sample_database(path)
    return path


@pytest.fixture
def db(master: Path, tmp_path: Path) -> Path:
    path = tmp_path / "pm.db"
    shutil.copy(master, path)
    return path


def invoke(db: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def test_search_ranks_and_shows_context(db: Path) -> None:
    result = invoke(db, "search", "certificate")
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("INC-2026-0307")
    data = json.loads(invoke(db, "search", "ORM upgrade", "--format", "json").output)
    assert data[0]["id"] == "INC-2025-0804"
    start, end = data[0]["matches"][0]
    assert data[0]["snippet"][start:end].lower() in ("orm", "upgrade")


def test_search_filters(db: Path) -> None:
    out = invoke(db, "search", "--kind", "near-miss").output
    assert out.startswith("NM-2026-0003")
    out = invoke(db, "search", "--class", "n+1-query", "--since", "2026-01-01").output
    assert [line.split()[0] for line in out.splitlines() if line[:1] in "IN"] == ["INC-2026-0114"]


# T27 (RELIABILITY.md)
@pytest.mark.parametrize("query", ['"', "AND(", "c++", "a:b", "", "(a OR", *HOSTILE])
def test_any_typed_query_is_valid(db: Path, query: str) -> None:
    # "--" ends the options, as for any command, so a query may start with "-".
    result = invoke(db, "search", "--", query)
    assert result.exit_code == 0


# T30 (RELIABILITY.md)
def test_bad_advanced_syntax_is_one_line(db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "search", "--advanced", "(a OR"])
    assert result.exit_code == 2
    assert "invalid search syntax" in result.output


def test_classes_list_rename_merge_describe(db: Path) -> None:
    assert "n+1-query" in invoke(db, "classes").output
    out = invoke(db, "classes", "--describe", "n+1-query", "One query per row").output
    assert "One query per row" in out
    assert "renamed" in invoke(db, "classes", "--rename", "alert-missing", "missing-alert").output
    out = invoke(db, "classes", "--merge", "missing-alert", "alert-threshold-too-conservative")
    assert "on 1 postmortem" in out.output  # type: ignore[attr-defined]
    listed = json.loads(invoke(db, "classes", "--format", "json").output)
    slugs = {c["slug"]: c["count"] for c in listed}
    assert "alert-missing" not in slugs and "missing-alert" not in slugs
    assert slugs["alert-threshold-too-conservative"] == 2
    assert "n+1-query" in invoke(db, "classes", "--suggest", "n-plus-one").output


def test_classes_refuses_two_changes_at_once(db: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--db", str(db), "classes", "--rename", "a", "b", "--merge", "c", "d"]
    )
    assert result.exit_code == 2


def test_report_text_and_json(db: Path) -> None:
    out = invoke(db, "report", "--as-of", "2026-11-29").output
    assert "notifications" in out and "Error budget exhausted" in out
    data = json.loads(invoke(db, "report", "--as-of", "2026-11-29", "--format", "json").output)
    budgets = {b["service"]: b for b in data["budgets"]}
    assert budgets["notifications"]["exhausted"] is True
    assert budgets["payments"]["budget_minutes"] == 129.6
    assert len(data["quarters"]) == 8


def test_review_writes_markdown_and_html(db: Path, tmp_path: Path) -> None:
    out = invoke(db, "review", "--since", "2026-01-01", "--until", "2026-06-30").output
    assert out.startswith("# Cross-team review: 2026-01-01 to 2026-06-30")
    target = tmp_path / "review.html"
    result = invoke(db, "review", "--since", "2026-01-01", "--format", "html", "-o", str(target))
    assert "wrote" in result.output
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    again = CliRunner().invoke(
        cli, ["--db", str(db), "review", "--since", "2026-01-01", "-o", str(target)]
    )
    assert again.exit_code == 2  # refuses to overwrite without --force


def test_review_bad_dates_are_one_line(db: Path) -> None:
    for args in (["--since", "soon"], ["--since", "2026-05-01", "--until", "2026-01-01"]):
        result = CliRunner().invoke(cli, ["--db", str(db), "review", *args])
        assert result.exit_code == 2
