"""A headless conversation: `send(text) -> replies`, its state as data, its record.

The session never touches a screen or storage. Everything needed to carry on later is
in `session.state` (a pydantic model, JSON-ready); `Session.restore(state)` rebuilds the
machine from it. Same inputs and the same clock give the same state.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict

from decimal import Decimal

from ras.charging import (
    AnswersIncomplete,
    BadAnswer,
    BudgetStatement,
    ChargeResult,
    FinanceRecord,
    Question,
    QuestionList,
    budget_statement,
    estimate_charge,
    finance_record_from_answers,
    load_charging_rules,
    load_questions,
    load_statement_texts,
)
from ras.eligibility import CARER_OUTCOME_WORDS, carer_eligibility
from ras.engine import calculate
from ras.models import (
    AREA_IDS,
    CARER_OUTCOME_IDS,
    CLIENT_GROUPS,
    OUTCOME_IDS,
    Allocation,
    AssessmentRecord,
    CarerRecord,
)
from ras.money import pounds
from ras.policy import load_policy

from ras_chat.dialogue import registry
from ras_chat.dialogue.loader import Dialogue, load_dialogue
from ras_chat.dialogue.machine import SAFETY_STATE, build_machine
from ras_chat.dialogue.clean import clean_answer, clean_text
from ras_chat.dialogue.match import Option, amount_in, first_phrase, is_command, match_many, match_one
from ras_chat.dialogue.schema import StateSpec

SESSION_SCHEMA = "ras-chat-session/1"
UNABLE_WAYS = ("without_help", "pain_or_distress", "unsafe", "takes_longer")
MAX_STEPS_PER_TURN = 1000
"""A guard: no turn may pass through more states than this (a broken dialogue, not a person)."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# ----- the contract ------------------------------------------------------------------


