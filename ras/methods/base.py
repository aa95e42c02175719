"""What every method returns before the engine adds totals, range and sufficiency."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ras.models import Step


@dataclass(slots=True)
class AreaMoney:
    area: str
    amount: Decimal
    why: str


@dataclass(slots=True)
class MethodResult:
    elements: list[AreaMoney]
    steps: list[Step] = field(default_factory=list)
    band: str | None = None


def step(rule: str, text: str, amount: Decimal | None = None) -> Step:
    """A step built without re-validation: the engine made every field itself (fast path)."""
    return Step.model_construct(rule=rule, text=text, amount=amount)
