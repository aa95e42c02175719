"""What reading one answer gives (`Reading`), and the small rules every reader shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ras_chat.dialogue.understand.amounts import AmountReading

Action = Literal["accept", "confirm", "ask_again"]
MENTION_STOP = frozenset(
    """i im me my myself she shes her herself he hes him his himself they them their it its is are am was
    were be been the a an do does did doing cant cannot can dont doesnt didnt really just so very
    that thats this of for with to too also please will really quite bit""".split()
)
Kind = Literal["answer", "off_topic", "question_back"]


@dataclass(frozen=True)
class Reading:
    values: tuple[str, ...]
    """The option values read (empty when nothing was); for "pick several" maybe several."""
    confidence: float
    action: Action
    kind: Kind = "answer"
    reply: str | None = None
    """For off_topic / question_back: a short honest reply (then ask the question again)."""
    alternatives: tuple[tuple[str, float], ...] = ()
    """The next best values with their scores, for "pick another"."""
    how: str = ""
    """number, band, label, words, model, model+words, all, none, clauses, amount, ..."""
    why: str = ""
    """One line for the worker's view: what was matched."""
    fine: tuple[str, ...] = ()
    """For "pick several": things the person named as fine ("eating is ok")."""
    amount: AmountReading | None = None

    @property
    def value(self) -> str | None:
        return self.values[0] if self.values else None


def lower_first(text: str) -> str:
    if not text or text == "I" or text.startswith(("I ", "I'", "I\u2019")):
        return text
    return text[:1].lower() + text[1:]


def action_for(conf: float, accept: float, confirm: float) -> Action:
    if conf >= accept:
        return "accept"
    if conf >= confirm:
        return "confirm"
    return "ask_again"


def field_pattern(field: str) -> str:
    """areas.health.need -> areas.{area}.need; everything else as it is."""
    bits = field.split(".")
    if len(bits) == 3 and bits[0] == "areas":
        return f"areas.{{area}}.{bits[2]}"
    return field


__all__ = ["MENTION_STOP", "Action", "Kind", "Reading", "action_for", "field_pattern", "lower_first"]
