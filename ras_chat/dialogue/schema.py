"""The strict shape of a dialogue file (`dialogues/*.yaml`).

Every model forbids unknown keys, so a misspelt key is an error naming file, line and
key (see loader.py). Callback names are plain strings here; the loader checks each one
against the registry in code (`registry.py`), never importing anything named in data.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ras.models import AreaId, OutcomeId
from ras_chat.dialogue.fields import FIELDS

StateKind = Literal["question", "choice", "multi", "text", "money", "say", "pass", "end"]
QUESTION_KINDS = ("choice", "multi", "text", "money")
"""`money` asks the charging question list (ras/policies/charging/questions.yaml) one
question at a time: its words, help and choices come from that list, not from here."""


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ChoiceSpec(_Strict):
    value: str
    label: str = Field(min_length=1)
    words: tuple[str, ...] = ()
    """Other words or phrases that pick this choice when typed."""
    only: bool = False
    """In a `multi` question: this choice cannot be picked with others (e.g. "none of these")."""
    reply: str | None = None
    """Said straight after this choice is picked."""

    @field_validator("words", mode="before")
    @classmethod
    def _words_are_text(cls, value: object) -> object:
        if isinstance(value, (list, tuple)):
            for w in value:
                if isinstance(w, bool):
                    raise ValueError('write yes and no in quotes ("yes"): YAML reads them as true and false')
            return tuple(str(w) if isinstance(w, int) else w for w in value)
        return value


class PromptVariant(_Strict):
    when: tuple[str, ...] = ()
    text: str = Field(min_length=1)


class TransitionSpec(_Strict):
    to: str
    when: tuple[str, ...] = ()
    """Registry conditions that must all hold."""
    unless: tuple[str, ...] = ()
    """Registry conditions that must all fail."""
    when_answer: str | None = None
    """Holds when the answer just given to this state equals this value."""
    do: tuple[str, ...] = ()
    """Registry actions run after moving."""


class StateSpec(_Strict):
    kind: StateKind
    prompt: str | tuple[PromptVariant, ...] | None = None
    help: str | None = None
    say: tuple[str, ...] = ()
    choices: tuple[ChoiceSpec, ...] = ()
    choices_from: str | None = None
    """A registry choice provider (choices that come from the policy, e.g. `need_scale`)."""
    scope: Literal["once", "area", "outcome", "money"] = "once"
    """`money`: once for each of the charging questions (a `money` state)."""
    part: Literal["area", "money"] | None = None
    """`area` marks a state with no scope as part of the per-area questions (for progress);
    `money` marks the optional money part: its answers are counted apart from the rest."""
    next: str | None = None
    transitions: tuple[TransitionSpec, ...] = ()
    clears: tuple[str, ...] = ()
    """States whose answers (same scope) are forgotten when this answer changes."""
    remember: bool = True
    """False for questions asked afresh each time (e.g. "is this right?")."""
    summary: bool = False
    """Show the plain summary of every answer before the prompt."""
    result: bool = False
    """Show the engine's result in a few plain lines after the `say` lines: the amount, what
    it is for, that it is a starting point, how to disagree (the rest on request)."""
    details: bool = False
    """Show how the result was worked out, step by step, and what each part of it is for."""
    charge: bool = False
    """Show the charge estimate (the person's part, the council's part, the steps)."""
    statement: bool = False
    """Show the personal budget statement, as a few short messages."""
    status: Literal["handed_off", "agreed"] | None = None
    """For `end` states: the session status when the conversation ends here."""
    sets: str | None = None
    """The record field this question's answer fills (`areas.{area}.need`): see fields.py.
    Everything that reads an answer asks for its field, never for the state's name."""
    yes_picks_first: bool = False
    """A yes on its own picks the first choice (for "Shall we start with ...? Or pick another")."""
    optional: bool = False
    """The answer may be left out (a name): blank, skip or no is fine, with no flag for
    the worker; `texts.optional_skipped` is said."""
    said_back: str | None = None
    """Said after a free-text answer; {answer} is what was kept."""
    settled: str | None = None
    """Said instead of `texts.settled` when words said before settle this question
    ({said}: those words, {label}: the answer they give)."""
    skip_words: tuple[str, ...] = ()
    """For an `optional` question: whole answers that mean "leave it out" ("no thanks")."""
    strip: tuple[str, ...] = ()
    """For a free-text question: words taken off the front before the answer is kept
    ("call me", "my name is")."""
    settles: tuple[str, ...] = ()
    """Fields that the words of this answer may also answer (`areas.{area}.unpaid_support`
    from "my wife does all of it"), when `settle_words` for the field are in them. A
    sure reading is said back and that question is not asked; a less sure one is put to
    the person when that question comes."""
    examples: str | None = None
    """Which examples (in the examples file beside the dialogue) read this question's
    answers, when not those of the field it sets: `check` for "is this right?"."""

    @field_validator("kind", mode="before")
    @classmethod
    def _question_means_choice(cls, value: str) -> str:
        return "choice" if value == "question" else value

    @model_validator(mode="after")
    def _consistent(self) -> StateSpec:
        if self.next is not None and self.transitions:
            raise ValueError("give either `next` or `transitions`, not both")
        if self.kind == "money":
            if self.prompt or self.choices or self.choices_from:
                raise ValueError("a `money` question takes its words and choices from the money question list")
            if self.scope != "money":
                raise ValueError("a `money` question needs `scope: money`")
        elif self.kind in QUESTION_KINDS:
            if not self.prompt:
                raise ValueError(f"a {self.kind} question needs a `prompt`")
            if self.kind in ("choice", "multi") and not (self.choices or self.choices_from):
                raise ValueError(f"a {self.kind} question needs `choices` or `choices_from`")
            if self.choices and self.choices_from:
                raise ValueError("give either `choices` or `choices_from`, not both")
            values = [c.value for c in self.choices]
            if len(set(values)) != len(values):
                raise ValueError("two choices have the same value")
        else:
            if self.choices or self.choices_from:
                raise ValueError(f"a `{self.kind}` state has no choices")
            if self.kind != "end" and self.prompt:
                raise ValueError(f"a `{self.kind}` state has no prompt: use `say`")
        if self.kind == "end" and (self.next or self.transitions):
            raise ValueError("an `end` state goes nowhere")
        if self.scope == "money" and self.kind != "money":
            raise ValueError("only a `money` question has `scope: money`")
        if (self.charge or self.statement or self.result or self.details) and self.kind != "say":
            raise ValueError("`result`, `details`, `charge` and `statement` belong on a `say` state")
        if self.kind != "end" and self.status is not None:
            raise ValueError("only an `end` state has a `status`")
        for field in self.settles:
            if field not in FIELDS:
                raise ValueError(f"`{field}` in `settles` is not a field (known: {', '.join(FIELDS)})")
        if self.optional and self.kind != "text":
            raise ValueError("only a free-text question is `optional`")
        if self.sets is not None:
            if not self.is_question:
                raise ValueError(f"only a question sets a field; a `{self.kind}` state has no answer")
            if self.sets not in FIELDS:
                raise ValueError(f"`{self.sets}` is not a field a question can set (known: {', '.join(FIELDS)})")
            want = FIELDS[self.sets].scope
            if want != self.scope:
                raise ValueError(f"`{self.sets}` is set once for each {want}: the question needs `scope: {want}`")
        return self

    @property
    def is_question(self) -> bool:
        return self.kind in QUESTION_KINDS

    def routes(self) -> tuple[TransitionSpec, ...]:
        """The ways on from this state, `next` written as a single unconditional transition."""
        if self.next is not None:
            return (TransitionSpec(to=self.next),)
        return self.transitions

    def prompt_texts(self) -> tuple[str, ...]:
        if self.prompt is None:
            return ()
        if isinstance(self.prompt, str):
            return (self.prompt,)
        return tuple(v.text for v in self.prompt)


