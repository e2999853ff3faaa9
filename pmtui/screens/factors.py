"""Provides the Contributing factors step: each factor's five-whys ladder, closed by a change.

Left, the factors, each ✓ (closed: no gate left under it) or ○ (open). Right, the
selected factor's ladder: the factor, each "Why? / Because" step, where the chain stops
(its systemic property) and the change that closes it — linked action items with their
own problems, or a deferral. Keys are one letter and never open a dialog for typing a
why: ``w`` opens an inline prompt with the question pre-filled and the cursor in the
answer. ``c`` closes the chain: which systemic property, then create an item, link one
or record a deferral. When the latest answer stops at a person the screen asks "What
system property made that action possible?" and ``w`` proposes exactly that question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pmtui.domain.lint import blame_spans
from pmtui.domain.models import ContributingFactor, WhyStep
from pmtui.screens.base import StepScreen
from pmtui.screens.dialogs import ConfirmDialog
from pmtui.widgets import redraw
from pmtui.widgets.factors_chain import ChainEndMixin
from pmtui.widgets.ladder import (
    BLAME_QUESTION,
    Ladder,
    Rung,
    factor_line,
    is_closed,
    ladder_rows,
    next_question,
    people_of,
    stops_at_person,
)
from pmtui.widgets.ladder_prompt import (
    PromptBar,
    required,
    typing,
)
from pmtui.widgets.text import literal, template

_PATH = re.compile(r"contributing_factors\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?)?")


@dataclass(frozen=True)
class Started:
    """What an edit prompt opened on: the item as shown (its row, version and values),
    where it was, and for a why its factor. The save is checked against this."""

    item: ContributingFactor | WhyStep
    position: int
    parent: ContributingFactor | None = None


def blame_advice(text: str, people: Sequence[str] = ()) -> str | None:
    """The prompt's advice when ``text`` stops at a person (``people``: the document's)."""
    spans = blame_spans(text, people)
    if not spans:
        return None
    return f'"{spans[0].phrase}" stops at a person. {BLAME_QUESTION}'


def _hint(
    binding: str, action: str, label: str, tip: str, *, show: bool = True, priority: bool = True
) -> Binding:
    # Letter keys are priority bindings, off while a text field has the focus: they act
    # before keys typed after them are delivered, so type-ahead lands in the prompt.
    return Binding(
        binding,
        action,
        label,
        tooltip=tip,
        id=f"factors.{action.split('(')[0]}",
        show=show,
        priority=priority,
    )


class FactorsScreen(ChainEndMixin, StepScreen):
    STEP = "factors"
    BINDINGS = [
        _hint("a", "add_factor", "Add factor", "Add a contributing factor (one line)."),
        _hint("w", "why", "Why?", "Ask the next why of the selected factor's chain."),
        _hint("e", "edit", "Edit", "Edit the selected factor, step or chain end."),
        _hint(
            "c",
            "close_chain",
            "Close chain",
            "Name the systemic property the chain reached and the change that closes it.",
        ),
        _hint("u", "unlink", "Unlink", "Unlink the selected action item, or clear the deferral."),
        _hint("d", "delete", "Delete", "Delete the selected factor or why step."),
        _hint(
            "shift+up",
            "move(-1)",
            "Move up",
            "Move the factor or step up.",
            show=False,
            priority=False,
        ),
        _hint(
            "shift+down",
            "move(1)",
            "Move down",
            "Move the factor or step down.",
            show=False,
            priority=False,
        ),
        _hint(
            "left",
            "focus_list",
            "Factors",
            "Go to the list of factors.",
            show=False,
            priority=False,
        ),
        _hint(
            "right",
            "focus_ladder",
            "Ladder",
            "Go to the selected factor's ladder.",
            show=False,
            priority=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._index = 0
        self._return_to: Widget | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="factors-body"):
            with Vertical(id="factor-pane"):
                yield Static("Contributing factors", classes="pane-title", markup=False)
                yield OptionList(id="factor-list")
                # The footer cannot show every key at 80 columns; the left pane has room.
                yield Static(
                    "a add  w why  e edit  c close the chain  u unlink  d delete  ⇧↑↓ move"
                    "  → whys  ← factors",
                    id="factors-keys",
                    classes="hint",
                    markup=False,
                )
            with Vertical(id="ladder-pane"):
                yield Static("", id="ladder-state", markup=False)
                yield Ladder(id="ladder")
        # Full width, so the question stays on one line at 80 columns.
        yield Static("", id="ladder-blame", markup=False)
        yield PromptBar(on_submit=self._prompt_submitted, highlight_blame=True, id="factors-prompt")

    def on_resize(self) -> None:
        # PmtuiScreen.on_resize runs too: Textual calls every class's handler.
        # The ladder shows every problem of its chain: in a short terminal the step's
        # findings list gets less room (and none while the prompt is open).
        self.set_class(self.size.height < 32, "-short")

    # ---- widgets and the selected factor -----------------------------------------------

    @property
    def factor_list(self) -> OptionList:
        return self.query_one("#factor-list", OptionList)

    @property
    def ladder(self) -> Ladder:
        return self.query_one("#ladder", Ladder)

    @property
    def prompt(self) -> PromptBar:
        return self.query_one("#factors-prompt", PromptBar)

    @property
    def factor(self) -> ContributingFactor | None:
        factors = self.session.doc.contributing_factors
        return factors[self._index] if 0 <= self._index < len(factors) else None

    def _by_row(self, row_id: Any) -> tuple[int, ContributingFactor] | None:
        for index, factor in enumerate(self.session.doc.contributing_factors):
            if factor.row_id == row_id:
                return index, factor
        self.notify(
            "That factor was deleted in another terminal.", severity="warning", markup=False
        )
        return None

    @property
    def people(self) -> tuple[str, ...]:
        """The participants and the facilitator: named, a common verb is blame too."""
        return people_of(self.session.doc)

    def _blame_advice(self, text: str) -> str | None:
        return blame_advice(text, self.people)

    # ---- drawing -----------------------------------------------------------------------

    def refresh_body(self) -> None:
        doc = self.session.doc
        findings = self.session.findings
        factors = doc.contributing_factors
        self._index = max(0, min(self._index, len(factors) - 1))
        listing = self.factor_list
        with listing.prevent(OptionList.OptionHighlighted):
            redraw.set_options(
                listing,
                [Option(factor_line(i, f, is_closed(findings, i))) for i, f in enumerate(factors)],
            )
            if factors:
                listing.highlighted = self._index
        self._refresh_ladder()
        self.refresh_bindings()

    def _refresh_ladder(self, keep: bool = True) -> None:
        factor = self.factor
        state = self.query_one("#ladder-state", Static)
        blame = self.query_one("#ladder-blame", Static)
        if factor is None:
            self.ladder.show(
                [
                    (
                        Rung("empty"),
                        Content.styled(
                            "No contributing factors yet. Press a to add one; a postmortem needs "
                            "at least two — keep asking what else made this possible.",
                            "$text-warning",
                        ),
                    )
                ]
            )
            redraw.update(state, "")
            blame.remove_class("-shown")
            return
        doc = self.session.doc
        self.ladder.show(ladder_rows(doc, self._index, self.session.findings), keep=keep)
        closed = is_closed(self.session.findings, self._index)
        locked = "  (complete: reopen it to edit)" if self.session.locked else ""
        if closed:
            redraw.update(
                state,
                template(
                    "[b]F$n[/b] · [b $text-success]chain closed ✓[/]$l", n=self._index + 1, l=locked
                ),
            )
        else:
            gates = [
                f
                for f in self.session.findings_for(f"contributing_factors[{self._index}]")
                if f.level == "gate"
            ]
            redraw.update(
                state,
                template(
                    "[b]F$n[/b] · [b $text-error]chain open[/] — $m$l",
                    n=self._index + 1,
                    m=gates[0].message if gates else "",
                    l=locked,
                ),
            )
        asks = stops_at_person(factor, self.people)
        blame.set_class(asks, "-shown")
        redraw.update(blame, literal(f"⚠ {BLAME_QUESTION}  (w asks it)" if asks else ""))

    @on(OptionList.OptionHighlighted, "#factor-list")
    def _factor_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self._index:
            self._index = event.option_index
            self._refresh_ladder(keep=False)

    @on(OptionList.OptionSelected, "#factor-list")
    def _factor_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_edit()

    @on(OptionList.OptionSelected, "#ladder")
    def _rung_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_edit()

    # ---- the inline prompt ---------------------------------------------------------------

    def _ask(self, purpose: str, label: str, value: str = "", **kwargs: Any) -> None:
        focused = self.focused
        if focused is not None and self.prompt not in focused.ancestors_with_self:
            self._return_to = focused
        self.add_class("-prompting")  # the ladder shows what is open; give the prompt room
        self.prompt.blame_people = self.people  # the live highlight names them as Review does
        self.prompt.open(purpose, label, value, **kwargs)

    def _refocus(self) -> None:
        self.remove_class("-prompting")
        target = self._return_to if self._return_to is not None else self.ladder
        if target.is_attached:
            self.set_focus(target)
        # The footer keeps the prompt's keys unless told the focus changed back.
        self.call_after_refresh(self.refresh_bindings)

    def action_add_factor(self) -> None:
        self._ask(
            "factor-add",
            "New contributing factor — what else made this possible?",
            placeholder="e.g. the consumer does not reconnect after a broker failover",
            validate=required("the factor"),
            advise=self._blame_advice,
        )
        self._return_to = self.ladder

    def action_why(self) -> None:
        factor = self.factor
        if factor is None:
            self.notify("Add a contributing factor first (a).", markup=False)
            return
        n = self._index + 1
        last = factor.whys[-1] if factor.whys else None
        if last is not None and not last.answer.strip():
            # The chain's open question comes first: answer it rather than stack another.
            self._edit_why(len(factor.whys) - 1)
            return
        if factor.whys:  # keep the answer being asked about in sight above the prompt
            self.ladder.select(Rung("why", len(factor.whys) - 1))
        self._ask(
            "why-add",
            f"F{n} · why {len(factor.whys) + 1} — the question, then the answer",
            question=next_question(factor, self.people),
            placeholder="Because …",
            validate=required("the answer"),
            advise=self._blame_advice,
            context=factor.row_id,
        )

    def _edit_why(self, j: int) -> None:
        factor = self.factor
        if factor is None or not 0 <= j < len(factor.whys):
            return
        step = factor.whys[j]
        self.ladder.select(Rung("why", j))
        # The step as it is now is what the save is checked against (see _prompt_submitted).
        self._ask(
            "why-edit",
            f"F{self._index + 1} · why {j + 1}",
            step.answer,
            question=step.question or "Why?",
            placeholder="Because …",
            validate=required("the answer"),
            advise=self._blame_advice,
            context=Started(step, j, factor),
        )

    @on(PromptBar.Cancelled, "#factors-prompt")
    def _prompt_cancelled(self) -> None:
        self._refocus()

    def _prompt_submitted(self, event: PromptBar.Submitted) -> None:
        session, value = self.session, event.value.strip()
        if event.purpose == "factor-add":
            if self.save(lambda: session.add_item("contributing_factors", {"description": value})):
                self._index = len(session.doc.contributing_factors) - 1
                self.refresh_body()
        elif event.purpose == "factor-edit":
            self._save_started(event.context, {"description": value})
        elif event.purpose == "why-add":
            found = self._by_row(event.context)
            data = {"question": (event.question or "").strip() or "Why?", "answer": value}
            if found and self.save(lambda: session.add_item("whys", data, parent=found[1])):
                self._select(found[0], Rung("why", len(found[1].whys)))
        elif event.purpose == "why-edit":
            question = (event.question or "").strip() or "Why?"
            self._save_started(event.context, {"question": question, "answer": value})
        self._refocus()

    def _save_started(self, started: Started, values: dict[str, Any]) -> None:
        """Save what changed against the item as it was when the prompt opened.

        Not against the document now: a reload from the other terminal may have come in
        while the prompt was open, and saving over it would drop their edit silently. A
        field they changed too meets the conflict dialog; a deleted item is offered back.
        """
        item = started.item
        changes = {k: v for k, v in values.items() if v != getattr(item, k)}
        if not changes:
            return  # nothing typed over what was shown: nothing to save, nothing to meet
        collection = "whys" if started.parent is not None else "contributing_factors"
        self.save(
            lambda: self.session.update_item(
                collection, item, changes, parent=started.parent, position=started.position
            )
        )

    def _select(self, index: int, rung: Rung) -> None:
        self._index = index
        self.refresh_body()
        self.ladder.select(rung)

    # ---- editing what the cursor is on -------------------------------------------------

    def _rung(self) -> Rung:
        """What ``e``/``d`` act on: the factor when the list has focus, else the ladder's rung."""
        if self.factor_list.has_focus:
            return Rung("factor")
        return self.ladder.rung or Rung("factor")

    def action_edit(self) -> None:
        factor = self.factor
        if factor is None:
            return
        rung = self._rung()
        if rung.kind == "why":
            self._edit_why(rung.index)
        elif rung.kind == "property":
            self.action_close_chain()
        elif rung.kind == "change":
            self._choose_change(factor.row_id) if factor.whys else self.action_why()
        elif rung.kind == "item":
            self._edit_item(rung.ref)
        elif rung.kind == "deferral":
            self._defer(factor.row_id)
        else:
            self._ask(
                "factor-edit",
                f"F{self._index + 1} · the contributing factor",
                factor.description,
                validate=required("the factor"),
                advise=self._blame_advice,
                context=Started(factor, self._index),
            )

    def action_delete(self) -> None:
        factor = self.factor
        if factor is None:
            return
        rung = self._rung()
        if rung.kind in ("item", "deferral"):
            self.action_unlink()
            return
        if rung.kind == "why" and rung.index < len(factor.whys):
            step = factor.whys[rung.index]
            question = f"Delete why {rung.index + 1} of F{self._index + 1}?"
            delete: Callable[[], None] = lambda: self.session.delete_item("whys", step)  # noqa: E731
        else:
            whys = len(factor.whys)
            question = f"Delete F{self._index + 1}" + (f" and its {whys} whys?" if whys else "?")
            delete = lambda: self.session.delete_item("contributing_factors", factor)  # noqa: E731

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.save(delete)

        self.app.push_screen(ConfirmDialog(question), confirmed)

    def action_move(self, offset: int) -> None:
        factor = self.factor
        if factor is None:
            return
        rung = self.ladder.rung
        if self.ladder.has_focus and rung is not None and rung.kind == "why":
            j = rung.index + offset
            if 0 <= j < len(factor.whys) and self.save(
                lambda: self.session.move_item("whys", factor.whys[rung.index], j)
            ):
                self.ladder.select(Rung("why", j))
            return
        i = self._index + offset
        if 0 <= i < len(self.session.doc.contributing_factors) and self.save(
            lambda: self.session.move_item("contributing_factors", factor, i)
        ):
            self._index = i
            self.refresh_body()

    def action_focus_list(self) -> None:
        self.factor_list.focus()

    def action_focus_ladder(self) -> None:
        self.ladder.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if typing(self):
            return False  # the key is text for the focused field
        if action in ("why", "edit", "close_chain", "delete", "move"):
            return self.factor is not None or None
        if action == "unlink":
            factor = self.factor
            return (factor is not None and bool(factor.actions or factor.deferral)) or None
        return True

    def focus_path(self, path: str) -> None:
        match = _PATH.match(path)
        if match is None:
            self.factor_list.focus()
            return
        self._index = int(match[1])
        self.refresh_body()
        part, sub = match[2], match[3]
        if part in (None, "description"):
            self.factor_list.focus()
            return
        rung = {
            "whys": Rung("why", int(sub)) if sub is not None else Rung("why"),
            "systemic_property": Rung("property"),
            "deferral": Rung("deferral"),
            "actions": Rung("item"),
        }.get(part, Rung("factor"))
        self.ladder.focus()
        if not self.ladder.select(rung):
            self.ladder.select(Rung("change")) or self.ladder.select(Rung("property"))
