"""The chat log: the assistant's messages on the left, the person's on the right."""

from __future__ import annotations

from typing import Iterable

from rich.text import Text
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from ras_chat.dialogue.session import Message

LABELS = {"assistant": "Assistant", "person": "You"}
KIND_LABELS = {"help": "Help", "error": "Sorry", "safety": "Important", "result": "Your amount", "summary": "Your answers"}


def bubble_title(role: str, kind: str) -> str:
    """The label on a bubble: who is speaking, and what kind of message when it matters."""
    who = LABELS[role]
    extra = KIND_LABELS.get(kind)
    return f"{who} \u00b7 {extra}" if extra and role == "assistant" else who


class Bubble(Static):
    """One message. Its label (border title) says who is speaking, so colour is never the only sign."""

    def __init__(self, text: str, *, role: str = "assistant", kind: str = "say", choices: Iterable = ()) -> None:
        body = Text(text)
        for choice in choices:
            body.append(f"\n  {choice.number}. {choice.label}")
        super().__init__(body, classes=f"bubble {role} kind-{kind}", markup=False)
        self.message_text = text
        self.border_title = bubble_title(role, kind)

    @classmethod
    def of(cls, message: Message) -> "Bubble":
        return cls(message.text, role=message.role, kind=message.kind)


class MessageRow(Horizontal):
    """A row holding one bubble, aligned left (assistant) or right (person)."""

    def __init__(self, bubble: Bubble, role: str) -> None:
        super().__init__(bubble, classes=f"row {role}")


class ChatLog(VerticalScroll):
    """Every message so far; the newest is always scrolled into view."""

    can_focus = False

    def add_messages(self, messages: Iterable[Message]) -> None:
        rows = [MessageRow(Bubble.of(m), m.role) for m in messages if m.text]
        if rows:
            self.mount_all(rows)
        self.call_after_refresh(self.scroll_end, animate=False, immediate=True)

    def on_resize(self) -> None:
        # a narrower log (the worker's panel opened) wraps longer: keep the newest in view
        self.scroll_end(animate=False, immediate=True)

    def texts(self) -> list[str]:
        """The text of every message on screen, in order (for tests and screen readers)."""
        return [b.message_text for b in self.query(Bubble)]
