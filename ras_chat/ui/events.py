"""Textual messages the widgets post. Small, past-tense, no logic: the app acts on them."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class AnswerSubmitted(Message):
    """The person gave an answer: typed words, or a choice number ("2", "1 and 3")."""

    text: str


@dataclass
class ChoicePicked(Message):
    """A single choice button was pressed (or its number key)."""

    number: int


@dataclass
class ChoicesSubmitted(Message):
    """The person sent the choices ticked on a question that allows more than one."""

    numbers: tuple[int, ...]


@dataclass
class ChatMounted(Message):
    """The chat screen is on screen and ready to show the opening."""
