"""A headless conversation: `send(text) -> replies`, its state as data, its record.

The session never touches a screen or storage. Everything needed to carry on later is
in `session.state` (a pydantic model, JSON-ready); `Session.restore(state)` rebuilds the
machine from it. Same inputs and the same clock give the same state.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Callable

from ras.engine import calculate
from ras.models import Allocation
from ras.policy import load_policy

from ras_chat.dialogue import registry
from ras_chat.dialogue.clean import clean_answer
from ras_chat.dialogue.loader import Dialogue, load_dialogue
from ras_chat.dialogue.machine import SAFETY_STATE, build_machine
from ras_chat.dialogue.mapping import Answers
from ras_chat.dialogue.match import Option, first_phrase, is_command, match_many, match_one
from ras_chat.dialogue.money import MoneyPart
from ras_chat.dialogue.render import Rendering, listing
from ras_chat.dialogue.schema import StateSpec
from ras_chat.dialogue.state import SESSION_SCHEMA, Choice, Flag, Frame, Message, SessionState
from ras_chat.dialogue.worker import WorkerView

MAX_STEPS_PER_TURN = 1000
"""A guard: no turn may pass through more states than this (a broken dialogue, not a person)."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# ----- the session -------------------------------------------------------------------


class Session(Answers, Rendering, MoneyPart, WorkerView):
    """One conversation. Build with `Session.start(...)` or `Session.restore(state)`."""

    def __init__(self, state: SessionState, *, dialogue: Dialogue, clock: Callable[[], dt.datetime]):
        self.state = state
        self.dialogue = dialogue
        self.policy_at = load_policy(state.policy).at(state.as_of)
        self._clock = clock
        self._machine, self._model = build_machine(dialogue, self, state.state)

    # -- building --

    @classmethod
    def start(
        cls,
        *,
        policy_name: str = "example",
        as_of: dt.date | None = None,
        session_id: str | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
        dialogue: Dialogue | str | None = None,
    ) -> "Session":
        dialogue = _dialogue(dialogue)
        now = clock()
        state = SessionState(
            id=session_id or uuid.uuid4().hex,
            policy=policy_name,
            dialogue=str(dialogue.path) if dialogue.path.stem != dialogue.id else dialogue.id,
            as_of=as_of or now.date(),
            created=now,
            updated=now,
            state=dialogue.start,
        )
        return cls(state, dialogue=dialogue, clock=clock)

    @classmethod
    def restore(
        cls,
        state: SessionState | dict,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        dialogue: Dialogue | str | None = None,
    ) -> "Session":
        if not isinstance(state, SessionState):
            state = SessionState.model_validate(state)
        state = state.model_copy(deep=True)
        dialogue = _dialogue(dialogue or state.dialogue)
        if state.state not in dialogue.states:
            raise ValueError(f"the saved session stands in state `{state.state}`, which the dialogue no longer has")
        return cls(state, dialogue=dialogue, clock=clock)

    # -- reading --

    @property
    def spec(self) -> StateSpec:
        return self.dialogue.states[self.state.state]

    @property
    def finished(self) -> bool:
        return self.state.status != "in_progress" or self.spec.kind == "end"

    @property
    def current_question(self) -> Message | None:
        if self.finished or not self.spec.is_question:
            return None
        return self._question_message(self._clock())

    def options(self) -> list[Option]:
        """The choices of the current question (empty for free text)."""
        return self._options(self.spec)

    # -- turns --

    def opening(self) -> list[Message]:
        """Welcome and the first question; on a restored session, the current question again."""
        now = self._clock()
        if self.finished:
            out = [self._msg(self.dialogue.spec.texts.finished, now)]
        elif not self.state.transcript and self.state.state == self.dialogue.start:
            out = self._forward(now)
        else:
            out = [self._msg(self.dialogue.spec.texts.welcome_back, now)]
            out += self._forward(now) if not self.spec.is_question else [self._question_message(now)]
        return self._commit(out, now)

    def send(self, text: str) -> list[Message]:
        """One turn: the person's words, then the replies. All are added to the transcript."""
        now = self._clock()
        texts = self.dialogue.spec.texts
        limit = self.dialogue.spec.settings.text_limit
        # before anything is stored or shown: no escapes, no control characters, not too long
        clean, shortened = clean_answer(text if isinstance(text, str) else str(text), limit)
        out = [Message(role="person", text=clean, at=now, state=self.state.state, kind="answer")]
        if self.finished:
            out.append(self._msg(texts.finished, now))
            return self._commit(out, now)
        if not self.spec.is_question:  # a session built but never opened
            out += self._forward(now)
            return self._commit(out, now)
        if not clean:  # an empty answer is not a miss: ask again, kindly
            out += [self._msg(texts.empty_answer, now, kind="error"), self._question_message(now)]
            return self._commit(out, now)
        if shortened:
            out.append(self._msg(self._fill(texts.shortened, limit=f"{limit:,}"), now))
        out += self._turn(clean, now)
        return self._commit(out, now)

    def go_back(self) -> list[Message]:
        return self.send(self.dialogue.spec.commands.back[0])

    def help(self) -> list[Message]:
        return self.send(self.dialogue.spec.commands.help[0])

    def repeat(self) -> list[Message]:
        return self.send(self.dialogue.spec.commands.repeat[0])

    # -- the turn itself --

    def _turn(self, clean: str, now: dt.datetime) -> list[Message]:
        spec = self.spec
        d = self.dialogue.spec
        options = self._options(spec)
        exact = any(clean.strip() in (str(o.number), o.label) for o in options)
        phrase = None if exact else first_phrase(clean, d.safety.phrases)
        if phrase is not None:
            return self._safety(clean, phrase, now)
        if is_command(clean, d.commands.back):
            return self._back(now)
        if is_command(clean, d.commands.help):
            question = self.money_question() if spec.kind == "money" else None
            text = (question.help if question else spec.help) or d.texts.no_help
            return [self._msg(self._fill(text), now, kind="help"), self._question_message(now)]
        if is_command(clean, d.commands.repeat):
            return [self._question_message(now)]
        if is_command(clean, d.commands.skip):
            return self._unknown_answer("skipped", d.texts.skipped, now)
        if is_command(clean, d.commands.dont_know):
            return self._unknown_answer("dont_know", d.texts.dont_know, now)

        if spec.kind == "text":
            if clean:
                return self._accept(clean, clean, now)
            return self._miss(now)
        if spec.kind == "money":
            return self._money_turn(clean, options, now)
        if spec.kind == "choice":
            picked = match_one(clean, options, yes=d.yes_words, no=d.no_words)
            if picked is None:
                return self._miss(now)
            return self._accept(picked.value, picked.label, now, reply=self._reply_for(spec, picked.value))
        many = match_many(clean, options)
        if many is None:
            return self._miss(now)
        return self._accept([o.value for o in many], listing([o.label for o in many]), now)

    def _accept(self, value: Any, shown: str, now: dt.datetime, reply: str | None = None) -> list[Message]:
        spec = self.spec
        key = self._key(self.state.state)
        old = self.state.answers.get(key)
        if spec.remember:
            self.state.answers[key] = value
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

    def _unknown_answer(self, how: str, text: str, now: dt.datetime) -> list[Message]:
        key = self._key(self.state.state)
        what = {"skipped": "skipped", "dont_know": "said they did not know", "gave_up": "could not be matched to an answer"}[how]
        if not self._in_money_part():  # the money part is optional: a gap there is no flag
            self._flag(
                how if how != "gave_up" else "gave_up",
                "attention",
                f"{self._worker_question()}: the person {what}. Ask about this with them.",
                now,
                key=key,
            )
        if self.spec.remember:
            self.state.answers[key] = {"unknown": how}
        self.state.last_choice = None
        if key in self.state.review:
            self.state.review.remove(key)
        self.state.misses = 0
        self._count_answer()
        self._push_frame()
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
        if self.state.misses == limit:
            if free:
                text = d.texts.money_not_understood if self.spec.kind == "money" else d.texts.not_understood_free
                return [self._msg(text, now, kind="error"), self._question_message(now)]
            self._flag(
                "hard_to_match",
                "info",
                f"{self._worker_question()}: {limit} answers could not be matched; numbered answers were offered.",
                now,
                key=self._key(self.state.state),
            )
            return [self._msg(d.texts.numbered_offer, now, kind="error"), self._question_message(now)]
        if self.spec.kind == "money" and free:
            text = d.texts.money_not_understood
        else:
            text = d.texts.not_understood_free if free else d.texts.not_understood
        return [self._msg(text, now, kind="error"), self._question_message(now)]

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

    def _safety(self, clean: str, phrase: str, now: dt.datetime) -> list[Message]:
        self._flag(
            "safety",
            "urgent",
            f"Possible risk of harm: the person wrote \u201c{clean[:300]}\u201d (matched \u201c{phrase}\u201d) "
            f"at {self._worker_question()}. Contact them today; follow safeguarding procedures.",
            now,
            key=self._key(self.state.state),
        )
        self.state.answers["safety_disclosure"] = clean
        self._model.trigger("alarm")
        self.state.state = self._model.state
        return self._forward(now)

    # -- moving through the machine --

    def _advance(self) -> None:
        moved = self._model.trigger("advance")
        if not moved:  # the checker prevents this: every state has an unconditional way on
            raise RuntimeError(f"dialogue dead end at state `{self.state.state}`")
        self.state.state = self._model.state

    def _forward(self, now: dt.datetime) -> list[Message]:
        """From the current state, say what there is to say, up to the next question to ask."""
        out: list[Message] = []
        skipping = False
        held: list[Message] = []
        for _ in range(MAX_STEPS_PER_TURN):
            name = self.state.state
            spec = self.spec
            if spec.kind == "say":
                said = [self._msg(self._fill(t), now) for t in spec.say]
                if spec.result:
                    said += self._result_messages(now)
                if spec.charge:
                    said += self._charge_messages(now)
                if spec.statement:
                    said += self._statement_messages(now)
                if skipping:
                    held = said
                else:
                    out += said
                self._advance()
                continue
            if spec.kind == "pass":
                self._advance()
                continue
            if spec.kind == "end":
                if name == SAFETY_STATE:
                    out += [self._msg(t, now, kind="safety") for t in self.dialogue.spec.safety.message]
                out += [self._msg(self._fill(t), now) for t in spec.say]
                self.state.status = spec.status or "handed_off"
                return out
            key = self._key(name)
            if spec.remember and key in self.state.answers and key not in self.state.review:
                # answered before (we came back to change something): keep it and move on
                self.state.last_choice = self.state.answers[key] if isinstance(self.state.answers[key], str) else None
                self._push_frame()
                self._advance()
                skipping = True
                continue
            if skipping and held and (spec.scope != "once" or spec.part == "area"):
                out += held
            out.append(self._question_message(now))
            return out
        raise RuntimeError(f"dialogue loops without a question near state `{self.state.state}`")

    def _push_frame(self) -> None:
        c = self.state.cursor
        self.state.history.append(
            Frame(state=self.state.state, area=c.get("area"), outcome=c.get("outcome"), money=c.get("money"))
        )

    def _clear_dependants(self, spec: StateSpec) -> None:
        for name in spec.clears:
            key = self._key(name)
            self.state.answers.pop(key, None)

    # -- keys, text and messages --

    def _key(self, name: str) -> str:
        scope = self.dialogue.states[name].scope
        c = self.state.cursor
        if scope == "area":
            return f"{name}:{c.get('area')}"
        if scope == "outcome":
            return f"{name}:{c.get('area')}:{c.get('outcome')}"
        if scope == "money":
            return f"{name}:{c.get('money')}"
        return name

    def _options(self, spec: StateSpec) -> list[Option]:
        if spec.kind == "money":
            return registry.CHOICES["money_options"](self)
        if spec.choices_from:
            return registry.CHOICES[spec.choices_from](self)
        return [Option(i + 1, c.value, c.label, c.words, c.only) for i, c in enumerate(spec.choices)]

    def _reply_for(self, spec: StateSpec, value: str) -> str | None:
        for c in spec.choices:
            if c.value == value:
                return c.reply
        return None

    def _commit(self, out: list[Message], now: dt.datetime) -> list[Message]:
        if self.spec.is_question and self.spec.summary and out and out[-1].kind == "question":
            out[-1:-1] = self._summary_messages(now)
        self.state.transcript.extend(out)
        self.state.updated = now
        return out

    def _flag(self, code: str, level: str, text: str, now: dt.datetime, key: str | None = None) -> None:
        self.state.flags.append(Flag(code=code, level=level, text=text, state=self.state.state, key=key, at=now))

    def flag_once(self, code: str, level: str, text: str) -> None:
        """Raise a flag for the worker unless the same one is already raised (for registry actions)."""
        if any(f.code == code and f.text == text for f in self.state.flags):
            return
        self._flag(code, level, text, self._clock(), key=self._key(self.state.state))

    def _worker_question(self) -> str:
        """Where we are, in the worker's words (for flags)."""
        c = self.state.cursor
        spec = self.spec
        parts = [self.state.state]
        if spec.scope in ("area", "outcome") and c.get("area") in self.policy_at.areas:
            parts.append(self.policy_at.areas[c["area"]].worker_name)
        if spec.scope == "outcome" and c.get("outcome") in self.policy_at.outcomes:
            parts.append(self.policy_at.outcomes[c["outcome"]].regulation)
        return " / ".join(parts)

    def result(self, force: bool = False) -> Allocation | None:
        """The engine's result for the record (policy default method), once the answers are checked."""
        if not (force or self.state.checked):
            return None
        record = self.record()
        if record is None:
            return None
        return calculate(record, self.policy_at)

def _dialogue(value: Dialogue | str | None) -> Dialogue:
    if isinstance(value, Dialogue):
        return value
    return load_dialogue(value or "assessment")


__all__ = ["Choice", "Flag", "Frame", "Message", "SESSION_SCHEMA", "Session", "SessionState"]
