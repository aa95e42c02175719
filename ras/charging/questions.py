"""The optional money questions (data) and turning answers into a `ras-finance/2` record.

Pure: the dialogue asks the questions from `questions.yaml` and passes the answers
(question id -> text or number) to `finance_record_from_answers`. Skipped questions
count as £0, except required ones, which raise `AnswersIncomplete` naming them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ras.charging.models import (
    AGE_GROUPS,
    DISABILITY_BENEFITS,
    HOUSEHOLDS,
    MAX_CHILDREN,
    FinanceRecord,
    HousingKind,
    IncomeKind,
)
from ras.charging.rules import charging_folder, validate_doc
from ras.policy.yamlio import read_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


Target = Literal[
    "capital", "age_group", "household", "partner_pension_age", "children", "disability_benefit",
    "disability_premium", "enhanced_disability_premium", "housing_costs", "housing", "dre", "income",
]
"""What an answer fills. `disability_premium` and `enhanced_disability_premium` are the
`ras-finance/1` questions (still read in a council's list); the shipped list works the
premiums out from `disability_benefit` instead of asking."""
_CHOICES = {
    "age_group": set(AGE_GROUPS),
    "household": set(HOUSEHOLDS),
    "partner_pension_age": {"yes", "no"},
    "children": {"none", *(str(n) for n in range(1, MAX_CHILDREN + 1))},
    "disability_benefit": set(DISABILITY_BENEFITS),
    "disability_premium": {"yes", "no"},
    "enhanced_disability_premium": {"yes", "no"},
}
_YES_NO = ("disability_premium", "enhanced_disability_premium", "partner_pension_age")


class Option(_Strict):
    value: str
    label: str


class Question(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    sets: Target
    kind: Literal["money", "choice"]
    question: str
    help: str
    required: bool = False
    income_kind: IncomeKind | None = None
    housing_kind: HousingKind | None = None
    options: tuple[Option, ...] = ()

    @model_validator(mode="after")
    def _fits(self) -> Question:
        if self.sets in _CHOICES:
            if self.kind != "choice":
                raise ValueError(f"`{self.sets}` is a choice: set kind: choice")
            values = {o.value for o in self.options}
            if not values or not values <= _CHOICES[self.sets]:
                raise ValueError(f"options for `{self.sets}` must be from: {', '.join(sorted(_CHOICES[self.sets]))}")
        elif self.kind != "money" or self.options:
            raise ValueError(f"`{self.sets}` is an amount of money: set kind: money and no options")
        if (self.sets == "income") != (self.income_kind is not None):
            raise ValueError("income questions, and only they, name an income_kind")
        if (self.sets == "housing") != (self.housing_kind is not None):
            raise ValueError("housing questions, and only they, name a housing_kind")
        return self


class QuestionList(_Strict):
    intro: str
    questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> QuestionList:
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("a question id is used more than once")
        single = [q.sets for q in self.questions if q.sets not in ("income", "housing")]
        if len(set(single)) != len(single):
            raise ValueError("only income and housing questions may set the same field")
        for needed in ("capital", "age_group"):
            if needed not in single:
                raise ValueError(f"no question sets `{needed}`, which a record needs")
        return self


def default_questions_path() -> Path:
    return charging_folder() / "questions.yaml"


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int) -> QuestionList:
    return validate_doc(read_yaml(path), QuestionList, "a questions file")


def load_questions(path: str | Path | None = None) -> QuestionList:
    """The money questions (shipped, or a council's file). Strict: raises DataFileError."""
    from ras.policy.yamlio import DataFileError

    path = Path(path) if path is not None else default_questions_path()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise DataFileError(path, "file not found") from None
    return _load(str(path), mtime)


class AnswersIncomplete(ValueError):
    """Required answers are missing; `.missing` names the question ids."""

    def __init__(self, missing: list[str]):
        self.missing = tuple(missing)
        super().__init__(f"these questions need an answer: {', '.join(missing)}")


class BadAnswer(ValueError):
    """An answer that cannot be used; `.question` names the question id."""

    def __init__(self, question: str, message: str):
        self.question = question
        super().__init__(f"{question}: {message}")


def parse_money(text: Any) -> Decimal:
    """'£1,250.50', '1250', 1250 -> Decimal('1250.50'). Raises ValueError."""
    if isinstance(text, bool):
        raise ValueError("give an amount of money, like 120 or 120.50")
    raw = str(text).strip().replace(",", "").replace("£", "").strip()
    if not re.fullmatch(r"\d+(\.\d{1,2})?", raw):
        raise ValueError("give an amount of money, like 120 or 120.50")
    try:
        return Decimal(raw).quantize(Decimal("0.01"))
    except InvalidOperation:  # pragma: no cover - the pattern already checked it
        raise ValueError("give an amount of money, like 120 or 120.50") from None


def _skipped(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def finance_record_from_answers(
    answers: Mapping[str, Any],
    *,
    care_cost: Decimal | str | None = None,
    questions: QuestionList | None = None,
) -> FinanceRecord:
    """A `ras-finance/2` record from the answers (question id -> answer).

    `care_cost` is the weekly budget (from the allocation, not asked); it may also be
    given as `answers["care_cost"]`. A skipped money question counts as £0, except
    `extra_costs`-style questions that set `dre`: skipped means "use the default".
    Raises AnswersIncomplete (required answers missing) or BadAnswer (one answer wrong).
    """
    qs = questions or load_questions()
    known = {q.id for q in qs.questions} | {"care_cost"}
    unknown = [k for k in answers if k not in known]
    if unknown:
        raise BadAnswer(unknown[0], "not a question in the list")
    missing = [q.id for q in qs.questions if q.required and _skipped(answers.get(q.id))]
    cost = care_cost if care_cost is not None else answers.get("care_cost")
    if _skipped(cost):
        missing.append("care_cost")
    if missing:
        raise AnswersIncomplete(missing)

    data: dict[str, Any] = {"schema": "ras-finance/2", "income": [], "housing": []}
    for q in qs.questions:
        value = answers.get(q.id)
        if _skipped(value):
            continue
        if q.kind == "choice":
            text = str(value).strip()
            allowed = {o.value for o in q.options}
            if text not in allowed:
                raise BadAnswer(q.id, f"choose one of: {', '.join(sorted(allowed))}")
            if q.sets in _YES_NO:
                data[q.sets] = text == "yes"
            elif q.sets == "children":
                data["children"] = 0 if text == "none" else int(text)
            elif q.sets == "disability_benefit":
                data["benefit"] = text
            else:
                data[q.sets] = text
            continue
        try:
            amount = parse_money(value)
        except ValueError as exc:
            raise BadAnswer(q.id, str(exc)) from None
        if q.sets == "income":
            if amount:
                data["income"].append({"kind": q.income_kind, "weekly": amount, "note": q.id})
        elif q.sets == "housing":
            if amount:
                data["housing"].append({"kind": q.housing_kind, "weekly": amount})
        elif q.sets == "dre":
            data["dre"] = [{"what": q.id.replace("_", " "), "weekly": amount}]
        else:
            data[q.sets] = amount
    try:
        data["care_cost"] = parse_money(cost)
    except ValueError as exc:
        raise BadAnswer("care_cost", str(exc)) from None
    try:
        return FinanceRecord.model_validate(data)
    except ValidationError as exc:  # pragma: no cover - answers are checked above
        raise BadAnswer("answers", exc.errors()[0]["msg"]) from None
