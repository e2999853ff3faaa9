"""Provides ``pmtui screenshots``: an SVG of every screen, from the sample data, into a folder."""

from __future__ import annotations

from pathlib import Path

import click

from pmtui.cli import cli


@cli.command("screenshots")
@click.argument(
    "directory",
    required=False,
    default="screens",
    type=click.Path(path_type=Path, file_okay=False),
)
def screenshots(directory: Path) -> None:
    """Render an SVG of every screen into DIRECTORY (default: screens/).

    The app runs headless at 100x30 on a temporary copy of the sample database with a
    frozen clock, so the files change only when a screen does. --db is not used.
    """
    from pmtui.screenshots import SIZE, take_screenshots

    written = take_screenshots(directory)
    for path in written:
        click.echo(str(path))
    click.echo(f"{len(written)} screens at {SIZE[0]}x{SIZE[1]} in {directory}", err=True)
