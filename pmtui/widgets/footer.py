"""Provides QuietFooter: the screen's keys on one line, drawn by one widget.

Textual's Footer mounts a widget per key and rebuilds them all on every bindings update
(a focus change or a step switch sends several): its ten keys were 17 ms of the first
frame, and 40-100 ms of a step switch before pmtui coalesced the rebuilds. This one keeps
what the stock footer does for a person (each key with its description, dimmed when it
cannot act now, the palette key on the right, a click presses the key, hovering shows the
binding's tooltip) and draws the line itself; a bindings update that changes what it
shows only repaints it. Keys that do not fit are left out whole, never cut mid-word: the
hint lines and the keys panel (ctrl+p, "keys") list them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class FooterEntry:
    """One key as the footer shows it."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str


@dataclass(frozen=True)
class _Placed:
    entry: FooterEntry
    start: int
    end: int


class QuietFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--hover",
        "footer--separator",
    }
    DEFAULT_CSS = """
    QuietFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--hover {
            background: $block-hover-background;
        }
        .footer--separator {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: tuple[FooterEntry, ...] | None = None
        self._palette: FooterEntry | None = None
        self._placed: list[_Placed] = []
        self._hover: FooterEntry | None = None

    # ---- what it shows ---------------------------------------------------------------

    def _read_bindings(self) -> tuple[tuple[FooterEntry, ...], FooterEntry | None]:
        app = self.app
        bindings = self.screen.active_bindings
        palette_key = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
        entries = []
        seen_actions: set[str] = set()
        for key, (_, binding, enabled, tooltip) in bindings.items():
            if not binding.show or key == palette_key or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)  # one key per action, as the stock footer
            entries.append(
                FooterEntry(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    enabled,
                    tooltip or binding.tooltip or binding.description,
                )
            )
        palette = None
        if palette_key is not None and palette_key in bindings:
            _, binding, enabled, tooltip = bindings[palette_key]
            palette = FooterEntry(
                binding.key,
                app.get_key_display(binding),
                binding.description,
                enabled,
                tooltip or binding.tooltip or binding.description,
            )
        return tuple(entries), palette

    @property
    def entries(self) -> tuple[FooterEntry, ...]:
        """The keys it shows (before fitting them to the width), the palette key apart."""
        if self._entries is None:
            self._entries, self._palette = self._read_bindings()
        return self._entries

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        # As the stock footer: while the terminal is in the background the bindings are
        # left as they were (a blurred app would otherwise show its keys disabled).
        if not screen.app.app_focus or screen is not self.screen:
            return
        entries, palette = self._read_bindings()
        if (entries, palette) != (self._entries, self._palette):
            self._entries, self._palette = entries, palette
            self.refresh()

    # ---- drawing ---------------------------------------------------------------------

    def render(self) -> Text:
        width = self.size.width
        entries = self.entries
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        hover_style = self.get_component_rich_style("footer-key--hover", partial=True)
        dim = Style(dim=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        self._placed = []

        def add(entry: FooterEntry, key_text: str, description_text: str) -> None:
            start = line.cell_len
            extra = hover_style if entry == self._hover else Style()
            off = Style() if entry.enabled else dim
            line.append(key_text, key_style + extra + off)
            line.append(description_text, description_style + extra + off)
            self._placed.append(_Placed(entry, start, line.cell_len))

        palette = self._palette
        palette_width = len(palette.display) + len(palette.description) + 3 if palette else 0
        room = width - palette_width
        for entry in entries:
            key_text = f" {entry.display} "
            description_text = f"{entry.description} " if entry.description else ""
            if line.cell_len + len(key_text) + len(description_text) > room:
                break  # whole keys only; the rest are in the hint lines and the keys panel
            add(entry, key_text, description_text)
        if palette is not None and palette_width <= width:
            line.append(" " * (room - line.cell_len))
            line.append("▏", self.get_component_rich_style("footer--separator"))
            add(palette, palette.display, f" {palette.description} ")
        return line

    # ---- the mouse -------------------------------------------------------------------

    def _entry_at(self, x: int) -> FooterEntry | None:
        return next((p.entry for p in self._placed if p.start <= x < p.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        entry = self._entry_at(event.x)
        if entry != self._hover:
            self._hover = entry
            self.tooltip = entry.tooltip if entry else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        entry = self._entry_at(event.x)
        if entry is None:
            return
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()
