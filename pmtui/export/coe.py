"""Provides the Correction-of-Errors export: Amazon's five-section layout, as Markdown.

1 What happened (summary, impact, timeline), 2 Why it happened (each contributing
factor with its five whys), 3 What went well, 4 What could have gone better,
5 Action items. Escaping is the Markdown export's, so the same hostile text is safe.

The advisories waived at review close section 5: like a deferral, a waiver is a
decision not to change something, with its reason, and a COE reader checks the
decisions about what will not be done beside the list of what will.
"""

from __future__ import annotations

from pmtui.domain.models import Postmortem
from pmtui.export.markdown import (
    action_table,
    bullets,
    cell,
    factor_block,
    impact_lines,
    section,
    timeline_table,
    title_line,
    waiver_table,
)


def _summary(pm: Postmortem) -> list[str]:
    """A factual summary assembled from the document's fields; no adjectives added."""
    parts = [
        f"- **Postmortem:** {pm.id} ({cell(pm.kind)}, {cell(pm.severity)})",
        f"- **Title:** {cell(pm.title)}",
        f"- **Service:** {cell(pm.service)} (team {cell(pm.team)})",
        f"- **Incident began:** {cell(pm.date_of_incident)}",
        f"- **Service restored:** {cell(pm.date_restored)}",
        f"- **Postmortem meeting:** {cell(pm.date_of_postmortem)}, "
        f"facilitated by {cell(pm.facilitator)}",
    ]
    if pm.participants:
        names = ", ".join(cell(p.name) for p in pm.participants)
        parts.append(f"- **Participants:** {names}")
    return parts


def to_coe(pm: Postmortem) -> str:
    """The postmortem in Correction-of-Errors layout (Markdown)."""
    why: list[str] = []
    for number, factor in enumerate(pm.contributing_factors, start=1):
        why += factor_block(pm, number, factor, level=3)
    lines = [
        f"# Correction of Errors: {title_line(pm)}",
        "",
        "## 1. What happened",
        "",
        *section("Summary", _summary(pm), level=3),
        *section("Impact", impact_lines(pm), level=3),
        *section("Timeline", timeline_table(pm), level=3),
        "## 2. Why it happened",
        "",
        *(why or ["No contributing factors recorded.", ""]),
        *section("3. What went well", bullets(pm.what_helped)),
        *section("4. What could have gone better", bullets(pm.what_hurt)),
        *section("5. Action items", action_table(pm, full=False)),
        *section("Advisories waived", waiver_table(pm), level=3),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"
