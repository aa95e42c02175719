"""`costed`: a reference tool of service costs (seed 004), FACE-style hours.

hours by need level per area, less the share family and friends cover, times the
hourly cost of the kind of support the area is costed at.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from ras.messages import say
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
        why = say("costed.no_hours_why", area=name.lower())
        return element(policy.areas, area, ZERO, why), step("costed.area", say("costed.no_hours", name=name), ZERO)
    cut = table.support_reduction[answer.unpaid_support]
    paid_hours = hours * (ONE - cut)
    service = table.area_service[area]
    rate = table.service_rates[service]
    amount = pence(paid_hours * rate)
    text = say("costed.hours", name=name, hours=number(hours))
    if cut:
        text += say("costed.helped", cut=number(cut * 100), paid_hours=number(paid_hours))
    text += say("costed.rate", rate=pounds(rate), service=table.service_names[service], amount=pounds(amount))
    why = say("costed.why", paid_hours=number(paid_hours), rate=pounds(rate), service=table.service_names[service])
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
    start = step("costed.start", say("costed.start"))
    return MethodResult(elements, [start, *steps])
