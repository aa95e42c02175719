"""The examples file (`dialogues/assessment.examples.yaml`): its strict shape and loading.

A mistake names the file, line and key (a `DataFileError`, as for dialogue and policy
files). Loading is cheap: YAML and pydantic only, no scikit-learn.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from ras.policy.yamlio import DataFileError, loc_text, read_yaml

EXAMPLES_SUFFIX = ".examples.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _key(value: Any) -> str:
    """YAML reads `yes` as True and `0` as 0: option values are always text here."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _phrases(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(_key(v) for v in value)
    return (_key(value),)


class Thresholds(_Strict):
    accept: float = 0.80
    """At or above: store the reading and say it back."""
    confirm: float = 0.45
    """At or above (and below accept): ask "Is that right?"; below: ask again."""
    off_topic: float = 0.60
    """How sure the model must be that an answer is off the subject or a question back."""
    part: float = 0.35
    """For "pick several": how sure the model must be that a part of an answer names a thing."""

    @field_validator("*", mode="before")
    @classmethod
    def _float(cls, v: Any) -> Any:
        return float(v) if isinstance(v, Decimal) else v


class Band(_Strict):
    below: float | None = None
    value: str

    @field_validator("below", mode="before")
    @classmethod
    def _float(cls, v: Any) -> Any:
        return float(v) if isinstance(v, Decimal) else v

    @field_validator("value", mode="before")
    @classmethod
    def _text(cls, v: Any) -> Any:
        return _key(v)


class NumberBands(_Strict):
    """A number said for a question whose answers are ranges ("about 40 hours")."""

    units: tuple[str, ...] = ()
    """Words after a number that say it is this kind of number (hours, years old)."""
    min: float = 0
    """A number below this (without a unit) is read as the number of an answer."""
    bands: tuple[Band, ...]


class Reply(_Strict):
    reply: str
    examples: tuple[str, ...] = ()


