"""`ras-chat dialogue check`: what makes a dialogue file wrong, found before a person meets it.

- every state can be reached from the start;
- every state can reach an end, and every non-end state has an unconditional last way on
  (so a person can never be stuck);
- every callback named is in the registry (the loader already refuses unknown names);
- every question has a help text;
- no two choices of a question share the same words;
- no jargon and no sentence over 25 words in anything a person sees;
- every record field the assessment needs is set by a reachable question, and no two
  questions set the same field (`sets:`, see fields.py);
- every `{placeholder}` in a text is one that is filled there (a typo such as `{araa}`
  would be shown to the person as written).

The message catalogues (the letter, the progress line, the engine's explanations:
`dialogues/messages.en.yaml`, `ras/messages.en.yaml`) are held to the same rules, and each
to a reading grade of at most MAX_READING_GRADE (`check_catalogues`).
"""

from __future__ import annotations

import string
from collections import deque
from dataclasses import dataclass

from ras_chat.dialogue import registry
from ras_chat.dialogue.fields import FIELDS
from ras_chat.dialogue.loader import Dialogue
from ras_chat.dialogue.machine import SAFETY_STATE
from ras_chat.dialogue.match import normalise
from ras_chat.dialogue.render import SESSION_VARIABLES
from ras_chat.dialogue.text import (
    CATALOGUE_PLACEHOLDER_WORDS,
    MAX_READING_GRADE,
    MAX_SENTENCE_WORDS,
    catalogue_name,
    jargon_in,
    person_lines,
    reading_grade,
    sentences,
    words,
)


@dataclass(frozen=True)
class Problem:
    rule: str
    where: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        at = f"line {self.line}, " if self.line else ""
        return f"{at}{self.where}: {self.message} [{self.rule}]"


def edges(dialogue: Dialogue) -> dict[str, list[str]]:
    out = {name: [r.to for r in state.routes()] for name, state in dialogue.states.items()}
    if SAFETY_STATE in dialogue.states:
        for name, state in dialogue.states.items():
            if state.is_question and SAFETY_STATE not in out[name]:
                out[name].append(SAFETY_STATE)
    return out


