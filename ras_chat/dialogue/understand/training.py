"""What each model of an `Understanding` learns from (reader.py): the training lines of
a field, of yes and no, of "off the subject", and of the safety model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.dialogue.understand.reader import Understanding


def training_set(u: Understanding, name: str) -> tuple[list[str], list[str], list[float]]:
    d = u.data
    texts: list[str] = []
    labels: list[str] = []
    weights: list[float] = []

    def add(text: str, label: str, w: float = 1.0) -> None:
        for piece in (text,):
            texts.append(u.features(u.prepare(piece), piece.strip().endswith("?")))
            labels.append(label)
            weights.append(w)

    if name.startswith("field:"):
        f = d.fields[name.removeprefix("field:")]
        for value, phrases in f.examples.items():
            for p in phrases:
                if f.multi:
                    texts.append(u.features(u.mention_text(u.prepare(p))))
                    labels.append(value)
                    weights.append(1.0)
                else:
                    add(p, value)
        if {"yes", "no"} <= set(f.examples):
            for value, phrases in d.yes_no.items():
                for p in phrases:
                    add(p, value, 0.5)
    elif name == "yes_no":
        for value, phrases in d.yes_no.items():
            for p in phrases:
                add(p, value)
    elif name == "kind":
        for f in d.fields.values():
            for phrases in f.examples.values():
                for p in phrases:
                    add(p, "answer")
        for phrases in d.yes_no.values():
            for p in phrases:
                add(p, "answer")
        for p in d.off_topic.examples:
            add(p, "off_topic")
        for qid, r in d.questions_back.items():
            for p in r.examples:
                add(p, f"qb:{qid}")
    elif name == "safety":
        for level, phrases in d.safety.examples.items():
            for p in phrases:
                add(p, level)
        # every ordinary answer in the file is a line that is not a disclosure
        for f in d.fields.values():
            for phrases in f.examples.values():
                for p in phrases:
                    add(p, "none", 0.5)
        for phrases in d.yes_no.values():
            for p in phrases:
                add(p, "none", 0.5)
    return texts, labels, weights


def all_texts(u: Understanding) -> Iterator[str]:
    """The training lines and the safety rules' words: the speller's vocabulary."""
    d = u.data
    yield from u.training_texts()
    s = d.safety
    for group in (s.stop, s.check):
        for phrases in group.values():
            yield from phrases
    for a in s.acts.values():
        yield from a.verbs
        yield from a.objects
    yield from s.people
    yield from d.polarity.hard
    yield from d.polarity.fine
