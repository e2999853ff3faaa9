"""Pilot tests of the Timeline step: edits reach the store, the walk captures context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from pmtui.app import PmtuiApp
from pmtui.domain.models import TimelineEntry
from pmtui.screens.dialogs import ConfirmDialog, FormDialog
from pmtui.screens.timeline import TimelineScreen, time_position
from pmtui.widgets.field import FieldEditor
from pmtui.widgets.findings import FindingsList
from pmtui.widgets.timeline_walk import DECISION_QUESTION
from tests.app.conftest import reopen, screen_text

DRAFT = "INC-2026-1126"
HOSTILE = ["[/]", "[/", "[bold]x", "[@click=app.quit]q[/]"]

MakeApp = Callable[..., PmtuiApp]


def stored_timeline(path: Path, ident: str = DRAFT) -> list[tuple[str, str, str, bool, str]]:
    store = reopen(path)
    try:
        return [
            (e.time, e.event, e.source, e.decision_point, e.context)
            for e in store.load(ident).timeline
        ]
    finally:
        store.close()


async def open_timeline(app: PmtuiApp, pilot: object) -> TimelineScreen:
    app.go("timeline")
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, TimelineScreen)
    return screen


def form_editor(app: PmtuiApp, name: str) -> FieldEditor:
    return app.screen.query_one(f"#form-{name}", FieldEditor)


async def test_add_goes_after_the_selected_entry_with_its_time_proposed(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        screen.table.move_cursor(row=1)
        await pilot.press("a")
        assert isinstance(app.screen, FormDialog)
        assert form_editor(app, "time").value == "07:51"  # the previous entry's time
        form_editor(app, "time").input.value = "07:52"
        form_editor(app, "event").input.value = "Consumer lag reaches 10,000 messages"
        form_editor(app, "source").input.value = "consumer metrics"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        assert screen.table.cursor_row == 2
    timeline = stored_timeline(sample_db)
    assert len(timeline) == 6
    assert timeline[2] == (
        "07:52",
        "Consumer lag reaches 10,000 messages",
        "consumer metrics",
        False,
        "",
    )


async def test_add_refuses_a_time_that_is_not_a_time(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(app, pilot)
        await pilot.press("a")
        form_editor(app, "time").input.value = "half past eight"
        form_editor(app, "event").input.value = "Something"
        await pilot.pause()
        assert form_editor(app, "time").has_class("-invalid")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)  # not dismissed, nothing saved
        assert "is not a time" in screen_text(app)
    assert len(stored_timeline(sample_db)) == 5


async def test_edit_saves_only_what_changed(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        screen.table.move_cursor(row=4)
        await pilot.press("e")
        assert isinstance(app.screen, FormDialog)
        assert form_editor(app, "event").value.startswith("Consumer finally restarted")
        form_editor(app, "event").input.value = "Consumer restarted by hand; queue drains"
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Only that row is redrawn, and it shows the new text without the judging mark.
        event = screen.table.get_row_at(4)[2]
        assert event.plain == "Consumer restarted by hand; queue drains"
        assert not event.spans
    timeline = stored_timeline(sample_db)
    assert timeline[4][:3] == (
        "09:02",
        "Consumer restarted by hand; queue drains",
        "on-call engineer",
    )


async def test_delete_asks_first(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        screen.table.move_cursor(row=2)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert len(stored_timeline(sample_db)) == 5
        await pilot.press("d")
        await pilot.press("y")
        await pilot.pause()
        assert screen.table.row_count == 4
    events = [e[1] for e in stored_timeline(sample_db)]
    assert "Queue depth alert fires at 50,000 messages" not in events
    assert len(events) == 4


async def test_entries_move_with_shift_and_ctrl_arrows(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        screen.table.move_cursor(row=0)
        await pilot.press("shift+down")
        await pilot.pause()
        assert screen.table.cursor_row == 1  # the cursor follows the entry
        assert [e[0] for e in stored_timeline(sample_db)][:2] == ["07:51", "07:50"]
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert screen.table.cursor_row == 0
    assert [e[0] for e in stored_timeline(sample_db)] == [
        "07:50",
        "07:51",
        "08:35",
        "08:41",
        "09:02",
    ]


async def test_sort_puts_entries_in_time_order(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        screen.table.move_cursor(row=4)
        await pilot.press("ctrl+up", "ctrl+up", "ctrl+up")  # 09:02 is now second
        await pilot.pause()
        assert [e[0] for e in stored_timeline(sample_db)][1] == "09:02"
        codes = {f.code for f in app.session.findings_for("timeline")}  # type: ignore[union-attr]
        assert "G-TIMELINE-ORDER" in codes
        await pilot.press("s")
        await pilot.pause()
        # The cursor stays on the entry it was on.
        assert screen.table.cursor_row == 4
        codes = {f.code for f in app.session.findings_for("timeline")}  # type: ignore[union-attr]
        assert "G-TIMELINE-ORDER" not in codes
    assert [e[0] for e in stored_timeline(sample_db)] == [
        "07:50",
        "07:51",
        "08:35",
        "08:41",
        "09:02",
    ]


async def test_space_toggles_a_decision_point(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        screen.table.move_cursor(row=2)
        await pilot.press("space")
        await pilot.pause()
        assert stored_timeline(sample_db)[2][3] is True
        assert "↳ ask: What information did you have" in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
    assert stored_timeline(sample_db)[2][3] is False


async def test_walk_moves_through_entries_and_saves_a_decision_points_context(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        screen.table.move_cursor(row=0)
        await pilot.press("w")
        await pilot.pause()
        walk = screen.walk
        assert screen.walking and walk.index == 0
        text = screen_text(app)
        assert "Message broker fails over to its standby node" in text
        assert "What happened next?" in text
        assert not screen.table.display or not screen.table.region  # the walk replaces it
        await pilot.press("right", "enter", "left", "right", "right")
        await pilot.pause()
        assert walk.index == 3
        text = screen_text(app)
        assert DECISION_QUESTION in text
        assert "On-call paged; checks broker health" in text
        assert walk.context_input.has_focus  # type right away
        assert "why did you" not in text.lower()
        walk.context_input.value = "Broker dashboard green; no alert on consumer lag"
        await pilot.press("enter")  # saves and moves on
        await pilot.pause()
        assert walk.index == 4
        assert stored_timeline(sample_db)[3][4] == (
            "Broker dashboard green; no alert on consumer lag"
        )
        await pilot.press("up")
        await pilot.pause()
        assert walk.context_input.value == "Broker dashboard green; no alert on consumer lag"
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.walking
        assert screen.table.has_focus
        assert screen.table.cursor_row == 3  # where the walk was
        codes = {f.path for f in app.session.findings_for("timeline")}  # type: ignore[union-attr]
        assert "timeline[3].context" not in codes


async def test_walk_saves_context_after_a_pause_in_typing(
    make_test_app: MakeApp, sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pmtui.widgets.timeline_walk as walk

    monkeypatch.setattr(walk, "IDLE_SAVE_SECONDS", 0.2)  # the pause under test, shortened
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        screen.table.move_cursor(row=3)
        await pilot.press("w")
        await pilot.press("k", "n", "e", "w")
        assert stored_timeline(sample_db)[3][4] != "knew"  # not before the pause
        for _ in range(40):  # until the idle timer has saved (bounded)
            await pilot.pause(0.05)
            if stored_timeline(sample_db)[3][4] == "knew":
                break
        assert stored_timeline(sample_db)[3][4] == "knew"
        assert screen.walk.index == 3


async def test_walk_appends_the_next_event_right_there(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        screen.table.move_cursor(row=4)
        await pilot.press("w", "a")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert form_editor(app, "time").value == "09:02"
        form_editor(app, "time").input.value = "09:06"
        form_editor(app, "event").input.value = "Queue depth back under 100 messages"
        form_editor(app, "source").input.value = "consumer metrics"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        assert screen.walking and screen.walk.index == 5
        assert "Queue depth back under 100 messages" in screen_text(app)
    timeline = stored_timeline(sample_db)
    assert timeline[5][:3] == ("09:06", "Queue depth back under 100 messages", "consumer metrics")


async def test_a_judging_word_is_marked_as_you_type_and_becomes_a_finding(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        screen.table.move_cursor(row=0)
        await pilot.press("a")
        event = form_editor(app, "event")
        event.input.focus()
        await pilot.press("o", "k", "space", "j", "u", "s", "t")
        await pilot.pause()
        assert event.value == "ok just"
        assert event.has_class("-advice")
        text = screen_text(app)
        assert "“just” judges: drop it" in text
        # The word itself is styled by the highlighter (in the warning colour).
        rendered = event.input._value
        assert any(span.start == 3 and span.end == 7 for span in rendered.spans)
        form_editor(app, "time").input.value = "07:50"
        form_editor(app, "source").input.value = "chat"
        await pilot.press("ctrl+s")
        await pilot.pause()
        findings = screen.query_one(FindingsList)
        lines = [str(findings.get_option_at_index(i).prompt) for i in range(findings.option_count)]
        assert any("timeline[1].event" in line and '"just"' in line for line in lines)
        # The table marks the word too.
        cell = screen.table.get_row_at(1)[2]
        assert cell.plain.startswith("ok just")
        assert any(span.start == 3 and span.end == 7 for span in cell.spans)
    assert stored_timeline(sample_db)[1][1] == "ok just"


async def test_jump_to_a_timeline_path_puts_the_cursor_on_its_row(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        await pilot.press("w")  # even from walk mode
        app.jump_to("timeline[3].event")
        await pilot.pause()
        assert not screen.walking
        assert screen.table.has_focus
        assert screen.table.cursor_row == 3


async def test_an_empty_timeline_says_what_to_do(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.session
        assert session is not None
        while session.doc.timeline:
            session.delete_item("timeline", session.doc.timeline[0])
        screen = await open_timeline(app, pilot)
        assert "No entries yet" in screen_text(app)
        await pilot.press("w")
        await pilot.pause()
        assert "What happened first?" in screen_text(app)
        await pilot.press("a")
        form_editor(app, "time").input.value = "07:50"
        form_editor(app, "event").input.value = "Broker fails over"
        form_editor(app, "source").input.value = "broker log"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.walking and screen.walk.index == 0
    assert stored_timeline(sample_db) == [("07:50", "Broker fails over", "broker log", False, "")]


async def test_a_published_timeline_is_read_only_but_can_be_walked(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id="INC-2026-0219")
    before = stored_timeline(sample_db, "INC-2026-0219")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        await pilot.press("a", "d", "space", "shift+down", "s")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)  # no form, no question
        assert "read only" in screen_text(app)
        await pilot.press("w", "right", "a")
        await pilot.pause()
        assert screen.walking and screen.walk.index == 1
        assert isinstance(app.screen, TimelineScreen)
    assert stored_timeline(sample_db, "INC-2026-0219") == before


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (60, 16)])
async def test_timeline_and_walk_fit_the_terminal(
    make_test_app: MakeApp, size: tuple[int, int]
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=size) as pilot:
        screen = await open_timeline(app, pilot)
        table = screen.table
        assert table.region.height >= 3
        assert table.region.right <= size[0]
        session = app.session
        assert session is not None
        # A decision point with a judging word: the tallest entry the walk draws.
        session.add_item(
            "timeline",
            {
                "time": "09:03",
                "event": "He just obviously failed to see the consumer lag, finally",
                "source": "chat",
                "decision_point": True,
            },
        )
        screen.refresh_all()
        screen.table.move_cursor(row=3)
        await pilot.press("w", "down", "down", "down")
        await pilot.pause()
        walk, context = screen.walk, screen.walk.context_input
        assert walk.index == 5 and context.has_focus
        assert context.region.height == 1
        assert walk.region.contains_region(context.region), "the answer field is out of view"
        await pilot.press("escape", "a")
        await pilot.pause()
        save = app.screen.query_one("#save")
        if size[1] >= 24:  # below that the shared form scrolls; ctrl+s still saves
            assert save.region.bottom <= size[1], "the form's Save button is off screen"
        await pilot.press("escape")
        await pilot.resize_terminal(20, 5)
        await pilot.pause()
        assert app.is_running


# T18 (RELIABILITY.md)
async def test_user_text_is_shown_literally(make_test_app: MakeApp) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        session = app.session
        assert session is not None
        for i, text in enumerate(HOSTILE):
            session.add_item(
                "timeline",
                {
                    "time": f"09:1{i}",
                    "event": f"e{text}",
                    "source": f"s{text}",
                    "decision_point": True,
                    "context": f"c{text}",
                },
            )
        screen = await open_timeline(app, pilot)
        rows = [[c.plain for c in screen.table.get_row_at(5 + i)] for i in range(len(HOSTILE))]
        for text, row in zip(HOSTILE, rows, strict=True):
            assert f"e{text}" in row[2]
            assert f"↳ knew: c{text}" in row[2]
            # A long source is cut with an ellipsis in the table; the walk shows it whole.
            assert row[3] == f"s{text}" or f"s{text}".startswith(row[3].removesuffix("…"))
        screen.table.move_cursor(row=8)
        await pilot.press("w")
        await pilot.pause()
        text = screen_text(app)
        assert "e[@click=app.quit]q[/]" in text
        assert "s[@click=app.quit]q[/]" in text
        assert screen.walk.context_input.value == "c[@click=app.quit]q[/]"
        for _ in HOSTILE:
            await pilot.press("up")
            await pilot.pause()
            assert any(f"e{t}" in screen_text(app) for t in HOSTILE)
        await pilot.click("#walk-event")  # a [@click=…] in user text is no link
        await pilot.pause()
        assert app.is_running
        await pilot.press("escape")
        screen.table.move_cursor(row=6)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Delete the entry at 09:11: e[/?" in screen_text(app)
        await pilot.press("n")
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#form-event", FieldEditor).value == "e[/"
        assert "e[/" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, TimelineScreen)


# ---- a new or re-timed entry goes where its time puts it ----------------------------------


def _entries(*times: str) -> list[TimelineEntry]:
    return [TimelineEntry(time=t, event=f"event {i}", source="log") for i, t in enumerate(times)]


@pytest.mark.parametrize(
    ("times", "new", "wanted", "expected"),
    [
        (("14:00", "15:05"), "14:35", 2, 1),  # after the cursor, but earlier: before 15:05
        (("14:00", "15:05"), "16:00", 0, 2),  # before the first, but later: last
        (("14:00", "14:35", "15:05"), "14:35", 2, 2),  # in order where wanted: kept there
        (("14:00", "14:35", "15:05"), "14:35", 0, 2),  # after the entries at the same time
        (("14:00", "", "15:05"), "14:30", 3, 2),  # a blank time stays with its predecessor
        (("14:00", "15:05"), "", 1, 1),  # no time: where it was added
        ((), "14:35", 0, 0),
    ],
)
def test_time_position(
    times: tuple[str, ...], new: str, wanted: int, expected: int
) -> None:
    day = dt.date(2026, 1, 14)
    assert time_position(_entries(*times), new, day, wanted) == expected


def test_time_position_without_an_incident_day_keeps_the_two_forms_apart() -> None:
    # A bare HH:MM cannot be compared with a full timestamp when the day is unknown.
    entries = _entries("2026-01-14T15:05:00Z")
    assert time_position(entries, "14:35", None, 1) == 1
    assert time_position(entries, "2026-01-14T14:35:00Z", None, 1) == 0


async def test_an_earlier_entry_added_after_the_cursor_goes_in_time_order(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        screen.table.move_cursor(row=3)  # 08:41
        await pilot.press("a")
        form_editor(app, "time").input.value = "08:00"
        form_editor(app, "event").input.value = "Consumer lag reaches 10,000 messages"
        form_editor(app, "source").input.value = "consumer metrics"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.table.cursor_row == 2  # the cursor follows the new entry
        assert app.session is not None
        assert not [f for f in app.session.findings if f.code == "G-TIMELINE-ORDER"]
    times = [t for t, *_ in stored_timeline(sample_db)]
    assert times == ["07:50", "07:51", "08:00", "08:35", "08:41", "09:02"]


async def test_a_re_timed_entry_moves_to_its_place(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        screen.table.move_cursor(row=1)  # 07:51
        await pilot.press("e")
        form_editor(app, "time").input.value = "08:50"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.table.cursor_row == 3
    timeline = stored_timeline(sample_db)
    assert [t for t, *_ in timeline] == ["07:50", "08:35", "08:41", "08:50", "09:02"]
    assert timeline[3][1].startswith("Notification consumer stops")


async def test_walk_append_continues_from_where_the_entry_went(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        screen.table.move_cursor(row=4)
        screen._add_after(4, then_walk=True)
        await pilot.pause()
        form_editor(app, "time").input.value = "07:55"
        form_editor(app, "event").input.value = "Queue depth passes 1,000"
        form_editor(app, "source").input.value = "consumer metrics"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.walk.index == 2
    assert [t for t, *_ in stored_timeline(sample_db)][:3] == ["07:50", "07:51", "07:55"]


# ---- a long timeline (an imported log): T25 -------------------------------------------------

LONG = 10_000


def give_a_long_timeline(path: Path, count: int = LONG, ident: str = DRAFT) -> None:
    """Replace ``ident``'s timeline with ``count`` log lines in time order, every 100th judging."""
    store = reopen(path)
    try:
        doc = store.load(ident)
        entries = []
        for i in range(count):
            hour, minute = divmod(i * 1440 // count, 60)
            words = "just retried" if i % 100 == 50 else "retried"
            entries.append(TimelineEntry(
                time=f"{hour:02d}:{minute:02d}",
                event=f"log line {i}: consumer {words} batch {i * 7}",
                source="application log",
            ))
        store.replace(doc.model_copy(update={"timeline": entries}))
    finally:
        store.close()


# T25 (RELIABILITY.md)
async def test_a_ten_thousand_entry_timeline_opens_moves_and_takes_edits(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    give_a_long_timeline(sample_db)
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_timeline(app, pilot)
        table = screen.table
        assert table.row_count == LONG
        assert "log line 0: consumer retried" in screen_text(app)
        assert table.has_focus and table.cursor_row == 0

        await pilot.press("end")
        assert table.cursor_row == LONG - 1
        assert f"log line {LONG - 1}:" in screen_text(app)  # scrolled to it
        await pilot.press("home", "pagedown")
        shown = screen_text(app)
        assert 10 <= table.cursor_row < 30  # about one screen of rows down, and on screen
        assert f"log line {table.cursor_row}:" in shown

        # A decision point far down: stored, drawn on two lines, the cursor stays on it.
        table.move_cursor(row=7_500)
        await pilot.press("space")
        await pilot.pause()
        assert table.cursor_row == 7_500
        shown = screen_text(app)
        assert "log line 7500:" in shown
        assert "↳ ask: What information did you have" in shown
        assert app.session is not None
        assert app.session.doc.timeline[7_500].decision_point

        # The judging word is marked in a row drawn on demand, far from the first screen.
        table.move_cursor(row=9_950)
        await pilot.pause()
        event = table.get_row_at(9_950)[2]
        assert event.plain.startswith("log line 9950: consumer just retried")
        assert any(event.plain[s.start:s.end] == "just" for s in event.spans)

        # An edit through the form lands in the store; the cursor stays on the entry.
        table.move_cursor(row=7_501)
        await pilot.press("e")
        assert isinstance(app.screen, FormDialog)
        form_editor(app, "event").input.value = "Consumer lag back under 100 messages"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        assert table.cursor_row == 7_501
        assert table.get_row_at(7_501)[2].plain == "Consumer lag back under 100 messages"
        assert "Consumer lag back under 100 messages" in screen_text(app)
    timeline = stored_timeline(sample_db)
    assert len(timeline) == LONG
    assert timeline[7_500][3] is True
    assert timeline[7_501][1] == "Consumer lag back under 100 messages"
    assert timeline[7_502][1] == "log line 7502: consumer retried batch 52514"


async def test_a_click_selects_a_row_and_a_second_click_or_enter_edits_it(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app(open_id=DRAFT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        await pilot.click("#timeline-table", offset=(10, 3))  # the header, then rows 0, 1, 2
        await pilot.pause()
        assert screen.table.cursor_row == 2
        assert isinstance(app.screen, TimelineScreen)
        await pilot.click("#timeline-table", offset=(10, 3))
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert form_editor(app, "event").value == "Queue depth alert fires at 50,000 messages"
        await pilot.press("escape")
        await pilot.pause()
        screen.table.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert form_editor(app, "time").value == "08:41"


async def test_enter_on_a_published_timeline_opens_no_form(make_test_app: MakeApp) -> None:
    app = make_test_app(open_id="INC-2026-0219")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_timeline(app, pilot)
        await pilot.press("enter")
        await pilot.click("#timeline-table", offset=(10, 1))
        await pilot.pause()
        assert app.screen is screen
