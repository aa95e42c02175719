"""Person-facing text: collect every line a person can see, and check it.

The checks are the plain-English rules of the project: no jargon, sentences of at
most 25 words, and (measured, reported) a reading grade near age 9.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ras.models import AREA_IDS
from ras_chat.dialogue import registry
from ras_chat.dialogue.loader import Dialogue
from ras_chat.dialogue.match import normalise

MAX_SENTENCE_WORDS = 25
MAX_READING_GRADE = 5.0
"""The highest Flesch-Kincaid grade (`reading_grade`) a file's person-facing text may have:
US grade 4 to 5 is a reading age of about 9 to 10."""

JARGON: tuple[str, ...] = (
    "eligibility", "eligible", "ineligible", "outcome", "outcomes", "domain", "domains",
    "indicative", "ras", "assessment", "assessments", "assess", "assessed", "allocation",
    "criteria", "resource", "resources", "provision", "service user", "client", "client group",
    "fluctuating", "fluctuate", "impairment", "wellbeing", "well-being", "statutory", "threshold",
    "care act", "unpaid support", "safeguarding", "personal budget", "commissioning", "deficit",
    "eligibility criteria", "facilitate", "utilise", "reablement", "substantial", "critical",
)  # fmt: skip
"""Words people may not know. A council can add words in its dialogue file's texts only by
changing this list (it lives with the checker, so a council cannot switch the check off)."""


@dataclass(frozen=True)
class Line:
    where: str
    """state or section and key, e.g. `states.area_need.help`."""
    text: str


def person_lines(dialogue: Dialogue, session=None) -> Iterator[Line]:
    """Every person-facing string, with where it comes from. With a session, the choices
    that come from the policy (scales, areas, everyday things) are included too."""
    spec = dialogue.spec
    for name, value in spec.texts.model_dump().items():
        if isinstance(value, str):
            yield Line(f"texts.{name}", value)
        else:
            for i, text in enumerate(value):
                yield Line(f"texts.{name}.{i}", text)
    for name, text in spec.unknown_words.items():
        yield Line(f"unknown_words.{name}", text)
    for name, text in spec.answer_names.items():
        yield Line(f"answer_names.{name}", text)
    for i, text in enumerate(spec.safety.message):
        yield Line(f"safety.message.{i}", text)
    for name, state in dialogue.states.items():
        for i, text in enumerate(state.say):
            yield Line(f"states.{name}.say.{i}", text)
        for i, text in enumerate(state.prompt_texts()):
            yield Line(f"states.{name}.prompt" + (f".{i}" if i or not isinstance(state.prompt, str) else ""), text)
        if state.help:
            yield Line(f"states.{name}.help", state.help)
        if state.said_back:
            yield Line(f"states.{name}.said_back", state.said_back)
        if state.settled:
            yield Line(f"states.{name}.settled", state.settled)
        for c in state.choices:
            yield Line(f"states.{name}.choices.{c.value}", c.label)
            if c.reply:
                yield Line(f"states.{name}.choices.{c.value}.reply", c.reply)
    if any(state.kind == "money" for state in dialogue.states.values()):
        from ras.charging import load_questions

        qs = load_questions()
        yield Line("money questions.intro", qs.intro)
        for q in qs.questions:
            yield Line(f"money questions.{q.id}.question", q.question)
            yield Line(f"money questions.{q.id}.help", q.help)
            for o in q.options:
                yield Line(f"money questions.{q.id}.options.{o.value}", o.label)
    if session is not None:
        seen: set[str] = set()
        for state in dialogue.states.values():
            if not state.choices_from:
                continue
            for area in AREA_IDS:
                session.state.cursor = {"area": area, "outcome": None}
                for choice in registry.CHOICES[state.choices_from](session):
                    if choice.label not in seen:
                        seen.add(choice.label)
                        yield Line(f"policy choices ({state.choices_from})", choice.label)


def catalogue_lines(language: str = "en") -> Iterator[Line]:
    """Every text of the message catalogues (ras-chat's and the engine's), with its file and key."""
    from ras_chat.dialogue.catalogue import catalogues

    for c in catalogues(language):
        for key, text in c.items():
            yield Line(f"{catalogue_name(c)}:{key}", text)


def catalogue_name(catalogue) -> str:
    """`dialogues/messages.en.yaml` or `ras/messages.en.yaml`."""
    return f"{catalogue.path.parent.name}/{catalogue.path.name}"


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


# How many words a placeholder may stand for, at most, with the example policy's names
# ("keeping your home clean and safe to live in" is 9; two parts of life about 13).
_PLACEHOLDER_WORDS = {"{area}": 6, "{first_area}": 6, "{outcome}": 9, "{suggested}": 13, "{money_intro}": 0}
"""`{money_intro}` is whole sentences of its own (the money question list's intro, checked there)."""


CATALOGUE_PLACEHOLDER_WORDS = {
    "{things}": 13, "{parts}": 13, "{items}": 9, "{what}": 5, "{who}": 9, "{rule}": 2, "{name}": 6, "{label}": 6, "{area}": 6,
    "{outcome}": 9, "{group}": 4, "{service}": 4, "{need_words}": 6, "{risk_words}": 6, "{command}": 5,
    "{why}": 0, "{these}": 0, "{cost_text}": 0, "{change}": 0,
}  # fmt: skip
"""How many words a catalogue placeholder may stand for; any other (an amount, a number,
a date) is one word. `{why}`, `{these}`, `{cost_text}` and `{change}` are whole sentences of
their own (`{why}` in the letter is a worker's reason, in their words)."""


def words(sentence: str, placeholder_words: dict[str, int] | None = None, other: int = 3) -> int:
    """Words in a sentence, a placeholder counted as the words it may stand for; signs such
    as + - = are not words."""
    table = _PLACEHOLDER_WORDS if placeholder_words is None else placeholder_words
    filled = _PLACEHOLDER.sub(lambda m: " w" * table.get(m.group(0), other), sentence)
    return sum(1 for token in filled.split() if any(ch.isalnum() for ch in token))


def jargon_in(text: str, jargon: tuple[str, ...] = JARGON) -> list[str]:
    norm = normalise(_PLACEHOLDER.sub(" ", text))
    padded = f" {norm} "
    return [j for j in jargon if f" {normalise(j)} " in padded]


def reading_grade(lines: list[str] | str) -> float:
    """Flesch-Kincaid grade of all the lines together (textstat), placeholders read as "your home".

    The one measure of reading age in ras-chat: `dialogue check` and the tests use it alike.

    Syllables are counted with textstat's Pyphen hyphenation for British English ("en-GB"):
    textstat's default also wants NLTK's CMU dictionary, which it downloads on first use;
    Pyphen ships with it, so the figure is the same offline and on every machine.
    """
    from textstat.textstat import textstatistics  # type: ignore[import-untyped]  # textstat ships no types

    if isinstance(lines, str):
        lines = [lines]
    ts = textstatistics()
    ts.set_lang("en-GB")
    # each line is read as ending a sentence (a choice label has no full stop of its own)
    ended = [t.strip() if t.strip().endswith((".", "?", "!", ":")) else t.strip() + "." for t in lines if t.strip()]
    text = " ".join(_PLACEHOLDER.sub("your home", t) for t in ended)
    return float(ts.flesch_kincaid_grade(text))
