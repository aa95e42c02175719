"""`grid`: Doncaster's RAS Grid, need areas x four risk severities (seed 002).

An area counts when its need is at least the policy's least need; its amount is the
grid's amount for the risk if the need is not met, times a factor for unpaid support
(a need that family meets is not an unmet need).
"""

from __future__ import annotations

from ras.methods.base import AreaMoney, MethodResult, step
from ras.models import AREA_IDS, AssessmentRecord
from ras.money import ZERO, number, pence, pounds
from ras.policy.model import PolicyAt

_SUPPORT_WORDS = {"some": "some", "most": "most"}


def compute(record: AssessmentRecord, policy: PolicyAt) -> MethodResult:
    table = policy.grid
    steps = [
        step(
            "grid.start",
            "First we look at what you, your family and friends already do. Then, for each part of your life, "
            "we ask what would happen if the help you still need was not there.",
        )
    ]
    elements = []
    for area in AREA_IDS:
        answer = record.areas.get(area)
        name = policy.areas[area].person_name
        if answer.need < table.min_need:
            amount = ZERO
            why = f"No help needed with {name.lower()}, so nothing here."
            steps.append(step("grid.no_need", f"{name}: no help needed.", amount))
        else:
            base = table.amount_by_risk[answer.risk]
            factor = table.support_factor[answer.unpaid_support]
            amount = pence(base * factor)
            text = (
                f"{name}: without help, you said \"{policy.scales.risk[answer.risk]}\" (level {answer.risk}). "
                f"That gives {pounds(base)} a week."
            )
            if answer.unpaid_support != "none":
                share = number(factor * 100)
                text += (
                    f" Family or friends meet {_SUPPORT_WORDS[answer.unpaid_support]} of this need, "
                    f"so the council pays {share}%: {pounds(amount)}."
                )
            steps.append(step("grid.area", text, amount))
            why = f"Risk level {answer.risk} without help: {pounds(base)} a week"
            why += f", {number(factor * 100)}% of it because family or friends help." if factor != 1 else "."
        elements.append(AreaMoney(area, amount, why))
    return MethodResult(elements, steps)
