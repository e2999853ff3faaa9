"""Pilot tests of the Factors step: five whys by keys, closing a chain, the blame question."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.content import Content
from textual.widgets import Select

from pmtui.app import PmtuiApp
from pmtui.domain.models import Postmortem
from pmtui.screens.dialogs import ConfirmDialog, FormDialog
from pmtui.screens.factors import FactorsScreen
from pmtui.widgets.factors_pick import PickDialog
from pmtui.widgets.field import FieldEditor
from pmtui.widgets.ladder import (
    BLAME_QUESTION,
    BLAME_STYLE,
    Rung,
    ladder_rows,
    people_of,
    stops_at_person,
)
from tests.app.conftest import NOW, reopen, screen_text

DRAFT = "INC-2026-1126"
HOSTILE = ["[/]", "[/", "[bold]x", "[@click=app.quit]q[/]"]

MakeApp = Callable[..., PmtuiApp]


def stored(path: Path, ident: str = DRAFT) -> Postmortem:
    store = reopen(path)
    try:
        return store.load(ident)
    finally:
        store.close()


async def open_factors(app: PmtuiApp, pilot: Any) -> FactorsScreen:
    await pilot.pause()
    if not isinstance(app.screen, FactorsScreen):
        app.go("factors")
        await pilot.pause()
    screen = app.screen
    assert isinstance(screen, FactorsScreen)
    return screen


async def answer(pilot: Any, screen: FactorsScreen, text: str) -> None:
    """Type into the open prompt (set directly: keystrokes are not under test) and Enter."""
    assert screen.prompt.is_open
    screen.prompt.answer_input.value = text
    await pilot.press("enter")
    await pilot.pause()


def fill(app: PmtuiApp, values: dict[str, str]) -> None:
    for name, value in values.items():
        widget = app.screen.query_one(f"#form-{name}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, FieldEditor)
            widget.input.value = value


async def test_scribe_opens_on_factors_and_builds_a_chain_by_keys(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT, role="scribe")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_factors(app, pilot)
        assert app.current_mode == "factors"
        await pilot.press("a")
        await answer(pilot, screen, "Failover does not page anyone")
        assert screen.factor is not None and screen._index == 1
        asked_about = "Failover does not page anyone"
        for text in (
            "The broker's failover emits no event",
            "Nobody subscribed to the broker's status topic",
            "No tool watches consumers for a stalled acknowledgement rate, nor the "
            "broker's failover count, nor the age of the oldest unacknowledged message",
        ):
            await pilot.press("w")
            # The proposal asks about the last answer, whole, "The" lowered, names kept.
            proposed = screen.prompt.question_input.value
            assert proposed == f"Why: {asked_about.replace('The ', 'the ', 1)}?"
            await answer(pilot, screen, text)
            asked_about = text
        await pilot.press("w")
        assert screen.prompt.question_input.value == f"Why: {asked_about}?"  # not cut
        await pilot.press("escape")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        await pilot.press("m")  # a missing tool
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        await pilot.press("c")  # create an action item
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        fill(
            app,
            {
                "description": "Alert when consumer ack rate drops to 0 for 2 minutes",
                "owner": "messaging-oncall",
                "due": "2026-12-15",
                "ticket": "MSG-41",
                "priority": "high",
            },
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FactorsScreen)
        listing = screen.factor_list
        assert "✓ F2" in str(listing.get_option_at_index(1).prompt)
        assert screen.ladder.rung == Rung("item", ref="A2")
        assert "chain closed" in screen_text(app)
    doc = stored(sample_db)
    factor = doc.contributing_factors[1]
    assert factor.description == "Failover does not page anyone"
    assert [w.answer for w in factor.whys][-1].startswith("No tool watches")
    assert len(factor.whys) == 3
    assert factor.systemic_property == "missing-tool"
    assert factor.actions == ["A2"]
    item = doc.action_item("A2")
    assert item is not None
    assert (item.owner, item.due.isoformat() if item.due else None, item.ticket, item.priority) == (
        "messaging-oncall",
        "2026-12-15",
        "MSG-41",
        "high",
    )


async def test_w_answers_the_open_why_first_then_links_an_existing_item(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_factors(app, pilot)
        await pilot.press("w")
        assert screen.prompt.question_input.value == "Why did it not reconnect?"
        await answer(pilot, screen, "The client library has no reconnect-on-failover option")
        await pilot.press("c", "d")  # design
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        assert "investigate consumer reconnects" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.ladder.rung == Rung("item", ref="A1")
        text = screen_text(app)
        assert "→ A1" in text and "a group owns nothing" in text  # the item's own problem
        assert "○ F1" in text  # still open: A1 is not ready
    factor = stored(sample_db).contributing_factors[0]
    assert factor.whys[1].answer.startswith("The client library")
    assert factor.systemic_property == "design"
    assert factor.actions == ["A1"]


async def test_a_deferral_closes_a_chain_and_u_clears_it(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_factors(app, pilot)
        await pilot.press("w")
        await answer(pilot, screen, "The consumer was written before failover existed")
        await pilot.press("c", "a", "d")  # a dependency, then record a deferral
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        fill(
            app,
            {
                "reason": "The consumer is replaced in Q1",
                "decided_by": "platform-sre-lead",
                "review_date": "2027-01-15",
            },
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "✓ F1" in str(screen.factor_list.get_option_at_index(0).prompt)
        assert "Deferred: The consumer is replaced in Q1" in screen_text(app)
        deferral = stored(sample_db).contributing_factors[0].deferral
        assert deferral is not None
        assert (deferral.decided_by, str(deferral.review_date)) == (
            "platform-sre-lead",
            "2027-01-15",
        )
        assert screen.ladder.rung == Rung("deferral")
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
    assert stored(sample_db).contributing_factors[0].deferral is None


async def test_an_answer_that_stops_at_a_person_asks_for_the_system_property(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_factors(app, pilot)
        blame = screen.query_one("#ladder-blame")
        assert not blame.display or not blame.has_class("-shown")
        await pilot.press("w")
        screen.prompt.answer_input.value = "the engineer forgot to check"
        await pilot.pause()
        assert "stops at a person" in screen_text(app)  # advice while typing
        await pilot.press("enter")
        await pilot.pause()
        assert blame.has_class("-shown") and blame.region.height >= 1
        assert BLAME_QUESTION in screen_text(app)
        await pilot.press("w")
        assert screen.prompt.question_input.value == BLAME_QUESTION
        await answer(pilot, screen, "Nothing checks that the reconnect flag is set")
        assert not blame.has_class("-shown")
    whys = stored(sample_db).contributing_factors[0].whys
    assert [w.question for w in whys][-1] == BLAME_QUESTION


def type_ahead(app: PmtuiApp, keys: str) -> None:
    """Queue keys all at once, as a fast typist does while the app is still busy."""
    for char in keys:
        name = {" ": "space", "\n": "enter", "\x1b": "escape"}.get(char, char)
        app.post_message(events.Key(name, None if char == "\x1b" else char))


async def test_keys_typed_straight_after_w_land_in_the_answer(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_factors(app, pilot)
        # "a", "d", "c" would be commands on the ladder: they must reach the prompt.
        type_ahead(app, "wadded a check\nwcache dies\n")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, FactorsScreen) and not app.screen.prompt.is_open
    whys = stored(sample_db).contributing_factors[0].whys
    assert [w.answer for w in whys[1:]] == ["added a check", "cache dies"]


async def test_edit_delete_and_move_steps_and_factors(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_factors(app, pilot)
        screen.ladder.focus()
        screen.ladder.select(Rung("why", 0))
        await pilot.press("e")
        assert screen.prompt.answer_input.value.startswith("The consumer kept")
        await answer(pilot, screen, "It kept its connection to the old primary")
        await pilot.press("shift+down")
        await pilot.pause()
        assert screen.ladder.rung == Rung("why", 1)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("a")
        await answer(pilot, screen, "No alert on a stalled consumer")
        screen.factor_list.focus()
        await pilot.press("shift+up")
        await pilot.pause()
        assert screen._index == 0
    doc = stored(sample_db)
    assert [f.description for f in doc.contributing_factors] == [
        "No alert on a stalled consumer",
        "The consumer does not reconnect after a broker failover",
    ]
    assert [w.answer for w in doc.contributing_factors[1].whys] == [""]


async def test_jump_to_a_why_path_selects_the_factor_and_the_step(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        app.jump_to("contributing_factors[0].whys[1].answer")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FactorsScreen)
        assert screen.ladder.has_focus and screen.ladder.rung == Rung("why", 1)
        screen.focus_path("contributing_factors[0].systemic_property")
        assert screen.ladder.rung == Rung("property")
        screen.focus_path("contributing_factors[0].actions")
        assert screen.ladder.rung == Rung("change")


# T18 (RELIABILITY.md)
async def test_user_text_is_shown_literally(make_test_app: MakeApp) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(120, 40)) as pilot:
        session = app.session
        assert session is not None
        for i, text in enumerate(HOSTILE):
            factor = session.add_item("contributing_factors", {"description": f"f{text}"})
            session.add_item("whys", {"question": f"q{text}", "answer": f"a{text}"}, parent=factor)
            item = session.add_item(
                "action_items", {"description": f"d{text}", "owner": f"o{text}", "ticket": f"t{i}"}
            )
            session.link_action(session.doc.contributing_factors[-1], item.id)
            session.update_item(
                "contributing_factors",
                session.doc.contributing_factors[-1],
                {"deferral": {"reason": f"r{text}", "decided_by": f"b{text}"}},
            )
        screen = await open_factors(app, pilot)
        for i, text in enumerate(HOSTILE):
            screen.factor_list.highlighted = 1 + i
            await pilot.pause()
            shown = screen_text(app)
            for prefix in "fqadorb":
                assert f"{prefix}{text}" in shown, (prefix, text)
        await pilot.click("#ladder")
        await pilot.press("e")
        await pilot.pause()
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FactorsScreen)


@pytest.mark.parametrize("size", [(80, 24), (60, 16)])
async def test_fits_a_small_terminal(make_test_app: MakeApp, size: tuple[int, int]) -> None:
    app = make_test_app(open_id=DRAFT, role="scribe")
    async with app.run_test(size=size) as pilot:
        screen = await open_factors(app, pilot)
        assert screen.ladder.region.height >= 3
        assert screen.ladder.region.right <= size[0]
        await pilot.press("w")
        await pilot.pause()
        answer_box = screen.prompt.answer_input
        assert answer_box.region.height == 1 and answer_box.region.bottom <= size[1]
        await pilot.press("escape", "c")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        await pilot.press("escape")
        await pilot.resize_terminal(20, 5)
        await pilot.pause()
        assert app.is_running


# ---- quitting with a prompt open --------------------------------------------------------


async def test_quit_saves_a_typed_but_not_entered_why(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT, role="scribe")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_factors(app, pilot)
        await pilot.press("w")  # opens why 2, the chain's open question
        assert screen.prompt.is_open
        await pilot.press(*"Because the consumer never reconnects")
        await pilot.press("ctrl+q")  # no Enter
        await pilot.pause()
    assert app.return_code == 0
    whys = stored(sample_db).contributing_factors[0].whys
    assert [w.answer for w in whys][-1] == "Because the consumer never reconnects"


async def test_quit_saves_a_why_left_open_on_another_step(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT, role="scribe")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_factors(app, pilot)
        await pilot.press("a")
        screen.prompt.answer_input.value = "Failover does not page anyone"
        await pilot.press("ctrl+n")  # on to Lessons; the Factors prompt stays open
        await pilot.pause()
        assert app.current_mode == "lessons"
        await pilot.press("ctrl+q")
        await pilot.pause()
    descriptions = [f.description for f in stored(sample_db).contributing_factors]
    assert descriptions[-1] == "Failover does not page anyone"


async def test_quit_with_invalid_prompt_text_asks_first_then_reports_it(
    make_test_app: MakeApp, sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_test_app(open_id=DRAFT, role="scribe")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_factors(app, pilot)
        await pilot.press("a")
        screen.prompt.answer_input.value = "   "  # typed, but not a factor
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running  # the first ctrl+q stops and says why
        note = next(n for n in app._notifications if n.title == "Not saved — still open")
        assert "type the factor" in str(note.message)
        assert screen.prompt.is_open and screen.prompt.answer_input.has_focus
        assert "type the factor" in screen_text(app)
        # The facilitator fixes it: the next ctrl+q saves it and quits.
        screen.prompt.answer_input.value = "Failover does not page anyone"
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    descriptions = [f.description for f in stored(sample_db).contributing_factors]
    assert descriptions[-1] == "Failover does not page anyone"
    assert "quit without saving" not in capsys.readouterr().err


async def test_second_quit_leaves_invalid_text_and_prints_it(
    make_test_app: MakeApp, sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_test_app(open_id=DRAFT, role="scribe")
    before = len(stored(sample_db).contributing_factors[0].whys)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_factors(app, pilot)
        await pilot.press("w")
        screen.prompt.question_input.value = "Why did nobody notice? [/]"  # the answer is empty
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    err = capsys.readouterr().err
    assert "quit without saving" in err and "F1 · why 2" in err
    assert len(stored(sample_db).contributing_factors[0].whys) == before


# T03 (RELIABILITY.md)
async def test_termination_signal_path_saves_the_prompt_without_asking(
    make_test_app: MakeApp, sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SIGTERM/SIGHUP call ``save_and_quit(force=True)`` (the terminal may be gone)."""
    app = make_test_app(open_id=DRAFT, role="scribe")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_factors(app, pilot)
        await pilot.press("w")
        screen.prompt.answer_input.value = "Because the consumer never reconnects [/]"
        await app.save_and_quit(force=True)
        await pilot.pause()
    assert app.return_code == 0
    whys = stored(sample_db).contributing_factors[0].whys
    assert whys[-1].answer == "Because the consumer never reconnects [/]"
    assert "quit without saving" not in capsys.readouterr().err


