"""`points`: In Control style questionnaire points, Hartlepool's carer handling (seed 001).

area points = need points x area weight + risk points; money = points x price per point
for the client group; unpaid support takes money off at the end, and the needs stay on
record unchanged.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

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
        why = f"You did not tell us of help needed for {name.lower()}, so there are no points here."
        return element(policy.areas, area, amount, why), step("points.area_points", f"{name}: no points.", amount)
    text = (
        f"{name}: you said \"{policy.scales.need[answer.need]}\" (level {answer.need}). "
        f"That gives {number(table.need_points[answer.need])} points, {times(table.area_weight[area])}: {number(need_pts)}. "
        f"Without help: \"{policy.scales.risk[answer.risk]}\" (level {answer.risk}). That adds {number(risk_pts)} points. "
        f"So {number(points)} points x {pounds(price)} = {pounds(points * price)}."
    )
    if cut:
        text += (
            f" Family or friends help with {answer.unpaid_support} of this, "
            f"so we take off {number(cut * 100)}%: {pounds(amount)}. Your need is still written down in full."
        )
    why = f"{number(points)} points for the help you need and the risk without it, at {pounds(price)} a point"
    why += f", less {number(cut * 100)}% for help from family or friends." if cut else "."
    return element(policy.areas, area, amount, why), step("points.area_points", text, amount)


def compute(record: AssessmentRecord, policy: PolicyAt, explain: bool = True) -> MethodResult:
    group = record.client_group
    price = policy.points.price_per_point[group]
    steps = [
        policy.memo(
            ("points.price", group),
            lambda: step(
                "points.price_per_point",
                f"Each answer gives points. For {policy.client_groups[group]}, each point is worth {pounds(price)} a week.",
            ),
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
