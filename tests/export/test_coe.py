"""Tests the Correction-of-Errors export: its five sections, hostile text, golden."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings

from pmtui.domain.models import Postmortem
from pmtui.export.coe import to_coe
from tests.strategies import postmortems

from .markdown_check import block_types, headings, inline_text, parse, table_with_header

COE_SECTIONS = [
    "1. What happened",
    "2. Why it happened",
    "3. What went well",
    "4. What could have gone better",
    "5. Action items",
]


def check_coe(pm: Postmortem, text: str) -> None:
    tokens = parse(text)
    found = headings(tokens)
    assert [src for tag, src in found if tag == "h2"] == COE_SECTIONS
    h3 = [src for tag, src in found if tag == "h3"]
    assert h3[:3] == ["Summary", "Impact", "Timeline"]
    assert h3[-1] == "Advisories waived"  # closes section 5, after the action items
    assert len(h3) == 3 + len(pm.contributing_factors) + 1
    waived = table_with_header(tokens, "Advisory")
    if pm.waivers:
        assert waived is not None
        assert [len(row) for row in waived] == [5] * (len(pm.waivers) + 1)
        for row, waiver in zip(waived[1:], pm.waivers, strict=True):
            assert inline_text(row[0]) == (waiver.code or "—")
            assert inline_text(row[2]) == (waiver.reason or "—")
    else:
        assert waived is None
    assert not block_types(tokens) & {"html_block", "fence", "code_block", "blockquote_open", "hr"}
    actions = table_with_header(tokens, "Action")
    if pm.action_items:
        assert actions is not None
        assert [len(row) for row in actions] == [5] * (len(pm.action_items) + 1)
        for row, item in zip(actions[1:], pm.action_items, strict=True):
            assert inline_text(row[0]) == f"{item.id or '—'}: {item.description or '—'}"
            assert inline_text(row[1]) == (item.owner or "—")


@settings(max_examples=40, deadline=None)
@given(postmortems())
def test_coe_structure_survives_hostile_text(pm: Postmortem) -> None:
    check_coe(pm, to_coe(pm))


def test_coe_sections_in_order(rich_pm: Postmortem) -> None:
    text = to_coe(rich_pm)
    check_coe(rich_pm, text)
    positions = [text.index(f"## {title}") for title in COE_SECTIONS]
    assert positions == sorted(positions)
    went_well = text.split("## 3. What went well")[1].split("## 4.")[0]
    assert "Single-command canary abort rollback completed in 90 seconds" in went_well
    better = text.split("## 4. What could have gone better")[1].split("## 5.")[0]
    assert "Alert threshold delayed detection" in better
    why = text.split("## 2. Why it happened")[1].split("## 3.")[0]
    assert why.count("**Why?**") == 4
    assert "| Action | Owner | Due | Ticket | Priority |" in text
    assert (
        "| A1: Add query-count middleware to CI | platform-sre | 2026-01-28 | PLAT-892 | high |"
        in (text)
    )


def test_coe_includes_the_waivers_like_every_other_export(rich_pm: Postmortem) -> None:
    assert rich_pm.waivers
    text = to_coe(rich_pm)
    waived = text.split("## 5. Action items")[1].split("### Advisories waived")[1]
    assert "| Advisory | Where | Reason | Waived by | When |" in waived
    assert (
        "| A-WORDS | timeline\\[3\\].event | Quoted verbatim from the pager message | "
        "facilitator | 2026-01-16T11:00:00Z |" in waived
    )


def test_coe_without_waivers_says_so(rich_pm: Postmortem) -> None:
    text = to_coe(rich_pm.model_copy(update={"waivers": []}))
    assert text.endswith("### Advisories waived\n\nNo advisories waived.\n")


def test_coe_golden(rich_pm: Postmortem, golden: Callable[[str, str], None]) -> None:
    golden("rich.coe.md", to_coe(rich_pm))
