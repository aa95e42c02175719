"""`costed`: a reference tool of service costs (seed 004), FACE-style hours.

hours by need level per area, less the share family and friends cover, times the
hourly cost of the kind of support the area is costed at.
"""

from __future__ import annotations

from decimal import Decimal

from ras.methods.base import AreaMoney, MethodResult, step
from ras.models import AREA_IDS, AssessmentRecord
from ras.money import ZERO, number, pence, pounds
from ras.policy.model import PolicyAt

ONE = Decimal(1)


def compute(record: AssessmentRecord, policy: PolicyAt) -> MethodResult:
    table = policy.costed
    steps = [
        step(
            "costed.start",
            "We work out how many hours of support a week each part of your life needs, "
            "and what those hours cost.",
        )
    ]
    elements = []
    for area in AREA_IDS:
        answer = record.areas.get(area)
        name = policy.areas[area].person_name
        hours = table.hours_by_need[area][answer.need]
        cut = table.support_reduction[answer.unpaid_support]
        paid_hours = hours * (ONE - cut)
        service = table.area_service[area]
        rate = table.service_rates[service]
        amount = pence(paid_hours * rate)
        if hours == 0:
            steps.append(step("costed.area", f"{name}: no hours needed.", ZERO))
            why = f"No help needed with {name.lower()}, so no hours."
        else:
            text = f"{name}: about {number(hours)} hours a week."
            if cut:
                text += f" Family or friends cover {number(cut * 100)}% of them, so {number(paid_hours)} hours."
            text += f" At {pounds(rate)} an hour for {table.service_names[service]}: {pounds(amount)}."
            steps.append(step("costed.area", text, amount))
            why = f"{number(paid_hours)} hours a week at {pounds(rate)} an hour ({table.service_names[service]})."
        elements.append(AreaMoney(area, amount, why))
    return MethodResult(elements, steps)
