"""Charging: an estimate of what a person pays towards care at home, and the Care Act
s.26 personal budget statement. Pure functions over data; figures and words live in
`ras/policies/charging/` (england.yaml, statement.yaml, questions.yaml).
"""

from ras.charging.calc import estimate_charge, tariff_income
from ras.charging.models import ChargeResult, FinanceRecord, FreeService, IncomeItem, SpendingItem, finance_schema
from ras.charging.questions import (
    AnswersIncomplete,
    BadAnswer,
    Question,
    QuestionList,
    finance_record_from_answers,
    load_questions,
)
from ras.charging.rules import ChargingAt, ChargingRules, load_charging_rules
from ras.charging.statement import BudgetStatement, StatementTexts, budget_statement, load_statement_texts, standing_statement

__all__ = [
    "AnswersIncomplete",
    "BadAnswer",
    "BudgetStatement",
    "ChargeResult",
    "ChargingAt",
    "ChargingRules",
    "FinanceRecord",
    "FreeService",
    "IncomeItem",
    "Question",
    "QuestionList",
    "SpendingItem",
    "StatementTexts",
    "budget_statement",
    "estimate_charge",
    "finance_record_from_answers",
    "finance_schema",
    "load_charging_rules",
    "load_questions",
    "load_statement_texts",
    "standing_statement",
    "tariff_income",
]
