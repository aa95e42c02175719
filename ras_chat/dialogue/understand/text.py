"""Text helpers for reading answers: normalising, spelling, clauses and negation.

Pure functions, no I/O and no scikit-learn. Everything here is cheap enough to run on
every turn.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ras_chat.dialogue.match import NEGATIONS as _MATCH_NEGATIONS
from ras_chat.dialogue.match import stem

_APOSTROPHES = "'\u2019\u2018`"
_NON_WORD = re.compile(r"[^a-z0-9]+")
_CLAUSE_PUNCT = re.compile(r"[.,;:!?()\u2013\u2014]+|\s-\s")

NEGATIONS: frozenset[str] = _MATCH_NEGATIONS | frozenset(
    "no nobody noone nothing none cant cannot couldnt without aint havent hasnt neither".split()
)
"""Words that turn round what follows, for the model's features and for clause polarity.
(match.py's own list leaves out "can't"; here it is in, because a clause's polarity and
the model both need to see "can't manage" differently from "manage".)"""

NUMBER_WORDS = {
    "zero": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
}  # fmt: skip


@lru_cache(maxsize=32768)
def basic(text: str) -> str:
    """Lower case, apostrophes dropped, other punctuation as spaces, one space between words."""
    text = unicodedata.normalize("NFKC", text).lower()
    for a in _APOSTROPHES:
        text = text.replace(a, "")
    text = text.replace("&", " and ").replace("+", " and ")
    text = _NON_WORD.sub(" ", text)
    return " ".join(text.split())


def rewrite(text: str, rewrites: Sequence[tuple[str, str]]) -> str:
    """Apply the data file's rewrites ("24/7" -> "all the time") to the raw text, on word
    boundaries, case aside (one pass: a rewritten word is not rewritten again)."""
    if not rewrites:
        return text
    low = unicodedata.normalize("NFKC", text).lower()
    for a in _APOSTROPHES:
        low = low.replace(a, "")
    pattern, table = _rewriter(tuple(rewrites))
    return pattern.sub(lambda m: f" {table[m.group(0)]} ", low)


@lru_cache(maxsize=16)
def _rewriter(rewrites: tuple[tuple[str, str], ...]) -> tuple[re.Pattern, dict[str, str]]:
    table: dict[str, str] = {}
    for src, dst in rewrites:
        key = src.lower()
        for a in _APOSTROPHES:
            key = key.replace(a, "")
        table.setdefault(key, dst)
    alts = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<![\w/])(?:{alts})(?![\w/])"), table


# ----- spelling ------------------------------------------------------------------------


class Speller:
    """Puts a misspelt word right when a known word is one edit away (a letter left out,
    added, changed or two swapped): "evry" -> "every", "slaped" -> "slapped", "sucide" ->
    "suicide". Known words are the words of the examples file. A known word, a short word
    (under 4 letters) or a number is left alone; so is a word with two known neighbours
    equally close (no guess between them)."""

    def __init__(self, vocabulary: Iterable[str], counts: dict[str, int] | None = None, keep: Iterable[str] = ()) -> None:
        self.words: frozenset[str] = frozenset(w for w in vocabulary if w.isalpha() and len(w) >= 3)
        self.keep = frozenset(keep) | COMMON | frozenset(NUMBER_WORDS) | NEGATIONS
        self.stems = frozenset(stem(w) for w in self.words | self.keep)
        self.counts = counts or {}
        self._fixed: dict[str, str] = {}
        self._index: dict[str, list[str]] = {}
        for w in sorted(self.words):
            self._index.setdefault(w, []).append(w)
            for d in _deletes1(w):
                self._index.setdefault(d, []).append(w)

    def fix(self, word: str) -> str:
        got = self._fixed.get(word)
        if got is None:
            got = self._fixed[word] = self._fix(word)
        return got

    def _fix(self, word: str) -> str:
        if len(word) < 4 or not word.isalpha() or word in self.words or word in self.keep or stem(word) in self.stems:
            return word
        found: set[str] = set()
        for key in (word, *_deletes1(word)):
            for cand in self._index.get(key, ()):
                if cand[0] == word[0] or len(word) >= 6:
                    # a short word is put right only for a letter left out or added
                    # ("evry", "hitt"), never changed ("rope" is not "rape")
                    if _close(word, cand) and (len(word) >= 6 or len(cand) != len(word)):
                        found.add(cand)
        if not found:
            return word
        ranked = sorted(found, key=lambda c: (-self.counts.get(c, 0), c))
        if len(ranked) > 1 and self.counts.get(ranked[0], 0) == self.counts.get(ranked[1], 0):
            return word
        return ranked[0]

    def fix_text(self, norm: str) -> str:
        return " ".join(self.fix(w) for w in norm.split())


COMMON: frozenset[str] = frozenset(
    """about above after again against all also always am and any are around as ask away back bad be
    because been before being best better big bit both bring brother but buy by call came can car care
    carry case change child clean close cold come could couple cup cut dad day days dear did different do
    does dog done door down drink drive during each early easy eat else end enough even evening ever every
    face fact family far fast feel feet few find fine first five food for four friend from front full gave
    get getting girl give go going gone good got great group grow had half hand hands happen happy hard has
    have he head hear heard help her here high him his hold home hope hot hour house how i if ill in inside
    into is it its job just keep kind knew know last late later leave left less let life like line little
    live long look lot love made make man many may me mean men might mind more morning most mother move
    much mum must my name near need never new next nice night no not now number of off often old on once
    one only open or other our out over own page part past people pick place play point poor pop power pretty
    put quite rather read real really rest right road rope room round run said same saw say school see seem
    self set she shop short should show side since sit sleep slow small so some son soon sort start stay
    still stop such sure take talk tea tell than thank that the their them then there these they thing
    think this those though three through time tired to today told too took top town tree try turn two
    under until up upon us use used very wait walk want warm was watch water way we week well went were
    what when where which while white who whole why wife will wish with without woman word words work
    world would write year yes yet you young your hope hole hose rose nose note rate mate late gate hate
    cope hop hip tip lip ripe ride rode role rule rude wore worn bore sore more mole pole hole tape rape
    mail male pale tale sale bale nail sail fail tail rail pain paint rain ruin
    """.split()
)
"""Ordinary English words never "put right" into another word."""


def _deletes1(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _close(a: str, b: str) -> bool:
    """At most one substitution, insertion, deletion or swap of neighbours apart."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))


