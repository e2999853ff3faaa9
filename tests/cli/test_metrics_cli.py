"""``pmtui metrics --team``: an unknown team is named as unknown, not reported as all zeros."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pmtui.sample import build_sample_database
from tests.cli.test_cli import assert_one_line_error, digest, run


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("metrics") / "sample.db"
    build_sample_database(path)
    return path


@pytest.mark.parametrize("team", ["nosuch", ""])
def test_unknown_team_is_one_line_listing_the_known_ones(db: Path, team: str) -> None:
    before = digest(db)
    proc = run("--db", str(db), "metrics", "--team", team)
    assert_one_line_error(
        proc,
        f'--team: no team named "{team}"',
        "(known: discovery, identity, messaging, payments)",
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert digest(db) == before


def test_a_known_team_matches_in_any_case(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "pm.db"
    shutil.copy(db, copy)
    proc = run("--db", str(copy), "metrics", "--team", "PAYMENTS", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["team"] == "PAYMENTS"
