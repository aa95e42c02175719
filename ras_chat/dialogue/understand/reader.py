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

import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from ras_chat.dialogue.match import Option
from ras_chat.dialogue.understand import many, one, training
from ras_chat.dialogue.understand.data import ExamplesFile, default_examples_path, read_examples
from ras_chat.dialogue.understand.model import ModelCache, TextModel, default_cache_dir, train, training_key
from ras_chat.dialogue.understand.result import MENTION_STOP, Reading, field_pattern, lower_first
from ras_chat.dialogue.understand.safety import NONE, SafetyReading, SafetyRules
from ras_chat.dialogue.understand.text import Speller, basic, find, mark_negation, phrase_stems, rewrite

_UNSET = object()


class Understanding:
    """The language-understanding layer for one examples file. `load` is cheap; models
    are trained on first use (or read from the cache), or all at once by `warm()`."""

    def __init__(self, data: ExamplesFile, digest: str, path: Path | None = None, cache_dir: Path | None = None) -> None:
        self.data = data
        self.digest = digest
        self.path = path
        self.cache = ModelCache(cache_dir, digest)
        self._models: dict[str, TextModel | None] = {}
        self._vocabs: dict[str, frozenset[str]] = {}
        self._shorts: dict[str, frozenset[tuple[str, ...]]] = {}
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
        self._agree_only = {basic(p) for p in data.agree_only}
        self._no = {basic(p) for p in data.yes_no.get("no", ())}
        counts: Counter[str] = Counter()
        for text in training.all_texts(self):
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
        folder: Path | None
        if cache_dir is _UNSET:
            folder = default_cache_dir()
        elif isinstance(cache_dir, (str, Path)):
            folder = Path(cache_dir)
        else:
            folder = None
        return cls(data, digest, p, folder)

    def training_texts(self) -> Iterator[str]:
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

    def person_lines(self) -> Iterator[tuple[str, str]]:
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
        names = [lower_first(labels.get(v, v)) for v in reading.values]
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
        kept = [w for w in norm.split() if w not in MENTION_STOP]
        return " ".join(kept) or norm

    # -- models --

    def model_names(self) -> list[str]:
        names = [f"field:{p}" for p, f in self.data.fields.items() if f.examples]
        if self.data.yes_no:
            names.append("yes_no")
        names += ["kind", "safety"]
        return names


    def model(self, name: str) -> TextModel | None:
        """The trained model `name` (field:<pattern>, yes_no, kind, safety), trained on
        first use or read from the cache."""
        if name in self._models:
            return self._models[name]
        with self._lock:
            if name in self._models:
                return self._models[name]
            texts, labels, weights = training.training_set(self, name)
            c = 20.0 if name == "kind" else 12.0
            key = training_key(texts, labels, weights, c)
            cached = self.cache.get(name, key)
            if cached is None or isinstance(cached, TextModel):
                self._models[name] = cached
                return cached
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
        prepared = self.prepare(text)
        if len([w for w in prepared.split() if w not in MENTION_STOP]) < 2:
            return NONE  # a word alone ("feel") is no disclosure the rules did not see
        s = m.scores([self.features(prepared)])[0]
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
            return one.amount(self, raw)
        got = one.numbers(self, field, norm, options, multi)
        if got is not None:
            return got
        got = one.exact(self, norm, options)
        if got is not None:
            return got
        other = self._kind(raw, norm)
        if other is not None and other.confidence >= 0.8:
            return other  # "can you book me a doctor's appointment?" is no answer
        if multi:
            reading = many.read_many(self, field, raw, norm, options)
        else:
            reading = one.read_one(self, field, raw, norm, options)
        if reading.action == "accept":
            return reading
        return other or reading













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
