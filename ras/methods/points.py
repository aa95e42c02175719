"""`points`: In Control style questionnaire points, Hartlepool's carer handling (seed 001).

area points = need points x area weight + risk points; money = points x price per point
for the client group; unpaid support takes money off at the end, and the needs stay on
record unchanged.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from ras.messages import say
from ras.methods.base import MethodResult, element, step
from ras.models import AREA_IDS, AreaAnswer, AssessmentRecord, Element, Step
from ras.money import number, pence, pounds, times
from ras.policy.model import PolicyAt

ONE = Decimal(1)


def _area(policy: PolicyAt, area: str, answer: AreaAnswer, group: str) -> tuple[Element, Step]:
    table = policy.points
    price = table.price_per_point[group]
    name = policy.areas[area].person_name
    need_pts = table.need_points[answer.need] * table.area_weight[area]
    risk_pts = table.risk_points[answer.risk]
    points = need_pts + risk_pts
    cut = table.support_reduction[answer.unpaid_support]
    amount = pence(points * price * (ONE - cut))
    if points == 0:
        why = say("points.none_why", area=name.lower())
        return element(policy.areas, area, amount, why), step("points.area_points", say("points.none", name=name), amount)
    text = say(
        "points.area",
        name=name,
        need_words=policy.scales.need[answer.need],
        need=answer.need,
        need_points=number(table.need_points[answer.need]),
        weight=times(table.area_weight[area]),
        weighted=number(need_pts),
        risk_words=policy.scales.risk[answer.risk],
        risk=answer.risk,
        risk_points=number(risk_pts),
        points=number(points),
        price=pounds(price),
        money=pounds(points * price),
    )
    if cut:
        text += say("points.helped", support=answer.unpaid_support, cut=number(cut * 100), amount=pounds(amount))
    why = say("points.why", points=number(points), price=pounds(price))
    why += say("points.why_helped", cut=number(cut * 100)) if cut else say("points.why_end")
    return element(policy.areas, area, amount, why), step("points.area_points", text, amount)


def compute(record: AssessmentRecord, policy: PolicyAt, explain: bool = True) -> MethodResult:
    group = record.client_group
    price = policy.points.price_per_point[group]
    steps = [
        policy.memo(
            ("points.price", group),
            lambda: step("points.price_per_point", say("points.price_per_point", group=policy.client_groups[group], price=pounds(price))),
        )
    ]
    elements = []
    for area in AREA_IDS:
        answer = record.areas.get(area)
        key = ("points", area, answer.need, answer.risk, answer.unpaid_support, group)
        element, area_step = policy.memo(key, partial(_area, policy, area, answer, group))
        elements.append(element)
        steps.append(area_step)
    return MethodResult(elements, steps if explain else [])
