"""What a session says: filling the dialogue's texts, the question, the summary, the result.

Every sentence comes from data (the dialogue file, the policy, the engine's explanation);
this part only puts them together. A mixin of `Session`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ras.money import pounds
from ras_chat.dialogue import registry
from ras_chat.dialogue.clean import clean_text
from ras_chat.dialogue.fields import split
from ras_chat.dialogue.mapping import level, text, unknown
from ras_chat.dialogue.match import normalise
from ras_chat.dialogue.parts import SessionParts
from ras_chat.dialogue.reading import confirm_words, understanding
from ras_chat.dialogue.schema import StateSpec
from ras_chat.dialogue.state import EARLIER, Choice, Message

if TYPE_CHECKING:  # pragma: no cover
    pass

SESSION_VARIABLES = ("area", "outcome", "suggested", "first_area", "money_intro", "name")
"""The placeholders any state's text may use (`dialogue check` refuses others)."""


START_FIELDS = ("who", "name", "what_matters")
AREA_FIELDS = ("areas.{area}.what_matters", "areas.{area}.going_well", "areas.{area}.need",
               "areas.{area}.unpaid_support", "areas.{area}.risk", "unable_outcomes.{area}")
LATER_FIELDS = ("client_group", "fluctuating", "carer.present", "carer.coping", "carer.offer")
"""The answers in the check-your-answers list, in its order (by field, never by state)."""
READ_FROM_WORDS = ("words", "model", "model+words", EARLIER, "band")
"""Readings from the person's own words: the list shows those words beside the answer."""


@dataclass(frozen=True)
class AnswerItem:
    """One line of the check-your-answers list, and where to go to change it."""

    key: str
    state: str
    name: str
    shown: str
    area: str | None = None
    outcome: str | None = None


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def lower_first(text: str) -> str:
    """For a label inside a sentence: "Help all the time" -> "help all the time"; "I ..." stays."""
    if not text or text == "I" or text.startswith(("I ", "I'", "I\u2019")):
        return text
    return text[:1].lower() + text[1:]


def listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _is_amount(value: Any) -> bool:
    try:
        Decimal(str(value))
    except Exception:
        return False
    return isinstance(value, str)


