"""T39 through the app: importing a postmortem whose id exists asks, and does what was chosen.

Home's ``i`` imports a file; when its id is stored and the document differs, a dialog
offers Replace, Copy (a new id) and Skip, and Escape chooses nothing. Each choice is made
here by its key, as a person would, and the database is read back through a second handle
(what a restart would see): nothing is ever overwritten without the Replace choice.
The CLI's ``--on-existing`` path is tests/cli/test_cli.py (T39 too).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from pmtui.app import PmtuiApp
from pmtui.domain.models import Postmortem
from pmtui.export.formats import render
from pmtui.screens.dialogs import ChoiceDialog, FormDialog
from tests.app.conftest import reopen

MakeApp = Callable[..., PmtuiApp]
DRAFT = "INC-2026-1126"
FILE_TITLE = "Imported title [/] from the file"


def stored(path: Path) -> tuple[list[str], dict[str, Postmortem]]:
    with reopen(path) as store:
        ids = store.ids()
        return ids, {ident: store.load(ident) for ident in ids}


def differing_file(
    sample_db: Path, folder: Path, ident: str = DRAFT, title: str = FILE_TITLE
) -> Path:
    """The stored document as YAML, with another title: same id, different content."""
    with reopen(sample_db) as store:
        doc = store.load(ident).model_copy(update={"title": title})
    folder.mkdir(exist_ok=True)
    path = folder / f"{ident}.yaml"
    path.write_text(render(doc, "yaml"), encoding="utf-8")
    return path


def question(app: PmtuiApp) -> str:
    """The open dialog's question (the Home list behind it names every id too)."""
    return str(app.screen.query_one(".dialog--question", Static).render())


async def import_through_home(app: PmtuiApp, pilot: object, path: Path) -> None:
    """Home's ``i``, the path typed into the dialog's field, Enter."""
    await pilot.press("i")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, FormDialog)
    app.screen.query_one(Input).value = str(path)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


# T39: each choice of the import-conflict dialog, and Escape, against the database.
@pytest.mark.parametrize("key", ["r", "c", "s", "escape"])
async def test_each_choice_for_an_existing_id_does_exactly_that(
    make_test_app: MakeApp, sample_db: Path, tmp_path: Path, key: str
) -> None:
    before_ids, before = stored(sample_db)
    source = differing_file(sample_db, tmp_path / "in")
    app = make_test_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        await import_through_home(app, pilot, source)
        # Nothing is written before the choice: the dialog asks first.
        assert isinstance(app.screen, ChoiceDialog)
        assert question(app).startswith(f"{DRAFT} already exists")
        assert stored(sample_db) == (before_ids, before)
        await pilot.press(key)
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceDialog)
        assert app.is_running
    ids, after = stored(sample_db)
    if key == "r":  # replace: the stored one now reads as the file, under the same id
        assert ids == before_ids
        assert after[DRAFT].title == FILE_TITLE
        assert after[DRAFT].timeline == before[DRAFT].timeline
        assert {i: d for i, d in after.items() if i != DRAFT} == {
            i: d for i, d in before.items() if i != DRAFT
        }
    elif key == "c":  # copy: a new id holds the file; the stored one is untouched
        (new,) = set(ids) - set(before_ids)
        assert new != DRAFT and new.startswith("INC-2026-")
        assert after[new].title == FILE_TITLE
        assert {i: after[i] for i in before_ids} == before
    else:  # skip, or no choice at all: nothing changes
        assert (ids, after) == (before_ids, before)


async def test_two_conflicts_are_asked_one_at_a_time(
    make_test_app: MakeApp, sample_db: Path, tmp_path: Path
) -> None:
    """T39 for a directory: each differing id gets its own question, in turn."""
    folder = tmp_path / "in"
    titles = {DRAFT: "First file's title", "INC-2026-0114": "Second file's title"}
    for ident, title in titles.items():
        differing_file(sample_db, folder, ident, title)
    before_ids, before = stored(sample_db)
    app = make_test_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        await import_through_home(app, pilot, folder)
        asked = []
        for key in ("s", "r"):
            assert isinstance(app.screen, ChoiceDialog)
            asked.append(question(app).split()[0])
            await pilot.press(key)
            await pilot.pause()
        assert not isinstance(app.screen, ChoiceDialog)
    assert sorted(asked) == sorted([DRAFT, "INC-2026-0114"])
    ids, after = stored(sample_db)
    assert ids == before_ids
    skipped, replaced = asked
    assert after[skipped] == before[skipped]
    assert after[replaced].title == titles[replaced]


async def test_a_file_too_deeply_nested_is_a_notification_not_a_crash(
    make_test_app: MakeApp, sample_db: Path, tmp_path: Path
) -> None:
    """T35 under Pilot: the import's nesting limit is a message; the app keeps running."""
    deep = tmp_path / "deep.yaml"
    deep.write_text("id: INC-2026-0999\ntitle: " + "[" * 20_000 + "]" * 20_000 + "\n")
    before = stored(sample_db)
    app = make_test_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        await import_through_home(app, pilot, deep)
        assert app.is_running
        messages = [str(n.message) for n in app._notifications]
        assert any("deeply nested" in m for m in messages), messages
    assert stored(sample_db) == before
