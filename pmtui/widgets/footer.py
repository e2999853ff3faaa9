"""Provides QuietFooter: Textual's Footer, recomposed only when the keys it shows change.

The stock Footer rebuilds every key widget on each bindings update, and a focus change or
a step switch sends several: measured at 40-100 ms per step switch, most of the time a
switch took. This one coalesces the updates of one refresh into one check and rebuilds
only when the keys, their descriptions or their enabled state differ from what it shows.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.compose import compose
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class QuietFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending = False
        self._shown: tuple[Any, ...] | None = None

    def _signature(self) -> tuple[Any, ...]:
        return tuple(
            (binding.key, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    def compose(self) -> ComposeResult:
        """The stock keys, each mounted already in the footer's compact state.

        A FooterKey starts compact and is then bound to the footer's (not compact), so
        each key re-applied its styles twice as it mounted: 15 ms of the first frame.

        The stock footer composes no keys until the screen's bindings first change, after
        the screen's first frame. A screen whose first frame is complete
        (``FIRST_FRAME_COMPLETE``) has them in it: its bindings are known as it composes.
        """
        if not self._bindings_ready and getattr(self.screen, "FIRST_FRAME_COMPLETE", False):
            self.set_reactive(Footer._bindings_ready, True)
        if self._bindings_ready:
            self._shown = self._signature()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # Bound keys follow the footer; the palette key keeps FooterKey's default
                # (reading widget.compact here would run its watcher before mounting).
                bound = "compact" in (widget._reactive_connect or {})
                compact = self.compact if bound else True
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_later(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        signature = self._signature()
        if signature == self._shown:
            return
        first = self._shown is None
        self._shown = signature
        if first and not self.children:
            # Nothing to take away: the keys are mounted without Widget.recompose's
            # batch, which holds every frame of the app while they mount, and the frame
            # a new screen draws meanwhile is thrown away and drawn again (~30 ms).
            await self.mount_all(compose(self))
        else:
            await self.recompose()
