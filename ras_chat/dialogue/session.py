"""A headless conversation: `send(text) -> replies`, its state as data, its record.

The session never touches a screen or storage. Everything needed to carry on later is
in `session.state` (a pydantic model, JSON-ready); `Session.restore(state)` rebuilds the
machine from it. Same inputs and the same clock give the same state.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from ras.engine import calculate
from ras.models import Allocation
from ras.policy import load_policy
from ras_chat.dialogue import registry
from ras_chat.dialogue.clean import clean_answer
from ras_chat.dialogue.loader import Dialogue, load_dialogue
from ras_chat.dialogue.machine import SAFETY_STATE, build_machine
from ras_chat.dialogue.mapping import Answers
from ras_chat.dialogue.match import Option
from ras_chat.dialogue.money import MoneyPart
from ras_chat.dialogue.render import Rendering
from ras_chat.dialogue.schema import StateSpec
from ras_chat.dialogue.state import SESSION_SCHEMA, Choice, Flag, FlagCode, FlagLevel, Frame, Message, SessionState
from ras_chat.dialogue.turns import Turns
from ras_chat.dialogue.worker import WorkerView

MAX_STEPS_PER_TURN = 1000
"""A guard: no turn may pass through more states than this (a broken dialogue, not a person)."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# ----- the session -------------------------------------------------------------------


class Session(Turns, Answers, Rendering, MoneyPart, WorkerView):
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
    ) -> Session:
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
    ) -> Session:
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
        """The choices offered now (empty for free text): yes and no while a reading is put
        to the person or the gentle safety check is asked."""
        if self.state.pending is not None:
            return self._yes_no()
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
        if not clean and self.spec.optional and self.state.pending is None:  # left out, and that is fine
            out += self._leave_out(now)
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
            if self.state.jump is not None:  # the one answer picked to change at the check
                out += self._jump(now)
                skipping = False
            name = self.state.state
            spec = self.spec
            if spec.kind == "say":
                said = [self._msg(self._fill(t), now) for t in spec.say]
                if spec.result:
                    said += self._result_messages(now)
                if spec.details:
                    said += self._details_messages(now)
                if spec.charge:
                    said += self._charge_messages(now)
                if spec.statement:
                    said += self._statement_messages(now)
                if skipping or spec.part == "area":
                    held = said  # "Let us talk about ...": only said when a question of that part is asked
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
            if held and (spec.scope != "once" or spec.part == "area"):
                out += held
            held = []
            hint = self.state.hints.pop(key, None) if key not in self.state.answers else None
            if hint is not None:  # words said before may answer this one
                settled = self._use_hint(hint, now)
                if settled is not None:
                    out += settled
                    skipping = False
                    continue
            out.append(self._question_message(now))
            return out
        raise RuntimeError(f"dialogue loops without a question near state `{self.state.state}`")

    def _jump(self, now: dt.datetime) -> list[Message]:
        """Go to the answer picked at the check, and say what was said before."""
        frame = self.state.jump
        self.state.jump = None
        if frame is None or frame.state not in self.dialogue.states:
            return []
        self.state.cursor = {"area": frame.area, "outcome": frame.outcome}
        self._machine.set_state(frame.state, model=self._model)
        self.state.state = frame.state
        key = self._key(frame.state)
        if key not in self.state.review:
            self.state.review.append(key)
        previous = self._shown_answer(frame.state, self.state.answers[key]) if key in self.state.answers else ""
        return [self._msg(self._fill(self.dialogue.spec.texts.before_you_said, previous=previous), now)] if previous else []

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
        """The question's own choices (whatever is put over it)."""
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

    def _flag(self, code: FlagCode, level: FlagLevel, text: str, now: dt.datetime, key: str | None = None) -> None:
        self.state.flags.append(Flag(code=code, level=level, text=text, state=self.state.state, key=key, at=now))

    def flag_once(self, code: FlagCode, level: FlagLevel, text: str) -> None:
        """Raise a flag for the worker unless the same one is already raised (for registry actions)."""
        if any(f.code == code and f.text == text for f in self.state.flags):
            return
        self._flag(code, level, text, self._clock(), key=self._key(self.state.state))

    def _worker_question(self) -> str:
        """Where we are, in the worker's words (for flags)."""
        c = self.state.cursor
        spec = self.spec
        parts = [self.state.state]
        area, outcome = c.get("area"), c.get("outcome")
        if spec.scope in ("area", "outcome") and area is not None and area in self.policy_at.areas:
            parts.append(self.policy_at.areas[area].worker_name)
        if spec.scope == "outcome" and outcome is not None and outcome in self.policy_at.outcomes:
            parts.append(self.policy_at.outcomes[outcome].regulation)
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
