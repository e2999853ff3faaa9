"""``pmtui screenshots``: every screen as a valid SVG of the sample data, the same every run."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmtui import screenshots
from pmtui.cli import cli
from pmtui.screenshots import DONE, DRAFT, SHOTS, take_screenshots

# What each capture must show, beyond its postmortem's id: proof it rendered the sample.
ANCHORS = {
    "01-home": ["Postmortems", "sample.db", DRAFT, DONE, "INC-2025-0804"],
    "04-past": ["broker-failover", "INC-2025-0804"],
    "10-review": ["G-FACTORS-MIN", "cannot", "complete"],
    "11-review-published": ["Published", "2026-01-20", "within", "deadline"],
    "12-timeline-walk": ["entry", "07:50"],
    "13-close-chain": ["systemic", "property"],
    "14-past-recurrence": ["improve", "CI", "coverage", "Never", "completed"],
    "15-search": ["INC-2026-"],
    "16-dashboard": ["payments"],
    "17-failure-classes": ["n+1-query"],
}


def svg_text(path: Path) -> str:
    """The SVG parsed (so it is well-formed) and its text, spaces as spaces."""
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return " ".join("".join(node.itertext()) for node in root.iter()).replace("\xa0", " ")


def test_screenshots_writes_every_screen_as_svg_of_the_sample(tmp_path: Path) -> None:
    out = tmp_path / "screens"
    result = CliRunner().invoke(cli, ["screenshots", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{shot.name}.svg" for shot in SHOTS)
    for shot in SHOTS:
        text = svg_text(out / f"{shot.name}.svg")
        if shot.ident is not None:
            assert shot.ident in text, shot.name
        for anchor in ANCHORS.get(shot.name, []):
            assert anchor in text, (shot.name, anchor)
        assert "pmtui — " in text  # the window title names the screen

    # Deterministic: a second run (other wall-clock time, other temporary database)
    # writes the same bytes.
    again = take_screenshots(tmp_path / "again", shots=(SHOTS[0], SHOTS[9], SHOTS[10]))
    assert [p.name for p in again] == ["01-home.svg", "10-review.svg", "11-review-published.svg"]
    for path in again:
        assert path.read_bytes() == (out / path.name).read_bytes(), path.name


def test_default_directory_is_screens_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(screenshots, "SHOTS", screenshots.SHOTS[:1])  # quick: one screen
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["screenshots"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "screens").iterdir()] == ["01-home.svg"]
    assert Path.cwd() == tmp_path  # the command put the working directory back