class Choice(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int
    label: str
    value: str


class Message(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Literal["assistant", "person"]
    text: str
    at: dt.datetime
    state: str
    kind: str = "say"
    """question, say, help, result, safety, error, answer (the person's words)."""
    choices: tuple[Choice, ...] = ()
    multiple: bool = False
    """True when more than one choice may be picked (answer "1 and 3")."""


class Flag(BaseModel):
    """Something the worker must look at. `text` is for the worker, not the person."""

    model_config = ConfigDict(frozen=True)

    code: Literal["safety", "skipped", "dont_know", "hard_to_match", "gave_up", "carer_struggling", "carer_later"]
    level: Literal["urgent", "attention", "info"]
    text: str
    state: str
    key: str | None = None
    at: dt.datetime


class Frame(BaseModel):
    """One step of the way back: a question that was answered, and where we were."""

    model_config = ConfigDict(frozen=True)

    state: str
    area: str | None = None
    outcome: str | None = None
    money: str | None = None


class SessionState(BaseModel):
    """Everything needed to rebuild a session. JSON-ready: `model_dump(mode="json")`."""

    format: Literal["ras-chat-session/1"] = SESSION_SCHEMA
    id: str
    policy: str
    dialogue: str = "assessment"
    as_of: dt.date
    created: dt.datetime
    updated: dt.datetime
    status: Literal["in_progress", "handed_off", "agreed"] = "in_progress"
    state: str
    answers: dict[str, Any] = {}
    """By key: `state`, `state:area` or `state:area:outcome`. A value is the choice value,
    a list of values, free text, or {"unknown": "skipped" | "dont_know" | "gave_up"}."""
    history: list[Frame] = []
    transcript: list[Message] = []
    flags: list[Flag] = []
    who: str | None = None
    cursor: dict[str, str | None] = {"area": None, "outcome": None}
    suggested: list[str] = []
    area_order: list[str] = []
    review: list[str] = []
    """Answer keys to ask again (after "back" or "change"), though they have an answer."""
    misses: int = 0
    last_choice: str | None = None
    checked: bool = False
    answer_count: int = 0
    """How many answers the person gave (not counting help, repeat or back, nor the money part)."""
    money_answer_count: int = 0
    """Answers given in the optional money part (counted apart: it comes after the result)."""
    finance: dict[str, Any] | None = None
    """The `ras-finance/1` record built from the money answers (JSON), when they were given."""
    charge: dict[str, Any] | None = None
    """The `ras-charge/1` estimate (JSON), when one could be made."""
    money_missing: list[str] = []
    """Why no estimate could be made (required questions skipped, or a figure missing)."""


# ----- the session -------------------------------------------------------------------


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _lower_first(text: str) -> str:
    """For a label inside a sentence: "Help all the time" -> "help all the time"; "I ..." stays."""
    if not text or text == "I" or text.startswith(("I ", "I'", "I\u2019")):
        return text
    return text[:1].lower() + text[1:]


def _listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _unknown(value: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("unknown")
    return None


class Session:
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
        return self._accept([o.value for o in many], _listing([o.label for o in many]), now)

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

    def _variables(self) -> dict[str, str]:
        area = self.state.cursor.get("area")
        outcome = self.state.cursor.get("outcome")
        names = [_lower_first(self.policy_at.areas[a].person_name) for a in self.state.suggested]
        return _Blank(
            area=_lower_first(self.policy_at.areas[area].person_name) if area in self.policy_at.areas else "",
            outcome=self.policy_at.outcomes[outcome].person_name if outcome in self.policy_at.outcomes else "",
            suggested=_listing(names),
            first_area=names[0] if names else "",
            money_intro=self.money_questions().intro,
        )

    def _fill(self, text: str, **extra: str) -> str:
        values = self._variables()
        values.update(extra)
        return text.format_map(values)

    def _prompt(self, spec: StateSpec) -> str:
        if spec.kind == "money":
            question = self.money_question()
            return question.question if question else ""
        if isinstance(spec.prompt, str):
            return self._fill(spec.prompt)
        for variant in spec.prompt or ():
            if all(registry.CONDITIONS[c](self) for c in variant.when):
                return self._fill(variant.text)
        return ""

    def _question_message(self, now: dt.datetime) -> Message:
        spec = self.spec
        text = clean_text(self._prompt(spec))
        if spec.kind == "multi":
            text = f"{text} {self.dialogue.spec.texts.pick_many}"
        choices = tuple(Choice(number=o.number, label=clean_text(o.label), value=o.value) for o in self._options(spec))
        return Message(
            role="assistant", text=text, at=now, state=self.state.state, kind="question",
            choices=choices, multiple=spec.kind == "multi",
        )

    def _msg(self, text: str, now: dt.datetime, kind: str = "say") -> Message:
        # the dialogue file is checked at load; the policy's and engine's words are cleaned here
        return Message(role="assistant", text=clean_text(text), at=now, state=self.state.state, kind=kind)

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

    def _shown_answer(self, name: str, value: Any) -> str:
        texts = self.dialogue.spec.texts
        how = _unknown(value)
        if how == "skipped":
            return texts.skipped_answer
        if how:
            return texts.not_known
        spec = self.dialogue.states[name]
        if spec.kind == "text":
            return str(value)
        if spec.kind == "money" and not self._options(spec):
            return pounds(Decimal(str(value))) if _is_amount(value) else str(value)
        labels = {o.value: o.label for o in self._options(spec)}
        if isinstance(value, list):
            return _listing([labels.get(v, v) for v in value])
        return labels.get(value, str(value))

    # -- the check and the result --

    def _summary_messages(self, now: dt.datetime) -> list[Message]:
        t = self.dialogue.spec.texts
        pa = self.policy_at
        a = self.state.answers
        lines = [t.summary_intro]
        wmm = a.get("what_matters_most")
        if isinstance(wmm, str):
            lines.append(t.summary_matters.format(text=wmm))
        for area in registry.area_order(self):
            need = a.get(f"area_need:{area}")
            need_words = pa.scales.need[int(need)] if isinstance(need, str) and need.isdigit() else t.not_known
            lines.append(t.summary_area.format(area=pa.areas[area].person_name, need=_lower_first(need_words)))
            if need == "0":
                continue
            support = a.get(f"area_support:{area}")
            risk = a.get(f"area_risk:{area}")
            support_words = pa.scales.unpaid_support.get(support, t.not_known) if isinstance(support, str) else t.not_known
            risk_words = pa.scales.risk[int(risk)] if isinstance(risk, str) and risk.isdigit() else t.not_known
            lines.append(t.summary_area_more.format(support=_lower_first(support_words), risk=_lower_first(risk_words)))
            hard = registry.picked_outcomes(self, area)
            if hard:
                lines.append(t.summary_hard.format(things=_listing([pa.outcomes[o].person_name for o in hard])))
            else:
                lines.append(t.summary_nothing_hard)
        group = a.get("client_group")
        group_labels = {c.value: c.label for c in self.dialogue.states["client_group"].choices} if "client_group" in self.dialogue.states else {}
        lines.append(t.summary_group.format(group=_lower_first(group_labels.get(group, t.not_known)) if isinstance(group, str) else t.not_known))
        fl = a.get("fluctuating")
        lines.append(t.summary_changes.format(answer=_lower_first(t.yes_label if fl == "yes" else t.no_label if fl == "no" else t.not_known)))
        carer = a.get("has_carer")
        lines.append(t.summary_carer.format(answer=_lower_first(t.yes_label if carer == "yes" else t.no_label if carer == "no" else t.not_known)))
        return [self._msg(line, now, kind="summary") for line in lines]

    def _result_messages(self, now: dt.datetime) -> list[Message]:
        alloc = self.result(force=True)
        if alloc is None:
            return []
        t = self.dialogue.spec.texts
        steps = list(alloc.explanation)
        first, rest = steps[0], steps[1:]
        later_rules = ("total.starting_point", "sufficiency.", "total.not_eligible")
        now_steps = [s for s in rest if not s.rule.startswith(later_rules)]
        late_steps = [s for s in rest if s.rule.startswith(later_rules)]
        out = [self._msg(first.text, now, kind="result")]
        out += [self._msg(s.text, now, kind="result") for s in now_steps]
        parts = [e for e in alloc.elements if e.amount > 0]
        if parts:
            out.append(self._msg(t.result_parts, now, kind="result"))
            out += [
                self._msg(t.result_part.format(name=e.name, amount=pounds(e.amount), why=e.why), now, kind="result")
                for e in parts
            ]
        out += [self._msg(s.text, now, kind="result") for s in late_steps]
        return out

    # -- what the session produces --

    def _need(self, area: str) -> int | None:
        value = self.state.answers.get(f"area_need:{area}")
        return int(value) if isinstance(value, str) and value.isdigit() else None

    def _level(self, key: str) -> int | None:
        value = self.state.answers.get(key)
        return int(value) if isinstance(value, str) and value.isdigit() else None

    def _unable(self) -> tuple[list[str], dict[str, list[str]]]:
        unable: list[str] = []
        reasons: dict[str, list[str]] = {}
        for area in registry.area_order(self):
            if not self._need(area):
                continue
            for o in registry.picked_outcomes(self, area):
                ways = self.state.answers.get(f"outcome_ways:{area}:{o}")
                if isinstance(ways, list):
                    real = [w for w in UNABLE_WAYS if w in ways]
                    if real and o not in unable:
                        unable.append(o)
                        reasons[o] = real
        return unable, reasons

    def record(self) -> AssessmentRecord | None:
        """The assessment record so far (a draft until the hand-off); None before any area is answered."""
        a = self.state.answers
        if not any(f"area_need:{area}" in a for area in AREA_IDS):
            return None
        settings = self.dialogue.spec.settings
        areas: dict[str, dict] = {}
        for area in AREA_IDS:
            need = self._need(area) or 0
            if need == 0:
                areas[area] = {"need": 0, "risk": 0, "unpaid_support": "none"}
                continue
            support = a.get(f"area_support:{area}")
            areas[area] = {
                "need": need,
                "risk": self._level(f"area_risk:{area}") or 0,
                "unpaid_support": support if support in ("none", "some", "most") else "none",
            }
        unable, reasons = self._unable()
        unable.sort(key=OUTCOME_IDS.index)
        group = a.get("client_group")
        client_group = group if group in CLIENT_GROUPS else settings.client_group_if_unknown
        impairment = group != "none"
        wellbeing = any(
            areas[x]["need"] > 0 and areas[x]["risk"] >= settings.wellbeing_impact_min_risk for x in AREA_IDS
        )
        notes = {}
        for area in AREA_IDS:
            bits = []
            for name, label in (("area_matters", "What matters and what is going well"), ("area_going_well", "Going well")):
                v = a.get(f"{name}:{area}")
                if isinstance(v, str) and v:
                    bits.append(f"{label}: {v}")
            if bits:
                notes[area] = " | ".join(bits)
        wmm = a.get("what_matters_most")
        data = {
            "schema": "ras-assessment/1",
            "id": self.state.id,
            "client_group": client_group,
            "impairment": impairment,
            "wellbeing_impact": wellbeing,
            "unable_outcomes": unable,
            "fluctuating": a.get("fluctuating") == "yes",
            "areas": areas,
            "unable_reasons": reasons or None,
            "what_matters": wmm if isinstance(wmm, str) else None,
            "area_notes": notes or None,
            "notes": f"Answered by: {self.state.who}" if self.state.who else None,
            "flags": tuple(f"{f.level}: {f.code}: {f.text}" for f in self.state.flags) or None,
        }
        return AssessmentRecord.model_validate(data)

    def result(self, force: bool = False) -> Allocation | None:
        """The engine's result for the record (policy default method), once the answers are checked."""
        if not (force or self.state.checked):
            return None
        record = self.record()
        if record is None:
            return None
        return calculate(record, self.policy_at)

    def carer_record(self) -> CarerRecord | None:
        """The carer's own record (`ras-carer/1`), when the carer had their own talk."""
        a = self.state.answers
        if a.get("carer_ready") != "yes" or "carer_effect" not in a:
            return None
        hours = a.get("carer_hours")
        hard = a.get("carer_hard")
        rel = a.get("carer_relationship")
        cont = a.get("carer_continue")
        coping = a.get("carer_coping")
        return CarerRecord.model_validate(
            {
                "schema": "ras-carer/1",
                "needs_from_caring": True,
                "health_at_risk": a.get("carer_health") == "yes",
                "unable_outcomes": [o for o in CARER_OUTCOME_IDS if isinstance(hard, list) and o in hard],
                "wellbeing_impact": a.get("carer_effect") == "yes",
                "cared_for_relationship": rel if isinstance(rel, str) else None,
                "hours_caring_per_week": float(hours) if isinstance(hours, str) and hours.isdigit() else None,
                "coping": coping if coping in ("coping", "struggling", "at_breaking_point") else None,
                "willing_to_continue": {"yes": True, "less": True, "no": False}.get(cont) if isinstance(cont, str) else None,
            }
        )

    # -- the optional money part --

    def money_questions(self) -> QuestionList:
        """The charging question list (data: ras/policies/charging/questions.yaml)."""
        return load_questions()

    def money_question(self) -> Question | None:
        """The money question being asked now (by the cursor), if any."""
        current = self.state.cursor.get("money")
        return next((q for q in self.money_questions().questions if q.id == current), None)

    def _in_money_part(self) -> bool:
        return self.spec.kind == "money" or self.spec.part == "money"

    def _count_answer(self) -> None:
        if self._in_money_part():
            self.state.money_answer_count += 1
        else:
            self.state.answer_count += 1

    def _money_turn(self, clean: str, options: list[Option], now: dt.datetime) -> list[Message]:
        d = self.dialogue.spec
        question = self.money_question()
        if options:
            picked = match_one(clean, options, yes=d.yes_words, no=d.no_words)
            if picked is None:
                return self._miss(now)
            return self._accept(picked.value, picked.label, now)
        found = amount_in(clean)
        if found is None:
            return self._miss(now)
        amount, period = found
        weekly_question = question is not None and question.sets != "capital"
        reply = None
        if weekly_question and period is not None:
            amount = (amount * (12 if period == "month" else 1) / 52).quantize(Decimal("0.01"))
            reply = self._fill(d.texts.money_per_week, amount=pounds(amount))
        return self._accept(f"{amount:.2f}", pounds(amount), now, reply=reply)

    def finance_answers(self) -> dict[str, Any]:
        """The money answers by question id: an amount ("120.00"), a choice value, or None
        when skipped or not known."""
        out: dict[str, Any] = {}
        for name, spec in self.dialogue.states.items():
            if spec.kind != "money":
                continue
            for q in self.money_questions().questions:
                value = self.state.answers.get(f"{name}:{q.id}")
                if value is not None and q.id not in out:
                    out[q.id] = None if _unknown(value) else value
        return out

    def estimate_money(self) -> None:
        """Build the finance record and the charge estimate from the money answers, and keep
        both in the state (JSON). The care cost is the weekly amount of the result."""
        self.state.finance = self.state.charge = None
        self.state.money_missing = []
        alloc = self.result(force=True)
        if alloc is None:
            self.state.money_missing = ["no budget result yet"]
            return
        try:
            record = finance_record_from_answers(
                {k: v for k, v in self.finance_answers().items() if v is not None},
                care_cost=alloc.weekly,
                questions=self.money_questions(),
            )
        except AnswersIncomplete as exc:
            self.state.money_missing = [f"not answered: {m}" for m in exc.missing]
            return
        except BadAnswer as exc:  # the session parses answers first, so this is a data problem
            self.state.money_missing = [str(exc)]
            return
        self.state.finance = record.dump()
        charge = estimate_charge(record, load_charging_rules().at(self.state.as_of))
        self.state.charge = charge.dump()
        self.state.money_missing = list(charge.missing)

    def finance_record(self) -> FinanceRecord | None:
        """The `ras-finance/1` record from the money part, or None (skipped or not enough)."""
        return FinanceRecord.model_validate(self.state.finance) if self.state.finance else None

    def charge(self) -> ChargeResult | None:
        """The charge estimate (`ras-charge/1`), or None when there is none."""
        return ChargeResult.model_validate(self.state.charge) if self.state.charge else None

    def budget_statement(self) -> BudgetStatement | None:
        """The personal budget statement (Care Act s.26) once there is a result: the total,
        and the person's and council's parts when the money part gave an estimate."""
        alloc = self.result()
        if alloc is None:
            return None
        return budget_statement(
            alloc, self.charge(), load_statement_texts(), rules=load_charging_rules().at(self.state.as_of)
        )

    def _charge_messages(self, now: dt.datetime) -> list[Message]:
        t = self.dialogue.spec.texts
        charge = self.charge()
        if charge is None or charge.person_pays is None:
            missing = [m for m in self.state.money_missing if not m.startswith("not answered")]
            out = []
            if charge is not None and missing:
                out.append(self._msg(self._fill(t.charge_missing, missing=" ".join(missing)), now, kind="result"))
            out.append(self._msg(t.charge_unknown, now, kind="result"))
            return out
        out = [self._msg(t.charge_intro, now, kind="result")]
        # the last step says what the person and the council pay
        out += [self._msg(step.text, now, kind="result") for step in charge.steps]
        return out

    def _statement_messages(self, now: dt.datetime) -> list[Message]:
        """The statement as a few short messages: the sums, what is free, then one message a
        section (heading and lines), and one a kind of other funding."""
        st = self.budget_statement()
        if st is None:
            return []
        t = self.dialogue.spec.texts
        out = [self._msg(t.statement_intro, now, kind="result")]
        out += [self._msg(line, now, kind="result") for line in st.summary]
        if st.free_services:
            names = "; ".join(f"{f.name}, {_lower_first(f.limit)}" for f in st.free_services)
            out.append(self._msg(f"{st.free_heading}: {names}.", now, kind="result"))
        for section in st.sections:
            out.append(self._msg(f"{section.heading}. " + " ".join(section.lines), now, kind="result"))
            out += [self._msg(f"{i.name}. {i.text} {i.limit}", now, kind="result") for i in section.items]
        return out

    def progress(self) -> tuple[int, int, str]:
        """Where the person is: (part, of parts, "Part 2 of 6: Work, learning and money")."""
        total = 2 + len(AREA_IDS)
        spec = self.spec
        names = list(self.dialogue.states)
        first_area_state = next((i for i, n in enumerate(names) if self.dialogue.states[n].scope != "once" or self.dialogue.states[n].part == "area"), len(names))
        here = names.index(self.state.state)
        if spec.part == "money" or spec.kind == "money":
            return total, total, f"Part {total} of {total}: Money (you can skip this)"
        if spec.scope != "once" or spec.part == "area":
            area = self.state.cursor.get("area")
            order = registry.area_order(self)
            n = 2 + (order.index(area) if area in order else 0)
            label = self.policy_at.areas[area].person_name if area in self.policy_at.areas else ""
        elif here < first_area_state:
            n, label = 1, "Getting started"
        else:
            n, label = total, "About you, and checking your answers"
        return n, total, f"Part {n} of {total}: {label}"

    def worker_view(self) -> dict:
        """The conversation so far in professional terms, for a worker's panel."""
        pa = self.policy_at
        a = self.state.answers
        areas = {}
        for area in registry.area_order(self):
            need = self._need(area)
            risk = self._level(f"area_risk:{area}")
            support = a.get(f"area_support:{area}")
            outcomes = []
            for o in OUTCOME_IDS:
                if pa.outcomes[o].area != area:
                    continue
                picked = o in registry.picked_outcomes(self, area)
                ways = a.get(f"outcome_ways:{area}:{o}")
                outcomes.append(
                    {
                        "id": o,
                        "regulation": pa.outcomes[o].regulation,
                        "said_hard": picked,
                        "unable": bool(need) and picked and isinstance(ways, list) and any(w in UNABLE_WAYS for w in ways),
                        "ways": [w for w in UNABLE_WAYS if isinstance(ways, list) and w in ways],
                        "not_known": _unknown(ways),
                        "asked": f"outcome_ways:{area}:{o}" in a,  # its reg. 2(3) question was answered
                    }
                )
            areas[area] = {
                "worker_name": pa.areas[area].worker_name,
                "person_name": pa.areas[area].person_name,
                "need": need,
                "need_not_known": _unknown(a.get(f"area_need:{area}")),
                "risk": risk if need else (0 if need == 0 else None),
                "unpaid_support": support if isinstance(support, str) else None,
                "what_matters": a.get(f"area_matters:{area}") if isinstance(a.get(f"area_matters:{area}"), str) else None,
                "going_well": a.get(f"area_going_well:{area}") if isinstance(a.get(f"area_going_well:{area}"), str) else None,
                "outcomes": outcomes,
            }
        record = self.record()
        view: dict[str, Any] = {
            "session": self.state.id,
            "status": self.state.status,
            "state": self.state.state,
            "progress": self.progress()[2],
            "answered_by": self.state.who,
            "what_matters_most": a.get("what_matters_most") if isinstance(a.get("what_matters_most"), str) else None,
            "areas": areas,
            "client_group": a.get("client_group") if isinstance(a.get("client_group"), str) else None,
            "fluctuating": a.get("fluctuating"),
            "flags": [f.model_dump(mode="json") for f in self.state.flags],
            "not_known": sorted(k for k, v in a.items() if _unknown(v)),
            "record": record.dump() if record else None,
            "eligibility": None,
            "allocation": None,
            "carer": None,
            "money": {
                "answers": self.finance_answers() if self.state.money_answer_count else None,
                "finance": self.state.finance,
                "charge": self.state.charge,
                "missing": list(self.state.money_missing),
            },
        }
        if record is not None:
            alloc = calculate(record, pa)
            view["eligibility"] = {
                "draft": not self.finished,
                "eligible": alloc.eligibility.eligible,
                "conditions": alloc.eligibility.conditions,
                "reason": alloc.eligibility.reason,
                "rule": alloc.eligibility.rule,
                "wellbeing_impact_from": f"risk of {self.dialogue.spec.settings.wellbeing_impact_min_risk} or more in an area with need",
            }
            view["allocation"] = {
                "method": alloc.method,
                "weekly": str(alloc.weekly),
                "annual": str(alloc.annual),
                "range": {"low": str(alloc.range.low), "high": str(alloc.range.high)},
                "band": alloc.band,
                "reference_cost": str(alloc.reference_cost),
                "shortfall": str(alloc.shortfall),
                "elements": [{"area": e.area, "name": e.name, "amount": str(e.amount), "why": e.why} for e in alloc.elements],
            }
        carer = self.carer_record()
        if carer is not None:
            el = carer_eligibility(carer)
            view["carer"] = {
                "record": carer.dump(),
                "eligible": el.eligible,
                "conditions": el.conditions,
                "reason": el.reason,
                "outcomes": {o: CARER_OUTCOME_WORDS[o] for o in carer.unable_outcomes},
            }
        elif a.get("has_carer") == "yes":
            view["carer"] = {"coping": a.get("carer_coping"), "offer": a.get("carer_offer")}
        return view


def _is_amount(value: Any) -> bool:
    try:
        Decimal(str(value))
    except Exception:
        return False
    return isinstance(value, str)


def _dialogue(value: Dialogue | str | None) -> Dialogue:
    if isinstance(value, Dialogue):
        return value
    return load_dialogue(value or "assessment")


__all__ = ["Choice", "Flag", "Frame", "Message", "Session", "SessionState"]
