"""Tests the Markdown export: the escaping function, structure under hostile text (T43), golden."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmtui.domain.models import Postmortem
from pmtui.domain.text import clean_text
from pmtui.export.markdown import DASH, escape_markdown, to_markdown
from tests.strategies import HOSTILE, postmortems, text

from .markdown_check import (
    block_types,
    headings,
    inline_text,
    parse,
    table_with_header,
    tables,
)

# Text as the models hold it: control characters are cleaned before any export sees it.
clean = text.map(clean_text)

SECTIONS = [
    "Participants",
    "Timeline",
    "Impact",
    "Contributing factors",
    "What helped",
    "What hurt",
    "Action items",
    "Failure classes",
    "Related incidents",
    "Waivers",
]


def as_paragraph(value: str) -> str:
    """What a paragraph holding ``escape_markdown(value)`` reads as."""
    tokens = parse(escape_markdown(value))
    if not value:
        assert tokens == []
        return ""
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    return inline_text(tokens[1])


@pytest.mark.parametrize(
    "value,escaped",
    [
        ("# heading", "\\# heading"),
        ("> quote", "\\> quote"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("* item", "\\* item"),
        ("1. item", "1\\. item"),
        ("12) item", "12\\) item"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("a | b", "a \\| b"),
        ("```", "\\`\\`\\`"),
        ("~~~", "\\~\\~\\~"),
        ("<script>", "\\<script\\>"),
        ("[x](javascript:y)", "\\[x\\](javascript:y)"),
        ("a\nb", "a<br>b"),
        ("  two", "&#32;&#32;two"),
        ("tail ", "tail&#32;"),
        ("&amp;", "\\&amp;"),
        ("back\\slash", "back\\\\slash"),
        ("payments-v2 at 18% (peak)", "payments-v2 at 18% (peak)"),
        ("", ""),
    ],
)
def test_escape_markdown_examples(value: str, escaped: str) -> None:
    assert escape_markdown(value) == escaped
    assert as_paragraph(value) == value


# T26, T43 (RELIABILITY.md)
@pytest.mark.parametrize("value", [clean_text(v) for v in HOSTILE])
def test_hostile_strings_read_back_literally(value: str) -> None:
    assert as_paragraph(value) == value


@settings(max_examples=200, deadline=None)
@given(clean)
def test_escaped_text_is_one_literal_paragraph(value: str) -> None:
    assert as_paragraph(value) == value


@settings(max_examples=100, deadline=None)
@given(st.lists(clean, min_size=1, max_size=3))
def test_escaped_text_stays_inside_its_table_cell(values: list[str]) -> None:
    header = "| " + " | ".join("h" for _ in values) + " |"
    row = "| " + " | ".join(escape_markdown(v) for v in values) + " |"
    (table,) = tables(parse(f"{header}\n|{'---|' * len(values)}\n{row}\n"))
    assert [inline_text(cell) for cell in table[1]] == values


@settings(max_examples=100, deadline=None)
@given(clean)
def test_escaped_text_is_one_heading(value: str) -> None:
    tokens = parse("### " + escape_markdown(value))
    assert [t.type for t in tokens] == ["heading_open", "inline", "heading_close"]
    assert inline_text(tokens[1]) == value


def shown(value: object) -> str:
    return str(value) if value not in (None, "") else DASH


def check_structure(pm: Postmortem, markdown: str) -> None:
    tokens = parse(markdown)
    found = headings(tokens)
    assert [tag for tag, _ in found].count("h1") == 1
    assert [src for tag, src in found if tag == "h2"] == SECTIONS
    assert len([tag for tag, _ in found if tag == "h3"]) == len(pm.contributing_factors)
    assert not block_types(tokens) & {
        "html_block",
        "fence",
        "code_block",
        "blockquote_open",
        "hr",
    }
    for token in tokens:
        if token.type == "inline":
            for child in token.children or []:
                assert child.type not in {"link_open", "image", "code_inline", "html_inline"} or (
                    child.type == "html_inline" and child.content == "<br>"
                )
    h1 = next(i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h1")
    title = inline_text(tokens[h1 + 1])
    assert title == (f"{pm.id} — {pm.title}" if pm.title else pm.id)
    actions = table_with_header(tokens, "ID")
    if pm.action_items:
        assert actions is not None
        assert len(actions) == len(pm.action_items) + 1
        for row, item in zip(actions[1:], pm.action_items, strict=True):
            assert [inline_text(c) for c in row[:5]] == [
                shown(item.id),
                shown(item.description),
                shown(item.owner),
                shown(item.due),
                shown(item.ticket),
            ]
    timeline = table_with_header(tokens, "Time")
    if pm.timeline:
        assert timeline is not None
        for row, entry in zip(timeline[1:], pm.timeline, strict=True):
            assert [inline_text(c) for c in row[:3]] == [
                shown(entry.time),
                shown(entry.event),
                shown(entry.source),
            ]


# T43 (RELIABILITY.md)
@settings(max_examples=40, deadline=None)
@given(postmortems())
def test_markdown_structure_survives_hostile_text(pm: Postmortem) -> None:
    check_structure(pm, to_markdown(pm))


def test_factor_starting_with_a_heading_marker_is_not_a_heading(rich_pm: Postmortem) -> None:
    markdown = to_markdown(rich_pm)
    assert "### Factor 2: \\# Alert threshold 85% \\<b\\>too high\\</b\\>" in markdown
    check_structure(rich_pm, markdown)


def test_pipe_in_a_cell_does_not_add_a_column(rich_pm: Postmortem) -> None:
    rows = table_with_header(parse(to_markdown(rich_pm)), "Time")
    assert rows is not None
    assert {len(row) for row in rows} == {4}
    assert inline_text(rows[2][1]) == "DB pool alert fires — 85% threshold | crossed"


def test_rich_document_sections(rich_pm: Postmortem) -> None:
    markdown = to_markdown(rich_pm)
    assert markdown.startswith(
        "# INC-2026-0114 — Payment service 503s — 23-minute degradation window\n"
    )
    assert "**Decision point.** Information at that moment: Dashboard showed pool at 97%;<br>" in (
        markdown
    )
    assert "1. **Why?** Why did the pool saturate?<br>**Because:** Each request" in markdown
    assert "**Systemic property:** wrong-threshold" in markdown
    assert "- A2: Lower pool alert threshold from 85% to 70% (owner on-call-lead" in markdown
    assert "**Deferred (we are choosing not to fix this):** Cost outweighs benefit" in markdown
    assert "| A2 | Lower pool alert threshold from 85% to 70% | on-call-lead | 2026-01-19 |" in (
        markdown
    )
    assert "done (2026-01-18)" in markdown


def test_empty_document_renders() -> None:
    markdown = to_markdown(Postmortem(id="NM-2026-0001"))
    check_structure(Postmortem(id="NM-2026-0001"), markdown)
    assert "No contributing factors recorded." in markdown


def test_markdown_golden(rich_pm: Postmortem, golden: Callable[[str, str], None]) -> None:
    golden("rich.md", to_markdown(rich_pm))
