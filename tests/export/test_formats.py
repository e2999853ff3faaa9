"""Tests the format registry and that the export package stays pure (domain only)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pmtui.domain.errors import PmtuiError
from pmtui.domain.models import Postmortem
from pmtui.export.files import TargetExists
from pmtui.export.formats import FORMATS, UnknownFormat, export_to_directory, get_format, render
from pmtui.export.json_io import parse_postmortem_json
from pmtui.export.yaml_io import parse_postmortem_yaml


def test_registry_has_the_briefs_formats() -> None:
    assert {"yaml", "json", "md", "html", "coe"} <= set(FORMATS)
    assert {name: f.extension for name, f in FORMATS.items()} == {
        "yaml": "yaml",
        "json": "json",
        "md": "md",
        "html": "html",
        "coe": "coe.md",
        "jira": "jira.csv",
        "gh": "gh.sh",
    }


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_renders_and_writes(name: str, rich_pm: Postmortem, tmp_path: Path) -> None:
    text = render(rich_pm, name)
    assert text.endswith("\n")
    path = export_to_directory(rich_pm, name, tmp_path)
    assert path.name == f"INC-2026-0114.{FORMATS[name].extension}"
    assert path.read_bytes() == text.encode("utf-8")
    with pytest.raises(TargetExists):
        export_to_directory(rich_pm, name, tmp_path)
    export_to_directory(rich_pm, name, tmp_path, overwrite=True)


def test_structured_formats_read_back(rich_pm: Postmortem) -> None:
    assert parse_postmortem_yaml(render(rich_pm, "yaml")) == rich_pm
    assert parse_postmortem_json(render(rich_pm, "json")) == rich_pm


def test_unknown_format_is_a_user_error() -> None:
    with pytest.raises(UnknownFormat) as caught:
        get_format("docx")
    assert isinstance(caught.value, PmtuiError)
    assert "use one of yaml, json, md, html, coe" in str(caught.value)
    assert get_format(" MD ") is FORMATS["md"]


def test_export_package_imports_only_the_domain() -> None:
    code = (
        "import sys, pmtui.export, pmtui.export.formats;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', "
        "'sqlite_utils', 'pyperclip') or m.startswith(('pmtui.store', 'pmtui.cli', "
        "'pmtui.screens', 'pmtui.widgets', 'pmtui.app')));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
