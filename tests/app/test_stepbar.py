"""The step bar: done means a step holds its content and nothing is found in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pmtui.app import PmtuiApp
from pmtui.domain.findings import gate
from pmtui.domain.models import Impact, Postmortem
from pmtui.screens.goto import GotoStepDialog
from pmtui.steps import StepState, started, step_states
from pmtui.widgets.stepbar import MARKS, StepBar
from tests.app.conftest import screen_text

MakeApp = Callable[..., PmtuiApp]
FRESH = "INC-2026-1190"
DRAFT = "INC-2026-1126"


def fresh(**changes: object) -> Postmortem:
    data = {
        "id": FRESH,
        "severity": "SEV-2",
        "title": "Queue stuck after failover",
        "service": "queue",
        "team": "platform",
        "date_of_incident": dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC),
        "date_restored": dt.datetime(2026, 11, 28, 9, 40, tzinfo=dt.UTC),
    }
    return Postmortem.model_validate({**data, **changes})


def test_an_untouched_step_is_not_started_even_without_findings() -> None:
    doc = fresh()
    states = step_states([], doc)
    assert states["setup"] is StepState.DONE
    for key in ("norms", "past", "timeline", "impact", "factors", "lessons", "actions"):
        assert states[key] is StepState.NOT_STARTED, key
    # Without the document only the findings are known (the old meaning).
    assert step_states([])["impact"] is StepState.DONE


def test_a_step_with_content_shows_its_findings() -> None:
    doc = fresh(impact=Impact(duration_minutes=40), what_helped=["the runbook"])
    states = step_states([gate("G-HURT-EMPTY", "what_hurt", "record what hurt")], doc)
    assert states["impact"] is StepState.DONE
    assert states["lessons"] is StepState.BLOCKED
    assert states["review"] is StepState.BLOCKED
    assert started(doc, "impact") and not started(fresh(), "impact")


def test_actions_started_by_a_deferral_alone() -> None:
    doc = fresh(
        contributing_factors=[
            {"description": "no failover test", "deferral": {"reason": "accepted"}}
        ]
    )
    assert started(doc, "actions") and started(doc, "factors")


async def test_a_fresh_sev2_shows_its_empty_steps_as_not_started(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.store.create(fresh())
        assert app.open_postmortem(FRESH, "setup")
        await pilot.pause()
        bar = app.screen.query_one(StepBar)
        assert bar.states["impact"] is StepState.NOT_STARTED
        assert bar.states["actions"] is StepState.NOT_STARTED
        text = screen_text(app)
        assert f"5{MARKS[StepState.NOT_STARTED]}Impact" in text
        assert "5✓Impact" not in text and "8✓Actions" not in text
        # Filling one impact field makes the step done (the rules ask nothing more of it).
        assert app.session is not None
        app.session.set_field("impact.duration_minutes", 40)
        app.go("impact")
        await pilot.pause()
        assert app.screen.query_one(StepBar).states["impact"] is StepState.DONE


async def test_the_sample_draft_keeps_its_done_steps(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.open_postmortem(DRAFT, "setup")
        await pilot.pause()
        states = app.screen.query_one(StepBar).states
        assert states["norms"] is StepState.DONE
        assert StepState.NOT_STARTED not in states.values()


async def test_go_to_step_shows_untouched_steps_as_not_started_like_the_bar(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.store.create(fresh())
        assert app.open_postmortem(FRESH, "setup")
        await pilot.pause()
        assert app.session is not None
        states = app.session.step_states()
        assert states == app.screen.query_one(StepBar).states
        assert states["impact"] is StepState.NOT_STARTED
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, GotoStepDialog)
        text = screen_text(app)
        mark = MARKS[StepState.NOT_STARTED]
        assert f"5  {mark} Impact" in text and f"8  {mark} Action items" in text
        assert f"{MARKS[StepState.DONE]} Impact" not in text
