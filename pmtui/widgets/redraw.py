"""Provides redraws that do nothing when nothing changed.

A step switch redraws the step's header, lists and tables from the document, which has
mostly not changed since the last visit. ``Static.update``, ``OptionList.set_options``
and ``DataTable.clear`` then ``add_row`` always lay the screen out again and render
every line anew, even for what is already shown: most of a switch. Each helper here
compares with what the widget holds now (not with a copy that could go stale).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.content import Content

if TYPE_CHECKING:  # named only: Home imports this and uses none of them
    from textual.widgets import DataTable, OptionList, Static
    from textual.widgets.option_list import Option


def drawn(visual: object) -> object:
    """What ``visual`` draws, as a value to compare: its text and its styles.

    ``Content.__eq__`` compares the text only (a change of colour would be missed), and
    a Visual compares by identity unless it says what it draws (a ``drawn()`` method).
    Rich ``Text`` compares its text and spans only, so its own style is added.
    """
    if isinstance(visual, Content):
        return (visual.plain, tuple(visual.spans))
    if isinstance(visual, Text):  # its __eq__ leaves out the style of the whole text
        return (
            visual.plain,
            tuple(visual.spans),
            str(visual.style),
            visual.justify,
            visual.no_wrap,
            visual.overflow,
        )
    account = getattr(visual, "drawn", None)
    return account() if callable(account) else visual


def update(static: Static, content: Content | str) -> None:
    """``static.update(content)``, unless it shows exactly that already."""
    if drawn(static.content) != drawn(content):
        static.update(content)


def _option_drawn(option: Option, divider: bool) -> tuple[object, ...]:
    return (drawn(option.prompt), option.id, option.disabled, divider)


def set_options(option_list: OptionList, options: Sequence[Option | None]) -> bool:
    """``option_list.set_options(options)`` unless it holds these already; True when set.

    ``None`` is a separator, as for ``set_options`` (it marks the option before it).
    """
    wanted = [
        _option_drawn(option, index + 1 < len(options) and options[index + 1] is None)
        for index, option in enumerate(options)
        if option is not None
    ]
    held = [
        _option_drawn(option, bool(getattr(option, "_divider", False)))
        for option in option_list.options
    ]
    if held == wanted:
        return False
    option_list.set_options(options)
    return True


def fill_table(
    table: DataTable[Any],
    rows: Sequence[Sequence[object]],
    *,
    keys: Sequence[str | None] | None = None,
    heights: Sequence[int] | None = None,
) -> bool:
    """Clear ``table`` and add ``rows`` unless it holds exactly these; True when refilled."""
    keys = list(keys) if keys is not None else [None] * len(rows)
    heights = list(heights) if heights is not None else [1] * len(rows)
    held = table.ordered_rows
    if len(held) == len(rows) and all(
        [drawn(cell) for cell in table.get_row_at(index)] == [drawn(cell) for cell in cells]
        and (key is None or held[index].key.value == key)
        and held[index].height == height
        for index, (cells, key, height) in enumerate(zip(rows, keys, heights, strict=True))
    ):
        return False
    table.clear()
    for cells, key, height in zip(rows, keys, heights, strict=True):
        table.add_row(*cells, key=key, height=height)
    return True
