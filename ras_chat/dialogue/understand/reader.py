"""Reading one answer: `Understanding.read(field, text, options, multi) -> Reading`.

In order, the first that fits:

1. an empty answer: ask again;
2. an amount of money (a money question without options);
3. the number of an answer ("4 I guess", "number three"), or a number in a range
   ("about 40 hours", "I'm 67"), by the data file's `number_bands`;
4. an answer's exact words (label or value, small typos aside);
5. for "pick several": "all of them" / "none of those";
6. the trained model of this kind of question (character and word n-grams), helped by
   the answers' own words (stems, as in match.py). For "pick several" the answer is cut
   into clauses ("eating is ok, but the stairs are a nightmare") and each clause's
   polarity decides whether the things it names are hard or fine;
7. off the subject or a question back ("is the 52 bus running?", "why do you need to
   know?"): a short honest reply, then the question again.

The confidence decides what the session does: accept (say it back), confirm ("It sounds
like ... Is that right?") or ask again, by the thresholds in the data file.
"""

from __future__ import annotations

import difflib
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ras_chat.dialogue.match import Option
from ras_chat.dialogue.understand.amounts import AmountReading, read_amount
from ras_chat.dialogue.understand.data import ExamplesFile, default_examples_path, read_examples
from ras_chat.dialogue.understand.model import ModelCache, TextModel, default_cache_dir, train, training_key
from ras_chat.dialogue.understand.safety import NONE, SafetyReading, SafetyRules
from ras_chat.dialogue.understand.text import (
    NEGATIONS,
    Speller,
    basic,
    clauses,
    find,
    lone_number,
    mark_negation,
    numbers_in,
    numbers_only,
    parts,
    phrase_stems,
    rewrite,
)

Action = Literal["accept", "confirm", "ask_again"]
_MENTION_STOP = frozenset(
    """i im me my myself she shes her herself he hes him his himself they them their it its is are am was
    were be been the a an do does did doing cant cannot can dont doesnt didnt really just so very
    that thats this of for with to too also please will really quite bit""".split()
)
Kind = Literal["answer", "off_topic", "question_back"]
_UNSET = object()


@dataclass(frozen=True)
class Reading:
    values: tuple[str, ...]
    """The option values read (empty when nothing was); for "pick several" maybe several."""
    confidence: float
    action: Action
    kind: Kind = "answer"
    reply: str | None = None
    """For off_topic / question_back: a short honest reply (then ask the question again)."""
    alternatives: tuple[tuple[str, float], ...] = ()
    """The next best values with their scores, for "pick another"."""
    how: str = ""
    """number, band, label, words, model, model+words, all, none, clauses, amount, ..."""
    why: str = ""
    """One line for the worker's view: what was matched."""
    fine: tuple[str, ...] = ()
    """For "pick several": things the person named as fine ("eating is ok")."""
    amount: AmountReading | None = None

    @property
    def value(self) -> str | None:
        return self.values[0] if self.values else None


def _lower_first(text: str) -> str:
    if not text or text == "I" or text.startswith(("I ", "I'", "I\u2019")):
        return text
    return text[:1].lower() + text[1:]


def _action(conf: float, accept: float, confirm: float) -> Action:
    if conf >= accept:
        return "accept"
    if conf >= confirm:
        return "confirm"
    return "ask_again"


def field_pattern(field: str) -> str:
    """areas.health.need -> areas.{area}.need; everything else as it is."""
    bits = field.split(".")
    if len(bits) == 3 and bits[0] == "areas":
        return f"areas.{{area}}.{bits[2]}"
    return field


