"""Textual messages the widgets post. Small, past-tense, no logic: the app acts on them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.dom import DOMNode


@dataclass
class AnswerSubmitted(Message):
    """The person gave an answer: typed words, or a choice number ("2", "1 and 3")."""

    text: str
    asked: int | None = None
    """The question it was given to (`AnswerBar.asked`); None: whatever is asked now."""


@dataclass
class ChoicePicked(Message):
    """A single choice button was pressed (or its number key)."""

    number: int
    asked: int | None = None


@dataclass
class ChoicesSubmitted(Message):
    """The person sent the choices ticked on a question that allows more than one."""

    numbers: tuple[int, ...]
    asked: int | None = None


@dataclass
class ChatMounted(Message):
    """The chat screen is on screen and ready to show the opening."""


@dataclass
class ConversationFinished(Message):
    """The conversation has ended (hand-off, or stopped for safety). The app posts this to
    itself after the last turn is on screen; `RasChatApp.on_conversation_finished` shows the
    result. A subclass that shows something else overrides that handler and calls
    `event.prevent_default()` so the result screen is not shown as well."""


@dataclass
class WhatIfAsked(Message):
    """The worker asked what one changed answer would do to each method's amount.

    `path` names the answer as `ras_chat.training.what_if` takes it ("areas.community.risk",
    "outcomes.nutrition", "client_group"); `value` is the new value as text ("3", "none",
    "yes"). The app works it out on a copy of the record and hands the result back to
    `asker` (its `show_what_if(result)`, or `show_note(text)` when the change cannot be made).
    """

    asker: DOMNode
    path: str
    value: str

    @property
    def control(self) -> DOMNode:
        return self.asker
