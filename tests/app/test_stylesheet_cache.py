"""The stylesheet cache: a start reads back the rules the last start parsed, and nothing else.

It must never change how the app looks: an entry is used only for the very CSS text, place
and theme it was parsed from, and a file that is missing, damaged, foreign or unwritable
costs a parse, never an error.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import textual.css.stylesheet as textual_stylesheet
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.css.stylesheet import Stylesheet

from pmtui import app as app_module
from pmtui.app import PmtuiApp, run_app
from pmtui.stylesheet_cache import StylesheetCache, default_cache_path, prime, textual_stamp

MakeApp = Callable[..., PmtuiApp]
VARIABLES = {"primary": "#004578", "error": "#ba3c5b", "text": "#e0e0e0"}
WHERE = ("/somewhere/app.tcss", "")


@pytest.fixture(autouse=True)
def _parse_as_the_app_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual's own parse and parse cache, not the suite's process-wide one (conftest)."""
    shared = Stylesheet._parse_rules
    monkeypatch.setattr(Stylesheet, "_parse_rules", getattr(shared, "__wrapped__", shared))


@contextmanager
def counting_parses() -> Iterator[list[object]]:
    """The place each CSS source is parsed from while inside (a cache hit is no parse)."""
    parsed: list[object] = []
    original = textual_stylesheet.parse

    def parse(scope: str, css: str, read_from: object, **kwargs: Any) -> Any:
        parsed.append(read_from)
        return original(scope, css, read_from, **kwargs)

    textual_stylesheet.parse = parse  # type: ignore[assignment]
    try:
        yield parsed
    finally:
        textual_stylesheet.parse = original  # type: ignore[assignment]


def rules_of(stylesheet: Stylesheet) -> list[tuple[object, ...]]:
    """Each rule set's selectors, declarations and precedence, in order (a layout has no
    equality but its repr)."""
    return [
        (
            repr(rule.selector_set),
            repr(rule.styles.get_rules()),
            rule.is_default_rules,
            rule.tie_breaker,
        )
        for rule in stylesheet.rules
    ]


def start(cache: StylesheetCache, css: str, variables: dict[str, str] = VARIABLES) -> Stylesheet:
    """What the app does with a stylesheet: seed it, parse its source, note the parse."""
    stylesheet = Stylesheet(variables=variables)
    cache.seed(stylesheet)
    stylesheet.add_source(css, read_from=WHERE)
    stylesheet.parse()
    cache.note_first_frame(stylesheet)
    return stylesheet


def parsed_fresh(css: str, variables: dict[str, str] = VARIABLES) -> Stylesheet:
    stylesheet = Stylesheet(variables=variables)
    stylesheet.add_source(css, read_from=WHERE)
    stylesheet.parse()
    return stylesheet


SELECTORS = [
    "Screen",
    "#title",
    ".chip",
    "Static",
    "#home > .chip",
    "Horizontal Static",
    ".chip:focus",
    "Input.-invalid",
]
DECLARATIONS = [
    "height: 1;",
    "height: 3;",
    "width: 1fr;",
    "color: $primary;",
    "background: $error 20%;",
    "padding: 0 1;",
    "display: none;",
    "text-style: bold;",
    "border: tall $primary;",
    "margin: 1 2;",
]
css_texts = st.lists(
    st.tuples(st.sampled_from(SELECTORS), st.lists(st.sampled_from(DECLARATIONS), max_size=4)),
    min_size=1,
    max_size=6,
).map(lambda rules: "\n".join(f"{sel} {{ {' '.join(decls)} }}" for sel, decls in rules))


@settings(max_examples=40, deadline=None)
@given(cached=css_texts, now=css_texts)
def test_a_start_gets_the_rules_a_fresh_parse_gives(
    tmp_path_factory: pytest.TempPathFactory, cached: str, now: str
) -> None:
    path = tmp_path_factory.mktemp("cache") / "rules.pickle"
    first = StylesheetCache(path)
    start(first, cached)
    assert first.save(force=True)
    with counting_parses() as parses:
        stylesheet = start(StylesheetCache(path), now)
    assert rules_of(stylesheet) == rules_of(parsed_fresh(now))
    # The very same text is read back; edited text (same place) is parsed.
    assert parses == ([] if now == cached else [WHERE])


