"""Provides the command palette: one provider per area, commands named "area: verb".

"go: timeline", "export: copy markdown", "postmortem: complete". Each command calls
an app action, so the palette, the bindings and the buttons all run the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from pmtui.steps import STEPS

if TYPE_CHECKING:
    from pmtui.app import PmtuiApp

Command = tuple[str, str, Callable[["PmtuiApp"], object], bool]
"""(name, help, run, needs an open postmortem)"""


class _ActionProvider(Provider):
    """Fuzzy-matches its commands' names; subclasses list the commands."""

    def commands(self) -> Iterable[Command]:
        return ()

    @property
    def pmtui(self) -> PmtuiApp:
        return self.app  # type: ignore[return-value]

    def _available(self) -> list[Command]:
        has_session = self.pmtui.session is not None
        return [c for c in self.commands() if has_session or not c[3]]

    async def discover(self) -> Hits:
        for name, help_text, run, _ in self._available():
            yield DiscoveryHit(name, partial(run, self.pmtui), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run, _ in self._available():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(run, self.pmtui), help=help_text)


class GoCommands(_ActionProvider):
    def commands(self) -> Iterable[Command]:
        yield ("go: home", "The list of postmortems", lambda app: app.go("home"), False)
        for mode, name, help_text in (
            ("search", "search", "Search every postmortem, ranked, with filters"),
            ("dashboard", "dashboard", "Error budgets, practice metrics, overdue work"),
            ("taxonomy", "failure classes", "The failure-class taxonomy"),
        ):
            yield (f"go: {name}", help_text, lambda app, m=mode: app.switch_mode(m), False)
        for step in STEPS:
            yield (
                f"go: {step.title.lower()}",
                step.question,
                lambda app, key=step.key: app.go(key),
                True,
            )


class ExportCommands(_ActionProvider):
    def commands(self) -> Iterable[Command]:
        yield (
            "export: copy markdown",
            "Copy the postmortem as Markdown to the clipboard",
            lambda app: app.action_copy_markdown(),
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
                f"export: {fmt} file",
                f"Write {label} to a file",
                lambda app, f=fmt: app.action_export(f),
                True,
            )


class PostmortemCommands(_ActionProvider):
    def commands(self) -> Iterable[Command]:
        yield ("postmortem: new", "Create a postmortem", lambda app: app.action_new(), False)
        yield (
            "postmortem: new near-miss",
            "A lightweight write-up of a near-miss",
            lambda app: app.action_new(near_miss=True),
            False,
        )
        yield (
            "postmortem: complete",
            "Mark complete (refused while anything blocks it)",
            lambda app: app.action_complete(),
            True,
        )
        yield (
            "postmortem: publish",
            "Record publication of a complete postmortem",
            lambda app: app.action_publish(),
            True,
        )
        yield (
            "postmortem: reopen",
            "Take a complete postmortem back into the meeting",
            lambda app: app.action_reopen(),
            True,
        )


class ClassesCommands(_ActionProvider):
    """The taxonomy's changes, on the class under the cursor of the Failure classes screen."""

    def commands(self) -> Iterable[Command]:
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


COMMAND_PROVIDERS = (GoCommands, ExportCommands, PostmortemCommands, ClassesCommands)
