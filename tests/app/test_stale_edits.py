"""Two terminals, one item: an edit is saved against what it started from (issue 6).

Each test opens an editor (a prompt, a form, a picker, a field), lets the other terminal
(a second Store handle on the file) save or delete the same thing, polls as the timer
would, and only then confirms. The save must meet the other terminal's change: the
conflict dialog shows theirs and mine, and nothing is overwritten until the user chooses.
A save that started before the reload but changed *other* fields is a merge, not a
conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pmtui.app import PmtuiApp
from pmtui.domain.models import Postmortem
from pmtui.screens.actions import ActionsScreen
from pmtui.screens.conflict import ConflictDialog
from pmtui.screens.dialogs import FormDialog
from pmtui.screens.factors import FactorsScreen
from pmtui.screens.impact import ImpactScreen
from pmtui.screens.lessons import LessonsScreen
from pmtui.widgets.factors_pick import PickDialog
from pmtui.widgets.field import FieldEditor
from pmtui.widgets.ladder import Rung
from tests.app.conftest import reopen

DRAFT = "INC-2026-1126"

MakeApp = Callable[..., PmtuiApp]


def stored(path: Path) -> Postmortem:
    store = reopen(path)
    try:
        return store.load(DRAFT)
    finally:
        store.close()


async def go(app: PmtuiApp, pilot: Any, step: str) -> Any:
    await pilot.pause()
    if app.current_mode != step:
        app.go(step)
        await pilot.pause()
    return app.screen


async def meets_conflict(app: PmtuiApp, pilot: Any) -> ConflictDialog:
    await pilot.pause()
    assert isinstance(app.screen, ConflictDialog), type(app.screen).__name__
    return app.screen


async def poll(app: PmtuiApp, pilot: Any) -> None:
    """The other terminal's save reaches this one (what the half-second timer does)."""
    app.poll_changes()
    await pilot.pause()


# ---- factors: the description and the why answers --------------------------------------


# T12 (RELIABILITY.md)
async def test_factor_description_edited_in_both_terminals_meets_the_dialog(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT, role="scribe")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go(app, pilot, "factors")
        assert isinstance(screen, FactorsScreen)
        await pilot.press("e")  # the factor's description, pre-filled
        assert screen.prompt.is_open
        screen.prompt.answer_input.value = "Mine: consumers never reconnect"
        other = reopen(sample_db)
        factor = other.load(DRAFT).contributing_factors[0]
        other.update_item(DRAFT, "contributing_factors", factor.row_id,
                          {"description": "Theirs: the broker failover is silent"},
                          version=factor.version)
        await poll(app, pilot)  # the prompt keeps my text
        await pilot.press("enter")
        dialog = await meets_conflict(app, pilot)
        assert dialog.conflict.theirs["description"] == "Theirs: the broker failover is silent"
        assert dialog.conflict.edit.mine == {"description": "Mine: consumers never reconnect"}
        # Nothing overwritten until a choice is made.
        assert stored(sample_db).contributing_factors[0].description.startswith("Theirs")
        await pilot.press("k")
        await pilot.pause()
        assert stored(sample_db).contributing_factors[0].description.startswith("Mine")
        other.close()


# T12 (RELIABILITY.md)
async def test_why_answer_edited_in_both_terminals_meets_the_dialog(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT, role="scribe")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go(app, pilot, "factors")
        await pilot.press("w")  # why 2 is the chain's open question: its answer is edited
        assert screen.prompt.is_open and screen.prompt.purpose == "why-edit"
        screen.prompt.answer_input.value = "Because mine"
        other = reopen(sample_db)
        step = other.load(DRAFT).contributing_factors[0].whys[1]
        other.update_item(DRAFT, "whys", step.row_id, {"answer": "Because theirs"},
                          version=step.version)
        await poll(app, pilot)
        await pilot.press("enter")
        dialog = await meets_conflict(app, pilot)
        assert dialog.conflict.theirs["answer"] == "Because theirs"
        assert dialog.conflict.edit.mine["answer"] == "Because mine"
        assert stored(sample_db).contributing_factors[0].whys[1].answer == "Because theirs"
        other.close()


