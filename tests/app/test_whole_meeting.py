"""The whole meeting on a fresh database, by keys: create, every step, refused, fixed, done.

One facilitator runs a new SEV-2 from an empty file: creates it from Home, walks every
step with ctrl+n, is refused at Review with exactly what is missing, fixes it, completes,
publishes, exports and copies the Markdown. After each step the test reads the file
through a second handle, as another terminal (or a restart) would. Text the keystrokes
are not under test for is set on the widgets directly; the keys that drive the meeting
are pressed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import Select

from pmtui.app import PmtuiApp
from pmtui.domain.models import Postmortem
from pmtui.export.formats import render
from pmtui.screens.dialogs import FormDialog
from pmtui.widgets.factors_pick import PickDialog
from pmtui.widgets.field import FieldEditor
from tests.app.conftest import NOW, reopen, screen_text

MakeApp = Callable[..., PmtuiApp]
IDENT = "INC-2026-0001"


def stored(path: Path) -> Postmortem:
    store = reopen(path)
    try:
        return store.load(IDENT)
    finally:
        store.close()


def fill(app: PmtuiApp, values: dict[str, str]) -> None:
    for name, value in values.items():
        widget = app.screen.query_one(f"#form-{name}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, FieldEditor)
            widget.input.value = value


async def save_form(app: PmtuiApp, pilot: Any, values: dict[str, str]) -> None:
    assert isinstance(app.screen, FormDialog), type(app.screen).__name__
    fill(app, values)
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert not isinstance(app.screen, FormDialog), app.screen.query_one(".dialog--problems")


async def next_step(app: PmtuiApp, pilot: Any, expected: str) -> None:
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert app.current_mode == expected


async def type_field(app: PmtuiApp, pilot: Any, field: str, value: str) -> None:
    editor = next(e for e in app.screen.query(FieldEditor) if e.field == field)
    editor.input.focus()
    editor.input.value = value
    await pilot.press("enter")  # confirmed: saved at once
    await pilot.pause()


async def chain(
    app: PmtuiApp, pilot: Any, factor: str, whys: list[str], item: dict[str, str], prop: str
) -> None:
    screen = app.screen
    await pilot.press("a")
    screen.prompt.answer_input.value = factor
    await pilot.press("enter")
    await pilot.pause()
    for answer in whys:
        await pilot.press("w")
        screen.prompt.answer_input.value = answer
        await pilot.press("enter")
        await pilot.pause()
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(app.screen, PickDialog)
    await pilot.press(prop)
    await pilot.pause()
    await pilot.press("c")  # create the change right there
    await pilot.pause()
    await save_form(app, pilot, item)


async def test_a_whole_meeting_by_keys(make_test_app: MakeApp, tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    app = make_test_app(db)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        # Home: create it.
        await pilot.press("n")
        await pilot.pause()
        await save_form(
            app,
            pilot,
            {
                "id": IDENT,
                "title": "Checkout 502s after the cache cluster failover",
                "severity": "SEV-2",
                "service": "checkout",
                "team": "payments",
                "date_of_incident": "2026-11-24T10:00:00Z",
                "date_restored": "2026-11-24T10:40:00Z",
            },
        )
        assert app.current_mode == "setup"
        pm = stored(db)
        assert (pm.title, pm.severity, pm.status) == (
            "Checkout 502s after the cache cluster failover",
            "SEV-2",
            "draft",
        )

        # Setup: facilitator, meeting date, the people in the room.
        await type_field(app, pilot, "facilitator", "sre-facilitator")
        await type_field(app, pilot, "date_of_postmortem", "2026-11-26")
        app.screen.query_one("#participants").focus()
        for person in (
            {"name": "payments-lead", "role": "team lead"},
            {"name": "checkout-po", "role": "product owner"},
            {"name": "oncall-ana", "role": "on-call engineer"},
        ):
            await pilot.press("a")
            await pilot.pause()
            await save_form(app, pilot, person)
        await pilot.press("space")  # the selected (last) person was directly involved
        await pilot.pause()
        pm = stored(db)
        assert (
            pm.facilitator == "sre-facilitator"
            and pm.date_of_postmortem.isoformat() == "2026-11-26"
        )
        assert [(p.name, p.directly_involved) for p in pm.participants] == [
            ("payments-lead", False),
            ("checkout-po", False),
            ("oncall-ana", True),
        ]

        # Norms: read aloud, recorded; the meeting is on.
        await next_step(app, pilot, "norms")
        await pilot.press("r")
        await pilot.pause()
        pm = stored(db)
        assert pm.norms_read_at == NOW and pm.status == "in-meeting"

        # Past incidents: the search runs and is recorded; tag the failure class.
        await next_step(app, pilot, "past")
        pm = stored(db)
        assert pm.past_incidents_searched_at == NOW

        # Timeline: three facts, one a decision point with what was known.
        await next_step(app, pilot, "timeline")
        for time, event, source in (
            ("10:00", "Cache cluster primary fails over to the replica", "cache log"),
            ("10:06", "Checkout 502 rate alert fires at 5%", "alerting system"),
            ("10:31", "On-call restarts the checkout pods", "on-call engineer"),
        ):
            await pilot.press("a")
            await pilot.pause()
            await save_form(app, pilot, {"time": time, "event": event, "source": source})
        pm = stored(db)
        assert [e.time for e in pm.timeline] == ["10:00", "10:06", "10:31"]

        # Impact.
        await next_step(app, pilot, "impact")
        for field, value in (
            ("impact.duration_minutes", "40"),
            ("impact.error_rate_peak", "22% of checkout requests"),
            ("impact.affected_users_estimate", "~3000"),
            ("impact.slo_budget_consumed_minutes", "40"),
        ):
            await type_field(app, pilot, field, value)
        assert stored(db).impact.slo_budget_consumed_minutes == 40

        # Factors and five whys: one chain closed by an owned, dated, ticketed change.
        await next_step(app, pilot, "factors")
        await chain(
            app,
            pilot,
            "Checkout clients pin the cache primary's address",
            [
                "The client resolves the primary once at start-up",
                "The cache client has no failover-aware endpoint configured",
            ],
            {
                "description": "Point checkout at the cache's failover endpoint",
                "owner": "payments-lead",
                "due": "2026-12-10",
                "ticket": "PAY-900",
                "priority": "high",
            },
            "d",
        )
        pm = stored(db)
        assert len(pm.contributing_factors) == 1
        assert pm.contributing_factors[0].systemic_property == "design"
        assert pm.contributing_factors[0].actions == ["A1"]

        # Lessons: what helped only — what hurt is forgotten, on purpose.
        await next_step(app, pilot, "lessons")
        await pilot.press("a")
        app.screen._prompt("what_helped").answer_input.value = "The 502 alert paged in 6 minutes"
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert stored(db).what_helped == ["The 502 alert paged in 6 minutes"]

        # Action items: the table shows the change made in the whys.
        await next_step(app, pilot, "actions")
        assert "PAY-900" in screen_text(app)

        # Review: refused, and told exactly why.
        await next_step(app, pilot, "review")
        await pilot.press("c")
        await pilot.pause()
        blocking = {(f.code, f.path) for f in app.session.blocking}
        assert blocking == {
            ("G-FACTORS-MIN", "contributing_factors"),
            ("G-HURT-EMPTY", "what_hurt"),
        }
        assert stored(db).status == "in-meeting"
        assert any("G-FACTORS-MIN" in str(n.message) for n in app._notifications)

        # Fix them: a second factor (closed with a deferral-free change), what hurt.
        app.go("factors")
        await pilot.pause()
        await chain(
            app,
            pilot,
            "The 502 alert threshold is 5% over 5 minutes",
            ["The threshold was copied from the web tier's defaults"],
            {
                "description": "Lower the checkout 502 alert to 1% over 2 minutes",
                "owner": "oncall-ana",
                "due": "2026-12-03",
                "ticket": "OPS-77",
                "priority": "medium",
            },
            "w",
        )
        app.go("lessons")
        await pilot.pause()
        await pilot.press("right", "a")
        app.screen._prompt(
            "what_hurt"
        ).answer_input.value = "Pods kept the old address until restarted"
        await pilot.press("enter", "escape")
        await pilot.pause()
        app.go("review")
        await pilot.pause()
        assert app.session.blocking == []

        # Complete, publish, export, copy.
        await pilot.press("c")
        await pilot.pause()
        assert stored(db).status == "complete"
        await pilot.press("p")
        await pilot.pause()
        pm = stored(db)
        assert pm.status == "published" and pm.date_published == NOW
        out = tmp_path / "export.md"
        await pilot.press("x")
        await pilot.pause()
        await save_form(app, pilot, {"format": "md", "path": str(out)})
        assert out.read_text(encoding="utf-8") == render(stored(db), "md")
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == render(stored(db), "md")
