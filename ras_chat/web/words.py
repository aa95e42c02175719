"""What the web pages say and how: the page words (texts.yaml), the four-word save
references (words.txt), 999 and 116 123 as links, and what a ticked choice sends."""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

HERE = Path(__file__).parent
KNOWN_KINDS = ("question", "say", "help", "result", "safety", "error", "summary", "answer")
REFERENCE_WORDS = 4


@lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    with open(HERE / "texts.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


@lru_cache(maxsize=1)
def words() -> tuple[str, ...]:
    lines = (HERE / "words.txt").read_text(encoding="utf-8").splitlines()
    found = tuple(w.strip() for w in lines if w.strip() and not w.startswith("#"))
    assert len(found) == len(set(found)) == 2048, "words.txt must hold 2,048 different words"
    return found


def new_reference() -> str:
    """Four words picked with `secrets` (44 bits), as the person will type them."""
    pool = words()
    return " ".join(secrets.choice(pool) for _ in range(REFERENCE_WORDS))


def normal_reference(text: str) -> str | None:
    """What a person typed, as a reference ("Maple-river  candle,tiger" -> "maple river candle tiger"),
    or None when it is not 4 of our words."""
    found = re.findall(r"[a-z]+", (text or "").lower())
    if len(found) != REFERENCE_WORDS or any(w not in _word_set() for w in found):
        return None
    return " ".join(found)


@lru_cache(maxsize=1)
def _word_set() -> frozenset[str]:
    return frozenset(words())



_PHONE = re.compile(r"\b(999|116 123)\b")


def phone_links(text: str) -> Markup:
    """The message text, escaped, with 999 and 116 123 as tel: links."""
    out = []
    last = 0
    for m in _PHONE.finditer(text):
        out.append(escape(text[last : m.start()]))
        number = m.group(1)
        out.append(Markup('<a class="link" href="tel:{}">{}</a>').format(number.replace(" ", ""), number))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def choice_words(question: Any, picked: list[str]) -> str:
    """What a ticked choice sends: one radio sends its label (so the chat reads "Me, for
    myself", not "1"), unless the label has a digit the session could read as a number;
    ticked boxes send their numbers ("1 and 4"), which the session reads as they are."""
    if len(picked) == 1 and question is not None and not question.multiple:
        label = next((c.label for c in question.choices if str(c.number) == picked[0]), None)
        if label and not any(ch.isdigit() for ch in label):
            return label
    return " and ".join(picked)


def shown_kind(message: Any) -> str:
    kind = getattr(message, "kind", "say") or "say"
    return kind if kind in KNOWN_KINDS else "say"

