"""Provides the document commands: list, show, new, import, export, sample, locate."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from pmtui.cli import EXIT_ERROR, Settings, cli, fail, pass_settings, write_output
from pmtui.domain.errors import DocumentInvalid, PmtuiError
from pmtui.domain.models import Postmortem
from pmtui.domain.severity import deadline_state
from pmtui.domain.types import KINDS, SEVERITIES, STATUSES


@cli.command("list")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES))
@click.option("--severity", "severities", multiple=True, type=click.Choice(SEVERITIES))
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS))
@click.option("--text", default="", help="Only those whose id, title, service or team contain it.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_settings
def list_command(
    settings: Settings,
    statuses: tuple[str, ...],
    severities: tuple[str, ...],
    kinds: tuple[str, ...],
    text: str,
    fmt: str,
) -> None:
    """List postmortems, newest incident first, with their deadline state."""
    with settings.open_store(readonly=True) as store:
        rows = store.summaries(text=text, statuses=statuses, severities=severities, kinds=kinds)
        now = store.clock()
    states = [deadline_state(r.deadline_facts(), now) for r in rows]
    if fmt == "json":
        out = [
            {
                "id": r.id,
                "kind": r.kind,
                "severity": r.severity,
                "title": r.title,
                "status": r.status,
                "service": r.service,
                "team": r.team,
                "deadline": str(state),
            }
            for r, state in zip(rows, states, strict=True)
        ]
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no postmortems")
        return
    click.echo(f"{'ID':<14} {'SEV':<6} {'STATUS':<11} {'DEADLINE':<9} {'SERVICE':<14} TITLE")
    for r, state in zip(rows, states, strict=True):
        click.echo(
            f"{r.id:<14} {r.severity or '-':<6} {r.status:<11} {state!s:<9} "
            f"{r.service[:14]:<14} {r.title}"
        )


@cli.command()
@click.argument("ident", metavar="ID")
@click.option(
    "--format", "fmt", type=click.Choice(["md", "yaml", "json"]), default="md", show_default=True
)
@pass_settings
def show(settings: Settings, ident: str, fmt: str) -> None:
    """Print one postmortem."""
    from pmtui.export.formats import render

    with settings.open_store(readonly=True) as store:
        pm = store.load(ident.strip().upper())
    click.echo(render(pm, fmt), nl=False)


def _parse_when(value: str | None, field: str, option: str) -> dt.datetime | None:
    """``value`` validated as the document's ``field``; a problem names ``option``."""
    if value is None:
        return None
    from pmtui.domain.fields import validate_value

    return validate_value(Postmortem, field, value, option)


def _checked_id(value: str, kind: str) -> str:
    """The ``--id`` a user gave, upper-cased, if it is a well-formed id of ``kind``."""
    from pmtui.domain.types import POSTMORTEM_ID_PATTERN

    ident = value.strip().upper()
    if not POSTMORTEM_ID_PATTERN.match(ident):
        fail(f'--id: "{value}" is not a postmortem id; use INC-YYYY-NNNN or NM-YYYY-NNNN')
    prefix = "NM-" if kind == "near-miss" else "INC-"
    if not ident.startswith(prefix):
        if kind == "near-miss":
            fail(f'--id: "{value}" is an incident id; a near-miss needs NM-YYYY-NNNN')
        fail(f'--id: "{value}" is a near-miss id; add --near-miss, or use INC-YYYY-NNNN')
    return ident


def _new_document(fields: dict[str, object], ident: str) -> Postmortem:
    """The new postmortem, or DocumentInvalid listing every problem (never a traceback)."""
    from pydantic import ValidationError

    from pmtui.domain.errors import describe_validation_error

    try:
        return Postmortem.model_validate({**fields, "id": ident})
    except ValidationError as exc:
        raise DocumentInvalid(describe_validation_error(exc, Postmortem)) from None


