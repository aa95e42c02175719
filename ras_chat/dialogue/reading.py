"""Reading what a person typed: the safety check, and the answer to the question.

The session asks two things of every answer: could it be a disclosure of harm
(`detect_harm`), and what does it answer (`read_answer`), with how sure the reading is and
what to do with it (accept, confirm, ask again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Sequence

from ras_chat.dialogue.match import Option, first_phrase, match_many, match_one, normalise

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.dialogue.session import Session


@dataclass(frozen=True)
class Harm:
    level: Literal["none", "check", "stop"]
    why: str = ""
    """What in the words may be harm, for the worker's flag."""


@dataclass(frozen=True)
class AnswerRead:
    values: tuple[str, ...]
    confidence: float
    action: Literal["accept", "confirm", "ask_again"]
    how: str
    reply: str | None = None
    """A short reply to a question back or words off the subject (the question follows)."""


def _exact(text: str, options: Sequence[Option]) -> bool:
    t = text.strip()
    return any(t in (str(o.number), o.label) for o in options)


def detect_harm(session: "Session", text: str) -> Harm:
    """Could these words be a disclosure of harm, abuse, neglect or a risk to life?"""
    if _exact(text, session.options()):
        return Harm("none")
    phrase = first_phrase(text, session.dialogue.spec.safety.phrases)
    return Harm("stop", f"matched \u201c{phrase}\u201d") if phrase is not None else Harm("none")


def read_answer(session: "Session", text: str, options: Sequence[Option], *, multi: bool) -> AnswerRead:
    """The option value(s) these words answer, how sure, and what to do."""
    d = session.dialogue.spec
    norm = normalise(text)
    exact = any(norm == normalise(o.label) or norm == normalise(o.value) for o in options)
    how = "number" if norm.replace(" and ", " ").replace(" ", "").isdigit() else "label" if exact else "words"
    if multi:
        many = match_many(text, options)
        if many is None:
            return AnswerRead((), 0.0, "ask_again", how)
        return AnswerRead(tuple(o.value for o in many), 1.0, "accept", how)
    picked = match_one(text, options, yes=d.yes_words, no=d.no_words)
    if picked is None:
        return AnswerRead((), 0.0, "ask_again", how)
    return AnswerRead((picked.value,), 1.0, "accept", how)


__all__ = ["AnswerRead", "Harm", "detect_harm", "read_answer"]
