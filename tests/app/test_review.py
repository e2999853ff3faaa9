"""Pilot tests of the Review step: findings, waivers, the door to completion, publish, export."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Static

from pmtui.app import PmtuiApp
from pmtui.export.formats import render
from pmtui.screens.dialogs import ConfirmDialog, FormDialog
from pmtui.screens.review import ReviewScreen
from pmtui.store import Store
from pmtui.widgets.field import FieldEditor
from tests.app.conftest import NOW, reopen, screen_text

DRAFT = "INC-2026-1126"
ARTICLE = "INC-2026-0114"
HOSTILE = ["[/]", "[/", "[bold]x", "[@click=app.quit]q[/]"]

MakeApp = Callable[..., PmtuiApp]


def static_text(app: PmtuiApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def notes(app: PmtuiApp) -> list[str]:
    """Every notification shown so far, as "title: message"."""
    return [f"{n.title}: {n.message}" for n in app._notifications]


def stored(path: Path) -> Store:
    return reopen(path)


async def open_review(app: PmtuiApp, pilot: object, ident: str = DRAFT) -> ReviewScreen:
    assert app.open_postmortem(ident, "review")
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def select_code(screen: ReviewScreen, code: str) -> None:
    listing = screen.findings_list
    finding = next(f for f in listing.findings if f.code == code)
    listing.highlighted = listing.index_of(finding)


async def test_the_drafts_gates_are_listed_first_with_their_codes(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        shown = screen.findings_list.findings
        store = stored(sample_db)
        expected = store.findings(DRAFT, NOW)
        store.close()
        assert sorted(f.key for f in shown) == sorted(f.key for f in expected)
        levels = [f.level for f in shown]
        assert levels == sorted(levels, key=lambda level: level != "gate")  # gates first
        codes = {f.code for f in shown if f.level == "gate"}
        assert {
            "G-FACTORS-MIN",
            "G-WHY-ANSWER",
            "G-CHAIN-OPEN",
            "G-HURT-EMPTY",
            "G-OWNER-ONE",
            "G-ACTION-DUE",
            "G-ACTION-TICKET",
        } <= codes
        gates = sum(1 for f in shown if f.level == "gate")
        advisories = sum(1 for f in shown if f.level == "advisory")
        assert f"✗ {gates} gates and {advisories} advisories remain — cannot complete yet" in (
            static_text(app, "#review-verdict")
        )
        text = screen_text(app)
        assert "✗ gate G-FACTORS-MIN · Factors & whys" in text
        assert "Publication (5 business days): deadline 2026-12-03 09:02 UTC — open" in text


@pytest.mark.parametrize(
    ("code", "step"),
    [("G-FACTORS-MIN", "factors"), ("G-OWNER-ONE", "actions"), ("G-HURT-EMPTY", "lessons")],
)
async def test_enter_on_a_finding_goes_to_its_step(
    make_test_app: MakeApp, code: str, step: str
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        select_code(screen, code)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == step


async def test_waiving_an_advisory_stores_the_reason(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        select_code(screen, "A-ACTION-VAGUE")
        await pilot.press("w")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        await pilot.press("ctrl+s")  # no reason: refused, the dialog stays
        assert app.screen is dialog
        dialog.query_one("#form-reason", FieldEditor).input.value = "A2 replaces it next week"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        waived = [f for f in screen.findings_list.findings if f.code == "A-ACTION-VAGUE"]
        assert waived[0].waiver is not None
        assert screen.findings_list.findings[-1].code == "A-ACTION-VAGUE"  # waived go last
        index = screen.findings_list.index_of(waived[0])
        assert index is not None
        option = screen.findings_list.get_option_at_index(index)
        assert "waived: A2 replaces it next week (platform-sre-lead)" in str(option.prompt)
        store = stored(sample_db)
        waivers = store.load(DRAFT).waivers
        store.close()
        assert [(w.code, w.reason, w.waived_by) for w in waivers] == [
            ("A-ACTION-VAGUE", "A2 replaces it next week", "platform-sre-lead")
        ]
        # W removes it again, after a confirmation.
        select_code(screen, "A-ACTION-VAGUE")
        await pilot.press("W")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        store = stored(sample_db)
        assert store.load(DRAFT).waivers == []
        store.close()


async def test_a_gate_cannot_be_waived(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_review(app, pilot)
        select_code(screen, "G-OWNER-ONE")
        await pilot.press("w")
        assert app.screen is screen  # no dialog
        assert any("G-OWNER-ONE is a gate: gates cannot be waived" in n for n in notes(app))
    store = stored(sample_db)
    assert store.load(DRAFT).waivers == []
    store.close()


async def test_complete_is_refused_with_the_findings(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_review(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        refusal = [n for n in notes(app) if n.startswith("Not complete")]
        assert refusal and "G-FACTORS-MIN · G-WHY-ANSWER" in refusal[0]
        # Counted in words: "1 gate", "2 gates", "1 advisory", "3 advisories".
        assert re.match(r"Not complete: \d+ gates? and \d+ advisor(y|ies) remain:", refusal[0])
        assert app.is_running
    store = stored(sample_db)
    assert store.load(DRAFT).status == "in-meeting"
    store.close()


async def test_complete_then_publish_shows_the_deadline_verdict(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.store.reopen(ARTICLE)
        screen = await open_review(app, pilot, ARTICLE)
        assert "Ready to complete" in static_text(app, "#review-verdict")
        assert screen.check_action("publish", ()) is None  # dimmed until complete
        await pilot.press("p")
        assert app.store.load(ARTICLE).status == "in-meeting"
        await pilot.press("c")
        await pilot.pause()
        store = stored(sample_db)
        assert store.load(ARTICLE).status == "complete"
        store.close()
        assert screen.check_action("publish", ()) is True
        assert screen.check_action("complete", ()) is False
        await pilot.press("p")
        await pilot.pause()
        store = stored(sample_db)
        doc = store.load(ARTICLE)
        store.close()
        assert doc.status == "published" and doc.date_published == NOW
        deadlines = static_text(app, "#review-deadlines")
        assert (
            "published 2026-11-29 10:00 UTC, deadline 2026-01-21 14:55 UTC — late "
            "(after the severity deadline)" in deadlines
        )
        assert "Published 2026-11-29 10:00 UTC" in static_text(app, "#review-verdict")
        # Reopen takes it back into the meeting.
        await pilot.press("o")
        await pilot.pause()
        assert app.store.load(ARTICLE).status == "in-meeting"


# T31 (RELIABILITY.md)
async def test_copy_markdown_names_the_method_that_worked(
    make_test_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyperclip

    def no_clipboard(text: str) -> None:
        raise pyperclip.PyperclipException("no clipboard mechanism")

    monkeypatch.setattr(pyperclip, "copy", no_clipboard)
    app = make_test_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_review(app, pilot)
        await pilot.press("y")
        assert app.session is not None
        assert app.clipboard == render(app.session.doc, "md")
        assert any("OSC 52" in n and "no system clipboard was found" in n for n in notes(app))
        assert not any("Exception" in n for n in notes(app))  # no internal names

    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    app = make_test_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_review(app, pilot)
        await pilot.press("y")
        assert app.session is not None
        assert copied == [render(app.session.doc, "md")]
        assert any("Copied to the system clipboard" in n for n in notes(app))


@pytest.mark.parametrize(("key", "fmt"), [("x", "md"), ("j", "jira"), ("g", "gh")])
async def test_export_writes_the_rendered_document(
    make_test_app: MakeApp, tmp_path: Path, key: str, fmt: str
) -> None:
    app = make_test_app()
    target = tmp_path / "out" / f"export.{fmt}"
    target.parent.mkdir()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(app, pilot)
        await pilot.press(key)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.values()["format"] == fmt
        dialog.query_one("#form-path", FieldEditor).input.value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.session is not None
        assert target.read_bytes().decode("utf-8") == render(app.session.doc, fmt)


async def test_export_to_a_missing_folder_is_refused_with_the_dialog_open(
    make_test_app: MakeApp, tmp_path: Path
) -> None:
    app = make_test_app()
    target = tmp_path / "out" / "export.md"
    async with app.run_test(size=(100, 30)) as pilot:
        await open_review(app, pilot)
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#form-path", FieldEditor).input.value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog  # what was typed is still there to correct
        problems = dialog.query_one(".dialog--problems", Static)
        assert f"the folder {target.parent} does not exist" in str(problems.render())
        dialog.query_one("#form-path", FieldEditor).input.value = str(tmp_path)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert f"{tmp_path} is a folder: name a file in it" in str(problems.render())
        target.parent.mkdir()
        dialog.query_one("#form-path", FieldEditor).input.value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not dialog and target.exists()


async def test_choosing_another_format_follows_with_the_file_name(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(app, pilot)
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.values()["path"].endswith(".md")
        from textual.widgets import Select

        dialog.query_one("#form-format", Select).value = "html"
        await pilot.pause()
        assert dialog.values()["path"].endswith(".html")


# T18 (RELIABILITY.md)
async def test_user_text_is_shown_literally(make_test_app: MakeApp, sample_db: Path) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        session = app.session
        assert session is not None
        session.set_field("title", " ".join(HOSTILE))
        vague = next(f for f in session.findings if f.code == "A-ACTION-VAGUE")
        session.waive(vague, " ".join(HOSTILE), by=HOSTILE[3])
        session.update_item(
            "action_items",
            session.doc.action_items[0],
            {"description": "investigate " + HOSTILE[3]},
        )
        screen.refresh_all()
        await pilot.pause()
        text = screen_text(app)
        assert " ".join(HOSTILE)[:20] in text  # the header (the title may be cut at 80)
        prompts = "\n".join(
            str(screen.findings_list.get_option_at_index(i).prompt)
            for i in range(screen.findings_list.option_count)
        )
        assert "waived: [/] [/ [bold]x [@click=app.quit]q[/] ([@click=app.quit]q[/])" in prompts
        await pilot.click("#review-findings")
        assert app.is_running


@pytest.mark.parametrize("size", [(80, 24), (60, 16), (20, 5)])
async def test_small_terminals_do_not_crash(make_test_app: MakeApp, size: tuple[int, int]) -> None:
    app = make_test_app()
    async with app.run_test(size=size) as pilot:
        await open_review(app, pilot)
        await pilot.press("down", "down", "w", "escape", "c")
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert app.is_running


# ---- every rule with its state --------------------------------------------------------------


def option_texts(screen: ReviewScreen) -> list[str]:
    listing = screen.findings_list
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_a_ready_postmortem_lists_every_gate_passing_and_its_waived_advisory(
    make_test_app: MakeApp,
) -> None:
    from pmtui.domain.findings import CODES

    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.store.reopen(ARTICLE)
        screen = await open_review(app, pilot, ARTICLE)
        assert "✓ Ready to complete" in static_text(app, "#review-verdict")
        texts = option_texts(screen)
        gates = [code for code, (level, _) in CODES.items() if level == "gate"]
        assert f"Gates — all {len(gates)} pass" in texts
        for code in gates:
            assert any(t.startswith(f"✓ {code} ") for t in texts), code
        waived = [t for t in texts if t.startswith("~ waived A-RECURRENCE")]
        assert waived and "waived: INC-2025-0804's" in waived[0]
        # Every advisory is there: waived, or clear with a ✓.
        for code in (c for c, (level, _) in CODES.items() if level == "advisory"):
            assert any(t.startswith((f"✓ {code} ", f"~ waived {code}")) for t in texts), code
        # What needs attention comes before what passes.
        assert texts.index(waived[0]) < next(i for i, t in enumerate(texts) if t.startswith("✓"))


async def test_a_blocked_postmortem_shows_failing_and_passing_gates(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        texts = option_texts(screen)
        heading = next(t for t in texts if t.startswith("Gates — "))
        assert " of 23 fail, in " in heading
        assert any(t.startswith("✗ gate G-FACTORS-MIN") for t in texts)
        assert any(t.startswith("✓ G-NORMS ") and "norms statement was read" in t for t in texts)
        assert not any(t.startswith("✓ G-FACTORS-MIN") for t in texts)
        # The cursor starts on the first failing gate, never on a heading.
        assert screen.findings_list.selected is not None
        assert screen.findings_list.selected.level == "gate"


async def test_passing_rules_scroll_into_view_at_80x24_and_enter_stays(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("end")
        await pilot.pause()
        assert "✓ A-WAIVER-GATE" in screen_text(app)
        assert screen.findings_list.selected is None  # a passing rule, not a finding
        await pilot.press("enter", "w")  # nothing to go to, nothing to waive (it says so)
        await pilot.pause()
        assert app.screen is screen and app.current_mode == "review"


async def test_a_reopened_postmortem_says_it_was_published(make_test_app: MakeApp) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot, ARTICLE)
        await pilot.press("o")
        await pilot.pause()
        assert app.store.load(ARTICLE).status == "in-meeting"
        status = static_text(app, "#review-status")
        assert "Status: in-meeting (reopened; was published 2026-01-20)" in status
        deadlines = static_text(app, "#review-deadlines")
        assert "was published 2026-01-20 10:00 UTC" in deadlines
        assert "reopened since — not published now" in deadlines
        assert screen.check_action("publish", ()) is None  # complete it first


def test_every_rule_in_the_catalogue_has_its_passing_line() -> None:
    from pmtui.domain.findings import CODES
    from pmtui.widgets.review_findings import passing_text

    for code in CODES:
        assert passing_text(code) and not passing_text(code).startswith("none found"), code
    assert passing_text("G-NEW-RULE") == "none found"


async def test_export_toast_names_the_absolute_path(
    make_test_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_test_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_review(app, pilot)
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        # A relative name is written in the working directory.
        dialog.query_one("#form-path", FieldEditor).input.value = "out.md"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert (tmp_path / "out.md").exists()
        assert f"Exported {DRAFT}: Wrote {tmp_path / 'out.md'}" in notes(app)


async def test_waiving_one_of_two_recurrences_at_one_path_leaves_the_other_open(
    make_test_app: MakeApp, sample_db: Path
) -> None:
    """The waiver names exactly the finding waived (its path#subject), not every finding
    of its code at that path: another past postmortem's undone item still needs its answer."""
    store = stored(sample_db)
    store.add_failure_class(DRAFT, "n+1-query")  # shared with INC-2025-0804 and INC-2026-0114
    store.close()
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        recurrences = [f for f in screen.findings_list.findings if f.code == "A-RECURRENCE"]
        assert len(recurrences) == 2 and len({f.path for f in recurrences}) == 1
        waived, other = recurrences
        listing = screen.findings_list
        listing.highlighted = listing.index_of(waived)
        await pilot.press("w")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#form-reason", FieldEditor).input.value = "Carried into A1"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        now = {f.key: f for f in screen.findings_list.findings if f.code == "A-RECURRENCE"}
        assert now[waived.key].waiver is not None
        assert now[other.key].waiver is None  # still open: it blocks completion
    store = stored(sample_db)
    waivers = store.load(DRAFT).waivers
    findings = {f.key: f for f in store.findings(DRAFT, NOW) if f.code == "A-RECURRENCE"}
    store.close()
    assert [(w.code, w.path) for w in waivers] == [("A-RECURRENCE", waived.waiver_path)]
    assert "#" in waived.waiver_path
    assert findings[other.key].blocking and not findings[waived.key].blocking


async def test_the_cursor_moves_to_a_finding_still_open_and_w_on_a_passing_rule_says_why(
    make_test_app: MakeApp,
) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_review(app, pilot)
        listing = screen.findings_list
        still_open = [f for f in listing.findings if f.waiver is None]
        assert len(still_open) >= 2
        last = still_open[-1]
        listing.highlighted = listing.index_of(last)
        # The last one fixed (elsewhere): the cursor goes to what is left, not to a ✓ row.
        listing.show([f for f in app.session.findings if f.key != last.key])  # type: ignore[union-attr]
        assert listing.selected is not None and listing.selected.key == still_open[-2].key
        # On a passing rule, w says why nothing happens.
        passing = next(i for i, row in enumerate(listing.rows) if type(row).__name__ == "Passed")
        listing.highlighted = passing
        await pilot.press("w")
        await pilot.pause()
        assert app.screen is screen
        assert any("Select an advisory (!) to waive it" in n for n in notes(app))
