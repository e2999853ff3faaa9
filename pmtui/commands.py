"""Provides the command palette: one provider per area, commands named "area: verb".

"go: timeline", "export: copy markdown INC-2026-0114", "postmortem: complete INC-2026-0114".
Each command calls an app action, so the palette, the bindings and the buttons all run
the same code; a command on a postmortem names the one it acts on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from pmtui.steps import STEPS

if TYPE_CHECKING:
    from pmtui.app import PmtuiApp

Command = tuple[str, str, Callable[["PmtuiApp"], object], bool]
"""(name, help, run, needs a postmortem)"""


class _ActionProvider(Provider):
    """Fuzzy-matches its commands' names; subclasses list the commands.

    A command that acts on a postmortem acts on the one the user sees on the screen the
    palette was opened from (``PmtuiApp.target_ident``): the open meeting's, or the row
    highlighted on Home. That id is decided when the palette opens and is named in the
    command, so what is chosen is what runs.
    """

    def commands(self, target: str | None) -> Iterable[Command]:
        return ()

    @property
    def pmtui(self) -> PmtuiApp:
        return self.app  # type: ignore[return-value]

    def _available(self) -> list[Command]:
        target = self.pmtui.target_ident(self.screen)
        return [c for c in self.commands(target) if target is not None or not c[3]]

    async def discover(self) -> Hits:
        for name, help_text, run, _ in self._available():
            yield DiscoveryHit(Content(name), partial(run, self.pmtui), name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run, _ in self._available():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(name), partial(run, self.pmtui), name, help=help_text
                )


def _go_step(app: PmtuiApp, ident: str, step: str) -> None:
    """Show ``step`` of ``ident``: the open meeting keeps its session (and unsaved edits)."""
    if app.session is not None and app.session.ident == ident:
        app.go(step)
    else:
        app.open_postmortem(ident, step)


class GoCommands(_ActionProvider):
    def commands(self, target: str | None) -> Iterable[Command]:
        yield ("go: home", "The list of postmortems", lambda app: app.go("home"), False)
        for mode, name, help_text in (
            ("search", "search", "Search every postmortem, ranked, with filters"),
            ("dashboard", "dashboard", "Error budgets, practice metrics, overdue work"),
            ("taxonomy", "failure classes", "The failure-class taxonomy"),
        ):
            yield (f"go: {name}", help_text, lambda app, m=mode: app.switch_mode(m), False)
        if target is None:
            return
        for step in STEPS:
            yield (
                f"go: {step.title.lower()}",
                f"{target}: {step.question}",
                lambda app, key=step.key: _go_step(app, target, key),
                True,
            )


class ExportCommands(_ActionProvider):
    def commands(self, target: str | None) -> Iterable[Command]:
        if target is None:
            return
        yield (
            f"export: copy markdown {target}",
            f"Copy {target} as Markdown to the clipboard",
            lambda app: app.action_copy_markdown(target),
            True,
        )
        for fmt, label in (
            ("yaml", "YAML (the article's template, round-trips)"),
            ("md", "Markdown for a wiki"),
            ("json", "JSON"),
            ("html", "a self-contained HTML page"),
            ("coe", "Amazon's Correction-of-Errors layout"),
            ("jira", "action items as a CSV for Jira's importer"),
            ("gh", "action items as a script of gh issue create commands"),
        ):
            yield (
                f"export: {fmt} file {target}",
                f"Write {target} as {label} to a file",
                lambda app, f=fmt: app.action_export(f, target),
                True,
            )


class PostmortemCommands(_ActionProvider):
    def commands(self, target: str | None) -> Iterable[Command]:
        yield ("postmortem: new", "Create a postmortem", lambda app: app.action_new(), False)
        yield (
            "postmortem: new near-miss",
            "A lightweight write-up of a near-miss",
            lambda app: app.action_new(near_miss=True),
            False,
        )
        if target is None:
            return
        yield (
            f"postmortem: complete {target}",
            f"Mark {target} complete (refused while anything blocks it)",
            lambda app: app.action_complete(target),
            True,
        )
        yield (
            f"postmortem: publish {target}",
            f"Record publication of {target} (once it is complete)",
            lambda app: app.action_publish(target),
            True,
        )
        yield (
            f"postmortem: reopen {target}",
            f"Take {target} (complete or published) back into the meeting",
            lambda app: app.action_reopen(target),
            True,
        )


class ClassesCommands(_ActionProvider):
    """The taxonomy's changes, on the class under the cursor of the Failure classes screen."""

    def commands(self, target: str | None) -> Iterable[Command]:
        for verb, action in (
            ("merge…", "merge"),
            ("rename…", "rename"),
            ("describe…", "describe"),
        ):
            yield (
                f"classes: {verb}",
                f"{verb.rstrip('…').capitalize()} a failure class on every postmortem",
                lambda app, a=action: _on_taxonomy(app, a),
                False,
            )


def _on_taxonomy(app: PmtuiApp, action: str) -> None:
    async def run() -> None:
        await app.screen.run_action(action)

    app.switch_mode("taxonomy")
    # The mode's screen is current only once the switch has been processed.
    app.call_after_refresh(run)
