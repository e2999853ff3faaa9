"""Provides the knowledge-base commands: search, classes, report, review.

``search`` takes any text a person types (quotes, ``AND(``, ``c++``, a lone ``"``) and
never fails on it; ``--advanced`` passes FTS5 syntax through and reports a bad one.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from pmtui.cli import Settings, cli, fail, pass_settings, write_output
from pmtui.domain.types import KINDS, SEVERITIES, STATUSES
from pmtui.store.taxonomy import normalise_slug


def _date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        fail(f'{option}: "{value}" is not a date; write it as YYYY-MM-DD')
        raise  # unreachable: fail() exits


def _marked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """``text`` with the matched words in bold (click drops the styling when not a terminal)."""
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], click.style(text[start:end], bold=True, fg="yellow")]
        last = end
    return "".join([*out, text[last:]])


@cli.command()
@click.argument("query", required=False, default="")
@click.option(
    "--class", "classes", multiple=True, metavar="SLUG", help="Failure class (repeatable)."
)
@click.option("--service", "services", multiple=True, help="Service (repeatable).")
@click.option("--team", "teams", multiple=True, help="Team (repeatable).")
@click.option("--severity", "severities", multiple=True, type=click.Choice(SEVERITIES))
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS))
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES))
@click.option("--since", metavar="DATE", help="Incidents on or after this day.")
@click.option("--until", metavar="DATE", help="Incidents on or before this day.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option("--advanced", is_flag=True, help="QUERY is FTS5 syntax (AND, OR, NOT, NEAR, col:).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@pass_settings
def search(
    settings: Settings,
    query: str,
    classes: tuple[str, ...],
    services: tuple[str, ...],
    teams: tuple[str, ...],
    severities: tuple[str, ...],
    kinds: tuple[str, ...],
    statuses: tuple[str, ...],
    since: str | None,
    until: str | None,
    limit: int,
    advanced: bool,
    fmt: str,
) -> None:
    """Search past postmortems: ranked, with the matching words in context.

    Any text is a valid QUERY; put -- before one that starts with "-".
    """
    with settings.open_store(readonly=True) as store:
        hits = store.search(
            query,
            failure_classes=classes,
            services=services,
            teams=teams,
            severities=severities,
            kinds=kinds,
            statuses=statuses,
            since=_date("--since", since),
            until=_date("--until", until),
            limit=limit,
            advanced=advanced,
        )
    if fmt == "json":
        out = [
            {
                "id": h.id,
                "title": h.title,
                "kind": h.kind,
                "severity": h.severity,
                "status": h.status,
                "service": h.service,
                "team": h.team,
                "date_of_incident": h.date_of_incident,
                "failure_classes": list(h.failure_classes),
                "snippet": h.snippet,
                "matches": [list(s) for s in h.spans],
            }
            for h in hits
        ]
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    if not hits:
        click.echo("no postmortems match")
        return
    for h in hits:
        day = (h.date_of_incident or "")[:10] or "—"
        click.echo(f"{h.id:<14} {h.severity or h.kind:<9} {day}  {h.title}")
        if h.snippet:
            click.echo(f"    {_marked(h.snippet, h.spans)}")
        if h.failure_classes:
            click.echo(f"    classes: {', '.join(h.failure_classes)}")


@cli.command()
@click.option("--rename", nargs=2, metavar="OLD NEW", help="Rename a class on every postmortem.")
@click.option(
    "--merge", nargs=2, metavar="FROM INTO", help="Fold FROM into INTO on every postmortem."
)
@click.option(
    "--describe", nargs=2, metavar="SLUG TEXT", help="Set a class's one-line description."
)
@click.option("--suggest", metavar="TEXT", help="Existing classes for what you would type.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@pass_settings
def classes(
    settings: Settings,
    rename: tuple[str, str] | None,
    merge: tuple[str, str] | None,
    describe: tuple[str, str] | None,
    suggest: str | None,
    fmt: str,
) -> None:
    """List the failure-class taxonomy with counts; rename, merge or describe a class."""
    changes = [c for c in (rename, merge, describe) if c]
    if len(changes) > 1:
        fail("give one of --rename, --merge, --describe at a time")
    if changes:
        with settings.open_store() as store:
            if rename:
                count = store.rename_class(*rename)
                new = normalise_slug(rename[1])
                click.echo(f"renamed {rename[0]} to {new} on {count} postmortem(s)")
            elif merge:
                count = store.merge_classes([merge[0]], merge[1])
                into = normalise_slug(merge[1])
                click.echo(f"merged {merge[0]} into {into} on {count} postmortem(s)")
            elif describe:
                found = store.describe_class(*describe)
                click.echo(f"{found.slug}: {found.description}")
        return
    with settings.open_store(readonly=True) as store:
        listed = store.suggest_classes(suggest, limit=20) if suggest else store.failure_classes()
    if fmt == "json":
        click.echo(
            json.dumps(
                [{"slug": c.slug, "description": c.description, "count": c.count} for c in listed],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if not listed:
        click.echo("no failure classes yet" if not suggest else "no class looks like that")
        return
    width = max(len(c.slug) for c in listed)
    for c in listed:
        click.echo(f"{c.slug:<{width}}  {c.count:>5}  {c.description}".rstrip())


@cli.command()
@click.option("--as-of", "as_of", metavar="DATE", help="The day to report at (default: now).")
@click.option("--quarters", type=click.IntRange(1, 40), default=8, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@pass_settings
def report(settings: Settings, as_of: str | None, quarters: int, fmt: str) -> None:
    """The practice dashboard as text: budgets, metrics by quarter, overdue, past-due items."""
    from pmtui.cli.rules import _as_of
    from pmtui.domain.dashboard import render_dashboard

    with settings.open_store(readonly=True) as store:
        board = store.dashboard(_as_of(as_of, store.clock()), quarters)
    if fmt == "json":
        click.echo(json.dumps(board.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_dashboard(board))


@cli.command()
@click.option("--since", required=True, metavar="DATE", help="First day of the period.")
@click.option("--until", metavar="DATE", help="Last day of the period (default: today).")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write here.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@pass_settings
def review(
    settings: Settings,
    since: str,
    until: str | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """The cross-team review: failure classes seen by team, open items, lessons to share."""
    from pmtui.export.review_report import render_review

    if force and output is None:
        fail("--force replaces an output file; give it with -o FILE")
    first = _date("--since", since)
    assert first is not None
    with settings.open_store(readonly=True) as store:
        now = store.clock()
        last = _date("--until", until) or now.date()
        if last < first:
            fail(f"--until ({last}) is before --since ({first})")
        text = render_review(store.review_report(first, last, now), fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    write_output(output, text, force=force)
    click.echo(f"wrote {output}")