class DialogueMeta(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    version: int = Field(ge=1)
    start: str


class DialogueSettings(_Strict):
    """The dialogue file's own `settings:` block (not the program's `ras_chat.settings.Settings`)."""

    miss_limit: int = Field(default=3, ge=1, le=10)
    text_limit: int = Field(default=2000, ge=50, le=20000)
    wellbeing_impact_min_risk: int = Field(default=2, ge=0, le=4)
    client_group_if_unknown: Literal[
        "older_people", "physical_disability", "learning_disability", "mental_health"
    ] = "physical_disability"


class Commands(_Strict):
    back: tuple[str, ...] = Field(min_length=1)
    help: tuple[str, ...] = Field(min_length=1)
    repeat: tuple[str, ...] = Field(min_length=1)
    skip: tuple[str, ...] = Field(min_length=1)
    dont_know: tuple[str, ...] = Field(min_length=1)


class Texts(_Strict):
    not_understood: str
    """Said when a choice answer is not understood; {last} is the number of the last choice."""
    confirm_no: str
    """Said when the person says no to "It sounds like ... Is that right?" (those words,
    and the gentle safety check, are in the examples file beside the dialogue)."""
    safety_check_no: str
    not_known_parts: str
    """Said with the result when some answers are not known: {parts}."""
    result_amount: str
    """{weekly}, {annual}, {low}, {high}: the first thing said of an amount."""
    result_for: str
    """{parts}: the parts of life the money is for."""
    result_next: tuple[str, ...]
    """Said after the amount: a starting point, what happens next, how to disagree."""
    statement_more: str
    """After the statement's sums: where the rest of it can be read."""
    not_understood_free: str
    numbered_offer: str
    gave_up: str
    skipped: str
    dont_know: str
    first_question: str
    going_back: str
    before_you_said: str
    no_help: str
    finished: str
    welcome_back: str
    pick_many: str
    none_hard: str
    yes_label: str
    no_label: str
    not_known: str
    skipped_answer: str
    summary_intro: str
    result_parts: str
    result_part: str
    shortened: str = "Your answer was very long, so I kept the first {limit} characters. You can add more later with the worker."
    empty_answer: str = "I did not get an answer there. Take your time. You can also say skip."
    money_not_understood: str = "Sorry, I did not get an amount. Type a number, like 120 or 0. You can also say skip."
    money_per_week: str = "Thank you. That is about {amount} a week."
    money_said_back: str = "OK: {amount}."
    charge_intro: str = "Here is a first guess at what you might pay, step by step."
    money_skipped: str = "That is fine. We can leave that one."
    charge_unknown: str = "I cannot make a first guess from these answers. The money check will work out what you pay."
    charge_missing: str = "I could not make a first guess, because a figure is missing: {missing}"
    statement_intro: str = "Here is a short statement of your budget."
    optional_skipped: str = "That is fine."
    settled: str = "You said \u201c{said}\u201d, so I have put: {label}."
    """An answer settled by words said before: {said}, {label}."""
    settled_aside: str = "Thank you. I have put who helps: {label}."
    """Said when an answer to one question settles another but not this one."""
    you_said: str = "You said \u201c{said}\u201d."
    """Before "It sounds like ... Is that right?" for a reading of words said before."""
    summary_line: str = "{name}: {answer}."
    summary_said: str = "{answer} (you said \u201c{said}\u201d)"
    summary_retired: str = "{area}: not asked, as you are retired."


class Safety(_Strict):
    message: tuple[str, ...] = Field(min_length=1)
    """Said when the questions stop at a disclosure of harm. What counts as one is in the
    examples file's `safety:` part (words, who-does-what patterns, a trained model)."""


class SettleWords(_Strict):
    sure: tuple[str, ...] = ()
    """Words that settle the field on their own (first-person, plain), as `value`."""
    value: str | None = None
    maybe: tuple[str, ...] = ()
    """Words that let the answer be read for the field (the reading decides how sure)."""
    confirm: bool = True
    """A less sure reading is put to the person ("It sounds like ... Is that right?");
    false: it is dropped and the question is asked as usual (a yes-or-no question)."""
    after: tuple[str, ...] = ()
    """Only when the answer that settles it was read as one of these values ("most": a
    family member does most of the help). The `sure` words are then looked for in what
    was said, once the answer is kept."""


class ScaleWords(_Strict):
    need: dict[int, tuple[str, ...]]
    risk: dict[int, tuple[str, ...]]
    unpaid_support: dict[Literal["none", "some", "most"], tuple[str, ...]]


AreaKey = AreaId
OutcomeKey = OutcomeId


class DialogueFile(_Strict):
    dialogue: DialogueMeta
    settings: DialogueSettings = DialogueSettings()
    commands: Commands
    texts: Texts
    safety: Safety
    area_words: dict[AreaKey, tuple[str, ...]]
    outcome_words: dict[OutcomeKey, tuple[str, ...]] = {}
    scale_words: ScaleWords
    yes_words: tuple[str, ...] = ()
    no_words: tuple[str, ...] = ()
    unknown_words: dict[str, str] = {}
    """How to name an answer not known yet, by field (`areas.{area}.need`: "how much help
    you need with {area}"), for the result's "not known yet" sentence."""
    answer_names: dict[str, str] = {}
    """What each answer is called in the check-your-answers list, by field."""
    settle_words: dict[str, SettleWords] = {}
    """By field: the words that let an earlier answer settle it (`settles:`)."""
    states: dict[str, StateSpec] = Field(min_length=1)

    @field_validator("unknown_words", "answer_names", "settle_words")
    @classmethod
    def _known_fields(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if key not in FIELDS:
                raise ValueError(f"`{key}` is not a field (known: {', '.join(FIELDS)})")
        return value
