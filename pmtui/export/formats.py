"""Provides the one table of export formats that the CLI and the TUI both read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pmtui.domain.errors import PmtuiError
from pmtui.domain.models import Postmortem
from pmtui.export.coe import to_coe
from pmtui.export.files import export_filename, safe_target, write_text_atomic
from pmtui.export.html import to_html
from pmtui.export.json_io import dump_postmortem_json
from pmtui.export.markdown import to_markdown
from pmtui.export.trackers import to_gh_script, to_jira_csv
from pmtui.export.yaml_io import dump_postmortem_yaml


@dataclass(frozen=True)
class Format:
    """How to render a postmortem in one format, and the file extension to save it with."""

    render: Callable[[Postmortem], str]
    extension: str
    label: str


FORMATS: dict[str, Format] = {
    "yaml": Format(dump_postmortem_yaml, "yaml", "YAML (the article's shape; re-imports)"),
    "json": Format(dump_postmortem_json, "json", "JSON"),
    "md": Format(to_markdown, "md", "Markdown for a wiki"),
    "html": Format(to_html, "html", "Standalone HTML page"),
    "coe": Format(to_coe, "coe.md", "Correction of Errors (Markdown)"),
    "jira": Format(to_jira_csv, "jira.csv", "Action items as a Jira import CSV"),
    "gh": Format(to_gh_script, "gh.sh", "Action items as gh issue create commands"),
}
"""Format name → renderer and extension. ``jira`` and ``gh`` carry only the action items."""


class UnknownFormat(PmtuiError):
    """A format name that is not in :data:`FORMATS`."""

    def __init__(self, name: str) -> None:
        super().__init__(f'unknown export format "{name}"; use one of {", ".join(FORMATS)}')


def get_format(name: str) -> Format:
    try:
        return FORMATS[name.strip().lower()]
    except KeyError:
        raise UnknownFormat(name) from None


def render(pm: Postmortem, name: str) -> str:
    """The postmortem rendered in the named format."""
    return get_format(name).render(pm)


def export_to_directory(
    pm: Postmortem, name: str, directory: str | Path, *, overwrite: bool = False
) -> Path:
    """Render ``pm`` as ``name`` and write it to ``directory/<ID>.<ext>``; returns the path."""
    fmt = get_format(name)
    target = safe_target(directory, export_filename(pm.id, fmt.extension))
    write_text_atomic(target, fmt.render(pm), overwrite=overwrite)
    return target
