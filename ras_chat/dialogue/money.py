"""The optional money part of a session: the charging questions, the estimate, the statement.

The questions come from the charging question list (ras/policies/charging/questions.yaml),
asked one at a time by a `money` state; answers are counted apart from the assessment's.
A mixin of `Session`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

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
from ras.money import pounds
from ras_chat.dialogue.mapping import unknown
from ras_chat.dialogue.parts import SessionParts
from ras_chat.dialogue.state import Message, Reading
from ras_chat.dialogue.understand import read_amount

if TYPE_CHECKING:  # pragma: no cover
    pass


class MoneyPart(SessionParts):
    """A mixin of `Session`."""

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

    def _money_turn(self, clean: str, now: dt.datetime) -> list[Message]:
        """An amount, as people say them ("about 8 grand", "£300 a month"): kept as a weekly
        figure for a weekly question (the sum said back), as said for savings."""
        d = self.dialogue.spec
        question = self.money_question()
        found = read_amount(clean)
        if found is None:
            return self._miss(now)
        weekly_question = question is not None and question.sets != "capital"
        amount = found.amount
        if weekly_question and found.weekly is not None and found.period not in (None, "week"):
            amount = found.weekly
            reply = found.arithmetic or self._fill(d.texts.money_per_week, amount=pounds(amount))
        else:
            reply = self._fill(d.texts.money_said_back, amount=pounds(amount))
        reading = Reading(said=clean, how="amount", confidence=1.0)
        return self._accept(f"{amount:.2f}", pounds(amount), now, reply=reply, reading=reading)

    def finance_answers(self) -> dict[str, Any]:
        """The money answers by question id: an amount ("120.00"), a choice value, or None
        when skipped or not known."""
        out: dict[str, Any] = {}
        for q in self.money_questions().questions:
            value = self.answer("money.{question}", question=q.id)
            if value is not None:
                out[q.id] = None if unknown(value) else value
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


__all__ = ["MoneyPart"]