def test_rules_parsed_under_another_theme_are_not_used(tmp_path: Path) -> None:
    path = tmp_path / "rules.pickle"
    css = "#title { color: $primary; }"
    first = StylesheetCache(path)
    start(first, css)
    assert first.save(force=True)
    light = {**VARIABLES, "primary": "#ffffff"}
    with counting_parses() as parses:
        stylesheet = start(StylesheetCache(path), css, light)
    assert parses == [WHERE]
    assert rules_of(stylesheet) == rules_of(parsed_fresh(css, light))
    assert rules_of(stylesheet) != rules_of(parsed_fresh(css))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a pickle at all",
        pickle.dumps("a string")[:-3],  # truncated
        pickle.dumps(["header", "entries", "extra"]),
        pickle.dumps(((1, "0.0.1", sys.implementation.cache_tag, VARIABLES), {})),
        pickle.dumps(("header", {("key",): "not a list"})),
    ],
    ids=["empty", "garbage", "truncated", "wrong shape", "another Textual", "wrong entries"],
)
def test_a_damaged_or_foreign_file_is_parsed_past_and_replaced(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "rules.pickle"
    path.write_bytes(content)
    css = "#title { height: 1; }"
    cache = StylesheetCache(path)
    with counting_parses() as parses:
        stylesheet = start(cache, css)
    assert parses == [WHERE]
    assert rules_of(stylesheet) == rules_of(parsed_fresh(css))
    assert cache.save(force=True)
    with counting_parses() as parses:
        start(StylesheetCache(path), css)
    assert parses == []


def test_a_file_of_another_textual_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rules.pickle"
    css = "#title { height: 1; }"
    first = StylesheetCache(path)
    start(first, css)
    assert first.save(force=True)
    upgraded = ((name, when + 1, size) for name, when, size in textual_stamp() or ())
    monkeypatch.setattr("pmtui.stylesheet_cache.textual_stamp", lambda: tuple(upgraded))
    with counting_parses() as parses:
        start(StylesheetCache(path), css)
    assert parses == [WHERE]
    # Where Textual's modules cannot be looked at, there is no cache at all.
    monkeypatch.setattr("pmtui.stylesheet_cache.textual_stamp", lambda: None)
    blind = StylesheetCache(path)
    with counting_parses() as parses:
        start(blind, css)
    assert parses == [WHERE]
    assert blind.save(force=True) is False


def test_saving_what_was_read_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "rules.pickle"
    first = StylesheetCache(path)
    start(first, "#a { height: 1; }")
    assert first.save(force=True)
    written = path.stat().st_mtime_ns
    again = StylesheetCache(path)
    start(again, "#a { height: 1; }")
    assert not again.save(force=True)
    assert path.stat().st_mtime_ns == written
    # A start that parsed something new keeps the old entries beside it.
    other = StylesheetCache(path)
    start(other, "#b { height: 2; }")
    assert other.save(force=True)
    for css in ("#a { height: 1; }", "#b { height: 2; }"):
        with counting_parses() as parses:
            start(StylesheetCache(path), css)
        assert parses == []


def test_an_unwritable_place_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("in the way")
    cache = StylesheetCache(blocker / "__pycache__" / "rules.pickle")
    start(cache, "#a { height: 1; }")
    assert cache.save(force=True) is False
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a file"]


def test_nothing_is_written_where_python_writes_no_bytecode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rules.pickle"
    cache = StylesheetCache(path)
    start(cache, "#a { height: 1; }")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert cache.save() is False
    assert not path.exists()
    assert cache.save(force=True)  # as compileall (and `make run`) write bytecode anyway
    assert [p.name for p in tmp_path.iterdir()] == ["rules.pickle"]  # no temporary left


def test_the_cache_lives_beside_the_bytecode(monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_cache_path().parent == Path(app_module.__file__).parent / "__pycache__"
    monkeypatch.setattr(sys, "pycache_prefix", "/elsewhere")
    assert default_cache_path().is_relative_to("/elsewhere")


async def test_the_app_looks_the_same_with_the_cache(
    make_test_app: MakeApp, tmp_path: Path
) -> None:
    """Home with its rules read back is Home parsed afresh, to the last styled cell."""
    path = tmp_path / "rules.pickle"
    first = StylesheetCache(path)
    async with make_test_app(stylesheet_cache=first).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
    assert first.save(force=True)

    screens = []
    for cache in (StylesheetCache(path), None):
        app = make_test_app(stylesheet_cache=cache)
        with counting_parses() as parses:
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                screens.append(app.export_screenshot())
                rules = rules_of(app.stylesheet)
        if cache is not None:
            assert parses == []  # every rule of Home's start came from the file
            cached_rules = rules
        else:
            assert str(PmtuiApp.CSS_PATH) in {where for where, _ in parses}  # type: ignore[misc]
    assert rules == cached_rules
    assert screens[0] == screens[1]


def test_run_app_writes_the_cache_for_the_next_start(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "__pycache__" / "rules.pickle"
    monkeypatch.setattr(app_module, "default_cache_path", lambda: path)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    run = PmtuiApp.run

    async def to_first_frame(pilot: Any) -> None:
        await pilot.pause()
        pilot.app.exit()

    def headless(self: PmtuiApp, **kwargs: Any) -> Any:
        return run(self, headless=True, size=(100, 30), auto_pilot=to_first_frame)

    monkeypatch.setattr(PmtuiApp, "run", headless)
    assert run_app(sample_db) == 0
    _, entries = pickle.loads(path.read_bytes())
    assert any(where == (str(PmtuiApp.CSS_PATH), "") for _, where, *_ in entries)


def test_prime_writes_what_a_start_needs(tmp_path: Path) -> None:
    path = tmp_path / "rules.pickle"
    assert prime(path)
    _, entries = pickle.loads(path.read_bytes())
    sources = {where[1] for _, where, *_ in entries}
    assert {"", "QuietFooter.DEFAULT_CSS", "Tooltip.DEFAULT_CSS"} <= sources
