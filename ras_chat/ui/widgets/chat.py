"""The chat log: the assistant's messages on the left, the person's on the right.

Each message is a box with a label ("Assistant", "You") on its border: who is speaking is
told by position, label and border shape as well as colour, so it survives NO_COLOR and
colour blindness. The log is one widget (a RichLog), so a long talk stays quick: new
messages are drawn once, and everything is redrawn only when the width changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich import box
from rich.align import Align
from rich.constrain import Constrain
from rich.panel import Panel
from rich.style import Style
from rich.text import Text
from textual.events import Resize
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import RichLog

if TYPE_CHECKING:  # the first screen is drawn before the dialogue package loads
    from ras_chat.ui.shown import Said as Message  # the session's Message, or the first screen's

LABELS = {"assistant": "Assistant", "person": "You"}
KIND_LABELS = {"help": "Help", "error": "Sorry", "safety": "Important", "result": "Your amount", "summary": "Your answers"}
BOXES = {"assistant": box.ROUNDED, "person": box.HEAVY, "safety": box.DOUBLE}
SHARE = 0.8
"""A message takes at most this share of the log's width."""


def bubble_title(role: str, kind: str) -> str:
    """The label on a message: who is speaking, and what kind of message when it matters."""
    who = LABELS[role]
    extra = KIND_LABELS.get(kind)
    return f"{who} \u00b7 {extra}" if extra and role == "assistant" else who


class ChatLog(RichLog):
    """Every message so far, newest at the bottom and always in view."""

    def __init__(self, *, follow: bool = True, messages: Iterable[Message] = (), **kwargs) -> None:
        """`messages`: shown from the start, in the very first frame (the first screen)."""
        super().__init__(wrap=True, markup=False, highlight=False, auto_scroll=follow, **kwargs)
        self.follow = follow
        self.messages: list[tuple[str, str, str]] = []
        """(role, kind, text) of every message shown, in order."""
        self._drawn_width = 0
        self._composed = [(m.role, m.kind, m.text) for m in messages if m.text]
        self._line_style: Style | None = None

    def on_mount(self) -> None:
        # RichLog keeps what is written until its first Resize (after the first frame), so
        # messages given with the log would come a frame or two late. They are drawn now at
        # the width the log will have on this screen (the screen's width less its scroll bar
        # and the gutters around it); if the layout gives another width, `on_resize` draws
        # them again.
        if not self._composed:
            return
        width = self.app.size.width
        if self.styles.overflow_y == "scroll":  # a scroll bar always shown (RichLog's own style)
            width -= self.styles.scrollbar_size_vertical
        node: Any = self
        while node is not None and node is not self.screen:
            width -= node.styles.gutter.width + node.styles.margin.width
            node = node.parent
        composed, self._composed = self._composed, []
        if width <= 0:  # drawn on the first Resize, as any message written before it
            for role, kind, text in composed:
                self.add(text, role=role, kind=kind)
            return
        self._size_known = True  # RichLog's own flag: no Resize is needed to draw at this width
        for role, kind, text in composed:
            self.messages.append((role, kind, text))
            self._draw(role, kind, text, width)

    # -- what the app calls --

    def add_messages(self, messages: Iterable[Message]) -> None:
        for m in messages:
            if m.text:
                self.add(m.text, role=m.role, kind=m.kind)

    def add(self, text: str, *, role: str = "assistant", kind: str = "say") -> None:
        self.messages.append((role, kind, text))
        self._draw(role, kind, text)

    def texts(self) -> list[str]:
        """The text of every message on screen, in order (for tests and screen readers)."""
        return [text for _, _, text in self.messages]

    # -- drawing --

    def _colour(self, role: str, kind: str) -> str:
        theme = self.app.current_theme
        if kind == "safety":
            return theme.error or "red"
        if kind in ("error",):
            return theme.warning or "yellow"
        if kind == "help":
            return theme.secondary or theme.primary
        return (theme.success or "green") if role == "person" else theme.primary

    def _draw(self, role: str, kind: str, text: str, width: int = 0) -> None:
        width = width or self.scrollable_content_region.width or self.size.width or 80
        self._drawn_width = width
        colour = self._colour(role, kind)
        body = Text(text, style="bold" if kind in ("question", "safety") else "")
        panel = Panel(
            body,
            title=Text(f" {bubble_title(role, kind)} ", style="bold"),
            title_align="right" if role == "person" else "left",
            box=BOXES["safety"] if kind == "safety" else BOXES[role],
            border_style=colour,
            expand=False,
            padding=(0, 1),
        )
        limit = max(20, int(width * SHARE))
        aligned = Align.right(Constrain(panel, limit)) if role == "person" else Align.left(Constrain(panel, limit))
        self.write(aligned, width=width, expand=True, scroll_end=self.follow)

    def render_lines(self, crop: Region) -> list[Strip]:
        # the lines of one frame share one style: worked out once here, not for every line
        # (RichLog asks for it line by line, and each time it walks every ancestor)
        self._line_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._line_style = None

    def render_line(self, y: int) -> Strip:
        style = self._line_style
        if style is None:
            return super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        return self._render_line(scroll_y + y, scroll_x, self.scrollable_content_region.width).apply_style(style)

    def redraw(self) -> None:
        self.clear()
        for role, kind, text in self.messages:
            self._draw(role, kind, text)

    def clear_messages(self) -> None:
        self.messages.clear()
        self.clear()

    def keep_newest_in_view(self) -> None:
        if self.follow:
            self.scroll_end(animate=False, immediate=True)

    def on_resize(self, event: Resize) -> None:
        # a narrower log (the worker's panel opened) must wrap again: redraw, newest in view
        width = self.scrollable_content_region.width
        if width and width != self._drawn_width and self.messages:
            self.redraw()
        # a lower log (a question with more choices below it) keeps its newest line in
        # view: the question asked is never left under the answer bar
        if self.follow:
            self.scroll_end(animate=False, immediate=True)