class Rendering(SessionParts):
    """A mixin of `Session`: texts, questions and the long messages."""

    def _variables(self) -> dict[str, str]:
        area = self.state.cursor.get("area")
        outcome = self.state.cursor.get("outcome")
        names = [lower_first(self.policy_at.areas[a].person_name) for a in self.state.suggested]
        return _Blank(
            area=lower_first(self.policy_at.areas[area].person_name) if area in self.policy_at.areas else "",
            outcome=self.policy_at.outcomes[outcome].person_name if outcome in self.policy_at.outcomes else "",
            suggested=listing(names),
            first_area=names[0] if names else "",
            money_intro=self.money_questions().intro,
            name=text(self.answer("name")) or "",
        )

    def _fill(self, template: str, **extra: str) -> str:
        values = self._variables()
        values.update(extra)
        return template.format_map(values)

    def _prompt(self, spec: StateSpec) -> str:
        if spec.kind == "money":
            question = self.money_question()
            return question.question if question else ""
        if isinstance(spec.prompt, str):
            return self._fill(spec.prompt)
        for variant in spec.prompt or ():
            if all(registry.CONDITIONS[c](self.whole) for c in variant.when):
                return self._fill(variant.text)
        return ""

    def _question_message(self, now: dt.datetime) -> Message:
        spec = self.spec
        pending = self.state.pending
        t = self.dialogue.spec.texts
        if pending is not None:  # a question put over this one: yes or no
            if pending.kind == "confirm":
                words = confirm_words(self.whole, pending.values, pending.confidence, self._options(spec))
                if pending.how == EARLIER:  # words said to an earlier question
                    words = f"{t.you_said.format(said=pending.said[:200])} {words}"
            else:
                words = understanding(self.whole).data.safety.gentle_check
            choices = tuple(Choice(number=o.number, label=o.label, value=o.value) for o in self._yes_no())
            return Message(role="assistant", text=clean_text(words), at=now, state=self.state.state, kind="question", choices=choices)
        words = clean_text(self._prompt(spec))
        if spec.kind == "multi":
            words = f"{words} {t.pick_many}"
        choices = tuple(Choice(number=o.number, label=clean_text(o.label), value=o.value) for o in self._options(spec))
        return Message(
            role="assistant", text=words, at=now, state=self.state.state, kind="question",
            choices=choices, multiple=spec.kind == "multi",
        )

    def _msg(self, words: str, now: dt.datetime, kind: str = "say") -> Message:
        # the dialogue file is checked at load; the policy's and engine's words are cleaned here
        return Message(role="assistant", text=clean_text(words), at=now, state=self.state.state, kind=kind)

    def _shown_answer(self, name: str, value: Any, *, lower: bool = False) -> str:
        """An answer as the person would read it; `lower` for inside a sentence (a choice's
        label starts small; the person's own words are kept as they wrote them)."""
        texts = self.dialogue.spec.texts
        how = unknown(value)
        if how == "skipped":
            return texts.skipped_answer
        if how:
            return texts.not_known
        spec = self.dialogue.states[name]
        if spec.kind == "text":
            return str(value)
        if spec.kind == "money" and not self._options(spec):
            return pounds(Decimal(str(value))) if _is_amount(value) else str(value)
        labels = {o.value: lower_first(o.label) if lower else o.label for o in self._options(spec)}
        if isinstance(value, list):
            return listing([str(labels.get(v, v)) for v in value])
        return labels.get(value, str(value))

    def _label_of(self, pattern: str, value: Any) -> str | None:
        """The label of a choice answer to the question that sets `pattern`."""
        name = self.dialogue.setter(pattern)
        if name is None or not isinstance(value, str):
            return None
        return {c.value: c.label for c in self.dialogue.states[name].choices}.get(value)

    def answer_items(self) -> list[AnswerItem]:
        """Every answer given, in the person's words where they gave them, for the
        check-your-answers list and for picking the one to change."""
        pa = self.policy_at
        items: list[AnswerItem] = []

        def add(pattern: str, area: str | None = None, outcome: str | None = None, value: Any = None) -> None:
            key = self.key_for(pattern, area=area, outcome=outcome)
            name = self.dialogue.setter(pattern)
            template = self.dialogue.spec.answer_names.get(pattern)
            if key is None or name is None or template is None or key not in self.state.answers:
                return
            saved = dict(self.state.cursor)
            self.state.cursor = {"area": area, "outcome": outcome}  # the choices of that part of life
            try:
                shown = self._shown_answer(name, self.state.answers[key] if value is None else value, lower=True)
            finally:
                self.state.cursor = saved
            shown = shown.rstrip(" .")
            reading = self.state.readings.get(key)
            if reading is not None and reading.how in READ_FROM_WORDS and normalise(reading.said) != normalise(shown):
                shown = self.dialogue.spec.texts.summary_said.format(answer=shown, said=reading.said[:200].rstrip(" ."))
            words = template.format(
                area=lower_first(pa.areas[area].person_name) if area in pa.areas else "",
                outcome=pa.outcomes[outcome].person_name if outcome in pa.outcomes else "",
            )
            where = registry.work_area(self.whole) if pattern == "retired" else area
            items.append(AnswerItem(key, name, words[:1].upper() + words[1:], shown, where, outcome))

        for pattern in START_FIELDS:
            add(pattern)
        unable, _ways = self.unable()
        for area in registry.area_order(self.whole):
            if area == registry.work_area(self.whole):
                add("retired")
            needs_help = bool(level(self.answer("areas.{area}.need", area=area)))
            for pattern in AREA_FIELDS:
                if pattern in AREA_FIELDS[3:] and not needs_help:
                    continue  # no help needed (or not known): nothing more was asked here
                if pattern.startswith("unable_outcomes"):
                    hard = self.answer(pattern, area=area)
                    if isinstance(hard, list):  # what is hard: only the things that truly are
                        hard = [o for o in hard if o in unable] or ["none"]
                    add(pattern, area=area, value=hard)
                    continue
                add(pattern, area=area)
            if needs_help:
                for o in self.picked(area):
                    add("unable_reasons.{outcome}", area=area, outcome=o)
        for pattern in LATER_FIELDS:
            add(pattern)
        return items

    def _summary_messages(self, now: dt.datetime) -> list[Message]:
        t = self.dialogue.spec.texts
        lines = [t.summary_intro]
        for item in self.answer_items():
            lines.append(t.summary_line.format(name=item.name, answer=item.shown))
            if item.state == self.dialogue.setter("retired") and registry.retired_skips_area_for(self.whole):
                area = self.policy_at.areas[registry.work_area(self.whole)].person_name
                lines.append(t.summary_retired.format(area=area))
        return [self._msg(line, now, kind="summary") for line in lines]

    def _result_messages(self, now: dt.datetime) -> list[Message]:
        """The result in a few plain lines; how it was worked out is `_details_messages`."""
        alloc = self.result(force=True)
        if alloc is None:
            return []
        if not alloc.eligible:
            return self._details_messages(now)
        t = self.dialogue.spec.texts
        out = [
            self._msg(
                t.result_amount.format(
                    weekly=pounds(alloc.weekly), annual=pounds(alloc.annual), low=pounds(alloc.range.low), high=pounds(alloc.range.high)
                ),
                now,
                kind="result",
            )
        ]
        parts = [lower_first(e.name) for e in alloc.elements if e.amount > 0]
        if parts:
            out.append(self._msg(t.result_for.format(parts=listing(parts)), now, kind="result"))
        gaps = self._not_known_words()
        if gaps:
            out.append(self._msg(t.not_known_parts.format(parts=listing(gaps)), now, kind="result"))
        out += [self._msg(line, now, kind="result") for line in t.result_next]
        return out

    def _details_messages(self, now: dt.datetime) -> list[Message]:
        """How the result was worked out: the engine's explanation, step by step."""
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
        gaps = self._not_known_words()
        if gaps:
            out.append(self._msg(t.not_known_parts.format(parts=listing(gaps)), now, kind="result"))
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

    def _not_known_words(self) -> list[str]:
        """The answers not known yet, in the person's words (unknown_words in the dialogue)."""
        words = self.dialogue.spec.unknown_words
        out = []
        for field in self.not_known():
            found = split(field)
            if found is None or found[0] not in words:
                continue
            pattern, where = found
            area = where.get("area")
            outcome = where.get("outcome")
            out.append(
                words[pattern].format(
                    area=lower_first(self.policy_at.areas[area].person_name) if area in self.policy_at.areas else "",
                    outcome=self.policy_at.outcomes[outcome].person_name if outcome in self.policy_at.outcomes else "",
                )
            )
        return out

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
        # what it can be spent on, other funding and how to complain are in the letter
        out.append(self._msg(t.statement_more, now, kind="result"))
        return out


__all__ = ["AnswerItem", "Rendering", "SESSION_VARIABLES", "listing", "lower_first"]
