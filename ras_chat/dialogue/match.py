"""Matching what a person types to choices, commands and safety phrases.

Plain and predictable: text is lower-cased, apostrophes dropped, other punctuation made
into spaces; a phrase matches when its words appear together, on word boundaries. When
several choices match, the longest phrase wins; a tie is no match (ask again kindly).

Simple word endings do not matter: each word is cut to a plain stem on both sides
("washed", "washes" and "washing" all match "wash"; "dressing" matches "dress").

Negation is never read as the opposite: a phrase with "not", "never", "don't" (...) up to three words before it does not count ("not a lot" is not "a lot"). For one
answer, such a phrase makes the answer unclear and the question is asked again; for
"pick several", it is simply left out. A phrase that itself starts with a negation
("not really", "cannot") is matched as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ras_chat.dialogue.clean import clean_answer

_APOSTROPHES = "'\u2019\u2018`"
_NON_WORD = re.compile(r"[^a-z0-9]+")
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
}  # fmt: skip


def clean_input(text: str, limit: int) -> str:
    """What a person typed, made safe to keep (see `clean.py`): no escapes or control
    characters, one line, at most `limit` characters."""
    return clean_answer(text, limit)[0]


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    if text.strip() and set(text.strip()) <= {"?"}:
        return "?"  # a lone question mark asks for help
    for a in _APOSTROPHES:
        text = text.replace(a, "")
    text = _NON_WORD.sub(" ", text)
    return " ".join(text.split())


NEGATIONS = frozenset(
    "not never dont doesnt didnt isnt arent wasnt werent wont wouldnt shouldnt hardly nor".split()
)
"""Words that turn a phrase round. "Can't" is not one: "I can't get washed" says washing is
hard, which is what the question means."""
NEGATION_REACH = 3
"""How many words before a phrase a negation still reaches ("not really a lot")."""


def stem(word: str) -> str:
    """A plain stem, the same for simple English endings: wash / washes / washed / washing
    -> "wash"; dress / dressing -> "dress"; move / moving -> "mov"; stairs -> "stair".
    Short words, numbers and negations are left as they are."""
    if len(word) <= 3 or not word.isalpha() or word in NEGATIONS:
        return word
    w = word
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4 and not w.endswith("eed"):
        w = w[:-2]
    elif w.endswith(("ches", "shes", "sses", "xes", "zes")) and len(w) > 4:
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1].isalpha() and w[-1] not in "aeiou":
        w = w[:-1]  # getting -> gett -> get; stopped -> stopp -> stop
    if len(w) > 3 and w.endswith("e") and not w.endswith(("ee", "ie")):
        w = w[:-1]  # move / moving -> mov
    return w


@lru_cache(maxsize=8192)
def stems(norm_text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in norm_text.split())


@lru_cache(maxsize=8192)
def _phrase_stems(phrase: str) -> tuple[str, ...]:
    return stems(normalise(phrase))


def _occurrences(words: tuple[str, ...], phrase: tuple[str, ...]) -> Iterable[int]:
    n = len(phrase)
    for i in range(len(words) - n + 1):
        if words[i : i + n] == phrase:
            yield i


def find_phrase(norm_text: str, phrase: str) -> tuple[bool, bool]:
    """(matched, negated): whether the phrase appears with no negation before it, and
    whether it appears only after a negation."""
    p = _phrase_stems(phrase)
    if not p:
        return False, False
    words = stems(norm_text)
    negated = False
    for i in _occurrences(words, p):
        if p[0] not in NEGATIONS and any(w in NEGATIONS for w in words[max(0, i - NEGATION_REACH) : i]):
            negated = True
            continue
        return True, False
    return False, negated


def contains_phrase(norm_text: str, phrase: str) -> bool:
    """True when the normalised phrase appears in the normalised text on word boundaries,
    word endings aside. Negation is not considered (see `find_phrase`)."""
    p = _phrase_stems(phrase)
    if not p:
        return False
    return any(True for _ in _occurrences(stems(norm_text), p))


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
    return _score(norm, option)[0]


def _score(norm: str, option: Option) -> tuple[int, bool]:
    """(length of the longest phrase that matches, whether a phrase appeared only negated)."""
    best = 0
    negated = False
    for phrase in _phrases(option):
        hit, neg = find_phrase(norm, phrase)
        if hit:
            best = max(best, len(normalise(phrase)))
        negated = negated or neg
    return best, negated and not best


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
    scores = [(o, *_score(norm, o)) for o in options]
    if any(neg for _o, _n, neg in scores):
        return None  # "not a lot": never read as the opposite; ask again
    scored = [(o, n) for o, n, _neg in scores if n]
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