async def test_why_question_changed_elsewhere_is_kept_when_only_the_answer_is_mine(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    """Different fields of one why: both saves are kept (a merge, no dialog)."""
    app = make_test_app(open_id=DRAFT, role="scribe")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go(app, pilot, "factors")
        await pilot.press("w")
        screen.prompt.answer_input.value = "Because mine"
        other = reopen(sample_db)
        step = other.load(DRAFT).contributing_factors[0].whys[1]
        other.update_item(DRAFT, "whys", step.row_id, {"question": "Why theirs?"},
                          version=step.version)
        await poll(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FactorsScreen)
        saved = stored(sample_db).contributing_factors[0].whys[1]
        assert (saved.question, saved.answer) == ("Why theirs?", "Because mine")
        other.close()


# T17 (RELIABILITY.md)
async def test_factor_deleted_elsewhere_while_edited_is_offered_back(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT, role="scribe")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go(app, pilot, "factors")
        whys = [(w.question, w.answer) for w in app.session.doc.contributing_factors[0].whys]
        await pilot.press("e")
        screen.prompt.answer_input.value = "Mine: consumers never reconnect"
        other = reopen(sample_db)
        factor = other.load(DRAFT).contributing_factors[0]
        other.delete_item(DRAFT, "contributing_factors", factor.row_id, version=None)
        await poll(app, pilot)
        await pilot.press("enter")
        dialog = await meets_conflict(app, pilot)
        assert dialog.conflict.deleted
        await pilot.press("k")  # restore mine
        await pilot.pause()
        factors = stored(sample_db).contributing_factors
        assert [f.description for f in factors] == ["Mine: consumers never reconnect"]
        assert [(w.question, w.answer) for w in factors[0].whys] == whys
        other.close()


# ---- action items: owner, the form, priority ---------------------------------------------


async def test_owner_edited_in_both_terminals_meets_the_dialog(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go(app, pilot, "actions")
        assert isinstance(screen, ActionsScreen)
        await pilot.press("o")
        screen.prompt.answer_input.value = "mine-oncall"
        other = reopen(sample_db)
        item = other.load(DRAFT).action_items[0]
        other.update_item(DRAFT, "action_items", item.row_id, {"owner": "their-lead"},
                          version=item.version)
        await poll(app, pilot)
        await pilot.press("enter")
        dialog = await meets_conflict(app, pilot)
        assert dialog.conflict.theirs["owner"] == "their-lead"
        assert dialog.conflict.edit.mine == {"owner": "mine-oncall"}
        assert stored(sample_db).action_items[0].owner == "their-lead"
        other.close()


async def test_item_form_keeps_the_other_terminals_owner_and_saves_my_description(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    """The form sends only what I changed: the owner set elsewhere meanwhile stays."""
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, pilot, "actions")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#form-description", FieldEditor).input.value = (
            "Reconnect the consumer after a broker failover"
        )
        other = reopen(sample_db)
        item = other.load(DRAFT).action_items[0]
        other.update_item(DRAFT, "action_items", item.row_id, {"owner": "their-lead"},
                          version=item.version)
        await poll(app, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
        saved = stored(sample_db).action_items[0]
        assert (saved.owner, saved.description) == (
            "their-lead",
            "Reconnect the consumer after a broker failover",
        )
        other.close()


async def test_item_form_edit_of_the_same_field_meets_the_dialog(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, pilot, "actions")
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#form-description", FieldEditor).input.value = "Mine"
        other = reopen(sample_db)
        item = other.load(DRAFT).action_items[0]
        other.update_item(DRAFT, "action_items", item.row_id, {"description": "Theirs"},
                          version=item.version)
        await poll(app, pilot)
        await pilot.press("ctrl+s")
        dialog = await meets_conflict(app, pilot)
        assert dialog.conflict.edit.mine == {"description": "Mine"}
        assert stored(sample_db).action_items[0].description == "Theirs"
        other.close()


async def test_priority_picked_in_both_terminals_meets_the_dialog(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, pilot, "actions")
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        other = reopen(sample_db)
        item = other.load(DRAFT).action_items[0]
        other.update_item(DRAFT, "action_items", item.row_id, {"priority": "critical"},
                          version=item.version)
        await poll(app, pilot)
        await pilot.press("l")  # low
        dialog = await meets_conflict(app, pilot)
        assert dialog.conflict.edit.mine == {"priority": "low"}
        assert stored(sample_db).action_items[0].priority == "critical"
        other.close()


async def test_action_item_deleted_elsewhere_while_its_owner_is_edited_is_offered_back(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go(app, pilot, "actions")
        await pilot.press("o")
        screen.prompt.answer_input.value = "mine-oncall"
        other = reopen(sample_db)
        item = other.load(DRAFT).action_items[0]
        other.delete_item(DRAFT, "action_items", item.row_id, version=None)
        await poll(app, pilot)
        await pilot.press("enter")
        dialog = await meets_conflict(app, pilot)
        assert dialog.conflict.deleted
        await pilot.press("k")
        await pilot.pause()
        items = stored(sample_db).action_items
        assert [(i.id, i.owner, i.description) for i in items] == [
            ("A1", "mine-oncall", item.description)
        ]
        other.close()


async def test_action_item_deleted_elsewhere_comes_back_with_its_chain_links(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    """Deleting an item unlinks it from its factors; "keep mine" relinks them (Actions step)."""
    before = reopen(sample_db)
    factor = before.load(DRAFT).contributing_factors[0]
    before.link_action(DRAFT, factor.row_id, "A1")
    before.close()
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, pilot, "actions")
        await pilot.press("o")
        app.screen.prompt.answer_input.value = "mine-oncall"
        other = reopen(sample_db)
        item = other.load(DRAFT).action_items[0]
        other.delete_item(DRAFT, "action_items", item.row_id, version=None)
        assert other.load(DRAFT).contributing_factors[0].actions == []
        await poll(app, pilot)
        await pilot.press("enter")
        await meets_conflict(app, pilot)
        await pilot.press("k")
        await pilot.pause()
        doc = stored(sample_db)
        assert [(i.id, i.owner) for i in doc.action_items] == [("A1", "mine-oncall")]
        assert doc.contributing_factors[0].actions == ["A1"]
        other.close()


# ---- impact -----------------------------------------------------------------------------


async def test_impact_figure_edited_in_both_terminals_meets_the_dialog(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, pilot, "impact")
        assert isinstance(app.screen, ImpactScreen)
        duration = next(
            e for e in app.screen.query(FieldEditor) if e.field == "impact.duration_minutes"
        )
        duration.input.focus()
        duration.input.value = "80"
        other = reopen(sample_db)
        other.set_field(DRAFT, "impact.duration_minutes", 95, version=other.load(DRAFT).version)
        await poll(app, pilot)  # the field keeps my typed 80
        assert duration.value == "80"
        await pilot.press("enter")
        dialog = await meets_conflict(app, pilot)
        assert dialog.conflict.edit.mine == {"impact.duration_minutes": "80"}
        assert stored(sample_db).impact.duration_minutes == 95
        await pilot.press("k")
        await pilot.pause()
        assert stored(sample_db).impact.duration_minutes == 80
        other.close()


async def test_impact_text_figure_edited_in_both_terminals_meets_the_dialog(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, pilot, "impact")
        users = next(
            e for e in app.screen.query(FieldEditor)
            if e.field == "impact.affected_users_estimate"
        )
        users.input.focus()
        users.input.value = "~15000"
        other = reopen(sample_db)
        other.set_field(DRAFT, "impact.affected_users_estimate", "~9000",
                        version=other.load(DRAFT).version)
        await poll(app, pilot)
        await pilot.press("enter")
        await meets_conflict(app, pilot)
        assert stored(sample_db).impact.affected_users_estimate == "~9000"
        other.close()


async def test_impact_figure_cleared_elsewhere_still_saves_mine_over_the_same_start(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    """No other terminal: a cleared number, then a new one, each saved against its base."""
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, pilot, "impact")
        duration = next(
            e for e in app.screen.query(FieldEditor) if e.field == "impact.duration_minutes"
        )
        duration.input.focus()
        duration.input.value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert stored(sample_db).impact.duration_minutes is None
        duration.input.value = "81"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImpactScreen)
        assert stored(sample_db).impact.duration_minutes == 81


# ---- what helped / what hurt ------------------------------------------------------------


def add_helped(path: Path, *facts: str) -> None:
    store = reopen(path)
    try:
        for fact in facts:
            store.add_text(DRAFT, "what_helped", fact)
    finally:
        store.close()


async def test_fact_deleted_elsewhere_while_edited_is_offered_back_not_moved_onto_another(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    add_helped(sample_db, "The second fact")
    first = stored(sample_db).what_helped[0]
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go(app, pilot, "lessons")
        assert isinstance(screen, LessonsScreen)
        await pilot.press("e")  # the first fact of what helped
        prompt = screen._prompt("what_helped")
        assert prompt.is_open and prompt.answer_input.value == first
        prompt.answer_input.value = "Mine: the restart drained the queue"
        other = reopen(sample_db)
        row_id, _ = other.load(DRAFT).list_row("what_helped", 0)
        other.delete_text(DRAFT, "what_helped", row_id)
        await poll(app, pilot)
        await pilot.press("enter")
        dialog = await meets_conflict(app, pilot)
        assert dialog.conflict.deleted
        assert stored(sample_db).what_helped == ["The second fact"]  # untouched
        await pilot.press("k")  # restore mine, where it was
        await pilot.pause()
        assert stored(sample_db).what_helped == [
            "Mine: the restart drained the queue",
            "The second fact",
        ]
        other.close()


async def test_fact_edited_after_an_earlier_one_was_deleted_elsewhere_lands_on_itself(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    add_helped(sample_db, "The second fact", "The third fact")
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go(app, pilot, "lessons")
        screen._list("what_helped").highlighted = 1
        await pilot.press("e")
        prompt = screen._prompt("what_helped")
        assert prompt.answer_input.value == "The second fact"
        prompt.answer_input.value = "The second fact, edited"
        other = reopen(sample_db)
        row_id, _ = other.load(DRAFT).list_row("what_helped", 0)
        other.delete_text(DRAFT, "what_helped", row_id)
        await poll(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, LessonsScreen)
        assert stored(sample_db).what_helped == ["The second fact, edited", "The third fact"]
        other.close()


async def test_fact_edited_in_both_terminals_meets_the_dialog(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go(app, pilot, "lessons")
        await pilot.press("e")
        screen._prompt("what_helped").answer_input.value = "Mine"
        other = reopen(sample_db)
        row_id, version = other.load(DRAFT).list_row("what_helped", 0)
        other.update_text(DRAFT, "what_helped", row_id, "Theirs", version=version)
        await poll(app, pilot)
        await pilot.press("enter")
        dialog = await meets_conflict(app, pilot)
        assert dialog.conflict.theirs == {"text": "Theirs"}
        assert stored(sample_db).what_helped == ["Theirs"]
        other.close()


async def test_fact_deleted_after_an_earlier_one_was_deleted_elsewhere_is_the_one_chosen(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    add_helped(sample_db, "The second fact", "The third fact")
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go(app, pilot, "lessons")
        screen._list("what_helped").highlighted = 1
        await pilot.press("d")  # asks first
        await pilot.pause()
        other = reopen(sample_db)
        row_id, _ = other.load(DRAFT).list_row("what_helped", 0)
        other.delete_text(DRAFT, "what_helped", row_id)
        await poll(app, pilot)
        await pilot.press("y")
        await pilot.pause()
        assert stored(sample_db).what_helped == ["The third fact"]
        other.close()


# ---- the end of a chain: its systemic property, its linked items, its deferral ----------
# (the Factors screen's c / e on the ladder: pickers and forms opened from the chain)


def link_first_item(path: Path) -> None:
    """F1's chain closed by A1, so the ladder shows A1 under it."""
    store = reopen(path)
    try:
        store.link_action(DRAFT, store.load(DRAFT).contributing_factors[0].row_id, "A1")
    finally:
        store.close()


async def open_ladder_item(app: PmtuiApp, pilot: Any, ref: str = "A1") -> FactorsScreen:
    screen = await go(app, pilot, "factors")
    assert isinstance(screen, FactorsScreen)
    screen.ladder.focus()
    assert screen.ladder.select(Rung("item", ref=ref))
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, FormDialog)
    return screen


async def test_item_edited_from_the_ladder_in_both_terminals_meets_the_dialog(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    link_first_item(sample_db)
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_ladder_item(app, pilot)
        app.screen.query_one("#form-description", FieldEditor).input.value = "Mine"
        other = reopen(sample_db)
        item = other.load(DRAFT).action_items[0]
        other.update_item(DRAFT, "action_items", item.row_id, {"description": "Theirs"},
                          version=item.version)
        await poll(app, pilot)
        await pilot.press("ctrl+s")
        dialog = await meets_conflict(app, pilot)
        assert dialog.conflict.edit.mine == {"description": "Mine"}
        assert stored(sample_db).action_items[0].description == "Theirs"
        other.close()


async def test_item_form_on_the_ladder_keeps_the_other_terminals_owner(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    """Only what I changed is sent: the owner set elsewhere meanwhile is not put back."""
    link_first_item(sample_db)
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_ladder_item(app, pilot)
        app.screen.query_one("#form-description", FieldEditor).input.value = "Mine"
        other = reopen(sample_db)
        item = other.load(DRAFT).action_items[0]
        other.update_item(DRAFT, "action_items", item.row_id, {"owner": "their-lead"},
                          version=item.version)
        await poll(app, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        saved = stored(sample_db).action_items[0]
        assert (saved.owner, saved.description) == ("their-lead", "Mine")
        other.close()


async def test_item_deleted_elsewhere_while_edited_on_the_ladder_comes_back_linked(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    link_first_item(sample_db)
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_ladder_item(app, pilot)
        app.screen.query_one("#form-owner", FieldEditor).input.value = "mine-oncall"
        other = reopen(sample_db)
        item = other.load(DRAFT).action_items[0]
        other.delete_item(DRAFT, "action_items", item.row_id, version=None)
        await poll(app, pilot)
        await pilot.press("ctrl+s")
        dialog = await meets_conflict(app, pilot)
        assert dialog.conflict.deleted
        assert stored(sample_db).action_items == []
        await pilot.press("k")  # restore mine
        await pilot.pause()
        doc = stored(sample_db)
        assert [(i.id, i.owner, i.description) for i in doc.action_items] == [
            ("A1", "mine-oncall", item.description)
        ]
        # Back in the chain it was edited from, not an orphan the ladder no longer shows.
        assert doc.contributing_factors[0].actions == ["A1"]
        other.close()


async def test_systemic_property_picked_in_both_terminals_meets_the_dialog(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, pilot, "factors")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        other = reopen(sample_db)
        factor = other.load(DRAFT).contributing_factors[0]
        other.update_item(DRAFT, "contributing_factors", factor.row_id,
                          {"systemic_property": "capacity"}, version=factor.version)
        await poll(app, pilot)
        await pilot.press("d")  # design
        dialog = await meets_conflict(app, pilot)
        assert dialog.conflict.theirs["systemic_property"] == "capacity"
        assert dialog.conflict.edit.mine == {"systemic_property": "design"}
        assert stored(sample_db).contributing_factors[0].systemic_property == "capacity"
        other.close()


async def test_factor_deleted_elsewhere_while_its_property_is_picked_is_offered_back(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, pilot, "factors")
        factor = app.session.doc.contributing_factors[0]
        await pilot.press("c")
        await pilot.pause()
        other = reopen(sample_db)
        other.delete_item(DRAFT, "contributing_factors", factor.row_id, version=None)
        await poll(app, pilot)
        await pilot.press("d")
        dialog = await meets_conflict(app, pilot)
        assert dialog.conflict.deleted
        await pilot.press("k")
        await pilot.pause()
        factors = stored(sample_db).contributing_factors
        assert [(f.description, f.systemic_property) for f in factors] == [
            (factor.description, "design")
        ]
        assert [w.answer for w in factors[0].whys] == [w.answer for w in factor.whys]
        other.close()


DEFERRAL = {"reason": "The consumer is replaced in Q1", "decided_by": "platform-sre-lead",
            "review_date": "2027-01-15"}


def fill_form(app: PmtuiApp, values: dict[str, str]) -> None:
    for name, value in values.items():
        app.screen.query_one(f"#form-{name}", FieldEditor).input.value = value


async def test_deferral_recorded_in_both_terminals_meets_the_dialog(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        await go(app, pilot, "factors")
        await pilot.press("c", "a", "d")  # a dependency, then record a deferral
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        fill_form(app, DEFERRAL)
        other = reopen(sample_db)
        factor = other.load(DRAFT).contributing_factors[0]
        other.update_item(DRAFT, "contributing_factors", factor.row_id,
                          {"deferral": {"reason": "Theirs: accepted until the migration",
                                        "decided_by": "messaging-team-lead"}},
                          version=factor.version)
        await poll(app, pilot)
        await pilot.press("ctrl+s")
        dialog = await meets_conflict(app, pilot)
        assert dialog.conflict.edit.mine["deferral"]["reason"] == DEFERRAL["reason"]
        deferral = stored(sample_db).contributing_factors[0].deferral
        assert deferral is not None and deferral.reason.startswith("Theirs")
        other.close()


async def test_deferral_edited_on_the_ladder_in_both_terminals_meets_the_dialog(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    store = reopen(sample_db)
    factor = store.load(DRAFT).contributing_factors[0]
    store.update_item(DRAFT, "contributing_factors", factor.row_id,
                      {"deferral": {"reason": "Accepted", "decided_by": "platform-sre-lead"}},
                      version=factor.version)
    store.close()
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go(app, pilot, "factors")
        screen.ladder.focus()
        assert screen.ladder.select(Rung("deferral"))
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        fill_form(app, {"reason": "Mine: replaced in Q1"})
        other = reopen(sample_db)
        factor = other.load(DRAFT).contributing_factors[0]
        other.update_item(DRAFT, "contributing_factors", factor.row_id,
                          {"deferral": {"reason": "Theirs: replaced in Q2",
                                        "decided_by": "platform-sre-lead"}},
                          version=factor.version)
        await poll(app, pilot)
        await pilot.press("ctrl+s")
        await meets_conflict(app, pilot)
        deferral = stored(sample_db).contributing_factors[0].deferral
        assert deferral is not None and deferral.reason == "Theirs: replaced in Q2"
        other.close()
