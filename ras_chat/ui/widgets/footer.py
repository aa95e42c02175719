"""Textual's footer, drawn again only when the keys it shows change.

Textual's own footer rebuilds all its key widgets whenever the bindings may have changed
(every change of focus, every turn). Here it compares the keys it would show with those
it shows and does nothing when they are the same: most of the time, since the app's keys
do not depend on where the focus is. That is a good part of the time to the first screen.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(screen: Screen) -> tuple:
    """What the footer shows for `screen`: each key shown, its words and whether it works now."""
    return tuple(
        (binding.key, binding.action, binding.description, enabled, tooltip)
        for (_node, binding, enabled, tooltip) in screen.active_bindings.values()
        if binding.show
    )


class KeysFooter(Footer):
    _shown: tuple | None = None

    def compose(self):
        if self._bindings_ready:
            self._shown = shown_keys(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if self._bindings_ready and self.is_attached and screen is self.screen and screen.app.app_focus:
            if shown_keys(screen) == self._shown:
                return  # the same keys: nothing to draw again
        super().bindings_changed(screen)
