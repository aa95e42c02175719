"""`grid`: Doncaster's RAS Grid, need areas x four risk severities (seed 002).

An area counts when its need is at least the policy's least need; its amount is the
grid's amount for the risk if the need is not met, times a factor for unpaid support
(a need that family meets is not an unmet need).
"""

from __future__ import annotations

from functools import partial

from ras.methods.base import MethodResult, element, step
from ras.models import AREA_IDS, AreaAnswer, AssessmentRecord, Element, Step
from ras.money import ZERO, number, pence, pounds
from ras.policy.model import PolicyAt


def _area(policy: PolicyAt, area: str, answer: AreaAnswer) -> tuple[Element, Step]:
    table = policy.grid
    name = policy.areas[area].person_name
    if answer.need < table.min_need:
        why = f"No help needed with {name.lower()}, so nothing here."
        return element(policy.areas, area, ZERO, why), step("grid.no_need", f"{name}: no help needed.", ZERO)
    base = table.amount_by_risk[answer.risk]
    factor = table.support_factor[answer.unpaid_support]
    amount = pence(base * factor)
    text = (
        f"{name}: without help, you said \"{policy.scales.risk[answer.risk]}\" (level {answer.risk}). "
        f"That gives {pounds(base)} a week."
    )
    if answer.unpaid_support != "none":
        text += (
            f" Family or friends meet {answer.unpaid_support} of this need, "
            f"so the council pays {number(factor * 100)}%: {pounds(amount)}."
        )
    why = f"Risk level {answer.risk} without help: {pounds(base)} a week"
    why += f", {number(factor * 100)}% of it because family or friends help." if factor != 1 else "."
    return element(policy.areas, area, amount, why), step("grid.area", text, amount)


def compute(record: AssessmentRecord, policy: PolicyAt, explain: bool = True) -> MethodResult:
    elements, steps = [], []
    for area in AREA_IDS:
        answer = record.areas.get(area)
        key = ("grid", area, answer.need >= policy.grid.min_need, answer.risk, answer.unpaid_support)
        element, area_step = policy.memo(key, partial(_area, policy, area, answer))
        elements.append(element)
        steps.append(area_step)
    if not explain:
        return MethodResult(elements)
    start = step(
        "grid.start",
        "First we look at what you, your family and friends already do. Then, for each part of your life, "
        "we ask what would happen if the help you still need was not there.",
    )
    return MethodResult(elements, [start, *steps])