class FieldExamples(_Strict):
    multi: bool = False
    """A "pick several" question: each example names one thing (read clause by clause)."""
    negated: Literal["hard", "fine"] = "hard"
    """For "pick several": a thing named with "not" or "never" and nothing else ("I don't
    see my friends") is hard (an everyday thing) or is left out (a way it is hard)."""
    examples: dict[str, tuple[str, ...]] = {}
    reasons: str | None = None
    """For "pick several things": the field whose examples say why a thing is hard. A part
    of the answer that reads more surely as a reason than as a thing ("getting in the
    bath, I'm scared of falling") says why the other things are hard; it names none."""
    topic: tuple[str, ...] = ()
    """Words about what the question is about, not about the answer (for the ways a thing
    is hard: the everyday things themselves, "toilet", "buttons"): known words, so an
    answer that names them can still be read with confidence."""

    @field_validator("examples", mode="before")
    @classmethod
    def _values(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {_key(k): _phrases(p) for k, p in v.items()}
        return v


class Polarity(_Strict):
    hard: tuple[str, ...] = ()
    fine: tuple[str, ...] = ()


class Act(_Strict):
    """Who + what: a person (`people`) does one of `verbs` to someone (`objects`, a few
    words after the verb): "he slapped me", "my son takes my pension"."""

    level: Literal["stop", "check"] = "stop"
    verbs: tuple[str, ...]
    objects: tuple[str, ...] = ("me", "us", "him", "her", "them")
    negated: bool = False
    """True for things not done: "he doesn't feed me", "they never change me"."""
    passive: bool = False
    """True when "I was hit" / "I get pushed" counts without a person named."""
    passive_needs_object: bool = False
    """With `passive`: the object is still needed ("I'm left in wet pads")."""


class Safety(_Strict):
    gentle_check: str
    stop: dict[str, tuple[str, ...]]
    """Category -> phrases that are a clear disclosure wherever they appear."""
    check: dict[str, tuple[str, ...]] = {}
    """Category -> phrases that may be one: ask the gentle check."""
    people: tuple[str, ...]
    """Who may harm someone: he, she, they, my son, my carer, ..."""
    acts: dict[str, Act]
    body: tuple[str, ...] = ()
    """"she hit her head": a body part after "her" or "his" is an accident."""
    harmless_after: tuple[str, ...] = ()
    """"pushes me in my wheelchair", "takes care of my money": words after the verb that
    make it ordinary help."""
    fear: tuple[str, ...] = ()
    """Fear words ("scared of"); with a person they stop the questions."""
    unsafe: tuple[str, ...] = ()
    """Feeling unsafe ("do not feel safe"); with a person: stop; alone or at home: check."""
    places: tuple[str, ...] = ()
    """"not safe on the stairs": a risk answer, not a disclosure."""
    hypothetical: tuple[str, ...] = ()
    """"I would be neglected", "I could get hurt": what might happen, not what happens.
    Only lowers a `check` phrase of the `lowered` categories (never a `stop` one)."""
    lowered: tuple[str, ...] = ("neglect", "danger", "hurt")
    """The `check` categories that what-might-happen words lower to nothing."""
    ordinary: tuple[str, ...] = ()
    """Phrases of an ordinary answer (falls, pain, worry): the model alone cannot flag a
    line that has one."""
    examples: dict[Literal["stop", "check", "none"], tuple[str, ...]] = {}
    """Lines for the safety model (its second opinion)."""
    model_check: float = 0.5
    """How sure the safety model must be (stop + check) to ask the gentle check."""

    @field_validator("model_check", mode="before")
    @classmethod
    def _float(cls, v: Any) -> Any:
        return float(v) if isinstance(v, Decimal) else v


class Texts(_Strict):
    """What the session may say about a reading (plain words; {label} is the answer's
    label, lower-cased inside a sentence; {amount} an amount said back)."""

    accepted: str = "OK: {label}."
    confirm: str = "It sounds like {label}. Is that right?"
    confirm_many: str = "It sounds like these are hard: {labels}. Is that right?"
    pick_another: str = "Sorry. Which one fits best?"
    ask_again: str = "Sorry, I am not sure what you meant. Can you say it another way? Or type the number of the answer."
    amount_back: str = "I have put {amount}. Is that right?"
    amount_weekly: str = "That is {weekly} a week ({sum})."


class ExamplesFile(_Strict):
    version: Literal[1] = 1
    texts: Texts = Texts()
    thresholds: Thresholds = Thresholds()
    rewrites: dict[str, str] = {}
    fillers: tuple[str, ...] = ()
    joiners: tuple[str, ...] = ("and", "or", "number", "numbers", "option", "options", "the", "a", "plus", "also", "both")
    clause_breaks: tuple[str, ...] = ("but", "though", "although", "except", "apart from", "however", "whereas")
    part_joins: tuple[str, ...] = ("and", "or", "also", "plus", "as well as")
    multi_all: tuple[str, ...] = ()
    multi_none: tuple[str, ...] = ()
    polarity: Polarity = Polarity()
    number_bands: dict[str, NumberBands] = {}
    yes_no: dict[str, tuple[str, ...]] = {}
    agree_only: tuple[str, ...] = ()
    """Words that agree to an offer ("ok"): a yes only where the question offers or checks
    something (`agree_yes`); elsewhere put to the person."""
    agree_yes: tuple[str, ...] = ()
    """The fields whose question offers or checks something ("Is this right?")."""
    yes_first: tuple[str, ...] = ()
    """Questions asked as "Shall we start with X? Or pick another": a plain yes picks the
    first answer."""
    off_topic: Reply
    questions_back: dict[str, Reply] = {}
    fields: dict[str, FieldExamples]
    safety: Safety

    @field_validator("yes_no", mode="before")
    @classmethod
    def _yes_no(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {_key(k): _phrases(p) for k, p in v.items()}
        return v

    @field_validator("fillers", "multi_all", "multi_none", mode="before")
    @classmethod
    def _list(cls, v: Any) -> Any:
        return _phrases(v)


def _plain(err: Mapping[str, Any]) -> str:
    if err.get("type") == "extra_forbidden":
        return "unknown key (misspelt, or in the wrong place?)"
    if err.get("type") == "missing":
        return "this key is required but missing"
    msg = err.get("msg", "not valid").removeprefix("Value error, ")
    return msg[0].lower() + msg[1:] if msg else "not valid"


def read_examples(path: str | Path) -> tuple[ExamplesFile, str]:
    """The checked examples file and the SHA-256 of its bytes (the model cache's key)."""
    path = Path(path)
    doc = read_yaml(path)
    if not isinstance(doc.data, dict):
        raise DataFileError(path, "an examples file must be a mapping (thresholds, fields, safety, ...)", line=1)
    try:
        data = ExamplesFile.model_validate(doc.data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        raise DataFileError(path, _plain(err), line=doc.line_of(loc), key=loc_text(loc) or None) from None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return data, digest


def examples_path_for(dialogue_path: str | Path) -> Path:
    """dialogues/assessment.yaml -> dialogues/assessment.examples.yaml"""
    p = Path(dialogue_path)
    return p.with_name(p.stem + EXAMPLES_SUFFIX)


def default_examples_path() -> Path:
    from importlib import resources

    return Path(str(resources.files("dialogues") / f"assessment{EXAMPLES_SUFFIX}"))


__all__ = ["ExamplesFile", "FieldExamples", "NumberBands", "Reply", "Safety", "Thresholds", "default_examples_path", "examples_path_for", "read_examples"]
