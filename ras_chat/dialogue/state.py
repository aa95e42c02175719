"""What a session is made of, as data: its messages, flags, way back, and saved state.

JSON-ready pydantic models (`model_dump(mode="json")`); the store saves `SessionState`
and `Session.restore(state)` rebuilds the conversation from it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

SESSION_SCHEMA: Literal["ras-chat-session/1"] = "ras-chat-session/1"
STATUSES = ("in_progress", "handed_off", "agreed")
"""A session's status: talking; handed to a worker; agreed at sign-off."""
Status = Literal["in_progress", "handed_off", "agreed"]


FlagCode = Literal["safety", "possible_harm", "skipped", "dont_know", "hard_to_match", "gave_up", "carer_struggling", "carer_later"]
FlagLevel = Literal["urgent", "attention", "info"]


class Choice(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int
    label: str
    value: str


class Message(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Literal["assistant", "person"]
    text: str
    at: dt.datetime
    state: str
    kind: str = "say"
    """question, say, help, result, safety, error, answer (the person's words)."""
    choices: tuple[Choice, ...] = ()
    multiple: bool = False
    """True when more than one choice may be picked (answer "1 and 3")."""


class Flag(BaseModel):
    """Something the worker must look at. `text` is for the worker, not the person."""

    model_config = ConfigDict(frozen=True)

    code: FlagCode
    level: FlagLevel
    text: str
    state: str
    key: str | None = None
    at: dt.datetime


class Frame(BaseModel):
    """One step of the way back: a question that was answered, and where we were."""

    model_config = ConfigDict(frozen=True)

    state: str
    area: str | None = None
    outcome: str | None = None
    money: str | None = None


class Reading(BaseModel):
    """How one answer was understood: kept beside the value for the worker."""

    model_config = ConfigDict(frozen=True)

    said: str
    """What the person typed, as they typed it (cleaned of escapes)."""
    how: str
    """"number", "label" (picked as shown), "words" (listed words), "model" (understood from
    free text), "text" (a free-text question) or "amount"."""
    confidence: float
    confirmed: bool = False
    """The person said yes to "It sounds like ... Is that right?"."""


EARLIER = "earlier"
"""How an answer settled by words said to an earlier question is marked (`Pending.how`,
`Reading.how`)."""


class Pending(BaseModel):
    """A question put over the current one, answered first."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["confirm", "safety_check"]
    said: str
    """The words that led to it."""
    values: tuple[str, ...] = ()
    """For `confirm`: the values read, waiting for a yes."""
    how: str = ""
    confidence: float = 0.0
    why: str = ""
    """For `safety_check`: what in the words may be harm (for the worker's flag)."""


class SessionState(BaseModel):
    """Everything needed to rebuild a session. JSON-ready: `model_dump(mode="json")`."""

    format: Literal["ras-chat-session/1"] = SESSION_SCHEMA
    id: str
    policy: str
    dialogue: str = "assessment"
    as_of: dt.date
    created: dt.datetime
    updated: dt.datetime
    status: Status = "in_progress"
    state: str
    answers: dict[str, Any] = {}
    """By key: `state`, `state:area` or `state:area:outcome`. A value is the choice value,
    a list of values, free text, or {"unknown": "skipped" | "dont_know" | "gave_up"}."""
    history: list[Frame] = []
    transcript: list[Message] = []
    flags: list[Flag] = []
    who: str | None = None
    cursor: dict[str, str | None] = {"area": None, "outcome": None}
    suggested: list[str] = []
    area_order: list[str] = []
    review: list[str] = []
    """Answer keys to ask again (after "back" or "change"), though they have an answer."""
    misses: int = 0
    last_choice: str | None = None
    checked: bool = False
    answer_count: int = 0
    """How many answers the person gave (not counting help, repeat or back, nor the money part)."""
    money_answer_count: int = 0
    """Answers given in the optional money part (counted apart: it comes after the result)."""
    finance: dict[str, Any] | None = None
    """The `ras-finance/1` record built from the money answers (JSON), when they were given."""
    charge: dict[str, Any] | None = None
    """The `ras-charge/1` estimate (JSON), when one could be made."""
    money_missing: list[str] = []
    """Why no estimate could be made (required questions skipped, or a figure missing)."""
    pending: Pending | None = None
    """A question put over the current one: "It sounds like ... Is that right?" (`confirm`)
    or the gentle safety check (`safety_check`). Answered before anything else."""
    hints: dict[str, Pending] = {}
    """Answers that words said earlier may give, by answer key ("my wife does all of it"
    said to how much help: who helps). Used when that question comes: a sure one is said
    back and kept, a less sure one is put to the person."""
    jump: Frame | None = None
    """The one answer to ask again, picked at the check (then on to the check again)."""
    readings: dict[str, Reading] = {}
    """How each answer was read, by answer key: the person's own words, how sure the
    program was, and whether they confirmed it (for the worker)."""


__all__ = ["Choice", "Flag", "FlagCode", "FlagLevel", "Frame", "Message", "Pending", "Reading", "SESSION_SCHEMA", "STATUSES", "SessionState", "Status"]