def reachable(dialogue: Dialogue) -> set[str]:
    graph = edges(dialogue)
    seen = {dialogue.start}
    todo = deque([dialogue.start])
    while todo:
        for nxt in graph[todo.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def reaches_end(dialogue: Dialogue) -> set[str]:
    graph = edges(dialogue)
    good = {n for n, s in dialogue.states.items() if s.kind == "end"}
    changed = True
    while changed:
        changed = False
        for name, nexts in graph.items():
            if name not in good and any(n in good for n in nexts):
                good.add(name)
                changed = True
    return good


def check(dialogue: Dialogue, session=None) -> list[Problem]:
    problems: list[Problem] = []
    line = dialogue.line_of

    reach = reachable(dialogue)
    for name in dialogue.states:
        if name not in reach:
            problems.append(Problem("reachable", f"states.{name}", "no way to get to this state from the start", line("states", name)))

    ends = reaches_end(dialogue)
    for name, state in dialogue.states.items():
        if state.kind == "end":
            continue
        routes = state.routes()
        if not routes:
            problems.append(Problem("dead-end", f"states.{name}", "this state goes nowhere (add `next` or `transitions`)", line("states", name)))
            continue
        last = routes[-1]
        if last.when or last.unless or last.when_answer is not None:
            problems.append(
                Problem("dead-end", f"states.{name}.transitions", "the last transition has a condition: a person could be stuck here", line("states", name, "transitions"))
            )
        if name not in ends:
            problems.append(Problem("dead-end", f"states.{name}", "no path from here reaches an end", line("states", name)))
        for i, r in enumerate(state.transitions):
            for cb in (*r.when, *r.unless):
                if cb not in registry.CONDITIONS:
                    problems.append(Problem("callback", f"states.{name}.transitions.{i}", f"unknown condition `{cb}`", line("states", name, "transitions", i)))
            for cb in r.do:
                if cb not in registry.ACTIONS:
                    problems.append(Problem("callback", f"states.{name}.transitions.{i}", f"unknown action `{cb}`", line("states", name, "transitions", i)))
        if state.choices_from and state.choices_from not in registry.CHOICES:
            problems.append(Problem("callback", f"states.{name}.choices_from", f"unknown choice list `{state.choices_from}`", line("states", name, "choices_from")))
        if state.is_question and state.kind != "money" and not (state.help or "").strip():
            problems.append(Problem("help", f"states.{name}", "a question needs a help text", line("states", name)))

        if state.choices:
            owner: dict[str, str] = {}
            for c in state.choices:
                for w in dict.fromkeys(normalise(x) for x in (c.label, *c.words)):
                    if w in owner and owner[w] != c.value:
                        problems.append(
                            Problem(
                                "ambiguous-choice",
                                f"states.{name}.choices.{c.value}",
                                f"the words {w!r} also pick `{owner[w]}`: a person typing them would be asked again",
                                line("states", name, "choices"),
                            )
                        )
                    owner.setdefault(w, c.value)

    problems += check_fields(dialogue, reach)
    problems += check_placeholders(dialogue)

    if not any(s.kind == "end" for s in dialogue.states.values()):
        problems.append(Problem("dead-end", "states", "the dialogue has no `end` state"))

    for item in person_lines(dialogue, session):
        loc = tuple(int(p) if p.isdigit() else p for p in item.where.split(".")) if not item.where.startswith(("policy", "money")) else ()
        where_line = line(*loc) if loc else None
        for word in jargon_in(item.text):
            problems.append(Problem("jargon", item.where, f"`{word}` is a word people may not know: {item.text!r}", where_line))
        for sentence in sentences(item.text):
            n = words(sentence)
            if n > MAX_SENTENCE_WORDS:
                problems.append(Problem("sentence-length", item.where, f"{n} words (at most {MAX_SENTENCE_WORDS}): {sentence!r}", where_line))
    return problems


def check_fields(dialogue: Dialogue, reach: set[str]) -> list[Problem]:
    """Every required field set by a reachable question; no field set by two questions."""
    problems: list[Problem] = []
    setters: dict[str, list[str]] = {}
    for name, state in dialogue.states.items():
        if state.sets is not None and name in reach:
            setters.setdefault(state.sets, []).append(name)
    for pattern, names in setters.items():
        if len(names) > 1:
            problems.append(
                Problem(
                    "sets",
                    f"states.{names[1]}.sets",
                    f"`{pattern}` is also set by `{names[0]}`: one question per field",
                    dialogue.line_of("states", names[1], "sets"),
                )
            )
    for pattern, spec in FIELDS.items():
        if spec.required and pattern not in setters:
            problems.append(
                Problem("sets", "states", f"no question you can reach sets `{pattern}` ({spec.worker_name}): the record needs it")
            )
    return problems


TEXT_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "not_understood": ("last",),
    "money_said_back": ("amount",),
    "before_you_said": ("previous",),
    "shortened": ("limit",),
    "money_per_week": ("amount",),
    "charge_missing": ("missing",),
    "settled": ("said", "label"),
    "settled_aside": ("label",),
    "you_said": ("said",),
    "summary_line": ("name", "answer"),
    "summary_said": ("answer", "said"),
    "summary_retired": ("area",),
    "result_part": ("name", "amount", "why"),
    "not_known_parts": ("parts",),
    "result_amount": ("weekly", "annual", "low", "high"),
    "result_for": ("parts",),
}
"""What each text of `texts:` is given to fill in; a state's texts get SESSION_VARIABLES."""
FILLED_WITH_SESSION = ("not_understood", "money_said_back", "before_you_said", "shortened", "money_per_week", "charge_missing")
"""The texts filled with the session's variables as well as their own."""


