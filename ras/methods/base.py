"""What every method returns before the engine adds totals, range and sufficiency."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel

from ras.models import Element, Step

M = TypeVar("M", bound=BaseModel)


@dataclass(slots=True)
class MethodResult:
    elements: list[Element]
    steps: list[Step] = field(default_factory=list)
    band: str | None = None


def built(cls: type[M], **values: Any) -> M:
    """A frozen model built from values the engine made itself, without re-validation.

    Every field must be given. About twice as fast as `model_construct`, which matters
    for `ras calculate --batch` (tens of thousands of records a second).
    """
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", values)
    object.__setattr__(model, "__pydantic_fields_set__", set(values))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


def step(rule: str, text: str, amount: Decimal | None = None) -> Step:
    return built(Step, rule=rule, text=text, amount=amount)


def element(policy_areas: dict, area: str, amount: Decimal, why: str) -> Element:
    return built(Element, area=area, name=policy_areas[area].person_name, amount=amount, why=why)
