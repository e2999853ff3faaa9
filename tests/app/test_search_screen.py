"""Pilot tests of the Search screen: typed queries, ranking, highlights, filters, T27–T30."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, Select, Static

from pmtui.app import PmtuiApp
from pmtui.screens.search import MATCH_STYLE, SearchScreen, hit_prompt
from tests.app.conftest import reopen, screen_text

HOSTILE = ["[/]", "[/", "[bold]x", "[@click=app.quit]q[/]"]
MakeApp = Callable[..., PmtuiApp]


async def open_search(app: PmtuiApp, pilot: object) -> SearchScreen:
    await pilot.press("s")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    return screen


async def settled(screen: SearchScreen, pilot: object) -> None:
    """Run the search the debounce timer has scheduled, now, instead of waiting for it."""
    await pilot.pause()  # type: ignore[attr-defined]  # let Changed events schedule it
    if screen._timer is not None:
        screen._timer.stop()
        screen.run_search()
    await pilot.pause()  # type: ignore[attr-defined]


async def search(screen: SearchScreen, pilot: object, text: str) -> None:
    """Set the box (keystrokes themselves are tested once) and let the search run."""
    screen.query_input.value = text
    await settled(screen, pilot)


async def test_typing_shows_ranked_hits_with_highlights(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_search(app, pilot)
        await pilot.press(*"certificate")
        await settled(screen, pilot)
        assert screen.hits[0].id == "INC-2026-0307"
        assert "INC-2026-0307" in screen_text(app)
        option = screen.results.get_option_at_index(0)
        prompt = option.prompt
        spans = [s for s in prompt.spans if str(s.style) == MATCH_STYLE]
        assert spans and all(
            prompt.plain[s.start : s.end].lower().startswith("certificate") for s in spans
        )


async def test_title_match_ranks_above_body_match(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_search(app, pilot)
        # "ORM" is in INC-2025-0804's title; other documents mention it only in passing.
        await search(screen, pilot, "ORM")
        assert screen.hits[0].id == "INC-2025-0804"


# T27 (RELIABILITY.md)
@pytest.mark.parametrize(
    "query", ['"', "AND(", "c++", "a:b", "", "   ", "*", 'foo"', "NOT", "\x00", *HOSTILE]
)
async def test_hostile_queries_typed_never_crash(make_test_app: MakeApp, query: str) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_search(app, pilot)
        await search(screen, pilot, query)
        assert app.is_running
        assert isinstance(screen.hits, list)
        assert screen.last_error is None


# T27 (RELIABILITY.md)
async def test_keystrokes_of_a_hostile_query(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_search(app, pilot)
        await pilot.press(*'AND("c++')
        await settled(screen, pilot)
        assert app.is_running and screen.query_input.value == 'AND("c++'


async def test_advanced_syntax_error_is_inline_and_keeps_results(make_test_app: MakeApp) -> None:
    """T30."""
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_search(app, pilot)
        await search(screen, pilot, "certificate")
        before = [h.id for h in screen.hits]
        assert before
        await pilot.press("ctrl+t")
        assert screen.advanced
        await search(screen, pilot, "(a OR")
        message = str(app.screen.query_one("#search-message", Static).render())
        assert "invalid search syntax" in message
        assert [h.id for h in screen.hits] == before
        assert screen.results.option_count == len(before)
        assert app.is_running
        await search(screen, pilot, "certificate NOT login")
        assert screen.last_error is None


async def test_filters_narrow_the_results(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(app, pilot)
        await search(screen, pilot, "")
        assert len(screen.hits) == 7
        screen.query_one("#search-kind", Select).value = "near-miss"
        await settled(screen, pilot)
        assert [h.id for h in screen.hits] == ["NM-2026-0003"]
        await pilot.press("escape", "s")  # leave and come back: filters kept
        await pilot.pause()
        screen.query_one("#search-kind", Select).clear()
        screen.query_one("#search-class", Select).value = "n+1-query"
        screen.query_one("#search-since", Input).value = "2026-01-01"
        await settled(screen, pilot)
        assert [h.id for h in screen.hits] == ["INC-2026-0114"]
        screen.query_one("#search-since", Input).value = "2026-13"  # being typed: ignored
        await settled(screen, pilot)
        assert {h.id for h in screen.hits} == {"INC-2026-0114", "INC-2025-0804"}
        message = str(screen.query_one("#search-message", Static).render())
        assert 'since "2026-13" is not a date (YYYY-MM-DD), ignored' in message
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert len(screen.hits) == 7


async def test_enter_opens_the_postmortem(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_search(app, pilot)
        await search(screen, pilot, "tokenisation")
        await pilot.press("enter")  # the query box's enter moves to the results
        await pilot.pause()
        assert screen.results.has_focus
        await pilot.press("enter")
        await pilot.pause()
        assert app.session is not None and app.session.ident == "INC-2026-0219"
        assert app.current_mode == "setup"


# T18 (RELIABILITY.md)
async def test_user_text_renders_literally(make_test_app: MakeApp, sample_db: object) -> None:
    store = reopen(sample_db)  # type: ignore[arg-type]
    pm = store.load("INC-2026-0412")
    store.reopen(pm.id)
    pm = store.load(pm.id)
    store.set_field(pm.id, "title", "Markup " + " ".join(HOSTILE), version=pm.version)
    store.close()
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(app, pilot)
        await search(screen, pilot, "markup")
        text = screen_text(app)
        for hostile in HOSTILE:
            assert hostile in text
        await pilot.click("#search-results")
        assert app.is_running


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=st.text(max_size=30))
def test_fuzzed_prompts_render(query: str) -> None:
    """T29 for the rendering half: any hit text and spans make a prompt."""
    from pmtui.store import SearchHit

    hit = SearchHit(
        "INC-2026-0001", query, "incident", None, "draft", query, "", None, query,
        ((0, len(query)),), (query,) if query else (),
    )  # fmt: skip
    assert hit_prompt(hit).plain


async def test_fuzzed_search_box(make_test_app: MakeApp) -> None:
    """T29 through the screen: random text, symbols and control characters in the box."""
    import random

    rng = random.Random(29)
    alphabet = 'abc "*():^-+\\[]/@=\x00\x1b\t\n\u202eéß漢🙂NEARORANDNOT'
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_search(app, pilot)
        for advanced in (False, True):
            screen.advanced = advanced
            for _ in range(40):
                screen.query_input.value = "".join(
                    rng.choice(alphabet) for _ in range(rng.randint(0, 12))
                )
                screen.run_search()
                assert isinstance(screen.hits, list)
            await pilot.pause()
        assert app.is_running
