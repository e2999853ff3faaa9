"""Provides where pmtui keeps its files: the default database and its backups.

The default follows the XDG base directories; ``--db`` and ``PMTUI_DB`` override it.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_DB = "PMTUI_DB"


def data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "pmtui"


def default_db_path() -> Path:
    """``$PMTUI_DB`` if set, else ``$XDG_DATA_HOME/pmtui/pmtui.db`` (~/.local/share/...)."""
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    return data_dir() / "pmtui.db"


def log_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "pmtui"
