"""Provides the live marking of interpretive and judging words in timeline text.

The words come from :func:`pmtui.domain.lint.judging_spans` (never a list of our own):
an Input highlighter that marks them as you type, the one-line advice shown beside the
field, and table cells with the words marked. User text stays literal throughout.
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text
from textual.app import App

from pmtui.domain.lint import judging_spans
from pmtui.domain.text import clean_text
from pmtui.widgets.text import one_line


def judging_style(app: App[object]) -> str:
    """A rich style in the theme's warning colour (rich Text cannot read theme variables)."""
    return f"bold underline {app.current_theme.warning}"


def theme_colour(app: App[object], name: str) -> str:
    """A theme colour (``error``, ``warning``, ``success``, ``accent``) for rich styles."""
    return str(getattr(app.current_theme, name, None) or "")


class JudgingHighlighter(Highlighter):
    """Marks judging words in an Input's text while the user types."""

    def __init__(self, style: str) -> None:
        self.style = style

    def highlight(self, text: Text) -> None:
        for span in judging_spans(text.plain):
            text.stylize(self.style, span.start, span.end)


def judging_advice(text: str) -> str | None:
    """The suggestion for each judging word in ``text`` (one line), or None when there is none."""
    spans = judging_spans(text)
    if not spans:
        return None
    parts = []
    seen: set[str] = set()
    for span in spans:
        key = span.phrase.casefold()
        if key not in seen:
            seen.add(key)
            parts.append(f"“{span.phrase}” judges: {span.suggestion}")
    return " · ".join(parts)


def judging_summary(text: str) -> str | None:
    """Like :func:`judging_advice`, but one short line when several words judge."""
    spans = judging_spans(text)
    if len(spans) <= 1:
        return judging_advice(text)
    words = ", ".join(dict.fromkeys(f"“{span.phrase}”" for span in spans))
    return f"{words} interpret or judge: say what happened, as a fact"


def clipped_cell(text: str, width: int, style: str = "") -> Text:
    """``text`` on one line, cut to ``width`` cells with an ellipsis."""
    return judging_cell(text, width, "", style, judge=False)


def judging_cell(text: str, width: int, style: str, base: str = "", *, judge: bool = True) -> Text:
    """``text`` on one line, cut to ``width`` cells, with its judging words in ``style``."""
    flat = one_line(text, limit=100_000)
    spans = judging_spans(flat) if judge else []
    if width > 0 and len(flat) > width:
        flat = flat[: max(width - 1, 0)] + "…"
    result = Text(clean_text(flat), style=base, no_wrap=True, end="")
    for span in spans:
        if span.start < len(flat):
            result.stylize(style, span.start, min(span.end, len(flat)))
    return result