class Understanding:
    """The language-understanding layer for one examples file. `load` is cheap; models
    are trained on first use (or read from the cache), or all at once by `warm()`."""

    def __init__(self, data: ExamplesFile, digest: str, path: Path | None = None, cache_dir: Path | None = None):
        self.data = data
        self.digest = digest
        self.path = path
        self.cache = ModelCache(cache_dir, digest)
        self._models: dict[str, TextModel | None] = {}
        self._vocabs: dict[str, frozenset[str]] = {}
        self._shorts: dict[str, frozenset[frozenset[str]]] = {}
        self._lock = threading.RLock()
        self.train_seconds: dict[str, float] = {}
        t = data.thresholds
        self.accept, self.confirm = t.accept, t.confirm
        self._rewrites = tuple(sorted(data.rewrites.items(), key=lambda kv: -len(kv[0])))
        self._fillers = frozenset(w for f in data.fillers for w in basic(f).split())
        self._joiners = frozenset(w for f in data.joiners for w in basic(f).split())
        self._all = {basic(p) for p in data.multi_all}
        self._none = {basic(p) for p in data.multi_none}
        self._hard = [phrase_stems(p) for p in data.polarity.hard]
        self._fine = [phrase_stems(p) for p in data.polarity.fine]
        self._yes = {basic(p) for p in data.yes_no.get("yes", ())}
        self._no = {basic(p) for p in data.yes_no.get("no", ())}
        counts: Counter[str] = Counter()
        for text in self._all_texts():
            counts.update(basic(text).split())
        self.speller = Speller(counts, dict(counts), keep=self._fillers)
        self._safety = SafetyRules(data.safety, fix=self.speller.fix_text)

    # -- building --

    @classmethod
    def load(cls, path: str | Path | None = None, *, cache_dir: Path | str | None | object = _UNSET) -> Understanding:
        """Read and check the examples file (a `DataFileError` names file, line and key).
        No training here. `cache_dir`: where trained models are kept (None: nowhere;
        default: $RAS_CHAT_CACHE_DIR or the user cache folder)."""
        p = Path(path) if path is not None else default_examples_path()
        data, digest = read_examples(p)
        folder = default_cache_dir() if cache_dir is _UNSET else (Path(cache_dir) if cache_dir is not None else None)  # type: ignore[arg-type]
        return cls(data, digest, p, folder)

    def training_texts(self):
        """Every line a model learns from (field examples, yes and no, off the subject,
        questions back, the safety model's lines): what the held-out corpus must not hold."""
        d = self.data
        for f in d.fields.values():
            for phrases in f.examples.values():
                yield from phrases
        for phrases in d.yes_no.values():
            yield from phrases
        yield from d.off_topic.examples
        for r in d.questions_back.values():
            yield from r.examples
        for phrases in d.safety.examples.values():
            yield from phrases

    def person_lines(self):
        """Every line of this file a person may see, with where it is: (where, text)."""
        d = self.data
        for name, text in d.texts.model_dump().items():
            yield f"examples texts.{name}", text
        yield "examples off_topic.reply", d.off_topic.reply
        for qid, r in d.questions_back.items():
            yield f"examples questions_back.{qid}.reply", r.reply
        yield "examples safety.gentle_check", d.safety.gentle_check

    def say(self, reading: Reading, options: Sequence[Option]) -> str | None:
        """Plain words for a reading, from the file's `texts`: "OK: a lot of help every
        day." (accept), "It sounds like ... Is that right?" (confirm), the reply to a
        question back, or the ask-again line. None for an amount (say `amount.said`)."""
        t = self.data.texts
        if reading.kind != "answer":
            return reading.reply
        if reading.action == "ask_again":
            return t.ask_again
        if reading.amount is not None:
            return None
        labels = {o.value: o.label for o in options}
        names = [_lower_first(labels.get(v, v)) for v in reading.values]
        if len(names) > 1:
            listed = ", ".join(names[:-1]) + " and " + names[-1]
            return t.confirm_many.format(labels=listed) if reading.action == "confirm" else t.accepted.format(label=listed)
        label = names[0] if names else ""
        return (t.confirm if reading.action == "confirm" else t.accepted).format(label=label)

    @classmethod
    def for_dialogue(cls, dialogue_path: str | Path, *, cache_dir: Path | str | None | object = _UNSET) -> Understanding:
        """The examples file beside a dialogue file (`x.yaml` -> `x.examples.yaml`), or the
        shipped one when there is none."""
        from ras_chat.dialogue.understand.data import examples_path_for

        beside = examples_path_for(dialogue_path)
        return cls.load(beside if beside.is_file() else None, cache_dir=cache_dir)

    def _all_texts(self):
        """The training lines and the safety rules' words: the speller's vocabulary."""
        d = self.data
        yield from self.training_texts()
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

    # -- text --

    def prepare(self, text: str) -> str:
        """Rewrites, then plain words, then spelling put right."""
        return self.speller.fix_text(basic(rewrite(text, self._rewrites)))

    @staticmethod
    def features(norm: str, question: bool = False) -> str:
        plain = norm + (" qqq" if question else "")
        return f"{plain}\t{mark_negation(plain)}"

    @staticmethod
    def mention_text(norm: str) -> str:
        """A part of a "pick several" answer without the little words around the thing it
        names ("i cant do my buttons" -> "buttons"), as the model is trained."""
        kept = [w for w in norm.split() if w not in _MENTION_STOP]
        return " ".join(kept) or norm

    # -- models --

    def model_names(self) -> list[str]:
        names = [f"field:{p}" for p, f in self.data.fields.items() if f.examples]
        if self.data.yes_no:
            names.append("yes_no")
        names += ["kind", "safety"]
        return names

    def _training(self, name: str) -> tuple[list[str], list[str], list[float]]:
        d = self.data
        texts: list[str] = []
        labels: list[str] = []
        weights: list[float] = []

        def add(text: str, label: str, w: float = 1.0) -> None:
            for piece in (text,):
                texts.append(self.features(self.prepare(piece), piece.strip().endswith("?")))
                labels.append(label)
                weights.append(w)

        if name.startswith("field:"):
            f = d.fields[name.removeprefix("field:")]
            for value, phrases in f.examples.items():
                for p in phrases:
                    if f.multi:
                        texts.append(self.features(self.mention_text(self.prepare(p))))
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

    def model(self, name: str) -> TextModel | None:
        """The trained model `name` (field:<pattern>, yes_no, kind, safety), trained on
        first use or read from the cache."""
        if name in self._models:
            return self._models[name]
        with self._lock:
            if name in self._models:
                return self._models[name]
            texts, labels, weights = self._training(name)
            c = 20.0 if name == "kind" else 12.0
            key = training_key(texts, labels, weights, c)
            cached = self.cache.get(name, key)
            if cached is not False:
                self._models[name] = cached  # type: ignore[assignment]
                return cached  # type: ignore[return-value]
            m = train(texts, labels, weights, c=c) if texts else None
            self.train_seconds[name] = m.seconds if m else 0.0
            self.cache.put(name, m, key)
            self._models[name] = m
            return m

    def warm(self) -> float:
        """Train (or load) every model now; returns the seconds it took. Safe to call
        from a background thread."""
        import time

        t0 = time.perf_counter()
        for name in self.model_names():
            m = self.model(name)
            if m is not None:
                m.scores([self.features("hello")])  # builds the fast reading path
        return time.perf_counter() - t0

    # -- safety --

    def safety(self, text: str, options: Sequence[Option] = ()) -> SafetyReading:
        """The safety level of anything typed: rules first, then the model's second
        opinion (which can only ask the gentle check). With the question's `options`, a
        possible disclosure that is only an answer's own words ("it is not safe" to
        "which of these is true?") is an answer; a clear one still stops."""
        if not isinstance(text, str) or not text.strip():
            return NONE
        found = self._safety.rules(text)
        if found.level == "check" and options and self._is_answer_words(found, options):
            return NONE
        if found.level != "none":
            return found
        if self._safety.is_ordinary(text):
            return NONE
        m = self.model("safety")
        if m is None:
            return NONE
        if len([w for w in self.prepare(text).split() if w not in _MENTION_STOP]) < 2:
            return NONE  # a word alone ("feel") is no disclosure the rules did not see
        s = m.scores([self.features(self.prepare(text))])[0]
        p = s.get("stop", 0.0) + s.get("check", 0.0)
        if p >= self.data.safety.model_check:
            return SafetyReading("check", "model", f"model {p:.2f}")
        return NONE

    @staticmethod
    def _is_answer_words(found: SafetyReading, options: Sequence[Option]) -> bool:
        phrase = (found.evidence or "").split(" (")[0]
        ps = phrase_stems(phrase) if phrase and "+" not in phrase else ()
        if not ps:
            return False
        return any(find(basic(p), ps)[0] or find(basic(p), ps)[1] for o in options for p in (o.label, *o.words))

    # -- reading --

    def read(self, field: str, text: str, options: Sequence[Option], multi: bool = False) -> Reading:
        options = list(options)
        raw = text if isinstance(text, str) else str(text)
        norm = self.prepare(raw)
        if not norm:
            return Reading((), 0.0, "ask_again", how="empty", why="nothing to read")
        if field.startswith("money.") and not options:
            return self._amount(raw)
        got = self._numbers(field, norm, options, multi)
        if got is not None:
            return got
        got = self._exact(norm, options)
        if got is not None:
            return got
        other = self._kind(raw, norm)
        if other is not None and other.confidence >= 0.8:
            return other  # "can you book me a doctor's appointment?" is no answer
        if multi:
            reading = self._many(field, raw, norm, options)
        else:
            reading = self._one(field, raw, norm, options)
        if reading.action == "accept":
            return reading
        return other or reading

    def _amount(self, raw: str) -> Reading:
        a = read_amount(raw)
        if a is None:
            return Reading((), 0.0, "ask_again", how="amount", why="no single amount")
        value = f"{a.amount:.2f}"
        conf = 0.9 if a.period is None or a.period == "week" else 0.8
        return Reading((value,), conf, _action(conf, self.accept, self.confirm), how="amount", why=a.arithmetic or a.said, amount=a)

    def _numbers(self, field: str, norm: str, options: list[Option], multi: bool) -> Reading | None:
        by_number = {o.number: o for o in options}
        bands = self.data.number_bands.get(field) or self.data.number_bands.get(field_pattern(field))
        if bands is not None:
            units = [phrase_stems(u) for u in bands.units]
            nums = numbers_in(norm)
            has_unit = any(find(norm, u)[0] for u in units)
            if len(nums) == 1 and (has_unit or nums[0] >= bands.min or nums[0] not in by_number):
                n = nums[0]
                for b in bands.bands:
                    if b.below is None or n < b.below:
                        if any(o.value == b.value for o in options):
                            return Reading((b.value,), 0.9, _action(0.9, self.accept, self.confirm), how="band", why=f"the number {n}")
                        break
            elif len(set(nums)) > 1 and has_unit:
                return Reading((), 0.2, "ask_again", how="band", why="more than one number")
        if multi:
            nums_m = numbers_only(norm, self._joiners | self._fillers)
            if nums_m is None:
                return None
            if any(n not in by_number for n in nums_m):
                return Reading((), 0.0, "ask_again", how="number", why="no answer has that number")
            picked = [by_number[n] for n in dict.fromkeys(nums_m)]
            if any(o.only for o in picked) and len(picked) > 1:
                return Reading((), 0.0, "ask_again", how="number", why="'none' and something else")
            values = tuple(o.value for o in sorted(picked, key=lambda o: o.number))
            return Reading(values, 0.98, _action(0.98, self.accept, self.confirm), how="number", why="the numbers " + ", ".join(str(n) for n in nums_m))
        n1 = lone_number(norm, self._fillers)
        if n1 is None:
            return None
        if n1 in by_number:
            conf = 0.98 if norm.split() == [norm] else 0.95
            return Reading((by_number[n1].value,), conf, _action(conf, self.accept, self.confirm), how="number", why=f"the number {n1}")
        return Reading((), 0.0, "ask_again", how="number", why=f"no answer has the number {n1}")

    def _exact(self, norm: str, options: list[Option]) -> Reading | None:
        for o in options:
            if norm == basic(o.label) or norm == basic(o.value):
                return Reading((o.value,), 1.0, "accept", how="label", why="the answer's own words")
        best, ratio = None, 0.0
        for o in options:
            lab = basic(o.label)
            if len(lab) >= 8 and abs(len(lab) - len(norm)) <= max(2, len(lab) // 8):
                sm = difflib.SequenceMatcher(None, norm, lab)
                if sm.quick_ratio() < 0.92:
                    continue
                r = sm.ratio()
                if r > ratio:
                    best, ratio = o, r
        if best is not None and ratio >= 0.92:
            return Reading((best.value,), 0.95, _action(0.95, self.accept, self.confirm), how="label", why="the answer's own words, nearly")
        return None

    def _hits(self, norm: str, options: list[Option]) -> tuple[dict[str, int], set[str]]:
        """Each option's longest un-negated phrase (label or words) found, and the options
        whose phrases appear only after a negation."""
        hits: dict[str, int] = {}
        negated: set[str] = set()
        for o in options:
            best = 0
            neg = False
            for phrase in (o.label, *o.words):
                ps = phrase_stems(phrase)
                if not ps:
                    continue
                found, n = find(norm, ps)
                if found:
                    best = max(best, len(ps))
                neg = neg or n
            if best:
                hits[o.value] = best
            elif neg:
                negated.add(o.value)
        return hits, negated

    def _scores(self, field: str, norm: str, raw: str, options: list[Option]) -> tuple[dict[str, float], str]:
        pattern = field_pattern(field)
        name = None
        if pattern in self.data.fields and self.data.fields[pattern].examples:
            name = f"field:{pattern}"
        elif {o.value for o in options} >= {"yes", "no"} and self.data.yes_no:
            name = "yes_no"
        m = self.model(name) if name else None
        values = [o.value for o in options]
        if m is None:
            return {}, ""
        s = m.scores([self.features(norm, raw.strip().endswith("?"))])[0]
        p = {v: s.get(v, 0.0) for v in values}
        total = sum(p.values())
        if total <= 0:
            return {}, name or ""
        return {v: x / total for v, x in p.items()}, name or ""

    def _one(self, field: str, raw: str, norm: str, options: list[Option]) -> Reading:
        whole = self._one_clause(field, raw, norm, options)
        if whole.action == "accept" and whole.how == "model+words":
            return whole
        # a long answer often says how much first and then why ("a fair bit, my wife does
        # the cleaning and the meals now"): when the whole is unclear, read each part
        # between commas or full stops too ("but" is left alone: "yes but less" is one)
        cl = [self.speller.fix_text(c) for c in clauses(rewrite(raw, self._rewrites), ())]
        if len(cl) < 2:
            return whole
        reads = [r for r in (self._one_clause(field, c, c, options) for c in cl) if r.values and r.action != "ask_again"]
        if not reads:
            return whole
        best = max(reads, key=lambda r: r.confidence)
        if whole.values and whole.action != "ask_again":
            if best.values != whole.values or best.confidence <= whole.confidence:
                return whole
            conf = best.confidence
        else:
            conf = best.confidence * 0.97
        why = f"one part: {best.why}"
        if any(r.values != best.values and r.confidence >= self.confirm for r in reads):
            conf = min(conf, (self.accept + self.confirm) / 2)
            why += "; another part says something else"
        return Reading(best.values, round(conf, 3), _action(conf, self.accept, self.confirm), how="clause", why=why, alternatives=best.alternatives)

    def _short_known(self, field: str, norm: str, options: list[Option]) -> bool:
        """An answer of one or two words (little words aside) is only read when it is
        (nearly) a short example, a yes or no, or an answer's own words: "when", "feel" or
        "ok" alone answer nothing."""
        words = [w for w in norm.split() if w not in _MENTION_STOP and w not in self._fillers]
        if len(words) > 2 or self._hits(norm, options)[0]:
            return True
        want = frozenset(words or norm.split())
        return any(want <= short for short in self._short(field_pattern(field)))

    def _short(self, pattern: str) -> frozenset[frozenset[str]]:
        """The words (little words aside) of each example of three words or fewer."""
        got = self._shorts.get(pattern)
        if got is None:
            f = self.data.fields.get(pattern)
            texts = [p for ps in f.examples.values() for p in ps] if f else []
            if f is None or {"yes", "no"} <= set(f.examples):
                texts += [p for ps in self.data.yes_no.values() for p in ps]
            keep: set[frozenset[str]] = set()
            for t in texts:
                words = [w for w in self.prepare(t).split() if w not in _MENTION_STOP and w not in self._fillers]
                if len(words) <= 3:
                    keep.add(frozenset(words or self.prepare(t).split()))
            got = frozenset(keep)
            self._shorts[pattern] = got
        return got

    def _one_clause(self, field: str, raw: str, norm: str, options: list[Option]) -> Reading:
        if norm in self._yes or norm in self._no:
            want = "yes" if norm in self._yes else "no"
            for o in options:
                if o.value == want:
                    return Reading((o.value,), 0.97, _action(0.97, self.accept, self.confirm), how="words", why=f"'{norm}'")
            if want == "yes" and options and field_pattern(field) in self.data.yes_first:
                return Reading((options[0].value,), 0.95, _action(0.95, self.accept, self.confirm), how="words", why="yes: the first answer offered")
        p, _name = self._scores(field, norm, raw, options)
        hits, negated = self._hits(norm, options)
        how = "model"
        if not p:
            if not hits:
                return Reading((), 0.0, "ask_again", how="words", why="no words matched")
            top_len = max(hits.values())
            best = [v for v, n in hits.items() if n == top_len]
            if len(best) != 1:
                return Reading((), 0.3, "ask_again", how="words", why="words of more than one answer", alternatives=tuple((v, 0.3) for v in best))
            conf = 0.6
            return Reading((best[0],), conf, _action(conf, self.accept, self.confirm), how="words", why="the answer's words")
        ranked = sorted(p.items(), key=lambda kv: -kv[1])
        top, conf = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        why = f"model {conf:.2f}"
        known = self._coverage(field, norm, options)
        if known < 0.5:
            # mostly words the examples never use: the model is guessing
            conf = min(conf, 0.6)
            why += f", few known words ({known:.0%})"
        if hits:
            top_len = max(hits.values())
            best = [v for v, n in hits.items() if n == top_len]
            if best == [top]:
                conf = conf + (1 - conf) * 0.4
                how, why = "model+words", why + ", and its words"
            elif top not in hits:
                conf *= 0.9 if conf >= 0.85 else 0.8
                why += f", but words of {', '.join(best)}"
        if top in negated:
            conf *= 0.6
            why += ", its words after a negation"
        # a close second means unsure
        if second > 0 and conf - second < 0.15:
            conf = min(conf, 0.6)
        if not self._short_known(field, norm, options):
            conf = min(conf, self.confirm * 0.9)
            why += ", a word or two that no example is"
        alts = tuple((v, round(x, 3)) for v, x in ranked[1:3] if x > 0.05)
        return Reading((top,), round(conf, 3), _action(conf, self.accept, self.confirm), how=how, why=why, alternatives=alts)

    def _coverage(self, field: str, norm: str, options: list[Option]) -> float:
        """The share of an answer's words (little words aside) that this question's
        examples, labels or words use."""
        words = [w for w in norm.split() if w not in _MENTION_STOP and w not in self._fillers]
        if not words:
            return 1.0
        vocab = self._vocab(field_pattern(field))
        extra = {s for o in options for p in (o.label, *o.words) for s in phrase_stems(p)}
        from ras_chat.dialogue.match import stem

        return sum(1 for w in words if stem(w) in vocab or stem(w) in extra) / len(words)

    def _only_topic(self, pattern: str, part: str) -> bool:
        """True when every word of `part` (little words aside) is one of the field's topic
        words: it names what the question is about, not an answer."""
        f = self.data.fields.get(pattern)
        if f is None or not f.topic:
            return False
        from ras_chat.dialogue.match import stem

        topic = {stem(w) for t in f.topic for w in self.prepare(t).split()}
        words = [w for w in part.split() if w not in _MENTION_STOP and w not in self._fillers]
        return bool(words) and all(stem(w) in topic for w in words)

    def _vocab(self, pattern: str) -> frozenset[str]:
        got = self._vocabs.get(pattern)
        if got is None:
            from ras_chat.dialogue.match import stem

            f = self.data.fields.get(pattern)
            texts = [p for ps in f.examples.values() for p in ps] if f else []
            texts += list(f.topic) if f else []
            if f is None or {"yes", "no"} <= set(f.examples):
                texts += [p for ps in self.data.yes_no.values() for p in ps]
            got = frozenset(stem(w) for t in texts for w in self.prepare(t).split())
            self._vocabs[pattern] = got
        return got

    # -- pick several --

    def _polarity(self, clause: str, negated_mode: str) -> str:
        hard = fine = False
        for p in self._hard:
            found, neg = find(clause, p)
            hard = hard or found
            fine = fine or neg
        for p in self._fine:
            found, neg = find(clause, p)
            fine = fine or found
            hard = hard or neg
        if hard and fine:
            return "mixed"
        if hard:
            return "hard"
        if fine:
            return "fine"
        if any(w in NEGATIONS for w in clause.split()):
            return "hard" if negated_mode == "hard" else "fine"
        return "neutral"

    def _many(self, field: str, raw: str, norm: str, options: list[Option]) -> Reading:
        only = [o for o in options if o.only]
        rest = [o for o in options if not o.only]
        bare = " ".join(w for w in norm.split() if w not in self._fillers) or norm
        if bare in self._none and only:
            return Reading((only[0].value,), 0.95, "accept" if 0.95 >= self.accept else "confirm", how="none", why=f"'{bare}'")
        pattern = field_pattern(field)
        negated_mode = self.data.fields[pattern].negated if pattern in self.data.fields else "hard"
        breaks = self.data.clause_breaks
        cl = [self.speller.fix_text(c) for c in clauses(rewrite(raw, self._rewrites), breaks)] or [norm]
        picked: dict[str, float] = {}
        fine: dict[str, float] = {}
        none_vote = 0.0
        all_first = False
        notes: list[str] = []
        for i, clause in enumerate(cl):
            cbare = " ".join(w for w in clause.split() if w not in self._fillers)
            if i == 0 and (cbare in self._all or clause in self._all):
                all_first = True
                for o in rest:
                    picked[o.value] = 0.9
                notes.append("all")
                continue
            if cbare in self._none and only:
                none_vote = max(none_vote, 0.9)
                continue
            pol = self._polarity(clause, negated_mode)
            if all_first:
                pol = "fine"  # "all of them except cooking"
            for part in parts(clause, self.data.part_joins):
                if self._only_topic(pattern, part):
                    continue  # "... to eat and drink": "drink" names the thing, not a way
                for value, conf in self._mentions(field, part, raw, options):
                    if only and value == only[0].value:
                        if pol != "fine":
                            none_vote = max(none_vote, conf)
                        continue
                    if pol == "fine":
                        fine[value] = max(fine.get(value, 0.0), conf)
                    else:
                        c = conf * (0.75 if pol == "mixed" else 1.0)
                        picked[value] = max(picked.get(value, 0.0), c)
            notes.append(f"'{clause}': {pol}")
        for v in list(picked):
            if v in fine and not all_first:
                # named both hard and fine: keep it, but ask
                picked[v] = min(picked[v], 0.5)
            elif v in fine:
                del picked[v]
        order = {o.value: o.number for o in options}
        why = "; ".join(notes)
        fine_t = tuple(sorted(fine, key=lambda v: order.get(v, 99)))
        if picked:
            values = tuple(sorted(picked, key=lambda v: order.get(v, 99)))
            conf = min(picked.values())
            return Reading(values, round(conf, 3), _action(conf, self.accept, self.confirm), how="all" if all_first else "clauses", why=why, fine=fine_t)
        if none_vote and only:
            return Reading((only[0].value,), round(none_vote, 3), _action(none_vote, self.accept, self.confirm), how="none", why=why, fine=fine_t)
        if fine and only:
            conf = 0.55
            return Reading((only[0].value,), conf, _action(conf, self.accept, self.confirm), how="clauses", why=why + "; only fine things named", fine=fine_t)
        return Reading((), 0.0, "ask_again", how="clauses", why=why or "nothing named", fine=fine_t)

    def _mentions(self, field: str, part: str, raw: str, options: list[Option]) -> list[tuple[str, float]]:
        """The things one part of an answer names: the model's first choice when it is
        sure enough, and any answer whose own words appear."""
        out: dict[str, float] = {}
        p, _ = self._scores(field, self.mention_text(part), raw, options)
        hits, _neg = self._hits_any(part, options)
        if p:
            ranked = sorted(p.items(), key=lambda kv: -kv[1])
            top, conf = ranked[0]
            if conf >= self.data.thresholds.part or (top in hits and conf >= 0.2):
                boost = conf + (1 - conf) * 0.5 if top in hits else conf
                out[top] = boost
            for v in hits:
                # the answers' own words count where the model does not disagree
                if v not in out and p.get(v, 0.0) >= 0.25:
                    out[v] = p[v] + (1 - p[v]) * 0.4
        else:
            for v in hits:
                out[v] = 0.6
        return list(out.items())

    def _hits_any(self, part: str, options: list[Option]) -> tuple[dict[str, int], set[str]]:
        """Like `_hits`, but a phrase after a negation counts too (polarity is the
        clause's business here)."""
        hits: dict[str, int] = {}
        for o in options:
            for phrase in (o.label, *o.words):
                ps = phrase_stems(phrase)
                if not ps or o.only:
                    continue
                found, neg = find(part, ps)
                if found or neg:
                    hits[o.value] = max(hits.get(o.value, 0), len(ps))
        return hits, set()

    # -- off the subject --

    def _kind(self, raw: str, norm: str) -> Reading | None:
        m = self.model("kind")
        if m is None:
            return None
        s = m.scores([self.features(norm, raw.strip().endswith("?"))])[0]
        label, p = max(s.items(), key=lambda kv: kv[1])
        if label == "answer" or p < self.data.thresholds.off_topic:
            return None
        if label == "off_topic":
            return Reading((), round(p, 3), "ask_again", kind="off_topic", reply=self.data.off_topic.reply, how="off_topic", why=f"model {p:.2f}")
        qid = label.removeprefix("qb:")
        reply = self.data.questions_back[qid].reply
        return Reading((), round(p, 3), "ask_again", kind="question_back", reply=reply, how=f"question_back:{qid}", why=f"model {p:.2f}")


__all__ = ["Reading", "Understanding", "field_pattern"]
