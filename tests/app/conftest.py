"""Fixtures for Pilot tests: a fresh copy of the sample database and an app on it.

The sample is built once per test session (it is deterministic) and copied for each
test, so tests can edit freely. The clock is frozen so deadlines and "saved at" are
stable.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pmtui.app import APP_BUSY_TIMEOUT_S, PmtuiApp
from pmtui.sample import build_sample_database
from pmtui.store import Store

NOW = dt.datetime(2026, 11, 29, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def sample_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    build_sample_database(path)
    return path


@pytest.fixture
def sample_db(sample_master: Path, tmp_path: Path) -> Path:
    path = tmp_path / "pmtui.db"
    shutil.copy(sample_master, path)
    return path


@pytest.fixture
def make_test_app(sample_db: Path) -> Callable[..., PmtuiApp]:
    """Build apps on the sample copy (or on ``path``), with a frozen clock."""
    stores: list[Store] = []

    def build(path: Path | None = None, **kwargs: object) -> PmtuiApp:
        store = Store.open(
            path or sample_db, create=True, clock=lambda: NOW, timeout=APP_BUSY_TIMEOUT_S
        )
        stores.append(store)
        app = PmtuiApp(store, **kwargs)  # type: ignore[arg-type]
        return app

    yield build
    for store in stores:
        store.close()


def reopen(path: Path) -> Store:
    """A second, independent handle on the file: what another terminal (or a restart) sees."""
    return Store.open(path, clock=lambda: NOW)


@pytest.fixture(autouse=True, scope="session")
def _share_parsed_css() -> None:
    """Parse each stylesheet source once per test process, not once per app.

    Every Pilot test builds a new App, and each App parses all of Textual's and pmtui's
    CSS from scratch (a noticeable share of each test). Parsing is a pure function of
    the source text, its location, its scope and the theme variables, so a process-wide
    cache keyed on exactly those gives every app the same rules it would have parsed.
    """
    from textual.css.stylesheet import Stylesheet

    original = Stylesheet._parse_rules
    shared: dict[tuple[object, ...], list[object]] = {}

    def parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):  # type: ignore[no-untyped-def]
        key = (
            css,
            read_from,
            is_default_rules,
            tie_breaker,
            scope,
            tuple(sorted(self._variables.items())),
        )
        if key not in shared:
            shared[key] = original(self, css, read_from, is_default_rules, tie_breaker, scope)
        return shared[key]

    Stylesheet._parse_rules = parse_rules  # type: ignore[method-assign]
    yield
    Stylesheet._parse_rules = original  # type: ignore[method-assign]


def screen_text(app: PmtuiApp) -> str:
    """Every character the active screen shows, line by line (what a person reads)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
