"""Reading what a person typed: the safety check, and the answer to the question.

The session asks two things of every answer, and the understanding layer
(`ras_chat.dialogue.understand`, trained on the examples file beside the dialogue) answers
both: could it be a disclosure of harm (`detect_harm`), and what does it answer
(`read_answer`), with how sure the reading is and what to do with it (accept, confirm, ask
again). A question reads with the examples of the field it sets, or of `examples:` when it
sets none (such as "is this right?").
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ras_chat.dialogue.fields import concrete
from ras_chat.dialogue.match import Option
from ras_chat.dialogue.understand import Reading, Understanding

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
    said_back: str | None = None
    """What was heard, in the person's terms ("OK: a lot of help every day.")."""


@functools.lru_cache(maxsize=8)
def _understanding_for(path: str) -> Understanding:
    return Understanding.for_dialogue(path)


def understanding(session: Session) -> Understanding:
    """The understanding layer for the session's dialogue (one per dialogue file, kept)."""
    return _understanding_for(str(session.dialogue.path))


def field_here(session: Session) -> str:
    """The field the current question is read as: `examples:`, else its `sets:` made
    concrete (`areas.health.need`, `money.capital`)."""
    spec = session.spec
    if spec.examples:
        return spec.examples
    c = session.state.cursor
    return concrete(spec.sets or session.state.state, area=c.get("area"), outcome=c.get("outcome"), question=c.get("money"))


def _exact(text: str, options: Sequence[Option]) -> bool:
    t = text.strip()
    return any(t in (str(o.number), o.label) for o in options)


def detect_harm(session: Session, text: str) -> Harm:
    """Could these words be a disclosure of harm, abuse, neglect or a risk to life?
    A number or a label picked from the choices offered is not."""
    options = [*session.options(), *session._options(session.spec)]  # what is offered now, and the question's own
    if _exact(text, options):
        return Harm("none")
    # with the question's choices: "it is not safe" to "Which of these is true? ... It is not
    # safe for me or others" is an answer, not a possible disclosure (a clear one still stops)
    found = understanding(session).safety(text, options)
    if found.level == "none":
        return Harm("none")
    why = " ".join(bit for bit in (found.category, f"\u201c{found.evidence}\u201d" if found.evidence else None) if bit)
    return Harm(found.level, why or "possible harm")


def read_answer(session: Session, text: str, options: Sequence[Option], *, multi: bool) -> AnswerRead:
    """The option value(s) these words answer, how sure, and what to do."""
    u = understanding(session)
    r = u.read(field_here(session), text, options, multi=multi)
    if r.kind != "answer":
        return AnswerRead((), r.confidence, "ask_again", r.how, reply=r.reply)
    said = u.say(r, options) if r.action == "accept" else None
    return AnswerRead(tuple(r.values), r.confidence, r.action, r.how or "model", said_back=said)


def confirm_words(session: Session, values: Sequence[str], confidence: float, options: Sequence[Option]) -> str:
    """ "It sounds like ... Is that right?" for a reading put to the person."""
    return understanding(session).say(Reading(tuple(values), confidence, "confirm"), options) or ""


__all__ = ["AnswerRead", "Harm", "confirm_words", "detect_harm", "field_here", "read_answer", "understanding"]
