"""One turn of a session: safety first, then commands, then the answer itself.

Every turn, at every question:

1. The safety check reads what was typed, before anything else. A clear disclosure of
   harm stops the questions at once (999, Samaritans, an urgent flag); a possible one gets
   one gentle question, and a yes is urgent, a no carries on with a flag for the worker.
2. Commands: back, help, repeat, skip, I do not know.
3. The answer is read (`read_answer`). A sure reading is kept and said back when it came
   from the person's own words; a middling one is put to the person ("It sounds like ...
   Is that right?"); an unclear one is asked again kindly, then with numbers. What the
   person typed is kept beside the value, with how sure the program was.

An answer never understood is kept as unknown (`{"unknown": "gave_up"}`), never as 0.
A mixin of `Session`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from ras_chat.dialogue.fields import concrete
from ras_chat.dialogue.match import Option, find_phrase, is_command, match_one, normalise
from ras_chat.dialogue.parts import SessionParts
from ras_chat.dialogue.reading import detect_harm, read_answer, understanding
from ras_chat.dialogue.render import listing, lower_first
from ras_chat.dialogue.state import EARLIER, Message, Pending, Reading

if TYPE_CHECKING:  # pragma: no cover
    pass

NOT_SAID_BACK = ("number", "label")
"""Readings not said back to the person: a number or a label they picked. Everything read
from their own words is ("OK: a lot of help every day.")."""


class Turns(SessionParts):
    """A mixin of `Session`."""

    def _turn(self, clean: str, now: dt.datetime, *, checked: bool = False) -> list[Message]:
        spec = self.spec
        d = self.dialogue.spec
        pending = self.state.pending
        if pending is not None and pending.kind == "safety_check":
            return self._safety_check_answer(clean, pending, now)
        if not checked:
            harm = detect_harm(self.whole, clean)
            if harm.level == "stop":
                return self._safety(clean, harm.why, now)
            if harm.level == "check":
                self.state.pending = Pending(kind="safety_check", said=clean, why=harm.why)
                return [self._question_message(now)]
        if is_command(clean, d.commands.back):
            if pending is not None:  # back from "is that right?" is the question itself again
                self.state.pending = None
                return [self._question_message(now)]
            return self._back(now)
        if is_command(clean, d.commands.help):
            question = self.money_question() if spec.kind == "money" else None
            text = (question.help if question else spec.help) or d.texts.no_help
            return [self._msg(self._fill(text), now, kind="help"), self._question_message(now)]
        if is_command(clean, d.commands.repeat):
            return [self._question_message(now)]
        if is_command(clean, d.commands.skip):
            if spec.optional:
                return self._leave_out(now)
            return self._unknown_answer("skipped", d.texts.skipped, now)
        if is_command(clean, d.commands.dont_know):
            return self._unknown_answer("dont_know", d.texts.dont_know, now)
        if pending is not None and pending.kind == "confirm":
            picked = match_one(clean, self._yes_no(), yes=d.yes_words, no=d.no_words)
            self.state.pending = None
            if picked is not None and picked.value == "yes":
                reading = Reading(said=pending.said, how=pending.how, confidence=pending.confidence, confirmed=True)
                return self._take(list(pending.values), reading, now, said_back=None)
            if picked is not None:  # no: the question again, with its choices
                return [self._msg(d.texts.confirm_no, now), self._question_message(now)]
            # neither: read the words as a new answer to the question

        if spec.kind == "text":
            if spec.optional and is_command(clean, (*spec.skip_words, *d.commands.dont_know)):
                return self._leave_out(now)
            kept = self._stripped(clean) if spec.strip else clean
            if not kept:
                return self._leave_out(now)
            self._note_settles(clean)
            reply = self._fill(spec.said_back, answer=kept) if spec.said_back else None
            return self._accept(kept, kept, now, reply=reply, reading=Reading(said=clean, how="text", confidence=1.0))
        options = self._options(spec)
        if spec.kind == "money" and not options:
            return self._money_turn(clean, now)
        if spec.yes_picks_first and options and self._said_yes(clean):
            return self._take([options[0].value], Reading(said=clean, how="label", confidence=1.0), now, said_back=None)
        plain = self._plain_words(clean, options)
        if plain is not None:  # "I'm retired" to "Are you retired?": the field's own plain words
            return self._take([plain], Reading(said=clean, how="words", confidence=0.95), now, said_back=None)
        read = read_answer(self.whole, clean, options, multi=spec.kind == "multi")
        if read.reply is not None:  # a question back, or something off the subject: not a miss
            return [self._msg(read.reply, now), self._question_message(now)]
        if read.how not in NOT_SAID_BACK:
            aside = self._note_settles(clean)
            if aside is not None and not (read.action == "accept" and read.values):
                # "my wife does all of it" to how much help: that says who helps; ask this again
                return [self._msg(self._fill(d.texts.settled_aside, label=aside), now), self._question_message(now)]
        if read.action == "accept" and read.values:
            reading = Reading(said=clean, how=read.how, confidence=read.confidence)
            said_back = read.said_back if read.how not in NOT_SAID_BACK else None
            return self._take(list(read.values), reading, now, said_back=said_back)
        if read.action == "confirm" and read.values:
            # a reading put to the person counts as a try: words that are never clear end
            # with the numbered choices, not with "is that right?" for ever
            if self.state.misses + 1 >= d.settings.miss_limit:
                return self._miss(now)
            self.state.misses += 1
            self.state.pending = Pending(kind="confirm", said=clean, values=read.values, how=read.how, confidence=read.confidence)
            return [self._question_message(now)]
        return self._miss(now)

    def _take(self, values: list[str], reading: Reading, now: dt.datetime, *, said_back: str | None) -> list[Message]:
        """Keep a reading of a choice or multi question, and say it back if it came from words."""
        spec = self.spec
        shown = self._shown_values(values)
        out: list[Message] = []
        if said_back:
            out.append(self._msg(said_back, now))
        if spec.kind != "multi":  # a choice, or a money question with choices: one value
            reply = self._reply_for(spec, values[0])
            return out + self._accept(values[0], shown, now, reply=reply, reading=reading)
        return out + self._accept(values, shown, now, reading=reading)

    def _shown_values(self, values: list[str] | tuple[str, ...]) -> str:
        labels = {o.value: o.label for o in self._options(self.spec)}
        return listing([labels.get(v, v) for v in values])

    def _said_yes(self, clean: str) -> bool:
        d = self.dialogue.spec
        picked = match_one(clean, self._yes_no(), yes=d.yes_words, no=d.no_words)
        return picked is not None and picked.value == "yes"

    def _yes_no(self) -> list[Option]:
        t = self.dialogue.spec.texts
        d = self.dialogue.spec
        return [Option(1, "yes", t.yes_label, tuple(d.yes_words)), Option(2, "no", t.no_label, tuple(d.no_words))]

    def _accept(self, value: Any, shown: str, now: dt.datetime, reply: str | None = None, reading: Reading | None = None) -> list[Message]:
        spec = self.spec
        key = self._key(self.state.state)
        old = self.state.answers.get(key)
        if spec.remember:
            self.state.answers[key] = value
            if reading is not None:
                self.state.readings[key] = reading
                self._note_settles_after(value, reading.said)
        self.state.last_choice = value if isinstance(value, str) else None
        if old is not None and old != value:
            self._clear_dependants(spec)
        if key in self.state.review:
            self.state.review.remove(key)
        self.state.misses = 0
        self._count_answer()
        self._push_frame()
        out = [self._msg(reply, now)] if reply else []
        self._advance()
        return out + self._forward(now)

    def _unknown_answer(self, how: Literal["skipped", "dont_know", "gave_up"], text: str, now: dt.datetime) -> list[Message]:
        key = self._key(self.state.state)
        what = {"skipped": "skipped", "dont_know": "said they did not know", "gave_up": "could not be matched to an answer"}[how]
        if not self._in_money_part():  # the money part is optional: a gap there is no flag
            self._flag(how, "attention", f"{self._worker_question()}: the person {what}. Ask about this with them.", now, key=key)
        if self.spec.remember:
            self.state.answers[key] = {"unknown": how}
        self._close_unanswered(key)
        if self._in_money_part():
            text = self.dialogue.spec.texts.money_skipped
        out = [self._msg(text, now)]
        self._advance()
        return out + self._forward(now)

    def _miss(self, now: dt.datetime) -> list[Message]:
        d = self.dialogue.spec
        self.state.misses += 1
        limit = d.settings.miss_limit
        if self.state.misses > limit:
            return self._unknown_answer("gave_up", d.texts.gave_up, now)
        free = self.spec.kind == "text" or (self.spec.kind == "money" and not self.options())
        if self.state.misses == limit and not free:
            self._flag(
                "hard_to_match",
                "info",
                f"{self._worker_question()}: {limit} answers could not be matched; numbered answers were offered.",
                now,
                key=self._key(self.state.state),
            )
            return [self._msg(d.texts.numbered_offer, now, kind="error"), self._question_message(now)]
        if free:
            text = d.texts.money_not_understood if self.spec.kind == "money" else d.texts.not_understood_free
        else:
            text = self._fill(d.texts.not_understood, last=str(len(self._options(self.spec))))
        return [self._msg(text, now, kind="error"), self._question_message(now)]

    # -- an answer left out, and answers settled by words said before --

    def _close_unanswered(self, key: str) -> None:
        """The bookkeeping of a question closed without an answer (not known, or left out):
        nothing waits, the miss count starts again, and it counts as an answer given."""
        self.state.pending = None
        self.state.last_choice = None
        if key in self.state.review:
            self.state.review.remove(key)
        self.state.misses = 0
        self._count_answer()
        self._push_frame()

    def _leave_out(self, now: dt.datetime) -> list[Message]:
        """An optional answer left out (a name): kept as skipped, with no flag for the worker."""
        key = self._key(self.state.state)
        self.state.answers[key] = {"unknown": "skipped"}
        self.state.readings.pop(key, None)
        self._close_unanswered(key)
        out = [self._msg(self.dialogue.spec.texts.optional_skipped, now)]
        self._advance()
        return out + self._forward(now)

    def _stripped(self, said: str) -> str:
        """The answer without the words the question strips off its front ("call me Sam"
        -> "Sam"), and without full stops or "please" at the end."""
        words = said.split()
        for lead in sorted(self.spec.strip, key=lambda w: -len(w.split())):
            n = len(lead.split())
            if [normalise(w) for w in words[:n]] == normalise(lead).split() and len(words) > n:
                words = words[n:]
                break
        while words and normalise(words[-1]) in ("please", "thanks", "thank you", ""):
            words = words[:-1]
        kept = " ".join(words).strip(" .,!;:")
        return kept.title() if kept.islower() else kept

    def _note_settles(self, said: str) -> str | None:
        """Keep what these words say for the later questions this one `settles`. Returns the
        label of a sure reading for another question of this part of life, if any."""
        spec = self.spec
        area = self.state.cursor.get("area")
        norm = normalise(said)
        u = understanding(self.whole)
        aside = None
        for pattern in spec.settles:
            words = self.dialogue.spec.settle_words.get(pattern)
            key = self.key_for(pattern, area=area)
            setter = self.dialogue.setter(pattern)
            if words is None or words.after or key is None or setter is None or key in self.state.answers:
                continue
            target = self.dialogue.states[setter]
            options = self._options(target)
            hint = None
            if words.value is not None and any(find_phrase(norm, w)[0] for w in words.sure):
                if any(o.value == words.value for o in options):
                    hint = Pending(kind="confirm", said=said, values=(words.value,), how=EARLIER, confidence=1.0)
            elif any(find_phrase(norm, w)[0] for w in words.maybe):
                r = u.read(concrete(pattern, area=area), said, options, multi=target.kind == "multi")
                if r.kind == "answer" and r.values and r.action != "ask_again":
                    # where plain words would settle it, other words are only put to the person
                    conf = min(r.confidence, u.accept - 0.01) if words.sure else r.confidence
                    if conf < u.accept and not words.confirm:
                        continue
                    hint = Pending(kind="confirm", said=said, values=tuple(r.values), how=EARLIER, confidence=conf)
            old = self.state.hints.get(key)
            if hint is None or (old is not None and old.confidence > hint.confidence):
                continue
            self.state.hints[key] = hint
            if hint.confidence >= u.accept and target.scope == "area":
                labels = {o.value: o.label for o in options}
                aside = lower_first(listing([labels.get(v, v) for v in hint.values]))
        return aside

    def _note_settles_after(self, value: Any, said: str) -> None:
        """Once an answer is kept: the later questions it settles only for some values
        (`after`), when their sure words are in what was said ("me and her mum do most of
        it" settles that someone looks after her; "my son lives with me" does not)."""
        if not said or not isinstance(value, str):
            return
        norm = normalise(said)
        for pattern in self.spec.settles:
            words = self.dialogue.spec.settle_words.get(pattern)
            if words is None or not words.after or value not in words.after or words.value is None:
                continue
            key = self.key_for(pattern, area=self.state.cursor.get("area"))
            if key is None or key in self.state.answers or key in self.state.hints:
                continue
            if any(find_phrase(norm, w)[0] for w in words.sure):
                self.state.hints[key] = Pending(kind="confirm", said=said, values=(words.value,), how=EARLIER, confidence=1.0)

    def _plain_words(self, said: str, options: list[Option]) -> str | None:
        """The value the field's sure `settle_words` give, when they are in the answer (and
        not after "not"); the same words that settle the question from an earlier answer."""
        words = self.dialogue.spec.settle_words.get(self.spec.sets or "")
        if words is None or words.value is None or not any(o.value == words.value for o in options):
            return None
        norm = normalise(said)
        return words.value if any(find_phrase(norm, w)[0] for w in words.sure) else None

    def _use_hint(self, hint: Pending, now: dt.datetime) -> list[Message] | None:
        """At a question that words said before may answer: a sure reading is said back and
        kept (the messages, and the machine moves on); a less sure one is put to the person
        as "You said ... It sounds like ... Is that right?" (None: ask it)."""
        if hint.confidence < understanding(self.whole).accept:
            self.state.pending = hint
            return None
        spec = self.spec
        key = self._key(self.state.state)
        value: Any = list(hint.values) if spec.kind == "multi" else hint.values[0]
        self.state.answers[key] = value
        self.state.readings[key] = Reading(said=hint.said, how=EARLIER, confidence=hint.confidence)
        self.state.last_choice = value if isinstance(value, str) else None
        self._note_settles_after(value, hint.said)
        said_back = spec.settled or self.dialogue.spec.texts.settled
        out = [self._msg(self._fill(said_back, said=hint.said[:200], label=lower_first(self._shown_values(hint.values))), now)]
        reply = self._reply_for(spec, value) if isinstance(value, str) else None
        if reply:
            out.append(self._msg(reply, now))
        self._push_frame()
        self._advance()
        return out

    def _back(self, now: dt.datetime) -> list[Message]:
        d = self.dialogue.spec
        if not self.state.history:
            return [self._msg(d.texts.first_question, now), self._question_message(now)]
        frame = self.state.history.pop()
        # leaving a question we had come back to, unchanged: keep its answer, do not ask again
        here = self._key(self.state.state)
        if here in self.state.review and here in self.state.answers:
            self.state.review.remove(here)
        self.state.cursor = {"area": frame.area, "outcome": frame.outcome}
        if frame.money is not None:
            self.state.cursor["money"] = frame.money
        self._machine.set_state(frame.state, model=self._model)
        self.state.state = frame.state
        self.state.misses = 0
        key = self._key(frame.state)
        out = [self._msg(d.texts.going_back, now)]
        if key in self.state.answers:
            if key not in self.state.review:
                self.state.review.append(key)
            previous = self._shown_answer(frame.state, self.state.answers[key])
            if previous:
                out.append(self._msg(self._fill(d.texts.before_you_said, previous=previous), now))
        out.append(self._question_message(now))
        return out

    def _safety_check_answer(self, clean: str, pending: Pending, now: dt.datetime) -> list[Message]:
        """The answer to the gentle check: yes is urgent; no carries on, flagged for the worker."""
        d = self.dialogue.spec
        harm = detect_harm(self.whole, clean)
        if harm.level == "stop":
            return self._safety(f"{pending.said} / {clean}", harm.why, now)
        picked = match_one(clean, self._yes_no(), yes=d.yes_words, no=d.no_words)
        self.state.pending = None
        if picked is not None and picked.value == "yes":
            return self._safety(f"{pending.said} / {clean}", pending.why, now)
        answer = "they said no" if picked is not None else f"they did not say yes or no (\u201c{clean[:200]}\u201d)"
        self._flag(
            "possible_harm",
            "attention",
            f"Possible harm: the person wrote \u201c{pending.said[:300]}\u201d ({pending.why}) at "
            f"{self._worker_question()}; asked gently, {answer}. Check with them.",
            now,
            key=self._key(self.state.state),
        )
        if picked is None:  # other words: most likely the answer to the question; read them
            return self._turn(clean, now)  # (safety is read again on these words)
        return [self._msg(d.texts.safety_check_no, now)] + self._turn(pending.said, now, checked=True)

    def _safety(self, clean: str, why: str, now: dt.datetime) -> list[Message]:
        self._flag(
            "safety",
            "urgent",
            f"Possible risk of harm: the person wrote \u201c{clean[:300]}\u201d ({why}) "
            f"at {self._worker_question()}. Contact them today; follow safeguarding procedures.",
            now,
            key=self._key(self.state.state),
        )
        self.state.pending = None
        self.state.answers["safety_disclosure"] = clean
        self._model.trigger("alarm")
        self.state.state = self._model.state
        return self._forward(now)


__all__ = ["Turns"]
