"""Matching what a person types to choices, commands and safety phrases.

Plain and predictable: text is lower-cased, apostrophes dropped, other punctuation made
into spaces; a phrase matches when its words appear together, on word boundaries. When
several choices match, the longest phrase wins; a tie is no match (ask again kindly).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

_APOSTROPHES = "'\u2019\u2018`"
_NON_WORD = re.compile(r"[^a-z0-9]+")
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
}  # fmt: skip


def clean_input(text: str, limit: int) -> str:
    """What a person typed, made safe to keep: no control characters, one line, at most `limit` characters."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
            out.append(" " if ch in "\t\n\r\x0b\x0c" else "")
        else:
            out.append(ch)
    cleaned = " ".join("".join(out).split())
    if len(cleaned) > limit:
        cleaned = cleaned[:limit].rstrip() + "..."
    return cleaned


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    if text.strip() and set(text.strip()) <= {"?"}:
        return "?"  # a lone question mark asks for help
    for a in _APOSTROPHES:
        text = text.replace(a, "")
    text = _NON_WORD.sub(" ", text)
    return " ".join(text.split())


def contains_phrase(norm_text: str, phrase: str) -> bool:
    """True when the normalised phrase appears in the normalised text on word boundaries."""
    p = normalise(phrase)
    if not p:
        return False
    return f" {p} " in f" {norm_text} "


@dataclass(frozen=True)
class Option:
    number: int
    value: str
    label: str
    words: tuple[str, ...] = ()
    only: bool = False


def _phrases(option: Option) -> Iterable[str]:
    yield option.label
    yield from option.words


def _best_len(norm: str, option: Option) -> int:
    best = 0
    for phrase in _phrases(option):
        if contains_phrase(norm, phrase):
            best = max(best, len(normalise(phrase)))
    return best


def _numbers(norm: str) -> list[int] | None:
    """The numbers in an answer made only of numbers and joining words ("1 and 3"), else None."""
    tokens = norm.split()
    if not tokens:
        return None
    found: list[int] = []
    for tok in tokens:
        if tok.isdigit() and len(tok) <= 3:
            found.append(int(tok))
        elif tok in _NUMBER_WORDS:
            found.append(_NUMBER_WORDS[tok])
        elif tok in ("and", "or", "number", "numbers", "option", "options", "the", "a", "plus", "also"):
            continue
        else:
            return None
    return found or None


def match_one(text: str, options: Sequence[Option], *, yes: Sequence[str] = (), no: Sequence[str] = ()) -> Option | None:
    """The single option this answer means, or None."""
    norm = normalise(text)
    if not norm:
        return None
    nums = _numbers(norm)
    if nums is not None:
        if len(nums) == 1:
            for o in options:
                if o.number == nums[0]:
                    return o
        return None
    for o in options:
        if norm == normalise(o.label) or norm == normalise(o.value):
            return o
    scored = [(o, _best_len(norm, o)) for o in options]
    scored = [(o, n) for o, n in scored if n]
    if scored:
        top = max(n for _o, n in scored)
        best = [o for o, n in scored if n == top]
        if len(best) == 1:
            return best[0]
        return None
    # "yes" picks the first option and "no" a plain No, when a question is yes-or-no shaped
    if any(norm == normalise(w) for w in yes) and options:
        return options[0]
    if any(norm == normalise(w) for w in no):
        for o in options:
            if normalise(o.value) == "no":
                return o
    return None


def match_many(text: str, options: Sequence[Option]) -> list[Option] | None:
    """Every option this answer picks (numbers or words), or None when nothing matched.

    An `only` option (like "none of these") wins alone when it is the only kind named.
    """
    norm = normalise(text)
    if not norm:
        return None
    nums = _numbers(norm)
    if nums is not None:
        by_number = {o.number: o for o in options}
        if any(n not in by_number for n in nums):
            return None
        picked = [by_number[n] for n in dict.fromkeys(nums)]
    else:
        exact = [o for o in options if norm == normalise(o.label) or norm == normalise(o.value)]
        picked = exact or [o for o in options if _best_len(norm, o)]
    if not picked:
        return None
    only = [o for o in picked if o.only]
    if only:
        rest = [o for o in picked if not o.only]
        if rest and nums is not None:
            return None  # "1 and none" contradicts itself: ask again
        if rest:
            # words like "manage" can sit inside a longer answer; the named things win
            return rest
        return only[:1]
    return sorted(picked, key=lambda o: o.number)


def first_phrase(text: str, phrases: Iterable[str]) -> str | None:
    norm = normalise(text)
    for phrase in phrases:
        if contains_phrase(norm, phrase):
            return phrase
    return None


def is_command(text: str, phrases: Iterable[str]) -> bool:
    """A command is the whole answer ("back", "go back please" is not a command but a miss)."""
    norm = normalise(text)
    if not norm:
        return False
    stripped = norm.removesuffix(" please").removeprefix("please ").strip()
    return any(stripped == normalise(p) for p in phrases)
