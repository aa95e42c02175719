"""Safety that never misses: a detector run on everything a person types, before any
option is read.

Three layers, all from the `safety:` section of the examples file:

1. a lexicon of clear phrases (`stop`) and of possible ones (`check`);
2. who + what patterns: a person (`people`: he, she, my son, the carer...) does an act
   (`acts`: hit, push, take my pension, lock in, not feed...) to someone ("me", "her");
   fear of a person ("I'm scared of my son"); not feeling safe with someone;
3. a classifier trained on the section's `examples` (a second opinion: it can only ask
   the gentle check, never stop on its own, and never on a line that is plainly about
   falls, pain or worry).

Levels: "stop" (a clear disclosure: the questions stop, 999 and Samaritans, an urgent
flag), "check" (a possible one: one gentle question), "none". What might happen
("I would be neglected", "I could get hurt", "I might fall and hurt myself") is a risk
answer, not a disclosure: it lowers a `check` phrase, never a `stop` one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from ras_chat.dialogue.understand.data import Safety
from ras_chat.dialogue.understand.text import NEGATIONS, basic, clauses, phrase_stems, stems
from ras_chat.dialogue.understand.text import positions as _positions

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.dialogue.understand.reader import Understanding

Level = Literal["none", "check", "stop"]
_RANK = {"none": 0, "check": 1, "stop": 2}
_SELF = frozenset({"i", "im", "ive", "id", "ill", "myself"})
_PASSIVE = frozenset({"was", "were", "been", "get", "gets", "got", "being", "getting", "am", "is"})
_OBJECT_WORDS = frozenset({"me", "my", "us", "our", "him", "her", "them", "their"})
_BREAKS = ("but", "although", "though", "because", "cos", "when", "so")
"""Where the rules split an answer into clauses."""
_PASSIVE_LOOSE = frozenset({"im", "hes", "shes", "theyre", "are"})
"""For acts that still need their object ("I'm left in wet pads")."""


@dataclass(frozen=True)
class SafetyReading:
    level: Level
    category: str | None = None
    evidence: str | None = None
    """The words that were matched (for the worker's flag), or "model" and its score."""

    @property
    def flagged(self) -> bool:
        return self.level != "none"


NONE = SafetyReading("none")


class SafetyRules:
    """The lexicon and patterns of one `safety:` section, stemmed once and indexed by
    first word (so a turn looks only at phrases that can match)."""

    def __init__(self, data: Safety, fix: Callable[[str], str] | None = None) -> None:
        self.data = data
        self.fix = fix
        st = phrase_stems
        self.stop = _index((cat, p, st(p)) for cat, ps in data.stop.items() for p in ps)
        self.check = _index((cat, p, st(p)) for cat, ps in data.check.items() for p in ps)
        self.people = _Phrases(data.people)
        self.acts = []
        for cat, act in data.acts.items():
            for v in act.verbs:
                self.acts.append((cat, act, st(v), [st(o) for o in act.objects]))
        self.acts_by_first: dict[str, list] = {}
        for item in self.acts:
            if item[2]:
                self.acts_by_first.setdefault(item[2][0], []).append(item)
        self.body = frozenset(s for p in data.body for s in st(p))
        self.harmless = frozenset(s for p in data.harmless_after for s in st(p))
        self.fear = [st(p) for p in data.fear]
        self.unsafe = [st(p) for p in data.unsafe]
        self.places = _Phrases(data.places)
        self.hypothetical = _Phrases(data.hypothetical)
        self.ordinary = _Phrases(data.ordinary)

    # -- helpers on stemmed words --

    @staticmethod
    def _at(words: tuple[str, ...], phrase: tuple[str, ...]) -> list[int]:
        """Where `phrase` starts in `words`, in order (looked up by its first word: a long
        answer is read against hundreds of phrases)."""
        n = len(phrase)
        if not phrase:
            return []
        return [i for i in _positions(words).get(phrase[0], ()) if words[i : i + n] == phrase]

    @staticmethod
    def _negated(words: tuple[str, ...], i: int, phrase: tuple[str, ...], reach: int = 3) -> bool:
        return bool(phrase) and phrase[0] not in NEGATIONS and any(w in NEGATIONS for w in words[max(0, i - reach) : i])

    def _any(self, words: tuple[str, ...], phrases: _Phrases) -> str | None:
        return phrases.find(words)

    def _person_before(self, words: tuple[str, ...], i: int, reach: int = 6) -> str | None:
        return self.people.find(words[max(0, i - reach) : i])

    # -- the layers (each on one clause's stems; `whole` is the whole answer's) --

    def lexicon(self, words: tuple[str, ...], whole: tuple[str, ...]) -> SafetyReading:
        present = set(words)
        for first in present & self.stop.keys():
            for cat, phrase, p in self.stop[first]:
                for i in self._at(words, p):
                    if self._negated(words, i, p):
                        return SafetyReading("check", cat, f"{phrase} (with a negation)")
                    return SafetyReading("stop", cat, phrase)
        for first in present & self.check.keys():
            for cat, phrase, p in self.check[first]:
                for i in self._at(words, p):
                    if self._negated(words, i, p, reach=2):  # "nobody would notice if i was gone" stays
                        continue
                    if cat in self.data.lowered and (self._any(whole, self.hypothetical) or self._any(whole, self.places)):
                        continue  # "I might fall and hurt myself", "I would be neglected"
                    return SafetyReading("check", cat, phrase)
        return NONE

    def who_what(self, words: tuple[str, ...], whole: tuple[str, ...]) -> SafetyReading:
        best = NONE
        for first in set(words) & self.acts_by_first.keys():
            for cat, act, verb, objects in self.acts_by_first[first]:
                for i in self._at(words, verb):
                    r = self._act_at(words, whole, i, cat, act, verb, objects)
                    if _RANK[r.level] > _RANK[best.level]:
                        best = r
        return best

    def _act_at(self, words, whole, i, cat, act, verb, objects) -> SafetyReading:
        negated = self._negated(words, i, verb)
        if negated != act.negated:
            return NONE
        before = words[max(0, i - 6) : i]
        person = self._person_before(words, i)
        subject_self = bool(before) and (
            before[-1] in _SELF or (len(before) >= 2 and before[-2] in _SELF and before[-1] in NEGATIONS)
        )
        markers = _PASSIVE | _PASSIVE_LOOSE if act.passive_needs_object else _PASSIVE
        passive = act.passive and bool(before) and (before[-1] in markers or (len(before) >= 2 and before[-2] in markers))
        if passive and self._any(whole, self.hypothetical):
            return NONE  # "I could get hurt", "she might get hurt": a risk answer
        if subject_self and not passive:
            return NONE  # "I hit my head", "I lock the door"
        if person is None and not passive:
            return NONE
        after = words[i + len(verb) : i + len(verb) + 4]
        if any(w in self.harmless for w in after):
            return NONE  # "pushes me in my wheelchair", "takes care of my money"
        hit_obj = None
        if any(w in _OBJECT_WORDS for w in verb[1:]) and any(o and o[0] in _OBJECT_WORDS and len(o) == 1 for o in objects):
            hit_obj = " ".join(verb[1:])  # "pull my hair": the object is in the phrase
        else:
            # the first object after the verb decides ("she hurt her back lifting me" is
            # about her own back)
            found = sorted((j, o) for o in objects for j in self._at(after, o))
            if found:
                j, o = found[0]
                nxt = after[j + len(o) : j + len(o) + 2]
                if o in (("her",), ("his",), ("their",)) and any(w in self.body for w in nxt) and person in ("she", "he", "they"):
                    return NONE  # "she hit her head": an accident (but "he grabbed my wrist" is not)
                hit_obj = " ".join(o)
        if hit_obj is None and (not passive or act.passive_needs_object):
            return NONE
        who = person or "passive"
        return SafetyReading(act.level, cat, f"{who} + {' '.join(verb)}" + (f" + {hit_obj}" if hit_obj else ""))

    def fear_of(self, words: tuple[str, ...], whole: tuple[str, ...]) -> SafetyReading:
        present = _positions(words)
        for f in self.fear:
            if not f or f[0] not in present:
                continue  # not there: no need to look for it
            for i in self._at(words, f):
                if self._negated(words, i, f):
                    continue
                who = self.people.find(words[i + len(f) : i + len(f) + 5])
                if who:
                    return SafetyReading("stop", "fear", f"{' '.join(f)} + {who}")
        return NONE

    def unsafe_with(self, words: tuple[str, ...], whole: tuple[str, ...]) -> SafetyReading:
        present = _positions(words)
        for u in self.unsafe:
            if not u or u[0] not in present:
                continue
            for i in self._at(words, u):
                rest = words[i + len(u) :]
                if self._any(whole, self.hypothetical):
                    continue  # "I would not be safe": a risk answer
                who = self.people.find(rest[:5]) or self.people.find(words[max(0, i - 6) : i])
                if who:
                    return SafetyReading("stop", "unsafe", f"{' '.join(u)} + {who}")
                if self._any(whole, self.places):
                    continue  # "I do not feel safe on the stairs"
                return SafetyReading("check", "unsafe", " ".join(u))
        return NONE

    def _rules_on(self, text: str, fix: Callable[[str], str] | None) -> SafetyReading:
        best = NONE
        f = fix or (lambda s: s)
        whole = stems(f(basic(text)))
        layers = (self.lexicon, self.who_what, self.fear_of, self.unsafe_with)
        for clause in clauses(text, _BREAKS):
            words = stems(f(clause))
            for layer in layers:
                r = layer(words, whole)
                if _RANK[r.level] > _RANK[best.level]:
                    best = r
                if best.level == "stop":
                    return best
        # who + what may reach over a "when" or "because": try the whole answer too
        for layer in (self.who_what, self.fear_of):
            r = layer(whole, whole)
            if _RANK[r.level] > _RANK[best.level]:
                best = r
        return best

    def rules(self, text: str) -> SafetyReading:
        """The rules on the words as typed, and again with spelling put right."""
        first = self._rules_on(text, None)
        if first.level == "stop" or self.fix is None:
            return first
        if self._spelt_right(text, self.fix):
            return first  # the same words again: the same reading
        second = self._rules_on(text, self.fix)
        return second if _RANK[second.level] > _RANK[first.level] else first

    @staticmethod
    def _spelt_right(text: str, fix: Callable[[str], str]) -> bool:
        """True when putting the spelling right changes no word `_rules_on` reads (the
        whole answer's and every clause's stems)."""
        plain = basic(text)
        if stems(fix(plain)) != stems(plain):
            return False
        return all(stems(fix(c)) == stems(c) for c in clauses(text, _BREAKS))

    def is_ordinary(self, text: str) -> bool:
        words = stems(basic(text))
        return self._any(words, self.ordinary) is not None


class _Phrases:
    """A list of phrases (as stems), found in a text by their first word."""

    def __init__(self, phrases) -> None:
        self.first: dict[str, list[tuple[str, ...]]] = {}
        for p in phrases:
            ps = phrase_stems(p)
            if ps:
                self.first.setdefault(ps[0], []).append(ps)
        for v in self.first.values():
            v.sort(key=len, reverse=True)

    def find(self, words: tuple[str, ...]) -> str | None:
        """The first phrase found (the longest at a place), or None."""
        for i, w in enumerate(words):
            for p in self.first.get(w, ()):
                if words[i : i + len(p)] == p:
                    return " ".join(p)
        return None


def _index(items) -> dict[str, list]:
    out: dict[str, list] = {}
    for item in items:
        if item[2]:
            out.setdefault(item[2][0], []).append(item)
    return out


def detect_safety(text: str, data: Safety | Understanding | None = None) -> SafetyReading:
    """The safety level of anything a person typed. `data`: an `Understanding` (rules and
    its trained model), a `Safety` section (rules only), or None (the shipped examples
    file, rules and model)."""
    from ras_chat.dialogue.understand.reader import Understanding

    if data is None:
        data = _default()
    if isinstance(data, Understanding):
        return data.safety(text)
    return _rules_for(data).rules(text if isinstance(text, str) else str(text))


_RULES: dict[int, tuple[Safety, SafetyRules]] = {}


def _rules_for(data: Safety) -> SafetyRules:
    got = _RULES.get(id(data))
    if got is None or got[0] is not data:
        got = (data, SafetyRules(data))
        _RULES[id(data)] = got
    return got[1]


@lru_cache(maxsize=1)
def _default() -> Understanding:
    from ras_chat.dialogue.understand.reader import Understanding

    return Understanding.load()
