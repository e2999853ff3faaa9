"""Tests action items to the tracker: Jira CSV cells and a gh script run against a fake gh."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings

from pmtui.domain.models import Postmortem
from pmtui.domain.text import clean_text
from pmtui.export.trackers import (
    JIRA_COLUMNS,
    github_login,
    guard_cell,
    issue_body,
    jira_rows,
    to_gh_script,
    to_jira_csv,
)
from tests.strategies import HOSTILE, postmortems

FAKE_GH = """#!/bin/sh
# Records each call: arguments NUL-separated, one call per record (ended by a lone NUL).
for arg in "$@"; do printf '%s\\0' "$arg"; done >> "$GH_LOG"
printf '\\0' >> "$GH_LOG"
"""


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(
    "value,guarded",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t=x"),
        ("  =x", "'  =x"),
        ("a=b", "a=b"),
        ("", ""),
        ("PLAT-892", "PLAT-892"),
    ],
)
def test_guard_cell(value: str, guarded: str) -> None:
    assert guard_cell(value) == guarded


def test_jira_csv_of_the_rich_document(rich_pm: Postmortem) -> None:
    rows = read_csv(to_jira_csv(rich_pm))
    assert tuple(rows[0]) == JIRA_COLUMNS
    assert len(rows) == 3  # A2 is done: not exported
    first = dict(zip(JIRA_COLUMNS, rows[1], strict=False))
    assert first["Summary"] == "Add query-count middleware to CI"
    assert first["Assignee"] == "platform-sre"
    assert first["Due Date"] == "2026-01-28"
    assert first["Priority"] == "High"
    assert rows[1][5:7] == ["postmortem", "inc-2026-0114"]
    assert rows[1][7:] == ["INC-2026-0114", "PLAT-892", "A1"]
    assert "Closes contributing factor(s): 1" in first["Description"]
    assert rows[2][0].startswith("'=HYPERLINK(")  # formula neutralised
    assert rows[2][2] == "dba-lead"  # a chat-style @handle becomes a user name


@settings(max_examples=60, deadline=None)
@given(postmortems())
def test_jira_csv_parses_back_to_the_same_cells(pm: Postmortem) -> None:
    expected = [[guard_cell(value) for value in row] for row in jira_rows(pm)]
    assert read_csv(to_jira_csv(pm)) == expected
    for row in expected[1:]:
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_summary_is_one_line_and_bounded() -> None:
    pm = Postmortem.model_validate(
        {"id": "INC-2026-0001", "action_items": [{"description": "a\nb " + "x" * 400}]}
    )
    summary = read_csv(to_jira_csv(pm))[1][0]
    assert "\n" not in summary
    assert len(summary) == 255
    empty = Postmortem.model_validate({"id": "INC-2026-0001", "action_items": [{}]})
    assert read_csv(to_jira_csv(empty))[1][0] == "INC-2026-0001 action item A1"


@pytest.mark.parametrize(
    "owner,login",
    [
        ("octocat", "octocat"),
        ("@octo-cat", "octo-cat"),
        ("two words", None),
        ("a--b", None),
        ("-x", None),
        ("platform team", None),
        ("x" * 40, None),
    ],
)
def test_github_login(owner: str, login: str | None) -> None:
    assert github_login(owner) == login


@pytest.fixture
def fake_gh(tmp_path: Path) -> Callable[[str], list[list[str]]]:
    if shutil.which("sh") is None:
        pytest.skip("no POSIX sh")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH, encoding="utf-8")
    gh.chmod(0o755)
    log = tmp_path / "gh.log"

    def run(script: str) -> list[list[str]]:
        path = tmp_path / "issues.sh"
        path.write_text(script, encoding="utf-8")
        log.write_bytes(b"")
        env = {
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "GH_LOG": str(log),
        }
        result = subprocess.run(
            ["sh", str(path)], env=env, capture_output=True, timeout=20, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr.decode()
        records = log.read_bytes().decode("utf-8").split("\0\0")
        return [record.split("\0") for record in records if record]

    return run


def test_gh_script_passes_hostile_text_as_single_arguments(
    fake_gh: Callable[[str], list[list[str]]], tmp_path: Path
) -> None:
    hostile = [clean_text(h) for h in HOSTILE]
    items = [
        {"description": h, "owner": "octocat", "ticket": h, "id": f"A{n}"}
        for n, h in enumerate(hostile, start=1)
    ]
    pm = Postmortem.model_validate(
        {"id": "INC-2026-0001", "title": "t\n$(x)", "action_items": items}
    )
    calls = fake_gh(to_gh_script(pm, repo="owner/repo"))
    assert calls[0][:3] == ["label", "create", "postmortem"]
    issues = calls[1:]
    assert len(issues) == len(items)
    for call, item in zip(issues, pm.action_items, strict=True):
        assert call[:3] == ["issue", "create", "--repo=owner/repo"]
        assert call[3] == "--title=" + (
            " ".join(item.description.split()) or f"{pm.id} action item {item.id}"
        )
        assert call[4] == "--body=" + issue_body(pm, item)
        assert call[5:] == ["--assignee=octocat", "--label=postmortem"]
    assert not (tmp_path / "pwned").exists()


@settings(max_examples=25, deadline=None)
@given(pm=postmortems())
def test_gh_script_is_valid_sh_for_any_document(pm: Postmortem) -> None:
    if shutil.which("sh") is None:
        pytest.skip("no POSIX sh")
    result = subprocess.run(["sh", "-n"], input=to_gh_script(pm).encode(), capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
    comments = [line for line in to_gh_script(pm).splitlines() if line.startswith("#")]
    assert comments[0] == "#!/bin/sh"


def test_gh_script_skips_done_items_and_names_them(
    rich_pm: Postmortem, fake_gh: Callable[[str], list[list[str]]]
) -> None:
    script = to_gh_script(rich_pm)
    assert script.startswith("#!/bin/sh\n# Action items of postmortem INC-2026-0114")
    assert "\nset -eu\n" in script
    assert "# A2 skipped: done on 2026-01-18" in script
    assert "# contributing factor 3 skipped: deferred, no action item" in script
    calls = fake_gh(script)
    titles = [arg for call in calls for arg in call if arg.startswith("--title=")]
    assert titles == [
        "--title=Add query-count middleware to CI",
        '--title==HYPERLINK("http://x") review pool sizing',
    ]
    assignees = [arg for call in calls for arg in call if arg.startswith("--assignee=")]
    assert assignees == ["--assignee=platform-sre", "--assignee=dba-lead"]


def test_owner_that_is_not_a_login_goes_in_the_body(
    fake_gh: Callable[[str], list[list[str]]],
) -> None:
    pm = Postmortem.model_validate(
        {"id": "INC-2026-0001", "action_items": [{"description": "x", "owner": "DB team"}]}
    )
    (_, call) = fake_gh(to_gh_script(pm))
    assert not any(arg.startswith("--assignee") for arg in call)
    assert "Owner: DB team" in call[3]


def test_tracker_golden(rich_pm: Postmortem, golden: Callable[[str, str], None]) -> None:
    golden("rich.jira.csv", to_jira_csv(rich_pm))
    golden("rich.gh.sh", to_gh_script(rich_pm, repo="acme/payments"))
