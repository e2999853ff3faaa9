"""The layers: domain imports neither UI nor storage; store and export import no Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest


def loaded_after(imports: list[str]) -> set[str]:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in imports)
        + ("print('\\n'.join(sorted(sys.modules)))\n")
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


@pytest.mark.parametrize(
    ("imports", "forbidden"),
    [
        (
            [
                "pmtui.domain.models",
                "pmtui.domain.rules",
                "pmtui.domain.budget",
                "pmtui.domain.metrics",
                "pmtui.domain.severity",
            ],
            (
                "textual",
                "sqlite_utils",
                "pmtui.store",
                "pmtui.export",
                "pmtui.screens",
                "pmtui.app",
            ),
        ),
        (["pmtui.store"], ("textual", "pmtui.export", "pmtui.screens", "pmtui.app", "pmtui.cli")),
        (
            ["pmtui.export.formats", "pmtui.export.yaml_io"],
            ("textual", "sqlite_utils", "pmtui.store", "pmtui.screens", "pmtui.app"),
        ),
        (["pmtui.session", "pmtui.steps", "pmtui.transfer"], ("textual",)),
    ],
    ids=["domain", "store", "export", "session"],
)
def test_layer_imports_nothing_above_it(imports: list[str], forbidden: tuple[str, ...]) -> None:
    modules = loaded_after(imports)
    leaks = sorted(m for m in modules if m.split(".")[0] in forbidden or m.startswith(forbidden))
    assert leaks == []


def test_cli_help_does_not_load_textual() -> None:
    """`pmtui list` and friends start fast: the app is imported only to run it."""
    modules = loaded_after(["pmtui.cli"])
    assert not any(m.startswith("textual") for m in modules)
