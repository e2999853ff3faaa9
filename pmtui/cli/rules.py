"""Provides the rules commands: check, complete, publish, reopen, budget, metrics.

They print what the rules module computes; nothing here decides anything itself.
``check`` exits 0 when the postmortem can be completed, 1 when it is blocked.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys

import click

from pmtui.cli import Settings, cli, fail, pass_settings
from pmtui.domain.budget import MAX_WINDOW_DAYS, render_budget, service_budget, what_if
from pmtui.domain.findings import blocking, findings_to_dict, render_findings
from pmtui.domain.metrics import practice_metrics, render_metrics
from pmtui.domain.paths import text_fields
from pmtui.store import CompletionRefused


def _as_of(value: str | None, store_now: dt.datetime) -> dt.datetime:
    if value is None:
        return store_now
    try:
        day = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        fail(f'--as-of: "{value}" is not a date; write it as YYYY-MM-DD')
        raise  # unreachable: fail() exits
    if day.tzinfo is None:
        day = day.replace(tzinfo=dt.UTC)
        if len(value.strip()) == 10:  # a bare date means the end of that day
            day += dt.timedelta(days=1) - dt.timedelta(seconds=1)
    return day


@cli.command()
@click.argument("ident", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@pass_settings
def check(settings: Settings, ident: str, fmt: str) -> None:
    """List what blocks completion: gates first, then advisories (exit 1 when blocked)."""
    with settings.open_store(readonly=True) as store:
        pm = store.load(ident.strip().upper())
        findings = store.findings(pm.id)
    if fmt == "json":
        click.echo(json.dumps({"id": pm.id, **findings_to_dict(findings)}, indent=2))
    else:
        click.echo(render_findings(findings, dict(text_fields(pm)), title=pm.id, status=pm.status))
    sys.exit(1 if blocking(findings) else 0)


@cli.command()
@click.argument("ident", metavar="ID")
@pass_settings
def complete(settings: Settings, ident: str) -> None:
    """Mark a postmortem complete — refused while any gate or unwaived advisory remains."""
    with settings.open_store() as store:
        try:
            pm = store.complete(ident.strip().upper())
        except CompletionRefused as exc:
            doc = store.load(exc.ident)
            click.echo(
                render_findings(
                    exc.findings, dict(text_fields(doc)), title=f"{exc.ident} not complete"
                ),
                err=True,
            )
            sys.exit(1)
    click.echo(f"{pm.id} is {pm.status}")


@cli.command()
@click.argument("ident", metavar="ID")
@pass_settings
def publish(settings: Settings, ident: str) -> None:
    """Record that a complete postmortem was published (now)."""
    from pmtui.domain.severity import publication_deadline

    with settings.open_store() as store:
        pm = store.publish(ident.strip().upper())
    deadline = publication_deadline(pm)
    line = f"{pm.id} published {pm.date_published:%Y-%m-%d %H:%M} UTC"
    if deadline is not None and pm.date_published is not None:
        met = pm.date_published <= deadline
        line += f" ({'within' if met else 'after'} the deadline, {deadline:%Y-%m-%d %H:%M} UTC)"
    click.echo(line)


@cli.command()
@click.argument("ident", metavar="ID")
@pass_settings
def reopen(settings: Settings, ident: str) -> None:
    """Take a complete or published postmortem back into the meeting."""
    with settings.open_store() as store:
        pm = store.reopen(ident.strip().upper())
    click.echo(f"{pm.id} is {pm.status}")


_MINUTE_IN_DAYS = 1 / (24 * 60)


def _check_elapsed(elapsed_days: float, window_days: int | None) -> None:
    """At least a minute, at most the window; finite (click's float accepts 'nan', 'inf')."""
    too_long = window_days is not None and elapsed_days > window_days
    if not math.isfinite(elapsed_days) or elapsed_days < _MINUTE_IN_DAYS or too_long:
        top = f" and at most {window_days}" if window_days is not None else ""
        fail(f"--elapsed-days: {elapsed_days:g} must be at least a minute (0.0007 days){top}")


@cli.command()
@click.option("--service", help="Only this service.")
@click.option("--as-of", "as_of", metavar="DATE", help="End of the rolling window (default: now).")
@click.option("--slo", type=float, help="What-if: SLO in percent, e.g. 99.9.")
@click.option("--window-days", type=int, help="What-if: window length in days.")
@click.option("--elapsed-days", type=float, help="What-if: days elapsed in the window.")
@click.option("--consumed", type=float, multiple=True, help="What-if: minutes (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@pass_settings
def budget(
    settings: Settings,
    service: str | None,
    as_of: str | None,
    slo: float | None,
    window_days: int | None,
    elapsed_days: float | None,
    consumed: tuple[float, ...],
    fmt: str,
) -> None:
    """Error budgets per service, or a what-if from bare figures (--slo … --consumed …)."""
    if slo is not None or window_days is not None or consumed:
        if slo is None or window_days is None:
            fail(
                "the what-if form needs --slo and --window-days (and --consumed for each incident)"
            )
        if not 0 < slo < 100:
            fail(f"--slo: {slo:g} must be a percentage between 0 and 100")
        if not 0 < window_days <= MAX_WINDOW_DAYS:
            fail(f"--window-days: {window_days} must be from 1 to {MAX_WINDOW_DAYS}")
        if elapsed_days is not None:
            _check_elapsed(elapsed_days, window_days)
        window_minutes = window_days * 24 * 60
        for minutes in consumed:
            if not math.isfinite(minutes) or minutes < 0:
                fail(f"--consumed: {minutes:g} must be a finite number of minutes, 0 or more")
            if minutes > window_minutes:
                fail(
                    f"--consumed: {minutes:g} minutes is more than the "
                    f"{window_days}-day window has ({window_minutes})"
                )
        budgets = [
            what_if(
                slo, window_days, window_days if elapsed_days is None else elapsed_days, consumed
            )
        ]
    else:
        if elapsed_days is not None:
            _check_elapsed(elapsed_days, None)  # each service's window bounds it below
        with settings.open_store(readonly=True) as store:
            when = _as_of(as_of, store.clock())
            services = store.services()
            if service:
                services = [s for s in services if s.name == service]
                if not services:
                    fail(f"no service named {service} (known: {', '.join(store.service_names())})")
            budgets = [
                service_budget(
                    s,
                    store.load_many(store.ids_for_service(s.name)),
                    when,
                    min(elapsed_days, s.window_days) if elapsed_days is not None else None,
                )
                for s in services
            ]
    if fmt == "json":
        click.echo(json.dumps([b.to_dict() for b in budgets], indent=2))
        return
    if not budgets:
        click.echo("no services with an SLO; add one with the app or `pmtui sample`")
    click.echo("\n\n".join(render_budget(b) for b in budgets))


@cli.command()
@click.option("--team", help="Only this team's postmortems.")
@click.option("--since", metavar="DATE", help="Only incidents on or after this date.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@pass_settings
def metrics(settings: Settings, team: str | None, since: str | None, fmt: str) -> None:
    """Practice metrics: time to publish, action completion, recurrence, overdue, near-misses."""
    since_day = None
    if since is not None:
        try:
            since_day = dt.date.fromisoformat(since)
        except ValueError:
            fail(f'--since: "{since}" is not a date; write it as YYYY-MM-DD')
    with settings.open_store(readonly=True) as store:
        if team is not None:
            teams = store.teams()
            # Metrics match a team case-insensitively; so does this check.
            if team.strip().casefold() not in {t.strip().casefold() for t in teams}:
                fail(f'--team: no team named "{team}" (known: {", ".join(teams) or "none"})')
        documents = store.load_many(store.ids())
        now = store.clock()
    result = practice_metrics(documents, now, team=team, since=since_day)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(render_metrics(result))
