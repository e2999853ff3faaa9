"""Provides the What helped / What hurt step: two lists of facts, typed as they are said.

The lists sit side by side (stacked in a narrow terminal). ``a`` opens an input at the
bottom of the focused list: Enter saves the fact and keeps the input open for the next
one, Escape closes it. ``e`` edits the selected fact in the same input, ``d`` deletes it
(after a confirmation). Tab, ← and → move between the lists.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pmtui.screens.base import StepScreen
from pmtui.screens.dialogs import ConfirmDialog
from pmtui.session import TextItem
from pmtui.widgets import redraw
from pmtui.widgets.ladder import Hanging
from pmtui.widgets.ladder_prompt import (
    PromptBar,
    required,
    typing,
)
from pmtui.widgets.text import literal, one_line

LISTS = (
    ("what_helped", "What helped", "e.g. the canary caught the error in 4 minutes"),
    ("what_hurt", "What hurt", "e.g. the runbook pointed at a dashboard that no longer exists"),
)
NARROW = 76  # below this width the two lists stack


def _binding(key: str, action: str, label: str, tip: str, *, show: bool = True) -> Binding:
    # Letters are priority bindings, off while typing: type-ahead lands in the input.
    return Binding(
        key,
        action,
        label,
        tooltip=tip,
        id=f"lessons.{action.split('(')[0]}",
        show=show,
        priority=show,
    )


class LessonsScreen(StepScreen):
    STEP = "lessons"
    BINDINGS = [
        _binding("a", "add", "Add", "Add facts to the focused list (Enter saves, Esc closes)."),
        _binding("e", "edit", "Edit", "Edit the selected fact."),
        _binding("d", "delete", "Delete", "Delete the selected fact."),
        _binding("left", "focus_list(0)", "What helped", "Go to what helped.", show=False),
        _binding("right", "focus_list(1)", "What hurt", "Go to what hurt.", show=False),
    ]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="lessons-body"):
            for name, title, _ in LISTS:
                with Vertical(classes="lessons-pane", id=f"pane-{name}"):
                    yield Static(title, classes="pane-title", markup=False)
                    yield OptionList(id=f"list-{name}", classes="lessons-list")
                    yield PromptBar(on_submit=self._submitted, id=f"prompt-{name}")

    def _list(self, name: str) -> OptionList:
        return self.query_one(f"#list-{name}", OptionList)

    def _prompt(self, name: str) -> PromptBar:
        return self.query_one(f"#prompt-{name}", PromptBar)

    def on_resize(self) -> None:
        # PmtuiScreen.on_resize runs too: Textual calls every class's handler.
        self.query_one("#lessons-body").set_class(self.size.width < NARROW, "-stacked")

    def refresh_body(self) -> None:
        doc = self.session.doc
        for name, _, _ in LISTS:
            facts: list[str] = getattr(doc, name)
            listing = self._list(name)
            highlighted = listing.highlighted
            if facts:
                redraw.set_options(
                    listing, [Option(Hanging("• ", literal(one_line(f, 1000)))) for f in facts]
                )
                listing.highlighted = min(highlighted or 0, len(facts) - 1)
            else:
                redraw.set_options(
                    listing, [Option(literal("(nothing yet: press a to add)"), disabled=True)]
                )
        self.refresh_bindings()

    # ---- which list --------------------------------------------------------------------

    def _current(self) -> str:
        """The list the user is in: the focused list or prompt, else what helped."""
        focused = self.focused
        for name, _, _ in LISTS:
            pane = self.query_one(f"#pane-{name}")
            if focused is not None and pane in focused.ancestors_with_self:
                return name
        return LISTS[0][0]

    def _selected(self, name: str) -> int | None:
        facts = getattr(self.session.doc, name)
        index = self._list(name).highlighted
        return index if facts and index is not None and index < len(facts) else None

    def action_focus_list(self, which: int) -> None:
        self._list(LISTS[which][0]).focus()

    # ---- adding, editing, deleting -----------------------------------------------------

    def action_add(self) -> None:
        name = self._current()
        title, placeholder = next((t, p) for n, t, p in LISTS if n == name)
        self._prompt(name).open(
            "add",
            f"{title} — one fact per line",
            placeholder=placeholder,
            hint="Enter saves, stays open · Esc closes",
            validate=required("the fact"),
            keep_open=True,
        )

    def action_edit(self) -> None:
        name = self._current()
        index = self._selected(name)
        if index is None:
            return
        fact = self.session.text_item(name, index)
        if fact is None:
            return
        # The fact by its row, as shown now: the save is checked against it, wherever
        # the other terminal's edits move it meanwhile.
        self._prompt(name).open(
            "edit", f"Edit fact {index + 1}", fact.text, validate=required("the fact"), context=fact
        )

    def action_delete(self) -> None:
        name = self._current()
        index = self._selected(name)
        if index is None:
            return
        fact = self.session.text_item(name, index)
        if fact is None:
            return
        text = one_line(fact.text, 60)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.save(lambda: self.session.delete_text(fact))

        self.app.push_screen(ConfirmDialog(f"Delete “{text}”?"), confirmed)

    def _submitted(self, event: PromptBar.Submitted) -> None:
        name = (event.bar.id or "").removeprefix("prompt-")
        text = event.value.strip()
        if event.purpose == "add":
            if self.save(lambda: self.session.add_text(name, text)):
                listing = self._list(name)
                listing.highlighted = listing.option_count - 1
        elif event.purpose == "edit":
            fact: TextItem = event.context
            if text != fact.text:
                self.save(lambda: self.session.update_text(fact, text))
            self._list(name).focus()
            self.call_after_refresh(self.refresh_bindings)

    @on(PromptBar.Cancelled)
    def _cancelled(self, event: PromptBar.Cancelled) -> None:
        self._list((event.bar.id or "").removeprefix("prompt-")).focus()
        self.call_after_refresh(self.refresh_bindings)

    @on(OptionList.OptionSelected, ".lessons-list")
    def _selected_fact(self) -> None:
        self.action_edit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if typing(self):
            return False  # the key is text for the focused field
        if action in ("edit", "delete"):
            return self._selected(self._current()) is not None or None
        return True

    def focus_path(self, path: str) -> None:
        for name, _, _ in LISTS:
            if path.startswith(name):
                listing = self._list(name)
                listing.focus()
                index = path.removeprefix(name).strip("[]")
                if index.isdigit() and int(index) < listing.option_count:
                    listing.highlighted = int(index)
                return
