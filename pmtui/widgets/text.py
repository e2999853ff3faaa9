"""Provides the one place user text becomes something Textual draws — always literally.

Label, Static, DataTable, OptionList, Select and notify() all parse markup by default:
``x [/] y`` raises MarkupError and ``[@click=app.quit]q[/]`` becomes a live link. Every
screen builds its visible text with these helpers, so user text is data by construction.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.content import Content
from textual.widgets import Static

from pmtui.domain.text import clean_text


def literal(text: str) -> Content:
    """User text as content, drawn exactly as typed (escape sequences already removed)."""
    return Content(clean_text(text))


def template(markup: str, **values: object) -> Content:
    """App markup with user values substituted as data: ``template("[b]$t[/]", t=title)``."""
    return Content.from_markup(markup, **{k: clean_text(str(v)) for k, v in values.items()})


def show_in(static: Static, content: Content) -> None:
    """``static.update(content)``, unless it shows exactly that already.

    Every update lays the whole screen out again, and the header and the step's question
    are redrawn after every save.
    """
    shown = static.content
    if isinstance(shown, Content) and shown.plain == content.plain and shown.spans == content.spans:
        return
    static.update(content)


def cell(text: object, style: str = "") -> Text:
    """A DataTable cell: a rich Text, never parsed as markup."""
    return Text(clean_text("" if text is None else str(text)), style=style, no_wrap=True)


def highlighted(text: str, spans: Iterable[tuple[int, int]], style: str) -> Content:
    """``text`` with each ``(start, end)`` span styled (e.g. the judging words to fix)."""
    content = literal(text)
    for start, end in spans:
        content = content.stylize(style, start, end)
    return content


def one_line(text: str, limit: int = 200) -> str:
    """A multi-line value squeezed onto one line for a table or a list."""
    flat = " ".join(clean_text(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