# T03 (RELIABILITY.md)
async def test_termination_signal_path_prints_invalid_text_instead_of_asking(
    make_test_app: MakeApp, sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_test_app(open_id=DRAFT, role="scribe")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_factors(app, pilot)
        await pilot.press("e")  # the factor's description, pre-filled
        assert screen.prompt.is_open
        screen.prompt.answer_input.value = " "
        await app.save_and_quit(force=True)
        await pilot.pause()
    assert app.return_code == 0
    err = capsys.readouterr().err
    assert "quit without saving" in err and "F1 · the contributing factor" in err
    assert stored(sample_db).contributing_factors[0].description.startswith("The consumer")


# ---- live blame highlighting names the document's people, as Review does ----------------


def underlined(widget: Any) -> list[str]:
    """The runs of underlined text the widget shows (what the blame highlight marks)."""
    runs: list[str] = []
    for y in range(widget.size.height):
        run = ""
        for segment in widget.render_line(y):
            if segment.style is not None and segment.style.underline:
                run += segment.text
            elif run:
                runs.append(run)
                run = ""
        if run:
            runs.append(run)
    return runs


async def test_a_participant_ignoring_the_alert_is_marked_as_it_is_typed_and_on_the_ladder(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    """ "Bob ignored the alert" is blame when Bob is in the room (A-BLAME at Review says
    so); the ladder, the prompt's highlight and its advice say so at once."""
    store = reopen(sample_db)
    store.add_item(DRAFT, "participants", {"name": "Bob", "role": "on-call"})
    store.close()
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_factors(app, pilot)
        await pilot.press("w")  # why 2's open answer
        screen.prompt.answer_input.value = "Bob ignored the alert"
        await pilot.pause()
        assert "stops at a person" in screen_text(app)  # the advice while typing
        assert underlined(screen.prompt.answer_input) == ["Bob ignored"]
        await pilot.press("enter")
        await pilot.pause()
        assert any("Bob ignored" in run for run in underlined(screen.ladder))
        assert screen.query_one("#ladder-blame").has_class("-shown")
        await pilot.press("w")
        assert screen.prompt.question_input.value == BLAME_QUESTION
        await pilot.press("escape")
    # What Review and `pmtui check` find in the same text.
    store = reopen(sample_db)
    blame = [f for f in store.findings(DRAFT, NOW) if f.code == "A-BLAME"]
    store.close()
    assert [f.path for f in blame] == ["contributing_factors[0].whys[1].answer"]


def test_the_facilitator_named_with_a_common_verb_is_marked_on_the_ladder() -> None:
    doc = Postmortem.model_validate({
        "id": DRAFT,
        "title": "Queue stuck",
        "facilitator": "Dana",
        "contributing_factors": [{"description": "Dana missed the page"}],
    })
    title = ladder_rows(doc, 0, [])[0][1]
    assert isinstance(title, Content)
    marked = [title.plain[s.start:s.end] for s in title.spans if str(s.style) == BLAME_STYLE]
    assert marked == ["Dana missed"]
    # A name the document does not know stays a system's doing with a common verb.
    assert not stops_at_person(doc.contributing_factors[0], ())
    assert stops_at_person(doc.contributing_factors[0], people_of(doc))
