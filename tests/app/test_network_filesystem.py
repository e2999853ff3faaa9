"""T09 in the app: a database on a network filesystem is named as such when the app starts.

The filesystem check itself (NFS, SMB/CIFS, 9p and WSL's drvfs, sshfs; the longest mount
point wins; escaped spaces) is unit-tested on faked /proc/mounts text in
tests/store/test_opening.py.

What is not automated, and why: opening a database that really sits on NFS, SMB, 9p or a
WSL↔Windows path. That needs a server or a kernel mount (root, a network, or WSL itself),
which neither this machine nor CI has; and the failure the warning is about (two hosts'
WAL index out of step) cannot be produced on one host anyway. The faked mount table is
the same text the kernel would give, read by the same code.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pmtui.app import PmtuiApp
from pmtui.store import connection as connection_module

MakeApp = Callable[..., PmtuiApp]


# T09: the startup warning, in the app, for each kind of network filesystem.
@pytest.mark.parametrize("fstype", ["nfs4", "cifs", "9p", "drvfs"])
async def test_the_app_warns_at_start_on_a_network_filesystem(
    make_test_app: MakeApp, sample_db: Path, monkeypatch: pytest.MonkeyPatch, fstype: str
) -> None:
    monkeypatch.setattr(connection_module, "filesystem_type", lambda path, mounts=None: fstype)
    app = make_test_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        warnings = [str(n.message) for n in app._notifications if n.severity == "warning"]
        assert any("network filesystem" in w and fstype in w for w in warnings), warnings
        assert any("local disk" in w for w in warnings)
        assert not app.store.readonly  # a warning, not a refusal


# T09 (RELIABILITY.md)
async def test_no_warning_on_a_local_disk(
    make_test_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection_module, "filesystem_type", lambda path, mounts=None: "ext4")
    app = make_test_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert not any("network filesystem" in str(n.message) for n in app._notifications)