# ----- clauses and negation --------------------------------------------------------------


def clauses(raw: str, breaks: Sequence[str]) -> list[str]:
    """Split an answer into clauses at punctuation and at words like "but" and "except"
    (the data file's `clause_breaks`). Each clause comes back normalised."""
    low = unicodedata.normalize("NFKC", raw).lower()
    for a in _APOSTROPHES:
        low = low.replace(a, "")
    parts = _CLAUSE_PUNCT.split(low)
    out: list[str] = []
    pattern = _break_pattern(tuple(breaks))
    for part in parts:
        for piece in pattern.split(f" {basic(part)} ") if pattern else [basic(part)]:
            piece = piece.strip()
            if piece:
                out.append(piece)
    return out


@lru_cache(maxsize=64)
def _break_pattern(breaks: tuple[str, ...]) -> re.Pattern | None:
    if not breaks:
        return None
    words = sorted((basic(b) for b in breaks if basic(b)), key=len, reverse=True)
    return re.compile(r"\s(?:" + "|".join(re.escape(w) for w in words) + r")\s")


def parts(clause: str, joins: Sequence[str]) -> list[str]:
    """A clause cut at "and", "or", "also" (the things it names, one a part)."""
    pattern = _break_pattern(tuple(joins))
    if pattern is None:
        return [clause]
    return [p.strip() for p in pattern.split(f" {clause} ") if p.strip()]


def mark_negation(norm: str) -> str:
    """Classic negation marking for the model's word features: after a negation word,
    the words up to the end of the clause get a `not_` prefix ("i dont see friends" ->
    "i dont not_see not_friends"). Clauses are already split by the caller."""
    out: list[str] = []
    negated = False
    for w in norm.split():
        if w in NEGATIONS:
            negated = True
            out.append(w)
        elif negated:
            out.append("not_" + w)
        else:
            out.append(w)
    return " ".join(out)


@lru_cache(maxsize=32768)
def stems(norm: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in norm.split())


@lru_cache(maxsize=256)
def positions(words: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    """Where each word of `words` is, in order (one clause is searched for many phrases)."""
    found: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        found.setdefault(w, []).append(i)
    return {w: tuple(at) for w, at in found.items()}


def find(norm: str, phrase_stems: tuple[str, ...], reach: int = 3) -> tuple[bool, bool]:
    """(found un-negated, found only negated): a phrase's stems in a clause, and whether a
    negation word stands up to `reach` words before it."""
    if not phrase_stems:
        return False, False
    words = stems(norm)
    n = len(phrase_stems)
    negated = False
    for i in positions(words).get(phrase_stems[0], ()):  # only where its first word is
        if words[i : i + n] != phrase_stems:
            continue
        if phrase_stems[0] not in NEGATIONS and any(w in NEGATIONS for w in words[max(0, i - reach) : i]):
            negated = True
            continue
        return True, False
    return False, negated


@lru_cache(maxsize=32768)
def phrase_stems(phrase: str) -> tuple[str, ...]:
    return stems(basic(phrase))


def lone_number(norm: str, fillers: frozenset[str]) -> int | None:
    """The one number in an answer that is only a number and filler words ("4 I guess",
    "number three please", "2?"), else None."""
    found: list[int] = []
    for tok in norm.split():
        if tok.isdigit() and len(tok) <= 3:
            found.append(int(tok))
        elif tok in NUMBER_WORDS:
            found.append(NUMBER_WORDS[tok])
        elif tok in fillers:
            continue
        else:
            return None
    return found[0] if len(found) == 1 else None


def numbers_only(norm: str, joiners: frozenset[str]) -> list[int] | None:
    """The numbers of an answer made only of numbers and joining words ("1 and 3")."""
    found: list[int] = []
    toks = norm.split()
    if not toks:
        return None
    for tok in toks:
        if tok.isdigit() and len(tok) <= 3:
            found.append(int(tok))
        elif tok in NUMBER_WORDS and NUMBER_WORDS[tok] <= 12:
            found.append(NUMBER_WORDS[tok])
        elif tok in joiners:
            continue
        else:
            return None
    return found or None


def numbers_in(norm: str) -> list[int]:
    """Every number in an answer, digits or words ("about forty hours" -> [40];
    "twenty five" -> [25])."""
    out: list[int] = []
    toks = norm.split()
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.isdigit() and len(tok) <= 4:
            out.append(int(tok))
        elif tok in NUMBER_WORDS and not tok.endswith(("st", "nd", "rd", "th")):
            value = NUMBER_WORDS[tok]
            if value >= 20 and value % 10 == 0 and i + 1 < len(toks) and toks[i + 1] in NUMBER_WORDS:
                nxt = NUMBER_WORDS[toks[i + 1]]
                if 0 < nxt < 10:
                    value += nxt
                    i += 1
            out.append(value)
        i += 1
    return out
