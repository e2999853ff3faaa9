"""Provides ``pmtui serve``: the app in a browser through textual-serve, on localhost only.

A remote participant follows the shared screen through a tunnel or a screen share of the
browser; the server itself never listens beyond this machine because it has no
authentication of its own.
"""

from __future__ import annotations

import shlex
import sys

import click

from pmtui.cli import Settings, cli, pass_settings

LOOPBACK = "127.0.0.1"


def serve_command_line(settings: Settings) -> str:
    """The command textual-serve runs for each browser connection."""
    return shlex.join(
        [sys.executable, "-m", "pmtui", "--db", str(settings.db_path), "--role", settings.role]
    )


@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@pass_settings
def serve(settings: Settings, port: int) -> None:
    """Run the app in a web browser at http://127.0.0.1:PORT (localhost only).

    There is no authentication: anyone who can open that address on this machine can
    drive the app. Exports are delivered to the browser as downloads.
    """
    from textual_serve.server import Server

    settings.open_store(create=True).close()  # refuse a bad --db here, as one line
    click.echo(
        f"pmtui serve: http://{LOOPBACK}:{port} — localhost only, no authentication; "
        "press Ctrl+C to stop.",
        err=True,
    )
    Server(serve_command_line(settings), host=LOOPBACK, port=port, title="pmtui").serve()
