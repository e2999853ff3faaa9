"""Provides helpers that read exported Markdown back with markdown-it (CommonMark + GFM tables).

They let the tests ask structural questions, such as how many headings there are and
what text is in a given table cell, instead of comparing strings.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def parse(text: str) -> list[Token]:
    return _PARSER.parse(text)


def inline_text(token: Token) -> str:
    """The literal text of an inline token; our ``<br>`` reads as a newline.

    Fails on anything that is not plain text (a link, emphasis, code, raw HTML):
    in escaped user text, none of those may appear.
    """
    out = []
    for child in token.children or []:
        if child.type == "text":
            out.append(child.content)
        elif child.type == "html_inline" and child.content == "<br>":
            out.append("\n")
        else:
            raise AssertionError(f"unexpected {child.type} token {child.content!r}")
    return "".join(out)


def headings(tokens: list[Token]) -> list[tuple[str, str]]:
    """``(tag, raw inline source)`` of every heading."""
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            found.append((token.tag, tokens[index + 1].content))
    return found


def tables(tokens: list[Token]) -> list[list[list[Token]]]:
    """Every table as rows of cells, each cell its inline token (header row first)."""
    result: list[list[list[Token]]] = []
    rows: list[list[Token]] = []
    row: list[Token] = []
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            row.append(tokens[index + 1])
        elif token.type == "tr_close":
            rows.append(row)
        elif token.type == "table_close":
            result.append(rows)
    return result


def table_with_header(tokens: list[Token], first: str) -> list[list[Token]] | None:
    for rows in tables(tokens):
        if rows and rows[0] and rows[0][0].content == first:
            return rows
    return None


def block_types(tokens: list[Token]) -> set[str]:
    return {token.type for token in tokens}
