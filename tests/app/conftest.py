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

    parse_rules.__wrapped__ = original  # type: ignore[attr-defined]  # test_stylesheet_cache
    Stylesheet._parse_rules = parse_rules  # type: ignore[method-assign]
    yield
    Stylesheet._parse_rules = original  # type: ignore[method-assign]


def screen_text(app: PmtuiApp) -> str:
    """Every character the active screen shows, line by line (what a person reads)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


class FirstWholeFrame:
    """Keeps the text of the first whole frame the app draws of a ``screen_type`` screen.

    ``held`` counts whole frames of it drawn while the app held updates: Textual throws
    those away, and the terminal shows none of them.
    """

    def __init__(self, app: PmtuiApp, screen_type: type) -> None:
        from textual._compositor import LayoutUpdate

        self.text: str | None = None
        self.held = 0
        display = app._display

        def keep_first(screen: object, update: object) -> None:
            display(screen, update)  # type: ignore[arg-type]
            whole = isinstance(update, LayoutUpdate) and isinstance(screen, screen_type)
            if whole and self.text is None:
                if app._batch_count:
                    self.held += 1
                else:
                    self.text = "\n".join(
                        "".join(s.text for s in line)
                        for line in update.strips  # type: ignore[union-attr]
                    )

        app._display = keep_first  # type: ignore[method-assign]