def _fields_in(text: str) -> list[str] | str:
    """The placeholder names in `text`, or a message when its braces are broken."""
    try:
        return [f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        return f"broken braces ({exc})"


def check_placeholders(dialogue: Dialogue) -> list[Problem]:
    problems: list[Problem] = []

    def look(text: str, allowed: tuple[str, ...], where: str, loc: tuple) -> None:
        found = _fields_in(text)
        if isinstance(found, str):
            problems.append(Problem("placeholder", where, f"{found}: {text!r}", dialogue.line_of(*loc)))
            return
        for name in found:
            if name not in allowed:
                known = ", ".join("{" + a + "}" for a in allowed) or "none"
                problems.append(
                    Problem("placeholder", where, f"`{{{name}}}` is not filled in here (known: {known}): {text!r}", dialogue.line_of(*loc))
                )

    for key, value in dialogue.spec.texts.model_dump().items():
        allowed = TEXT_PLACEHOLDERS.get(key, ())
        if key in FILLED_WITH_SESSION:
            allowed = (*allowed, *SESSION_VARIABLES)
        for text in (value,) if isinstance(value, str) else value:
            look(text, allowed, f"texts.{key}", ("texts", key))
    for name, state in dialogue.states.items():
        for text in state.prompt_texts():
            look(text, SESSION_VARIABLES, f"states.{name}.prompt", ("states", name, "prompt"))
        for i, text in enumerate(state.say):
            look(text, SESSION_VARIABLES, f"states.{name}.say.{i}", ("states", name, "say", i))
        if state.help:
            look(state.help, SESSION_VARIABLES, f"states.{name}.help", ("states", name, "help"))
        for c in state.choices:
            look(c.label, (), f"states.{name}.choices.{c.value}", ("states", name, "choices"))
            if c.reply:
                look(c.reply, SESSION_VARIABLES, f"states.{name}.choices.{c.value}.reply", ("states", name, "choices"))
        if state.said_back:
            look(state.said_back, (*SESSION_VARIABLES, "answer"), f"states.{name}.said_back", ("states", name, "said_back"))
        if state.settled:
            look(state.settled, (*SESSION_VARIABLES, "said", "label"), f"states.{name}.settled", ("states", name, "settled"))
    for key, text in dialogue.spec.unknown_words.items():
        look(text, ("area", "outcome"), f"unknown_words.{key}", ("unknown_words", key))
    for key, text in dialogue.spec.answer_names.items():
        look(text, ("area", "outcome"), f"answer_names.{key}", ("answer_names", key))
    for i, text in enumerate(dialogue.spec.safety.message):
        look(text, (), f"safety.message.{i}", ("safety", "message", i))
    return problems


def check_catalogues(language: str = "en") -> list[tuple[str, Problem]]:
    """(file, problem) for every text of the message catalogues: jargon, a sentence over
    MAX_SENTENCE_WORDS, broken braces; and each file's reading grade over MAX_READING_GRADE."""
    from ras.messages import placeholders
    from ras_chat.dialogue.catalogue import catalogues

    out: list[tuple[str, Problem]] = []
    for c in catalogues(language):
        name = catalogue_name(c)
        for key, text in c.items():
            line = c.line_of(key)
            for word in jargon_in(text):
                out.append((name, Problem("jargon", key, f"`{word}` is a word people may not know: {text!r}", line)))
            for sentence in sentences(text):
                n = words(sentence, CATALOGUE_PLACEHOLDER_WORDS, other=1)
                if n > MAX_SENTENCE_WORDS:
                    out.append((name, Problem("sentence-length", key, f"{n} words (at most {MAX_SENTENCE_WORDS}): {sentence!r}", line)))
            try:
                placeholders(text)
            except ValueError as exc:
                out.append((name, Problem("placeholder", key, f"broken braces ({exc}): {text!r}", line)))
        grade = reading_grade([t for _k, t in c.items()])
        if grade > MAX_READING_GRADE:
            out.append((name, Problem("reading-age", "all texts", f"reading grade {grade:.1f} (at most {MAX_READING_GRADE:g}): use shorter words and sentences")))
    return out
