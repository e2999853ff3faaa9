"""The domain imports neither Textual nor the store: the rules are pure."""

from __future__ import annotations

import subprocess
import sys

MODULES = [
    "pmtui.domain.rules",
    "pmtui.domain.findings",
    "pmtui.domain.lint",
    "pmtui.domain.vocabulary",
    "pmtui.domain.severity",
    "pmtui.domain.budget",
    "pmtui.domain.metrics",
]


def test_rules_import_no_ui_and_no_storage():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in MODULES)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'sqlite_utils'}"
        " or m.startswith(('pmtui.store', 'pmtui.screens', 'pmtui.widgets', 'pmtui.cli')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
