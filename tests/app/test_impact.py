"""Pilot tests of the Impact step: figures validated as typed, the error budget beside them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pmtui.app import PmtuiApp
from pmtui.domain.budget import EXHAUSTED_POLICY
from pmtui.screens.impact import ImpactScreen
from pmtui.widgets.budget_panel import BudgetPanel, budget_view
from pmtui.widgets.field import FieldEditor
from tests.app.conftest import reopen, screen_text

DRAFT = "INC-2026-1126"  # notifications, 99.9 % over 30 days: 43.2 min < 72 min consumed
ARTICLE = "INC-2026-0114"  # payments, 99.9 % over 90 days: 129.6 min, 23 consumed
SECOND = "INC-2026-0219"  # payments: 51 min, with INC-2026-0114's 23 in its window
HOSTILE = ["[/]", "[/", "[bold]x", "[@click=app.quit]q[/]"]

MakeApp = Callable[..., PmtuiApp]


def panel_text(app: PmtuiApp) -> str:
    return app.screen.query_one(BudgetPanel).render().plain


def stored_impact(path: Path, ident: str = DRAFT) -> dict[str, object]:
    store = reopen(path)
    try:
        return store.load(ident).impact.model_dump()
    finally:
        store.close()


async def open_impact(app: PmtuiApp, pilot: object) -> ImpactScreen:
    app.go("impact")
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, ImpactScreen)
    return screen


def editor(app: PmtuiApp, field: str) -> FieldEditor:
    return next(e for e in app.screen.query(FieldEditor) if e.field == f"impact.{field}")


async def test_a_bad_figure_shows_why_as_you_type_and_is_not_saved(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_impact(app, pilot)
        duration = editor(app, "duration_minutes")
        duration.input.focus()
        await pilot.press("end", "x")
        await pilot.pause()
        assert duration.value == "72x"
        assert duration.has_class("-invalid")
        assert '"72x" is not a number' in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        duration.input.value = "7.5"
        await pilot.pause()
        assert "is not a whole number" in screen_text(app)
        await pilot.press("enter", "tab")  # leaving the field does not save it either
        await pilot.pause()
        budget = editor(app, "slo_budget_consumed_minutes")
        budget.input.value = "-3"
        await pilot.pause()
        assert "-3 is negative" in screen_text(app)
        budget.input.focus()
        await pilot.press("enter")
        await pilot.pause()
    impact = stored_impact(sample_db)
    assert impact["duration_minutes"] == 72
    assert impact["slo_budget_consumed_minutes"] == 72


async def test_good_figures_are_saved_and_the_budget_follows(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_impact(app, pilot)
        assert screen.budget_panel.exhausted
        for field, value in (
            ("duration_minutes", "70"),
            ("error_rate_peak", "notifications delayed by up to 68 minutes"),
            ("affected_users_estimate", "~11000"),
            ("slo_budget_consumed_minutes", "30.5"),
        ):
            field_editor = editor(app, field)
            field_editor.input.focus()
            field_editor.input.value = value
            await pilot.press("enter")
            await pilot.pause()
            assert not field_editor.has_class("-invalid")
        text = panel_text(app)
        assert "this incident    30.5 min" in text
        assert "remaining        12.7 min (29.4 %)" in text
        assert not screen.budget_panel.exhausted
        assert EXHAUSTED_POLICY not in text
    assert stored_impact(sample_db) == {
        "duration_minutes": 70,
        "error_rate_peak": "notifications delayed by up to 68 minutes",
        "affected_users_estimate": "~11000",
        "slo_budget_consumed_minutes": 30.5,
    }


async def test_emptying_a_figure_clears_it(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_impact(app, pilot)
        for field in ("slo_budget_consumed_minutes", "error_rate_peak"):
            field_editor = editor(app, field)
            field_editor.input.focus()
            field_editor.input.value = ""
            await pilot.press("enter")
            await pilot.pause()
        text = panel_text(app)
        assert "no budget minutes recorded yet for INC-2026-1126" in text
        assert "this incident    0 min" in text
    impact = stored_impact(sample_db)
    assert impact["slo_budget_consumed_minutes"] is None
    assert impact["error_rate_peak"] == ""


async def test_the_budget_of_the_articles_second_incident(make_test_app: MakeApp) -> None:
    app = make_test_app(open_id=SECOND)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_impact(app, pilot)
        text = panel_text(app)
        assert "Error budget · payments · SLO 99.9 % · 90-day window" in text
        assert "ending 2026-02-19 09:56 UTC (restoration)" in text
        assert "budget           129.6 min" in text
        assert "other incidents  23 min (INC-2026-0114)" in text
        assert "this incident    51 min" in text
        assert "remaining        55.6 min (42.9 %)" in text
        assert not screen.budget_panel.exhausted
        assert EXHAUSTED_POLICY not in screen_text(app)


async def test_the_budget_of_the_articles_incident(make_test_app: MakeApp) -> None:
    app = make_test_app(open_id=ARTICLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_impact(app, pilot)
        text = panel_text(app)
        # INC-2025-0804 is outside the 90 days that end at this restoration.
        assert "budget           129.6 min" in text
        assert "other incidents  0 min (none in the window)" in text
        assert "this incident    23 min" in text
        assert "remaining        106.6 min (82.3 %)" in text


async def test_an_exhausted_budget_turns_red_and_states_the_policy(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_impact(app, pilot)
        panel = screen.budget_panel
        assert panel.exhausted and panel.has_class("-exhausted")
        text = panel_text(app)
        assert "budget           43.2 min" in text
        assert "remaining        -28.8 min (-66.7 %) · exhausted" in text
        shown = " ".join(screen_text(app).split())
        assert "Error budget exhausted: reliability work takes priority" in shown
        assert "0 minutes: that is fine" in shown  # the near-miss hint
        # The bar is drawn in the error colour.
        bar = next(line for line in panel.render().split() if "█" in line.plain)
        first = bar.plain.index("█")
        styles = [str(span.style) for span in bar.spans if span.start <= first < span.end]
        assert styles and all("error" in style for style in styles)


async def test_a_service_without_an_slo_says_so(make_test_app: MakeApp) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.session is not None
        app.session.set_field("service", "ledger")
        await open_impact(app, pilot)
        assert "No SLO is configured for the service “ledger”" in panel_text(app)
        editor(app, "duration_minutes").input.focus()
        editor(app, "duration_minutes").input.value = "12"
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running


async def test_a_published_postmortems_figures_cannot_be_edited(make_test_app: MakeApp) -> None:
    app = make_test_app(open_id=SECOND)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_impact(app, pilot)
        assert all(e.input.disabled for e in screen.query(FieldEditor))
        assert "reopen it (Review step)" in screen_text(app)
        assert "55.6 min" in panel_text(app)  # the budget is still shown


async def test_jump_to_an_impact_path_focuses_its_field(make_test_app: MakeApp) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        app.jump_to("impact.affected_users_estimate")
        await pilot.pause()
        assert editor(app, "affected_users_estimate").input.has_focus


# T18 (RELIABILITY.md)
async def test_user_text_is_shown_literally(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        session = app.session
        assert session is not None
        session.set_field("service", HOSTILE[3])
        session.set_field("impact.error_rate_peak", "".join(HOSTILE[:2]))
        session.set_field("impact.affected_users_estimate", "".join(HOSTILE[2:]))
        await open_impact(app, pilot)
        text = screen_text(app)
        assert "[/][/" in text
        assert "[bold]x[@click=app.quit]q[/]" in text
        assert f"service “{HOSTILE[3]}”" in " ".join(text.split())
        field = editor(app, "error_rate_peak")
        field.input.focus()
        for hostile in HOSTILE:
            field.input.value = hostile
            await pilot.press("enter")
            await pilot.pause()
            assert hostile in screen_text(app)
        await pilot.click("#impact-budget")
        assert app.is_running
    assert stored_impact(sample_db)["error_rate_peak"] == HOSTILE[-1]


def test_the_budget_counts_the_live_document_not_its_stored_copy(sample_db: Path) -> None:
    store = reopen(sample_db)
    try:
        doc = store.load(SECOND)
        service = store.service("payments")
        stored = store.load_many(store.ids_for_service("payments"))
    finally:
        store.close()
    live = doc.model_copy(deep=True)
    live.impact.slo_budget_consumed_minutes = 110  # 23 + 110 > 129.6
    view = budget_view(live, service, stored, doc.date_restored)  # type: ignore[arg-type]
    assert view.this_minutes == 110
    assert view.others_minutes == 23
    assert view.budget is not None and view.budget.exhausted
    near_miss = budget_view(
        live.model_copy(update={"kind": "near-miss", "id": "NM-2026-0219"}),
        service,
        stored,
        doc.date_restored,  # type: ignore[arg-type]
    )
    assert near_miss.this_minutes is None
    assert "near-miss" in near_miss.not_counted


@pytest.mark.parametrize("size", [(80, 24), (60, 16), (160, 50)])
async def test_impact_fits_the_terminal(make_test_app: MakeApp, size: tuple[int, int]) -> None:
    app = make_test_app(open_id=SECOND)
    async with app.run_test(size=size) as pilot:
        screen = await open_impact(app, pilot)
        for field_editor in screen.query(FieldEditor):
            assert field_editor.region.right <= size[0]
        if size[1] >= 24:
            panel = screen.budget_panel
            assert panel.region.bottom <= size[1] - 1, "the budget panel is cut off"
        await pilot.resize_terminal(10, 3)
        await pilot.pause()
        assert app.is_running
