"""`grid`: Doncaster's RAS Grid, need areas x four risk severities (seed 002).

An area counts when its need is at least the policy's least need; its amount is the
grid's amount for the risk if the need is not met, times a factor for unpaid support
(a need that family meets is not an unmet need).
"""

from __future__ import annotations

from functools import partial

from ras.messages import say
from ras.methods.base import MethodResult, element, step
from ras.models import AREA_IDS, AreaAnswer, AssessmentRecord, Element, Step
from ras.money import ZERO, number, pence, pounds
from ras.policy.model import PolicyAt


def _area(policy: PolicyAt, area: str, answer: AreaAnswer) -> tuple[Element, Step]:
    table = policy.grid
    name = policy.areas[area].person_name
    if answer.need < table.min_need:
        why = say("grid.no_need_why", area=name.lower())
        return element(policy.areas, area, ZERO, why), step("grid.no_need", say("grid.no_need", name=name), ZERO)
    base = table.amount_by_risk[answer.risk]
    factor = table.support_factor[answer.unpaid_support]
    amount = pence(base * factor)
    text = say("grid.area", name=name, risk_words=policy.scales.risk[answer.risk], risk=answer.risk, base=pounds(base))
    if answer.unpaid_support != "none":
        text += say("grid.helped", support=answer.unpaid_support, share=number(factor * 100), amount=pounds(amount))
    why = say("grid.why", risk=answer.risk, base=pounds(base))
    why += say("grid.why_helped", share=number(factor * 100)) if factor != 1 else say("grid.why_end")
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
    start = step("grid.start", say("grid.start"))
    return MethodResult(elements, [start, *steps])
