"""`costed`: a reference tool of service costs (seed 004), FACE-style hours.

hours by need level per area, less the share family and friends cover, times the
hourly cost of the kind of support the area is costed at.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from ras.methods.base import MethodResult, element, step
from ras.models import AREA_IDS, AreaAnswer, AssessmentRecord, Element, Step
from ras.money import ZERO, number, pence, pounds
from ras.policy.model import PolicyAt

ONE = Decimal(1)


def _area(policy: PolicyAt, area: str, answer: AreaAnswer) -> tuple[Element, Step]:
    table = policy.costed
    name = policy.areas[area].person_name
    hours = table.hours_by_need[area][answer.need]
    if hours == 0:
        why = f"No help needed with {name.lower()}, so no hours."
        return element(policy.areas, area, ZERO, why), step("costed.area", f"{name}: no hours needed.", ZERO)
    cut = table.support_reduction[answer.unpaid_support]
    paid_hours = hours * (ONE - cut)
    service = table.area_service[area]
    rate = table.service_rates[service]
    amount = pence(paid_hours * rate)
    text = f"{name}: about {number(hours)} hours a week."
    if cut:
        text += f" Family or friends cover {number(cut * 100)}% of them, so {number(paid_hours)} hours."
    text += f" At {pounds(rate)} an hour for {table.service_names[service]}: {pounds(amount)}."
    why = f"{number(paid_hours)} hours a week at {pounds(rate)} an hour ({table.service_names[service]})."
    return element(policy.areas, area, amount, why), step("costed.area", text, amount)


def compute(record: AssessmentRecord, policy: PolicyAt, explain: bool = True) -> MethodResult:
    elements, steps = [], []
    for area in AREA_IDS:
        answer = record.areas.get(area)
        key = ("costed", area, answer.need, answer.unpaid_support)
        element, area_step = policy.memo(key, partial(_area, policy, area, answer))
        elements.append(element)
        steps.append(area_step)
    if not explain:
        return MethodResult(elements)
    start = step(
        "costed.start",
        "We work out how many hours of support a week each part of your life needs, and what those hours cost.",
    )
    return MethodResult(elements, [start, *steps])
