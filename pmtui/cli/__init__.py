"""Provides the ``pmtui`` command: a click group whose bare form opens the app.

Errors a user or a file caused end here as one line on stderr and exit code 2; they
never print a traceback. Commands that only read never create a database.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from pmtui import __version__
from pmtui.domain.errors import DocumentInvalid, PmtuiError
from pmtui.paths import default_db_path

EXIT_ERROR = 2

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Settings:
    """What the group's options decided, handed to every command."""

    def __init__(self, db: Path | None, role: str) -> None:
        self.db_option = db
        self.role = role

    @property
    def db_path(self) -> Path:
        return self.db_option if self.db_option is not None else default_db_path()

    def open_store(self, *, create: bool = False, readonly: bool = False) -> Any:
        """The store at the chosen path; reading commands never create the file."""
        from pmtui.store import NeedsUpgrade, Store

        try:
            store = Store.open(self.db_path, create=create, readonly=readonly)
        except NeedsUpgrade:
            if not os.access(self.db_path, os.W_OK):
                raise
            # A reading command on a file from an older pmtui: upgrade it once, as the app
            # or any writing command would (a backup is taken first), then read.
            Store.open(self.db_path).close()
            click.echo(f"pmtui: upgraded {self.db_path} to this version's format", err=True)
            store = Store.open(self.db_path, create=create, readonly=readonly)
        for warning in store.warnings:
            click.echo(f"pmtui: warning: {warning}", err=True)
        return store


pass_settings = click.make_pass_decorator(Settings)


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    click.echo(f"pmtui: {message}", err=True)
    sys.exit(code)


def write_output(path: Path, text: str, *, force: bool) -> None:
    """Write a command's output file atomically; an existing file needs ``--force``."""
    from pmtui.export.files import TargetExists, write_text_atomic

    try:
        write_text_atomic(path, text, overwrite=force)
    except TargetExists as exc:
        fail(f"{exc.path} exists already; use --force to replace it")


class PmtuiGroup(click.Group):
    """Turns a PmtuiError raised by any command into one line and exit code 2.

    The commands' modules (which import the models, the rules and the exports) are
    imported when a command is looked up, not when ``pmtui`` starts: opening the app
    needs none of them, and its first screen paints before pydantic is imported.
    """

    def _load_commands(self) -> None:
        from pmtui.cli import documents, knowledge, rules, screens_command, serve  # noqa: F401

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load_commands()
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DocumentInvalid as exc:
            head = f"{exc.source}: " if exc.source else ""
            if len(exc.problems) == 1:
                fail(head + exc.problems[0])
            click.echo(f"pmtui: {head}{len(exc.problems)} problems", err=True)
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
            sys.exit(EXIT_ERROR)
        except PmtuiError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            sys.exit(130)


@click.group(cls=PmtuiGroup, invoke_without_command=True, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="PMTUI_DB",
    help="Database file (default: $PMTUI_DB, else ~/.local/share/pmtui/pmtui.db).",
)
@click.option(
    "--role",
    type=click.Choice(["facilitator", "scribe"]),
    default="facilitator",
    show_default=True,
    help="Facilitator opens on the list; scribe opens straight on the five whys.",
)
@click.option("--open", "open_id", metavar="ID", help="Open this postmortem's meeting at once.")
@click.version_option(__version__, "--version", prog_name="pmtui")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, role: str, open_id: str | None) -> None:
    """Run blameless postmortem meetings from the terminal.

    Without a command, opens the app on the database.
    """
    settings = Settings(db, role)
    ctx.obj = settings
    if ctx.invoked_subcommand is None:
        # Start-up allocates hundreds of thousands of objects that live as long as the app
        # (Textual's widgets, styles and bindings); collecting garbage among them
        # costs a tenth of the start. The app freezes them and collects again once the
        # first screen is painted.
        gc.disable()
        from pmtui.app import run_app

        sys.exit(run_app(settings.db_path, role=role, open_id=open_id))


def main() -> None:
    cli(prog_name="pmtui")


__all__ = ["cli", "main"]
