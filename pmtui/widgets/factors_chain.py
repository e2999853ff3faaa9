"""Provides the end of a why-chain: its systemic property and the change that closes it.

The flows behind the Factors screen's ``c`` and ``u`` keys, kept apart from the screen's
layout: pick the systemic property the chain reached, then create an action item
(validated as you type), link an existing one, or record a deferral; unlink an item or
clear a deferral. A mixin for :class:`pmtui.screens.factors.FactorsScreen`: every save
goes through the screen's ``save`` so failures become notifications.

Each edit keeps the factor or item as it was when its picker or form opened, and saves
against that (as the screen's prompts do): the other terminal's save reloaded while the
dialog was open meets the conflict dialog instead of being overwritten, and an item it
deleted is offered back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pmtui.domain.models import ContributingFactor
from pmtui.screens.dialogs import ConfirmDialog
from pmtui.widgets.actions_form import changed, changes_from, deferral_dialog, item_dialog
from pmtui.widgets.factors_pick import Pick, PickDialog
from pmtui.widgets.ladder import PROPERTIES, Rung
from pmtui.widgets.text import one_line

if TYPE_CHECKING:
    from textual.app import App

    from pmtui.session import MeetingSession
    from pmtui.widgets.ladder import Ladder


class ChainEndMixin:
    """``c`` (close the chain), ``u`` (unlink / clear the deferral) and item editing."""

    if TYPE_CHECKING:
        # Provided by the screen this is mixed into.
        app: App[Any]
        session: MeetingSession
        ladder: Ladder
        factor: ContributingFactor | None
        _index: int

        def save(self, action: Callable[[], Any]) -> bool: ...
        def notify(self, message: str, **kwargs: Any) -> None: ...
        def _by_row(self, row_id: Any) -> tuple[int, ContributingFactor] | None: ...
        def _select(self, index: int, rung: Rung) -> None: ...

    def _edit_item(self, ref: str) -> None:
        doc = self.session.doc
        item = doc.action_item(ref)
        if item is None:
            return
        # The item as shown now, where it is and which chains link it: what the save is
        # checked against, and what "keep mine" puts back if the other terminal deletes it.
        index = doc.action_items.index(item)
        links = [f for f in doc.contributing_factors if ref in f.actions]

        def edited(values: dict[str, Any] | None) -> None:
            changes = changed(item, changes_from(values)) if values else {}
            if changes:
                self.save(
                    lambda: self.session.update_item(
                        "action_items", item, changes, position=index, links=links
                    )
                )

        self.app.push_screen(
            item_dialog(f"Edit action item {ref}", item, locked=self.session.locked), edited
        )

    # ---- closing the chain -------------------------------------------------------------

    def action_close_chain(self) -> None:
        factor = self.factor
        if factor is None:
            return
        index = self._index  # the factor as shown now is what the choice is saved against
        picks = [
            Pick(value, label, key, meaning) for value, (key, label, meaning) in PROPERTIES.items()
        ]
        answers = [w.answer for w in factor.whys if w.answer.strip()]
        note = f"F{index + 1}'s last answer: " + one_line(answers[-1], 120) if answers else ""

        def chosen(value: str | None) -> None:
            if not value:
                return
            changes = changed(factor, {"systemic_property": value})
            if changes and not self.save(
                lambda: self.session.update_item(
                    "contributing_factors", factor, changes, position=index
                )
            ):
                return
            self._choose_change(factor.row_id)

        self.app.push_screen(
            PickDialog(
                "Which systemic property did this chain reach?",
                picks,
                current=factor.systemic_property,
                note=note,
            ),
            chosen,
        )

    def _choose_change(self, row_id: Any) -> None:
        found = self._by_row(row_id)
        if found is None:
            return
        factor = found[1]
        free = [i for i in self.session.doc.action_items if i.id not in factor.actions]
        picks = [
            Pick(
                "create", "Create an action item", "c", "description, owner, due, ticket, priority"
            ),
            Pick(
                "link",
                "Link an existing action item",
                "l",
                f"{len(free)} in this postmortem not linked here" if free else "none to link",
                disabled=not free,
            ),
            Pick(
                "defer",
                "Record a deferral",
                "d",
                "we are choosing not to fix this: why, who decided, review date",
            ),
        ]
        flows: dict[str, Callable[[Any], None]] = {
            "create": self._create_item,
            "link": self._link_item,
            "defer": self._defer,
        }

        def chosen(value: str | None) -> None:
            if value in flows:
                flows[value](row_id)

        self.app.push_screen(PickDialog("What change closes it?", picks), chosen)

    def _create_item(self, row_id: Any) -> None:
        found = self._by_row(row_id)
        if found is None:
            return
        created: dict[str, str] = {}

        def create(values: dict[str, Any]) -> None:
            item = self.session.add_item("action_items", changes_from(values))
            created["ref"] = item.id
            again = self._by_row(row_id)
            if again:
                self.session.link_action(again[1], item.id)

        def saved(values: dict[str, Any] | None) -> None:
            if values and self.save(lambda: create(values)):
                self._select(self._index, Rung("item", ref=created.get("ref", "")))

        self.app.push_screen(item_dialog(f"New action item for F{found[0] + 1}"), saved)

    def _link_item(self, row_id: Any) -> None:
        found = self._by_row(row_id)
        if found is None:
            return
        free = [i for i in self.session.doc.action_items if i.id not in found[1].actions]
        picks = [
            Pick(
                i.id,
                f"{i.id}  {one_line(i.description, 60) or '(no description)'}",
                hint=f"owner {one_line(i.owner, 30) or '—'} · due "
                f"{i.due.isoformat() if i.due else '—'} · ticket {i.ticket or '—'}",
            )
            for i in free
        ]

        def chosen(ref: str | None) -> None:
            again = self._by_row(row_id) if ref else None
            if again and ref and self.save(lambda: self.session.link_action(again[1], ref)):
                self._select(again[0], Rung("item", ref=ref))

        self.app.push_screen(PickDialog("Link which action item?", picks), chosen)

    def _defer(self, row_id: Any) -> None:
        found = self._by_row(row_id)
        if found is None:
            return
        index, factor = found  # the deferral as shown is what the save is checked against

        def saved(values: dict[str, Any] | None) -> None:
            if not values:
                return
            changes = changed(factor, {"deferral": changes_from(values)})
            if changes and not self.save(
                lambda: self.session.update_item(
                    "contributing_factors", factor, changes, position=index
                )
            ):
                return
            again = self._by_row(row_id)
            if again:
                self._select(again[0], Rung("deferral"))

        self.app.push_screen(deferral_dialog(factor.deferral), saved)

    # ---- unlinking, deleting, moving ---------------------------------------------------

    def action_unlink(self) -> None:
        factor = self.factor
        if factor is None:
            return
        rung = self.ladder.rung if self.ladder.has_focus else None
        if rung is not None and rung.kind == "item":
            ref = rung.ref
        elif (rung is not None and rung.kind == "deferral") or not factor.actions:
            self._clear_deferral(factor)
            return
        elif len(factor.actions) == 1 and factor.deferral is None:
            ref = factor.actions[0]
        else:
            self.ladder.focus()
            self.ladder.select(Rung("item"))
            self.notify("Put the cursor on the item to unlink, then press u.", markup=False)
            return
        self.save(lambda: self.session.unlink_action(factor, ref))

    def _clear_deferral(self, factor: ContributingFactor) -> None:
        if factor.deferral is None:
            return
        index = self._index

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.save(
                    lambda: self.session.update_item(
                        "contributing_factors", factor, {"deferral": None}, position=index
                    )
                )

        self.app.push_screen(ConfirmDialog(f"Clear F{self._index + 1}'s deferral?"), confirmed)