@cli.command()
@click.option("--title", default="", help="What happened, in a line.")
@click.option("--severity", type=click.Choice(SEVERITIES), help="SEV-1 … SEV-4.")
@click.option("--service", default="")
@click.option("--team", default="")
@click.option("--incident", "incident", metavar="TIME", help="When it began (UTC timestamp).")
@click.option("--restored", metavar="TIME", help="When service was restored (UTC timestamp).")
@click.option("--near-miss", is_flag=True, help="A near-miss write-up (NM-YYYY-NNNN).")
@click.option("--id", "ident", help="The id to use (default: the next free one).")
@pass_settings
def new(
    settings: Settings,
    title: str,
    severity: str | None,
    service: str,
    team: str,
    incident: str | None,
    restored: str | None,
    near_miss: bool,
    ident: str | None,
) -> None:
    """Create a postmortem and print its id.

    Everything the user typed is checked before the database is opened, so a bad
    option neither creates the file nor changes it.
    """
    kind = "near-miss" if near_miss else "incident"
    began = _parse_when(incident, "date_of_incident", "--incident")
    fields: dict[str, object] = {
        "kind": kind,
        "title": title,
        "severity": severity,
        "service": service,
        "team": team,
        "date_of_incident": began,
        "date_restored": _parse_when(restored, "date_restored", "--restored"),
    }
    if ident is not None:
        ident = _checked_id(ident, kind)
    # A stand-in id of the right kind until the store names the next free one.
    _new_document(fields, ident or ("NM-2000-0001" if near_miss else "INC-2000-0001"))
    with settings.open_store(create=True) as store:
        if ident is None:
            ident = store.next_id(kind, (began or store.clock()).year)
        pm = store.create(_new_document(fields, ident))
    click.echo(pm.id)


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--on-existing",
    type=click.Choice(["error", "replace", "copy", "skip"]),
    default="error",
    show_default=True,
    help="What to do with an id that exists and differs: refuse it, replace the stored "
    "one, import a copy under a new id, or leave it.",
)
@pass_settings
def import_command(settings: Settings, paths: tuple[Path, ...], on_existing: str) -> None:
    """Import postmortems from YAML files or directories of them.

    Each file is imported whole or not at all. Importing the same directory again
    changes nothing (documents are matched by id).
    """
    from pmtui.transfer import ImportOutcome, import_files

    # The database is opened (or created) only once a file has parsed and validated.
    results = import_files(lambda: settings.open_store(create=True), paths, on_existing=on_existing)
    failed = 0
    for result in results:
        click.echo(str(result), err=result.outcome is ImportOutcome.FAILED)
        failed += result.outcome in (ImportOutcome.FAILED, ImportOutcome.CONFLICT)
    counts: dict[str, int] = {}
    for result in results:
        counts[result.outcome.value] = counts.get(result.outcome.value, 0) + 1
    click.echo(", ".join(f"{n} {what}" for what, n in counts.items()) or "nothing to import")
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("ident", metavar="ID", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "md", "json", "html", "coe", "jira", "gh"]),
    default="yaml",
    show_default=True,
    help="jira: the action items as a CSV for Jira's importer; gh: a script of "
    "`gh issue create` commands.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file.")
@click.option("--all", "export_all", is_flag=True, help="Every postmortem, one file each (--dir).")
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write ID.<ext> into this folder (made if missing).",
)
@click.option("--force", is_flag=True, help="Overwrite files that exist and differ.")
@pass_settings
def export(
    settings: Settings,
    ident: str | None,
    fmt: str,
    output: Path | None,
    export_all: bool,
    directory: Path | None,
    force: bool,
) -> None:
    """Export a postmortem to stdout, -o FILE or --dir DIR; --all --dir DIR exports every one.

    With --all each postmortem goes to its own file, named by its id with the format's
    extension (INC-2026-0114.yaml, INC-2026-0114.coe.md …); the YAML ones re-import.
    """
    from pmtui.export.files import TargetExists
    from pmtui.export.formats import export_to_directory, render
    from pmtui.transfer import Exported, export_directory, make_export_directory

    if output is not None and directory is not None:
        fail("-o and --dir both say where to write; give one of them")
    if export_all:
        if output is not None:
            fail("--all writes one file per postmortem into --dir DIR; -o names a single file")
        if ident is not None:
            fail("--all exports every postmortem; give no ID with it")
        if directory is None:
            fail("--all needs --dir DIR: it writes one file per postmortem")
        with settings.open_store(readonly=True) as store:
            rows = export_directory(store, directory, overwrite=force, fmt=fmt)
        for target, state in rows:
            click.echo(f"{directory / target.name}: {state.value}")
        if any(state is Exported.KEPT for _, state in rows):
            sys.exit(1)
        return
    if ident is None:
        fail("give a postmortem ID, or --all --dir DIR")
    if force and output is None and directory is None:
        fail("--force replaces a file; give it with -o FILE or --dir DIR")
    with settings.open_store(readonly=True) as store:
        pm = store.load(ident.strip().upper())
    if directory is not None:
        make_export_directory(directory)
        try:
            target = export_to_directory(pm, fmt, directory, overwrite=force)
        except TargetExists as exc:
            fail(f"{directory / exc.path.name} exists already; use --force to replace it")
        click.echo(f"wrote {directory / target.name}")
        return
    text = render(pm, fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    write_output(output, text, force=force)
    click.echo(f"wrote {output}")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False), default="sample.db")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def sample(path: Path, force: bool) -> None:
    """Build the sample database (deterministically) at PATH."""
    from pmtui.sample import build_sample_database

    if path.exists() and not force:
        fail(f"{path} exists; use --force to replace it")
    build_sample_database(path)
    click.echo(f"wrote {path}")


@cli.command()
@click.argument("what", type=click.Choice(["all", "db", "backups", "logs"]), default="all")
@pass_settings
def locate(settings: Settings, what: str) -> None:
    """Print where pmtui keeps its files."""
    from pmtui.paths import log_dir

    db = settings.db_path
    places = {
        "db": db,
        "backups": db.parent / f"{db.name}.backups",
        "logs": log_dir(),
    }
    if what != "all":
        click.echo(str(places[what]))
        return
    for name, place in places.items():
        click.echo(f"{name + ':':<9} {place}")


__all__ = ["EXIT_ERROR", "DocumentInvalid", "PmtuiError"]
